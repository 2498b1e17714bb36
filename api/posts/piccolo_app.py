"""Piccolo app for posts: posts, comments, reports and each organization's post settings."""

from api.core.apps import capability_app

APP_CONFIG = capability_app(__file__, depends_on=("people", "networks"))

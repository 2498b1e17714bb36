"""Piccolo app for messaging: conversations, their participants and messages."""

from api.core.apps import capability_app

APP_CONFIG = capability_app(__file__, depends_on=("people", "networks", "jobs", "notifications"))

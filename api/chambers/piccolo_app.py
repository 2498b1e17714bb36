"""Piccolo app for chambers: business memberships and perks."""

from api.core.apps import capability_app

APP_CONFIG = capability_app(__file__, depends_on=("people", "networks"))

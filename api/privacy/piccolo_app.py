"""Piccolo app for privacy: the data exports members ask for."""

from api.core.apps import capability_app

APP_CONFIG = capability_app(__file__, depends_on=("people",))

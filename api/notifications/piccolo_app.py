"""Piccolo app for notifications: what each person is told about what concerns them."""

from api.core.apps import capability_app

APP_CONFIG = capability_app(__file__, depends_on=("people",))

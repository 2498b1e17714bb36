"""Piccolo app for the people capability: its tables and migrations."""

from api.core.apps import capability_app

APP_CONFIG = capability_app(__file__)

"""Piccolo app for the mail capability: the outgoing queue and its delivery attempts."""

from api.core.apps import capability_app

APP_CONFIG = capability_app(__file__)

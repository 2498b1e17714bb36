"""Piccolo app for shared tables: the search outbox."""

from api.core.apps import capability_app

APP_CONFIG = capability_app(__file__, tables="outbox")

"""Piccolo app for shared tables: the search outbox and the scheduled runs' leases."""

from api.core.apps import capability_app

APP_CONFIG = capability_app(__file__, tables=("outbox", "schedule"))

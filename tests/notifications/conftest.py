"""The notifications tests run the app with its public address configured, so a
notification about a job or an event links to its page."""

from __future__ import annotations

from dataclasses import replace

import pytest

from api.core.settings import Settings
from tests.mail.smtp import inbox, mail_graphql, mail_http, mail_settings, smtp_server

__all__ = ["inbox", "mail_graphql", "mail_http", "mail_settings", "smtp_server"]

SITE_URL = "https://notify.example.org/"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, site_url=SITE_URL)

"""The SMTP server fixtures (tests/mail/smtp.py), and a server whose background work another
process holds, for tests that run the data-export duty step by step."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.core.roles import ROLE_LOCK_FILE
from api.core.settings import Settings
from tests.conftest import GraphQLClient
from tests.mail.smtp import inbox, mail_graphql, mail_http, mail_settings, smtp_server

__all__ = ["inbox", "mail_graphql", "mail_http", "mail_settings", "smtp_server"]


@pytest.fixture
def idle_http(mail_settings: Settings) -> Iterator[TestClient[Any]]:
    """The app without the worker role (held as by another process): nothing is prepared
    or mailed until the test runs the duty itself."""
    mail_settings.data_dir.mkdir(parents=True, exist_ok=True)
    with open(mail_settings.data_dir / ROLE_LOCK_FILE, "a+") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        with TestClient(app=create_app(mail_settings)) as client:
            yield client


@pytest.fixture
def idle_graphql(idle_http: TestClient[Any]) -> GraphQLClient:
    return GraphQLClient(idle_http)

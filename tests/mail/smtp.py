"""A real SMTP server (aiosmtpd) on a free loopback port, and settings that send to it:
fixtures for every test that reads the mail Confrere sends."""

from __future__ import annotations

import asyncio
import dataclasses
import email
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from litestar.testing import TestClient

from api.app import create_app
from api.core.settings import Settings
from tests.conftest import GraphQLClient, _free_port


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    raw: bytes = b""
    """The message as it came over the wire."""

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    def part(self, subtype: str) -> str:
        """The text of the message's `text/<subtype>` part."""
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None and body.get_content_subtype() == subtype, subtype
        return str(body.get_content())


@dataclass
class Inbox:
    """What the SMTP server received, parsed; optionally refusing the first messages."""

    received: list[Received] = field(default_factory=list)
    refuse_next: list[str] = field(default_factory=list)
    """Replies (like "451 4.3.0 try later") to answer the next DATA commands with."""
    delay_seconds: float = 0.0
    condition: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        with self.condition:
            if self.refuse_next:
                return self.refuse_next.pop(0)
            message = email.message_from_bytes(envelope.content, policy=policy.default)
            assert isinstance(message, EmailMessage)
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), message, envelope.content)
            )
            self.condition.notify_all()
        return "250 2.0.0 OK: queued"

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Received]:
        """The first `count` messages, once they arrived (fails after `timeout` without)."""
        deadline = time.monotonic() + timeout
        with self.condition:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"expected {count} messages, the server received {len(self.received)}"
                    )
                self.condition.wait(left)
            return list(self.received[:count])

    def to(self, address: str, count: int = 1, timeout: float = 30.0) -> list[Received]:
        """The first `count` messages to `address`, once they arrived."""
        deadline = time.monotonic() + timeout
        with self.condition:
            while True:
                found = [r for r in self.received if address in r.rcpt_tos]
                if len(found) >= count:
                    return found[:count]
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} messages to {address}, got {found}")
                self.condition.wait(left)


@dataclass
class SmtpServer:
    inbox: Inbox
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}?timeout=5"


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(inbox, "127.0.0.1", port)
    finally:
        controller.stop()


@pytest.fixture
def inbox(smtp_server: SmtpServer) -> Inbox:
    return smtp_server.inbox


@pytest.fixture
def mail_settings(settings: Settings, smtp_server: SmtpServer) -> Settings:
    """The test database's settings, sending to the test SMTP server."""
    return dataclasses.replace(
        settings,
        smtp_url=smtp_server.url,
        mail_from="Confrere Test <no-reply@confrere.test>",
        site_url="https://network.example.org/",
    )


@pytest.fixture
def mail_http(mail_settings: Settings) -> Iterator[TestClient[Any]]:
    with TestClient(app=create_app(mail_settings)) as client:
        yield client


@pytest.fixture
def mail_graphql(mail_http: TestClient[Any]) -> GraphQLClient:
    return GraphQLClient(mail_http)

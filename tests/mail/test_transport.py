"""CONFRERE_SMTP_URL read into a server to send to, its mistakes refused with what to write,
and authentication against a real SMTP server that requires it."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from api.core.settings import Settings, SettingsError
from api.mail.transport import SmtpServer
from tests.conftest import _free_port
from tests.mail.smtp import Inbox
from tests.mail.test_delivery import deliver, queue, rows


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp://mailer:s%40cret@mail.example.org:587?starttls=true",
            ("mail.example.org", 587, "mailer", "s@cret", False, True, 30.0),
        ),
        (
            "smtps://mailer:pw@mail.example.org",
            ("mail.example.org", 465, "mailer", "pw", True, False, 30.0),
        ),
        ("smtp://localhost", ("localhost", 25, None, None, False, None, 30.0)),
        (
            "smtp://localhost:2525?starttls=false&timeout=2.5",
            ("localhost", 2525, None, None, False, False, 2.5),
        ),
    ],
)
def test_smtp_urls_are_read_with_their_defaults(url: str, expected: tuple) -> None:
    server = SmtpServer.from_url(url)
    assert dataclasses.astuple(server) == expected


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("smtp://localhost?starttls=maybe", "starttls= must be true or false"),
        ("smtps://localhost?starttls=true", "smtps:// is TLS already"),
        ("smtp://localhost?timeout=0", "timeout= must be seconds"),
        ("smtp://localhost?tls=1", "unknown options (tls)"),
    ],
)
def test_smtp_url_mistakes_are_named(url: str, words: str) -> None:
    with pytest.raises(ValueError, match="CONFRERE_SMTP_URL") as raised:
        SmtpServer.from_url(url)
    assert words in str(raised.value)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("CONFRERE_SMTP_URL", "http://mail.example.org"),
        ("CONFRERE_SMTP_URL", "smtp://:25"),
        ("CONFRERE_SMTP_URL", "smtp://mail.example.org:port"),
        ("CONFRERE_MAIL_FROM", "not an address"),
        ("CONFRERE_MAIL_FROM", "Confrere <no-reply@example.org>\nBcc: x@example.org"),
        ("CONFRERE_MAIL_DELIVERY", "sometimes"),
    ],
)
def test_mail_settings_refuse_what_cannot_work(variable: str, value: str) -> None:
    with pytest.raises(SettingsError, match=variable):
        Settings.from_environment({variable: value})


def test_mail_settings_are_read() -> None:
    settings = Settings.from_environment(
        {
            "CONFRERE_SMTP_URL": "smtps://u:p@mail.example.org",
            "CONFRERE_MAIL_FROM": "  Our Network <no-reply@example.org> ",
            "CONFRERE_MAIL_DELIVERY": "External",
        }
    )
    assert settings.smtp_url == "smtps://u:p@mail.example.org"
    assert settings.mail_from == "Our Network <no-reply@example.org>"
    assert settings.mail_delivery.value == "external"
    assert Settings.from_environment({}).smtp_url == ""


@dataclasses.dataclass
class Authenticating:
    inbox: Inbox
    port: int
    logins: list[tuple[str, str]]


@pytest.fixture
def authenticating_server() -> Iterator[Authenticating]:
    """An SMTP server that takes mail only after AUTH PLAIN as mailer / "let me in"."""
    inbox, logins = Inbox(), []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any):
        assert isinstance(data, LoginPassword)
        login, password = data.login.decode(), data.password.decode()
        logins.append((login, password))
        # handled=False: the server answers a failure itself (535)
        return AuthResult(success=(login, password) == ("mailer", "let me in"), handled=False)

    port = _free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticator,
        auth_required=True,
        auth_require_tls=False,  # loopback in a test; real servers get TLS from the URL
        auth_exclude_mechanism=["LOGIN"],  # PLAIN only, as many servers offer
    )
    controller.start()
    try:
        yield Authenticating(inbox, port, logins)
    finally:
        controller.stop()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_the_deliverer_authenticates_with_the_url_s_credentials(
    settings: Settings, authenticating_server: Authenticating
) -> None:
    # given a server requiring authentication and a URL with a percent-encoded password
    port = authenticating_server.port
    good = dataclasses.replace(
        settings, smtp_url=f"smtp://mailer:let%20me%20in@127.0.0.1:{port}?timeout=5"
    )
    queue(good, ("ada@example.org", "Ada"))

    # when the deliverer sends, then it logged in and the message arrived
    assert deliver(good).sent == 1
    assert authenticating_server.logins == [("mailer", "let me in")]
    assert [r.rcpt_tos for r in authenticating_server.inbox.wait_for(1)] == [["ada@example.org"]]


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_wrong_credentials_leave_the_message_queued_for_a_fixed_configuration(
    settings: Settings, authenticating_server: Authenticating
) -> None:
    # given the wrong password in the URL
    port = authenticating_server.port
    wrong = dataclasses.replace(
        settings, smtp_url=f"smtp://mailer:guess@127.0.0.1:{port}?timeout=2"
    )
    queue(wrong, ("ada@example.org", "Ada"))

    # when the deliverer tries, then the refusal is recorded but the message is not given up
    deliverer = deliver(wrong)
    assert (deliverer.sent, deliverer.failed) == (0, 1)
    [row], [attempt] = rows(wrong)
    assert row["status"] == "QUEUED" and "535" in row["last_error"]
    assert attempt["outcome"] == "RETRY"
    assert authenticating_server.inbox.received == []

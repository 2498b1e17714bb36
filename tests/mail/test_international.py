"""Addresses and names that are not ASCII, against a real SMTP server: the To header is
encoded as RFC 2047 and IDNA require, and a local part that is not ASCII goes out with
SMTPUTF8 or fails for good on a server without it."""

from __future__ import annotations

import dataclasses
import email
from collections.abc import Iterator
from email import policy

import pytest
from aiosmtpd.controller import Controller

from api.core.settings import Settings
from tests.conftest import _free_port
from tests.mail.smtp import Inbox
from tests.mail.test_delivery import deliver, queue, rows


def _to_header(content: str) -> str:
    [line] = [line for line in content.splitlines() if line.startswith("To:")]
    return line


def test_a_name_and_a_domain_that_are_not_ascii_arrive_encoded(
    mail_settings: Settings, inbox: Inbox
) -> None:
    # given a message to a name with quotes and accents, at an internationalized domain
    queue(mail_settings, ("zoe@bücher.example", 'Zoë "Zo" Ørsted, Jr.'))

    # when the deliverer runs
    deliverer = deliver(mail_settings)

    # then the envelope and the header carry the domain as A-labels, the name as encoded words
    [received] = inbox.wait_for(1)
    assert deliverer.sent == 1
    assert received.rcpt_tos == ["zoe@xn--bcher-kva.example"]
    [address] = received.message["To"].addresses
    assert address.display_name == 'Zoë "Zo" Ørsted, Jr.'
    assert address.addr_spec == "zoe@xn--bcher-kva.example"
    assert not received.message["To"].defects
    # and the stored message is 7-bit, with no encoded word inside the address
    [row], _ = rows(mail_settings)
    header = _to_header(row["content"])
    assert header.isascii() and header.endswith("<zoe@xn--bcher-kva.example>")
    assert "=?utf-8?" in header


def test_a_local_part_that_is_not_ascii_goes_out_with_smtputf8(
    mail_settings: Settings, inbox: Inbox
) -> None:
    # given a mailbox whose local part is not ASCII (aiosmtpd announces SMTPUTF8)
    queue(mail_settings, ("jürgen@straße.example", "Jürgen"))

    # when the deliverer runs
    deliverer = deliver(mail_settings)

    # then the mailbox arrives as UTF-8, its domain as IDNA 2008 A-labels ("ß" kept, not "ss")
    [received] = inbox.wait_for(1)
    assert deliverer.sent == 1
    assert received.rcpt_tos == ["jürgen@xn--strae-oqa.example"]
    # (the header in UTF-8 on the wire, as RFC 6532 has it: no encoded word in an address)
    wire = email.message_from_string(received.raw.decode("utf-8"), policy=policy.SMTPUTF8)
    [address] = wire["To"].addresses
    assert (address.username, address.display_name) == ("jürgen", "Jürgen")
    assert _to_header(received.raw.decode("utf-8")) == "To: Jürgen <jürgen@xn--strae-oqa.example>"


@pytest.fixture
def ascii_only_server(mail_settings: Settings) -> Iterator[tuple[Settings, Inbox]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, enable_SMTPUTF8=False)
    controller.start()
    try:
        url = f"smtp://127.0.0.1:{port}?timeout=5"
        yield dataclasses.replace(mail_settings, smtp_url=url), inbox
    finally:
        controller.stop()


def test_a_local_part_that_is_not_ascii_fails_for_good_without_smtputf8(
    ascii_only_server: tuple[Settings, Inbox],
) -> None:
    # given a server without SMTPUTF8, and one message it can take after one it cannot
    settings, inbox = ascii_only_server
    queue(settings, ("jürgen@example.org", "Jürgen"), ("ada@example.org", "Ada"))

    # when the deliverer runs
    deliverer = deliver(settings)

    # then the first fails for good, naming why, and the next one still goes out
    assert (deliverer.sent, deliverer.failed) == (1, 1)
    [refused, sent], attempts = rows(settings)
    assert [a["outcome"] for a in attempts] == ["REFUSED", "SENT"]
    assert refused["status"] == "FAILED" and "SMTPUTF8" in refused["last_error"]
    assert sent["status"] == "SENT"
    assert [r.rcpt_tos for r in inbox.wait_for(1)] == [["ada@example.org"]]

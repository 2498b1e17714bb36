"""The mail queue and its deliverer, against a real SMTP server: what arrives, retries,
refusals, and the `.eml` files written when no server is configured."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

from api.core import db
from api.core.db import write_transaction
from api.core.settings import Settings
from api.mail import service
from api.mail.compose import compose
from api.mail.deliverer import Deliverer
from api.mail.tables import MailAttempt, MailMessage
from tests.mail.smtp import Inbox

PASSWORD_RESET = {"link": "https://x.test/r?token=abc&x=1", "valid_for": "1 hour"}


def queue(settings: Settings, *recipients: tuple[str, str], kind: str = "password_reset") -> None:
    """Queue one message per (address, name) in one write transaction."""

    async def work() -> None:
        async with write_transaction():
            for address, name in recipients:
                message = compose(
                    settings,
                    kind,
                    to_address=address,
                    to_name=name,
                    subject="Reset your password",
                    context={"email": address, **PASSWORD_RESET},
                )
                await service.send(message)

    db.run_with_database(settings, work)


def deliver(settings: Settings) -> Deliverer:
    deliverer = Deliverer(settings)

    async def work() -> None:
        await deliverer.deliver_due()
        await deliverer.transport.close()

    db.run_with_database(settings, work)
    return deliverer


def rows(settings: Settings) -> tuple[list[dict], list[dict]]:
    async def work() -> tuple[list[dict], list[dict]]:
        messages = await MailMessage.select().order_by(MailMessage.id)
        attempts = await MailAttempt.select().order_by(MailAttempt.id)
        return messages, attempts

    return db.run_with_database(settings, work)


def test_a_queued_message_arrives_multipart_in_the_recipients_name(
    mail_settings: Settings, inbox: Inbox
) -> None:
    # given a message queued to someone whose name needs encoding and escaping
    queue(mail_settings, ("zoe@example.org", "Zoë <O'Brien> & Co"))

    # when the deliverer runs
    deliverer = deliver(mail_settings)

    # then the server received one multipart message with both parts and the headers
    [received] = inbox.wait_for(1)
    assert deliverer.sent == 1
    assert received.mail_from == "no-reply@confrere.test"
    assert received.rcpt_tos == ["zoe@example.org"]
    message = received.message
    assert message["To"].addresses[0].display_name == "Zoë <O'Brien> & Co"
    assert message["To"].addresses[0].addr_spec == "zoe@example.org"
    assert message["From"].addresses[0].addr_spec == "no-reply@confrere.test"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"].endswith("@confrere.test>")
    assert message.get_content_type() == "multipart/alternative"
    text, html = received.part("plain"), received.part("html")
    # the plain part keeps characters as they are; the HTML part escapes them
    assert "Hello Zoë <O'Brien> & Co," in text
    assert "https://x.test/r?token=abc&x=1" in text
    assert "Hello Zoë &lt;O&#39;Brien&gt; &amp; Co," in html
    assert 'href="https://x.test/r?token=abc&amp;x=1"' in html
    # and the queue row is sent, with one successful attempt recorded
    [row], [attempt] = rows(mail_settings)
    assert row["status"] == "SENT" and row["sent_at"] is not None
    assert row["message_id"] == received.message_id
    assert attempt["outcome"] == "SENT" and "OK: queued" in attempt["detail"]


def test_a_message_is_not_queued_when_its_transaction_rolls_back(
    mail_settings: Settings, inbox: Inbox
) -> None:
    # given a transaction that queues a message and then fails
    async def work() -> None:
        try:
            async with write_transaction():
                await service.send(
                    compose(
                        mail_settings,
                        "password_reset",
                        to_address="lin@example.org",
                        to_name="Lin",
                        subject="Reset",
                        context={"email": "lin@example.org", **PASSWORD_RESET},
                    )
                )
                raise RuntimeError("the change that needed the mail failed")
        except RuntimeError:
            pass

    db.run_with_database(mail_settings, work)

    # when the deliverer runs, then nothing was queued and nothing is sent
    assert deliver(mail_settings).sent == 0
    assert rows(mail_settings) == ([], [])
    assert inbox.received == []


def test_a_temporary_refusal_is_retried_with_the_same_message_id(
    mail_settings: Settings, inbox: Inbox
) -> None:
    # given a server that answers the first DATA with "try again later"
    inbox.refuse_next.append("451 4.3.0 Mailbox busy, try later")
    queue(mail_settings, ("ada@example.org", "Ada"))

    # when the deliverer runs: the message is refused and waits for its backoff
    first = deliver(mail_settings)
    assert (first.sent, first.failed) == (0, 1)
    [row], [attempt] = rows(mail_settings)
    assert row["status"] == "QUEUED" and row["attempts"] == 1
    assert "451" in row["last_error"]
    assert attempt["outcome"] == "RETRY" and "451" in attempt["detail"]
    assert row["next_attempt_at"] > attempt["started_at"]
    # and it is not due again before its backoff
    assert deliver(mail_settings).sent == 0

    # when its retry falls due
    async def make_due() -> None:
        await MailMessage.update({MailMessage.next_attempt_at: attempt["started_at"]}).where(
            MailMessage.id == row["id"]
        )

    db.run_with_database(mail_settings, make_due)
    assert deliver(mail_settings).sent == 1

    # then it arrives once, with the Message-ID it was queued with
    [received] = inbox.wait_for(1)
    assert received.message_id == row["message_id"]
    [sent], attempts = rows(mail_settings)
    assert sent["status"] == "SENT" and sent["attempts"] == 2
    assert [a["outcome"] for a in attempts] == ["RETRY", "SENT"]


def test_a_permanent_refusal_fails_the_message_for_good(
    mail_settings: Settings, inbox: Inbox
) -> None:
    # given a server that refuses the message outright
    inbox.refuse_next.append("550 5.1.1 No such mailbox")
    queue(mail_settings, ("ghost@example.org", "Ghost"), ("ada@example.org", "Ada"))

    # when the deliverer runs
    deliverer = deliver(mail_settings)

    # then the first fails for good and the next one still goes out on the same connection
    assert (deliverer.sent, deliverer.failed) == (1, 1)
    [refused, sent], attempts = rows(mail_settings)
    assert refused["status"] == "FAILED" and "550" in refused["last_error"]
    assert sent["status"] == "SENT"
    assert [a["outcome"] for a in attempts] == ["REFUSED", "SENT"]
    assert [r.rcpt_tos for r in inbox.wait_for(1)] == [["ada@example.org"]]


def test_an_unreachable_server_leaves_the_message_queued(mail_settings: Settings) -> None:
    # given an SMTP URL where nothing listens
    from tests.conftest import _free_port

    nowhere = dataclasses.replace(mail_settings, smtp_url=f"smtp://127.0.0.1:{_free_port()}")
    queue(nowhere, ("ada@example.org", "Ada"))

    # when the deliverer tries
    deliverer = deliver(nowhere)

    # then the attempt is recorded and the message waits for a retry
    assert (deliverer.sent, deliverer.failed) == (0, 1)
    [row], [attempt] = rows(nowhere)
    assert row["status"] == "QUEUED"
    assert attempt["outcome"] == "RETRY" and attempt["detail"]


def test_without_an_smtp_url_each_message_becomes_an_eml_file(settings: Settings) -> None:
    # given no mail server configured (the embedded default)
    assert settings.smtp_url == ""
    queue(settings, ("ada@example.org", "Ada Lovelace"), ("lin@example.org", "Lin"))

    # when the deliverer runs
    assert deliver(settings).sent == 2

    # then each message is a complete .eml file under the data dir's mail/ folder
    files = sorted(Path(settings.mail_dir).glob("*.eml"))
    assert [f.name for f in files] == ["00000001-password_reset.eml", "00000002-password_reset.eml"]
    parsed = BytesParser(policy=policy.default).parsebytes(files[0].read_bytes())
    assert parsed["To"].addresses[0].addr_spec == "ada@example.org"
    assert parsed["Message-ID"] == rows(settings)[0][0]["message_id"]
    assert "Hello Ada Lovelace," in parsed.get_body(("plain",)).get_content()


def test_a_message_whose_attempts_never_finish_is_given_up(
    mail_settings: Settings, inbox: Inbox
) -> None:
    # given a message claimed as many times as allowed, by processes that all died mid-send
    queue(mail_settings, ("ada@example.org", "Ada"), ("lin@example.org", "Lin"))

    async def abandon_first() -> None:
        now = datetime.now(UTC)
        await MailMessage.update(
            {
                MailMessage.attempts: service.MAX_ATTEMPTS,
                MailMessage.claim_token: uuid.uuid4(),
                MailMessage.claimed_until: now - timedelta(seconds=1),
            }
        ).where(MailMessage.recipient == "ada@example.org")

    db.run_with_database(mail_settings, abandon_first)

    # when a deliverer runs
    deliverer = deliver(mail_settings)

    # then that message is failed without another try, and the other one goes out
    assert deliverer.sent == 1
    [abandoned, sent], _ = rows(mail_settings)
    assert abandoned["status"] == "FAILED" and "never finished" in abandoned["last_error"]
    assert sent["status"] == "SENT"
    assert [r.rcpt_tos for r in inbox.wait_for(1)] == [["lin@example.org"]]

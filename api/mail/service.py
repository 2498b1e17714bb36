"""The mail queue: `send` writes a message in the caller's transaction; deliverers claim due
messages one at a time under a lease and record how each attempt ended.

Claiming is a compare-and-set in one write transaction: on PostgreSQL the candidate row is
locked with `FOR UPDATE SKIP LOCKED`, so concurrent deliverers take different rows without
waiting; on SQLite the transaction is IMMEDIATE, one writer at a time. A claim is a lease
(`claimed_until`): a deliverer that dies mid-send leaves a claim that ends by itself, and the
message is tried again — the same bytes, the same Message-ID, so a duplicate is recognisable.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from api.core.db import Queue, current_engine, queued, write_transaction
from api.mail.compose import Message
from api.mail.tables import AttemptOutcome, MailAttempt, MailMessage, MailStatus

#: Attempts before a message that keeps being refused for now is given up on (about half a day
#: of retries with the backoff below).
MAX_ATTEMPTS = 12
#: The first retry's delay; each later one doubles, up to `MAX_BACKOFF`, with some jitter.
FIRST_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=4)


def _now() -> datetime:
    return datetime.now(UTC)


async def send(message: Message) -> int:
    """Queue `message`; call inside the write transaction that makes it necessary, so it is
    sent if and only if that transaction commits. Returns the queue row's id."""
    assert current_engine().current_transaction.get() is not None, "outside a transaction"
    rows = await MailMessage.insert(_queued(message)).returning(MailMessage.id)
    queued(Queue.MAIL)
    return int(rows[0]["id"])


def _queued(message: Message) -> MailMessage:
    return MailMessage(
        message_id=message.message_id,
        kind=message.kind,
        sender=message.sender,
        recipient=message.recipient,
        subject=message.subject[:300],
        content=message.content,
    )


async def send_many(messages: Sequence[Message]) -> None:
    """Queue `messages` in one statement; like `send`, inside the write transaction that
    makes them necessary."""
    assert current_engine().current_transaction.get() is not None, "outside a transaction"
    if messages:
        await MailMessage.insert(*(_queued(message) for message in messages))
        queued(Queue.MAIL)


@dataclass(frozen=True)
class Claimed:
    """A message one deliverer holds until `claimed_until`, and its attempt row."""

    id: int
    message_id: str
    kind: str
    sender: str
    recipient: str
    content: str
    attempts: int
    claim_token: uuid.UUID
    claimed_until: datetime
    attempt_id: int


async def claim_next(worker: str, lease: timedelta) -> Claimed | None:
    """Claim the oldest due message for `lease`, recording the attempt; None when none is due."""
    now = _now()
    token = uuid.uuid4()
    due = (
        (MailMessage.status == MailStatus.QUEUED.value)
        & (MailMessage.next_attempt_at <= now)
        & (MailMessage.claimed_until.is_null() | (MailMessage.claimed_until < now))
    )
    # Deliverers look after every commit: a plain read first, so that a look that finds
    # nothing due takes no write lock from the requests.
    if not await MailMessage.exists().where(due):
        return None
    async with write_transaction():
        query = MailMessage.select(MailMessage.id).where(due).order_by(MailMessage.id).limit(1)
        if isinstance(current_engine(), PostgresEngine):
            query = query.lock_rows(skip_locked=True, of=(MailMessage,))
        candidate = await query.first()
        if candidate is None:
            return None
        rows = (
            await MailMessage.update(
                {
                    MailMessage.claim_token: token,
                    MailMessage.claimed_until: now + lease,
                    MailMessage.attempts: MailMessage.attempts + 1,
                }
            )
            .where((MailMessage.id == candidate["id"]) & due)
            .returning(
                MailMessage.id,
                MailMessage.message_id,
                MailMessage.kind,
                MailMessage.sender,
                MailMessage.recipient,
                MailMessage.content,
                MailMessage.attempts,
            )
        )
        if not rows:
            return None  # taken meanwhile (only possible without the row lock): next round
        row = rows[0]
        attempt = await MailAttempt.insert(
            MailAttempt(message=row["id"], worker=worker[:200], started_at=now)
        ).returning(MailAttempt.id)
    return Claimed(
        **row,
        claim_token=token,
        claimed_until=now + lease,
        attempt_id=attempt[0]["id"],
    )


async def give_up_abandoned() -> int:
    """Fail the messages whose every attempt was abandoned mid-way (the process died each
    time, say): after `MAX_ATTEMPTS` claims that ended by their lease, a message that kills
    its deliverer is no longer tried. Returns how many."""
    now = _now()
    abandoned = (
        (MailMessage.status == MailStatus.QUEUED.value)
        & (MailMessage.attempts >= MAX_ATTEMPTS)
        & (MailMessage.claimed_until < now)
    )
    if not await MailMessage.exists().where(abandoned):
        return 0
    async with write_transaction():
        rows = (
            await MailMessage.update(
                {
                    MailMessage.status: MailStatus.FAILED.value,
                    MailMessage.claim_token: None,
                    MailMessage.claimed_until: None,
                    MailMessage.last_error: f"given up: {MAX_ATTEMPTS} attempts never finished",
                }
            )
            .where(abandoned)
            .returning(MailMessage.id)
        )
    return len(rows)


async def mark_sent(claimed: Claimed, detail: str) -> None:
    """The server accepted the message: it is sent, whoever holds the claim now."""
    now = _now()
    async with write_transaction():
        await MailMessage.update(
            {
                MailMessage.status: MailStatus.SENT.value,
                MailMessage.sent_at: now,
                MailMessage.claim_token: None,
                MailMessage.claimed_until: None,
                MailMessage.last_error: "",
            }
        ).where(MailMessage.id == claimed.id)
        await _finish_attempt(claimed, AttemptOutcome.SENT, detail, now)


def backoff(attempts: int) -> timedelta:
    """The wait before the next try after `attempts` tries: 30 s, 1 min, 2 min, … 4 h, with
    up to a fifth more at random so that messages failed together do not retry together."""
    base = min(MAX_BACKOFF, FIRST_BACKOFF * (2 ** min(max(attempts - 1, 0), 20)))
    return base * (1 + random.random() / 5)  # noqa: S311 - jitter, not a secret


async def mark_failed(claimed: Claimed, detail: str, *, permanent: bool) -> MailStatus:
    """The attempt failed: try again after a backoff, or give up (a permanent refusal, or
    `MAX_ATTEMPTS` reached). Only the holder of the claim may release it."""
    now = _now()
    give_up = permanent or claimed.attempts >= MAX_ATTEMPTS
    status = MailStatus.FAILED if give_up else MailStatus.QUEUED
    async with write_transaction():
        await MailMessage.update(
            {
                MailMessage.status: status.value,
                MailMessage.next_attempt_at: now + backoff(claimed.attempts),
                MailMessage.claim_token: None,
                MailMessage.claimed_until: None,
                MailMessage.last_error: detail[:2000],
            }
        ).where(
            (MailMessage.id == claimed.id)
            & (MailMessage.claim_token == claimed.claim_token)
            & (MailMessage.status == MailStatus.QUEUED.value)
        )
        outcome = AttemptOutcome.REFUSED if give_up else AttemptOutcome.RETRY
        await _finish_attempt(claimed, outcome, detail, now)
    return status


async def _finish_attempt(
    claimed: Claimed, outcome: AttemptOutcome, detail: str, now: datetime
) -> None:
    await MailAttempt.update(
        {
            MailAttempt.finished_at: now,
            MailAttempt.outcome: outcome.value,
            MailAttempt.detail: detail[:2000],
        }
    ).where(MailAttempt.id == claimed.attempt_id)


async def queue_counts() -> dict[str, int]:
    """Messages by status, for `confrere mail status`."""
    rows: list[dict[str, Any]] = await MailMessage.raw(
        "SELECT status, COUNT(*) AS count FROM mail_message GROUP BY status"
    )
    counts = {status.value: 0 for status in MailStatus}
    counts.update({row["status"]: int(row["count"]) for row in rows})
    return counts

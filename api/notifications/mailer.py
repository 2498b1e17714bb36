"""Notifications by email: each one at once, or many in a daily or weekly digest.

`notify` writes each notification with its email plan (the recipient's choice for its kind,
`api.notifications.preferences`); the work here runs in the worker role, never in a request:

- `mail_immediate` mails the notifications planned IMMEDIATELY, one message each. A pile
  that grows while unread is mailed once.
- `mail_digest` mails, once per period, one message per person listing their unread
  notifications planned DAILY (or WEEKLY) since their last digest. The period's run is
  claimed in the database (`api.core.schedule`), so with several nodes one sends it.

Each batch claims its rows compare-and-set (`emailed_at` from null to now) in the
transaction that queues the messages: two processes never mail the same notification, and
a crash before the commit leaves it to mail again. Only verified addresses are written to
(an unverified one may be somebody else's); the others' notifications are passed over.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio

from api.core.db import write_transaction
from api.core.settings import Settings
from api.mail.compose import Message, compose
from api.mail.service import send, send_many
from api.notifications.preferences import Scope, unsubscribe_token
from api.notifications.service import NotificationRecord
from api.notifications.tables import EmailChoice, Notification, NotificationKind
from api.notifications.types import message
from api.people.tables import Account

#: Notifications mailed per round (their messages composed in one go, claimed in one
#: transaction).
BATCH = 50
#: The most notifications one digest lists; it says how many more there are.
DIGEST_LISTS = 30
#: Words for the kind, in "you get these emails for …" and the unsubscribe page.
KIND_WORDS: dict[NotificationKind, str] = {
    NotificationKind.CONNECTION_REQUESTED: "connection requests",
    NotificationKind.CONNECTION_ACCEPTED: "accepted connection requests",
    NotificationKind.MEMBERSHIP_REQUESTED: "requests to join organizations you run",
    NotificationKind.MEMBERSHIP_APPROVED: "approved memberships",
    NotificationKind.MEMBERSHIP_INVITED: "invitations to organizations",
    NotificationKind.APPLICATION_RECEIVED: "applications to your job postings",
    NotificationKind.APPLICATION_STAGE_CHANGED: "moves of your applications",
    NotificationKind.WAITLIST_PROMOTED: "seats opening at events",
    NotificationKind.EVENT_CANCELLED: "cancelled events",
    NotificationKind.POST_COMMENTED: "comments on your posts",
    NotificationKind.EVENT_UPDATED: "changes to events you are going to",
    NotificationKind.JOB_APPROVED: "approved job postings",
    NotificationKind.JOB_REJECTED: "rejected job postings",
    NotificationKind.POST_APPROVED: "approved posts",
    NotificationKind.POST_REJECTED: "rejected posts",
    NotificationKind.PERK_APPROVED: "approved perks",
    NotificationKind.PERK_REJECTED: "rejected perks",
    NotificationKind.EVENT_REMINDER: "reminders of events you are going to",
    NotificationKind.JOB_EXPIRING: "job postings about to expire",
    NotificationKind.SAVED_SEARCH_MATCHES: "new matches of your saved searches",
    NotificationKind.COMMENT_REPLIED: "replies to your comments",
    NotificationKind.MESSAGE_RECEIVED: "new messages",
}
assert set(KIND_WORDS) == set(NotificationKind), "every kind needs its words"


def _now() -> datetime:
    return datetime.now(UTC)


def unsubscribe_link(settings: Settings, account_id: int, scope: Scope) -> str:
    token = unsubscribe_token(settings.resolved_secret_key(), account_id, scope)
    return f"{settings.site_url}notifications/unsubscribe/{token}"


def _unsubscribe_headers(link: str) -> dict[str, str]:
    # RFC 2369 and RFC 8058: mail clients show an "Unsubscribe" button that POSTs to it.
    return {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


async def _claim(
    plan: EmailChoice, *, limit: int, recipients: Sequence[int] = ()
) -> list[NotificationRecord]:
    """Claim up to `limit` notifications planned `plan` and not emailed yet (of
    `recipients`, when given); the caller's transaction mails them or rolls the claim back."""
    condition = (Notification.email_plan == plan.value) & Notification.emailed_at.is_null()
    if recipients:
        condition &= Notification.recipient.is_in(list(recipients))
    rows = (
        await Notification.select(Notification.id)
        .where(condition)
        .order_by(Notification.id)
        .limit(limit)
    )
    if not rows:
        return []
    claimed = (
        await Notification.update({Notification.emailed_at: _now()})
        .where(
            Notification.id.is_in([row["id"] for row in rows]) & Notification.emailed_at.is_null()
        )
        .returning(*Notification.all_columns())
    )
    return sorted((NotificationRecord.from_row(row) for row in claimed), key=lambda r: r.id)


async def _people(ids: set[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    rows = await Account.select(
        Account.id, Account.email, Account.name, Account.email_verified_at
    ).where(Account.id.is_in(sorted(ids)))
    return {row["id"]: row for row in rows}


def _words(record: NotificationRecord, people: dict[int, dict[str, Any]]) -> str:
    actor = people.get(record.actor) if record.actor is not None else None
    return message(record, actor["name"] if actor else None)


def _mailed_words(record: NotificationRecord, people: dict[int, dict[str, Any]]) -> str:
    """What an email says of the notification: its words, and for a message its first
    line (never more of it)."""
    words = _words(record, people)
    if record.kind is NotificationKind.MESSAGE_RECEIVED and record.detail:
        return f"{words}: “{record.detail}”"
    return words


async def mail_immediate(settings: Settings) -> int:
    """Mail one batch of the notifications planned IMMEDIATELY; how many were handled (0:
    nothing waits).

    The messages are composed first, in a worker thread and outside any transaction (a
    batch is a fraction of a second of CPU: neither the event loop nor SQLite's write lock
    waits for it); then one short transaction claims the notifications, compare-and-set,
    and queues the messages of those it claimed.

    New messages (MESSAGE_RECEIVED) wait `settings.message_email_delay_seconds` after the
    latest one, and go only while unread: reading the conversation by then means no email.
    """
    held = _now() - timedelta(seconds=settings.message_email_delay_seconds)
    waiting = (
        await Notification.select()
        .where(
            (Notification.email_plan == EmailChoice.IMMEDIATELY.value)
            & Notification.emailed_at.is_null()
            & (
                (Notification.kind != NotificationKind.MESSAGE_RECEIVED.value)
                | ((Notification.created_at <= held) & Notification.read_at.is_null())
            )
        )
        .order_by(Notification.id)
        .limit(BATCH)
    )
    if not waiting:
        return 0
    records = [NotificationRecord.from_row(row) for row in waiting]
    people = await _people(
        {r.recipient for r in records} | {r.actor for r in records if r.actor is not None}
    )

    def composed() -> dict[int, Message]:
        messages = {}
        for record in records:
            person = people.get(record.recipient)
            if person is None or person["email_verified_at"] is None:
                continue  # nowhere safe to send it; it stays in the app
            words = _words(record, people)
            said = _mailed_words(record, people)
            link = unsubscribe_link(settings, record.recipient, record.kind)
            messages[record.id] = compose(
                settings,
                "notification",
                to_address=person["email"],
                to_name=person["name"],
                subject=words,
                context={
                    "message": said,
                    "kind_words": KIND_WORDS[record.kind],
                    "unsubscribe_link": link,
                },
                headers=_unsubscribe_headers(link),
            )
        return messages

    messages = await anyio.to_thread.run_sync(composed)
    async with write_transaction():
        claimed = (
            await Notification.update({Notification.emailed_at: _now()})
            .where(
                Notification.id.is_in([r.id for r in records])
                & Notification.emailed_at.is_null()
                # a choice changed meanwhile (NEVER, a digest) wins
                & (Notification.email_plan == EmailChoice.IMMEDIATELY.value)
                # so does reading the messages meanwhile
                & (
                    (Notification.kind != NotificationKind.MESSAGE_RECEIVED.value)
                    | Notification.read_at.is_null()
                )
            )
            .returning(Notification.id)
        )
        await send_many([messages[row["id"]] for row in claimed if row["id"] in messages])
    return len(records)


def digest_period(frequency: EmailChoice, now: datetime) -> str:
    """The period a digest run covers: the day, or the ISO week."""
    if frequency is EmailChoice.WEEKLY:
        year, week, _ = now.isocalendar()
        return f"{year}-W{week:02d}"
    return now.date().isoformat()


async def _digest_recipients(frequency: EmailChoice, after: int) -> list[int]:
    rows = await Notification.raw(
        "SELECT DISTINCT recipient FROM notification "
        "WHERE email_plan = {} AND emailed_at IS NULL AND recipient > {} "
        "ORDER BY recipient LIMIT {}",
        frequency.value,
        after,
        BATCH,
    )
    return [int(row["recipient"]) for row in rows]


async def mail_digest(settings: Settings, frequency: EmailChoice) -> int:
    """Mail one digest to each person with notifications planned `frequency` that wait;
    how many digests went. Notifications read in the app meanwhile are not listed again."""
    sent, after = 0, 0
    while recipients := await _digest_recipients(frequency, after):
        after = recipients[-1]
        async with write_transaction():
            claimed = await _claim(frequency, limit=1_000_000, recipients=recipients)
            by_recipient: dict[int, list[NotificationRecord]] = defaultdict(list)
            for record in claimed:
                if record.read_at is None:
                    by_recipient[record.recipient].append(record)
            people = await _people(
                set(by_recipient)
                | {r.actor for r in claimed if r.actor is not None and r.read_at is None}
            )
            for recipient, records in by_recipient.items():
                person = people.get(recipient)
                if person is None or person["email_verified_at"] is None:
                    continue
                records.sort(key=lambda r: r.created_at, reverse=True)
                kinds = sorted({r.kind for r in records}, key=lambda kind: kind.value)
                links = [
                    (KIND_WORDS[kind], unsubscribe_link(settings, recipient, kind))
                    for kind in kinds
                ]
                count = sum(1 for _ in records)
                await send(
                    compose(
                        settings,
                        "notification_digest",
                        to_address=person["email"],
                        to_name=person["name"],
                        subject=f"{count} new notification{'s' if count != 1 else ''} "
                        f"({'this week' if frequency is EmailChoice.WEEKLY else 'today'})",
                        context={
                            "messages": [_words(r, people) for r in records[:DIGEST_LISTS]],
                            "more": max(0, count - DIGEST_LISTS),
                            "unsubscribe_links": links,
                            "weekly": frequency is EmailChoice.WEEKLY,
                        },
                        # The mail client's button turns this digest off as a whole.
                        headers=_unsubscribe_headers(
                            unsubscribe_link(settings, recipient, frequency)
                        ),
                    )
                )
                sent += 1
    return sent


async def prune_read(older_than: timedelta) -> int:
    """Delete notifications read more than `older_than` ago; how many went."""
    async with write_transaction():
        gone = (
            await Notification.delete()
            .where(Notification.read_at < _now() - older_than)
            .returning(Notification.id)
        )
    return len(gone)

"""Notifications: written by `notify` inside the write that causes them, read and marked read
by their recipient.

Every capability tells people what concerns them through `notify`, in its own write
transaction, so a notification exists exactly when the change that caused it does. Later
routes (email, digests, live updates) hang off `notify`, not off its callers.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum

from piccolo.columns.combination import Where

from api.core import live
from api.core.db import Queue, current_engine, queued, write_transaction
from api.core.errors import FieldError, InvalidInput
from api.core.pagination import DeferredCount, Page, cursor_text, not_a_cursor, page_size
from api.core.records import Record
from api.core.types import row_id
from api.core.viewer import Viewer
from api.notifications.preferences import email_choices
from api.notifications.tables import (
    EmailChoice,
    Notification,
    NotificationFanout,
    NotificationKind,
    NotificationPreference,
)
from api.people.tables import PersonBlock

#: Rows per statement when one change tells many people (an event of 5,000 RSVPs): the
#: bound parameters stay far below SQLite's and PostgreSQL's limits.
_INSERT_BATCH = 500
#: The most people `notify` tells inside the change's own transaction; more are told by the
#: worker role, a batch per transaction.
INLINE_RECIPIENTS = 100
#: People told per transaction of the worker role: small enough that requests in between
#: wait little (a batch holds the event loop and SQLite's write lock for a few milliseconds).
TELL_BATCH = 200
_CURSOR_PREFIX = "notification:"


class NotificationErrorCode(Enum):
    NOT_FOUND = "NOT_FOUND"
    INVALID_CHARACTERS = "INVALID_CHARACTERS"


@dataclass(frozen=True)
class Subject:
    """What a notification is about: a Relay type name and a database id, with the name it
    goes by now ("Backend Engineer") for the message."""

    type: str
    id: int
    title: str = ""


@dataclass(frozen=True)
class NotificationRecord(Record):
    id: int
    recipient: int
    kind: NotificationKind
    actor: int | None
    subject_type: str
    subject_id: int
    subject_title: str
    detail: str
    occurrences: int
    created_at: datetime
    read_at: datetime | None


def _now() -> datetime:
    return datetime.now(UTC)


def group_key(kind: NotificationKind, subject: Subject) -> str:
    """The pile a notification joins while unread: one per kind and subject."""
    return f"{kind.value}:{subject.type}:{subject.id}"


async def _blocked_with(actor: int, recipients: list[int]) -> set[int]:
    """The recipients who blocked the actor or whom the actor blocked, in one query."""
    rows = await PersonBlock.select(PersonBlock.blocker, PersonBlock.blocked).where(
        ((PersonBlock.blocker == actor) & PersonBlock.blocked.is_in(recipients))
        | ((PersonBlock.blocked == actor) & PersonBlock.blocker.is_in(recipients))
    )
    return {row["blocked"] if row["blocker"] == actor else row["blocker"] for row in rows}


async def notify(
    kind: NotificationKind,
    *,
    recipients: Iterable[int],
    actor: int | None,
    subject: Subject,
    detail: str = "",
    mail_again: bool = False,
) -> int:
    """Tell each of `recipients` that `actor` (None: nobody in particular) did `kind` to
    `subject`. Call it inside the write transaction of the change it reports.

    The actor is never told of their own act, and nobody is told of, or by, someone on the
    other side of a block. A recipient with an unread notification of the same kind about
    the same subject has it bumped (count + 1, now, the latest actor and detail) instead of a
    new one; `mail_again`: a bumped one that was emailed is emailed again (an alert is news
    each time, not one more of the same). Up to INLINE_RECIPIENTS people are told in the
    transaction itself; a crowd is recorded in it and told by the worker role moments later
    (`tell_waiting`), a batch per transaction, so the change commits at once. Returns how
    many are to be told (before blocks are taken out).
    """
    assert current_engine().current_transaction.get() is not None, "outside a transaction"
    told = sorted({r for r in recipients if r is not None and r != actor})
    if told:
        queued(Queue.NOTIFICATIONS)  # to tell, or to email
    if len(told) > INLINE_RECIPIENTS and not mail_again:  # alerts go to one person each
        await NotificationFanout.insert(
            NotificationFanout(
                kind=kind.value,
                actor=actor,
                subject_type=subject.type,
                subject_id=subject.id,
                subject_title=subject.title[:200],
                detail=detail[:200],
                recipients=json.dumps(told),
            )
        )
    elif told:
        await _tell(kind, told, actor=actor, subject=subject, detail=detail, mail_again=mail_again)
    return len(told)


async def tell_waiting(limit: int = TELL_BATCH) -> int:
    """Tell the next batch of the oldest crowd waiting (`notify`); how many were told (0:
    none waits). Two workers never tell the same batch: the batch is claimed
    compare-and-set on the count told, in the transaction that tells it."""
    # Read first: most rounds find nothing, and need not take SQLite's write lock for that.
    row = await NotificationFanout.select().order_by(NotificationFanout.id).first()
    if row is None:
        return 0
    async with write_transaction():
        everyone = json.loads(row["recipients"])
        start = row["told"]
        batch = everyone[start : start + limit]
        if start + len(batch) >= len(everyone):
            claimed = (
                await NotificationFanout.delete()
                .where((NotificationFanout.id == row["id"]) & (NotificationFanout.told == start))
                .returning(NotificationFanout.id)
            )
        else:
            claimed = (
                await NotificationFanout.update({NotificationFanout.told: start + len(batch)})
                .where((NotificationFanout.id == row["id"]) & (NotificationFanout.told == start))
                .returning(NotificationFanout.id)
            )
        if not claimed:
            return 0  # another worker took this batch; the next call takes the next one
        await _tell(
            NotificationKind(row["kind"]),
            batch,
            actor=row["actor"],
            subject=Subject(row["subject_type"], row["subject_id"], row["subject_title"]),
            detail=row["detail"],
        )
    return len(batch)


async def _tell(
    kind: NotificationKind,
    told: list[int],
    *,
    actor: int | None,
    subject: Subject,
    detail: str,
    mail_again: bool = False,
) -> None:
    """Write (or bump) the notification of each of `told`, blocks left out, and publish it
    to their live subscriptions at the commit."""
    if actor is not None:
        blocked: set[int] = set()
        for start in range(0, len(told), _INSERT_BATCH):  # one query unless thousands
            blocked |= await _blocked_with(actor, told[start : start + _INSERT_BATCH])
        told = [r for r in told if r not in blocked]
    if not told:
        return
    key = group_key(kind, subject)
    now = _now()
    piles: dict[int, int] = {}
    for start in range(0, len(told), _INSERT_BATCH):
        chunk = told[start : start + _INSERT_BATCH]
        found = await Notification.select(Notification.id, Notification.recipient).where(
            Notification.recipient.is_in(chunk)
            & (Notification.group_key == key)
            & Notification.read_at.is_null()
        )
        piles.update({row["recipient"]: row["id"] for row in found})
    if piles:
        for start in range(0, len(piles), _INSERT_BATCH):
            ids = list(piles.values())[start : start + _INSERT_BATCH]
            await Notification.update(
                {
                    Notification.occurrences: Notification.occurrences + 1,
                    Notification.created_at: now,
                    Notification.actor: actor,
                    Notification.subject_title: subject.title[:200],
                    Notification.detail: detail[:200],
                }
            ).where(Notification.id.is_in(ids))
            if mail_again:
                await Notification.update({Notification.emailed_at: None}).where(
                    Notification.id.is_in(ids)
                    & (Notification.email_plan != EmailChoice.NEVER.value)
                )
    fresh = [r for r in told if r not in piles]
    plans: dict[int, EmailChoice] = {}
    for start in range(0, len(fresh), _INSERT_BATCH):
        plans |= await email_choices(kind, fresh[start : start + _INSERT_BATCH])
    for start in range(0, len(fresh), _INSERT_BATCH):
        await Notification.insert(
            *(
                Notification(
                    recipient=recipient,
                    kind=kind.value,
                    actor=actor,
                    subject_type=subject.type,
                    subject_id=subject.id,
                    subject_title=subject.title[:200],
                    detail=detail[:200],
                    group_key=key,
                    occurrences=1,
                    created_at=now,
                    email_plan=plans[recipient].value,
                    # Never to be emailed: passed over at once, whatever is chosen later.
                    emailed_at=now if plans[recipient] is EmailChoice.NEVER else None,
                )
                for recipient in fresh[start : start + _INSERT_BATCH]
            )
        )
    await live.publish_many((live_topic(recipient), {"group": key}) for recipient in told)


def live_topic(account_id: int) -> str:
    """Where an account's subscriptions hear of its notifications (api/core/live.py)."""
    return f"notifications:{account_id}"


# --- reading ------------------------------------------------------------------------------


def encode_cursor(record: NotificationRecord) -> str:
    text = f"{_CURSOR_PREFIX}{record.created_at.isoformat()}|{record.id}"
    return base64.urlsafe_b64encode(text.encode()).decode()


def _decode_cursor(cursor: str) -> tuple[datetime, int]:
    moment, _, number = cursor_text(cursor, _CURSOR_PREFIX).partition("|")
    notification_id = row_id(number)
    try:
        created_at = datetime.fromisoformat(moment)
    except ValueError:
        raise not_a_cursor() from None
    if notification_id is None or created_at.tzinfo is None:
        raise not_a_cursor()
    return created_at, notification_id


def _mine(me: int, unread_only: bool) -> Where:
    condition = Notification.recipient == me
    if unread_only:
        condition &= Notification.read_at.is_null()
    return condition


async def notifications_page(
    viewer: Viewer, *, unread_only: bool, first: int | None, after: str | None
) -> Page:
    """The viewer's notifications, newest first (a bumped pile moves to the top)."""
    me = viewer.require_account()
    size = page_size(first)
    query = (
        Notification.select()
        .where(_mine(me, unread_only))
        .order_by(Notification.created_at, Notification.id, ascending=False)
        .limit(size + 1)
    )
    if after:
        created_at, notification_id = _decode_cursor(after)
        query = query.where(
            (Notification.created_at < created_at)
            | ((Notification.created_at == created_at) & (Notification.id < notification_id))
        )
    rows = await query.run() if size else []
    return Page(
        rows=[NotificationRecord.from_row(row) for row in rows[:size]],
        total_count=DeferredCount(Notification.count().where(_mine(me, unread_only)).run),
        has_next_page=len(rows) > size,
        has_previous_page=after is not None,
    )


async def own_notifications(viewer: Viewer, ids: list[int]) -> dict[int, NotificationRecord]:
    """The viewer's notifications among `ids`; nobody else's, and nothing when signed out."""
    if viewer.account_id is None or not ids:
        return {}
    rows = await Notification.select().where(
        Notification.id.is_in(ids) & (Notification.recipient == viewer.account_id)
    )
    return {row["id"]: NotificationRecord.from_row(row) for row in rows}


async def unread_in_group(viewer: Viewer, group: str) -> NotificationRecord | None:
    """The viewer's unread notification of one pile (what a live event names), if any."""
    me = viewer.require_account()
    row = (
        await Notification.select()
        .where(_mine(me, unread_only=True) & (Notification.group_key == group))
        .order_by(Notification.created_at, ascending=False)
        .first()
    )
    return NotificationRecord.from_row(row) if row else None


async def unread_count(viewer: Viewer) -> int:
    me = viewer.require_account()
    return int(await Notification.count().where(_mine(me, unread_only=True)))


async def mark_read(viewer: Viewer, *, ids: Sequence[int | None], everything: bool) -> int:
    """Mark the viewer's notifications read: those of `ids`, or all of them. An id that
    names no notification of the viewer's changes nothing at all (NOT_FOUND). Returns how
    many were unread and are read now."""
    me = viewer.require_account()
    wanted = sorted({i for i in ids if i is not None})
    async with write_transaction():
        if not everything:
            owned = (
                await Notification.select(Notification.id).where(
                    Notification.id.is_in(wanted) & (Notification.recipient == me)
                )
                if wanted
                else []
            )
            if None in ids or len(owned) != len(wanted):
                raise InvalidInput(
                    FieldError(
                        "ids",
                        NotificationErrorCode.NOT_FOUND,
                        "Some of these ids name no notification of yours; nothing was marked.",
                    )
                )
            if not wanted:
                return 0
        condition = _mine(me, unread_only=True)
        if not everything:
            condition &= Notification.id.is_in(wanted)
        moved = (
            await Notification.update({Notification.read_at: _now()})
            .where(condition)
            .returning(Notification.id)
        )
        if moved:
            await live.publish(live_topic(me), {"read": len(moved)})
    return len(moved)


async def mark_subject_read(account_id: int, kind: NotificationKind, subject: Subject) -> int:
    """Inside a write transaction: the account's unread notification of `kind` about
    `subject` is read now (a conversation read in full clears its MESSAGE_RECEIVED)."""
    moved = (
        await Notification.update({Notification.read_at: _now()})
        .where(
            (Notification.recipient == account_id)
            & (Notification.group_key == group_key(kind, subject))
            & Notification.read_at.is_null()
        )
        .returning(Notification.id)
    )
    if moved:
        await live.publish(live_topic(account_id), {"read": len(moved)})
    return len(moved)


async def retell(kind: NotificationKind, subject: Subject, detail: str) -> int:
    """Inside a write transaction: the unread notifications of `kind` about `subject` not
    emailed yet say `detail` now (a message edited or deleted: what an email shows of it
    stays true); how many."""
    moved = (
        await Notification.update({Notification.detail: detail[:200]})
        .where(
            (Notification.group_key == group_key(kind, subject))
            & Notification.read_at.is_null()
            & Notification.emailed_at.is_null()
        )
        .returning(Notification.id)
    )
    return len(moved)


async def forget_person(account_id: int) -> None:
    """Account erasure: the person's own notifications go, and they are nobody's actor any
    more. Runs in the erasure's transaction."""
    await Notification.delete().where(Notification.recipient == account_id)
    await Notification.update({Notification.actor: None}).where(Notification.actor == account_id)
    await NotificationPreference.delete().where(NotificationPreference.account == account_id)
    await NotificationFanout.update({NotificationFanout.actor: None}).where(
        NotificationFanout.actor == account_id
    )

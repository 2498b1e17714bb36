"""Abuse: a participant reports a conversation to staff; staff dismiss the report or
suspend messaging for the person reported (and may lift a suspension later).

Staff read what the reporter showed them: the conversation's latest messages as they were
when it was reported (`excerpt`), never the live conversation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from api.core.db import write_transaction
from api.core.errors import FieldError, InvalidInput
from api.core.lifecycle import Lifecycle, Move
from api.core.pagination import DeferredCount, Page, decode_cursor, page_size
from api.core.records import Record
from api.core.viewer import Viewer
from api.messaging.access import MessagingErrorCode
from api.messaging.tables import (
    ConversationReport,
    Message,
    MessagingSuspension,
    Participant,
    ReportReason,
    ReportStatus,
)
from api.people.tables import Account

#: How many of the latest messages a report shows staff.
EXCERPT_MESSAGES = 20
MAX_DETAILS_LENGTH = 1000

REPORTS: Lifecycle[ReportStatus] = Lifecycle(
    ConversationReport,
    noun="report",
    field="reportId",
    code=MessagingErrorCode.ILLEGAL_TRANSITION,
    moves=[
        Move("dismiss", {ReportStatus.OPEN}, ReportStatus.DISMISSED),
        Move("suspend", {ReportStatus.OPEN}, ReportStatus.SUSPENDED),
    ],
)


@dataclass(frozen=True)
class ReportRecord(Record):
    id: int
    conversation: int | None
    reporter: int
    reported: int
    reason: ReportReason
    details: str
    excerpt: list[dict[str, Any]]
    status: ReportStatus
    resolved_at: datetime | None
    created_at: datetime


def _now() -> datetime:
    return datetime.now(UTC)


def suspended() -> InvalidInput:
    return InvalidInput(
        FieldError(
            None,
            MessagingErrorCode.MESSAGING_SUSPENDED,
            "Staff suspended messaging for your account.",
        )
    )


async def require_not_suspended(account_id: int) -> None:
    """MESSAGING_SUSPENDED when staff suspended the account's messaging."""
    if await MessagingSuspension.exists().where(MessagingSuspension.account == account_id):
        raise suspended()


async def report_conversation(
    viewer: Viewer, conversation_id: int, person_id: int, reason: ReportReason, details: str
) -> ReportRecord:
    """A participant reports another participant of a conversation to staff."""
    me = viewer.require_account()
    people = {
        row["account"]: row
        for row in await Participant.select(Participant.account).where(
            Participant.conversation == conversation_id
        )
    }
    if me not in people:
        raise InvalidInput(
            FieldError(
                "conversationId",
                MessagingErrorCode.NOT_FOUND,
                "No conversation of yours has this id.",
            )
        )
    if person_id == me or person_id not in people:
        raise InvalidInput(
            FieldError(
                "personId",
                MessagingErrorCode.NOT_FOUND,
                "Name another person in the conversation.",
            )
        )
    if len(details) > MAX_DETAILS_LENGTH:
        raise InvalidInput(
            FieldError(
                "details",
                MessagingErrorCode.MESSAGE_TOO_LONG,
                f"Keep the details to {MAX_DETAILS_LENGTH} characters.",
            )
        )
    latest = (
        await Message.select(
            Message.author,
            Message.author.name.as_alias("name"),
            Message.body,
            Message.created_at,
            Message.deleted_at,
        )
        .where(Message.conversation == conversation_id)
        .order_by(Message.id, ascending=False)
        .limit(EXCERPT_MESSAGES)
    )
    excerpt = [
        {
            "author": row["author"],
            "name": row["name"] or "",
            "body": "" if row["deleted_at"] else row["body"],
            "createdAt": row["created_at"].isoformat(),
        }
        for row in reversed(latest)
    ]
    async with write_transaction():
        [row] = await ConversationReport.insert(
            ConversationReport(
                conversation=conversation_id,
                reporter=me,
                reported=person_id,
                reason=reason.value,
                details=details.strip(),
                excerpt=json.dumps(excerpt),
            )
        ).returning(*ConversationReport.all_columns())
    return ReportRecord.from_row(row)


async def reports_page(
    viewer: Viewer, status: ReportStatus, *, first: int | None, after: str | None
) -> Page:
    """Staff: reports in `status`, oldest first."""
    viewer.require_staff()
    size = page_size(first)
    query = (
        ConversationReport.select()
        .where(ConversationReport.status == status.value)
        .order_by(ConversationReport.id)
        .limit(size + 1)
    )
    if after:
        query = query.where(ConversationReport.id > decode_cursor(after))
    rows = await query if size else []
    return Page(
        rows=[ReportRecord.from_row(row) for row in rows[:size]],
        total_count=DeferredCount(
            ConversationReport.count().where(ConversationReport.status == status.value).run
        ),
        has_next_page=len(rows) > size,
        has_previous_page=bool(after),
    )


async def resolve_report(viewer: Viewer, report_id: int, suspend: bool) -> ReportRecord:
    """Staff: dismiss a report, or suspend messaging for the person it is about."""
    staff = viewer.require_staff()
    found = (
        await ConversationReport.select(ConversationReport.status)
        .where(ConversationReport.id == report_id)
        .first()
    )
    if found is None:
        raise InvalidInput(
            FieldError("reportId", MessagingErrorCode.NOT_FOUND, "No report has this id.")
        )
    verb = "suspend" if suspend else "dismiss"
    REPORTS.check(verb, found["status"])
    async with write_transaction():
        row = await REPORTS.apply(
            verb,
            report_id,
            values={
                ConversationReport.resolved_by: staff,
                ConversationReport.resolved_at: _now(),
            },
        )
        if suspend and not await MessagingSuspension.exists().where(
            MessagingSuspension.account == row["reported"]
        ):
            await MessagingSuspension.insert(
                MessagingSuspension(account=row["reported"], report=report_id, suspended_by=staff)
            )
    return ReportRecord.from_row(row)


async def lift_suspension(viewer: Viewer, account_id: int) -> bool:
    """Staff: the account may message again. Whether it was suspended."""
    viewer.require_staff()
    if not await Account.exists().where(Account.id == account_id):
        raise InvalidInput(
            FieldError("personId", MessagingErrorCode.NOT_FOUND, "No person has this id.")
        )
    async with write_transaction():
        lifted = (
            await MessagingSuspension.delete()
            .where(MessagingSuspension.account == account_id)
            .returning(MessagingSuspension.id)
        )
    return bool(lifted)

"""Messaging: conversations, messages, message requests, read state, archive and mute.

Who may start a conversation is decided in `api.messaging.access`. Every write publishes
on the conversation's live topic when it commits (`messageAdded`), and tells the other
participants who have not muted the conversation (MESSAGE_RECEIVED, one notification per
conversation while it stays unread).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from api.core import live
from api.core.db import current_engine, is_unique_violation, write_transaction
from api.core.errors import FieldError, InvalidInput
from api.core.lifecycle import Lifecycle, Move
from api.core.markup import render_markdown_off_loop
from api.core.pagination import DeferredCount, Page, decode_cursor, page_size
from api.core.records import Record
from api.core.settings import Settings
from api.core.viewer import Viewer
from api.jobs.applications import visible_applications
from api.messaging.access import (
    MessagingErrorCode,
    audiences_of,
    may_message,
    unreachable,
)
from api.messaging.reports import require_not_suspended
from api.messaging.tables import (
    Conversation,
    ConversationKind,
    Message,
    MessagingAudience,
    MessagingPreference,
    Participant,
    ParticipantRole,
    RequestStatus,
)
from api.networks.service import admin_ids
from api.networks.tables import Organization
from api.notifications.service import Subject, mark_subject_read, notify, retell
from api.notifications.tables import NotificationKind
from api.people.audience import circle_of
from api.people.tables import PersonBlock
from api.people.throttle import Limit, Throttled, reserve
from api.people.verified import require_verified_email

#: The most people in one conversation, its starter included.
MAX_PARTICIPANTS = 20
MAX_MESSAGE_LENGTH = 10_000
#: How long after sending its author may edit a message.
EDIT_WINDOW = timedelta(minutes=15)
#: The window of an employer's quota of message requests.
QUOTA_WINDOW = timedelta(days=7)
_MINUTE = timedelta(minutes=1)
_HOUR = timedelta(hours=1)

_PENDING = RequestStatus.PENDING.value
_DECLINED = RequestStatus.DECLINED.value
_ACCEPTED = RequestStatus.ACCEPTED.value

REQUESTS: Lifecycle[RequestStatus] = Lifecycle(
    Participant,
    noun="message request",
    field="conversationId",
    code=MessagingErrorCode.ILLEGAL_TRANSITION,
    status_column="request_status",
    moves=[
        Move("accept", {RequestStatus.PENDING, RequestStatus.DECLINED}, RequestStatus.ACCEPTED),
        Move("decline", {RequestStatus.PENDING}, RequestStatus.DECLINED),
    ],
)


@dataclass(frozen=True)
class ConversationRecord(Record):
    """A conversation as one participant (the viewer) sees it."""

    id: int
    kind: ConversationKind
    organization: int | None
    application: int | None
    is_request: bool
    created_at: datetime
    last_message_at: datetime
    last_message_id: int
    archived: bool
    muted: bool
    request_status: RequestStatus
    """The viewer's own: PENDING while they have not answered a message request."""
    last_read_message_id: int


@dataclass(frozen=True)
class ParticipantRecord(Record):
    conversation: int
    account: int
    role: ParticipantRole
    request_status: RequestStatus
    joined_at: datetime


@dataclass(frozen=True)
class MessageRecord(Record):
    id: int
    conversation: int
    author: int | None
    body: str
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    deleted_at: datetime | None


@dataclass(frozen=True)
class RequestQuota:
    """An employer's message requests: how many it may send in any 7 days, and has."""

    organization: int
    limit: int
    used: int


def _now() -> datetime:
    return datetime.now(UTC)


def live_topic(conversation_id: int) -> str:
    """Where `messageAdded` subscriptions of a conversation hear of its messages."""
    return f"conversation:{conversation_id}"


_VIEWED = (
    Participant.conversation.as_alias("id"),
    Participant.conversation.kind.as_alias("kind"),
    Participant.conversation.organization.as_alias("organization"),
    Participant.conversation.application.as_alias("application"),
    Participant.conversation.is_request.as_alias("is_request"),
    Participant.conversation.created_at.as_alias("created_at"),
    Participant.conversation.last_message_at.as_alias("last_message_at"),
    Participant.conversation.last_message_id.as_alias("last_message_id"),
    Participant.archived,
    Participant.muted,
    Participant.request_status,
    Participant.last_read_message_id,
)


def _not_found(field: str = "conversationId") -> InvalidInput:
    return InvalidInput(
        FieldError(field, MessagingErrorCode.NOT_FOUND, "No conversation of yours has this id.")
    )


async def visible_conversations(viewer: Viewer, ids: list[int]) -> dict[int, ConversationRecord]:
    """The conversations among `ids` the viewer takes part in: one query."""
    if viewer.account_id is None or not ids:
        return {}
    rows = await Participant.select(*_VIEWED).where(
        (Participant.account == viewer.account_id) & Participant.conversation.is_in(ids)
    )
    return {row["id"]: ConversationRecord.from_row(row) for row in rows}


async def _own_conversation(viewer: Viewer, conversation_id: int) -> ConversationRecord:
    found = (await visible_conversations(viewer, [conversation_id])).get(conversation_id)
    if found is None:
        raise _not_found()
    return found


def _check_body(body: str, field: str) -> str:
    text = body.strip()
    if not text:
        raise InvalidInput(FieldError(field, MessagingErrorCode.EMPTY_MESSAGE, "Write a message."))
    if len(text) > MAX_MESSAGE_LENGTH:
        raise InvalidInput(
            FieldError(
                field,
                MessagingErrorCode.MESSAGE_TOO_LONG,
                f"Keep a message to {MAX_MESSAGE_LENGTH} characters.",
            )
        )
    return text


async def _throttle(settings: Settings, account_id: int, *, starting: bool, field: str) -> None:
    """Count one message (and one new conversation, when `starting`) of the sender against
    the server's limits; TOO_MANY_MESSAGES past them."""
    limits = [Limit(f"messages of {account_id}", settings.messages_per_minute, _MINUTE)]
    if starting:
        limits.append(
            Limit(f"conversations of {account_id}", settings.conversations_per_hour, _HOUR)
        )
    try:
        await reserve(limits)
    except Throttled as throttled:
        raise InvalidInput(
            FieldError(
                field,
                MessagingErrorCode.TOO_MANY_MESSAGES,
                f"You are writing faster than this server allows; try again in "
                f"{throttled.wait_words}.",
            )
        ) from None


def _direct_key(first: int, second: int) -> str:
    low, high = sorted((first, second))
    return f"{low}:{high}"


async def start_conversation(
    viewer: Viewer,
    settings: Settings,
    participant_ids: list[int],
    message: str,
    *,
    organization_id: int | None = None,
    _retrying: bool = False,
) -> ConversationRecord:
    """Start a conversation with `participant_ids` (one: DIRECT, or a message request from a
    verified employer; several: GROUP) with a first message. Two people have one DIRECT
    conversation: starting it again adds the message to it."""
    me = viewer.require_account()
    others = sorted(set(participant_ids))
    if not others:
        raise InvalidInput(
            FieldError(
                "participantIds", MessagingErrorCode.NO_PARTICIPANTS, "Name who to write to."
            )
        )
    if len(others) + 1 > MAX_PARTICIPANTS:
        raise InvalidInput(
            FieldError(
                "participantIds",
                MessagingErrorCode.TOO_MANY_PARTICIPANTS,
                f"A conversation holds at most {MAX_PARTICIPANTS} people, you included.",
            )
        )
    body = _check_body(message, "message")
    await require_verified_email(viewer, "participantIds")
    await require_not_suspended(me)
    permissions = await may_message(viewer, others, organization_id=organization_id)
    if not _retrying:
        await _throttle(settings, me, starting=True, field="participantIds")
    html = await render_markdown_off_loop(body)
    request_from = permissions[0].request_from if len(others) == 1 else None
    if len(others) == 1:
        key = _direct_key(me, others[0])
        existing = (
            await Conversation.select(Conversation.id).where(Conversation.direct_key == key).first()
        )
        if existing is not None:
            await _send(viewer, existing["id"], body, html, field="participantIds")
            return await _own_conversation(viewer, existing["id"])
    conversation_id = await _create_conversation(
        settings,
        me,
        [me, *others],
        body,
        html,
        kind=ConversationKind.DIRECT if len(others) == 1 else ConversationKind.GROUP,
        direct_key=_direct_key(me, others[0]) if len(others) == 1 else None,
        organization=request_from,
        message_request=request_from is not None,
    )
    if conversation_id is None:
        # Another request started the same two people's conversation first: write in it.
        return await start_conversation(
            viewer,
            settings,
            participant_ids,
            message,
            organization_id=organization_id,
            _retrying=True,
        )
    return await _own_conversation(viewer, conversation_id)


async def _create_conversation(
    settings: Settings,
    starter: int,
    people: list[int],
    body: str,
    html: str,
    *,
    kind: ConversationKind,
    organization: int | None = None,
    application: int | None = None,
    direct_key: str | None = None,
    message_request: bool = False,
) -> int | None:
    """Create the conversation of `people` (in the order they are listed, `starter` among
    them) with its first message, in one transaction, and return its id; None when another
    request created the same one first (the same two people's, or the same application's).
    A message request counts against the quota of the employer `organization` it is sent
    for, and the others in it are PENDING until they answer."""
    try:
        async with write_transaction():
            if message_request:
                assert organization is not None
                await _check_quota(settings, organization)
            now = _now()
            [row] = await Conversation.insert(
                Conversation(
                    kind=kind.value,
                    direct_key=direct_key,
                    application=application,
                    organization=organization,
                    is_request=message_request,
                    created_by=starter,
                    created_at=now,
                    last_message_at=now,
                )
            ).returning(Conversation.id)
            conversation_id: int = row["id"]
            await Participant.insert(
                *(
                    Participant(
                        conversation=conversation_id,
                        account=person,
                        role=(
                            ParticipantRole.STARTER if person == starter else ParticipantRole.MEMBER
                        ).value,
                        request_status=(
                            _PENDING if message_request and person != starter else _ACCEPTED
                        ),
                        joined_at=now,
                    )
                    for person in people
                )
            )
            await _add_message(conversation_id, starter, body, html, now)
    except Exception as error:
        if not is_unique_violation(error):
            raise
        return None
    return conversation_id


async def _check_quota(settings: Settings, organization_id: int) -> None:
    """QUOTA_EXCEEDED when the employer has sent its week's requests. Two recruiters of one
    employer sending at once must not both find one left: the count and the insert happen
    under the organization's row lock (SQLite: one writer at a time)."""
    if isinstance(current_engine(), PostgresEngine):
        await (
            Organization.select(Organization.id)
            .where(Organization.id == organization_id)
            .lock_rows(of=(Organization,))
        )
    used = await requests_sent(organization_id)
    if not settings.message_requests_per_week:
        raise InvalidInput(
            FieldError(
                "participantIds",
                MessagingErrorCode.QUOTA_EXCEEDED,
                "This server sends no message requests: write to people you are connected to "
                "or share an organization with.",
            )
        )
    if used >= settings.message_requests_per_week:
        raise InvalidInput(
            FieldError(
                "participantIds",
                MessagingErrorCode.QUOTA_EXCEEDED,
                f"Your organization has sent its {settings.message_requests_per_week} message "
                "requests of the past 7 days; more can go out as older ones pass 7 days.",
            )
        )


async def requests_sent(organization_id: int) -> int:
    """Message requests the employer sent in the past 7 days."""
    return int(
        await Conversation.count().where(
            (Conversation.organization == organization_id)
            & (Conversation.is_request == True)  # noqa: E712 - a Piccolo condition
            & (Conversation.created_at >= _now() - QUOTA_WINDOW)
        )
    )


async def request_quotas(viewer: Viewer, settings: Settings) -> list[RequestQuota]:
    """The message-request quota of each verified employer the viewer owns or administers."""
    circle = await circle_of(viewer)
    return [
        RequestQuota(
            organization, settings.message_requests_per_week, await requests_sent(organization)
        )
        for organization in sorted(circle.verified_employer_ids & circle.administered_ids)
    ]


#: The most of a message's first line its notification keeps (and an email shows).
FIRST_LINE = 120


def first_line(body: str) -> str:
    """The message's first non-blank line, shortened to FIRST_LINE characters: all that
    an email about it may show beside the sender's name."""
    line = next((text.strip() for text in body.splitlines() if text.strip()), "")
    return line if len(line) <= FIRST_LINE else line[: FIRST_LINE - 1].rstrip() + "…"


async def _add_message(
    conversation_id: int, author: int, body: str, html: str, now: datetime
) -> MessageRecord:
    """Write a message (inside the caller's transaction), move the conversation up, bring
    it back from the others' archives, tell them and publish it."""
    [row] = await Message.insert(
        Message(
            conversation=conversation_id, author=author, body=body, body_html=html, created_at=now
        )
    ).returning(*Message.all_columns())
    record = MessageRecord.from_row(row)
    await Conversation.update(
        {Conversation.last_message_id: record.id, Conversation.last_message_at: now}
    ).where(Conversation.id == conversation_id)
    await Participant.update({Participant.last_read_message_id: record.id}).where(
        (Participant.conversation == conversation_id) & (Participant.account == author)
    )
    await Participant.update({Participant.archived: False}).where(
        (Participant.conversation == conversation_id) & (Participant.account != author)
    )
    listeners = await Participant.select(Participant.account).where(
        (Participant.conversation == conversation_id)
        & (Participant.account != author)
        & (Participant.muted == False)  # noqa: E712 - a Piccolo condition
        & (Participant.request_status != _DECLINED)
    )
    await notify(
        NotificationKind.MESSAGE_RECEIVED,
        recipients=[row["account"] for row in listeners],
        actor=author,
        subject=Subject("Conversation", conversation_id),
        detail=first_line(body),
    )
    await live.publish(live_topic(conversation_id), {"message": record.id})
    return record


async def send_message(
    viewer: Viewer, settings: Settings, conversation_id: int, body: str
) -> MessageRecord:
    """Write in a conversation of the viewer's. Refused while a message request in it waits
    for an answer (or was declined), and between people on either side of a block."""
    text = _check_body(body, "body")
    await _throttle(settings, viewer.require_account(), starting=False, field="body")
    html = await render_markdown_off_loop(text)
    return await _send(viewer, conversation_id, text, html, field="conversationId")


async def _send(
    viewer: Viewer, conversation_id: int, body: str, html: str, *, field: str
) -> MessageRecord:
    me = viewer.require_account()
    await require_not_suspended(me)
    async with write_transaction():
        people = await Participant.select(Participant.account, Participant.request_status).where(
            Participant.conversation == conversation_id
        )
        mine = next((p for p in people if p["account"] == me), None)
        if mine is None:
            raise _not_found(field)
        if mine["request_status"] == _PENDING:
            raise InvalidInput(
                FieldError(
                    field,
                    MessagingErrorCode.REQUEST_PENDING,
                    "Accept the message request before you reply.",
                )
            )
        statuses = {p["request_status"] for p in people if p["account"] != me}
        if _DECLINED in statuses or mine["request_status"] == _DECLINED:
            raise InvalidInput(
                FieldError(
                    field, MessagingErrorCode.REQUEST_DECLINED, "This message request was declined."
                )
            )
        if _PENDING in statuses:
            raise InvalidInput(
                FieldError(
                    field,
                    MessagingErrorCode.REQUEST_PENDING,
                    "Your message request waits for an answer: you may write again once it "
                    "is accepted.",
                )
            )
        others = [p["account"] for p in people if p["account"] != me]
        if len(others) == 1 and await PersonBlock.exists().where(
            ((PersonBlock.blocker == me) & (PersonBlock.blocked == others[0]))
            | ((PersonBlock.blocker == others[0]) & (PersonBlock.blocked == me))
        ):
            raise unreachable(field)
        return await _add_message(conversation_id, me, body, html, _now())


async def _own_message(viewer: Viewer, message_id: int) -> MessageRecord:
    me = viewer.require_account()
    row = await Message.select().where(Message.id == message_id).first()
    if row is None or not await Participant.exists().where(
        (Participant.conversation == row["conversation"]) & (Participant.account == me)
    ):
        raise InvalidInput(
            FieldError(
                "messageId", MessagingErrorCode.NOT_FOUND, "No message you can see has this id."
            )
        )
    record = MessageRecord.from_row(row)
    if record.author != me:
        raise InvalidInput(
            FieldError(
                "messageId", MessagingErrorCode.NOT_AUTHOR, "Only its author may change a message."
            )
        )
    if record.deleted_at is not None:
        raise InvalidInput(
            FieldError("messageId", MessagingErrorCode.MESSAGE_DELETED, "This message was deleted.")
        )
    return record


async def edit_message(viewer: Viewer, message_id: int, body: str) -> MessageRecord:
    """Its author rewrites a message, within 15 minutes of sending it."""
    record = await _own_message(viewer, message_id)
    text = _check_body(body, "body")
    now = _now()
    if now - record.created_at > EDIT_WINDOW:
        raise InvalidInput(
            FieldError(
                "messageId",
                MessagingErrorCode.EDIT_WINDOW_PASSED,
                f"A message may be edited for {EDIT_WINDOW.seconds // 60} minutes after sending.",
            )
        )
    html = await render_markdown_off_loop(text)
    async with write_transaction():
        rows = (
            await Message.update(
                {Message.body: text, Message.body_html: html, Message.edited_at: now}
            )
            .where((Message.id == message_id) & Message.deleted_at.is_null())
            .returning(*Message.all_columns())
        )
        if not rows:
            raise InvalidInput(
                FieldError(
                    "messageId", MessagingErrorCode.MESSAGE_DELETED, "This message was deleted."
                )
            )
        await _retell_latest(record.conversation, message_id, text)
        await live.publish(live_topic(record.conversation), {"edited": message_id})
    return MessageRecord.from_row(rows[0])


async def delete_message(viewer: Viewer, message_id: int) -> MessageRecord:
    """Its author deletes a message for everyone: its body is gone; it shows as deleted."""
    record = await _own_message(viewer, message_id)
    async with write_transaction():
        rows = (
            await Message.update(
                {Message.body: "", Message.body_html: "", Message.deleted_at: _now()}
            )
            .where((Message.id == message_id) & Message.deleted_at.is_null())
            .returning(*Message.all_columns())
        )
        if not rows:
            raise InvalidInput(
                FieldError(
                    "messageId", MessagingErrorCode.MESSAGE_DELETED, "This message was deleted."
                )
            )
        await _retell_latest(record.conversation, message_id, "")
        await live.publish(live_topic(record.conversation), {"deleted": message_id})
    return MessageRecord.from_row(rows[0])


async def _retell_latest(conversation_id: int, message_id: int, body: str) -> None:
    """When the conversation's latest message changed, what its unread, unmailed
    notifications show of it (the first line) changes with it: an email never shows what
    was deleted or edited away."""
    latest = (
        await Conversation.select(Conversation.last_message_id)
        .where(Conversation.id == conversation_id)
        .first()
    )
    if latest is not None and latest["last_message_id"] == message_id:
        await retell(
            NotificationKind.MESSAGE_RECEIVED,
            Subject("Conversation", conversation_id),
            first_line(body),
        )


async def _set_own(
    viewer: Viewer, conversation_id: int, values: dict[Any, Any]
) -> ConversationRecord:
    me = viewer.require_account()
    async with write_transaction():
        moved = (
            await Participant.update(values)
            .where((Participant.conversation == conversation_id) & (Participant.account == me))
            .returning(Participant.id)
        )
        if not moved:
            raise _not_found()
    return await _own_conversation(viewer, conversation_id)


async def mark_read(viewer: Viewer, conversation_id: int) -> ConversationRecord:
    """Everything in the conversation up to its newest message is read by the viewer, and
    its MESSAGE_RECEIVED notification with it."""
    me = viewer.require_account()
    async with write_transaction():
        newest = (
            Conversation.select(Conversation.last_message_id)
            .where(Conversation.id == conversation_id)
            .first()
        )
        found = await newest
        moved = (
            await Participant.update(
                {Participant.last_read_message_id: found["last_message_id"] if found else 0}
            )
            .where((Participant.conversation == conversation_id) & (Participant.account == me))
            .returning(Participant.id)
        )
        if not moved:
            raise _not_found()
        await mark_subject_read(
            me, NotificationKind.MESSAGE_RECEIVED, Subject("Conversation", conversation_id)
        )
    return await _own_conversation(viewer, conversation_id)


async def set_archived(viewer: Viewer, conversation_id: int, archived: bool) -> ConversationRecord:
    """Archive (or bring back) a conversation for the viewer alone; a new message in it
    brings it back."""
    return await _set_own(viewer, conversation_id, {Participant.archived: archived})


async def set_muted(viewer: Viewer, conversation_id: int, muted: bool) -> ConversationRecord:
    """Mute (or unmute) a conversation for the viewer alone: no notifications of it."""
    return await _set_own(viewer, conversation_id, {Participant.muted: muted})


async def _answer_request(viewer: Viewer, conversation_id: int, verb: str) -> ConversationRecord:
    me = viewer.require_account()
    conversation = await _own_conversation(viewer, conversation_id)
    if not conversation.is_request:
        raise REQUESTS.illegal(verb, _ACCEPTED, hint=" (this conversation is no message request)")
    mine = (
        await Participant.select(Participant.id, Participant.role)
        .where((Participant.conversation == conversation_id) & (Participant.account == me))
        .first()
    )
    assert mine is not None
    if mine["role"] == ParticipantRole.STARTER.value:
        raise REQUESTS.illegal(verb, conversation.request_status.value, hint=" (you sent it)")
    REQUESTS.check(verb, conversation.request_status.value)
    await REQUESTS.apply(verb, mine["id"])
    return await _own_conversation(viewer, conversation_id)


async def accept_request(viewer: Viewer, conversation_id: int) -> ConversationRecord:
    """The candidate accepts a message request: both may write from now on."""
    return await _answer_request(viewer, conversation_id, "accept")


async def decline_request(viewer: Viewer, conversation_id: int) -> ConversationRecord:
    """The candidate declines a message request: the employer may write no more in it, and
    it leaves the candidate's list (accepting it later still may)."""
    return await _answer_request(viewer, conversation_id, "decline")


async def start_application_conversation(
    viewer: Viewer, settings: Settings, application_id: int, message: str
) -> ConversationRecord:
    """The thread of an application, between the applicant and the employer's owners and
    admins, started by either side (again: the message is added to it)."""
    me = viewer.require_account()
    body = _check_body(message, "message")
    application = (await visible_applications(viewer, [application_id])).get(application_id)
    if application is None:
        raise InvalidInput(
            FieldError(
                "applicationId",
                MessagingErrorCode.NOT_FOUND,
                "No application you can see has this id.",
            )
        )
    await _throttle(settings, me, starting=False, field="message")
    html = await render_markdown_off_loop(body)
    existing = (
        await Conversation.select(Conversation.id)
        .where(Conversation.application == application_id)
        .first()
    )
    if existing is not None:
        conversation_id = existing["id"]
        if not await Participant.exists().where(
            (Participant.conversation == conversation_id) & (Participant.account == me)
        ):
            async with write_transaction():  # an admin who joined the employer since
                await Participant.insert(Participant(conversation=conversation_id, account=me))
        await _send(viewer, conversation_id, body, html, field="applicationId")
        return await _own_conversation(viewer, conversation_id)
    people = sorted({application.applicant, me, *await admin_ids(application.organization)})
    conversation_id = await _create_conversation(
        settings,
        me,
        people,
        body,
        html,
        kind=ConversationKind.APPLICATION,
        application=application_id,
        organization=application.organization,
    )
    if conversation_id is None:
        return await start_application_conversation(viewer, settings, application_id, message)
    return await _own_conversation(viewer, conversation_id)


async def application_conversation_ids(
    viewer: Viewer, application_ids: list[int]
) -> dict[int, int]:
    """The thread of each application the viewer takes part in, by application id."""
    if viewer.account_id is None or not application_ids:
        return {}
    rows = await Participant.select(
        Participant.conversation.application.as_alias("application"),
        Participant.conversation.as_alias("conversation"),
    ).where(
        (Participant.account == viewer.account_id)
        & Participant.conversation.application.is_in(application_ids)
    )
    return {row["application"]: row["conversation"] for row in rows}


async def conversations_page(
    viewer: Viewer, *, archived: bool, first: int | None, after: str | None
) -> Page:
    """The viewer's conversations, the one with the newest message first (archived ones, or
    the others); message requests they declined are left out. One query."""
    me = viewer.require_account()
    size = page_size(first)
    before = decode_cursor(after) if after else None
    query = (
        Participant.select(*_VIEWED)
        .where(
            (Participant.account == me)
            & (Participant.archived == archived)
            & (Participant.request_status != _DECLINED)
        )
        .order_by(Participant.conversation.last_message_id, ascending=False)
        .limit(size + 1)
    )
    if before is not None:
        query = query.where(Participant.conversation.last_message_id < before)
    rows = await query if size else []
    count = Participant.count().where(
        (Participant.account == me)
        & (Participant.archived == archived)
        & (Participant.request_status != _DECLINED)
    )
    return Page(
        rows=[ConversationRecord.from_row(row) for row in rows[:size]],
        total_count=DeferredCount(count.run),
        has_next_page=len(rows) > size,
        has_previous_page=before is not None,
    )


async def messages_page(
    viewer: Viewer, conversation_id: int, *, first: int | None, after: str | None
) -> Page:
    """A conversation's messages, newest first (the viewer takes part in it)."""
    await _own_conversation(viewer, conversation_id)
    size = page_size(first)
    before = decode_cursor(after) if after else None
    query = (
        Message.select()
        .where(Message.conversation == conversation_id)
        .order_by(Message.id, ascending=False)
        .limit(size + 1)
    )
    if before is not None:
        query = query.where(Message.id < before)
    rows = await query if size else []
    return Page(
        rows=[MessageRecord.from_row(row) for row in rows[:size]],
        total_count=DeferredCount(
            Message.count().where(Message.conversation == conversation_id).run
        ),
        has_next_page=len(rows) > size,
        has_previous_page=before is not None,
    )


async def messages_by_ids(viewer: Viewer, ids: list[int]) -> dict[int, MessageRecord]:
    """The messages among `ids` in conversations the viewer takes part in: two queries."""
    if viewer.account_id is None or not ids:
        return {}
    rows = await Message.select().where(Message.id.is_in(ids))
    conversations = {row["conversation"] for row in rows}
    mine = {
        row["conversation"]
        for row in await Participant.select(Participant.conversation).where(
            (Participant.account == viewer.account_id)
            & Participant.conversation.is_in(sorted(conversations) or [0])
        )
    }
    return {row["id"]: MessageRecord.from_row(row) for row in rows if row["conversation"] in mine}


async def participants_of(conversation_ids: list[int]) -> dict[int, list[ParticipantRecord]]:
    """Each conversation's participants, in the order they joined: one query."""
    rows = (
        await Participant.select(
            Participant.conversation,
            Participant.account,
            Participant.role,
            Participant.request_status,
            Participant.joined_at,
        )
        .where(Participant.conversation.is_in(conversation_ids or [0]))
        .order_by(Participant.id)
    )
    found: dict[int, list[ParticipantRecord]] = {c: [] for c in conversation_ids}
    for row in rows:
        found[row["conversation"]].append(ParticipantRecord.from_row(row))
    return found


#: The viewer's unread messages: by others, not deleted, past the viewer's read mark.
_UNREAD = (
    "FROM participant p "
    "JOIN message m ON m.conversation = p.conversation AND m.id > p.last_read_message_id "
    "AND (m.author IS NULL OR m.author <> p.account) AND m.deleted_at IS NULL "
    "WHERE p.account = {} "
)


async def unread_counts(viewer: Viewer, conversation_ids: list[int]) -> dict[int, int]:
    """How many messages by others the viewer has not read, per conversation: one query."""
    if viewer.account_id is None or not conversation_ids:
        return {}
    placeholders = ", ".join("{}" for _ in conversation_ids)
    rows = await Participant.raw(
        "SELECT p.conversation AS conversation, COUNT(m.id) AS unread "
        + _UNREAD
        + f"AND p.conversation IN ({placeholders}) GROUP BY p.conversation",
        viewer.account_id,
        *conversation_ids,
    )
    counts = {row["conversation"]: int(row["unread"]) for row in rows}
    return {c: counts.get(c, 0) for c in conversation_ids}


async def unread_total(viewer: Viewer) -> int:
    """Unread messages over all the viewer's conversations but declined requests."""
    me = viewer.require_account()
    rows = await Participant.raw(
        "SELECT COUNT(m.id) AS unread " + _UNREAD + "AND p.request_status <> {}",
        me,
        _DECLINED,
    )
    return int(rows[0]["unread"]) if rows else 0


async def messaging_audience(viewer: Viewer) -> MessagingAudience:
    me = viewer.require_account()
    return (await audiences_of([me]))[me]


async def set_messaging_audience(viewer: Viewer, audience: MessagingAudience) -> MessagingAudience:
    """Choose who may start a conversation with the viewer."""
    me = viewer.require_account()
    async with write_transaction():
        await MessagingPreference.delete().where(MessagingPreference.account == me)
        await MessagingPreference.insert(MessagingPreference(account=me, audience=audience.value))
    return audience

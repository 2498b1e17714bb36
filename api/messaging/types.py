"""Messaging in the GraphQL schema: Conversation, Message, their inputs and payloads."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay

from api.core.context import Info
from api.core.loaders import KeyLoader
from api.core.pagination import After, Connection, First, encode_cursor
from api.core.records import LoadedNode, build
from api.core.types import UserError
from api.messaging import access, service, tables
from api.people.loaders import AccountByIdLoader, PersonByIdLoader

if TYPE_CHECKING:
    from api.networks.types import Organization
    from api.people.types import Person

ConversationKind = strawberry.enum(
    tables.ConversationKind,
    description="DIRECT: two people (or an employer's message request to a candidate). "
    "GROUP: three to twenty people. APPLICATION: an application's thread, between the "
    "applicant and the employer's owners and admins.",
)
ParticipantRole = strawberry.enum(
    tables.ParticipantRole, description="STARTER: who started the conversation; MEMBER: the others."
)
RequestStatus = strawberry.enum(
    tables.RequestStatus,
    description="A message request's answer: PENDING until the candidate accepts or declines "
    "it; ACCEPTED also for everyone in a conversation that was no request.",
)
MessagingAudience = strawberry.enum(
    tables.MessagingAudience,
    description="Who may start a conversation with you: EVERYONE signed in; your connections "
    "and fellow members of your organizations (CONNECTIONS_AND_MEMBERS, the default); or your "
    "CONNECTIONS_ONLY. Verified employers who may see a resume of yours can always send a "
    "message request, which you accept or decline; nobody you blocked, or who blocked you, "
    "can write to you.",
)
MessagingErrorCode = strawberry.enum(
    access.MessagingErrorCode,
    description="NOT_FOUND: no person you may message (or conversation or message of yours) "
    "has this id — the same answer whatever the reason. CANNOT_MESSAGE_SELF: leave yourself "
    "out of `participantIds`. TOO_MANY_PARTICIPANTS: at most 20, you included. "
    "ORGANIZATION_REQUIRED: you act for several verified employers; name one. QUOTA_EXCEEDED: "
    "the employer's message requests of the past 7 days are used up. REQUEST_PENDING / "
    "REQUEST_DECLINED: a message request waits for its answer / was declined. NOT_AUTHOR: only "
    "a message's author may change it. EDIT_WINDOW_PASSED: messages can be edited for 15 "
    "minutes. MESSAGE_DELETED: the message was deleted. ILLEGAL_TRANSITION: the request "
    "cannot move so (already answered; you sent it). TOO_MANY_MESSAGES: you are sending "
    "messages, or starting conversations, faster than the server allows; wait as the "
    "message says. MESSAGING_SUSPENDED: staff suspended messaging for your account.",
)


class ConversationByIdLoader(KeyLoader[int, service.ConversationRecord]):
    """Conversations the viewer takes part in; None for the rest."""

    async def load_batch(self, keys: list[int]) -> list[service.ConversationRecord | None]:
        found = await service.visible_conversations(self.viewer, sorted(set(keys)))
        return [found.get(key) for key in keys]


class ConversationByApplicationLoader(KeyLoader[int, service.ConversationRecord]):
    """The thread of each application, where the viewer takes part in it."""

    async def load_batch(self, keys: list[int]) -> list[service.ConversationRecord | None]:
        threads = await service.application_conversation_ids(self.viewer, sorted(set(keys)))
        found = await service.visible_conversations(self.viewer, sorted(threads.values()))
        return [found.get(threads[key]) if key in threads else None for key in keys]


class MessageByIdLoader(KeyLoader[int, service.MessageRecord]):
    """Messages of conversations the viewer takes part in; None for the rest."""

    async def load_batch(self, keys: list[int]) -> list[service.MessageRecord | None]:
        found = await service.messages_by_ids(self.viewer, sorted(set(keys)))
        return [found.get(key) for key in keys]


class UnreadCountByConversationLoader(KeyLoader[int, int]):
    async def load_batch(self, keys: list[int]) -> list[int | None]:
        found = await service.unread_counts(self.viewer, sorted(set(keys)))
        return [found.get(key, 0) for key in keys]


class ParticipantsByConversationLoader(KeyLoader[int, list[service.ParticipantRecord]]):
    async def load_batch(self, keys: list[int]) -> list[list[service.ParticipantRecord] | None]:
        found = await service.participants_of(sorted(set(keys)))
        return [found.get(key, []) for key in keys]


async def _person(info: Info, account_id: int | None) -> Person | None:
    from api.people.types import Person

    if account_id is None:
        return None
    view = await info.context.loaders.get(PersonByIdLoader).load(account_id)
    return Person.from_view(view) if view else None


async def _name(info: Info, account_id: int | None) -> str:
    if account_id is None:
        return "Someone"
    row = await info.context.loaders.get(AccountByIdLoader).load(account_id)
    return row["name"] if row and row["name"] else "Someone"


@strawberry.type(description="One person in a conversation.")
class Participant:
    account_id: strawberry.Private[int]
    role: ParticipantRole
    request_status: RequestStatus = strawberry.field(
        description="PENDING while the candidate of a message request has not answered it."
    )
    joined_at: datetime

    @strawberry.field(description="The person's id (a Person), even where their profile is hidden.")
    def person_id(self) -> relay.GlobalID:
        return relay.GlobalID("Person", str(self.account_id))

    @strawberry.field(description="Their name as they give it.")
    async def name(self, info: Info) -> str:
        return await _name(info, self.account_id)

    @strawberry.field(description="Their profile, if you may see it.")
    async def person(
        self, info: Info
    ) -> Annotated[Person, strawberry.lazy("api.people.types")] | None:
        return await _person(info, self.account_id)

    @classmethod
    def from_record(cls, record: service.ParticipantRecord) -> Participant:
        return build(cls, record, account_id=record.account)


@strawberry.type(
    description="One message. A deleted one stays in its place with no body (show it as "
    '"message deleted").'
)
class Message(LoadedNode, relay.Node):
    loader = MessageByIdLoader
    id: relay.NodeID[int]
    in_conversation: strawberry.Private[int]
    author_account: strawberry.Private[int | None]
    body: str | None = strawberry.field(
        description="The Markdown source as written (edited); null once deleted."
    )
    body_html: str | None = strawberry.field(
        description='`body` as sanitized HTML (links get rel="nofollow noopener ugc"); null '
        "once deleted."
    )
    created_at: datetime
    edited_at: datetime | None = strawberry.field(description="When it was last edited.")
    deleted_at: datetime | None = strawberry.field(description="When its author deleted it.")

    @classmethod
    def from_record(cls, record: service.MessageRecord) -> Message:
        deleted = record.deleted_at is not None
        return build(
            cls,
            record,
            in_conversation=record.conversation,
            author_account=record.author,
            body=None if deleted else record.body,
            body_html=None if deleted else record.body_html,
        )

    @strawberry.field(description="Whether its author deleted it (for everyone).")
    def deleted(self) -> bool:
        return self.deleted_at is not None

    @strawberry.field(description="The conversation it belongs to.")
    def conversation_id(self) -> relay.GlobalID:
        return relay.GlobalID("Conversation", str(self.in_conversation))

    @strawberry.field(description="Who wrote it: their Person id (null for an erased account).")
    def author_id(self) -> relay.GlobalID | None:
        if self.author_account is None:
            return None
        return relay.GlobalID("Person", str(self.author_account))

    @strawberry.field(description="Who wrote it, by name.")
    async def author_name(self, info: Info) -> str:
        return await _name(info, self.author_account)

    @strawberry.field(description="Who wrote it, if you may see their profile.")
    async def author(
        self, info: Info
    ) -> Annotated[Person, strawberry.lazy("api.people.types")] | None:
        return await _person(info, self.author_account)


@strawberry.type(
    description="A conversation you take part in: with your own read state, archive and mute."
)
class Conversation(LoadedNode, relay.Node):
    loader = ConversationByIdLoader
    id: relay.NodeID[int]
    kind: ConversationKind
    is_request: bool = strawberry.field(
        description="Started as a message request by a verified employer (`organization`)."
    )
    created_at: datetime
    last_message_at: datetime
    archived: bool = strawberry.field(description="You archived it (archiveConversation).")
    muted: bool = strawberry.field(
        description="You muted it (muteConversation): no notifications of its messages."
    )
    viewer_request_status: RequestStatus = strawberry.field(
        description="Your answer to it as a message request: PENDING until you accept or "
        "decline (ACCEPTED in any other conversation)."
    )
    record: strawberry.Private[service.ConversationRecord]

    @classmethod
    def from_record(cls, record: service.ConversationRecord) -> Conversation:
        return build(cls, record, viewer_request_status=record.request_status, record=record)

    @strawberry.field(description="How many messages by others you have not read.")
    async def unread_count(self, info: Info) -> int:
        return await info.context.loaders.get(UnreadCountByConversationLoader).load(self.id) or 0

    @strawberry.field(description="The newest message.")
    async def last_message(self, info: Info) -> Message | None:
        record = await info.context.loaders.get(MessageByIdLoader).load(self.record.last_message_id)
        return Message.from_record(record) if record else None

    @strawberry.field(description="Everyone in it, you included, in the order they joined.")
    async def participants(self, info: Info) -> list[Participant]:
        records = await info.context.loaders.get(ParticipantsByConversationLoader).load(self.id)
        return [Participant.from_record(record) for record in records or []]

    @strawberry.field(
        description="For a message request: PENDING until the candidate answers, then "
        "ACCEPTED or DECLINED; ACCEPTED for any other conversation."
    )
    async def request_status(self, info: Info) -> RequestStatus:
        records = await info.context.loaders.get(ParticipantsByConversationLoader).load(self.id)
        statuses = {record.request_status for record in records or []}
        for status in (tables.RequestStatus.DECLINED, tables.RequestStatus.PENDING):
            if status in statuses:
                return status
        return tables.RequestStatus.ACCEPTED

    @strawberry.field(
        description="The employer a message request came from, or whose application thread this is."
    )
    async def organization(
        self, info: Info
    ) -> Annotated[Organization, strawberry.lazy("api.networks.types")] | None:
        from api.networks.loaders import OrganizationByIdLoader
        from api.networks.types import Organization

        if self.record.organization is None:
            return None
        row = await info.context.loaders.get(OrganizationByIdLoader).load(self.record.organization)
        return Organization.from_row(row) if row else None

    @strawberry.field(description="The application whose thread this is (kind APPLICATION).")
    def application_id(self) -> relay.GlobalID | None:
        if self.record.application is None:
            return None
        return relay.GlobalID("Application", str(self.record.application))

    @strawberry.field(description="Its messages, newest first.")
    async def messages(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[Message]:
        page = await service.messages_page(info.context.viewer, self.id, first=first, after=after)
        return Connection.from_page(page, Message.from_record)


def conversation_cursor(record: Any) -> str:
    """Conversations are listed by their newest message: the cursor holds its id."""
    return encode_cursor(record.last_message_id)


@strawberry.type(description="How many message requests an employer may send, and has sent.")
class MessageRequestQuota:
    organization_id_value: strawberry.Private[int]
    limit: int = strawberry.field(
        description="Message requests allowed in any 7 days (the server's "
        "CONFRERE_MESSAGE_REQUESTS_PER_WEEK)."
    )
    used: int = strawberry.field(description="Message requests sent in the past 7 days.")

    @strawberry.field(description="The verified employer.")
    def organization_id(self) -> relay.GlobalID:
        return relay.GlobalID("Organization", str(self.organization_id_value))

    @strawberry.field(description="How many more may go out now.")
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    @classmethod
    def from_record(cls, record: service.RequestQuota) -> MessageRequestQuota:
        return cls(organization_id_value=record.organization, limit=record.limit, used=record.used)


@strawberry.type(description="A problem with a messaging mutation's input.")
class MessagingError(UserError):
    code: MessagingErrorCode


@strawberry.input(description="Who to write to, and the first message.")
class StartConversationInput:
    participant_ids: list[relay.GlobalID] = strawberry.field(
        description="The people (Person ids) to write to, yourself left out: one for a direct "
        "conversation (the one you already have with them, if any), up to 19 for a group."
    )
    message: str = strawberry.field(description="The first message, in Markdown.")
    organization_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="For a message request: the verified employer it is from, when you act "
        "for several.",
    )


@strawberry.input(description="A message to add to a conversation.")
class SendMessageInput:
    conversation_id: relay.GlobalID = strawberry.field(description="A conversation of yours.")
    body: str = strawberry.field(description="The message, in Markdown.")


@strawberry.input(description="A message of yours to rewrite (within 15 minutes of sending).")
class EditMessageInput:
    message_id: relay.GlobalID = strawberry.field(description="A message you wrote.")
    body: str = strawberry.field(description="Its new text, in Markdown.")


@strawberry.input(description="A message of yours to delete for everyone.")
class DeleteMessageInput:
    message_id: relay.GlobalID = strawberry.field(description="A message you wrote.")


@strawberry.input(description="A conversation of yours.")
class ConversationInput:
    conversation_id: relay.GlobalID = strawberry.field(description="A conversation of yours.")


@strawberry.input(description="Archive a conversation of yours, or bring it back.")
class ArchiveConversationInput:
    conversation_id: relay.GlobalID = strawberry.field(description="A conversation of yours.")
    archived: bool = strawberry.field(
        default=True, description="false brings it back to your conversations."
    )


@strawberry.input(description="Mute a conversation of yours, or unmute it.")
class MuteConversationInput:
    conversation_id: relay.GlobalID = strawberry.field(description="A conversation of yours.")
    muted: bool = strawberry.field(default=True, description="false unmutes it.")


@strawberry.input(description="Write in an application's thread (starting it if need be).")
class StartApplicationConversationInput:
    application_id: relay.GlobalID = strawberry.field(
        description="Your application, or one to your employer's posting."
    )
    message: str = strawberry.field(description="The message, in Markdown.")


@strawberry.input(description="Who may start a conversation with you.")
class SetMessagingPreferencesInput:
    audience: MessagingAudience = strawberry.field(
        description="EVERYONE, CONNECTIONS_AND_MEMBERS or CONNECTIONS_ONLY."
    )


@strawberry.type
class ConversationPayload:
    conversation: Conversation | None = None
    user_errors: list[MessagingError] = strawberry.field(default_factory=list)


@strawberry.type
class MessagePayload:
    message: Message | None = None
    user_errors: list[MessagingError] = strawberry.field(default_factory=list)


@strawberry.type
class SetMessagingPreferencesPayload:
    audience: MessagingAudience | None = None
    user_errors: list[MessagingError] = strawberry.field(default_factory=list)


ReportReason = strawberry.enum(
    tables.ReportReason,
    name="ConversationReportReason",
    description="Why a conversation is reported: SPAM, HARASSMENT, SCAM, OTHER.",
)
ReportStatus = strawberry.enum(
    tables.ReportStatus,
    name="ConversationReportStatus",
    description="OPEN: waiting for staff. DISMISSED: staff found nothing to act on. "
    "SUSPENDED: staff suspended messaging for the person reported.",
)


@strawberry.type(description="One message as a report shows it to staff.")
class ReportedMessage:
    author_account: strawberry.Private[int | None]
    author_name: str = strawberry.field(description="Its author's name when it was reported.")
    body: str = strawberry.field(description="Its Markdown source (empty if it was deleted).")
    created_at: datetime

    @strawberry.field(description="Its author (a Person id).")
    def author_id(self) -> relay.GlobalID | None:
        if self.author_account is None:
            return None
        return relay.GlobalID("Person", str(self.author_account))


@strawberry.type(
    description="A conversation reported to staff, with its latest messages as they were when "
    "it was reported."
)
class ConversationReport:
    id: relay.GlobalID
    reporter_account: strawberry.Private[int]
    reported_account: strawberry.Private[int]
    reason: ReportReason
    details: str = strawberry.field(description="What the reporter added in their own words.")
    status: ReportStatus
    created_at: datetime
    resolved_at: datetime | None = strawberry.field(description="When staff decided.")
    excerpt: list[ReportedMessage] = strawberry.field(
        description="The conversation's latest messages (up to 20) when it was reported, "
        "oldest first."
    )

    @classmethod
    def from_record(cls, record: Any) -> ConversationReport:
        return cls(
            id=relay.GlobalID("ConversationReport", str(record.id)),
            reporter_account=record.reporter,
            reported_account=record.reported,
            reason=record.reason,
            details=record.details,
            status=record.status,
            created_at=record.created_at,
            resolved_at=record.resolved_at,
            excerpt=[
                ReportedMessage(
                    author_account=item.get("author"),
                    author_name=item.get("name", ""),
                    body=item.get("body", ""),
                    created_at=datetime.fromisoformat(item["createdAt"]),
                )
                for item in record.excerpt
            ],
        )

    @strawberry.field(description="Who reported it (a Person id).")
    def reporter_id(self) -> relay.GlobalID:
        return relay.GlobalID("Person", str(self.reporter_account))

    @strawberry.field(description="Who it is about (a Person id).")
    def reported_id(self) -> relay.GlobalID:
        return relay.GlobalID("Person", str(self.reported_account))

    @strawberry.field(description="Who it is about, by name.")
    async def reported_name(self, info: Info) -> str:
        return await _name(info, self.reported_account)


@strawberry.input(description="Report a conversation to staff.")
class ReportConversationInput:
    conversation_id: relay.GlobalID = strawberry.field(description="A conversation of yours.")
    person_id: relay.GlobalID = strawberry.field(
        description="The person in it the report is about."
    )
    reason: ReportReason = strawberry.field(description="Why you report it.")
    details: str = strawberry.field(
        default="", description="Anything staff should know, up to 1,000 characters."
    )


@strawberry.input(description="Staff: decide a conversation report.")
class ResolveConversationReportInput:
    report_id: relay.GlobalID = strawberry.field(description="An OPEN report.")
    suspend_messaging: bool = strawberry.field(
        description="true suspends messaging for the person reported; false dismisses it."
    )


@strawberry.input(description="Staff: let a suspended person message again.")
class LiftMessagingSuspensionInput:
    person_id: relay.GlobalID = strawberry.field(description="The suspended person.")


@strawberry.type
class ConversationReportPayload:
    report: ConversationReport | None = None
    user_errors: list[MessagingError] = strawberry.field(default_factory=list)


@strawberry.type
class LiftMessagingSuspensionPayload:
    lifted: bool = strawberry.field(default=False, description="Whether they were suspended.")
    user_errors: list[MessagingError] = strawberry.field(default_factory=list)

"""Messaging tables: conversations, who takes part in each, and their messages."""

from enum import Enum

from piccolo.columns import BigInt, Boolean, ForeignKey, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from api.jobs.tables import Application
from api.networks.tables import Organization
from api.people.tables import Account


class ConversationKind(Enum):
    DIRECT = "DIRECT"
    """Two people (or a message request from an employer to a candidate)."""
    GROUP = "GROUP"
    """Three to twenty people."""
    APPLICATION = "APPLICATION"
    """An application's thread: the applicant and the employer's owners and admins."""


class ParticipantRole(Enum):
    STARTER = "STARTER"
    """Who started the conversation."""
    MEMBER = "MEMBER"


class RequestStatus(Enum):
    """Where a participant stands on being in the conversation: ACCEPTED for everyone but
    the candidate of a message request, who is PENDING until they accept or decline."""

    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"


class MessagingAudience(Enum):
    """Who may start a conversation with a person (beyond employers' message requests)."""

    EVERYONE = "EVERYONE"
    CONNECTIONS_AND_MEMBERS = "CONNECTIONS_AND_MEMBERS"
    CONNECTIONS_ONLY = "CONNECTIONS_ONLY"


class Conversation(Table):
    """One conversation; its people are its `Participant` rows."""

    kind = Varchar(length=20, choices=ConversationKind)
    direct_key = Varchar(length=60, null=True, default=None, unique=True)
    """For DIRECT conversations, "<smaller account id>:<larger>": two people have one
    conversation, and two racing starts cannot make a second."""
    application = ForeignKey(
        references=Application, on_delete=OnDelete.cascade, null=True, unique=True
    )
    """The application whose thread this is (kind APPLICATION)."""
    organization = ForeignKey(references=Organization, on_delete=OnDelete.set_null, null=True)
    """The employer a message request was sent for, or whose application thread this is."""
    is_request = Boolean(default=False)
    """Started as a message request by a verified employer (counted in its weekly quota)."""
    created_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    created_at = Timestamptz(default=TimestamptzNow())
    last_message_at = Timestamptz(default=TimestamptzNow())
    last_message_id = BigInt(default=0)
    """The newest message's id: conversations are listed newest first by it (ids grow)."""


class Participant(Table):
    """One person in one conversation, with their own read state, archive and mute."""

    conversation = ForeignKey(references=Conversation, on_delete=OnDelete.cascade)
    account = ForeignKey(references=Account, on_delete=OnDelete.cascade)
    role = Varchar(length=20, choices=ParticipantRole, default=ParticipantRole.MEMBER.value)
    request_status = Varchar(length=20, choices=RequestStatus, default=RequestStatus.ACCEPTED.value)
    last_read_message_id = BigInt(default=0)
    """Messages with a larger id (by others, not deleted) are unread."""
    archived = Boolean(default=False)
    muted = Boolean(default=False)
    joined_at = Timestamptz(default=TimestamptzNow())


class Message(Table):
    """One message. Deleting it keeps the row (for everyone, "message deleted") and drops
    its body."""

    conversation = ForeignKey(references=Conversation, on_delete=OnDelete.cascade)
    author = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    body = Text(default="")
    """The Markdown source."""
    body_html = Text(default="")
    """`body` rendered and sanitized (api.core.markup), links with rel="nofollow noopener ugc"."""
    created_at = Timestamptz(default=TimestamptzNow())
    edited_at = Timestamptz(null=True, default=None)
    deleted_at = Timestamptz(null=True, default=None)


class MessagingPreference(Table, tablename="messaging_preference"):
    """A person's choice of who may start a conversation with them, where it differs from
    the default (CONNECTIONS_AND_MEMBERS)."""

    account = ForeignKey(references=Account, on_delete=OnDelete.cascade, unique=True)
    audience = Varchar(length=30, choices=MessagingAudience)


class ReportReason(Enum):
    SPAM = "SPAM"
    HARASSMENT = "HARASSMENT"
    SCAM = "SCAM"
    OTHER = "OTHER"


class ReportStatus(Enum):
    OPEN = "OPEN"
    DISMISSED = "DISMISSED"
    """Staff found nothing to act on."""
    SUSPENDED = "SUSPENDED"
    """Staff suspended messaging for the account reported."""


class ConversationReport(Table, tablename="conversation_report"):
    """A participant flagged a conversation to staff. What staff read is `excerpt`, the
    conversation's latest messages as they were when it was reported (the reporter shows
    them), not the conversation itself."""

    conversation = ForeignKey(references=Conversation, on_delete=OnDelete.set_null, null=True)
    reporter = ForeignKey(references=Account, on_delete=OnDelete.cascade)
    reported = ForeignKey(references=Account, on_delete=OnDelete.cascade)
    """The participant the report is about."""
    reason = Varchar(length=20, choices=ReportReason)
    details = Varchar(length=1000, default="")
    excerpt = Text(default="[]")
    """The latest messages when reported, as JSON: [{author, name, body, createdAt}]."""
    status = Varchar(length=20, choices=ReportStatus, default=ReportStatus.OPEN.value, index=True)
    resolved_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    resolved_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class MessagingSuspension(Table, tablename="messaging_suspension"):
    """An account staff suspended from messaging: it starts no conversation and sends no
    message until staff lift it."""

    account = ForeignKey(references=Account, on_delete=OnDelete.cascade, unique=True)
    report = ForeignKey(references=ConversationReport, on_delete=OnDelete.set_null, null=True)
    suspended_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    created_at = Timestamptz(default=TimestamptzNow())

"""Notifications in the GraphQL schema: the Notification type, its kinds and the payload of
`markNotificationsRead`."""

from __future__ import annotations

import inspect
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay
from strawberry.relay.types import GlobalIDValueError

from api.core.context import Info
from api.core.types import UserError, row_id
from api.notifications import service
from api.notifications.tables import NotificationKind as NotificationKindEnum
from api.people.loaders import AccountByIdLoader, PersonByIdLoader

if TYPE_CHECKING:
    from api.people.types import Person

NotificationKind = strawberry.enum(
    NotificationKindEnum,
    name="NotificationKind",
    description="What happened. CONNECTION_REQUESTED / CONNECTION_ACCEPTED: to the person "
    "asked / to the person who asked. MEMBERSHIP_REQUESTED: to an organization's owners and "
    "admins; MEMBERSHIP_APPROVED: to the new member; MEMBERSHIP_INVITED: to the person invited "
    "(its subject is the Membership that acceptInvitation takes). APPLICATION_RECEIVED: to the "
    "employer's owners and admins; APPLICATION_STAGE_CHANGED: to the applicant. "
    "WAITLIST_PROMOTED: a seat opened and you are going. EVENT_CANCELLED: to those going or "
    "waitlisted. POST_COMMENTED: to the post's author. COMMENT_REPLIED: to the author of the "
    "comment answered (its subject is the Post). EVENT_UPDATED: its time, place or "
    "format changed (to those going or waitlisted). JOB_APPROVED / JOB_REJECTED: staff's review "
    "of a posting (to the employer's owners and admins). POST_APPROVED / POST_REJECTED: "
    "moderation of a post (to its author). PERK_APPROVED / PERK_REJECTED: a chamber's decision "
    "on a perk (to who submitted it). EVENT_REMINDER: a day before, to those going. "
    "JOB_EXPIRING: 3 days before a posting's validThrough, to the employer's owners and admins. "
    "SAVED_SEARCH_MATCHES: to a saved search's owner, by its daily or weekly alert, when it has "
    "new matches (its subject is the SavedSearch or SavedJobSearch). MESSAGE_RECEIVED: new "
    "messages in a conversation (its subject), to its participants who have not muted it; "
    "emailed (IMMEDIATELY, the default) only once still unread after a delay, with the "
    "sender's name and the message's first line.",
)
NotificationErrorCode = strawberry.enum(
    service.NotificationErrorCode,
    description="NOT_FOUND: an id names no notification of yours.",
)


def _someone(name: str | None) -> str:
    return name.strip() if name and name.strip() else "Someone"


def message(record: service.NotificationRecord, actor_name: str | None) -> str:
    """The notification in words: who did what to what, and how many when they piled up."""
    who = _someone(actor_name)
    others = record.occurrences - 1
    many = f"{record.occurrences} people" if record.occurrences > 1 else who
    title = record.subject_title or "it"
    match record.kind:
        case NotificationKindEnum.CONNECTION_REQUESTED:
            return f"{who} asked to connect with you"
        case NotificationKindEnum.CONNECTION_ACCEPTED:
            return f"{who} accepted your connection request"
        case NotificationKindEnum.MEMBERSHIP_REQUESTED:
            return f"{many} asked to join {title}"
        case NotificationKindEnum.MEMBERSHIP_APPROVED:
            return f"You are now a member of {title}"
        case NotificationKindEnum.MEMBERSHIP_INVITED:
            role = record.detail.lower() or "member"
            return (
                f"{who} invited you to join {title} as {'an' if role[0] in 'aeiou' else 'a'} {role}"
            )
        case NotificationKindEnum.APPLICATION_RECEIVED:
            return f"{many} applied to {title}"
        case NotificationKindEnum.APPLICATION_STAGE_CHANGED:
            stage = record.detail.replace("_", " ").lower() or "a new stage"
            return f"Your application to {title} moved to {stage}"
        case NotificationKindEnum.WAITLIST_PROMOTED:
            return f"A seat opened at {title}: you are going"
        case NotificationKindEnum.EVENT_CANCELLED:
            return f"{title} was cancelled"
        case NotificationKindEnum.POST_COMMENTED:
            post = f"your post {record.subject_title}" if record.subject_title else "your post"
            if others:
                return f"{who} and {others} other{'s' if others > 1 else ''} commented on {post}"
            return f"{who} commented on {post}"
        case NotificationKindEnum.COMMENT_REPLIED:
            post = f" on {record.subject_title}" if record.subject_title else ""
            if others:
                return (
                    f"{who} and {others} other{'s' if others > 1 else ''} replied to your "
                    f"comment{post}"
                )
            return f"{who} replied to your comment{post}"
        case NotificationKindEnum.EVENT_UPDATED:
            return f"{title} changed: {record.detail}" if record.detail else f"{title} changed"
        case (
            NotificationKindEnum.JOB_APPROVED
            | NotificationKindEnum.POST_APPROVED
            | NotificationKindEnum.PERK_APPROVED
        ):
            return f"{title} was approved and is live"
        case (
            NotificationKindEnum.JOB_REJECTED
            | NotificationKindEnum.POST_REJECTED
            | NotificationKindEnum.PERK_REJECTED
        ):
            why = f": {record.detail}" if record.detail else ""
            return f"{title} was not approved{why}"
        case NotificationKindEnum.EVENT_REMINDER:
            return f"{title} starts within a day: you are going"
        case NotificationKindEnum.JOB_EXPIRING:
            return f"{title} expires in 3 days: reopen it to keep it open longer"
        case NotificationKindEnum.SAVED_SEARCH_MATCHES:
            return _matches(record)
        case NotificationKindEnum.MESSAGE_RECEIVED:
            if record.occurrences > 1:
                return f"{record.occurrences} new messages, the latest from {who}"
            return f"{who} sent you a message"
    return title  # pragma: no cover - every kind is matched above


def _matches(record: service.NotificationRecord) -> str:
    """ "3 new jobs match Backend Berlin"; with earlier alerts still unread, says so."""
    count = int(record.detail) if record.detail.isdigit() else 0
    jobs = record.subject_type == "SavedJobSearch"
    noun = ("job" if jobs else "candidate") + ("" if count == 1 else "s")
    verb = "matches" if count == 1 else "match"
    words = f"{count} new {noun} {verb} {record.subject_title or 'your saved search'}"
    earlier = record.occurrences - 1
    if earlier:
        words += f" (and more in {earlier} earlier alert{'s' if earlier > 1 else ''})"
    return words


@strawberry.type(
    description="Something that concerns you: who did what to what. While unread, more of the "
    "same kind about the same thing pile up in one notification (`count`)."
)
class Notification(relay.Node):
    id: relay.NodeID[int]
    kind: NotificationKind
    created_at: datetime = strawberry.field(
        description="When it happened; for a pile, when the latest of them happened."
    )
    count: int = strawberry.field(
        description="How many times it happened while unread (12 applications to a posting)."
    )
    record: strawberry.Private[service.NotificationRecord]

    @classmethod
    def from_record(cls, record: service.NotificationRecord) -> Notification:
        return cls(
            id=record.id,
            kind=record.kind,
            created_at=record.created_at,
            count=record.occurrences,
            record=record,
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[Notification | None]:
        found = await service.own_notifications(
            info.context.viewer, [i for i in map(row_id, node_ids) if i is not None]
        )
        return [
            cls.from_record(found[number]) if number in found else None
            for number in map(row_id, node_ids)
        ]

    @strawberry.field(description="Whether you marked it read (markNotificationsRead).")
    def read(self) -> bool:
        return self.record.read_at is not None

    @strawberry.field(description="Who did it (the latest, for a pile), if you may see them.")
    async def actor(
        self, info: Info
    ) -> Annotated[Person, strawberry.lazy("api.people.types")] | None:
        from api.people.types import Person

        if self.record.actor is None:
            return None
        view = await info.context.loaders.get(PersonByIdLoader).load(self.record.actor)
        return Person.from_view(view) if view else None

    @strawberry.field(
        description="What it is about, as a Relay id: a Job, Event, Organization, Post, "
        "Application, Membership (an invitation: acceptInvitation) or ConnectionRequest "
        "(acceptConnection)."
    )
    def subject_id(self) -> relay.GlobalID:
        return relay.GlobalID(self.record.subject_type, str(self.record.subject_id))

    @strawberry.field(description="What it is about; null when you may no longer see it.")
    async def subject(self, info: Info) -> relay.Node | None:
        return await _subject(self, info)

    @strawberry.field(
        description="The public site's page of what it is about (a job or an event); null "
        "when it has none."
    )
    async def url(self, info: Info) -> str | None:
        if self.record.subject_type not in ("Job", "Event", "Organization"):
            return None
        node = await _subject(self, info)
        field = getattr(type(node), "__strawberry_definition__", None)
        url_field = field.get_field("url") if field else None
        if url_field is None or url_field.base_resolver is None:
            return None
        answer = url_field.base_resolver(node, info)
        return await answer if inspect.isawaitable(answer) else answer

    @strawberry.field(
        description='The notification in words: "Ada Lovelace accepted your connection '
        'request", "12 people applied to Backend Engineer".'
    )
    async def message(self, info: Info) -> str:
        name = None
        if self.record.actor is not None:
            row = await info.context.loaders.get(AccountByIdLoader).load(self.record.actor)
            name = row["name"] if row else None
        return message(self.record, name)


async def _subject(notification: Notification, info: Info) -> relay.Node | None:
    global_id = relay.GlobalID(
        notification.record.subject_type, str(notification.record.subject_id)
    )
    try:
        global_id.resolve_type(info)
    except GlobalIDValueError:  # a type since removed from the schema: nothing to show
        return None
    node = await global_id.resolve_node(info, required=False)
    return node if isinstance(node, relay.Node) else None


@strawberry.input(description="Which notifications to mark read: `ids`, or `all`.")
class MarkNotificationsReadInput:
    ids: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="Notifications of yours; if any is not, nothing is marked."
    )
    all: bool = strawberry.field(
        default=False, description="Mark every notification of yours read."
    )


@strawberry.type(description="A problem with marking notifications read.")
class NotificationError(UserError):
    code: NotificationErrorCode


@strawberry.type
class MarkNotificationsReadPayload:
    marked: int = strawberry.field(default=0, description="How many were unread and are read now.")
    unread_notification_count: int = strawberry.field(
        default=0, description="How many of your notifications are still unread."
    )
    user_errors: list[NotificationError] = strawberry.field(default_factory=list)

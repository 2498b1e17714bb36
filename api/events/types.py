"""GraphQL types for events and RSVPs."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry import relay

from api.core.context import Info
from api.core.pagination import After, Connection, First
from api.core.records import LoadedNode, build
from api.core.types import UserError, database_id, given
from api.events import service, subscriptions, tables
from api.events.calendar import event_calendar_path
from api.events.loaders import (
    EventByIdLoader,
    FirstAttendeesPageLoader,
    RsvpByIdLoader,
    RsvpCountsByEventIdLoader,
    ViewerRsvpByEventIdLoader,
    WaitlistByEventIdLoader,
)
from api.events.records import CalendarSubscriptionRecord, EventRecord, RsvpRecord
from api.networks.loaders import OrganizationByIdLoader
from api.networks.types import Organization
from api.people.loaders import PersonByIdLoader
from api.people.types import Person

EventKind = strawberry.enum(tables.EventKind)
EventFormat = strawberry.enum(tables.EventFormat)
EventAudience = strawberry.enum(
    tables.EventAudience,
    description="MEMBERS_ONLY: the organization's active members alone see and join it. "
    "OPEN_TO_GUESTS: anyone who may see the organization; a non-member who RSVPs becomes a "
    "GUEST of it.",
)
EventStatus = strawberry.enum(tables.EventStatus)
RsvpStatus = strawberry.enum(tables.RsvpStatus)
EventErrorCode = strawberry.enum(service.EventErrorCode)


@strawberry.enum(description="An answer to an event; GOING may land on the waitlist.")
class RsvpResponse(Enum):
    GOING = "GOING"
    NOT_GOING = "NOT_GOING"


@strawberry.type
class EventError(UserError):
    code: EventErrorCode


@strawberry.type(
    description="A meetup, seminar, conference, trade show or mixer an organization holds."
)
class Event(LoadedNode, relay.Node):
    loader = EventByIdLoader

    id: relay.NodeID[int]
    title: str
    description: str | None = strawberry.field(
        description="The description as its author wrote it (Markdown)."
    )
    description_html: str | None = strawberry.field(
        description="The description rendered to sanitized HTML on save."
    )
    kind: EventKind
    format: EventFormat
    audience: EventAudience
    status: EventStatus
    starts_at: datetime = strawberry.field(
        description="When it starts: local time in `timeZone`, with that zone's UTC offset "
        "(2027-03-04T18:30:00+01:00)."
    )
    ends_at: datetime = strawberry.field(description="When it ends, like `startsAt`.")
    time_zone: str = strawberry.field(
        description="The IANA time zone the event is held in (Europe/Berlin)."
    )
    venue: str | None = strawberry.field(description="Where it takes place (in person or hybrid).")
    address: str | None

    # The fields worked out per request are declared in place (not with a decorator, which
    # would put them after every plain field), so the schema lists them where it always has.

    async def _online_url(self, info: Info) -> str | None:
        own = await info.context.loaders.get(ViewerRsvpByEventIdLoader).load(self.id)
        relations = await service.viewer_relations(info.context.viewer)
        return given(service.online_url_for(self.source, own, relations))

    async def _counts(self, info: Info) -> service.RsvpCounts:
        counts = await info.context.loaders.get(RsvpCountsByEventIdLoader).load(self.id)
        return counts or service.RsvpCounts()

    async def _going_count(self, info: Info) -> int:
        return (await self._counts(info)).going_seats

    async def _waitlist_count(self, info: Info) -> int:
        return (await self._counts(info)).waitlisted_seats

    async def _spots_left(self, info: Info) -> int | None:
        if self.capacity is None:
            return None
        return max(0, self.capacity - (await self._counts(info)).going_seats)

    online_url: str | None = strawberry.field(
        resolver=_online_url,
        description="The link to join online: only for people whose own RSVP is GOING and "
        "for the organization's owners and admins; null for everyone else.",
    )
    capacity: int | None = strawberry.field(
        description="Seats, counting attendees and their guests; null: no limit."
    )
    going_count: int = strawberry.field(
        resolver=_going_count, description="Seats taken by people going, with their guests."
    )
    waitlist_count: int = strawberry.field(
        resolver=_waitlist_count, description="Seats asked for on the waitlist, with guests."
    )
    spots_left: int | None = strawberry.field(
        resolver=_spots_left, description="Free seats; null when the capacity is unlimited."
    )
    cancelled_at: datetime | None
    created_at: datetime
    updated_at: datetime
    source: strawberry.Private[EventRecord]
    """What it was built from, for the fields worked out per request."""

    @classmethod
    def from_record(cls, record: EventRecord) -> Event:
        return build(
            cls,
            record,
            description=given(record.description),
            description_html=given(record.description_html),
            starts_at=service.in_time_zone(record.starts_at, record.time_zone),
            ends_at=service.in_time_zone(record.ends_at, record.time_zone),
            venue=given(record.venue),
            address=given(record.address),
            source=record,
        )

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Event:
        """An event of a page the service read (pages carry rows)."""
        return cls.from_record(EventRecord.of(row))

    @strawberry.field(
        description="The absolute address of the event's page on the public site; null when "
        "the site has none (members-only, cancelled, over, or of a private organization)."
    )
    def url(self, info: Info) -> str | None:
        return service.event_page(info.context.settings.site_url, self.source)

    @strawberry.field(description="The event as an iCalendar file, at this server's address.")
    def calendar_path(self) -> str:
        return event_calendar_path(self.id)

    @strawberry.field
    async def organization(self, info: Info) -> Organization | None:
        return await organization_of(info, self.source.organization)

    @strawberry.field(description="Who created the event (if their profile is visible to you).")
    async def created_by(self, info: Info) -> Person | None:
        return await person_of(info, self.source.created_by)

    @strawberry.field(description="Your own RSVP; null when you have not answered.")
    async def viewer_rsvp(self, info: Info) -> Rsvp | None:
        own = await info.context.loaders.get(ViewerRsvpByEventIdLoader).load(self.id)
        return Rsvp.from_record(own) if own else None

    @strawberry.field(
        description="RSVPs with this status (GOING by default): for the organization's "
        "members only, null for everyone else. The waitlist comes in line order."
    )
    async def attendees(
        self,
        info: Info,
        status: Annotated[
            RsvpStatus,
            strawberry.argument(
                description="Which answers to list: GOING, WAITLISTED or NOT_GOING."
            ),
        ] = tables.RsvpStatus.GOING,
        first: First = None,
        after: After = None,
    ) -> Connection[Rsvp] | None:
        page = await service.attendees(
            info.context.viewer,
            self.source,
            tables.RsvpStatus(status.value),
            first=first,
            after=after,
            first_pages=info.context.loaders.get(FirstAttendeesPageLoader).load,
        )
        if page is None:
            return None
        return Connection.from_page(page, Rsvp.from_row)


async def organization_of(info: Info, organization_id: int) -> Organization | None:
    row = await info.context.loaders.get(OrganizationByIdLoader).load(organization_id)
    return Organization.from_row(row) if row else None


async def person_of(info: Info, account_id: int | None) -> Person | None:
    if account_id is None:
        return None
    view = await info.context.loaders.get(PersonByIdLoader).load(account_id)
    return Person.from_view(view) if view else None


@strawberry.type(description="A person's answer to an event, with the guests they bring.")
class Rsvp(LoadedNode, relay.Node):
    loader = RsvpByIdLoader

    id: relay.NodeID[int]
    status: RsvpStatus
    guests: int = strawberry.field(description="People they bring along, besides themselves.")
    created_at: datetime
    updated_at: datetime = strawberry.field(description="When they last answered.")
    event_id: strawberry.Private[int]
    account_id: strawberry.Private[int]

    @strawberry.field(
        description="Their place in the waitlist while WAITLISTED (1: the next to get a seat "
        "when one frees up that their party fits); null otherwise."
    )
    async def waitlist_position(self, info: Info) -> int | None:
        if self.status is not RsvpStatus.WAITLISTED:
            return None
        line = await info.context.loaders.get(WaitlistByEventIdLoader).load(self.event_id)
        return line.index(self.id) + 1 if line and self.id in line else None

    @classmethod
    def from_record(cls, record: RsvpRecord) -> Rsvp:
        return build(cls, record, event_id=record.event, account_id=record.account)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Rsvp:
        """An RSVP of a page the service read (pages carry rows)."""
        return cls.from_record(RsvpRecord.from_row(row))

    @strawberry.field
    async def event(self, info: Info) -> Event | None:
        event = await info.context.loaders.get(EventByIdLoader).load(self.event_id)
        return Event.from_record(event) if event else None

    @strawberry.field
    async def person(self, info: Info) -> Person | None:
        return await person_of(info, self.account_id)


def _id(global_id: relay.GlobalID, type_name: str, field: str) -> int:
    """The row id an input names, or NOT_FOUND on `field`."""
    return database_id(global_id, type_name, field=field, code=service.EventErrorCode.NOT_FOUND)


@strawberry.input(description="An event's fields.")
class EventInput:
    title: str = strawberry.field(description="The event's name.")
    kind: EventKind = strawberry.field(description="What sort of event it is.")
    format: EventFormat = strawberry.field(
        description="In person, online (VIRTUAL) or both (HYBRID)."
    )
    starts_at: datetime = strawberry.field(
        description="Local time in `timeZone` (2027-03-04T18:30:00), or any time with its UTC "
        "offset. A local time the clocks pass twice is the first of the two."
    )
    ends_at: datetime = strawberry.field(
        description="When it ends, after startsAt; like `startsAt`."
    )
    time_zone: str = strawberry.field(description="An IANA name, like America/New_York.")
    capacity: int | None = strawberry.field(
        default=None, description="Seats, counting guests; leave out for no limit."
    )
    description: str = strawberry.field(default="", description="Markdown.")
    venue: str = strawberry.field(default="", description="In person and hybrid events.")
    address: str = strawberry.field(
        default="", description="Where the venue is; in person and hybrid events."
    )
    online_url: str = strawberry.field(
        default="", description="Required for VIRTUAL and HYBRID events; http(s) only."
    )
    audience: EventAudience = strawberry.field(
        default=tables.EventAudience.OPEN_TO_GUESTS,
        description="Members only, or open to guests who are not members yet.",
    )

    def to_fields(self) -> service.EventFields:
        return service.EventFields(
            title=self.title,
            kind=tables.EventKind(self.kind.value),
            format=tables.EventFormat(self.format.value),
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            time_zone=self.time_zone.strip(),
            capacity=self.capacity,
            description=self.description,
            venue=self.venue,
            address=self.address,
            online_url=self.online_url,
            audience=tables.EventAudience(self.audience.value),
        )


@strawberry.input(description="A new event of an organization you own or administer.")
class CreateEventInput(EventInput):
    organization_id: relay.GlobalID = strawberry.field(
        description="The organization holding the event."
    )

    def organization(self) -> int:
        return _id(self.organization_id, "Organization", "organizationId")


@strawberry.input(description="New fields for an upcoming event (every field, as on create).")
class UpdateEventInput(EventInput):
    id: relay.GlobalID = strawberry.field(description="The upcoming event to change.")

    def event(self) -> int:
        return _id(self.id, "Event", "id")


@strawberry.input
class EventIdInput:
    id: relay.GlobalID = strawberry.field(description="The event.")

    def event(self) -> int:
        return _id(self.id, "Event", "id")


@strawberry.input(description="Answer an event: GOING (with guests) or NOT_GOING.")
class RsvpInput:
    event_id: relay.GlobalID = strawberry.field(description="The event to answer.")
    response: RsvpResponse = strawberry.field(description="GOING or NOT_GOING.")
    guests: int = strawberry.field(
        default=0, description=f"People you bring along, 0 to {service.MAX_GUESTS}."
    )

    def event(self) -> int:
        return _id(self.event_id, "Event", "eventId")

    def answer(self) -> tables.RsvpStatus:
        return tables.RsvpStatus(self.response.value)


@strawberry.type
class EventPayload:
    event: Event | None = None
    user_errors: list[EventError] = strawberry.field(default_factory=list)


@strawberry.type
class RsvpPayload:
    rsvp: Rsvp | None = None
    user_errors: list[EventError] = strawberry.field(default_factory=list)


@strawberry.type(
    description="Your secret address of an organization's calendar, for calendar apps (which "
    "cannot sign in): it shows the events you see there, with the online link of those you "
    "are going to. It works while you are an active member, until you revoke or replace it."
)
class CalendarSubscription(relay.Node):
    id: relay.NodeID[int]

    def _url(self, info: Info) -> str:
        settings = info.context.settings
        token = subscriptions.subscription_token(settings.resolved_secret_key(), self.key)
        return settings.site_url + subscriptions.subscription_path(self.organization_slug, token)

    async def _organization(self, info: Info) -> Organization | None:
        return await organization_of(info, self.organization_id)

    # Declared in place, not with a decorator, so the schema keeps its order.
    url: str = strawberry.field(
        resolver=_url,
        description="The secret address to paste into a calendar app. Anyone who has it sees "
        "what you see: keep it to yourself, and revoke it if it leaks.",
    )
    organization: Organization | None = strawberry.field(resolver=_organization)
    created_at: datetime
    key: strawberry.Private[str]
    organization_id: strawberry.Private[int]
    organization_slug: strawberry.Private[str]

    @classmethod
    def from_record(cls, record: CalendarSubscriptionRecord) -> CalendarSubscription:
        return build(cls, record, organization_id=record.organization)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> CalendarSubscription:
        """A subscription of a page the service read (pages carry rows)."""
        return cls.from_record(CalendarSubscriptionRecord.from_row(row))

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[CalendarSubscription | None]:
        # Reached through `myCalendarSubscriptions` only; a node lookup reveals nothing.
        return [None for _ in node_ids]


@strawberry.input(description="Ask for a secret address of an organization's calendar.")
class CreateCalendarSubscriptionInput:
    organization_id: relay.GlobalID = strawberry.field(
        description="An organization you are an active member of."
    )

    def organization(self) -> int:
        return _id(self.organization_id, "Organization", "organizationId")


@strawberry.input
class RevokeCalendarSubscriptionInput:
    id: relay.GlobalID = strawberry.field(description="The CalendarSubscription to end.")

    def subscription(self) -> int:
        return _id(self.id, "CalendarSubscription", "id")


@strawberry.type
class CalendarSubscriptionPayload:
    calendar_subscription: CalendarSubscription | None = None
    user_errors: list[EventError] = strawberry.field(default_factory=list)


@strawberry.type
class RevokeCalendarSubscriptionPayload:
    revoked_calendar_subscription_id: relay.GlobalID | None = None
    user_errors: list[EventError] = strawberry.field(default_factory=list)

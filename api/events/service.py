"""Events: creating and cancelling them, who sees them, RSVPs with guests and a waitlist.

Lifecycle (`EVENTS`; each verb compare-and-set, anything else ILLEGAL_TRANSITION):

    PUBLISHED --change--> PUBLISHED --cancel--> CANCELLED (never back)

and both only before the event ends. An RSVP moves through `RSVPS` (go, change, decline,
promote), each from the status it was read in.

Who sees an event: the organization's active members (owners, admins, members) see all its
events; an OPEN_TO_GUESTS event is also seen by everyone (anonymous included) when the
organization is public, and by the organization's prospective members (a GUEST membership,
or a pending request to join) when it is not. The online link is shown only to people whose
own RSVP is GOING and to the organization's owners and admins.

RSVPs and the waitlist. An RSVP takes seats for the person and their guests (0 to
`MAX_GUESTS`). While seats are free and nobody is waiting, GOING is GOING; otherwise the
response joins the waitlist (WAITLISTED), in order of response. Whenever seats free up (an
attendee says NOT_GOING or brings fewer guests, an admin raises the capacity), the waitlist
is promoted *in strict order*: the first in line goes first, and when their party does not
fit, nobody behind them is promoted past them (head-of-line, so a large party is never
starved by smaller ones arriving later). An attendee who wants to bring more guests needs
free seats and an empty waitlist; otherwise the change is refused and nothing moves.
Every RSVP runs in one write transaction that first locks the event's row (SQLite's
IMMEDIATE transaction; SELECT ... FOR UPDATE on PostgreSQL), so concurrent answers cannot
overbook.

A signed-in non-member who RSVPs GOING to an OPEN_TO_GUESTS event becomes a prospective
member: a GUEST membership, ACTIVE, made in the same transaction. Guests do not count as
members anywhere else; `joinOrganization` converts a guest into a member by the join policy.
"""

from __future__ import annotations

import base64
import functools
import zoneinfo
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

from piccolo.engine.postgres import PostgresEngine
from piccolo.query.functions.aggregate import Count, Sum

from api.core.db import current_engine, write_transaction
from api.core.errors import BadUserInput, FieldError, Forbidden, InvalidInput
from api.core.lifecycle import Lifecycle, Move
from api.core.markup import MAX_MARKDOWN_LENGTH, is_web_address, render_markdown_off_loop
from api.core.outbox import OutboxAction, record_change, record_person_change
from api.core.pagination import (
    Page,
    cursor_text,
    decode_cursor,
    first_pages,
    not_a_cursor,
    page_size,
    paginate,
)
from api.core.types import as_utc, row_id, time_argument
from api.core.viewer import Viewer
from api.events.records import EventRecord, RsvpRecord
from api.events.tables import (
    Event,
    EventAudience,
    EventFormat,
    EventKind,
    EventStatus,
    Rsvp,
    RsvpStatus,
)
from api.networks.service import ADMIN_ROLES, membership_of, require_admin
from api.networks.tables import Membership, MembershipRole, MembershipStatus, Organization
from api.notifications.service import Subject, notify
from api.notifications.tables import NotificationKind
from api.people.audience import MembershipFact, circle_of, memberships_of
from api.site import addresses

MAX_TITLE_LENGTH = 200
MAX_GUESTS = 5
MAX_CAPACITY = 100_000
MAX_DURATION = timedelta(days=31)
MAX_LEAD_TIME = timedelta(days=3653)
"""How far ahead an event may start: ten years."""
MAX_VENUE_LENGTH = 200
MAX_ADDRESS_LENGTH = 500
MAX_URL_LENGTH = 1000
CALENDAR_SIZE = 500
#: Outbox rows of this kind feed no search index: they tell the site's debounced rebuild that
#: an event changed (the public board lists upcoming public events).
OUTBOX_KIND = "events"


class EventErrorCode(Enum):
    NOT_FOUND = "NOT_FOUND"
    TITLE_REQUIRED = "TITLE_REQUIRED"
    TITLE_TOO_LONG = "TITLE_TOO_LONG"
    DESCRIPTION_TOO_LONG = "DESCRIPTION_TOO_LONG"
    INVALID_TIME_ZONE = "INVALID_TIME_ZONE"
    TIME_ZONE_OFFSET_MISSING = "TIME_ZONE_OFFSET_MISSING"
    NONEXISTENT_LOCAL_TIME = "NONEXISTENT_LOCAL_TIME"
    ENDS_BEFORE_START = "ENDS_BEFORE_START"
    TOO_LONG = "TOO_LONG"
    STARTS_IN_PAST = "STARTS_IN_PAST"
    TOO_FAR_AHEAD = "TOO_FAR_AHEAD"
    INVALID_CHARACTERS = "INVALID_CHARACTERS"
    VENUE_TOO_LONG = "VENUE_TOO_LONG"
    ONLINE_URL_REQUIRED = "ONLINE_URL_REQUIRED"
    INVALID_ONLINE_URL = "INVALID_ONLINE_URL"
    INVALID_CAPACITY = "INVALID_CAPACITY"
    INVALID_GUESTS = "INVALID_GUESTS"
    NOT_ENOUGH_SPOTS = "NOT_ENOUGH_SPOTS"
    EVENT_CANCELLED = "EVENT_CANCELLED"
    EVENT_PAST = "EVENT_PAST"
    NOT_ALLOWED = "NOT_ALLOWED"
    ILLEGAL_TRANSITION = "ILLEGAL_TRANSITION"


class Relation(Enum):
    """What the viewer is to an organization, as far as its events are concerned."""

    ADMIN = "ADMIN"
    MEMBER = "MEMBER"
    PROSPECT = "PROSPECT"
    """A GUEST membership, or a pending request to join."""
    NONE = "NONE"


@functools.cache
def _known_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_time_zone(name: str) -> bool:
    """An IANA time zone name this server's tz database knows (Europe/Berlin, UTC)."""
    return name in _known_time_zones()


# --- times -------------------------------------------------------------------------------------


class NonexistentLocalTime(ValueError):
    """A wall-clock time the zone skips (the hour lost when daylight saving time begins)."""


def local_time(wall_clock: datetime, time_zone: str) -> datetime:
    """A wall-clock time (no offset) in `time_zone`, as an aware datetime.

    A time the clocks pass twice (when daylight saving time ends) is its first occurrence
    (fold=0: still on daylight time); a time they skip raises `NonexistentLocalTime`.
    """
    local = wall_clock.replace(tzinfo=zoneinfo.ZoneInfo(time_zone), fold=0)
    # In a gap the offset before the change (fold=0) is smaller than the one after it.
    if local.utcoffset() < local.replace(fold=1).utcoffset():  # type: ignore[operator]
        raise NonexistentLocalTime(wall_clock.isoformat())
    return local


def in_time_zone(instant: datetime, time_zone: str) -> datetime:
    """A stored instant as local time in the event's zone, with that zone's offset
    (2026-12-10T18:30:00+01:00). Rows written before times and zones were checked may hold
    a zone this server does not know or a time at the calendar's edge: those stay in UTC."""
    try:
        return instant.astimezone(zoneinfo.ZoneInfo(time_zone))
    except (KeyError, ValueError, OverflowError):
        return instant.astimezone(UTC)


# --- text ----------------------------------------------------------------------------------------

_FIELD_NAMES = {
    "title": "title",
    "description": "description",
    "venue": "venue",
    "address": "address",
    "onlineUrl": "online link",
}


#: One-line fields: every other character is refused for all text before any service runs
#: (`api.core.text`); these hold no line breaks or tabs either.
_ONE_LINE_FIELDS = ("title", "venue", "address", "onlineUrl")


def _not_found(field: str = "id") -> InvalidInput:
    return InvalidInput(FieldError(field, EventErrorCode.NOT_FOUND, "No event has this id."))


# --- who the viewer is to organizations ------------------------------------------------------


def _relation(role: str, status: str) -> Relation:
    if status == MembershipStatus.ACTIVE.value:
        if role in ADMIN_ROLES:
            return Relation.ADMIN
        if role == MembershipRole.GUEST.value:
            return Relation.PROSPECT
        return Relation.MEMBER
    if status == MembershipStatus.REQUESTED.value:
        return Relation.PROSPECT
    return Relation.NONE


def _relations(memberships: Mapping[int, MembershipFact]) -> dict[int, Relation]:
    return {
        organization_id: _relation(fact.role.value, fact.status.value)
        for organization_id, fact in memberships.items()
    }


async def viewer_relations(viewer: Viewer) -> dict[int, Relation]:
    """The viewer's relation to each organization they have a membership row in (from the
    viewer's circle, read once per request)."""
    return _relations((await circle_of(viewer)).memberships)


def _may_see(event: EventRecord, relations: dict[int, Relation]) -> bool:
    relation = relations.get(event.organization, Relation.NONE)
    if relation in (Relation.ADMIN, Relation.MEMBER):
        return True
    return event.audience is EventAudience.OPEN_TO_GUESTS and (
        event.organization_is_public or relation is Relation.PROSPECT
    )


async def is_member_of(viewer: Viewer, organization_id: int) -> bool:
    """An active owner, admin or member (not a guest)."""
    relation = (await viewer_relations(viewer)).get(organization_id)
    return relation in (Relation.ADMIN, Relation.MEMBER)


# --- reading events ----------------------------------------------------------------------------

_COLUMNS = (*Event.all_columns(), Event.organization.is_public.as_alias("organization_is_public"))


async def _events(ids: list[int]) -> list[EventRecord]:
    if not ids:
        return []
    return [EventRecord.of(row) for row in await Event.select(*_COLUMNS).where(Event.id.is_in(ids))]


async def _event(event_id: int) -> EventRecord | None:
    row = await Event.select(*_COLUMNS).where(Event.id == event_id).first()
    return EventRecord.of(row) if row else None


async def events_by_ids(viewer: Viewer, ids: list[int]) -> dict[int, EventRecord]:
    """The events among `ids` the viewer may see, by id."""
    events = await _events(sorted(set(ids)))
    relations = await viewer_relations(viewer)
    return {event.id: event for event in events if _may_see(event, relations)}


def _visible_condition(relations: dict[int, Relation]) -> Any:
    members = sorted(o for o, r in relations.items() if r in (Relation.ADMIN, Relation.MEMBER))
    prospects = sorted(o for o, r in relations.items() if r is Relation.PROSPECT)
    open_to_guests = Event.audience == EventAudience.OPEN_TO_GUESTS.value
    return Event.organization.is_in(members or [-1]) | (
        open_to_guests
        & (
            (Event.organization.is_public == True)  # noqa: E712 (a SQL comparison)
            | Event.organization.is_in(prospects or [-1])
        )
    )


_EVENT_CURSOR = "event:"


def event_cursor(event: EventRecord) -> str:
    """Events page by start time: the cursor holds the last event's start and id."""
    text = f"{_EVENT_CURSOR}{event.starts_at.astimezone(UTC).isoformat()}|{event.id}"
    return base64.urlsafe_b64encode(text.encode()).decode()


def _decode_event_cursor(cursor: str) -> tuple[datetime, int]:
    starts_at, _, last_id = cursor_text(cursor, _EVENT_CURSOR).rpartition("|")
    try:
        instant = datetime.fromisoformat(starts_at)
    except ValueError:
        raise not_a_cursor() from None
    number = row_id(last_id)
    if instant.utcoffset() is None or number is None:
        raise not_a_cursor()
    try:
        return as_utc(instant), number
    except OverflowError:  # year 1 at +14:00, say: no time an event could start at
        raise not_a_cursor() from None


@dataclass(frozen=True)
class EventFilter:
    organization_id: int | None = None
    starts_from: datetime | None = None
    """Events that have not ended by then (an event under way counts)."""
    starts_before: datetime | None = None
    include_cancelled: bool = False


async def list_events(
    viewer: Viewer, wanted: EventFilter, *, first: int | None, after: str | None
) -> Page:
    """Events the viewer may see, by start time (then id): a page query and a count."""
    size = page_size(first)
    where: list[Any] = [_visible_condition(await viewer_relations(viewer))]
    if wanted.organization_id is not None:
        where.append(Event.organization == wanted.organization_id)
    starts_from = time_argument(wanted.starts_from, "from")
    if starts_from is not None:
        where.append(Event.ends_at > starts_from)
    starts_before = time_argument(wanted.starts_before, "to")
    if starts_before is not None:
        where.append(Event.starts_at < starts_before)
    if not wanted.include_cancelled:
        where.append(Event.status == EventStatus.PUBLISHED.value)
    query = Event.select(*_COLUMNS).order_by(Event.starts_at, Event.id).limit(size + 1)
    count = Event.count()
    for condition in where:
        query = query.where(condition)
        count = count.where(condition)
    if after:
        starts_at, last_id = _decode_event_cursor(after)
        query = query.where(
            (Event.starts_at > starts_at) | ((Event.starts_at == starts_at) & (Event.id > last_id))
        )
    rows = await query.run() if size else []
    return Page(
        rows=rows[:size],
        total_count=await count.run(),
        has_next_page=len(rows) > size,
        has_previous_page=bool(after),
    )


@dataclass(frozen=True)
class RsvpCounts:
    going_people: int = 0
    going_seats: int = 0
    waitlisted_people: int = 0
    waitlisted_seats: int = 0


async def waitlists(event_ids: list[int]) -> dict[int, tuple[int, ...]]:
    """Each event's waitlisted RSVP ids in line order, in one statement (whoever may see an
    RSVP may know its place in line: `Rsvp.waitlistPosition`)."""
    if not event_ids:
        return {}
    rows = (
        await Rsvp.select(Rsvp.id, Rsvp.event)
        .where(Rsvp.event.is_in(event_ids) & (Rsvp.status == RsvpStatus.WAITLISTED.value))
        .order_by(Rsvp.queue_number)
        .order_by(Rsvp.id)
    )
    lines: dict[int, list[int]] = {}
    for row in rows:
        lines.setdefault(int(row["event"]), []).append(int(row["id"]))
    return {event_id: tuple(line) for event_id, line in lines.items()}


async def rsvp_counts(event_ids: list[int]) -> dict[int, RsvpCounts]:
    """Headcounts (people, and seats with their guests) per event, in one query."""
    if not event_ids:
        return {}
    rows = (
        await Rsvp.select(
            Rsvp.event,
            Rsvp.status,
            Count(alias="people"),
            Sum(Rsvp.guests, alias="guests"),
        )
        .where(
            Rsvp.event.is_in(sorted(set(event_ids)))
            & Rsvp.status.is_in([RsvpStatus.GOING.value, RsvpStatus.WAITLISTED.value])
        )
        .group_by(Rsvp.event, Rsvp.status)
    )
    tallies: dict[int, dict[str, int]] = {}
    for row in rows:
        tally = tallies.setdefault(row["event"], {})
        people, guests = int(row["people"]), int(row["guests"] or 0)
        tally[row["status"]] = people
        tally[row["status"] + "_seats"] = people + guests
    return {
        event_id: RsvpCounts(
            going_people=t.get("GOING", 0),
            going_seats=t.get("GOING_seats", 0),
            waitlisted_people=t.get("WAITLISTED", 0),
            waitlisted_seats=t.get("WAITLISTED_seats", 0),
        )
        for event_id, t in tallies.items()
    }


async def viewer_rsvps(viewer: Viewer, event_ids: list[int]) -> dict[int, RsvpRecord]:
    """The viewer's own RSVPs to these events, by event id."""
    if viewer.account_id is None or not event_ids:
        return {}
    rows = await Rsvp.select().where(
        (Rsvp.account == viewer.account_id) & Rsvp.event.is_in(sorted(set(event_ids)))
    )
    return {row["event"]: RsvpRecord.from_row(row) for row in rows}


def online_url_for(
    event: EventRecord, own_rsvp: RsvpRecord | None, relations: dict[int, Relation]
) -> str | None:
    """The event's online link if the viewer may have it: their own RSVP is GOING, or they
    administer the organization; None otherwise, or when there is no link."""
    if not event.online_url:
        return None
    admin = relations.get(event.organization) is Relation.ADMIN
    going = own_rsvp is not None and own_rsvp.status is RsvpStatus.GOING
    return event.online_url if admin or going else None


def event_page(site_url: str, event: EventRecord) -> str | None:
    """The address of the event's page on the public site, if it has one."""
    return addresses.event_url(
        site_url,
        event_id=event.id,
        title=event.title,
        status=event.status.value,
        audience=event.audience.value,
        organization_is_public=event.organization_is_public,
        ends_at=event.ends_at,
    )


# --- creating, changing and cancelling events ---------------------------------------------------


@dataclass(frozen=True)
class EventFields:
    """What an organizer writes; validated together, every problem reported at once."""

    title: str
    kind: EventKind
    format: EventFormat
    starts_at: datetime
    """With an offset, or without one: a wall-clock time in `time_zone`."""
    ends_at: datetime
    time_zone: str
    capacity: int | None = None
    description: str = ""
    venue: str = ""
    address: str = ""
    online_url: str = ""
    audience: EventAudience = EventAudience.OPEN_TO_GUESTS


def _validate(fields: EventFields, now: datetime) -> tuple[list[FieldError], EventFields]:
    """Every problem with `fields`, and the fields with their times as UTC instants."""
    errors: list[FieldError] = []

    def problem(field: str, code: EventErrorCode, message: str) -> None:
        errors.append(FieldError(field, code, message))

    title = fields.title.strip()
    if not title:
        problem("title", EventErrorCode.TITLE_REQUIRED, "Give the event a title.")
    elif len(title) > MAX_TITLE_LENGTH:
        problem(
            "title",
            EventErrorCode.TITLE_TOO_LONG,
            f"Use at most {MAX_TITLE_LENGTH} characters for the title.",
        )
    if len(fields.description) > MAX_MARKDOWN_LENGTH:
        problem(
            "description",
            EventErrorCode.DESCRIPTION_TOO_LONG,
            f"Keep the description under {MAX_MARKDOWN_LENGTH} characters.",
        )
    values = {
        "title": fields.title,
        "venue": fields.venue,
        "address": fields.address,
        "onlineUrl": fields.online_url,
    }
    for field in _ONE_LINE_FIELDS:
        if any(character in values[field] for character in "\t\n\r"):
            problem(
                field,
                EventErrorCode.INVALID_CHARACTERS,
                f"Keep the {_FIELD_NAMES[field]} on one line, without tabs.",
            )
    zone_known = is_time_zone(fields.time_zone)
    if not zone_known:
        problem(
            "timeZone",
            EventErrorCode.INVALID_TIME_ZONE,
            f"{fields.time_zone!r} is not a time zone; use an IANA name like Europe/Berlin "
            "or America/New_York.",
        )
    instants: dict[str, datetime] = {}
    for field, value in (("startsAt", fields.starts_at), ("endsAt", fields.ends_at)):
        if value.utcoffset() is not None:
            instants[field] = as_utc(value)
        elif not zone_known:
            problem(
                field,
                EventErrorCode.TIME_ZONE_OFFSET_MISSING,
                "A time without its UTC offset is read in `timeZone`, which is not valid; fix "
                "it, or give the offset, like 2027-03-04T18:30:00+01:00.",
            )
        else:
            try:
                instants[field] = as_utc(local_time(value, fields.time_zone))
            except NonexistentLocalTime:
                problem(
                    field,
                    EventErrorCode.NONEXISTENT_LOCAL_TIME,
                    f"{value:%Y-%m-%d %H:%M} does not exist in {fields.time_zone}: the clocks "
                    "skip that hour when daylight saving time begins. Choose another time.",
                )
    starts_at, ends_at = instants.get("startsAt"), instants.get("endsAt")
    if starts_at is not None and starts_at - now > MAX_LEAD_TIME:
        # Checked first: the end of an event in year 9999 is no use to compare.
        problem("startsAt", EventErrorCode.TOO_FAR_AHEAD, "Events start at most 10 years ahead.")
    elif starts_at is not None:
        if starts_at <= now:
            problem(
                "startsAt", EventErrorCode.STARTS_IN_PAST, "The event must start in the future."
            )
        if ends_at is not None and ends_at <= starts_at:
            problem(
                "endsAt", EventErrorCode.ENDS_BEFORE_START, "The event must end after it starts."
            )
        elif ends_at is not None and ends_at - starts_at > MAX_DURATION:
            problem("endsAt", EventErrorCode.TOO_LONG, "Events last at most 31 days.")
    online = fields.format in (EventFormat.VIRTUAL, EventFormat.HYBRID)
    if len(fields.venue.strip()) > MAX_VENUE_LENGTH:
        problem("venue", EventErrorCode.VENUE_TOO_LONG, "Use at most 200 characters.")
    if len(fields.address.strip()) > MAX_ADDRESS_LENGTH:
        problem("address", EventErrorCode.VENUE_TOO_LONG, "Use at most 500 characters.")
    online_url = fields.online_url.strip()
    if online and not online_url:
        problem(
            "onlineUrl",
            EventErrorCode.ONLINE_URL_REQUIRED,
            "Give the link attendees join online with.",
        )
    elif online_url and (len(online_url) > MAX_URL_LENGTH or not is_web_address(online_url)):
        problem(
            "onlineUrl",
            EventErrorCode.INVALID_ONLINE_URL,
            "Give the online link as a full web address starting with https://.",
        )
    if fields.capacity is not None and not 1 <= fields.capacity <= MAX_CAPACITY:
        problem(
            "capacity",
            EventErrorCode.INVALID_CAPACITY,
            f"Give the capacity as a whole number from 1 to {MAX_CAPACITY}, or leave it out "
            "for no limit.",
        )
    if errors:
        return errors, fields
    assert starts_at is not None and ends_at is not None
    return errors, replace(fields, starts_at=starts_at, ends_at=ends_at)


async def _columns(fields: EventFields) -> dict[str, Any]:
    in_person = fields.format in (EventFormat.IN_PERSON, EventFormat.HYBRID)
    online = fields.format in (EventFormat.VIRTUAL, EventFormat.HYBRID)
    return {
        "title": fields.title.strip(),
        "description": fields.description,
        "description_html": await render_markdown_off_loop(fields.description),
        "kind": fields.kind.value,
        "format": fields.format.value,
        "starts_at": fields.starts_at,
        "ends_at": fields.ends_at,
        "time_zone": fields.time_zone,
        "venue": fields.venue.strip() if in_person else "",
        "address": fields.address.strip() if in_person else "",
        # A link kept on an in-person event would leak to anyone later shown it.
        "online_url": fields.online_url.strip() if online else "",
        "capacity": fields.capacity,
        "audience": fields.audience.value,
    }


async def create_event(
    viewer: Viewer, organization_id: int, fields: EventFields, *, now: datetime | None = None
) -> EventRecord:
    """A PUBLISHED event of an organization the viewer owns or administers.

    `now` is when "the future" starts; the demo seeder passes an earlier one to make past
    events.
    """
    account_id = viewer.require_account()
    if not await Organization.exists().where(Organization.id == organization_id):
        raise InvalidInput(
            FieldError("organizationId", EventErrorCode.NOT_FOUND, "No organization has this id.")
        )
    await require_admin(viewer, organization_id)
    columns = await _columns(_valid(fields, now or datetime.now(UTC)))
    async with write_transaction():
        [row] = await Event.insert(
            Event(
                organization=organization_id,
                created_by=account_id,
                status=EventStatus.PUBLISHED.value,
                **columns,
            )
        ).returning(Event.id)
        await record_change(OUTBOX_KIND, row["id"], OutboxAction.UPSERT)
    return await _found(row["id"])


def _valid(fields: EventFields, now: datetime) -> EventFields:
    """`fields` with their times as UTC instants; every problem with them at once."""
    errors, fields = _validate(fields, now)
    if errors:
        raise InvalidInput(*errors)
    return fields


async def _found(event_id: int) -> EventRecord:
    """An event just written (by this request, so it is there)."""
    event = await _event(event_id)
    assert event is not None
    return event


async def _managed(viewer: Viewer, event_id: int) -> EventRecord:
    """The event, if the viewer administers its organization; NOT_FOUND when they may not
    even see it (nothing leaks), Forbidden when they may see but not manage it."""
    viewer.require_account()
    event = await _event(event_id)
    if event is None:
        raise _not_found()
    relations = await viewer_relations(viewer)
    if relations.get(event.organization) is not Relation.ADMIN:
        if _may_see(event, relations):
            raise Forbidden("Only the organization's owners and admins may manage its events.")
        raise _not_found()
    return event


class _EventLifecycle(Lifecycle[EventStatus]):
    """Says why an event refuses a move: it is cancelled, or (the only reason a published
    event refuses one) it has already taken place."""

    def illegal(
        self, verb: str, status: str, field: str | None = None, hint: str = ""
    ) -> InvalidInput:
        why = (
            "a cancelled event"
            if status == EventStatus.CANCELLED.value
            else "an event that has already taken place"
        )
        return InvalidInput(FieldError(field or self.field, self.code, f"Cannot {verb} {why}."))


#: The events' lifecycle: each verb moves only an event that has not ended yet (`_move`).
EVENTS = _EventLifecycle(
    Event,
    noun="event",
    field="id",
    code=EventErrorCode.ILLEGAL_TRANSITION,
    moves=[
        Move("change", {EventStatus.PUBLISHED}, EventStatus.PUBLISHED),
        Move("cancel", {EventStatus.PUBLISHED}, EventStatus.CANCELLED),
    ],
)


def _check(verb: str, event: EventRecord, now: datetime) -> None:
    """Refuse early, before other work, what `_move` would refuse."""
    if not EVENTS.may(verb, event.status) or event.ends_at <= now:
        raise EVENTS.illegal(verb, event.status.value)


async def _move(verb: str, event_id: int, now: datetime, values: Mapping[str, Any]) -> None:
    """Move the event by `verb`, compare-and-set: of two racing verbs only one finds it still
    published and not over. The UPDATE holds the event's row, as `_lock` does."""
    columns = {getattr(Event, name): value for name, value in values.items()}
    await EVENTS.apply(
        verb, event_id, values={**columns, Event.updated_at: now}, where=Event.ends_at > now
    )


async def update_event(
    viewer: Viewer, event_id: int, fields: EventFields, *, now: datetime | None = None
) -> EventRecord:
    """Change an upcoming event's fields; a larger capacity promotes the waitlist at once."""
    now = now or datetime.now(UTC)
    before = await _managed(viewer, event_id)
    _check("change", before, now)
    fields = _valid(fields, now)
    columns = await _columns(fields)
    changed = _what_changed(before, columns)
    if "time" in changed:
        columns["reminded_at"] = None  # remind those going of the new time
    async with write_transaction():
        await _move("change", event_id, now, columns)
        await _promote_waitlist(event_id, fields.capacity, now)
        await record_change(OUTBOX_KIND, event_id, OutboxAction.UPSERT)
        if changed:
            await notify(
                NotificationKind.EVENT_UPDATED,
                recipients=await _answering(event_id),
                actor=viewer.account_id,
                subject=Subject("Event", event_id, columns["title"]),
                detail=changed,
            )
    return await _found(event_id)


#: How long before an event those going are reminded of it.
REMIND_BEFORE = timedelta(hours=24)


async def remind_upcoming(now: datetime) -> int:
    """Remind those going to every published event starting within REMIND_BEFORE that they
    were not reminded of (EVENT_REMINDER); how many events. Each event is claimed
    compare-and-set in the transaction that tells its guests: reminded once, on any node."""
    reminded = 0
    while True:
        # Read first: most minutes find nothing, and need not take SQLite's write lock.
        row = (
            await Event.select(Event.id, Event.title)
            .where(
                (Event.status == EventStatus.PUBLISHED.value)
                & Event.reminded_at.is_null()
                & (Event.starts_at > now)
                & (Event.starts_at <= now + REMIND_BEFORE)
            )
            .order_by(Event.starts_at)
            .first()
        )
        if row is None:
            return reminded
        async with write_transaction():
            claimed = (
                await Event.update({Event.reminded_at: now})
                .where((Event.id == row["id"]) & Event.reminded_at.is_null())
                .returning(Event.id)
            )
            if not claimed:
                continue  # another node reminded them
            going = await Rsvp.select(Rsvp.account).where(
                (Rsvp.event == row["id"]) & (Rsvp.status == RsvpStatus.GOING.value)
            )
            await notify(
                NotificationKind.EVENT_REMINDER,
                recipients=[answer["account"] for answer in going],
                actor=None,
                subject=Subject("Event", row["id"], row["title"]),
            )
        reminded += 1


def _what_changed(before: EventRecord, columns: Mapping[str, Any]) -> str:
    """What those going need to hear of ("time, place"); empty for other edits (a typo in
    the description tells nobody)."""
    changes = []
    if (before.starts_at, before.ends_at) != (columns["starts_at"], columns["ends_at"]):
        changes.append("time")
    if (before.venue, before.address) != (columns["venue"], columns["address"]):
        changes.append("place")
    if before.format.value != columns["format"]:
        changes.append("format")
    if before.online_url != columns["online_url"]:
        changes.append("online link")
    return ", ".join(changes)


async def cancel_event(viewer: Viewer, event_id: int) -> EventRecord:
    """PUBLISHED -> CANCELLED, before the event ends. RSVPs are kept, as a record."""
    now = datetime.now(UTC)
    event = await _managed(viewer, event_id)
    _check("cancel", event, now)
    async with write_transaction():
        await _move("cancel", event_id, now, {"cancelled_at": now})
        await record_change(OUTBOX_KIND, event_id, OutboxAction.UPSERT)
        await notify(
            NotificationKind.EVENT_CANCELLED,
            recipients=await _answering(event_id),
            actor=viewer.account_id,
            subject=Subject("Event", event_id, event.title),
        )
    return await _found(event_id)


# --- RSVPs --------------------------------------------------------------------------------------


async def _lock(event_id: int) -> None:
    """Hold the event's row until the transaction ends, so RSVPs to it queue one by one.

    SQLite needs nothing more: `write_transaction` is IMMEDIATE, one writer at a time.
    """
    if isinstance(current_engine(), PostgresEngine):
        await Event.select(Event.id).where(Event.id == event_id).lock_rows(of=(Event,))


#: An RSVP's moves, each compare-and-set on the status it was read in (under the event's
#: lock, so nothing else moves it meanwhile; the check costs nothing and keeps it so).
RSVPS: Lifecycle[RsvpStatus] = Lifecycle(
    Rsvp,
    noun="RSVP",
    field="eventId",
    code=EventErrorCode.ILLEGAL_TRANSITION,
    moves=[
        # GOING when seats are free and nobody waits, else WAITLISTED
        Move("go", {RsvpStatus.NOT_GOING}),
        Move("change", {RsvpStatus.GOING, RsvpStatus.WAITLISTED}),  # the guests, in place
        Move("decline", {RsvpStatus.GOING, RsvpStatus.WAITLISTED, RsvpStatus.NOT_GOING}),
        Move("promote", {RsvpStatus.WAITLISTED}, RsvpStatus.GOING),
    ],
)


async def _answering(event_id: int) -> list[int]:
    """The accounts GOING to the event or WAITLISTED (only their ids: there may be
    thousands)."""
    rows = await Rsvp.select(Rsvp.account).where(
        (Rsvp.event == event_id)
        & Rsvp.status.is_in([RsvpStatus.GOING.value, RsvpStatus.WAITLISTED.value])
    )
    return [row["account"] for row in rows]


async def _answers(event_id: int, account_id: int | None = None) -> list[RsvpRecord]:
    """The event's GOING and WAITLISTED answers, and `account_id`'s whatever it is."""
    answering = Rsvp.status.is_in([RsvpStatus.GOING.value, RsvpStatus.WAITLISTED.value])
    if account_id is not None:
        answering |= Rsvp.account == account_id
    rows = await Rsvp.select().where((Rsvp.event == event_id) & answering)
    return [RsvpRecord.from_row(row) for row in rows]


def _seats(answers: list[RsvpRecord]) -> int:
    """Seats taken by the parties going among `answers`."""
    return sum(1 + answer.guests for answer in answers if answer.status is RsvpStatus.GOING)


async def _promote_waitlist(event_id: int, capacity: int | None, now: datetime) -> None:
    """Move waitlisted parties to GOING in strict order while the first in line fits."""
    answers = await _answers(event_id)
    taken = _seats(answers)
    waiting = sorted(
        (answer for answer in answers if answer.status is RsvpStatus.WAITLISTED),
        key=lambda answer: (answer.queue_number, answer.id),
    )
    promoted: list[int] = []
    for answer in waiting:
        party = 1 + answer.guests
        if capacity is not None and taken + party > capacity:
            break  # head of line: nobody overtakes the first in line
        taken += party
        await RSVPS.apply(
            "promote", answer.id, values={Rsvp.queue_number: None, Rsvp.updated_at: now}
        )
        promoted.append(answer.account)
    if promoted:
        event = await Event.select(Event.title).where(Event.id == event_id).first()
        await notify(
            NotificationKind.WAITLIST_PROMOTED,
            recipients=promoted,
            actor=None,
            subject=Subject("Event", event_id, event["title"] if event else ""),
        )


async def promote_after_leaving(event_ids: list[int], now: datetime) -> None:
    """Fill the seats freed when attendees' RSVPs were removed without an answer (their
    account was deleted): the upcoming events' waitlists move up. Call in that transaction."""
    if not event_ids:
        return
    rows = await Event.select(Event.id, Event.capacity).where(
        Event.id.is_in(event_ids)
        & (Event.status == EventStatus.PUBLISHED.value)
        & (Event.starts_at > now)
    )
    for row in rows:
        await _promote_waitlist(row["id"], row["capacity"], now)


async def _admit_prospect(organization_id: int, account_id: int) -> None:
    """Make a non-member a GUEST of the organization, or refuse someone an admin removed."""
    membership = await membership_of(organization_id, account_id)
    if membership is None:
        await Membership.insert(
            Membership(
                organization=organization_id,
                account=account_id,
                role=MembershipRole.GUEST.value,
                status=MembershipStatus.ACTIVE.value,
            )
        )
    elif membership["status"] == MembershipStatus.REMOVED.value:
        raise InvalidInput(
            FieldError(
                "eventId",
                EventErrorCode.NOT_ALLOWED,
                "The organization's admins removed your membership; you cannot RSVP.",
            )
        )
    elif membership["status"] in (MembershipStatus.LEFT.value, MembershipStatus.DECLINED.value):
        await Membership.update(
            {
                Membership.role: MembershipRole.GUEST.value,
                Membership.status: MembershipStatus.ACTIVE.value,
                Membership.updated_at: datetime.now(UTC),
            }
        ).where(Membership.id == membership["id"])
    else:
        return  # INVITED: the invitation stands; nothing to record
    await record_person_change(account_id)


async def rsvp(
    viewer: Viewer,
    event_id: int,
    response: RsvpStatus,
    guests: int = 0,
    *,
    now: datetime | None = None,
) -> RsvpRecord:
    """Answer GOING (maybe WAITLISTED) or NOT_GOING, with guests; promotes the waitlist."""
    account_id = viewer.require_account()
    now = now or datetime.now(UTC)
    if response is RsvpStatus.WAITLISTED:
        raise BadUserInput("Answer GOING or NOT_GOING; the waitlist is decided for you.")
    if response is RsvpStatus.NOT_GOING:
        guests = 0
    elif not 0 <= guests <= MAX_GUESTS:
        raise InvalidInput(
            FieldError(
                "guests",
                EventErrorCode.INVALID_GUESTS,
                f"Bring between 0 and {MAX_GUESTS} guests.",
            )
        )
    async with write_transaction():
        await _lock(event_id)
        event = await _event(event_id)
        relations = _relations(await memberships_of(account_id))  # fresh: inside the lock
        if event is None or not _may_see(event, relations):
            raise _not_found("eventId")
        if event.status is EventStatus.CANCELLED:
            raise InvalidInput(
                FieldError("eventId", EventErrorCode.EVENT_CANCELLED, "This event is cancelled.")
            )
        if event.ends_at <= now:
            raise InvalidInput(
                FieldError("eventId", EventErrorCode.EVENT_PAST, "This event has taken place.")
            )
        relation = relations.get(event.organization, Relation.NONE)
        if relation is Relation.NONE and response is RsvpStatus.GOING:
            await _admit_prospect(event.organization, account_id)
        await _answer(event, account_id, response, guests, now)
        await _promote_waitlist(event_id, event.capacity, now)
        row = (
            await Rsvp.select()
            .where((Rsvp.event == event_id) & (Rsvp.account == account_id))
            .first()
        )
    assert row is not None
    return RsvpRecord.from_row(row)


async def _answer(
    event: EventRecord, account_id: int, response: RsvpStatus, guests: int, now: datetime
) -> None:
    """Record one answer (under the event's lock); the waitlist is promoted afterwards."""
    answers = await _answers(event.id, account_id)
    own = next((answer for answer in answers if answer.account == account_id), None)
    others = [answer for answer in answers if answer.account != account_id]
    taken = _seats(others)
    queue = [answer.queue_number for answer in others if answer.status is RsvpStatus.WAITLISTED]
    fits = event.capacity is None or taken + 1 + guests <= event.capacity
    to = RsvpStatus.GOING if fits and not queue else RsvpStatus.WAITLISTED
    values: dict[Any, Any] = {
        Rsvp.guests: guests,
        Rsvp.updated_at: now,
        Rsvp.queue_number: max(queue, default=0) + 1 if to is RsvpStatus.WAITLISTED else None,
    }
    if response is RsvpStatus.NOT_GOING:
        verb, to = "decline", RsvpStatus.NOT_GOING
        values[Rsvp.queue_number] = None
    elif own is None or own.status is RsvpStatus.NOT_GOING:
        verb = "go"
    elif own.status is RsvpStatus.GOING:
        if guests > own.guests and (queue or not fits):
            free = max(0, (event.capacity or 0) - taken - 1 - own.guests)
            raise InvalidInput(
                FieldError(
                    "guests",
                    EventErrorCode.NOT_ENOUGH_SPOTS,
                    f"No seats for more guests ({free} free"
                    + (", and people are waiting" if queue else "")
                    + f"); you stay going with {own.guests} guests.",
                )
            )
        verb, to, values[Rsvp.queue_number] = "change", RsvpStatus.GOING, None
    else:
        verb, to = "change", RsvpStatus.WAITLISTED
        del values[Rsvp.queue_number]  # they keep their place in line
    if own is None:
        await Rsvp.insert(
            Rsvp(
                event=event.id,
                account=account_id,
                status=to.value,
                guests=guests,
                queue_number=values.get(Rsvp.queue_number),
            )
        )
    else:
        await RSVPS.apply(verb, own.id, to=to, values=values)


async def rsvps_by_ids(viewer: Viewer, ids: list[int]) -> dict[int, RsvpRecord]:
    """RSVPs the viewer may see: their own, and those to visible events of organizations
    they are an active member of."""
    if viewer.account_id is None or not ids:
        return {}
    rows = await Rsvp.select().where(Rsvp.id.is_in(sorted(set(ids))))
    answers = [RsvpRecord.from_row(row) for row in rows]
    foreign = [answer.event for answer in answers if answer.account != viewer.account_id]
    events = await events_by_ids(viewer, foreign)
    relations = await viewer_relations(viewer)
    return {
        answer.id: answer
        for answer in answers
        if answer.account == viewer.account_id
        or (
            answer.event in events
            and relations.get(events[answer.event].organization)
            in (Relation.ADMIN, Relation.MEMBER)
        )
    }


async def attendees(
    viewer: Viewer,
    event: EventRecord,
    status: RsvpStatus,
    *,
    first: int | None,
    after: str | None,
    first_pages: Callable[[tuple[int, RsvpStatus, int]], Awaitable[Page | None]] | None = None,
) -> Page | None:
    """RSVPs of one status to a visible event, for the organization's members only (None for
    anyone else). GOING and NOT_GOING in order of response; WAITLISTED in line order.

    `first_pages` loads first pages batched across events (a DataLoader over
    `first_attendee_pages`, keyed (event id, status, page size)); used when `after` is None.
    """
    if not await is_member_of(viewer, event.organization):
        return None
    if after is None and first_pages is not None:
        return await first_pages((event.id, status, page_size(first)))
    where = [(Rsvp.event == event.id) & (Rsvp.status == status.value)]
    if status is not RsvpStatus.WAITLISTED:
        return await paginate(Rsvp, where=where, first=first, after=after)
    # The line is short; it is read whole and cut into the page here.
    size = page_size(first)
    line = await Rsvp.select().where(where[0]).order_by(Rsvp.queue_number).order_by(Rsvp.id)
    start = 0
    if after:
        after_id = decode_cursor(after)
        start = next((i + 1 for i, r in enumerate(line) if r["id"] == after_id), len(line))
    rows = line[start : start + size]
    return Page(
        rows=rows,
        total_count=len(line),
        has_next_page=start + size < len(line),
        has_previous_page=start > 0,
    )


async def first_attendee_pages(
    event_ids: list[int], status: RsvpStatus, size: int
) -> dict[int, Page]:
    """The first page of RSVPs of one status for each event, in three queries for them all
    (a page of events asking for their attendees must not cost a query per event)."""
    return await first_pages(
        Rsvp,
        Rsvp.event,
        event_ids,
        size,
        status=Rsvp.status,
        value=status.value,
        order_by=[Rsvp.queue_number] if status is RsvpStatus.WAITLISTED else (),
    )


async def my_rsvps(viewer: Viewer, *, upcoming: bool, first: int | None, after: str | None) -> Page:
    """The viewer's RSVPs, in order of response; `upcoming`: to events not yet over."""
    account_id = viewer.require_account()
    where: list[Any] = [Rsvp.account == account_id]
    if upcoming:
        where.append(Rsvp.event.ends_at > datetime.now(UTC))
    return await paginate(Rsvp, where=where, first=first, after=after, columns=Rsvp.all_columns())


# --- calendars ----------------------------------------------------------------------------------


async def visible_event(viewer: Viewer, event_id: int) -> EventRecord | None:
    return (await events_by_ids(viewer, [event_id])).get(event_id)


async def calendar_events(viewer: Viewer, slug: str) -> tuple[str, list[EventRecord]] | None:
    """An organization's name and its upcoming, not cancelled events the viewer may see; None
    when there is no such organization or the viewer may not see it."""
    organization = await Organization.select().where(Organization.slug == slug).first()
    if organization is None:
        return None
    relations = await viewer_relations(viewer)
    if not organization["is_public"] and relations.get(organization["id"], Relation.NONE) is (
        Relation.NONE
    ):
        return None
    rows = (
        await Event.select(*_COLUMNS)
        .where(
            _visible_condition(relations)
            & (Event.organization == organization["id"])
            & (Event.status == EventStatus.PUBLISHED.value)
            & (Event.ends_at > datetime.now(UTC))
        )
        .order_by(Event.starts_at, Event.id)
        .limit(CALENDAR_SIZE)
    )
    return organization["name"], [EventRecord.of(row) for row in rows]


async def organization_id_by_slug(slug: str) -> int | None:
    row = await Organization.select(Organization.id).where(Organization.slug == slug).first()
    return row["id"] if row else None

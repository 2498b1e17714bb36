"""The tables behind events and RSVPs."""

from enum import Enum

from piccolo.columns import ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from api.networks.tables import Organization
from api.people.tables import Account


class EventKind(Enum):
    MEETUP = "MEETUP"
    SEMINAR = "SEMINAR"
    CONFERENCE = "CONFERENCE"
    TRADE_SHOW = "TRADE_SHOW"
    MIXER = "MIXER"


class EventFormat(Enum):
    IN_PERSON = "IN_PERSON"
    VIRTUAL = "VIRTUAL"
    HYBRID = "HYBRID"


class EventAudience(Enum):
    MEMBERS_ONLY = "MEMBERS_ONLY"
    OPEN_TO_GUESTS = "OPEN_TO_GUESTS"


class EventStatus(Enum):
    PUBLISHED = "PUBLISHED"
    CANCELLED = "CANCELLED"


class RsvpStatus(Enum):
    GOING = "GOING"
    WAITLISTED = "WAITLISTED"
    NOT_GOING = "NOT_GOING"


class Event(Table):
    """A meetup, seminar, conference, trade show or mixer an organization holds."""

    organization = ForeignKey(references=Organization, on_delete=OnDelete.cascade, index=True)
    created_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    title = Varchar(length=200)
    description = Text(default="")
    description_html = Text(default="")
    kind = Varchar(length=20, choices=EventKind)
    format = Varchar(length=20, choices=EventFormat)
    starts_at = Timestamptz(index=True)
    ends_at = Timestamptz()
    time_zone = Varchar(length=64)
    venue = Varchar(length=200, default="")
    address = Varchar(length=500, default="")
    online_url = Varchar(length=1000, default="")
    capacity = Integer(null=True, default=None)
    """Seats, counting every attendee and their guests; null: no limit."""
    audience = Varchar(length=20, choices=EventAudience, default=EventAudience.MEMBERS_ONLY.value)
    status = Varchar(length=20, choices=EventStatus, default=EventStatus.PUBLISHED.value)
    cancelled_at = Timestamptz(null=True, default=None)
    reminded_at = Timestamptz(null=True, default=None)
    """When those going were reminded (EVENT_REMINDER, a day before); cleared when the
    event moves to another time, so they are reminded of the new one."""
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class Rsvp(Table, tablename="event_rsvp"):
    """One person's answer to one event, with the guests they bring."""

    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, index=True)
    account = ForeignKey(references=Account, on_delete=OnDelete.cascade, index=True)
    status = Varchar(length=20, choices=RsvpStatus)
    guests = Integer(default=0)
    queue_number = Integer(null=True, default=None)
    """The place in the event's waitlist, in order of response; null when not waitlisted."""
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class CalendarSubscription(Table, tablename="calendar_subscription"):
    """A member's secret address of an organization's calendar, for calendar apps (which
    cannot sign in). One per member and organization; issuing a new one replaces it."""

    account = ForeignKey(references=Account, on_delete=OnDelete.cascade, index=True)
    organization = ForeignKey(references=Organization, on_delete=OnDelete.cascade, index=True)
    key = Varchar(length=64)
    """Random; the address's secret is derived from it and the server's secret key."""
    token_hash = Varchar(length=64, unique=True, index=True)
    """SHA-256 of the secret, to find the subscription an address names."""
    created_at = Timestamptz(default=TimestamptzNow())

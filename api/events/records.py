"""Events, RSVPs and calendar subscriptions as the services hand them on: typed, read once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from api.core.records import Record
from api.events.tables import EventAudience, EventFormat, EventKind, EventStatus, RsvpStatus


@dataclass(frozen=True)
class EventRecord(Record):
    id: int
    organization: int
    created_by: int | None
    title: str
    description: str
    description_html: str
    kind: EventKind
    format: EventFormat
    starts_at: datetime
    """The stored instant (UTC); shown in `time_zone`."""
    ends_at: datetime
    time_zone: str
    venue: str
    address: str
    online_url: str
    """As stored: who may be shown it is the service's `online_url_for`."""
    capacity: int | None
    audience: EventAudience
    status: EventStatus
    cancelled_at: datetime | None
    created_at: datetime
    updated_at: datetime
    organization_is_public: bool

    @classmethod
    def of(cls, row: dict[str, Any]) -> EventRecord:
        """The record of a row read with the events service's columns (SQLite answers the
        organization's `is_public` as a number)."""
        return cls.from_row(row, organization_is_public=bool(row["organization_is_public"]))


@dataclass(frozen=True)
class RsvpRecord(Record):
    id: int
    event: int
    account: int
    status: RsvpStatus
    guests: int
    queue_number: int | None
    """The place in the waitlist; None when not waitlisted."""
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class CalendarSubscriptionRecord(Record):
    id: int
    account: int
    organization: int
    organization_slug: str
    key: str
    created_at: datetime

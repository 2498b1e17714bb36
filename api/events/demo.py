"""Demo events for one meetup group: a series of past and upcoming events in several kinds,
formats and time zones, one full with a waitlist, one members-only, one cancelled — with
RSVPs from the given people, all through the services."""

from __future__ import annotations

import random
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from api.core.errors import InvalidInput
from api.core.viewer import Viewer
from api.events import service
from api.events.service import EventFields
from api.events.tables import EventAudience, EventFormat, EventKind, RsvpStatus

DEMO_SEED = 2026


@dataclass(frozen=True)
class DemoEvent:
    title: str
    kind: EventKind
    format: EventFormat
    days_from_now: int
    local_hour: int
    hours: int
    time_zone: str
    capacity: int | None = None
    audience: EventAudience = EventAudience.OPEN_TO_GUESTS
    venue: str = ""
    address: str = ""
    description: str = ""
    cancelled: bool = False


SERIES = [
    DemoEvent("Lightning talks: what we shipped this year", EventKind.MEETUP,
              EventFormat.IN_PERSON, -60, 18, 3, "Europe/Berlin", 60, venue="Betahaus",
              address="Rudi-Dutschke-Straße 23, 10969 Berlin"),
    DemoEvent("Intro to async Python (seminar)", EventKind.SEMINAR, EventFormat.VIRTUAL, -30,
              12, 2, "America/New_York", 200),
    DemoEvent("Summer mixer", EventKind.MIXER, EventFormat.IN_PERSON, -10, 19, 3,
              "Europe/Berlin", venue="Prinzessinnengarten"),
    DemoEvent("Data pipelines night", EventKind.MEETUP, EventFormat.HYBRID, 6, 18, 3,
              "Europe/Berlin", 6, venue="c-base", address="Rungestraße 20, 10179 Berlin",
              description="Three talks on **pipelines**, then pizza.\n\n"
              "- Airflow at scale\n- dbt in practice\n- Streaming with Kafka"),
    DemoEvent("Members' annual meeting", EventKind.MEETUP, EventFormat.HYBRID, 13, 19, 2,
              "Europe/Berlin", audience=EventAudience.MEMBERS_ONLY, venue="Betahaus",
              description="The year in review, the budget, and electing the board."),
    DemoEvent("PyCon satellite conference", EventKind.CONFERENCE, EventFormat.IN_PERSON, 27, 9,
              30, "America/New_York", 250, venue="Javits Center",
              address="429 11th Ave, New York, NY 10001"),
    DemoEvent("Careers fair", EventKind.TRADE_SHOW, EventFormat.IN_PERSON, 41, 10, 7,
              "Asia/Tokyo", 120, venue="Tokyo Big Sight"),
    DemoEvent("Remote pairing session", EventKind.SEMINAR, EventFormat.VIRTUAL, 20, 17, 2,
              "America/Los_Angeles", 12, cancelled=True),
]  # fmt: skip


@dataclass(frozen=True)
class EventsDemoSummary:
    events: int
    rsvps: int
    waitlisted: int


async def seed_events_demo(
    organization_id: int,
    admin: Viewer,
    members: list[Viewer],
    *,
    now: datetime | None = None,
) -> EventsDemoSummary:
    """Create the SERIES for `organization_id` and have `members` answer.

    `admin` must be an active OWNER or ADMIN of the organization. `members` may be its
    members or not: a non-member answering an event open to guests becomes a GUEST, and one
    refused (a members-only event) is skipped. Give at least ten people for the full event
    to gain a waitlist.
    """
    rng = random.Random(DEMO_SEED)
    now = now or datetime.now(UTC)
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    long_ago = now - timedelta(days=365)
    rsvps = 0
    event_ids = []
    for number, spec in enumerate(SERIES):
        local = (today + timedelta(days=spec.days_from_now)).date()
        zone = zoneinfo.ZoneInfo(spec.time_zone)
        starts = datetime(local.year, local.month, local.day, spec.local_hour, tzinfo=zone)
        past = spec.days_from_now < 0
        online = spec.format in (EventFormat.VIRTUAL, EventFormat.HYBRID)
        event = await service.create_event(
            admin,
            organization_id,
            EventFields(
                title=spec.title,
                kind=spec.kind,
                format=spec.format,
                starts_at=starts,
                ends_at=starts + timedelta(hours=spec.hours),
                time_zone=spec.time_zone,
                capacity=spec.capacity,
                description=spec.description or f"Join us for *{spec.title.lower()}*.",
                venue=spec.venue,
                address=spec.address,
                online_url=f"https://meet.example.org/demo-{number}" if online else "",
                audience=spec.audience,
            ),
            now=long_ago if past else now,
        )
        # Answer as of just before the event, so past events get their attendees too.
        answered_at = starts - timedelta(days=1) if past else now
        for person in rng.sample(members, k=min(len(members), rng.randint(8, 14))):
            response = RsvpStatus.GOING if rng.random() < 0.85 else RsvpStatus.NOT_GOING
            guests = rng.choice([0, 0, 0, 1, 2]) if response is RsvpStatus.GOING else 0
            try:
                await service.rsvp(person, event["id"], response, guests, now=answered_at)
            except InvalidInput:
                continue  # a members-only event, and this person is no member
            rsvps += 1
        event_ids.append(event["id"])
        if spec.cancelled:
            await service.cancel_event(admin, event["id"])
    counts = await service.rsvp_counts(event_ids)
    waitlisted = sum(c.waitlisted_people for c in counts.values())
    return EventsDemoSummary(events=len(SERIES), rsvps=rsvps, waitlisted=waitlisted)

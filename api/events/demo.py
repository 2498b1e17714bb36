"""Demo meetup groups and their events: each group meets in its own city and time zone (the
demo shows several zones through several groups), with past and upcoming events in several
kinds and formats, one full with a waitlist, one members-only, one cancelled — with RSVPs
from the given people, all through the services."""

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
    capacity: int | None = None
    audience: EventAudience = EventAudience.OPEN_TO_GUESTS
    venue: str = ""
    address: str = ""
    description: str = ""
    cancelled: bool = False


@dataclass(frozen=True)
class DemoGroup:
    name: str
    interest: str
    description: str
    location: str
    time_zone: str
    """Every event of the group is in this zone, at the local hours its series gives."""
    series: tuple[DemoEvent, ...]


K, F = EventKind, EventFormat
BETAHAUS = ("Betahaus", "Rudi-Dutschke-Straße 23, 10969 Berlin")
CIVIC_HALL = ("Civic Hall", "124 East 14th Street, New York, NY 10003")
#: The first event is the full one: the events guide's examples read its attendees and
#: waitlist (as `Event:1`, the demo's first event).
BERLIN = DemoGroup(
    name="Berlin Python Meetup",
    interest="Python, data and the people who write it",
    description="Talks, workshops and a drink afterwards, every month in Berlin.",
    location="Berlin, Germany",
    time_zone="Europe/Berlin",
    series=(
        DemoEvent("Hands-on workshop: testing data pipelines", K.SEMINAR, F.IN_PERSON,
                  days_from_now=6, local_hour=18, hours=3, capacity=6,
                  venue="c-base", address="Rungestraße 20, 10179 Berlin",
                  description="Bring a laptop: we write **pytest** checks for a small Airflow "
                  "pipeline together.\n\n- Fixtures for test data\n- Checking a DAG without "
                  "running it\n- Data quality tests that fail loudly\n\nSix seats, so "
                  "everyone gets help."),
        DemoEvent("Lightning talks: what we shipped", K.MEETUP, F.IN_PERSON,
                  days_from_now=-60, local_hour=18, hours=3, capacity=60,
                  venue=BETAHAUS[0], address=BETAHAUS[1],
                  description="Five-minute talks from members about something they built "
                  "or broke this year."),
        DemoEvent("Intro to async Python", K.SEMINAR, F.VIRTUAL,
                  days_from_now=-30, local_hour=12, hours=2, capacity=200,
                  description="A lunchtime introduction to `asyncio`: event loops, tasks and "
                  "when not to bother."),
        DemoEvent("Members' mixer", K.MIXER, F.IN_PERSON,
                  days_from_now=-10, local_hour=19, hours=3,
                  venue=BETAHAUS[0], address=BETAHAUS[1],
                  description="No talks, just drinks and people who like Python."),
        DemoEvent("Members' annual meeting", K.MEETUP, F.HYBRID,
                  days_from_now=13, local_hour=19, hours=2,
                  audience=EventAudience.MEMBERS_ONLY, venue=BETAHAUS[0], address=BETAHAUS[1],
                  description="The year in review, the budget, and electing the board."),
        DemoEvent("Python in production: a one-day conference", K.CONFERENCE, F.IN_PERSON,
                  days_from_now=30, local_hour=9, hours=8, capacity=250,
                  venue="bcc Berlin Congress Center", address="Alexanderstraße 11, 10178 Berlin",
                  description="Eight talks on running Python services and data pipelines in "
                  "production, with lunch and an evening reception."),
        DemoEvent("Careers evening: Python teams hiring", K.TRADE_SHOW, F.IN_PERSON,
                  days_from_now=41, local_hour=17, hours=3, capacity=120,
                  venue=BETAHAUS[0], address=BETAHAUS[1],
                  description="Twelve Berlin teams that hire Python developers, each with a "
                  "table and a short pitch."),
        DemoEvent("Remote pairing session", K.SEMINAR, F.VIRTUAL,
                  days_from_now=20, local_hour=17, hours=2, capacity=12, cancelled=True,
                  description="Two hours of pairing on open-source issues, over video."),
    ),
)  # fmt: skip
NEW_YORK = DemoGroup(
    name="New York Data Engineers",
    interest="Data engineering, analytics and the tools around them",
    description="An evening talk every month in Manhattan, and online workshops between.",
    location="New York, NY, United States",
    time_zone="America/New_York",
    series=(
        DemoEvent("Data contracts in practice", K.MEETUP, F.IN_PERSON,
                  days_from_now=-20, local_hour=18, hours=2, capacity=80,
                  venue=CIVIC_HALL[0], address=CIVIC_HALL[1],
                  description="Two teams tell how they agreed on schemas with the people "
                  "who produce their data."),
        DemoEvent("Office hours: dbt and Airflow", K.SEMINAR, F.VIRTUAL,
                  days_from_now=9, local_hour=12, hours=1, capacity=100,
                  description="Bring your questions; three maintainers answer live."),
        DemoEvent("Streaming without tears", K.MEETUP, F.HYBRID,
                  days_from_now=23, local_hour=18, hours=2, capacity=80,
                  venue=CIVIC_HALL[0], address=CIVIC_HALL[1],
                  description="Kafka, Flink, and when a nightly batch is still the right "
                  "answer."),
    ),
)  # fmt: skip
#: The demo's meetup groups; the first (Berlin) is created before any other organization.
GROUPS = (BERLIN, NEW_YORK)
#: The Berlin group's events, as before for callers that seed one series.
SERIES = BERLIN.series


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
    group: DemoGroup = BERLIN,
    now: datetime | None = None,
) -> EventsDemoSummary:
    """Create `group`'s series for `organization_id` and have `members` answer.

    `admin` must be an active OWNER or ADMIN of the organization. `members` may be its
    members or not: a non-member answering an event open to guests becomes a GUEST, and one
    refused (a members-only event) is skipped. The first of `members` answers GOING to every
    upcoming event first (so the demo member has RSVPs of her own); give ten people or more
    for the small workshop to fill and keep a waitlist.
    """
    rng = random.Random(DEMO_SEED)
    now = now or datetime.now(UTC)
    zone = zoneinfo.ZoneInfo(group.time_zone)
    today = now.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    long_ago = now - timedelta(days=365)
    rsvps = 0
    event_ids = []
    for number, spec in enumerate(group.series):
        local = (today + timedelta(days=spec.days_from_now)).date()
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
                time_zone=group.time_zone,
                capacity=spec.capacity,
                description=spec.description,
                venue=spec.venue,
                address=spec.address,
                online_url=f"https://meet.example.org/demo-{organization_id}-{number}"
                if online
                else "",
                audience=spec.audience,
            ),
            now=long_ago if past else now,
        )
        # Answer as of just before the event, so past events get their attendees too.
        answered_at = starts - timedelta(days=1) if past else now
        # The full event asks the most people, so it fills and keeps a waitlist.
        full = spec.capacity is not None and spec.capacity <= 10
        wanted = 14 if full else rng.randint(8, 14)
        others = rng.sample(members[1:], k=min(len(members) - 1, wanted))
        answering = [members[0], *others] if members and not past else others
        for person in answering:
            if person is members[0] and not past:
                response, guests = RsvpStatus.GOING, 0
            else:
                response = RsvpStatus.GOING if rng.random() < 0.85 else RsvpStatus.NOT_GOING
                guests = rng.choice([0, 0, 0, 1, 2]) if response is RsvpStatus.GOING else 0
            try:
                await service.rsvp(person, event.id, response, guests, now=answered_at)
            except InvalidInput:
                continue  # a members-only event, and this person is no member
            rsvps += 1
        event_ids.append(event.id)
        if spec.cancelled:
            await service.cancel_event(admin, event.id)
    counts = await service.rsvp_counts(event_ids)
    waitlisted = sum(c.waitlisted_people for c in counts.values())
    return EventsDemoSummary(events=len(group.series), rsvps=rsvps, waitlisted=waitlisted)

"""DataLoaders for events: the events themselves, their counts, the viewer's RSVPs."""

from __future__ import annotations

from api.core.loaders import KeyLoader
from api.core.pagination import Page
from api.events import service
from api.events.records import EventRecord, RsvpRecord
from api.events.tables import RsvpStatus


class EventByIdLoader(KeyLoader[int, EventRecord]):
    """Events the viewer may see; None for the rest."""

    async def load_batch(self, keys: list[int]) -> list[EventRecord | None]:
        found = await service.events_by_ids(self.viewer, keys)
        return [found.get(key) for key in keys]


class RsvpCountsByEventIdLoader(KeyLoader[int, service.RsvpCounts]):
    async def load_batch(self, keys: list[int]) -> list[service.RsvpCounts | None]:
        counts = await service.rsvp_counts(keys)
        return [counts.get(key, service.RsvpCounts()) for key in keys]


class ViewerRsvpByEventIdLoader(KeyLoader[int, RsvpRecord]):
    """The viewer's own RSVP to each event; None where they have not answered."""

    async def load_batch(self, keys: list[int]) -> list[RsvpRecord | None]:
        found = await service.viewer_rsvps(self.viewer, keys)
        return [found.get(key) for key in keys]


class RsvpByIdLoader(KeyLoader[int, RsvpRecord]):
    """RSVPs the viewer may see; None for the rest."""

    async def load_batch(self, keys: list[int]) -> list[RsvpRecord | None]:
        found = await service.rsvps_by_ids(self.viewer, keys)
        return [found.get(key) for key in keys]


class FirstAttendeesPageLoader(KeyLoader[tuple[int, RsvpStatus, int], Page]):
    """The first page of an event's RSVPs of one status, keyed (event id, status, size).

    `service.attendees` checks the viewer may see attendees first; this loader only batches.
    """

    async def load_batch(self, keys: list[tuple[int, RsvpStatus, int]]) -> list[Page | None]:
        pages: dict[tuple[int, RsvpStatus, int], Page] = {}
        for status, size in {(status, size) for _, status, size in keys}:
            wanted = [event_id for event_id, s, n in keys if (s, n) == (status, size)]
            found = await service.first_attendee_pages(wanted, status, size)
            pages.update({(event_id, status, size): page for event_id, page in found.items()})
        return [pages.get(key) for key in keys]


class WaitlistByEventIdLoader(KeyLoader[int, tuple[int, ...]]):
    """Each event's waitlisted RSVP ids in line order (the head of the line first)."""

    async def load_batch(self, keys: list[int]) -> list[tuple[int, ...] | None]:
        lines = await service.waitlists(keys)
        return [lines.get(key, ()) for key in keys]

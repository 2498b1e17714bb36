"""iCalendar files: one event (`/events/<id>.ics`) and an organization's upcoming events
(`/organizations/<slug>/calendar.ics`), built with the icalendar package.

Times are written in the event's own time zone (DTSTART;TZID=Europe/Berlin) with the
VTIMEZONE that defines it, so calendar apps show the local time even across daylight-saving
changes. The requester sees what they would see through GraphQL: anonymous requests get the
public events; a bearer token (the same `Authorization: Bearer <token>` as /graphql) adds
members-only ones, and the online link for those who may have it. Unknown or hidden: 404.
Calendar apps cannot send that header: an organization's calendar also answers a member's
secret address (`?token=`, see `api.events.subscriptions`) as that member.

Absolute addresses come from the configured site URL, never from the request's Host header,
and UIDs name the site's host, so two deployments never share a UID. Stored text may hold
anything (rows older than today's input checks): every text value is cut down to what
iCalendar can carry.
"""

from __future__ import annotations

from datetime import UTC, date
from typing import Any
from urllib.parse import urlsplit

import icalendar
from litestar import Request
from litestar.datastructures import State
from litestar.exceptions import NotAuthorizedException, NotFoundException
from litestar.response import Response
from strawberry import relay

from api.core.auth import InvalidToken, request_viewer
from api.core.markup import plain_text
from api.core.text import writable
from api.core.types import row_id
from api.core.viewer import Viewer
from api.events import service, subscriptions
from api.events.records import EventRecord
from api.events.tables import EventFormat, EventStatus

# Litestar adds "; charset=utf-8" to text/* media types itself.
CALENDAR = "text/calendar"
PRODUCT_ID = "-//Confrere//Events//EN"


def event_uid(event_id: int, site_url: str) -> str:
    """Stable across requests and edits, so calendar apps update instead of adding; the
    site's host keeps it unique across deployments (`event-9@example.org`)."""
    return f"event-{event_id}@{urlsplit(site_url).hostname or 'localhost'}"


def event_calendar_path(event_id: int) -> str:
    """Where one event's iCalendar file is served: `/events/<Event global id>.ics`."""
    return f"/events/{relay.to_base64('Event', event_id)}.ics"


def parse_event_id(name: str) -> int | None:
    """The database id in `<id>.ics`: the Event global id GraphQL gives, or the plain number."""
    if not name.endswith(".ics"):
        return None
    stem = name.removesuffix(".ics")
    if stem.isdigit():
        return row_id(stem)
    try:  # the padding may have been left off
        type_name, node_id = relay.from_base64(stem + "=" * (-len(stem) % 4))
    except ValueError:
        return None
    return row_id(node_id) if type_name == "Event" else None


def _line(text: str) -> str:
    """A one-line text value (summary, location, calendar name): breaks become spaces, and
    what iCalendar cannot hold (RFC 5545 3.3.11: controls other than tab) is dropped."""
    return writable(text, one_line=True)


def _lines(text: str) -> str:
    """A text value that may span lines (the description)."""
    return writable(text)


async def _viewer(request: Request[Any, Any, Any], state: State) -> Viewer:
    """The same authentication as /graphql: a bad token is a 401, as there."""
    try:
        return await request_viewer(request, state.settings)
    except InvalidToken as problem:
        raise NotAuthorizedException(
            problem.message, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}
        ) from None


def _vevent(record: EventRecord, base_url: str, online_url: str | None) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", event_uid(record.id, base_url))
    event.add("dtstamp", record.updated_at.astimezone(UTC))
    event.add("created", record.created_at.astimezone(UTC))
    event.add("last-modified", record.updated_at.astimezone(UTC))
    event.add("dtstart", service.in_time_zone(record.starts_at, record.time_zone))
    event.add("dtend", service.in_time_zone(record.ends_at, record.time_zone))
    event.add("summary", _line(record.title))
    online_url = _line(online_url) if online_url else None
    description = _lines(plain_text(record.description_html))
    if online_url:
        description = f"{description}\n\nJoin online: {online_url}".strip()
    if description:
        event.add("description", description)
    place = _line(", ".join(part for part in (record.venue, record.address) if part))
    if record.format is EventFormat.VIRTUAL:
        place = online_url or "Online"
    if place:
        event.add("location", place)
    page = service.event_page(base_url + "/", record)
    event.add("url", page or base_url + event_calendar_path(record.id))
    cancelled = record.status is EventStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("categories", [record.kind.value.replace("_", " ").title()])
    return event


async def _calendar(
    viewer: Viewer, events: list[EventRecord], base_url: str, name: str
) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _line(name))
    own = await service.viewer_rsvps(viewer, [event.id for event in events])
    relations = await service.viewer_relations(viewer)
    for event in events:
        online_url = service.online_url_for(event, own.get(event.id), relations)
        calendar.add_component(_vevent(event, base_url, online_url))
    if events:
        # VTIMEZONE rules spanning just the events' years (and one either side) keep the
        # file small.
        first = min(event.starts_at for event in events).year
        last = max(event.ends_at for event in events).year
        calendar.add_missing_timezones(
            first_date=date(max(first - 1, 1), 1, 1), last_date=date(min(last + 1, 9999), 12, 31)
        )
    return calendar


def _base_url(state: State) -> str:
    """The configured site URL: a request's Host header is the client's to forge."""
    return str(state.settings.site_url).rstrip("/")


async def event_calendar(
    request: Request[Any, Any, Any], state: State, name: str
) -> Response[bytes]:
    """`GET /events/<name>`: one event as an iCalendar file; `name` is `<Event global id>.ics`.

    Routed by `api.routes`, which shares the `/events/` prefix with the site's event pages.
    """
    event_id = parse_event_id(name)
    if event_id is None:
        raise NotFoundException("Ask for /events/<event id>.ics.")
    viewer = await _viewer(request, state)
    event = await service.visible_event(viewer, event_id)
    if event is None:
        raise NotFoundException("No event has this id.")
    calendar = await _calendar(viewer, [event], _base_url(state), event.title)
    return Response(calendar.to_ical(), media_type=CALENDAR)


async def organization_calendar(
    request: Request[Any, Any, Any], state: State, slug: str
) -> Response[bytes]:
    """`GET /organizations/<slug>/calendar.ics`: the organization's upcoming events the
    requester may see, to subscribe to (routed by `api.routes`). With `?token=`, a member's
    secret address: the events that member sees."""
    token = request.query_params.get("token")
    if token is None:
        viewer = await _viewer(request, state)
    else:
        viewer = await _subscriber(state, slug, token)
    found = await service.calendar_events(viewer, slug)
    if found is None:
        raise NotFoundException("No organization has this address.")
    name, events = found
    calendar = await _calendar(viewer, events, _base_url(state), name)
    return Response(calendar.to_ical(), media_type=CALENDAR)


async def _subscriber(state: State, slug: str, token: str) -> Viewer:
    """The member whose secret address this is; 404 for an address that does not work (any
    more): a calendar app cannot answer a 401's challenge, and the address is the resource."""
    organization_id = await service.organization_id_by_slug(slug)
    account_id = None
    if organization_id is not None:
        secret_key = state.settings.resolved_secret_key()
        account_id = await subscriptions.subscriber(secret_key, token, organization_id)
    if account_id is None:
        raise NotFoundException(
            "This calendar address does not work: it was revoked or replaced, or its owner "
            "is no longer a member. Ask for a new one with createCalendarSubscription."
        )
    return Viewer(account_id=account_id)

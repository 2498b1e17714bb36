"""iCalendar files: one event (`/events/<id>.ics`) and an organization's upcoming events
(`/organizations/<slug>/calendar.ics`), built with the icalendar package.

Times are written in the event's own time zone (DTSTART;TZID=Europe/Berlin) with the
VTIMEZONE that defines it, so calendar apps show the local time even across daylight-saving
changes. The requester sees what they would see through GraphQL: anonymous requests get the
public events; a bearer token (the same `Authorization: Bearer <token>` as /graphql) adds
members-only ones, and the online link for those who may have it. Unknown or hidden: 404.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, timedelta
from typing import Any

import icalendar
from litestar import Request
from litestar.datastructures import State
from litestar.exceptions import NotAuthorizedException, NotFoundException
from litestar.response import Response
from strawberry import relay

from api.core.auth import InvalidToken
from api.core.markup import plain_text
from api.core.viewer import Viewer
from api.events import service
from api.events.tables import EventFormat, EventStatus
from api.people import service as people
from api.site.addresses import event_page

# Litestar adds "; charset=utf-8" to text/* media types itself.
CALENDAR = "text/calendar"
PRODUCT_ID = "-//Confrere//Events//EN"


def event_uid(event_id: int) -> str:
    """Stable across requests, hosts and edits, so calendar apps update instead of adding."""
    return f"event-{event_id}@confrere"


def event_calendar_path(event_id: int) -> str:
    """Where one event's iCalendar file is served: `/events/<Event global id>.ics`."""
    return f"/events/{relay.to_base64('Event', event_id)}.ics"


def parse_event_id(name: str) -> int | None:
    """The database id in `<id>.ics`: the Event global id GraphQL gives, or the plain number."""
    if not name.endswith(".ics"):
        return None
    stem = name.removesuffix(".ics")
    if stem.isdigit():
        return int(stem)
    try:  # the padding may have been left off
        type_name, node_id = relay.from_base64(stem + "=" * (-len(stem) % 4))
    except ValueError:
        return None
    return int(node_id) if type_name == "Event" and node_id.isdigit() else None


async def _viewer(request: Request[Any, Any, Any], state: State) -> Viewer:
    """The same authentication as /graphql: a bad token is a 401, as there."""
    try:
        return await people.request_viewer(request, state.settings)
    except InvalidToken as problem:
        raise NotAuthorizedException(
            problem.message, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}
        ) from None


def _vevent(row: dict[str, Any], base_url: str, online_url: str | None) -> icalendar.Event:
    zone = zoneinfo.ZoneInfo(row["time_zone"])
    event = icalendar.Event()
    event.add("uid", event_uid(row["id"]))
    event.add("dtstamp", row["updated_at"].astimezone(UTC))
    event.add("created", row["created_at"].astimezone(UTC))
    event.add("last-modified", row["updated_at"].astimezone(UTC))
    event.add("dtstart", row["starts_at"].astimezone(zone))
    event.add("dtend", row["ends_at"].astimezone(zone))
    event.add("summary", row["title"])
    description = plain_text(row["description_html"])
    if online_url:
        description = f"{description}\n\nJoin online: {online_url}".strip()
    if description:
        event.add("description", description)
    place = ", ".join(part for part in (row["venue"], row["address"]) if part)
    if row["format"] == EventFormat.VIRTUAL.value:
        place = online_url or "Online"
    if place:
        event.add("location", place)
    event.add("url", event_page(base_url + "/", row) or base_url + event_calendar_path(row["id"]))
    cancelled = row["status"] == EventStatus.CANCELLED.value
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("categories", [row["kind"].replace("_", " ").title()])
    return event


async def _calendar(
    viewer: Viewer, rows: list[dict[str, Any]], base_url: str, name: str
) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    own = await service.viewer_rsvps(viewer, [row["id"] for row in rows])
    relations = await service.viewer_relations(viewer)
    for row in rows:
        online_url = (
            row["online_url"]
            if row["online_url"] and service.may_see_online_url(row, own.get(row["id"]), relations)
            else None
        )
        calendar.add_component(_vevent(row, base_url, online_url))
    if rows:
        # VTIMEZONE rules spanning just the events' years keep the file small.
        first = min(row["starts_at"] for row in rows).date() - timedelta(days=366)
        last = max(row["ends_at"] for row in rows).date() + timedelta(days=366)
        calendar.add_missing_timezones(first_date=date(first.year, 1, 1), last_date=last)
    return calendar


def _base_url(request: Request[Any, Any, Any]) -> str:
    return str(request.base_url).rstrip("/")


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
    row = await service.visible_event(viewer, event_id)
    if row is None:
        raise NotFoundException("No event has this id.")
    calendar = await _calendar(viewer, [row], _base_url(request), row["title"])
    return Response(calendar.to_ical(), media_type=CALENDAR)


async def organization_calendar(
    request: Request[Any, Any, Any], state: State, slug: str
) -> Response[bytes]:
    """`GET /organizations/<slug>/calendar.ics`: the organization's upcoming events the
    requester may see, to subscribe to (routed by `api.routes`)."""
    viewer = await _viewer(request, state)
    found = await service.calendar_events(viewer, slug)
    if found is None:
        raise NotFoundException("No organization has this address.")
    organization, rows = found
    calendar = await _calendar(viewer, rows, _base_url(request), organization["name"])
    return Response(calendar.to_ical(), media_type=CALENDAR)

"""iCalendar files of one event and of an organization, parsed back with icalendar."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any

import icalendar
import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.core.settings import Settings
from tests.conftest import GraphQLClient
from tests.events.helpers import (
    CANCEL_EVENT,
    UPDATE_EVENT,
    create_event,
    event_input,
    future,
    past_event,
    rsvp,
)
from tests.factories import Member, database_id, global_id, join, member, organization

SITE_URL = "https://events.example.org/"


@pytest.fixture
def graphql(settings: Settings) -> Iterator[GraphQLClient]:
    """The app as a deployment runs it: with its public address configured."""
    with TestClient(app=create_app(replace(settings, site_url=SITE_URL))) as client:
        yield GraphQLClient(client)


def _get(graphql: GraphQLClient, path: str, who: Member | None = None) -> Any:
    headers = {"Authorization": f"Bearer {who.token}"} if who else {}
    return graphql.http.get(path, headers=headers)


def _calendar(graphql: GraphQLClient, path: str, who: Member | None = None) -> icalendar.Calendar:
    response = _get(graphql, path, who)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def test_an_event_file_is_in_the_events_own_time_zone(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    club = organization(graphql, owner, "Transatlantic Club")
    new_york = create_event(
        graphql,
        owner,
        club,
        title="Data Night",
        timeZone="America/New_York",
        startsAt=datetime.fromisoformat("2030-07-04T18:30:00-04:00"),
        endsAt=datetime.fromisoformat("2030-07-04T21:00:00-04:00"),
        description="Talks about **pipelines**; pizza.",
        venue="Civic Hall",
        address="124 E 14th St, New York",
    )
    berlin = create_event(
        graphql,
        owner,
        club,
        title="Winter Mixer",
        kind="MIXER",
        timeZone="Europe/Berlin",
        startsAt=datetime.fromisoformat("2030-01-10T18:00:00+00:00"),
        endsAt=datetime.fromisoformat("2030-01-10T21:00:00+00:00"),
    )

    for event_id, zone, local_start, title in (
        (new_york, "America/New_York", "2030-07-04T18:30:00-04:00", "Data Night"),
        (berlin, "Europe/Berlin", "2030-01-10T19:00:00+01:00", "Winter Mixer"),
    ):
        calendar = _calendar(graphql, f"/events/{event_id}.ics")
        [event] = calendar.events
        start = event.decoded("dtstart")
        assert start.tzinfo.key == zone
        assert start.isoformat() == local_start
        assert event.decoded("dtend").tzinfo.key == zone
        assert event["DTSTART"].params["TZID"] == zone
        assert [tz.tz_name for tz in calendar.timezones] == [zone]
        assert str(event["SUMMARY"]) == title
        assert str(event["UID"]) == f"event-{database_id(event_id)}@events.example.org"
        assert str(event["STATUS"]) == "CONFIRMED"
        page = f"/events/{title.lower().replace(' ', '-')}-{database_id(event_id)}/"
        assert str(event["URL"]).endswith(page)  # the event's page on the site, not the file
    [event] = _calendar(graphql, f"/events/{new_york}.ics").events
    assert str(event["DESCRIPTION"]) == "Talks about pipelines; pizza."
    assert str(event["LOCATION"]) == "Civic Hall, 124 E 14th St, New York"
    # The database id works too, and the file (and its UID) is the same
    again = _calendar(graphql, f"/events/{database_id(new_york)}.ics")
    assert str(again.events[0]["UID"]) == str(event["UID"])


def test_a_cancelled_event_says_so(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    club = organization(graphql, owner, "Cancelling Club")
    event_id = create_event(graphql, owner, club)
    graphql.data(CANCEL_EVENT, {"input": {"id": event_id}}, token=owner.token)

    [event] = _calendar(graphql, f"/events/{event_id}.ics").events

    assert str(event["STATUS"]) == "CANCELLED"


def test_hidden_and_unknown_events_are_not_found(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    insider = member(graphql)
    stranger = member(graphql)
    club = organization(graphql, owner, "Private Events Club")
    join(graphql, insider, club)
    members_only = create_event(graphql, owner, club, audience="MEMBERS_ONLY", title="AGM")

    assert _get(graphql, f"/events/{members_only}.ics").status_code == 404
    assert _get(graphql, f"/events/{members_only}.ics", stranger).status_code == 404
    [event] = _calendar(graphql, f"/events/{members_only}.ics", insider).events
    assert str(event["SUMMARY"]) == "AGM"
    for name in ("RXZlbnQ6OTk5.ics", "999.ics", "bm9wZQ==.ics", owner.person_id + ".ics", "1"):
        assert _get(graphql, f"/events/{name}").status_code == 404, name
    bad_token = graphql.http.get(
        f"/events/{members_only}.ics", headers={"Authorization": "Bearer forged"}
    )
    assert bad_token.status_code == 401


def test_the_online_link_is_in_the_file_only_for_people_going(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    going = member(graphql)
    club = organization(graphql, owner, "Online Club")
    link = "https://meet.example.org/abc"
    event_id = create_event(graphql, owner, club, format="VIRTUAL", onlineUrl=link)
    rsvp(graphql, going, event_id)

    [public] = _calendar(graphql, f"/events/{event_id}.ics").events
    [private] = _calendar(graphql, f"/events/{event_id}.ics", going).events

    assert link not in public.to_ical().decode()
    assert str(public["LOCATION"]) == "Online"
    assert str(private["LOCATION"]) == link
    assert link in str(private["DESCRIPTION"])


def test_an_organization_calendar_lists_its_upcoming_visible_events(
    graphql: GraphQLClient,
) -> None:
    owner = member(graphql)
    insider = member(graphql)
    club = organization(graphql, owner, "Calendar Club")
    join(graphql, insider, club)
    slug = "calendar-club"
    create_event(graphql, owner, club, title="Berlin", startsAt=future(3))
    create_event(
        graphql,
        owner,
        club,
        title="New York",
        timeZone="America/New_York",
        startsAt=future(2),
    )
    create_event(graphql, owner, club, title="Members", startsAt=future(4), audience="MEMBERS_ONLY")
    cancelled = create_event(graphql, owner, club, title="Off", startsAt=future(5))
    graphql.data(CANCEL_EVENT, {"input": {"id": cancelled}}, token=owner.token)
    other = organization(graphql, owner, "Other Club")
    create_event(graphql, owner, other, title="Elsewhere")
    past_event(graphql, owner, club, "Past", days_ago=10)

    public = _calendar(graphql, f"/organizations/{slug}/calendar.ics")
    inside = _calendar(graphql, f"/organizations/{slug}/calendar.ics", insider)

    assert [str(e["SUMMARY"]) for e in public.events] == ["New York", "Berlin"]
    assert [str(e["SUMMARY"]) for e in inside.events] == ["New York", "Berlin", "Members"]
    assert {tz.tz_name for tz in public.timezones} == {"America/New_York", "Europe/Berlin"}
    assert str(public["X-WR-CALNAME"]) == "Calendar Club"
    zones = {str(e["SUMMARY"]): e.decoded("dtstart").tzinfo.key for e in public.events}
    assert zones == {"New York": "America/New_York", "Berlin": "Europe/Berlin"}
    assert _get(graphql, "/organizations/no-such-club/calendar.ics").status_code == 404


def test_a_private_organization_calendar_is_for_its_members(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    insider = member(graphql)
    club = organization(graphql, owner, "Quiet Club", isPublic=False)
    join(graphql, insider, club)
    create_event(graphql, owner, club, title="Quiet Night")

    assert _get(graphql, "/organizations/quiet-club/calendar.ics").status_code == 404
    calendar = _calendar(graphql, "/organizations/quiet-club/calendar.ics", insider)
    assert [str(e["SUMMARY"]) for e in calendar.events] == ["Quiet Night"]


def test_a_bad_token_is_refused_as_on_graphql(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    club = organization(graphql, owner, "Token Club")
    slug = graphql.data(
        "query ($id: ID!) { node(id: $id) { ... on Organization { slug } } }", {"id": club}
    )["node"]["slug"]
    for path in (
        f"/organizations/{slug}/calendar.ics",
        f"/events/{create_event(graphql, owner, club)}.ics",
    ):
        for header in ("Bearer forged", "Basic abc"):
            refused = graphql.http.get(path, headers={"Authorization": header})
            assert refused.status_code == 401, (path, header)
            assert refused.headers["www-authenticate"].startswith('Bearer error="invalid_token"')


def test_uids_name_the_site_s_host_and_survive_edits(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    club = organization(graphql, owner, "Stable Club")
    event_id = create_event(graphql, owner, club, title="Before")
    [before] = _calendar(graphql, f"/events/{event_id}.ics").events
    changed = {key: value for key, value in event_input(club, title="After").items()}
    del changed["organizationId"]

    edited = graphql.data(UPDATE_EVENT, {"input": {"id": event_id, **changed}}, token=owner.token)
    [after] = _calendar(graphql, f"/events/{event_id}.ics").events
    [listed] = _calendar(graphql, "/organizations/stable-club/calendar.ics").events

    assert edited["updateEvent"]["userErrors"] == []
    assert str(after["SUMMARY"]) == "After"
    uid = f"event-{database_id(event_id)}@events.example.org"
    assert str(before["UID"]) == str(after["UID"]) == str(listed["UID"]) == uid


def test_a_forged_host_header_does_not_reach_the_file(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    club = organization(graphql, owner, "Forgery Club")
    event_id = create_event(graphql, owner, club)

    for path in (f"/events/{event_id}.ics", "/organizations/forgery-club/calendar.ics"):
        response = graphql.http.get(path, headers={"Host": "evil.example.com"})
        assert response.status_code == 200, path
        assert b"evil.example.com" not in response.content, path
        [event] = icalendar.Calendar.from_ical(response.content).events
        assert str(event["URL"]).startswith(SITE_URL), path
        assert str(event["UID"]).endswith("@events.example.org"), path


def test_ids_no_row_can_have_are_not_found(graphql: GraphQLClient) -> None:
    huge = "99999999999999999999999"
    for name in (
        f"{huge}.ics",
        f"{global_id('Event', huge)}.ics",
        f"{global_id('Event', '-1')}.ics",
        "\u00b2.ics",  # a superscript two: a digit to str.isdigit, not to int()
        "0.ics",
    ):
        assert _get(graphql, f"/events/{name}").status_code == 404, name


def _store(graphql: GraphQLClient, event_id: str, **columns: Any) -> None:
    """Write an event row directly, as rows older than today's input checks may be."""
    from api.events.tables import Event

    async def write() -> None:
        await Event.update(columns).where(Event.id == database_id(event_id))

    graphql.http.blocking_portal.call(write)


def test_the_files_hold_only_what_icalendar_can_carry(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    club = organization(graphql, owner, "Bell Club")
    event_id = create_event(graphql, owner, club)
    _store(
        graphql,
        event_id,
        title="Line one\nLine two\x07\x7f",
        venue="Hall\r\nB",
        address="Street\x01 1",  # PostgreSQL cannot hold NUL at all
        description_html="<p>First\x1b line</p>\n<p>Second\tline</p>",
    )
    from api.networks.tables import Organization

    async def rename() -> None:
        await Organization.update({Organization.name: "Bell\nClub\x07"}).where(
            Organization.slug == "bell-club"
        )

    graphql.http.blocking_portal.call(rename)

    single = _get(graphql, f"/events/{event_id}.ics")
    listing = _get(graphql, "/organizations/bell-club/calendar.ics")

    for response in (single, listing):
        assert response.status_code == 200, response.text
        assert not any(byte < 0x20 and byte not in b"\t\r\n" for byte in response.content)
        assert b"\x7f" not in response.content
        calendar = icalendar.Calendar.from_ical(response.content)
        [event] = calendar.events
        assert str(event["SUMMARY"]) == "Line one Line two"
        assert str(event["LOCATION"]) == "Hall B, Street 1"
        assert str(event["DESCRIPTION"]) == "First line\nSecond\tline"
    assert str(icalendar.Calendar.from_ical(listing.content)["X-WR-CALNAME"]) == "Bell Club"


def test_times_at_the_calendar_s_edge_and_unknown_zones_do_not_break_it(
    graphql: GraphQLClient,
) -> None:
    owner = member(graphql)
    club = organization(graphql, owner, "Edge Club")
    far = create_event(graphql, owner, club, title="Far")
    odd = create_event(graphql, owner, club, title="Odd")
    _store(
        graphql,
        far,
        starts_at=datetime.fromisoformat("9999-12-31T20:00:00+00:00"),
        ends_at=datetime.fromisoformat("9999-12-31T22:00:00+00:00"),
        time_zone="Pacific/Kiritimati",  # +14:00 would pass the year 9999
    )
    _store(graphql, odd, time_zone="Mars/Olympus_Mons")

    for event_id in (far, odd):
        assert _get(graphql, f"/events/{event_id}.ics").status_code == 200
        times = graphql.data(
            "query ($id: ID!) { event(id: $id) { startsAt endsAt } }", {"id": event_id}
        )["event"]
        assert times["startsAt"].endswith("+00:00"), times
    listing = _calendar(graphql, "/organizations/edge-club/calendar.ics")
    assert [str(e["SUMMARY"]) for e in listing.events] == ["Odd", "Far"]

"""iCalendar files of one event and of an organization, parsed back with icalendar."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import icalendar
import pytest

from tests.conftest import GraphQLClient
from tests.events.helpers import (
    CANCEL_EVENT,
    SITE_URL,
    UPDATE_EVENT,
    create_event,
    event_input,
    future,
    past_event,
    rsvp,
)
from tests.factories import Member, database_id, global_id, join, member, organization

HOURS = timedelta(hours=3)


def _get(graphql: GraphQLClient, path: str, who: Member | None = None) -> Any:
    headers = {"Authorization": f"Bearer {who.token}"} if who else {}
    return graphql.http.get(path, headers=headers)


def _calendar(graphql: GraphQLClient, path: str, who: Member | None = None) -> icalendar.Calendar:
    response = _get(graphql, path, who)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


@pytest.mark.parametrize(
    ("title", "zone", "starts", "shown"),
    [
        (
            "Data Night",
            "America/New_York",
            "2030-07-04T18:30:00-04:00",
            "2030-07-04T18:30:00-04:00",
        ),
        ("Winter Mixer", "Europe/Berlin", "2030-01-10T18:00:00+00:00", "2030-01-10T19:00:00+01:00"),
    ],
)
def test_an_event_file_is_in_the_events_own_time_zone(
    graphql: GraphQLClient, title: str, zone: str, starts: str, shown: str
) -> None:
    owner = member(graphql)
    club = organization(graphql, owner, "Transatlantic Club")
    start = datetime.fromisoformat(starts)
    event_id = create_event(
        graphql, owner, club, title=title, timeZone=zone, startsAt=start, endsAt=start + HOURS
    )

    calendar = _calendar(graphql, f"/events/{event_id}.ics")

    [event] = calendar.events
    assert event.decoded("dtstart").isoformat() == shown
    assert (event.decoded("dtstart").tzinfo.key, event.decoded("dtend").tzinfo.key) == (zone, zone)
    assert event["DTSTART"].params["TZID"] == zone
    assert [tz.tz_name for tz in calendar.timezones] == [zone]
    assert str(event["SUMMARY"]) == title
    assert str(event["UID"]) == f"event-{database_id(event_id)}@events.example.org"
    assert str(event["STATUS"]) == "CONFIRMED"
    page = f"/events/{title.lower().replace(' ', '-')}-{database_id(event_id)}/"
    assert str(event["URL"]) == SITE_URL.rstrip("/") + page  # the site's page, not the file


def test_an_event_file_has_its_description_and_place(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    club = organization(graphql, owner, "Place Club")
    event_id = create_event(
        graphql,
        owner,
        club,
        description="Talks about **pipelines**; pizza.",
        venue="Civic Hall",
        address="124 E 14th St, New York",
    )

    [event] = _calendar(graphql, f"/events/{event_id}.ics").events
    # The database id works too, and the file (and its UID) is the same
    [again] = _calendar(graphql, f"/events/{database_id(event_id)}.ics").events

    assert str(event["DESCRIPTION"]) == "Talks about pipelines; pizza."
    assert str(event["LOCATION"]) == "Civic Hall, 124 E 14th St, New York"
    assert str(again["UID"]) == str(event["UID"])


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


def _file_path(graphql: GraphQLClient, kind: str) -> str:
    """The address of one event's file (`event`) or of its organization's calendar."""
    owner = member(graphql)
    club = organization(graphql, owner, "Paths Club")
    event_id = create_event(graphql, owner, club)
    return (
        f"/events/{event_id}.ics" if kind == "event" else "/organizations/paths-club/calendar.ics"
    )


@pytest.mark.parametrize("kind", ["event", "organization"])
@pytest.mark.parametrize("header", ["Bearer forged", "Basic abc"])
def test_a_bad_token_is_refused_as_on_graphql(
    graphql: GraphQLClient, kind: str, header: str
) -> None:
    path = _file_path(graphql, kind)

    refused = graphql.http.get(path, headers={"Authorization": header})

    assert refused.status_code == 401
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


@pytest.mark.parametrize("kind", ["event", "organization"])
def test_a_forged_host_header_does_not_reach_the_file(graphql: GraphQLClient, kind: str) -> None:
    path = _file_path(graphql, kind)

    response = graphql.http.get(path, headers={"Host": "evil.example.com"})

    assert response.status_code == 200
    assert b"evil.example.com" not in response.content
    [event] = icalendar.Calendar.from_ical(response.content).events
    assert str(event["URL"]).startswith(SITE_URL)
    assert str(event["UID"]).endswith("@events.example.org")


HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    "name",
    [
        "RXZlbnQ6OTk5.ics",
        "999.ics",
        "bm9wZQ==.ics",
        f"{global_id('Person', 1)}.ics",
        "1",
        f"{HUGE}.ics",
        f"{global_id('Event', HUGE)}.ics",
        f"{global_id('Event', '-1')}.ics",
        "\u00b2.ics",  # a superscript two: a digit to str.isdigit, not to int()
        "0.ics",
    ],
)
def test_unknown_event_files_are_not_found(graphql: GraphQLClient, name: str) -> None:
    owner = member(graphql)
    create_event(graphql, owner, organization(graphql, owner, "Numbers Club"))

    assert _get(graphql, f"/events/{name}").status_code == 404


def _store(graphql: GraphQLClient, event_id: str, **columns: Any) -> None:
    """Write an event row directly, as rows older than today's input checks may be."""
    from api.events.tables import Event

    async def write() -> None:
        await Event.update(columns).where(Event.id == database_id(event_id))

    graphql.http.blocking_portal.call(write)


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/events/{event_id}.ics", "Line one Line two"),
        ("/organizations/bell-club/calendar.ics", "Bell Club"),
    ],
)
def test_the_files_hold_only_what_icalendar_can_carry(
    graphql: GraphQLClient, path: str, name: str
) -> None:
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

    response = _get(graphql, path.format(event_id=event_id))

    assert response.status_code == 200, response.text
    assert [byte for byte in response.content if byte < 0x20 and byte not in b"\t\r\n"] == []
    assert b"\x7f" not in response.content
    calendar = icalendar.Calendar.from_ical(response.content)
    [event] = calendar.events
    assert str(event["SUMMARY"]) == "Line one Line two"
    assert str(event["LOCATION"]) == "Hall B, Street 1"
    assert str(event["DESCRIPTION"]) == "First line\nSecond\tline"
    assert str(calendar.get("X-WR-CALNAME")) == name


@pytest.mark.parametrize(
    "stored",
    [
        {
            "starts_at": datetime.fromisoformat("9999-12-31T20:00:00+00:00"),
            "ends_at": datetime.fromisoformat("9999-12-31T22:00:00+00:00"),
            "time_zone": "Pacific/Kiritimati",  # +14:00 would pass the year 9999
        },
        {"time_zone": "Mars/Olympus_Mons"},
    ],
    ids=["far", "odd"],
)
def test_times_at_the_calendar_s_edge_and_unknown_zones_do_not_break_it(
    graphql: GraphQLClient, stored: dict[str, Any]
) -> None:
    owner = member(graphql)
    club = organization(graphql, owner, "Edge Club")
    event_id = create_event(graphql, owner, club, title="Edge")
    _store(graphql, event_id, **stored)

    single = _get(graphql, f"/events/{event_id}.ics")
    times = graphql.data(
        "query ($id: ID!) { event(id: $id) { startsAt endsAt } }", {"id": event_id}
    )["event"]
    listing = _calendar(graphql, "/organizations/edge-club/calendar.ics")

    assert single.status_code == 200
    assert (times["startsAt"][-6:], times["endsAt"][-6:]) == ("+00:00", "+00:00")
    assert [str(e["SUMMARY"]) for e in listing.events] == ["Edge"]

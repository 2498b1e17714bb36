"""iCalendar files of one event and of an organization, parsed back with icalendar."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import icalendar

from tests.conftest import GraphQLClient
from tests.events.helpers import CANCEL_EVENT, create_event, future, rsvp
from tests.factories import Member, database_id, join, member, organization


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
        assert str(event["UID"]) == f"event-{database_id(event_id)}@confrere"
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
    from api.core.viewer import Viewer
    from api.events import service
    from api.events.tables import EventFormat, EventKind

    async def past() -> None:
        starts = future(-10)
        await service.create_event(
            Viewer(account_id=owner.account_id),
            database_id(club),
            service.EventFields(
                title="Past",
                kind=EventKind.SEMINAR,
                format=EventFormat.IN_PERSON,
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                time_zone="Europe/Berlin",
            ),
            now=starts - timedelta(days=1),
        )

    graphql.http.blocking_portal.call(past)

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

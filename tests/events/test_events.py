"""Events: creating them (every validation), who may create, see and manage them, listing."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from tests.conftest import GraphQLClient
from tests.events.helpers import (
    ATTENDEES,
    CANCEL_EVENT,
    CREATE_EVENT,
    UPDATE_EVENT,
    create_event,
    event_as,
    event_input,
    future,
    make_admin,
    past_event,
    rsvp,
)
from tests.factories import Member, global_id, join, member, organization

EVENTS = """
query ($organizationId: ID, $first: Int, $after: String, $from: DateTime, $to: DateTime,
       $includeCancelled: Boolean! = false) {
  events(organizationId: $organizationId, first: $first, after: $after, from: $from, to: $to,
         includeCancelled: $includeCancelled) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id title status } }
  }
}
"""
DETAILS = """
query ($id: ID!) {
  node(id: $id) {
    ... on Event {
      title description descriptionHtml kind format audience timeZone venue address
      organization { name } createdBy { name } calendarPath
    }
  }
}
"""


def _roles(graphql: GraphQLClient, **fields: object) -> dict[str, Member]:
    """An owner, an admin, a member, a guest (via an RSVP) and a stranger of one club."""
    people = {
        name: member(graphql, name.title())
        for name in ("owner", "admin", "member", "guest", "stranger")
    }
    club = organization(graphql, people["owner"], "Berlin Pythonistas", "MEETUP_GROUP", **fields)
    make_admin(graphql, people["owner"], people["admin"], club)
    assert join(graphql, people["member"], club)["membership"]["status"] == "ACTIVE"
    people["club"] = club  # type: ignore[assignment]
    return people


ROLES = ("owner", "admin", "member", "guest", "stranger", "anonymous")


def _each(people: dict[str, Member], answer: Callable[[Member | None], object]) -> dict:
    """What each role (anonymous: no token) gets: a visibility matrix in one value."""
    return {role: answer(people.get(role)) for role in ROLES}


def _create(graphql: GraphQLClient, who: Member | None, club: str, **fields: object) -> dict:
    token = who.token if who else None
    return graphql.execute(CREATE_EVENT, {"input": event_input(club, **fields)}, token=token)


def test_create_an_event_with_only_the_required_fields(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    club = organization(graphql, owner, "NYC Data", "MEETUP_GROUP")
    starts = future(10)
    variables = {
        "input": {
            "organizationId": club,
            "title": "  Data Engineering Night ",
            "kind": "MEETUP",
            "format": "IN_PERSON",
            "startsAt": starts.isoformat(),
            "endsAt": (starts + timedelta(hours=3)).isoformat(),
            "timeZone": "America/New_York",
            "capacity": 40,
        }
    }

    payload = graphql.data(CREATE_EVENT, variables, token=owner.token)["createEvent"]

    assert payload["userErrors"] == []
    event = payload["event"]
    assert event["title"] == "Data Engineering Night"
    assert event["status"] == "PUBLISHED"
    assert event["timeZone"] == "America/New_York"
    assert event["capacity"] == 40
    assert event["audience"] == "OPEN_TO_GUESTS"
    assert datetime.fromisoformat(event["startsAt"]) == starts
    details = graphql.data(DETAILS, {"id": event["id"]})["node"]
    assert details["organization"] == {"name": "NYC Data"}
    assert details["calendarPath"] == f"/events/{event['id']}.ics"


def test_the_description_is_rendered_and_sanitized_once(graphql: GraphQLClient) -> None:
    owner = member(graphql, "Olga Owner")
    club = organization(graphql, owner, "Markdown Club")
    source = "**Talks** and <script>alert(1)</script> [slides](javascript:alert(1))"
    event_id = create_event(graphql, owner, club, description=source)

    details = graphql.data(DETAILS, {"id": event_id}, token=owner.token)["node"]

    assert details["description"] == source
    assert "<strong>Talks</strong>" in details["descriptionHtml"]
    assert "<script>" not in details["descriptionHtml"]
    assert "javascript:" not in details["descriptionHtml"]
    assert details["createdBy"] == {"name": "Olga Owner"}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"title": "   "}, {("title", "TITLE_REQUIRED")}),
        ({"title": "x" * 201}, {("title", "TITLE_TOO_LONG")}),
        ({"description": "x" * 50_001}, {("description", "DESCRIPTION_TOO_LONG")}),
        ({"timeZone": "Mars/Olympus_Mons"}, {("timeZone", "INVALID_TIME_ZONE")}),
        ({"timeZone": "../../etc/passwd"}, {("timeZone", "INVALID_TIME_ZONE")}),
        # A time without an offset is local time in `timeZone` (test_event_times.py), so
        # it cannot be read while the zone is unknown.
        (
            {
                "startsAt": "2030-03-04T18:30:00",
                "endsAt": "2030-03-04T20:30:00",
                "timeZone": "Europe/Atlantis",
            },
            {
                ("timeZone", "INVALID_TIME_ZONE"),
                ("startsAt", "TIME_ZONE_OFFSET_MISSING"),
                ("endsAt", "TIME_ZONE_OFFSET_MISSING"),
            },
        ),
        ({"title": "Bell\x07Night"}, {("title", "INVALID_CHARACTERS")}),
        ({"title": "Two\nlines"}, {("title", "INVALID_CHARACTERS")}),
        ({"description": "Nul\x00byte"}, {("description", "INVALID_CHARACTERS")}),
        ({"description": "Esc\x1b[31m"}, {("description", "INVALID_CHARACTERS")}),
        ({"venue": "Hall\tB"}, {("venue", "INVALID_CHARACTERS")}),
        ({"address": "Street\x7f 1"}, {("address", "INVALID_CHARACTERS")}),
        # (refused before the event's own rules run: one error, not two)
        (
            {"format": "VIRTUAL", "onlineUrl": "https://meet.example.org/\x0bx"},
            {("onlineUrl", "INVALID_CHARACTERS")},
        ),
        (
            {"startsAt": future(5), "endsAt": future(5) - timedelta(hours=1)},
            {("endsAt", "ENDS_BEFORE_START")},
        ),
        ({"startsAt": future(5), "endsAt": future(5)}, {("endsAt", "ENDS_BEFORE_START")}),
        ({"startsAt": future(5), "endsAt": future(40)}, {("endsAt", "TOO_LONG")}),
        ({"startsAt": future(-2)}, {("startsAt", "STARTS_IN_PAST")}),
        ({"venue": "v" * 201}, {("venue", "VENUE_TOO_LONG")}),
        ({"format": "VIRTUAL"}, {("onlineUrl", "ONLINE_URL_REQUIRED")}),
        ({"format": "HYBRID", "onlineUrl": "  "}, {("onlineUrl", "ONLINE_URL_REQUIRED")}),
        (
            {"format": "VIRTUAL", "onlineUrl": "javascript:alert(1)"},
            {("onlineUrl", "INVALID_ONLINE_URL")},
        ),
        (
            {"format": "VIRTUAL", "onlineUrl": "ftp://files.example.org/x"},
            {("onlineUrl", "INVALID_ONLINE_URL")},
        ),
        ({"capacity": 0}, {("capacity", "INVALID_CAPACITY")}),
        ({"capacity": -3}, {("capacity", "INVALID_CAPACITY")}),
        ({"capacity": 100_001}, {("capacity", "INVALID_CAPACITY")}),
        (
            {"title": "", "timeZone": "Nowhere", "capacity": 0},
            {
                ("title", "TITLE_REQUIRED"),
                ("timeZone", "INVALID_TIME_ZONE"),
                ("capacity", "INVALID_CAPACITY"),
            },
        ),
    ],
)
def test_event_input_is_validated(
    graphql: GraphQLClient, fields: dict, expected: set[tuple[str, str]]
) -> None:
    owner = member(graphql)
    club = organization(graphql, owner, "Validators")

    payload = _create(graphql, owner, club, **fields)["data"]["createEvent"]

    assert payload["event"] is None
    assert {(e["field"], e["code"]) for e in payload["userErrors"]} == expected
    assert all(e["message"] for e in payload["userErrors"])
    listed = graphql.data(EVENTS, {"organizationId": club}, token=owner.token)["events"]
    assert listed["totalCount"] == 0  # nothing was saved


def test_half_a_surrogate_pair_is_a_user_error(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    club = organization(graphql, owner, "Surrogates")
    body = {"query": CREATE_EVENT, "variables": {"input": event_input(club, title="A \ud800")}}

    # JSON's \\ud800 escape is the only way to send one; UTF-8 cannot carry it.
    response = graphql.http.post(
        "/graphql",
        content=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {owner.token}", "Content-Type": "application/json"},
    )

    assert response.status_code == 200, response.text
    payload = response.json()["data"]["createEvent"]
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
        ("title", "INVALID_CHARACTERS")
    ]


def test_a_description_keeps_its_lines_and_tabs(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    club = organization(graphql, owner, "Lines Club")
    text = "First line\r\nSecond line\n\n\tindented"

    event_id = create_event(graphql, owner, club, description=text)

    assert graphql.data(DETAILS, {"id": event_id})["node"]["description"] == text


def test_the_time_zone_error_names_the_zone(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    club = organization(graphql, owner, "Zoners")

    payload = _create(graphql, owner, club, timeZone="Europe/Atlantis")["data"]["createEvent"]

    assert payload["userErrors"][0]["code"] == "INVALID_TIME_ZONE"
    assert "Europe/Atlantis" in payload["userErrors"][0]["message"]


def test_an_unknown_organization_is_a_user_error(graphql: GraphQLClient) -> None:
    owner = member(graphql)

    missing = _create(graphql, owner, global_id("Organization", 999))["data"]["createEvent"]
    wrong_type = _create(graphql, owner, owner.person_id)["data"]["createEvent"]

    assert missing["userErrors"][0]["code"] == "NOT_FOUND"
    assert missing["userErrors"][0]["field"] == "organizationId"
    assert wrong_type["userErrors"][0]["code"] == "NOT_FOUND"


def test_only_owners_and_admins_create_events(graphql: GraphQLClient) -> None:
    people = _roles(graphql)
    club = people["club"]
    open_event = create_event(graphql, people["owner"], club)
    assert rsvp(graphql, people["guest"], open_event)["rsvp"]["status"] == "GOING"  # now a guest

    def created(who: Member | None) -> object:
        payload = _create(graphql, who, club)
        if "errors" in payload:
            return payload["errors"][0]["extensions"]["code"]
        return payload["data"]["createEvent"]["userErrors"]

    assert _each(people, created) == {
        "owner": [],
        "admin": [],
        "member": "FORBIDDEN",
        "guest": "FORBIDDEN",
        "stranger": "FORBIDDEN",
        "anonymous": "UNAUTHENTICATED",
    }


def test_who_sees_an_event(graphql: GraphQLClient) -> None:
    people = _roles(graphql)
    club, owner = people["club"], people["owner"]
    open_event = create_event(graphql, owner, club, title="Open Night")
    members_only = create_event(graphql, owner, club, title="AGM", audience="MEMBERS_ONLY")
    assert rsvp(graphql, people["guest"], open_event)["rsvp"]["status"] == "GOING"

    def title(event_id: str) -> Callable[[Member | None], object]:
        return lambda who: (event_as(graphql, who, event_id) or {}).get("title")

    assert _each(people, title(open_event)) == dict.fromkeys(ROLES, "Open Night")
    assert _each(people, title(members_only)) == {
        "owner": "AGM",
        "admin": "AGM",
        "member": "AGM",
        "guest": None,
        "stranger": None,
        "anonymous": None,
    }


def test_events_of_a_private_organization_stay_inside(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    insider = member(graphql)
    stranger = member(graphql)
    club = organization(graphql, owner, "Hidden Club", isPublic=False)
    join(graphql, insider, club)
    event_id = create_event(graphql, owner, club, audience="OPEN_TO_GUESTS")

    assert event_as(graphql, insider, event_id) is not None
    assert event_as(graphql, stranger, event_id) is None
    assert event_as(graphql, None, event_id) is None
    refused = rsvp(graphql, stranger, event_id)
    assert refused["userErrors"][0]["code"] == "NOT_FOUND"


def test_the_online_link_is_for_people_going_and_admins(graphql: GraphQLClient) -> None:
    people = _roles(graphql)
    club = people["club"]
    waiting = member(graphql, "Waiting")
    link = "https://meet.example.org/python-night"
    event_id = create_event(
        graphql, people["owner"], club, format="HYBRID", onlineUrl=link, capacity=2
    )
    assert rsvp(graphql, people["member"], event_id)["rsvp"]["status"] == "GOING"
    assert rsvp(graphql, people["guest"], event_id)["rsvp"]["status"] == "GOING"
    assert rsvp(graphql, waiting, event_id)["rsvp"]["status"] == "WAITLISTED"
    declined = member(graphql, "Declined")
    join(graphql, declined, club)
    assert rsvp(graphql, declined, event_id, "NOT_GOING")["rsvp"]["status"] == "NOT_GOING"

    links = _each(people, lambda who: event_as(graphql, who, event_id)["onlineUrl"])
    assert links == {
        "owner": link,
        "admin": link,
        "member": link,
        "guest": link,
        "stranger": None,
        "anonymous": None,
    }
    assert event_as(graphql, waiting, event_id)["onlineUrl"] is None
    assert event_as(graphql, declined, event_id)["onlineUrl"] is None
    # The seats are visible to whoever sees the event.
    anonymous = event_as(graphql, None, event_id)
    assert (anonymous["goingCount"], anonymous["waitlistCount"], anonymous["spotsLeft"]) == (
        2,
        1,
        0,
    )


def test_an_in_person_event_keeps_no_online_link(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    club = organization(graphql, owner, "Offline Club")

    created = _create(graphql, owner, club, onlineUrl="https://leak.example.org")
    assert created["data"]["createEvent"]["event"]["onlineUrl"] is None


def test_attendee_lists_are_for_members(graphql: GraphQLClient) -> None:
    people = _roles(graphql)
    event_id = create_event(graphql, people["owner"], people["club"], capacity=1)
    rsvp(graphql, people["member"], event_id, guests=0)
    rsvp(graphql, people["guest"], event_id)

    def attendees(who: Member | None) -> object:
        token = who.token if who else None
        lists = []
        for status in ("GOING", "WAITLISTED"):
            body = graphql.data(ATTENDEES, {"id": event_id, "status": status}, token=token)
            page = body["node"]["attendees"]
            lists.append(
                page and [(e["node"]["status"], e["node"]["person"]["id"]) for e in page["edges"]]
            )
        return tuple(lists)

    member_going = [("GOING", people["member"].person_id)]
    guest_waiting = [("WAITLISTED", people["guest"].person_id)]
    assert _each(people, attendees) == {
        "owner": (member_going, guest_waiting),
        "admin": (member_going, guest_waiting),
        "member": (member_going, guest_waiting),
        "guest": (None, None),
        "stranger": (None, None),
        "anonymous": (None, None),
    }


def test_cancelling_an_event(graphql: GraphQLClient) -> None:
    people = _roles(graphql)
    club = people["club"]
    event_id = create_event(graphql, people["owner"], club)
    members_only = create_event(graphql, people["owner"], club, audience="MEMBERS_ONLY")
    rsvp(graphql, people["member"], event_id)
    cancel = {"input": {"id": event_id}}

    refused = graphql.execute(CANCEL_EVENT, cancel, token=people["member"].token)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    hidden = graphql.data(
        CANCEL_EVENT, {"input": {"id": members_only}}, token=people["stranger"].token
    )["cancelEvent"]
    assert hidden["userErrors"][0]["code"] == "NOT_FOUND"
    anonymous = graphql.execute(CANCEL_EVENT, cancel)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    cancelled = graphql.data(CANCEL_EVENT, cancel, token=people["admin"].token)["cancelEvent"]
    assert cancelled["event"]["status"] == "CANCELLED"
    assert cancelled["event"]["cancelledAt"] is not None
    twice = graphql.data(CANCEL_EVENT, cancel, token=people["owner"].token)["cancelEvent"]
    assert twice["userErrors"][0]["code"] == "ILLEGAL_TRANSITION"
    changed = graphql.data(
        UPDATE_EVENT,
        {"input": {"id": event_id, **_without_organization(event_input(club))}},
        token=people["owner"].token,
    )["updateEvent"]
    assert changed["userErrors"][0]["code"] == "ILLEGAL_TRANSITION"
    late = rsvp(graphql, people["stranger"], event_id)
    assert late["userErrors"][0]["code"] == "EVENT_CANCELLED"
    assert event_as(graphql, people["member"], event_id)["viewerRsvp"]["status"] == "GOING"


def _without_organization(values: dict) -> dict:
    return {key: value for key, value in values.items() if key != "organizationId"}


def test_past_events_refuse_rsvps_and_cancellation(graphql: GraphQLClient) -> None:
    people = _roles(graphql)
    event_id = past_event(graphql, people["owner"], people["club"], "Last week")

    refused = rsvp(graphql, people["member"], event_id)
    assert refused["userErrors"][0]["code"] == "EVENT_PAST"
    cancelled = graphql.data(
        CANCEL_EVENT, {"input": {"id": event_id}}, token=people["owner"].token
    )["cancelEvent"]
    assert cancelled["userErrors"][0]["code"] == "ILLEGAL_TRANSITION"


def test_updating_an_event(graphql: GraphQLClient) -> None:
    people = _roles(graphql)
    club = people["club"]
    event_id = create_event(graphql, people["owner"], club, capacity=10)
    update = {"input": {"id": event_id, **_without_organization(event_input(club, capacity=3))}}

    refused = graphql.execute(UPDATE_EVENT, update, token=people["member"].token)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    changed = graphql.data(UPDATE_EVENT, update, token=people["admin"].token)["updateEvent"]
    assert changed["event"]["capacity"] == 3
    bad = {"input": {"id": event_id, **_without_organization(event_input(club, capacity=0))}}
    invalid = graphql.data(UPDATE_EVENT, bad, token=people["admin"].token)["updateEvent"]
    assert invalid["userErrors"][0]["code"] == "INVALID_CAPACITY"
    assert event_as(graphql, people["owner"], event_id)["capacity"] == 3


def test_events_are_listed_by_start_time_with_cursors(graphql: GraphQLClient) -> None:
    people = _roles(graphql)
    club, owner = people["club"], people["owner"]
    other = organization(graphql, people["stranger"], "Another Club")
    later = create_event(graphql, owner, club, title="Later", startsAt=future(20))
    soon = create_event(graphql, owner, club, title="Soon", startsAt=future(2))
    middle = create_event(graphql, owner, club, title="Middle", startsAt=future(9))
    members_only = create_event(
        graphql, owner, club, title="Members", startsAt=future(5), audience="MEMBERS_ONLY"
    )
    cancelled = create_event(graphql, owner, club, title="Off", startsAt=future(3))
    graphql.data(CANCEL_EVENT, {"input": {"id": cancelled}}, token=owner.token)
    elsewhere = create_event(graphql, people["stranger"], other, title="Else", startsAt=future(1))

    def titles(who: Member | None, **variables: object) -> list[str]:
        token = who.token if who else None
        events = graphql.data(EVENTS, variables, token=token)["events"]
        return [edge["node"]["title"] for edge in events["edges"]]

    assert titles(None, organizationId=club) == ["Soon", "Middle", "Later"]
    assert titles(people["member"], organizationId=club) == ["Soon", "Members", "Middle", "Later"]
    assert titles(people["member"], organizationId=club, includeCancelled=True) == [
        "Soon",
        "Off",
        "Members",
        "Middle",
        "Later",
    ]
    assert titles(None) == ["Else", "Soon", "Middle", "Later"]
    assert titles(None, organizationId=club, **{"from": future(4).isoformat()}) == [
        "Middle",
        "Later",
    ]
    assert titles(None, organizationId=club, to=future(10).isoformat()) == ["Soon", "Middle"]

    first = graphql.data(EVENTS, {"organizationId": club, "first": 2}, token=people["member"].token)
    assert first["events"]["totalCount"] == 4
    assert first["events"]["pageInfo"]["hasNextPage"] is True
    rest = graphql.data(
        EVENTS,
        {"organizationId": club, "first": 2, "after": first["events"]["pageInfo"]["endCursor"]},
        token=people["member"].token,
    )["events"]
    assert [e["node"]["id"] for e in rest["edges"]] == [middle, later]
    assert rest["pageInfo"]["hasNextPage"] is False
    assert {soon, members_only, elsewhere}.isdisjoint(e["node"]["id"] for e in rest["edges"])
    bad = graphql.execute(EVENTS, {"after": "nonsense"})
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"

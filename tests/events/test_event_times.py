"""Event times: local wall-clock times in the event's zone in, local times with the zone's
offset out, daylight-saving edges, and times or cursors no calendar holds."""

from __future__ import annotations

import base64

import pytest

from tests.conftest import GraphQLClient
from tests.events.helpers import CREATE_EVENT, UPDATE_EVENT, event_input, rsvp
from tests.factories import join, member, organization

EVENT_TIMES = """
query ($id: ID!) {
  event(id: $id) { startsAt endsAt timeZone }
  node(id: $id) { ... on Event { startsAt } }
}
"""
UPDATE_TIMES = """
mutation ($input: UpdateEventInput!) {
  updateEvent(input: $input) { event { startsAt endsAt } userErrors { field code message } }
}
"""
MY_RSVPS = """
query { myRsvps(first: 10) { edges { node { event { startsAt endsAt } } } } }
"""
EVENTS = """
query ($organizationId: ID, $after: String, $from: DateTime, $to: DateTime) {
  events(organizationId: $organizationId, after: $after, from: $from, to: $to) {
    totalCount
    edges { node { title startsAt } }
  }
}
"""


def _create(graphql: GraphQLClient, token: str, club: str, **fields: object) -> dict:
    variables = {"input": event_input(club, **fields)}
    return graphql.data(CREATE_EVENT, variables, token=token)["createEvent"]


@pytest.mark.parametrize(
    ("zone", "given", "shown"),
    [
        # a wall-clock time is read in the event's zone, winter and summer
        (
            "Europe/Berlin",
            ("2030-12-10T18:30:00", "2030-12-10T21:00:00"),
            ("2030-12-10T18:30:00+01:00", "2030-12-10T21:00:00+01:00"),
        ),
        (
            "America/New_York",
            ("2030-07-04T18:30:00", "2030-07-04T21:00:00"),
            ("2030-07-04T18:30:00-04:00", "2030-07-04T21:00:00-04:00"),
        ),
        # a time with an offset is that instant, shown in the event's zone
        (
            "Europe/Berlin",
            ("2030-12-10T17:30:00Z", "2030-12-10T15:00:00-05:00"),
            ("2030-12-10T18:30:00+01:00", "2030-12-10T21:00:00+01:00"),
        ),
        # Europe/Berlin goes back from 03:00 CEST to 02:00 CET on 27 October 2030: a time the
        # clocks pass twice is the first of the two
        (
            "Europe/Berlin",
            ("2030-10-27T02:30:00", "2030-10-27T04:00:00"),
            ("2030-10-27T02:30:00+02:00", "2030-10-27T04:00:00+01:00"),
        ),
        # the stored instant is unchanged; the local time is only how it is shown
        (
            "Australia/Sydney",
            ("2030-12-10T18:30:00", "2030-12-10T20:00:00"),
            ("2030-12-10T18:30:00+11:00", "2030-12-10T20:00:00+11:00"),
        ),
    ],
)
def test_times_are_read_and_shown_in_the_event_s_zone(
    graphql: GraphQLClient, zone: str, given: tuple[str, str], shown: tuple[str, str]
) -> None:
    owner = member(graphql)
    club = organization(graphql, owner, "Wall Clock Club")

    created = _create(graphql, owner.token, club, timeZone=zone, startsAt=given[0], endsAt=given[1])

    assert created["userErrors"] == []
    assert (created["event"]["startsAt"], created["event"]["endsAt"]) == shown
    read = graphql.data(EVENT_TIMES, {"id": created["event"]["id"]})
    assert read == {
        "event": {"startsAt": shown[0], "endsAt": shown[1], "timeZone": zone},
        "node": {"startsAt": shown[0]},
    }


def test_updates_take_wall_clock_times_too(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    club = organization(graphql, owner, "Moving Club")
    event_id = _create(graphql, owner.token, club)["event"]["id"]
    fields = event_input(club, startsAt="2031-06-01T09:00:00", endsAt="2031-06-01T17:00:00")
    del fields["organizationId"]

    updated = graphql.data(UPDATE_TIMES, {"input": {"id": event_id, **fields}}, token=owner.token)

    assert updated["updateEvent"] == {
        "event": {"startsAt": "2031-06-01T09:00:00+02:00", "endsAt": "2031-06-01T17:00:00+02:00"},
        "userErrors": [],
    }


def test_an_rsvp_shows_the_event_s_local_time(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    attendee = member(graphql)
    club = organization(graphql, owner, "Tokyo Club")
    join(graphql, attendee, club)
    event_id = _create(
        graphql,
        owner.token,
        club,
        timeZone="Asia/Tokyo",
        startsAt="2030-11-02T19:00:00",
        endsAt="2030-11-02T21:00:00",
    )["event"]["id"]
    assert rsvp(graphql, attendee, event_id)["userErrors"] == []

    mine = graphql.data(MY_RSVPS, token=attendee.token)["myRsvps"]["edges"]
    listed = graphql.data(EVENTS, {"organizationId": club})["events"]["edges"]

    assert [edge["node"]["event"] for edge in mine] == [
        {"startsAt": "2030-11-02T19:00:00+09:00", "endsAt": "2030-11-02T21:00:00+09:00"}
    ]
    assert [edge["node"]["startsAt"] for edge in listed] == ["2030-11-02T19:00:00+09:00"]


def test_a_time_the_clocks_skip_is_refused(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    club = organization(graphql, owner, "Spring Club")

    # Europe/Berlin jumps from 02:00 to 03:00 on 31 March 2030.
    refused = _create(
        graphql,
        owner.token,
        club,
        timeZone="Europe/Berlin",
        startsAt="2030-03-31T02:30:00",
        endsAt="2030-03-31T05:00:00",
    )

    assert refused["event"] is None
    [error] = refused["userErrors"]
    assert (error["field"], error["code"]) == ("startsAt", "NONEXISTENT_LOCAL_TIME")
    assert "2030-03-31 02:30" in error["message"]
    assert "Europe/Berlin" in error["message"]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"startsAt": "9999-12-31T20:00:00-05:00", "endsAt": "9999-12-31T23:00:00-05:00"},
            {("startsAt", "TOO_FAR_AHEAD")},
        ),
        (
            {"startsAt": "9999-12-31T20:00:00", "endsAt": "9999-12-31T23:00:00"},
            {("startsAt", "TOO_FAR_AHEAD")},
        ),
        (
            {"startsAt": "2030-01-01T10:00:00Z", "endsAt": "9999-12-31T23:00:00-05:00"},
            {("endsAt", "TOO_LONG")},
        ),
        (
            {"startsAt": "0001-01-01T00:30:00+01:00", "endsAt": "0001-01-01T02:00:00+01:00"},
            {("startsAt", "STARTS_IN_PAST")},
        ),
        (
            {"startsAt": "2045-01-01T10:00:00Z", "endsAt": "2045-01-01T12:00:00Z"},
            {("startsAt", "TOO_FAR_AHEAD")},
        ),
    ],
)
def test_times_no_calendar_should_hold_are_user_errors(
    graphql: GraphQLClient, fields: dict, expected: set[tuple[str, str]]
) -> None:
    owner = member(graphql)
    club = organization(graphql, owner, "Far Club")

    payload = graphql.execute(
        CREATE_EVENT, {"input": event_input(club, **fields)}, token=owner.token
    )

    assert "errors" not in payload, payload
    created = payload["data"]["createEvent"]
    assert created["event"] is None
    assert {(e["field"], e["code"]) for e in created["userErrors"]} == expected


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    ("variables", "titles"),
    [
        # 20:30 in Berlin is 19:30 UTC: the event (until 21:00 Berlin) is not over then.
        ({"from": "2030-12-10T20:30:00+01:00"}, ["Evening"]),
        ({"from": "2030-12-10T21:30:00+01:00"}, []),
        ({"to": "2030-12-10T18:00:00-00:30"}, ["Evening"]),
        ({"from": "9999-12-31T23:00:00-05:00"}, []),
        ({"to": "0001-01-01T00:00:00+01:00"}, []),
        ({"to": "9999-12-31T23:00:00-05:00"}, ["Evening"]),
        ({"after": _cursor("event:9999-12-31T23:00:00-05:00|5")}, []),
    ],
)
def test_list_arguments_survive_extremes(
    graphql: GraphQLClient, variables: dict[str, str], titles: list[str]
) -> None:
    owner = member(graphql)
    club = organization(graphql, owner, "Range Club")
    _create(
        graphql,
        owner.token,
        club,
        title="Evening",
        startsAt="2030-12-10T18:30:00",
        endsAt="2030-12-10T21:00:00",
    )

    events = graphql.data(EVENTS, {"organizationId": club, **variables})["events"]

    assert [edge["node"]["title"] for edge in events["edges"]] == titles


@pytest.mark.parametrize(
    ("argument", "value", "named"),
    [
        ("from", "2030-12-10T18:30:00", True),  # no offset
        ("to", "2030-12-10T18:30:00", True),
        ("from", "1e308", False),
        ("from", "99999-01-01T00:00:00Z", False),
        ("from", "2030-13-01T00:00:00Z", False),
    ],
)
def test_list_arguments_that_are_no_instant_are_refused(
    graphql: GraphQLClient, argument: str, value: str, named: bool
) -> None:
    refused = graphql.execute(EVENTS, {argument: value})

    [error] = refused["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    if named:
        assert f"`{argument}`" in error["message"]


@pytest.mark.parametrize(
    "cursor",
    [
        _cursor("event:2030-01-01T00:00:00+00:00|99999999999999999999999"),
        _cursor("event:2030-01-01T00:00:00+00:00|-5"),
        _cursor("event:2030-01-01T00:00:00|5"),
        _cursor("event:nonsense|5"),
        _cursor("event:2030-01-01T00:00:00+00:00|\u00b2"),
    ],
)
def test_cursors_no_page_can_have_are_refused(graphql: GraphQLClient, cursor: str) -> None:
    refused = graphql.execute(EVENTS, {"after": cursor})

    [error] = refused["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error


HUGE = base64.b64encode(b"Event:99999999999999999999999").decode()
SUPERSCRIPT = base64.b64encode("Event:\u00b2".encode()).decode()
HUGE_ORGANIZATION = base64.b64encode(b"Organization:99999999999999999999999").decode()


@pytest.mark.parametrize("event_id", [HUGE, SUPERSCRIPT])
def test_event_ids_no_row_can_have_find_nothing(graphql: GraphQLClient, event_id: str) -> None:
    owner = member(graphql)
    fields = event_input(HUGE_ORGANIZATION)
    del fields["organizationId"]

    found = graphql.data(EVENT_TIMES, {"id": event_id})
    answered = rsvp(graphql, owner, event_id)
    updated = graphql.data(UPDATE_EVENT, {"input": {"id": event_id, **fields}}, token=owner.token)

    assert found == {"event": None, "node": None}
    assert [error["code"] for error in answered["userErrors"]] == ["NOT_FOUND"]
    assert [error["code"] for error in updated["updateEvent"]["userErrors"]] == ["NOT_FOUND"]


def test_organization_ids_no_row_can_have_find_nothing(graphql: GraphQLClient) -> None:
    owner = member(graphql)

    listed = graphql.data(EVENTS, {"organizationId": HUGE_ORGANIZATION})["events"]
    refused = graphql.data(
        CREATE_EVENT, {"input": event_input(HUGE_ORGANIZATION)}, token=owner.token
    )["createEvent"]

    assert listed["totalCount"] == 0
    assert [error["code"] for error in refused["userErrors"]] == ["NOT_FOUND"]

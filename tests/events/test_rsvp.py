"""RSVPs: who may answer, guests, capacity, the waitlist in strict order, concurrency, and
guests (prospective members) converting into members."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.conftest import GraphQLClient
from tests.events.helpers import (
    ACCEPT,
    ATTENDEES,
    INVITE,
    UPDATE_EVENT,
    create_event,
    event_as,
    event_input,
    rsvp,
    status_of,
)
from tests.factories import Member, join, member, organization

MY_MEMBERSHIPS = """
{ myMemberships { id role status organization { id } } }
"""
MY_RSVPS = """
query ($upcoming: Boolean!) {
  myRsvps(upcoming: $upcoming, first: 10) {
    totalCount
    edges { node { status guests event { id title } } }
  }
}
"""
APPROVE = """
mutation ($input: MembershipIdInput!) {
  approveMembership(input: $input) { membership { role status } userErrors { code } }
}
"""


def _membership(graphql: GraphQLClient, person: Member, organization_id: str) -> dict | None:
    rows = graphql.data(MY_MEMBERSHIPS, token=person.token)["myMemberships"]
    return next((r for r in rows if r["organization"]["id"] == organization_id), None)


def _statuses(graphql: GraphQLClient, event_id: str, people: dict[str, Member]) -> dict:
    return {name: status_of(graphql, person, event_id) for name, person in people.items()}


def test_capacity_counts_guests_and_the_waitlist_moves_in_strict_order(
    graphql: GraphQLClient,
) -> None:
    owner = member(graphql)
    club = organization(graphql, owner, "Capacity Club")
    people = {name: member(graphql, name) for name in ("ana", "ben", "cy", "dee", "eve", "fay")}
    event_id = create_event(graphql, owner, club, capacity=5)

    # Given ana (+2) and ben (+1) fill the five seats
    assert rsvp(graphql, people["ana"], event_id, guests=2)["rsvp"]["status"] == "GOING"
    assert rsvp(graphql, people["ben"], event_id, guests=1)["rsvp"]["status"] == "GOING"
    # When cy, dee (+2) and eve answer GOING, they wait in that order
    assert rsvp(graphql, people["cy"], event_id)["rsvp"]["status"] == "WAITLISTED"
    assert rsvp(graphql, people["dee"], event_id, guests=2)["rsvp"]["status"] == "WAITLISTED"
    assert rsvp(graphql, people["eve"], event_id)["rsvp"]["status"] == "WAITLISTED"
    counts = event_as(graphql, None, event_id)
    assert (counts["goingCount"], counts["waitlistCount"], counts["spotsLeft"]) == (5, 5, 0)

    # When ben cancels (2 seats free): cy (1) goes; dee (3) does not fit, and eve, though
    # she would fit, does not overtake dee
    assert rsvp(graphql, people["ben"], event_id, "NOT_GOING")["rsvp"]["status"] == "NOT_GOING"
    assert _statuses(graphql, event_id, people) == {
        "ana": "GOING",
        "ben": "NOT_GOING",
        "cy": "GOING",
        "dee": "WAITLISTED",
        "eve": "WAITLISTED",
        "fay": None,
    }
    # A newcomer does not jump the line either, though one seat is free
    assert rsvp(graphql, people["fay"], event_id)["rsvp"]["status"] == "WAITLISTED"
    assert event_as(graphql, None, event_id)["spotsLeft"] == 1

    # When ana brings no guests after all (2 more seats): dee's party of 3 now fits
    assert rsvp(graphql, people["ana"], event_id, guests=0)["rsvp"]["status"] == "GOING"
    assert status_of(graphql, people["dee"], event_id) == "GOING"
    assert status_of(graphql, people["eve"], event_id) == "WAITLISTED"

    # Ana cannot take guests back while people wait; nothing changes
    refused = rsvp(graphql, people["ana"], event_id, guests=1)
    assert refused["rsvp"] is None
    assert refused["userErrors"][0]["code"] == "NOT_ENOUGH_SPOTS"
    assert refused["userErrors"][0]["field"] == "guests"
    assert event_as(graphql, people["ana"], event_id)["viewerRsvp"] == {
        "status": "GOING",
        "guests": 0,
    }

    # When dee's party cancels, eve and then fay go, in order
    rsvp(graphql, people["dee"], event_id, "NOT_GOING")
    assert status_of(graphql, people["eve"], event_id) == "GOING"
    assert status_of(graphql, people["fay"], event_id) == "GOING"
    final = event_as(graphql, None, event_id)
    assert (final["goingCount"], final["waitlistCount"], final["spotsLeft"]) == (4, 0, 1)


@pytest.mark.parametrize("guests", [-1, 6])
def test_guests_out_of_range_are_refused(graphql: GraphQLClient, guests: int) -> None:
    owner = member(graphql)
    club = organization(graphql, owner, "Guest Club")
    person = member(graphql)
    event_id = create_event(graphql, owner, club, capacity=4)

    refused = rsvp(graphql, person, event_id, guests=guests)

    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
        ("guests", "INVALID_GUESTS")
    ]
    assert status_of(graphql, person, event_id) is None


def test_guests_may_grow_while_seats_are_free(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    club = organization(graphql, owner, "Guest Club")
    person = member(graphql)
    event_id = create_event(graphql, owner, club, capacity=4)

    assert rsvp(graphql, person, event_id, guests=1)["rsvp"]["guests"] == 1
    grown = rsvp(graphql, person, event_id, guests=3)["rsvp"]
    assert (grown["status"], grown["guests"]) == ("GOING", 3)
    too_many = rsvp(graphql, person, event_id, guests=4)
    assert [e["code"] for e in too_many["userErrors"]] == ["NOT_ENOUGH_SPOTS"]
    assert event_as(graphql, None, event_id)["goingCount"] == 4
    # NOT_GOING ignores guests
    assert rsvp(graphql, person, event_id, "NOT_GOING", guests=9)["rsvp"]["guests"] == 0


def test_a_waitlisted_party_keeps_its_place_when_it_changes(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    club = organization(graphql, owner, "Line Club")
    first, second, third = (member(graphql, n) for n in ("First", "Second", "Third"))
    event_id = create_event(graphql, owner, club, capacity=2)
    assert rsvp(graphql, first, event_id, guests=1)["rsvp"]["status"] == "GOING"
    assert rsvp(graphql, second, event_id, guests=1)["rsvp"]["status"] == "WAITLISTED"
    assert rsvp(graphql, third, event_id)["rsvp"]["status"] == "WAITLISTED"

    # Second changes their party while waiting: still first in line
    assert rsvp(graphql, second, event_id, guests=0)["rsvp"]["status"] == "WAITLISTED"
    rsvp(graphql, first, event_id, guests=0)

    assert status_of(graphql, second, event_id) == "GOING"
    assert status_of(graphql, third, event_id) == "WAITLISTED"


def test_raising_the_capacity_lets_the_waitlist_in(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    club = organization(graphql, owner, "Growing Club")
    people = [member(graphql, f"P{n}") for n in range(4)]
    event_id = create_event(graphql, owner, club, capacity=1)
    for person in people:
        rsvp(graphql, person, event_id)

    values = {key: v for key, v in event_input(club, capacity=3).items() if key != "organizationId"}
    changed = graphql.data(UPDATE_EVENT, {"input": {"id": event_id, **values}}, token=owner.token)[
        "updateEvent"
    ]

    assert changed["event"]["goingCount"] == 3
    assert changed["event"]["waitlistCount"] == 1
    assert [status_of(graphql, p, event_id) for p in people] == [
        "GOING",
        "GOING",
        "GOING",
        "WAITLISTED",
    ]


def test_who_may_rsvp(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    insider = member(graphql)
    outsider = member(graphql)
    club = organization(graphql, owner, "Who Club", joinPolicy="OPEN")
    join(graphql, insider, club)
    members_only = create_event(graphql, owner, club, audience="MEMBERS_ONLY")
    open_event = create_event(graphql, owner, club, audience="OPEN_TO_GUESTS")

    assert rsvp(graphql, insider, members_only)["rsvp"]["status"] == "GOING"
    assert rsvp(graphql, owner, members_only)["rsvp"]["status"] == "GOING"
    hidden = rsvp(graphql, outsider, members_only)
    assert hidden["userErrors"] == [
        {"field": "eventId", "code": "NOT_FOUND", "message": "No event has this id."}
    ]
    anonymous = graphql.execute(
        "mutation ($input: RsvpInput!) { rsvp(input: $input) { rsvp { status } } }",
        {"input": {"eventId": open_event, "response": "GOING"}},
    )
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    wrong = rsvp(graphql, insider, owner.person_id)
    assert wrong["userErrors"][0]["code"] == "NOT_FOUND"

    # A non-member answering an open event becomes a GUEST, which is no membership elsewhere
    assert _membership(graphql, outsider, club) is None
    assert rsvp(graphql, outsider, open_event)["rsvp"]["status"] == "GOING"
    assert _membership(graphql, outsider, club)["role"] == "GUEST"
    assert _membership(graphql, outsider, club)["status"] == "ACTIVE"
    assert rsvp(graphql, outsider, members_only)["userErrors"][0]["code"] == "NOT_FOUND"
    assert event_as(graphql, outsider, members_only) is None


def test_someone_an_admin_removed_cannot_come_back_as_a_guest(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    person = member(graphql)
    club = organization(graphql, owner, "Strict Club")
    membership = join(graphql, person, club)["membership"]
    removed = graphql.data(
        """mutation ($input: MembershipIdInput!) {
          removeMember(input: $input) { membership { status } } }""",
        {"input": {"membershipId": membership["id"]}},
        token=owner.token,
    )
    assert removed["removeMember"]["membership"]["status"] == "REMOVED"
    event_id = create_event(graphql, owner, club)

    refused = rsvp(graphql, person, event_id)

    assert refused["userErrors"][0]["code"] == "NOT_ALLOWED"
    assert _membership(graphql, person, club)["status"] == "REMOVED"


def _guest_of(graphql: GraphQLClient, policy: str) -> tuple[Member, Member, str, str]:
    owner = member(graphql)
    guest = member(graphql)
    club = organization(graphql, owner, f"{policy.title()} Club", joinPolicy=policy)
    event_id = create_event(graphql, owner, club, title=f"{policy} night")
    assert rsvp(graphql, guest, event_id, guests=1)["rsvp"]["status"] == "GOING"
    assert _membership(graphql, guest, club)["role"] == "GUEST"
    return owner, guest, club, event_id


def _my_rsvps(graphql: GraphQLClient, person: Member) -> list[dict[str, Any]]:
    data = graphql.data(MY_RSVPS, {"upcoming": True}, token=person.token)["myRsvps"]
    return [edge["node"] for edge in data["edges"]]


def test_a_guest_joins_an_open_organization_as_a_member(graphql: GraphQLClient) -> None:
    owner, guest, club, event_id = _guest_of(graphql, "OPEN")
    members_only = create_event(graphql, owner, club, audience="MEMBERS_ONLY")

    joined = join(graphql, guest, club)

    assert joined["userErrors"] == []
    assert joined["membership"]["role"] == "MEMBER"
    assert joined["membership"]["status"] == "ACTIVE"
    assert _my_rsvps(graphql, guest) == [
        {"status": "GOING", "guests": 1, "event": {"id": event_id, "title": "OPEN night"}}
    ]
    assert event_as(graphql, guest, members_only) is not None
    again = join(graphql, guest, club)
    assert again["userErrors"][0]["code"] == "ALREADY_MEMBER"


def test_a_guest_asks_to_join_an_approval_organization(graphql: GraphQLClient) -> None:
    owner, guest, club, event_id = _guest_of(graphql, "APPROVAL")

    joined = join(graphql, guest, club)

    assert joined["membership"]["role"] == "MEMBER"
    assert joined["membership"]["status"] == "REQUESTED"
    assert [r["status"] for r in _my_rsvps(graphql, guest)] == ["GOING"]
    assert join(graphql, guest, club)["userErrors"][0]["code"] == "ALREADY_MEMBER"
    approved = graphql.data(
        APPROVE, {"input": {"membershipId": joined["membership"]["id"]}}, token=owner.token
    )["approveMembership"]
    assert approved["membership"] == {"role": "MEMBER", "status": "ACTIVE"}
    assert status_of(graphql, guest, event_id) == "GOING"


def test_a_guest_cannot_join_an_invite_only_organization(graphql: GraphQLClient) -> None:
    _, guest, club, event_id = _guest_of(graphql, "INVITE_ONLY")

    refused = join(graphql, guest, club)

    assert refused["userErrors"][0]["code"] == "INVITE_ONLY"
    assert _membership(graphql, guest, club)["role"] == "GUEST"
    assert status_of(graphql, guest, event_id) == "GOING"


def test_a_guest_of_an_invite_only_organization_is_invited_in(graphql: GraphQLClient) -> None:
    owner, guest, club, event_id = _guest_of(graphql, "INVITE_ONLY")
    invite = {"input": {"organizationId": club, "email": guest.email, "role": "MEMBER"}}

    invited = graphql.data(INVITE, invite, token=owner.token)["inviteMember"]
    assert invited["userErrors"] == []
    assert invited["membership"]["status"] == "INVITED"
    accepted = graphql.data(
        ACCEPT, {"input": {"membershipId": invited["membership"]["id"]}}, token=guest.token
    )["acceptInvitation"]

    assert accepted["membership"] == {"role": "MEMBER", "status": "ACTIVE"}
    assert status_of(graphql, guest, event_id) == "GOING"
    again = graphql.data(INVITE, invite, token=owner.token)["inviteMember"]
    assert again["userErrors"][0]["code"] == "ALREADY_MEMBER"


def test_a_member_who_left_and_comes_as_a_guest_rejoins_as_a_member(
    graphql: GraphQLClient,
) -> None:
    owner = member(graphql)
    person = member(graphql)
    club = organization(graphql, owner, "Boomerang Club", joinPolicy="OPEN")
    join(graphql, person, club)
    graphql.data(
        """mutation ($input: OrganizationIdInput!) {
          leaveOrganization(input: $input) { membership { status } } }""",
        {"input": {"organizationId": club}},
        token=person.token,
    )
    event_id = create_event(graphql, owner, club)

    assert rsvp(graphql, person, event_id)["rsvp"]["status"] == "GOING"
    assert _membership(graphql, person, club)["role"] == "GUEST"
    assert join(graphql, person, club)["membership"] == {
        "id": _membership(graphql, person, club)["id"],
        "status": "ACTIVE",
        "role": "MEMBER",
    }


def test_concurrent_rsvps_never_overbook(graphql: GraphQLClient) -> None:
    # given an event with five seats and twelve people, every other one bringing a guest
    owner = member(graphql)
    club = organization(graphql, owner, "Rush Club")
    event_id = create_event(graphql, owner, club, capacity=5)
    crowd = [member(graphql, f"Rusher {n}") for n in range(12)]
    parties = {person.person_id: 1 + n % 2 for n, person in enumerate(crowd)}

    # when they all answer GOING at once
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(
            pool.map(
                lambda pair: rsvp(graphql, pair[1], event_id, guests=pair[0] % 2), enumerate(crowd)
            )
        )

    # then the seats are filled in answer order up to the first party that does not fit,
    # and everyone after it waits behind it, however few seats they would need
    assert {a["rsvp"]["status"] for a in answers} <= {"GOING", "WAITLISTED"}, answers
    counts = event_as(graphql, None, event_id)
    going = _attendees(graphql, owner, event_id, "GOING")
    line = _attendees(graphql, owner, event_id, "WAITLISTED")
    assert len(going) + len(line) == 12
    assert counts["goingCount"] == sum(parties[person] for person in going)
    assert counts["goingCount"] + counts["spotsLeft"] == 5
    assert counts["waitlistCount"] == sum(parties[person] for person in line)
    assert parties[line[0]] > counts["spotsLeft"]


def _attendees(graphql: GraphQLClient, who: Member, event_id: str, status: str) -> list[str]:
    """The person ids of the event's answers of one status, in list (line) order."""
    body = graphql.data(ATTENDEES, {"id": event_id, "status": status}, token=who.token)
    return [edge["node"]["person"]["id"] for edge in body["node"]["attendees"]["edges"]]


RSVP_NODE = """
query ($id: ID!) { node(id: $id) { ... on Rsvp { status person { id } event { id } } } }
"""
EVENT_BY_ID = """
query ($id: ID!) { event(id: $id) { id title } }
"""


def test_an_rsvp_is_seen_by_its_author_and_the_members(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    insider = member(graphql)
    visitor = member(graphql)
    stranger = member(graphql)
    club = organization(graphql, owner, "Seen Club")
    join(graphql, insider, club)
    event_id = create_event(graphql, owner, club, title="Seen night")
    answer = rsvp(graphql, visitor, event_id)["rsvp"]

    def seen_by(who: Member | None) -> Any:
        token = who.token if who else None
        return graphql.data(RSVP_NODE, {"id": answer["id"]}, token=token)["node"]

    seen = {"status": "GOING", "person": {"id": visitor.person_id}, "event": {"id": event_id}}
    assert {
        name: seen_by(who)
        for name, who in (
            ("visitor", visitor),
            ("insider", insider),
            ("owner", owner),
            ("stranger", stranger),
            ("anonymous", None),
        )
    } == {"visitor": seen, "insider": seen, "owner": seen, "stranger": None, "anonymous": None}
    assert graphql.data(EVENT_BY_ID, {"id": event_id})["event"]["title"] == "Seen night"
    assert graphql.data(EVENT_BY_ID, {"id": answer["id"]})["event"] is None


WAITLIST_POSITION = """
query ($id: ID!) { node(id: $id) { ... on Event { viewerRsvp { status waitlistPosition } } } }
"""


def _positions(graphql: GraphQLClient, event_id: str, people: dict[str, Member]) -> dict:
    """Each person's own answer and place in line, as they see it."""
    seen = {}
    for name, person in people.items():
        node = graphql.data(WAITLIST_POSITION, {"id": event_id}, token=person.token)["node"]
        answer = node["viewerRsvp"]
        seen[name] = (answer["status"], answer["waitlistPosition"]) if answer else None
    return seen


def test_each_person_waiting_sees_their_place_in_line(graphql: GraphQLClient) -> None:
    # Given one seat, taken, and three people waiting in the order they answered
    owner = member(graphql)
    club = organization(graphql, owner, "Line Club")
    people = {name: member(graphql, name) for name in ("ana", "ben", "cy", "dee")}
    event_id = create_event(graphql, owner, club, capacity=1)
    for name in ("ana", "ben", "cy", "dee"):
        rsvp(graphql, people[name], event_id)

    assert _positions(graphql, event_id, people) == {
        "ana": ("GOING", None),
        "ben": ("WAITLISTED", 1),
        "cy": ("WAITLISTED", 2),
        "dee": ("WAITLISTED", 3),
    }

    # When cy leaves the line and ana gives up her seat, ben goes and dee moves up to first
    rsvp(graphql, people["cy"], event_id, "NOT_GOING")
    rsvp(graphql, people["ana"], event_id, "NOT_GOING")

    assert _positions(graphql, event_id, people) == {
        "ana": ("NOT_GOING", None),
        "ben": ("GOING", None),
        "cy": ("NOT_GOING", None),
        "dee": ("WAITLISTED", 1),
    }

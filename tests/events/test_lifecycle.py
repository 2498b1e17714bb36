"""The events' lifecycle as a whole: every verb from every state, and racing verbs."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.conftest import GraphQLClient
from tests.events.helpers import (
    CANCEL_EVENT,
    EVENT,
    UPDATE_EVENT,
    create_event,
    event_input,
    past_event,
    rsvp,
)
from tests.factories import Member, member, organization

STATES = ("UPCOMING", "CANCELLED", "OVER")
VERBS = ("updateEvent", "cancelEvent", "rsvp")
#: (verb, state) -> what the verb answers: the event's status (or the RSVP's) after a legal
#: move, the user error's code after an illegal one.
OUTCOMES = {
    ("updateEvent", "UPCOMING"): "PUBLISHED",
    ("updateEvent", "CANCELLED"): "ILLEGAL_TRANSITION",
    ("updateEvent", "OVER"): "ILLEGAL_TRANSITION",
    ("cancelEvent", "UPCOMING"): "CANCELLED",
    ("cancelEvent", "CANCELLED"): "ILLEGAL_TRANSITION",
    ("cancelEvent", "OVER"): "ILLEGAL_TRANSITION",
    ("rsvp", "UPCOMING"): "GOING",
    ("rsvp", "CANCELLED"): "EVENT_CANCELLED",
    ("rsvp", "OVER"): "EVENT_PAST",
}
#: What an illegal move's message says the event is.
WHY = {"CANCELLED": "cancelled event", "OVER": "already taken place"}


def event_in(graphql: GraphQLClient, owner: Member, club: str, state: str) -> str:
    """An event of `club` in `state` (one that is over is set up through the service)."""
    if state == "OVER":
        return past_event(graphql, owner, club, "Last week")
    event_id = create_event(graphql, owner, club)
    if state == "CANCELLED":
        cancel = graphql.data(CANCEL_EVENT, {"input": {"id": event_id}}, token=owner.token)
        assert cancel["cancelEvent"]["userErrors"] == []
    return event_id


def act(graphql: GraphQLClient, who: Member, verb: str, event_id: str, club: str) -> Any:
    """Try `verb` on the event; (the status it answers, or its user error)."""
    if verb == "rsvp":
        payload = rsvp(graphql, who, event_id)
        moved = payload["rsvp"] and payload["rsvp"]["status"]
    else:
        document = UPDATE_EVENT if verb == "updateEvent" else CANCEL_EVENT
        fields = event_input(club) if verb == "updateEvent" else {}
        fields.pop("organizationId", None)
        payload = graphql.data(document, {"input": {"id": event_id, **fields}}, token=who.token)
        payload = payload[verb]
        moved = (
            payload["event"]
            and graphql.data(EVENT, {"id": event_id}, token=who.token)["node"]["status"]
        )
    return moved, payload["userErrors"]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("verb", VERBS)
def test_every_verb_from_every_state(graphql: GraphQLClient, verb: str, state: str) -> None:
    # given an event in the state
    owner = member(graphql, "Owner")
    club = organization(graphql, owner, "Lifecycle Club")
    event_id = event_in(graphql, owner, club, state)
    before = graphql.data(EVENT, {"id": event_id}, token=owner.token)["node"]

    # when the verb is tried
    moved, errors = act(graphql, owner, verb, event_id, club)

    # then a legal move lands where the table says; an illegal one says why and changes nothing
    expected = OUTCOMES[(verb, state)]
    if errors:
        [error] = errors
        assert error["code"] == expected, error
        if expected == "ILLEGAL_TRANSITION":
            assert WHY[state] in error["message"], error
        assert graphql.data(EVENT, {"id": event_id}, token=owner.token)["node"] == before
    else:
        assert moved == expected


def test_two_racing_cancels_move_an_event_once(graphql: GraphQLClient) -> None:
    # given an upcoming event
    owner = member(graphql, "Owner")
    club = organization(graphql, owner, "Racing Club")
    event_id = create_event(graphql, owner, club)

    # when two cancels arrive at once
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(
            pool.map(lambda _: act(graphql, owner, "cancelEvent", event_id, club), range(2))
        )

    # then exactly one moved it, and the other was told it is cancelled now
    moved = [status for status, errors in answers if not errors]
    refused = [errors for status, errors in answers if errors]
    assert moved == ["CANCELLED"], answers
    assert [error["code"] for [error] in refused] == ["ILLEGAL_TRANSITION"]
    assert "cancelled event" in refused[0][0]["message"]


def test_two_racing_for_the_last_seat_one_goes_and_one_waits(graphql: GraphQLClient) -> None:
    # given an event with one seat and two people wanting it
    owner = member(graphql, "Owner")
    club = organization(graphql, owner, "Last Seat Club")
    event_id = create_event(graphql, owner, club, capacity=1)
    people = [member(graphql, "First"), member(graphql, "Second")]

    # when both answer GOING at once
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(lambda person: rsvp(graphql, person, event_id), people))

    # then one goes and the other waits
    assert sorted(answer["rsvp"]["status"] for answer in answers) == ["GOING", "WAITLISTED"]
    seats = graphql.data(EVENT, {"id": event_id})["node"]
    assert (seats["goingCount"], seats["waitlistCount"], seats["spotsLeft"]) == (1, 1, 0)


RSVP_STATES = ("NONE", "GOING", "WAITLISTED", "NOT_GOING")
#: (answer, guests) -> {the answerer's state before: what the answer gives} at an event with
#: two seats, one taken by someone else (and the other too, for WAITLISTED to be reachable).
RSVP_OUTCOMES = {
    ("GOING", 0): {
        "NONE": "GOING",
        "GOING": "GOING",
        "WAITLISTED": "WAITLISTED",  # keeps the place in line
        "NOT_GOING": "GOING",
    },
    ("GOING", 1): {
        "NONE": "WAITLISTED",  # one seat free, a party of two
        "GOING": "NOT_ENOUGH_SPOTS",
        "WAITLISTED": "WAITLISTED",
        "NOT_GOING": "WAITLISTED",
    },
    ("NOT_GOING", 0): dict.fromkeys(RSVP_STATES, "NOT_GOING"),
}


@pytest.mark.parametrize("state", RSVP_STATES)
@pytest.mark.parametrize(("answer", "guests"), list(RSVP_OUTCOMES))
def test_every_answer_from_every_rsvp_state(
    graphql: GraphQLClient, state: str, answer: str, guests: int
) -> None:
    # given an event with two seats, one taken, and someone whose RSVP is in the state
    owner = member(graphql, "Owner")
    club = organization(graphql, owner, "Answers Club")
    event_id = create_event(graphql, owner, club, capacity=2)
    assert rsvp(graphql, member(graphql, "Holder"), event_id)["rsvp"]["status"] == "GOING"
    person = member(graphql, "Person")
    if state == "WAITLISTED":
        assert rsvp(graphql, member(graphql, "Filler"), event_id)["rsvp"]["status"] == "GOING"
    if state != "NONE":
        assert (
            rsvp(graphql, person, event_id, "GOING" if state != "NOT_GOING" else state)["rsvp"][
                "status"
            ]
            == state
        )

    # when they answer
    payload = rsvp(graphql, person, event_id, answer, guests)

    # then the answer lands where the table says, or is refused and nothing moves
    expected = RSVP_OUTCOMES[(answer, guests)][state]
    if payload["userErrors"]:
        assert [error["code"] for error in payload["userErrors"]] == [expected]
        own = graphql.data(EVENT, {"id": event_id}, token=person.token)["node"]["viewerRsvp"]
        assert own == {"status": state, "guests": 0}
    else:
        assert (payload["rsvp"]["status"], payload["rsvp"]["guests"]) == (
            expected,
            guests if answer == "GOING" else 0,
        )

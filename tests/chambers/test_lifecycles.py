"""Business memberships' and perks' lifecycles as a whole: every verb from every state, and
two verbs racing for one row."""

from __future__ import annotations

import dataclasses
import itertools
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.chambers.helpers import (
    APPROVE,
    APPROVE_PERK,
    DECLINE,
    LEAVE,
    REJECT_PERK,
    REMOVE,
    WITHDRAW_PERK,
    Chamber,
    apply,
    chamber,
    member_business,
    move,
    perk_move,
    submit_perk,
)
from tests.conftest import GraphQLClient
from tests.factories import Member, member, organization

MEMBERSHIP = "query ($id: ID!) { node(id: $id) { ... on BusinessMembership { status } } }"
PERK = "query ($id: ID!) { node(id: $id) { ... on Perk { status } } }"
CHANGE_LISTING = """
mutation ($input: UpdateBusinessListingInput!) {
  updateBusinessListing(input: $input) { userErrors { field code message } }
}
"""

#: verb -> (its mutation, whether the chamber's admins use it rather than the business's)
MEMBERSHIP_VERBS = {
    "apply": (None, False),
    "approve": (APPROVE, True),
    "decline": (DECLINE, True),
    "remove": (REMOVE, True),
    "leave": (LEAVE, False),
    "change listing": (CHANGE_LISTING, False),
}
#: How a business membership gets into each state, verb by verb after applying.
MEMBERSHIP_PATHS = {
    "REQUESTED": (),
    "ACTIVE": ("approve",),
    "DECLINED": ("decline",),
    "LEFT": ("approve", "leave"),
    "REMOVED": ("approve", "remove"),
}
#: (verb, starting state) -> state after, for the legal moves only.
MEMBERSHIP_MOVES = {
    ("apply", "DECLINED"): "REQUESTED",
    ("apply", "LEFT"): "REQUESTED",
    ("approve", "REQUESTED"): "ACTIVE",
    ("decline", "REQUESTED"): "DECLINED",
    ("remove", "ACTIVE"): "REMOVED",
    ("leave", "ACTIVE"): "LEFT",
    ("change listing", "REQUESTED"): "REQUESTED",
    ("change listing", "ACTIVE"): "ACTIVE",
}
#: verb -> (its mutation, whether the chamber's admins use it rather than the business's)
PERK_VERBS = {
    "approve": (APPROVE_PERK, True),
    "reject": (REJECT_PERK, True),
    "withdraw": (WITHDRAW_PERK, False),
}
PERK_PATHS = {
    "SUBMITTED": (),
    "APPROVED": ("approve",),
    "REJECTED": ("reject",),
    "WITHDRAWN": ("withdraw",),
}
PERK_MOVES = {
    ("approve", "SUBMITTED"): "APPROVED",
    ("reject", "SUBMITTED"): "REJECTED",
    ("withdraw", "SUBMITTED"): "WITHDRAWN",
    ("withdraw", "APPROVED"): "WITHDRAWN",
}
_names = itertools.count(1)


def outcome_of(payload: dict[str, Any], status_now: str) -> tuple[str, str | None]:
    """What a verb did: the state the row is in now, and the code of its refusal, if any."""
    return status_now, payload["userErrors"][0]["code"] if payload["userErrors"] else None


@dataclasses.dataclass
class Springfield:
    """A chamber, and one person owning every business in it (set-up through the API)."""

    graphql: GraphQLClient
    chamber: Chamber
    business_owner: Member

    def actor(self, by_chamber: bool) -> Member:
        return self.chamber.owner if by_chamber else self.business_owner

    def membership_in(self, state: str) -> tuple[str, str]:
        """A new business's membership, put into `state`: (business id, membership id)."""
        name = f"Business {next(_names)}"
        business = organization(self.graphql, self.business_owner, name, "EMPLOYER")
        applied = apply(self.graphql, self.business_owner, self.chamber.id, business)
        membership_id = applied["businessMembership"]["id"]
        for verb in MEMBERSHIP_PATHS[state]:
            self.membership_verb(verb, business, membership_id)
        return business, membership_id

    def membership_verb(self, verb: str, business: str, membership_id: str) -> dict[str, Any]:
        mutation, by_chamber = MEMBERSHIP_VERBS[verb]
        if mutation is None:
            return apply(self.graphql, self.business_owner, self.chamber.id, business)
        return move(self.graphql, mutation, self.actor(by_chamber), membership_id)

    def membership_status(self, membership_id: str) -> str:
        body = self.graphql.data(MEMBERSHIP, {"id": membership_id}, token=self.business_owner.token)
        return body["node"]["status"]

    def perk_in(self, state: str, business: str) -> str:
        """A new perk of `business` (an active member), put into `state`."""
        perk_id = submit_perk(
            self.graphql, self.business_owner, self.chamber.id, business, f"Deal {next(_names)}"
        )["perk"]["id"]
        for verb in PERK_PATHS[state]:
            self.perk_verb(verb, perk_id)
        return perk_id

    def perk_verb(self, verb: str, perk_id: str) -> dict[str, Any]:
        mutation, by_chamber = PERK_VERBS[verb]
        return perk_move(self.graphql, mutation, self.actor(by_chamber), perk_id)

    def perk_status(self, perk_id: str) -> str:
        body = self.graphql.data(PERK, {"id": perk_id}, token=self.business_owner.token)
        return body["node"]["status"]


@pytest.fixture
def springfield(graphql: GraphQLClient) -> Springfield:
    return Springfield(graphql, chamber(graphql), member(graphql, "Business Owner"))


@pytest.fixture
def business(springfield: Springfield) -> str:
    """An active member business of the chamber, owned by its business owner."""
    business_id, _, _ = member_business(
        springfield.graphql, springfield.chamber, "Deals Inc", owner=springfield.business_owner
    )
    return business_id


def expected_membership_outcome(verb: str, state: str) -> tuple[str, str | None]:
    if (verb, state) in MEMBERSHIP_MOVES:
        return MEMBERSHIP_MOVES[verb, state], None
    if verb == "apply" and state in ("REQUESTED", "ACTIVE"):
        return state, "ALREADY_MEMBER"
    return state, "ILLEGAL_TRANSITION"


@pytest.mark.parametrize("state", MEMBERSHIP_PATHS)
def test_every_verb_from_each_business_membership_state(
    springfield: Springfield, state: str
) -> None:
    # given one business membership in the state for each verb
    memberships = {verb: springfield.membership_in(state) for verb in MEMBERSHIP_VERBS}

    # when each verb is tried on its own membership
    payloads = {
        verb: springfield.membership_verb(verb, *membership)
        for verb, membership in memberships.items()
    }

    # then a legal move lands where the table says; any other is refused and changes nothing
    outcomes = {
        verb: outcome_of(payloads[verb], springfield.membership_status(membership_id))
        for verb, (_, membership_id) in memberships.items()
    }
    assert outcomes == {verb: expected_membership_outcome(verb, state) for verb in MEMBERSHIP_VERBS}


@pytest.mark.parametrize("state", PERK_PATHS)
def test_every_verb_from_each_perk_state(
    springfield: Springfield, business: str, state: str
) -> None:
    # given one perk in the state for each verb
    perks = {verb: springfield.perk_in(state, business) for verb in PERK_VERBS}

    # when each verb is tried on its own perk
    payloads = {verb: springfield.perk_verb(verb, perk_id) for verb, perk_id in perks.items()}

    # then a legal move lands where the table says; any other is refused and changes nothing
    outcomes = {
        verb: outcome_of(payloads[verb], springfield.perk_status(perk_id))
        for verb, perk_id in perks.items()
    }
    assert outcomes == {
        verb: (PERK_MOVES[verb, state], None)
        if (verb, state) in PERK_MOVES
        else (state, "ILLEGAL_TRANSITION")
        for verb in PERK_VERBS
    }


def exactly_one_won(answers: list[dict[str, Any]]) -> None:
    moved = [answer for answer in answers if answer["userErrors"] == []]
    refused = [answer["userErrors"] for answer in answers if answer["userErrors"]]
    assert len(moved) == 1, answers
    assert [[error["code"] for error in errors] for errors in refused] == [["ILLEGAL_TRANSITION"]]


@pytest.mark.parametrize(
    ("state", "first", "second"),
    [("REQUESTED", "approve", "decline"), ("ACTIVE", "remove", "leave")],
)
def test_two_racing_verbs_move_a_business_membership_once(
    springfield: Springfield, state: str, first: str, second: str
) -> None:
    # given a business membership both verbs may move
    business, membership_id = springfield.membership_in(state)

    # when the two verbs arrive at once
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(
            pool.map(
                lambda verb: springfield.membership_verb(verb, business, membership_id),
                (first, second),
            )
        )

    # then exactly one moved it, and the other was told what it is now
    exactly_one_won(answers)


@pytest.mark.parametrize(
    ("state", "first", "second"),
    [("SUBMITTED", "approve", "reject"), ("APPROVED", "withdraw", "withdraw")],
)
def test_two_racing_verbs_move_a_perk_once(
    springfield: Springfield, business: str, state: str, first: str, second: str
) -> None:
    # given a perk both verbs may move
    perk_id = springfield.perk_in(state, business)

    # when the two verbs arrive at once
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(lambda verb: springfield.perk_verb(verb, perk_id), (first, second)))

    # then exactly one moved it, and the other was told what it is now
    exactly_one_won(answers)

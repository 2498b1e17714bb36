"""Memberships' lifecycle as a whole: every verb from every state, and racing verbs."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from api.networks.tables import Membership
from tests.conftest import GraphQLClient
from tests.factories import Member, database_id, join, member, organization
from tests.people.racing import race

STATES = ("REQUESTED", "INVITED", "ACTIVE", "DECLINED", "LEFT", "REMOVED")
#: verb -> (who acts, the input type, the id the input names)
VERBS = {
    "approveMembership": ("owner", "MembershipIdInput", "membershipId"),
    "declineMembership": ("owner", "MembershipIdInput", "membershipId"),
    "removeMember": ("owner", "MembershipIdInput", "membershipId"),
    "acceptInvitation": ("member", "AcceptInvitationInput", "membershipId"),
    "leaveOrganization": ("member", "OrganizationIdInput", "organizationId"),
}
#: The whole table: (verb, starting state) -> state after, for the legal moves only.
LEGAL = {
    ("approveMembership", "REQUESTED"): "ACTIVE",
    ("declineMembership", "REQUESTED"): "DECLINED",
    ("removeMember", "ACTIVE"): "REMOVED",
    ("removeMember", "INVITED"): "REMOVED",
    ("acceptInvitation", "INVITED"): "ACTIVE",
    ("leaveOrganization", "ACTIVE"): "LEFT",
}
MY_MEMBERSHIPS = "{ myMemberships { id status } }"


def verb_document(verb: str) -> str:
    _, input_type, _ = VERBS[verb]
    return (
        f"mutation ($input: {input_type}!) {{ {verb}(input: $input) {{ "
        "membership { status } userErrors { field code message } } }"
    )


@dataclasses.dataclass
class Club:
    graphql: GraphQLClient
    owner: Member
    organization_id: str

    def membership_in(self, state: str, person: Member) -> str:
        """The person's membership, put into `state` directly (set-up; the moves under test
        go over HTTP)."""
        joined = join(self.graphql, person, self.organization_id)
        assert joined["userErrors"] == [], joined
        membership_id = joined["membership"]["id"]

        async def put() -> None:
            await Membership.update({Membership.status: state}).where(
                Membership.id == database_id(membership_id)
            )

        self.graphql.http.blocking_portal.call(put)
        return membership_id

    def act(self, verb: str, person: Member, membership_id: str) -> dict[str, Any]:
        who, _, id_field = VERBS[verb]
        ids = {"membershipId": membership_id, "organizationId": self.organization_id}
        token = (self.owner if who == "owner" else person).token
        variables = {"input": {id_field: ids[id_field]}}
        return self.graphql.data(verb_document(verb), variables, token=token)[verb]

    def status(self, person: Member) -> str:
        [membership] = self.graphql.data(MY_MEMBERSHIPS, token=person.token)["myMemberships"]
        return membership["status"]


@pytest.fixture
def club(graphql: GraphQLClient) -> Club:
    owner = member(graphql, "Olga")
    return Club(graphql, owner, organization(graphql, owner, "Chess club"))


def test_every_verb_from_every_state(club: Club) -> None:
    # given one person, with a membership in each state, for each verb
    cases = {
        (verb, state): member(club.graphql, f"{verb} {state}") for verb in VERBS for state in STATES
    }
    memberships = {case: club.membership_in(case[1], person) for case, person in cases.items()}

    outcomes = {}
    for (verb, state), person in cases.items():
        # when the verb is tried
        payload = club.act(verb, person, memberships[(verb, state)])
        # then a legal move lands where the table says; an illegal one changes nothing and
        # names the state the membership is in
        if (verb, state) in LEGAL:
            assert payload["userErrors"] == [], (verb, state, payload)
            outcomes[(verb, state)] = payload["membership"]["status"]
        else:
            [error] = payload["userErrors"]
            assert error["code"] == "ILLEGAL_TRANSITION", (verb, state, error)
            assert state.lower() in error["message"], error
            assert club.status(person) == state
    assert outcomes == LEGAL


@pytest.mark.parametrize(
    ("state", "first", "second"),
    [
        ("REQUESTED", "approveMembership", "declineMembership"),
        ("REQUESTED", "approveMembership", "approveMembership"),
        ("ACTIVE", "removeMember", "leaveOrganization"),
        ("INVITED", "acceptInvitation", "acceptInvitation"),
    ],
)
def test_two_racing_verbs_move_a_membership_once(
    club: Club, state: str, first: str, second: str
) -> None:
    # given a membership in `state`
    person = member(club.graphql, "Pat")
    membership_id = club.membership_in(state, person)

    # when two verbs arrive at once
    moved, refused = race(lambda verb: club.act(verb, person, membership_id), first, second)

    # then exactly one moved it, and the other was told what it is now
    now = moved["membership"]["status"].lower()
    assert f"that is {now}" in refused["userErrors"][0]["message"]


def test_of_two_owners_leaving_at_once_one_stays(club: Club) -> None:
    # given a second owner (made one directly: set-up)
    second = member(club.graphql, "Second owner")
    membership_id = club.membership_in("ACTIVE", second)

    async def make_owner() -> None:
        await Membership.update({Membership.role: "OWNER"}).where(
            Membership.id == database_id(membership_id)
        )

    club.graphql.http.blocking_portal.call(make_owner)

    # when both owners leave at once
    leave = verb_document("leaveOrganization")
    variables = {"input": {"organizationId": club.organization_id}}
    moved, refused = race(
        lambda who: club.graphql.data(leave, variables, token=who)["leaveOrganization"],
        club.owner.token,
        second.token,
    )

    # then one left, and the other is told they are its only owner now
    assert moved["membership"]["status"] == "LEFT"
    assert "only owner" in refused["userErrors"][0]["message"]

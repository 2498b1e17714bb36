"""Business memberships: applying, approving, declining, removing, leaving; who may do which."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.chambers.helpers import (
    APPROVE,
    DECLINE,
    LEAVE,
    REMOVE,
    Chamber,
    apply,
    chamber,
    error_code,
    member_business,
    move,
)
from tests.conftest import GraphQLClient
from tests.factories import Member, join, member, organization

BUSINESS_MEMBERSHIPS = """
query ($chamberId: ID, $businessId: ID, $statuses: [BusinessMembershipStatus!]) {
  businessMemberships(chamberId: $chamberId, businessId: $businessId, statuses: $statuses) {
    totalCount
    edges { node { id status category name business { name } chamber { name } } }
  }
}
"""
UPDATE_LISTING = """
mutation ($input: UpdateBusinessListingInput!) {
  updateBusinessListing(input: $input) {
    businessMembership { id category blurb location }
    userErrors { field code message }
  }
}
"""
APPLY_CODES = """
mutation ($input: ApplyForBusinessMembershipInput!) {
  applyForBusinessMembership(input: $input) { userErrors { code } }
}
"""


NODE = """
query ($id: ID!) { node(id: $id) { ... on BusinessMembership { id status name } } }
"""


def test_a_business_applies_and_the_chamber_approves(graphql: GraphQLClient) -> None:
    springfield = chamber(graphql)
    baker = member(graphql, "Baker")
    bakery = organization(
        graphql,
        baker,
        "Corner Bakery",
        "EMPLOYER",
        website="https://bake.example",
        location="1 Main St",
    )

    applied = apply(
        graphql,
        baker,
        springfield.id,
        bakery,
        "FOOD_AND_DRINK",
        "  Sourdough since 1990.  ",
    )

    assert applied["userErrors"] == []
    assert applied["businessMembership"] | {"id": None} == {
        "id": None,
        "status": "REQUESTED",
        "category": "FOOD_AND_DRINK",
        "blurb": "Sourdough since 1990.",
        "location": "1 Main St",
        "name": "Corner Bakery",
    }
    membership_id = applied["businessMembership"]["id"]
    requests = graphql.data(
        BUSINESS_MEMBERSHIPS,
        {"chamberId": springfield.id, "statuses": ["REQUESTED"]},
        token=springfield.owner.token,
    )["businessMemberships"]
    assert [edge["node"]["id"] for edge in requests["edges"]] == [membership_id]

    approved = move(graphql, APPROVE, springfield.owner, membership_id)

    assert approved == {
        "businessMembership": {
            "id": membership_id,
            "status": "ACTIVE",
            "category": "FOOD_AND_DRINK",
        },
        "userErrors": [],
    }
    mine = graphql.data(BUSINESS_MEMBERSHIPS, {"businessId": bakery}, token=baker.token)
    [edge] = mine["businessMemberships"]["edges"]
    assert edge["node"]["status"] == "ACTIVE"
    assert edge["node"]["chamber"]["name"] == "Springfield Chamber of Commerce"


def test_applying_again_reuses_the_membership_with_the_new_listing(
    graphql: GraphQLClient,
) -> None:
    # given a business the chamber turned down
    springfield = chamber(graphql)
    owner = member(graphql, "Owner")
    business = organization(graphql, owner, "Hardware Store", "EMPLOYER")
    membership_id = apply(graphql, owner, springfield.id, business)["businessMembership"]["id"]
    move(graphql, DECLINE, springfield.owner, membership_id)

    # when it applies again under another category
    again = apply(graphql, owner, springfield.id, business, "HOSPITALITY", "Now a cafe too")

    # then the same membership waits again, with the new listing
    assert again == {
        "businessMembership": {
            "id": membership_id,
            "status": "REQUESTED",
            "category": "HOSPITALITY",
            "blurb": "Now a cafe too",
            "location": None,
            "name": "Hardware Store",
        },
        "userErrors": [],
    }


def test_a_removed_business_cannot_apply_again(graphql: GraphQLClient) -> None:
    # given a member business the chamber removed
    springfield = chamber(graphql)
    business, membership_id, owner = member_business(graphql, springfield, "Rowdy Bar")
    move(graphql, REMOVE, springfield.owner, membership_id)

    # when it applies again
    refused = apply(graphql, owner, springfield.id, business)

    # then it is told why not
    assert refused == {
        "businessMembership": None,
        "userErrors": [
            {
                "field": "businessId",
                "code": "ILLEGAL_TRANSITION",
                "message": "Cannot apply again: the chamber removed this business.",
            }
        ],
    }


@dataclass
class PrintShop:
    """A chamber, a business with an owner and an employee, and people around them."""

    graphql: GraphQLClient
    chamber: Chamber
    business: str
    people: dict[str, Member | None]

    def apply(self, who: str) -> dict[str, Any]:
        variables = {
            "input": {
                "chamberId": self.chamber.id,
                "businessId": self.business,
                "category": "OTHER",
            }
        }
        return self.graphql.execute(APPLY_CODES, variables, token=self.token(who))

    def membership_in(self, state: str) -> str:
        """The business's membership, REQUESTED or ACTIVE."""
        applied = apply(self.graphql, self.people["business owner"], self.chamber.id, self.business)
        membership_id = applied["businessMembership"]["id"]
        if state == "ACTIVE":
            move(self.graphql, APPROVE, self.chamber.owner, membership_id)
        return membership_id

    def token(self, who: str) -> str | None:
        person = self.people[who]
        return person.token if person else None


@pytest.fixture
def print_shop(graphql: GraphQLClient) -> PrintShop:
    springfield = chamber(graphql, joinPolicy="OPEN")
    chamber_member = member(graphql, "Chamber Member")
    join(graphql, chamber_member, springfield.id)
    owner = member(graphql, "Owner")
    employee = member(graphql, "Employee")
    business = organization(graphql, owner, "Print Shop", "EMPLOYER")
    join(graphql, employee, business)
    people = {
        "anonymous": None,
        "chamber owner": springfield.owner,
        "chamber member": chamber_member,
        "business owner": owner,
        "business employee": employee,
        "stranger": member(graphql, "Stranger"),
    }
    return PrintShop(graphql, springfield, business, people)


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("anonymous", "UNAUTHENTICATED"),
        ("business employee", "FORBIDDEN"),
        ("stranger", "FORBIDDEN"),
        ("chamber owner", "FORBIDDEN"),
    ],
)
def test_only_the_business_admins_apply(print_shop: PrintShop, who: str, code: str) -> None:
    assert error_code(print_shop.apply(who)) == code


#: verb -> (its mutation, the state it starts from, who may use it)
MEMBERSHIP_VERBS = {
    "approve": (APPROVE, "REQUESTED", "chamber owner"),
    "decline": (DECLINE, "REQUESTED", "chamber owner"),
    "remove": (REMOVE, "ACTIVE", "chamber owner"),
    "leave": (LEAVE, "ACTIVE", "business owner"),
}


@pytest.mark.parametrize("verb", MEMBERSHIP_VERBS)
def test_only_the_right_admins_move_a_business_membership(print_shop: PrintShop, verb: str) -> None:
    # given a membership the verb may move
    mutation, state, allowed = MEMBERSHIP_VERBS[verb]
    membership_id = print_shop.membership_in(state)
    others = [who for who in print_shop.people if who not in (allowed, "anonymous")]

    # when anyone but the admins it is for tries the verb, then they may not
    refused = {
        who: error_code(move(print_shop.graphql, mutation, print_shop.people[who], membership_id))
        for who in others
    }
    assert refused == dict.fromkeys(others, "FORBIDDEN")
    # and those admins still may
    moved = move(print_shop.graphql, mutation, print_shop.people[allowed], membership_id)
    assert moved["userErrors"] == []


@pytest.mark.parametrize(
    ("who", "arguments"),
    [
        ("chamber member", "chamber"),
        ("business employee", "business"),
        ("stranger", "chamber"),
    ],
)
def test_only_admins_list_business_memberships(
    print_shop: PrintShop, who: str, arguments: str
) -> None:
    ids = {
        "chamber": {"chamberId": print_shop.chamber.id},
        "business": {"businessId": print_shop.business},
    }
    body = print_shop.graphql.execute(
        BUSINESS_MEMBERSHIPS, ids[arguments], token=print_shop.token(who)
    )
    assert error_code(body) == "FORBIDDEN"


def test_listing_business_memberships_names_a_chamber_or_a_business(
    print_shop: PrintShop,
) -> None:
    body = print_shop.graphql.execute(
        BUSINESS_MEMBERSHIPS, {}, token=print_shop.token("business owner")
    )
    assert error_code(body) == "BAD_USER_INPUT"


def test_the_chamber_must_be_a_chamber_and_input_is_validated(graphql: GraphQLClient) -> None:
    owner = member(graphql, "Owner")
    business = organization(graphql, owner, "Law Firm", "EMPLOYER")
    club = organization(graphql, owner, "Chess Club", "CLUB")
    association = chamber(graphql, "Bar Association", kind="PROFESSIONAL_ASSOCIATION")

    not_chamber = apply(graphql, owner, club, business)
    assert [(e["field"], e["code"]) for e in not_chamber["userErrors"]] == [
        ("chamberId", "NOT_A_CHAMBER")
    ]
    too_long = apply(graphql, owner, association.id, business, blurb="x" * 281)
    assert [(e["field"], e["code"]) for e in too_long["userErrors"]] == [("blurb", "INVALID")]
    itself = chamber(graphql, "Own Chamber", owner=owner)
    same = apply(graphql, owner, itself.id, itself.id)
    assert [e["code"] for e in same["userErrors"]] == ["SAME_ORGANIZATION"]
    wrong_id = apply(graphql, owner, "UGVyc29uOjE=", business)  # a Person id
    assert [(e["field"], e["code"]) for e in wrong_id["userErrors"]] == [("chamberId", "NOT_FOUND")]
    # A professional association takes member businesses too; nothing was stored before.
    accepted = apply(graphql, owner, association.id, business, "PROFESSIONAL_SERVICES")
    assert accepted["businessMembership"]["status"] == "REQUESTED"


def test_the_business_updates_its_listing(graphql: GraphQLClient) -> None:
    springfield = chamber(graphql)
    _, membership_id, owner = member_business(graphql, springfield, "Cafe Luna", "FOOD_AND_DRINK")

    updated = graphql.data(
        UPDATE_LISTING,
        {
            "input": {
                "businessMembershipId": membership_id,
                "blurb": "Espresso bar",
                "category": "HOSPITALITY",
            }
        },
        token=owner.token,
    )["updateBusinessListing"]

    assert updated == {
        "businessMembership": {
            "id": membership_id,
            "category": "HOSPITALITY",
            "blurb": "Espresso bar",
            "location": None,
        },
        "userErrors": [],
    }
    refused = graphql.execute(
        UPDATE_LISTING,
        {"input": {"businessMembershipId": membership_id, "blurb": "Chamber wrote this"}},
        token=springfield.owner.token,
    )
    assert error_code(refused) == "FORBIDDEN"
    too_long = graphql.data(
        UPDATE_LISTING,
        {"input": {"businessMembershipId": membership_id, "blurb": "x" * 281}},
        token=owner.token,
    )["updateBusinessListing"]
    assert [(e["field"], e["code"]) for e in too_long["userErrors"]] == [("blurb", "INVALID")]
    move(graphql, LEAVE, owner, membership_id)
    after_leaving = graphql.data(
        UPDATE_LISTING,
        {"input": {"businessMembershipId": membership_id, "blurb": "Back soon"}},
        token=owner.token,
    )["updateBusinessListing"]
    assert after_leaving["userErrors"][0]["code"] == "ILLEGAL_TRANSITION"


def test_a_membership_node_is_seen_by_whoever_sees_it_listed(graphql: GraphQLClient) -> None:
    private = chamber(graphql, "Private Chamber", isPublic=False)
    owner = member(graphql, "Owner")
    business = organization(graphql, owner, "Quiet Business", "EMPLOYER")
    membership_id = apply(graphql, owner, private.id, business)["businessMembership"]["id"]
    outsider = member(graphql, "Outsider")

    def seen(token: str | None) -> dict | None:
        return graphql.data(NODE, {"id": membership_id}, token=token)["node"]

    assert seen(owner.token)["status"] == "REQUESTED"
    assert seen(private.owner.token)["status"] == "REQUESTED"
    assert seen(outsider.token) is None
    assert seen(None) is None
    move(graphql, APPROVE, private.owner, membership_id)
    # Active, but the chamber is private: still hidden from outsiders.
    assert seen(outsider.token) is None
    assert seen(owner.token)["name"] == "Quiet Business"

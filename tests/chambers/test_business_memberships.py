"""Business memberships: applying, approving, declining, removing, leaving; who may do which."""

from __future__ import annotations

from tests.chambers.helpers import (
    APPROVE,
    DECLINE,
    LEAVE,
    REMOVE,
    apply,
    chamber,
    error_code,
    member_business,
    move,
)
from tests.conftest import GraphQLClient
from tests.factories import join, member, organization

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


def test_each_verb_has_its_legal_starting_states(graphql: GraphQLClient) -> None:
    springfield = chamber(graphql)
    owner = member(graphql, "Owner")
    business = organization(graphql, owner, "Hardware Store", "EMPLOYER")
    membership_id = apply(graphql, owner, springfield.id, business)["businessMembership"]["id"]

    def code(mutation: str, actor) -> str:
        return move(graphql, mutation, actor, membership_id)["userErrors"][0]["code"]

    # REQUESTED: cannot be removed or left
    assert code(REMOVE, springfield.owner) == "ILLEGAL_TRANSITION"
    assert code(LEAVE, owner) == "ILLEGAL_TRANSITION"
    assert apply(graphql, owner, springfield.id, business)["userErrors"][0]["code"] == (
        "ALREADY_MEMBER"
    )
    # REQUESTED -> DECLINED: cannot be approved, declined or removed any more
    assert (
        move(graphql, DECLINE, springfield.owner, membership_id)["businessMembership"]["status"]
        == "DECLINED"
    )
    assert code(APPROVE, springfield.owner) == "ILLEGAL_TRANSITION"
    assert code(DECLINE, springfield.owner) == "ILLEGAL_TRANSITION"
    assert code(REMOVE, springfield.owner) == "ILLEGAL_TRANSITION"
    # DECLINED -> re-apply -> REQUESTED (the same membership) -> ACTIVE
    again = apply(graphql, owner, springfield.id, business, "HOSPITALITY")
    assert again["businessMembership"]["id"] == membership_id
    assert again["businessMembership"]["status"] == "REQUESTED"
    assert again["businessMembership"]["category"] == "HOSPITALITY"
    assert (
        move(graphql, APPROVE, springfield.owner, membership_id)["businessMembership"]["status"]
        == "ACTIVE"
    )
    assert code(APPROVE, springfield.owner) == "ILLEGAL_TRANSITION"
    assert code(DECLINE, springfield.owner) == "ILLEGAL_TRANSITION"
    assert apply(graphql, owner, springfield.id, business)["userErrors"][0]["code"] == (
        "ALREADY_MEMBER"
    )
    # ACTIVE -> LEFT -> re-apply -> ACTIVE -> REMOVED, which is final
    assert move(graphql, LEAVE, owner, membership_id)["businessMembership"]["status"] == "LEFT"
    assert code(LEAVE, owner) == "ILLEGAL_TRANSITION"
    assert apply(graphql, owner, springfield.id, business)["businessMembership"]["status"] == (
        "REQUESTED"
    )
    move(graphql, APPROVE, springfield.owner, membership_id)
    assert (
        move(graphql, REMOVE, springfield.owner, membership_id)["businessMembership"]["status"]
        == "REMOVED"
    )
    assert code(REMOVE, springfield.owner) == "ILLEGAL_TRANSITION"
    assert code(LEAVE, owner) == "ILLEGAL_TRANSITION"
    refused = apply(graphql, owner, springfield.id, business)
    assert refused["businessMembership"] is None
    assert refused["userErrors"][0]["code"] == "ILLEGAL_TRANSITION"


def test_only_the_right_admins_move_a_business_membership(graphql: GraphQLClient) -> None:
    springfield = chamber(graphql, joinPolicy="OPEN")
    chamber_member = member(graphql, "Chamber Member")
    join(graphql, chamber_member, springfield.id)
    owner = member(graphql, "Owner")
    employee = member(graphql, "Employee")
    business = organization(graphql, owner, "Print Shop", "EMPLOYER")
    join(graphql, employee, business)
    stranger = member(graphql, "Stranger")

    # Applying takes the business's owner or admin; anonymous viewers must sign in.
    assert (
        error_code(
            graphql.execute(
                """mutation ($input: ApplyForBusinessMembershipInput!) {
                 applyForBusinessMembership(input: $input) { userErrors { code } } }""",
                {
                    "input": {
                        "chamberId": springfield.id,
                        "businessId": business,
                        "category": "OTHER",
                    }
                },
            )
        )
        == "UNAUTHENTICATED"
    )
    for outsider in (employee, stranger, springfield.owner):
        body = graphql.execute(
            """mutation ($input: ApplyForBusinessMembershipInput!) {
                 applyForBusinessMembership(input: $input) { userErrors { code } } }""",
            {"input": {"chamberId": springfield.id, "businessId": business, "category": "OTHER"}},
            token=outsider.token,
        )
        assert error_code(body) == "FORBIDDEN"
    membership_id = apply(graphql, owner, springfield.id, business)["businessMembership"]["id"]

    # Deciding takes the chamber's owner or admin: not the business, not a chamber member.
    for outsider in (owner, chamber_member, stranger):
        assert error_code(move(graphql, APPROVE, outsider, membership_id)) == "FORBIDDEN"
        assert error_code(move(graphql, DECLINE, outsider, membership_id)) == "FORBIDDEN"
    assert move(graphql, APPROVE, springfield.owner, membership_id)["userErrors"] == []
    for outsider in (owner, chamber_member):
        assert error_code(move(graphql, REMOVE, outsider, membership_id)) == "FORBIDDEN"

    # Leaving takes the business's owner or admin: not its employees, not the chamber.
    for outsider in (employee, springfield.owner, stranger):
        assert error_code(move(graphql, LEAVE, outsider, membership_id)) == "FORBIDDEN"
    assert move(graphql, LEAVE, owner, membership_id)["businessMembership"]["status"] == "LEFT"

    # Listing memberships is for admins of the chamber or the business.
    for outsider, arguments in (
        (chamber_member, {"chamberId": springfield.id}),
        (employee, {"businessId": business}),
        (stranger, {"chamberId": springfield.id}),
    ):
        body = graphql.execute(BUSINESS_MEMBERSHIPS, arguments, token=outsider.token)
        assert error_code(body) == "FORBIDDEN"
    neither = graphql.execute(BUSINESS_MEMBERSHIPS, {}, token=owner.token)
    assert error_code(neither) == "BAD_USER_INPUT"


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

"""Perks: submitting, the review, validity windows, and the code shown only to members."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.chambers.helpers import (
    APPROVE_PERK,
    LEAVE,
    REJECT_PERK,
    REMOVE,
    WITHDRAW_PERK,
    approved_perk,
    chamber,
    error_code,
    member_business,
    move,
    perk_move,
    submit_perk,
)
from tests.conftest import GraphQLClient
from tests.factories import join, member, organization

PERKS = """
query ($chamberId: ID!, $category: BusinessCategory, $current: Boolean, $first: Int) {
  perks(chamberId: $chamberId, category: $category, current: $current, first: $first) {
    totalCount
    edges { node { title code redemptionUrl isCurrent category offeredByName status } }
  }
}
"""
PENDING = """
query ($chamberId: ID!) {
  pendingPerks(chamberId: $chamberId) { totalCount edges { node { id title status code } } }
}
"""
NODE = """
query ($id: ID!) {
  node(id: $id) { ... on Perk { title status code rejectionReason offeredBy { name } } }
}
"""
INVITE = """
mutation ($input: InviteMemberInput!) { inviteMember(input: $input) { membership { id } } }
"""
ACCEPT = """
mutation ($input: AcceptInvitationInput!) {
  acceptInvitation(input: $input) { membership { status } }
}
"""


def _day(offset: int) -> str:
    return (datetime.now(UTC).date() + timedelta(days=offset)).isoformat()


def _titles(graphql: GraphQLClient, chamber_id: str, token: str | None = None, **args) -> list:
    body = graphql.data(PERKS, {"chamberId": chamber_id, **args}, token=token)
    return [edge["node"]["title"] for edge in body["perks"]["edges"]]


def test_a_member_business_submits_and_the_chamber_approves(graphql: GraphQLClient) -> None:
    springfield = chamber(graphql)
    business, _, owner = member_business(graphql, springfield, "Bike Shop", "RETAIL")

    submitted = submit_perk(
        graphql,
        owner,
        springfield.id,
        business,
        "Free tune-up",
        description="**Bring** your bike <script>alert(1)</script>",
        discount="One free tune-up a year",
        redemptionUrl="https://bikes.example/members",
        validFrom=_day(-1),
        validUntil=_day(30),
    )

    assert submitted["userErrors"] == []
    perk = submitted["perk"]
    assert perk["status"] == "SUBMITTED"
    assert perk["code"] == "MEMBER10"  # the offering business's admin sees its own code
    assert perk["redemptionUrl"] == "https://bikes.example/members"
    assert "<strong>Bring</strong>" in perk["descriptionHtml"]
    assert "<script>" not in perk["descriptionHtml"]
    assert (perk["validFrom"], perk["validUntil"], perk["isCurrent"]) == (_day(-1), _day(30), True)
    assert _titles(graphql, springfield.id, springfield.owner.token) == []  # not yet approved
    pending = graphql.data(PENDING, {"chamberId": springfield.id}, token=springfield.owner.token)
    assert [edge["node"]["id"] for edge in pending["pendingPerks"]["edges"]] == [perk["id"]]

    approved = perk_move(graphql, APPROVE_PERK, springfield.owner, perk["id"])

    assert approved["perk"]["status"] == "APPROVED"
    assert _titles(graphql, springfield.id) == ["Free tune-up"]
    assert (
        graphql.data(PENDING, {"chamberId": springfield.id}, token=springfield.owner.token)[
            "pendingPerks"
        ]["totalCount"]
        == 0
    )
    # Only SUBMITTED perks are approved or rejected; approved ones can be withdrawn.
    assert (
        perk_move(graphql, APPROVE_PERK, springfield.owner, perk["id"])["userErrors"][0]["code"]
        == "ILLEGAL_TRANSITION"
    )
    assert (
        perk_move(graphql, REJECT_PERK, springfield.owner, perk["id"])["userErrors"][0]["code"]
        == "ILLEGAL_TRANSITION"
    )
    assert error_code(perk_move(graphql, WITHDRAW_PERK, springfield.owner, perk["id"])) == (
        "FORBIDDEN"
    )
    withdrawn = perk_move(graphql, WITHDRAW_PERK, owner, perk["id"])
    assert withdrawn["perk"]["status"] == "WITHDRAWN"
    assert _titles(graphql, springfield.id) == []
    assert perk_move(graphql, WITHDRAW_PERK, owner, perk["id"])["userErrors"][0]["code"] == (
        "ILLEGAL_TRANSITION"
    )


def test_rejection_and_who_sees_pending_perks(graphql: GraphQLClient) -> None:
    springfield = chamber(graphql, joinPolicy="OPEN")
    business, _, owner = member_business(graphql, springfield, "Gym", "HEALTH")
    other_business, _, other_owner = member_business(graphql, springfield, "Spa", "HEALTH")
    chamber_member = member(graphql, "Member")
    join(graphql, chamber_member, springfield.id)
    mine = submit_perk(graphql, owner, springfield.id, business, "First month free")["perk"]
    submit_perk(graphql, other_owner, springfield.id, other_business, "Massage")

    def pending(token: str | None) -> list[str]:
        body = graphql.data(PENDING, {"chamberId": springfield.id}, token=token)
        return sorted(edge["node"]["title"] for edge in body["pendingPerks"]["edges"])

    assert pending(springfield.owner.token) == ["First month free", "Massage"]
    assert pending(owner.token) == ["First month free"]
    assert pending(chamber_member.token) == []
    assert error_code(graphql.execute(PENDING, {"chamberId": springfield.id})) == (
        "UNAUTHENTICATED"
    )
    attempts = {
        ("approve", "business owner"): (APPROVE_PERK, owner),
        ("approve", "chamber member"): (APPROVE_PERK, chamber_member),
        ("reject", "business owner"): (REJECT_PERK, owner),
        ("reject", "chamber member"): (REJECT_PERK, chamber_member),
        ("withdraw", "another business's owner"): (WITHDRAW_PERK, other_owner),
    }
    refusals = {
        attempt: error_code(perk_move(graphql, mutation, person, mine["id"]))
        for attempt, (mutation, person) in attempts.items()
    }
    assert refusals == dict.fromkeys(attempts, "FORBIDDEN")

    rejected = perk_move(
        graphql, REJECT_PERK, springfield.owner, mine["id"], reason="  Not a member deal.  "
    )

    assert rejected["perk"] == {
        "id": mine["id"],
        "status": "REJECTED",
        "rejectionReason": "Not a member deal.",
    }
    assert graphql.data(NODE, {"id": mine["id"]}, token=owner.token)["node"] == {
        "title": "First month free",
        "status": "REJECTED",
        "code": "MEMBER10",
        "rejectionReason": "Not a member deal.",
        "offeredBy": {"name": "Gym"},
    }
    assert graphql.data(NODE, {"id": mine["id"]}, token=chamber_member.token)["node"] is None
    assert graphql.data(NODE, {"id": mine["id"]})["node"] is None
    assert _titles(graphql, springfield.id) == []
    assert perk_move(graphql, WITHDRAW_PERK, owner, mine["id"])["userErrors"][0]["code"] == (
        "ILLEGAL_TRANSITION"
    )


def test_only_active_member_businesses_and_the_chamber_offer_perks(graphql: GraphQLClient) -> None:
    springfield = chamber(graphql)
    owner = member(graphql, "Owner")
    outsider_business = organization(graphql, owner, "Not A Member Inc", "EMPLOYER")
    business, membership_id, business_owner = member_business(graphql, springfield, "Member Co")
    employee = member(graphql, "Employee")
    join(graphql, employee, business)

    refused = submit_perk(graphql, owner, springfield.id, outsider_business)
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
        ("offeredById", "NOT_A_MEMBER_BUSINESS")
    ]
    body = graphql.execute(
        """mutation ($input: SubmitPerkInput!) { submitPerk(input: $input) { perk { id } } }""",
        {
            "input": {
                "chamberId": springfield.id,
                "offeredById": business,
                "title": "x",
                "code": "C",
            }
        },
        token=employee.token,
    )
    assert error_code(body) == "FORBIDDEN"

    # The chamber's own perk needs no review: its admins are the reviewers.
    own = submit_perk(
        graphql, springfield.owner, springfield.id, springfield.id, "Networking lunch"
    )
    assert own["perk"]["status"] == "APPROVED"
    approved_perk(graphql, springfield, business_owner, business, "Member Co deal")
    assert sorted(_titles(graphql, springfield.id)) == ["Member Co deal", "Networking lunch"]

    # A business that leaves takes its perks out of the list, and offers no new ones.
    move(graphql, LEAVE, business_owner, membership_id)
    assert _titles(graphql, springfield.id) == ["Networking lunch"]
    again = submit_perk(graphql, business_owner, springfield.id, business)
    assert again["userErrors"][0]["code"] == "NOT_A_MEMBER_BUSINESS"


def test_perk_input_is_validated(graphql: GraphQLClient) -> None:
    springfield = chamber(graphql)
    business, _, owner = member_business(graphql, springfield, "Validators")

    payload = submit_perk(
        graphql,
        owner,
        springfield.id,
        business,
        "   ",
        code="",
        redemptionUrl="",
        validFrom=_day(10),
        validUntil=_day(9),
    )

    assert payload["perk"] is None
    assert {(e["field"], e["code"]) for e in payload["userErrors"]} == {
        ("title", "INVALID"),
        ("code", "REDEMPTION_REQUIRED"),
        ("validUntil", "INVALID_WINDOW"),
    }
    bad_url = submit_perk(graphql, owner, springfield.id, business, redemptionUrl="javascript:x")
    assert [(e["field"], e["code"]) for e in bad_url["userErrors"]] == [
        ("redemptionUrl", "INVALID")
    ]
    one_day = submit_perk(
        graphql, owner, springfield.id, business, validFrom=_day(0), validUntil=_day(0)
    )
    assert one_day["perk"]["isCurrent"] is True
    pending = graphql.data(PENDING, {"chamberId": springfield.id}, token=springfield.owner.token)
    assert pending["pendingPerks"]["totalCount"] == 1  # nothing stored from the refused ones


def test_current_perks_are_those_running_today(graphql: GraphQLClient) -> None:
    springfield = chamber(graphql)
    business, _, owner = member_business(graphql, springfield, "Diner", "FOOD_AND_DRINK")
    other, _, other_owner = member_business(graphql, springfield, "Tax Advisors", "FINANCE")
    windows = {
        "expired": {"validFrom": _day(-30), "validUntil": _day(-1)},
        "ended today": {"validFrom": _day(-30), "validUntil": _day(0)},
        "future": {"validFrom": _day(1), "validUntil": _day(30)},
        "starts today": {"validFrom": _day(0)},
        "open-ended": {},
    }
    for title, window in windows.items():
        approved_perk(graphql, springfield, owner, business, title, **window)
    approved_perk(graphql, springfield, other_owner, other, "tax season", validUntil=_day(5))

    assert _titles(graphql, springfield.id) == [
        "ended today",
        "starts today",
        "open-ended",
        "tax season",
    ]
    everything = graphql.data(PERKS, {"chamberId": springfield.id, "current": False})["perks"]
    assert {edge["node"]["title"]: edge["node"]["isCurrent"] for edge in everything["edges"]} == {
        "expired": False,
        "ended today": True,
        "future": False,
        "starts today": True,
        "open-ended": True,
        "tax season": True,
    }
    assert _titles(graphql, springfield.id, category="FINANCE") == ["tax season"]
    food = graphql.data(PERKS, {"chamberId": springfield.id, "category": "FOOD_AND_DRINK"})
    assert {edge["node"]["category"] for edge in food["perks"]["edges"]} == {"FOOD_AND_DRINK"}
    assert food["perks"]["totalCount"] == 3
    assert _titles(graphql, springfield.id, category="HEALTH") == []


def test_the_code_is_shown_only_to_chamber_members_and_the_perks_admins(
    graphql: GraphQLClient,
) -> None:
    springfield = chamber(graphql, joinPolicy="OPEN")
    offering, _, offering_admin = member_business(graphql, springfield, "Offering Co", "RETAIL")
    employer, employer_membership, employer_owner = member_business(
        graphql, springfield, "Employer Co", "TECHNOLOGY"
    )
    approved_perk(
        graphql,
        springfield,
        offering_admin,
        offering,
        "Half price",
        code="HALF",
        redemptionUrl="https://offering.example/redeem",
    )
    chamber_member = member(graphql, "Chamber Member")
    join(graphql, chamber_member, springfield.id)
    employee = member(graphql, "Employee")
    join(graphql, employee, employer)
    non_member = member(graphql, "Non Member")
    organization(graphql, non_member, "Unrelated Club", "CLUB")
    guest = member(graphql, "Guest")
    invited = graphql.data(
        INVITE,
        {"input": {"organizationId": springfield.id, "email": guest.email, "role": "GUEST"}},
        token=springfield.owner.token,
    )["inviteMember"]["membership"]["id"]
    graphql.data(ACCEPT, {"input": {"membershipId": invited}}, token=guest.token)

    def redemption(viewer) -> tuple:
        body = graphql.data(PERKS, {"chamberId": springfield.id}, token=viewer and viewer.token)
        [edge] = body["perks"]["edges"]
        return edge["node"]["title"], edge["node"]["code"], edge["node"]["redemptionUrl"]

    hidden = ("Half price", None, None)
    shown = ("Half price", "HALF", "https://offering.example/redeem")
    matrix = {
        "anonymous": (None, hidden),
        "non-member": (non_member, hidden),
        "chamber guest": (guest, hidden),
        "chamber member": (chamber_member, shown),
        "member-business employee": (employee, shown),
        "member-business owner": (employer_owner, shown),
        "chamber admin": (springfield.owner, shown),
        "offering business admin": (offering_admin, shown),
    }
    assert {name: redemption(viewer) for name, (viewer, _) in matrix.items()} == {
        name: expected for name, (_, expected) in matrix.items()
    }

    # When the employer leaves the chamber, its people stop counting as chamber members.
    move(graphql, REMOVE, springfield.owner, employer_membership)
    assert redemption(employee) == hidden


def test_a_private_chambers_perks_are_for_its_members(graphql: GraphQLClient) -> None:
    private = chamber(graphql, "Private Chamber", isPublic=False)
    business, _, owner = member_business(graphql, private, "Secret Deals")
    perk_id = approved_perk(graphql, private, owner, business, "Insider deal")
    stranger = member(graphql, "Stranger")

    assert _titles(graphql, private.id, owner.token) == ["Insider deal"]
    assert error_code(graphql.execute(PERKS, {"chamberId": private.id}, token=stranger.token)) == (
        "FORBIDDEN"
    )
    assert error_code(graphql.execute(PERKS, {"chamberId": private.id})) == "UNAUTHENTICATED"
    assert graphql.data(NODE, {"id": perk_id}, token=stranger.token)["node"] is None
    assert graphql.data(NODE, {"id": perk_id}, token=owner.token)["node"]["code"] == "MEMBER10"

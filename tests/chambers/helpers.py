"""Building chambers, member businesses and perks through the API in one call each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.conftest import GraphQLClient
from tests.factories import Member, member, organization

APPLY = """
mutation ($input: ApplyForBusinessMembershipInput!) {
  applyForBusinessMembership(input: $input) {
    businessMembership { id status category blurb location name }
    userErrors { field code message }
  }
}
"""
MEMBERSHIP_FIELDS = """
    businessMembership { id status category }
    userErrors { field code message }
"""
APPROVE = f"""
mutation ($input: BusinessMembershipIdInput!) {{
  approveBusinessMembership(input: $input) {{ {MEMBERSHIP_FIELDS} }}
}}
"""
DECLINE = f"""
mutation ($input: BusinessMembershipIdInput!) {{
  declineBusinessMembership(input: $input) {{ {MEMBERSHIP_FIELDS} }}
}}
"""
REMOVE = f"""
mutation ($input: BusinessMembershipIdInput!) {{
  removeBusinessMembership(input: $input) {{ {MEMBERSHIP_FIELDS} }}
}}
"""
LEAVE = f"""
mutation ($input: BusinessMembershipIdInput!) {{
  leaveChamber(input: $input) {{ {MEMBERSHIP_FIELDS} }}
}}
"""
SUBMIT_PERK = """
mutation ($input: SubmitPerkInput!) {
  submitPerk(input: $input) {
    perk { id title status code redemptionUrl descriptionHtml validFrom validUntil isCurrent }
    userErrors { field code message }
  }
}
"""
PERK_FIELDS = """
    perk { id status rejectionReason }
    userErrors { field code message }
"""
APPROVE_PERK = f"""
mutation ($input: PerkIdInput!) {{ approvePerk(input: $input) {{ {PERK_FIELDS} }} }}
"""
REJECT_PERK = f"""
mutation ($input: RejectPerkInput!) {{ rejectPerk(input: $input) {{ {PERK_FIELDS} }} }}
"""
WITHDRAW_PERK = f"""
mutation ($input: PerkIdInput!) {{ withdrawPerk(input: $input) {{ {PERK_FIELDS} }} }}
"""


@dataclass
class Chamber:
    id: str
    owner: Member


def chamber(
    graphql: GraphQLClient,
    name: str = "Springfield Chamber of Commerce",
    *,
    owner: Member | None = None,
    kind: str = "CHAMBER_OF_COMMERCE",
    **fields: Any,
) -> Chamber:
    owner = owner or member(graphql, "Chamber Owner")
    return Chamber(id=organization(graphql, owner, name, kind, **fields), owner=owner)


def apply(
    graphql: GraphQLClient,
    admin: Member,
    chamber_id: str,
    business_id: str,
    category: str = "RETAIL",
    blurb: str = "",
    **fields: Any,
) -> dict[str, Any]:
    variables = {
        "input": {
            "chamberId": chamber_id,
            "businessId": business_id,
            "category": category,
            "blurb": blurb,
            **fields,
        }
    }
    return graphql.data(APPLY, variables, token=admin.token)["applyForBusinessMembership"]


def move(graphql: GraphQLClient, mutation: str, actor: Member, membership_id: str) -> Any:
    """The payload of a business membership verb (or the whole response on a GraphQL error)."""
    body = graphql.execute(
        mutation, {"input": {"businessMembershipId": membership_id}}, token=actor.token
    )
    if "errors" in body:
        return body
    return next(iter(body["data"].values()))


def member_business(
    graphql: GraphQLClient,
    the_chamber: Chamber,
    name: str,
    category: str = "RETAIL",
    *,
    owner: Member | None = None,
    blurb: str = "",
    kind: str = "EMPLOYER",
    **fields: Any,
) -> tuple[str, str, Member]:
    """An organization made an ACTIVE member business: (organization id, membership id, owner)."""
    owner = owner or member(graphql, f"{name} Owner")
    business_id = organization(graphql, owner, name, kind, **fields)
    applied = apply(graphql, owner, the_chamber.id, business_id, category, blurb)
    assert applied["userErrors"] == [], applied
    membership_id = applied["businessMembership"]["id"]
    approved = move(graphql, APPROVE, the_chamber.owner, membership_id)
    assert approved["businessMembership"]["status"] == "ACTIVE", approved
    return business_id, membership_id, owner


def submit_perk(
    graphql: GraphQLClient,
    admin: Member,
    chamber_id: str,
    offered_by_id: str,
    title: str = "10% off",
    **fields: Any,
) -> dict[str, Any]:
    variables = {
        "input": {
            "chamberId": chamber_id,
            "offeredById": offered_by_id,
            "title": title,
            "code": "MEMBER10",
            **fields,
        }
    }
    return graphql.data(SUBMIT_PERK, variables, token=admin.token)["submitPerk"]


def perk_move(
    graphql: GraphQLClient, mutation: str, actor: Member, perk_id: str, **fields: Any
) -> Any:
    body = graphql.execute(mutation, {"input": {"perkId": perk_id, **fields}}, token=actor.token)
    if "errors" in body:
        return body
    return next(iter(body["data"].values()))


def approved_perk(
    graphql: GraphQLClient,
    the_chamber: Chamber,
    admin: Member,
    offered_by_id: str,
    title: str = "10% off",
    **fields: Any,
) -> str:
    submitted = submit_perk(graphql, admin, the_chamber.id, offered_by_id, title, **fields)
    assert submitted["userErrors"] == [], submitted
    perk_id = submitted["perk"]["id"]
    if submitted["perk"]["status"] == "SUBMITTED":
        approved = perk_move(graphql, APPROVE_PERK, the_chamber.owner, perk_id)
        assert approved["perk"]["status"] == "APPROVED", approved
    return perk_id


def error_code(body: dict[str, Any]) -> str:
    return body["errors"][0]["extensions"]["code"]

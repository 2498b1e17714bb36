"""The demo chamber: businesses across categories and perks in every state, through the API."""

from __future__ import annotations

from api.chambers.demo import BUSINESSES, seed_chamber_demo
from api.core.viewer import Viewer
from tests.conftest import GraphQLClient
from tests.factories import global_id, member

DIRECTORY = """
query ($chamberId: ID!) {
  businessDirectory(chamberId: $chamberId, first: 100) {
    totalCount categoryCounts { category count } edges { node { name location } }
  }
}
"""
PERKS = """
query ($chamberId: ID!, $current: Boolean) {
  perks(chamberId: $chamberId, current: $current) { edges { node { title isCurrent code } } }
}
"""
PENDING = """
query ($chamberId: ID!) { pendingPerks(chamberId: $chamberId) { edges { node { title } } } }
"""


def test_the_demo_chamber_has_businesses_and_perks_in_every_state(graphql: GraphQLClient) -> None:
    owner = member(graphql, "Chamber Owner")
    business_owners = [member(graphql, f"Owner {n}") for n in range(3)]
    people = [member(graphql, f"Person {n}") for n in range(6)]

    async def seed():
        return await seed_chamber_demo(
            [Viewer(account_id=m.account_id) for m in business_owners],
            chamber_owner=Viewer(account_id=owner.account_id),
            members=[Viewer(account_id=m.account_id) for m in people],
        )

    summary = graphql.http.blocking_portal.call(seed)
    chamber_id = global_id("Organization", summary.chamber_id)

    directory = graphql.data(DIRECTORY, {"chamberId": chamber_id})["businessDirectory"]
    assert directory["totalCount"] == len(BUSINESSES) == summary.businesses
    assert {c["category"] for c in directory["categoryCounts"] if c["count"]} == {
        category.value for _, category, _, _ in BUSINESSES
    }
    assert directory["edges"][0]["node"] == {
        "name": "Bright Smile Dental",
        "location": "88 Elm Avenue, Suite 3",
    }
    current = graphql.data(PERKS, {"chamberId": chamber_id})["perks"]["edges"]
    everything = graphql.data(PERKS, {"chamberId": chamber_id, "current": False})["perks"]["edges"]
    assert len(current) == 5
    assert {edge["node"]["isCurrent"] for edge in everything} == {True, False}
    assert len(everything) == 7
    assert {edge["node"]["code"] for edge in current} == {None}  # anonymous: no codes
    pending = graphql.data(PENDING, {"chamberId": chamber_id}, token=owner.token)
    assert [edge["node"]["title"] for edge in pending["pendingPerks"]["edges"]] == [
        "Free check-up for new patients"
    ]

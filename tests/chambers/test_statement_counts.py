"""The directory and the perk list cost the same number of SQL statements at any page size."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from api.chambers import perks, service
from api.chambers.perks import PerkFields
from api.chambers.tables import BusinessCategory
from api.core.viewer import Viewer
from api.networks import service as networks
from api.networks.tables import OrganizationKind
from tests.chambers.helpers import chamber
from tests.conftest import GraphQLClient
from tests.factories import database_id, join, member, settle

DIRECTORY = """
query ($chamberId: ID!, $first: Int) {
  businessDirectory(chamberId: $chamberId, first: $first) {
    totalCount
    categoryCounts { category count }
    edges { cursor node { id name website category blurb location
                          business { name isVerified } chamber { name } } }
  }
}
"""
PERKS = """
query ($chamberId: ID!, $first: Int) {
  perks(chamberId: $chamberId, first: $first) {
    totalCount
    edges { node { id title code redemptionUrl rejectionReason category isCurrent
                   offeredByName offeredBy { name } chamber { name } } }
  }
}
"""
BUSINESSES = 110


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_page_cost_does_not_grow_with_page_size(
    graphql: GraphQLClient,
    count_statements: list[str],
) -> None:
    springfield = chamber(graphql, isPublic=False, joinPolicy="OPEN")
    owner = member(graphql, "Business Owner")
    chamber_id = database_id(springfield.id)
    categories = list(BusinessCategory)

    async def seed() -> None:
        business_owner = Viewer(account_id=owner.account_id)
        chamber_admin = Viewer(account_id=springfield.owner.account_id)
        today = datetime.now(UTC).date()
        for n in range(BUSINESSES):
            business = await networks.create_organization(
                business_owner,
                name=f"Business {n:03d}",
                kind=OrganizationKind.EMPLOYER,
                website=f"https://b{n}.example",
                is_public=n % 2 == 0,
            )
            applied = await service.apply_for_business_membership(
                business_owner,
                chamber_id,
                business["id"],
                category=categories[n % len(categories)],
                blurb=f"Blurb {n}",
            )
            await service.move_business_membership(chamber_admin, "approve", applied.id)
            perk = await perks.submit_perk(
                business_owner,
                chamber_id,
                business["id"],
                PerkFields(title=f"Perk {n}", code=f"CODE{n}", valid_until=today + timedelta(n)),
            )
            await perks.approve_perk(chamber_admin, perk.id)

    graphql.http.blocking_portal.call(seed)
    viewer = member(graphql, "Chamber Member")
    join(graphql, viewer, springfield.id)
    settle(graphql)  # the indexer's work on the outbox is not the page's

    def cost(query: str, first: int) -> int:
        count_statements.clear()
        body = graphql.data(
            query, {"chamberId": springfield.id, "first": first}, token=viewer.token
        )
        edges = next(iter(body.values()))["edges"]
        assert len(edges) == first
        return len(count_statements)

    assert cost(DIRECTORY, 10) == cost(DIRECTORY, 100)
    assert cost(PERKS, 10) == cost(PERKS, 100)

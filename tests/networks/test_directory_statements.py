"""The SQL statements a directory page costs do not grow with its size (DataLoaders batch)."""

from __future__ import annotations

import pytest

from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, Member, database_id, member
from tests.networks.directory_helpers import (
    DIRECTORY,
    alumni_association,
    settle,
)

ALUMNI = 110


def _association_of(graphql: GraphQLClient, count: int) -> tuple[str, Member]:
    """An association with `count` alumni, each with facts, a profile and a resume."""
    from api.core.viewer import Viewer
    from api.networks import directory
    from api.networks import service as networks
    from api.people import profiles
    from api.people import service as people
    from api.people.tables import Visibility
    from api.resumes import service as resumes

    owner = member(graphql, "Olga")
    organization_id = alumni_association(graphql, owner)

    async def create() -> None:
        for n in range(count):
            account = await people.register(
                email=f"alum{n}@statements.example", password=PASSWORD, name=f"Alum {n}"
            )
            viewer = Viewer(account_id=account["id"])
            row = await networks.join_organization(viewer, database_id(organization_id))
            await directory.update_alumni_facts(
                viewer, row["id"], {"school": "ETH", "degree": "MSc", "class_year": 2000 + n % 9}
            )
            await profiles.update_profile(viewer, {"headline": f"Engineer {n}", "city": "Bern"})
            await resumes.import_resume(
                viewer,
                {
                    "basics": {"name": f"Alum {n}"},
                    "work": [{"name": "Globex", "position": "Engineer", "startDate": "2020-01"}],
                },
                visibility=Visibility.MEMBERS,
            )

    graphql.http.blocking_portal.call(create)
    return organization_id, owner


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_directory_page_cost_does_not_grow_with_page_size(
    graphql: GraphQLClient,
    count_statements: list[str],
) -> None:
    organization_id, owner = _association_of(graphql, ALUMNI)
    settle(graphql)

    def cost(first: int) -> int:
        count_statements.clear()
        page = graphql.data(
            DIRECTORY, {"organizationId": organization_id, "first": first}, token=owner.token
        )["directory"]
        assert len(page["edges"]) == first
        assert all(edge["node"]["employer"] == "Globex" for edge in page["edges"])
        assert all(edge["node"]["person"] for edge in page["edges"])
        return len(count_statements)

    cost(10)  # the first request warms what is cached per process
    small, large = cost(10), cost(100)
    assert small == large, (small, large)
    # (16: the members' resume exclusion lists are read too, once for the whole page)
    assert small <= 16, count_statements

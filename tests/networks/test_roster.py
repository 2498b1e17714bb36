"""importRoster over HTTP: bulk verification from a roster CSV, its report, its errors, and
its cost (a fixed number of statements, not one per row)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, Member, database_id, member
from tests.networks.directory_helpers import (
    alumni_association,
    alumnus,
    browse,
    membership_id,
    set_alumni_facts,
)

IMPORT_ROSTER = """
mutation ($input: ImportRosterInput!) {
  importRoster(input: $input) {
    rows verified alreadyVerified updatedFields
    unmatched { line email reason message }
    userErrors { field code message }
  }
}
"""
MEMBERS = """
query ($slug: String!, $first: Int, $after: String) {
  organization(slug: $slug) {
    members(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { school degree fieldOfStudy classYear verification verifiedBy { id }
                     person { name } } }
    }
  }
}
"""


def _import(graphql: GraphQLClient, admin: Member, organization_id: str, csv: str) -> dict:
    return graphql.data(
        IMPORT_ROSTER, {"input": {"organizationId": organization_id, "csv": csv}}, token=admin.token
    )["importRoster"]


def _accounts(graphql: GraphQLClient, emails: list[str], organization: int | None) -> None:
    """Accounts made through the services (quicker than HTTP), joining `organization`."""
    from api.core.viewer import Viewer
    from api.networks import service as networks
    from api.people import service as people

    async def create() -> None:
        for email in emails:
            account = await people.register(email=email, password=PASSWORD, name=email[:8])
            if organization is not None:
                await networks.join_organization(Viewer(account_id=account["id"]), organization)

    graphql.http.blocking_portal.call(create)


def _all_members(graphql: GraphQLClient, admin: Member, slug: str) -> list[dict[str, Any]]:
    found, after = [], None
    while True:
        page = graphql.data(
            MEMBERS, {"slug": slug, "first": 100, "after": after}, token=admin.token
        )
        members = page["organization"]["members"]
        found.extend(edge["node"] for edge in members["edges"])
        if not members["pageInfo"]["hasNextPage"]:
            return found
        after = members["pageInfo"]["endCursor"]


def test_a_thousand_row_roster_verifies_the_members_it_names(graphql: GraphQLClient) -> None:
    owner = member(graphql, "Olga")
    organization_id = alumni_association(graphql, owner, "Roster Alumni")
    members = [f"alum{n}@roster.example" for n in range(300)]
    outsiders = [f"outsider{n}@roster.example" for n in range(100)]
    _accounts(graphql, members, database_id(organization_id))
    _accounts(graphql, outsiders, None)
    # One member gave a school already (the roster must not overwrite it); one is verified.
    first, second = member(graphql, "Kept"), member(graphql, "Done")
    for person in (first, second):
        graphql.data(
            "mutation ($input: OrganizationIdInput!) { joinOrganization(input: $input) "
            "{ userErrors { code } } }",
            {"input": {"organizationId": organization_id}},
            token=person.token,
        )
    set_alumni_facts(
        graphql, first, membership_id(graphql, first, organization_id), school="Own School"
    )
    done = membership_id(graphql, second, organization_id)
    graphql.data(
        "mutation ($input: MembershipIdInput!) { verifyMember(input: $input) "
        "{ userErrors { code } } }",
        {"input": {"membershipId": done}},
        token=owner.token,
    )

    lines = ["email,name,school,degree,field_of_study,class_year"]
    for n, email in enumerate([*members, first.email, second.email]):
        lines.append(f"{email},Alum {n},ETH Zurich,MSc,Physics,{2000 + n % 20}")
    lines.extend(f"{email},,ETH Zurich,,,2001" for email in outsiders)
    lines.extend(f"nobody{n}@roster.example,,,,,1999" for n in range(588))
    invalid_rows = [
        "not-an-email,,,,,2000",
        "bad.year@roster.example,,,,,19x9",
        "future@roster.example,,,,,2999",
        "alum0@roster.example,,,,,2000",  # a duplicate of line 2
        "too@many.example,,,,,2000,extra",
        "long@roster.example," + "x" * 10 + "," + "y" * 201 + ",,,2000",
        "ancient@roster.example,,,,,1800",
        "@roster.example,,,,,2000",
        "space in@roster.example,,,,,2000",
        "few@fields.example,only",
    ]
    lines.extend(invalid_rows)
    assert len(lines) == 1001

    report = _import(graphql, owner, organization_id, "\n".join(lines) + "\n")

    assert report["userErrors"] == []
    assert report["rows"] == 1000
    assert report["verified"] == 301
    assert report["alreadyVerified"] == 1
    reasons = Counter(row["reason"] for row in report["unmatched"])
    assert reasons == {"NOT_A_MEMBER": 100, "NO_ACCOUNT": 588, "INVALID_ROW": 10}
    invalid = [row for row in report["unmatched"] if row["reason"] == "INVALID_ROW"]
    assert [row["line"] for row in invalid] == list(range(992, 1002))
    assert "already on line 2" in invalid[3]["message"]
    assert "not a year" in invalid[1]["message"]
    assert "between 1900" in invalid[2]["message"]
    assert [row["line"] for row in report["unmatched"]] == sorted(
        row["line"] for row in report["unmatched"]
    )

    everyone = {m["person"]["name"]: m for m in _all_members(graphql, owner, "roster-alumni")}
    assert sum(m["verification"] == "VERIFIED" for m in everyone.values()) == 302
    assert everyone["Olga"]["verification"] == "UNVERIFIED"  # not on the roster
    alum = everyone["alum0@ro"]
    assert alum["school"] == "ETH Zurich"
    assert alum["classYear"] == 2000
    assert alum["fieldOfStudy"] == "Physics"
    assert alum["verifiedBy"]["id"] == owner.person_id
    assert everyone["Kept"]["school"] == "Own School"
    assert everyone["Kept"]["degree"] == "MSc"
    # The directory index follows the import.
    verified = browse(graphql, organization_id, owner, filter={"verifiedOnly": True})
    assert verified["totalCount"] == 302
    class_of_2000 = browse(
        graphql, organization_id, owner, filter={"classYearMin": 2000, "classYearMax": 2000}
    )
    assert class_of_2000["totalCount"] == 16  # n % 20 == 0 for n < 302


def test_roster_files_that_cannot_be_read_are_refused_whole(graphql: GraphQLClient) -> None:
    owner = member(graphql, "Olga")
    organization_id = alumni_association(graphql, owner)
    person, _ = alumnus(graphql, organization_id, "Ada")

    for csv, code, fragment in (
        ("", "INVALID_CSV", "empty"),
        ("name,class_year\nAda,2001\n", "INVALID_CSV", "email"),
        ("email,shoe_size\na@b.example,44\n", "INVALID_CSV", "shoe_size"),
        ("email,email\na@b.example,a@b.example\n", "INVALID_CSV", "twice"),
        ("email\n" + "x@y.example\n" * 10_001, "TOO_MANY_ROWS", "10000"),
    ):
        report = _import(graphql, owner, organization_id, csv)
        assert report["userErrors"][0]["code"] == code, csv[:40]
        assert fragment in report["userErrors"][0]["message"]
        assert report["userErrors"][0]["field"] == "csv"

    refused = graphql.execute(
        IMPORT_ROSTER,
        {"input": {"organizationId": organization_id, "csv": "email\n"}},
        token=person.token,
    )
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    report = _import(graphql, owner, organization_id, f"Email\n{person.email.upper()}\n")
    assert (report["rows"], report["verified"]) == (1, 1)


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_a_roster_costs_the_same_statements_at_any_length(
    graphql: GraphQLClient,
    count_statements: list[str],
) -> None:
    owner = member(graphql, "Olga")
    small_org = alumni_association(graphql, owner, "Small")
    large_org = alumni_association(graphql, owner, "Large")
    small = [f"small{n}@roster.example" for n in range(5)]
    large = [f"large{n}@roster.example" for n in range(120)]
    _accounts(graphql, small, database_id(small_org))
    _accounts(graphql, large, database_id(large_org))

    def cost(organization_id: str, emails: list[str]) -> int:
        csv = "email,school,class_year\n" + "".join(f"{e},ETH,2001\n" for e in emails)
        count_statements.clear()
        report = _import(graphql, owner, organization_id, csv)
        assert report["verified"] == len(emails)
        return len(count_statements)

    assert cost(small_org, small) == cost(large_org, large)

"""The root lists the site builder pages through: `organizations` and `publicResumes`."""

from __future__ import annotations

from tests.conftest import GraphQLClient
from tests.factories import import_resume, join, member, organization, verify_employer

ORGANIZATIONS = """
query ($kind: OrganizationKind, $first: Int, $after: String) {
  organizations(kind: $kind, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { name kind isPublic } }
  }
}
"""
PUBLIC_RESUMES = """
query ($first: Int, $after: String) {
  publicResumes(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { title visibility basics { name email } } }
  }
}
"""
SET_EXCLUSIONS = """
mutation ($input: SetResumeExclusionsInput!) {
  setResumeExclusions(input: $input) { userErrors { code } }
}
"""


def names(connection: dict) -> list[str]:
    return [edge["node"]["name"] for edge in connection["edges"]]


def test_organizations_lists_public_ones_and_the_viewers_own(graphql: GraphQLClient) -> None:
    owner = member(graphql, "Olga")
    organization(graphql, owner, "Open Club", "CLUB")
    organization(graphql, owner, "Hidden Club", "CLUB", isPublic=False)
    organization(graphql, owner, "Acme", "EMPLOYER")
    outsider = member(graphql, "Otto")

    anonymous = graphql.data(ORGANIZATIONS)["organizations"]
    assert names(anonymous) == ["Open Club", "Acme"]
    assert anonymous["totalCount"] == 2
    assert names(graphql.data(ORGANIZATIONS, token=outsider.token)["organizations"]) == [
        "Open Club",
        "Acme",
    ]
    # the owner is an active member of the hidden club, so they see it
    assert names(graphql.data(ORGANIZATIONS, token=owner.token)["organizations"]) == [
        "Open Club",
        "Hidden Club",
        "Acme",
    ]
    employers = graphql.data(ORGANIZATIONS, {"kind": "EMPLOYER"})["organizations"]
    assert names(employers) == ["Acme"]


def test_organizations_pages_with_cursors(graphql: GraphQLClient) -> None:
    owner = member(graphql, "Paula")
    for number in range(3):
        organization(graphql, owner, f"Club {number}", "CLUB")

    first = graphql.data(ORGANIZATIONS, {"first": 2})["organizations"]
    rest = graphql.data(ORGANIZATIONS, {"first": 2, "after": first["pageInfo"]["endCursor"]})[
        "organizations"
    ]

    assert names(first) == ["Club 0", "Club 1"] and first["pageInfo"]["hasNextPage"]
    assert names(rest) == ["Club 2"] and not rest["pageInfo"]["hasNextPage"]
    too_many = graphql.execute(ORGANIZATIONS, {"first": 101})
    assert too_many["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_public_resumes_are_only_what_anyone_may_see(graphql: GraphQLClient) -> None:
    owner = member(graphql, "Rosa")
    for visibility in ("PUBLIC", "EMPLOYERS", "MEMBERS", "CONNECTIONS", "PRIVATE"):
        import_resume(
            graphql,
            owner,
            {"basics": {"name": f"{visibility} resume", "email": "rosa@example.org"}},
            visibility=visibility,
        )
    wary = member(graphql, "Walt")
    import_resume(graphql, wary, {"basics": {"name": "Excluding resume"}})
    staff = member(graphql, "Staff", staff=True)
    employer = organization(graphql, wary, "Walt's Employer", "EMPLOYER")
    verify_employer(graphql, staff, employer)
    join(graphql, owner, employer)
    excluded = graphql.data(
        SET_EXCLUSIONS, {"input": {"organizationIds": [employer]}}, token=wary.token
    )["setResumeExclusions"]
    assert excluded["userErrors"] == []

    listed = graphql.data(PUBLIC_RESUMES)["publicResumes"]

    # only the PUBLIC resume; the one whose owner keeps an exclusion list is left out, and
    # contact details stay hidden (the owner's contact audience is not the public)
    assert [edge["node"]["basics"]["name"] for edge in listed["edges"]] == ["PUBLIC resume"]
    assert listed["totalCount"] == 1
    assert listed["edges"][0]["node"]["basics"]["email"] is None
    # the same for signed-in viewers: the list is the public one, whoever asks
    as_owner = graphql.data(PUBLIC_RESUMES, token=owner.token)["publicResumes"]
    assert [edge["node"]["visibility"] for edge in as_owner["edges"]] == ["PUBLIC"]

"""Helpers for the directory tests: alumni associations, memberships, listings, searching."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQLClient
from tests.factories import Member, join, member, organization, settle

DIRECTORY = """
query ($organizationId: ID!, $query: String, $filter: DirectoryFilterInput, $first: Int,
       $after: String) {
  directory(organizationId: $organizationId, query: $query, filter: $filter, first: $first,
            after: $after) {
    totalCount
    edges {
      cursor
      node {
        membershipId name verified headline email phone location employer title industry
        school degree fieldOfStudy classYear isViewer
        person { id name }
      }
      highlights { field snippet }
    }
    facets { field values { value count } }
    pageInfo { hasNextPage endCursor }
    suggestion
    userErrors { field code message }
  }
}
"""
MY_MEMBERSHIPS = "{ myMemberships { id organization { id } } }"
UPDATE_MEMBERSHIP_PROFILE = """
mutation ($input: UpdateMembershipProfileInput!) {
  updateMembershipProfile(input: $input) {
    membership { id school degree fieldOfStudy classYear verification verifiedAt
                 verifiedBy { id } }
    userErrors { field code message }
  }
}
"""
UPDATE_DIRECTORY_LISTING = """
mutation ($input: UpdateDirectoryListingInput!) {
  updateDirectoryListing(input: $input) {
    membership { id listed emailVisibility phoneVisibility locationVisibility
                 employmentVisibility educationVisibility }
    userErrors { field code message }
  }
}
"""
UPDATE_PROFILE = """
mutation ($input: UpdateProfileInput!) { updateProfile(input: $input) { userErrors { code } } }
"""
UPDATE_ORGANIZATION = """
mutation ($input: UpdateOrganizationInput!) {
  updateOrganization(input: $input) {
    organization { id name location directoryVisibility joinPolicy isPublic }
    userErrors { field code message }
  }
}
"""


def alumni_association(
    graphql: GraphQLClient, owner: Member, name: str = "ETH Alumni", **fields: Any
) -> str:
    return organization(graphql, owner, name, "ALUMNI_ASSOCIATION", **fields)


def membership_id(graphql: GraphQLClient, person: Member, organization_id: str) -> str:
    rows = graphql.data(MY_MEMBERSHIPS, token=person.token)["myMemberships"]
    [found] = [row["id"] for row in rows if row["organization"]["id"] == organization_id]
    return found


def alumnus(
    graphql: GraphQLClient, organization_id: str, name: str = "Alumnus", **facts: Any
) -> tuple[Member, str]:
    """A new member of the (OPEN) organization with the given alumni facts."""
    person = member(graphql, name)
    joined = join(graphql, person, organization_id)
    assert joined["userErrors"] == [], joined
    membership = joined["membership"]["id"]
    if facts:
        set_alumni_facts(graphql, person, membership, **facts)
    return person, membership


def set_alumni_facts(
    graphql: GraphQLClient, person: Member, membership: str, **facts: Any
) -> dict[str, Any]:
    payload = graphql.data(
        UPDATE_MEMBERSHIP_PROFILE,
        {"input": {"membershipId": membership, **facts}},
        token=person.token,
    )["updateMembershipProfile"]
    return payload


def set_listing(
    graphql: GraphQLClient, person: Member, membership: str, **choices: Any
) -> dict[str, Any]:
    payload = graphql.data(
        UPDATE_DIRECTORY_LISTING,
        {"input": {"membershipId": membership, **choices}},
        token=person.token,
    )["updateDirectoryListing"]
    assert payload["userErrors"] == [], payload
    return payload["membership"]


def set_profile(graphql: GraphQLClient, person: Member, **fields: Any) -> None:
    payload = graphql.data(UPDATE_PROFILE, {"input": fields}, token=person.token)["updateProfile"]
    assert payload["userErrors"] == [], payload


def update_organization(
    graphql: GraphQLClient, viewer: Member, organization_id: str, **fields: Any
) -> dict[str, Any]:
    return graphql.data(
        UPDATE_ORGANIZATION,
        {"input": {"organizationId": organization_id, **fields}},
        token=viewer.token,
    )["updateOrganization"]


def browse(
    graphql: GraphQLClient, organization_id: str, viewer: Member | None = None, **variables: Any
) -> dict[str, Any]:
    settle(graphql)
    return graphql.data(
        DIRECTORY,
        {"organizationId": organization_id, **variables},
        token=viewer.token if viewer else None,
    )["directory"]


def names(page: dict[str, Any]) -> list[str]:
    return sorted(edge["node"]["name"] for edge in page["edges"])


def facet(page: dict[str, Any], name: str) -> dict[str, int]:
    [found] = [f for f in page["facets"] if f["field"] == name]
    return {value["value"]: value["count"] for value in found["values"]}

"""Employer verification over HTTP: owners and admins ask for it once at a time, staff see
the queue and verify, and candidate search tells an unverified employer what it misses."""

from __future__ import annotations

import pytest

from tests.conftest import GraphQLClient
from tests.factories import Member, import_resume, join, member, organization, settle

REQUEST = """
mutation ($input: OrganizationIdInput!) {
  requestEmployerVerification(input: $input) {
    verificationRequest { id status requestedAt organization { name } requestedBy { name } }
    whatVerificationChanges
    userErrors { field code message }
  }
}
"""
QUEUE = """
query ($status: VerificationRequestStatus) {
  employerVerificationRequests(status: $status) {
    totalCount
    edges { node { status decidedAt organization { name isVerified } } }
  }
}
"""
VERIFY = """
mutation ($input: OrganizationIdInput!) {
  verifyEmployer(input: $input) { organization { isVerified } userErrors { code } }
}
"""
SEARCH = """
query {
  searchCandidates(first: 20) {
    totalCount
    edges { node { id } }
    audienceNotice { reason message }
  }
}
"""


def request(graphql: GraphQLClient, who: Member, organization_id: str) -> dict:
    variables = {"input": {"organizationId": organization_id}}
    return graphql.data(REQUEST, variables, token=who.token)["requestEmployerVerification"]


@pytest.fixture
def employer(graphql: GraphQLClient) -> tuple[Member, str]:
    owner = member(graphql, "Rita Recruiter")
    return owner, organization(graphql, owner, "Globex", "EMPLOYER")


def test_an_owner_asks_once_and_learns_what_it_changes(
    graphql: GraphQLClient, employer: tuple[Member, str]
) -> None:
    owner, organization_id = employer

    asked = request(graphql, owner, organization_id)

    assert asked["userErrors"] == []
    assert asked["verificationRequest"]["status"] == "PENDING"
    assert asked["verificationRequest"]["organization"] == {"name": "Globex"}
    assert asked["verificationRequest"]["requestedBy"] == {"name": "Rita Recruiter"}
    assert "EMPLOYERS" in asked["whatVerificationChanges"]
    # a second request while the first is pending
    again = request(graphql, owner, organization_id)
    assert again["verificationRequest"] is None
    assert [(e["field"], e["code"]) for e in again["userErrors"]] == [
        ("organizationId", "VERIFICATION_PENDING")
    ]


def test_only_owners_and_admins_of_an_unverified_employer_ask(
    graphql: GraphQLClient, employer: tuple[Member, str]
) -> None:
    owner, organization_id = employer
    staff = member(graphql, "Staff", staff=True)
    club = organization(graphql, owner, "Chess Club")
    outsider = member(graphql, "Otto")

    body = graphql.execute(
        REQUEST, {"input": {"organizationId": organization_id}}, token=outsider.token
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert [e["code"] for e in request(graphql, owner, club)["userErrors"]] == ["NOT_AN_EMPLOYER"]
    graphql.data(VERIFY, {"input": {"organizationId": organization_id}}, token=staff.token)
    assert [e["code"] for e in request(graphql, owner, organization_id)["userErrors"]] == [
        "ALREADY_VERIFIED"
    ]


def test_staff_see_the_queue_and_verifying_settles_the_request(
    graphql: GraphQLClient, employer: tuple[Member, str]
) -> None:
    owner, organization_id = employer
    staff = member(graphql, "Staff", staff=True)
    request(graphql, owner, organization_id)

    body = graphql.execute(QUEUE, token=owner.token)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    pending = graphql.data(QUEUE, token=staff.token)["employerVerificationRequests"]
    assert pending["totalCount"] == 1
    assert pending["edges"][0]["node"]["organization"] == {"name": "Globex", "isVerified": False}

    graphql.data(VERIFY, {"input": {"organizationId": organization_id}}, token=staff.token)

    assert graphql.data(QUEUE, token=staff.token)["employerVerificationRequests"] == {
        "totalCount": 0,
        "edges": [],
    }
    settled = graphql.data(QUEUE, {"status": "VERIFIED"}, token=staff.token)
    [edge] = settled["employerVerificationRequests"]["edges"]
    assert edge["node"]["status"] == "VERIFIED"
    assert edge["node"]["decidedAt"] is not None


def test_candidate_search_tells_an_unverified_employer_what_it_misses(
    graphql: GraphQLClient, employer: tuple[Member, str]
) -> None:
    owner, organization_id = employer
    staff = member(graphql, "Staff", staff=True)
    seeker = member(graphql, "Sam Seeker")
    resume_id = import_resume(graphql, seeker, {"basics": {"name": "Sam"}}, "EMPLOYERS")
    settle(graphql)

    def search(who: Member | None) -> dict:
        return graphql.data(SEARCH, token=who.token if who else None)["searchCandidates"]

    # an unverified employer's people do not see the resume, and are told why
    unverified = search(owner)
    assert unverified["edges"] == []
    assert unverified["audienceNotice"]["reason"] == "EMPLOYER_NOT_VERIFIED"
    assert "requestEmployerVerification" in unverified["audienceNotice"]["message"]
    request(graphql, owner, organization_id)
    assert search(owner)["audienceNotice"]["reason"] == "VERIFICATION_PENDING"
    # others are told their own reason
    assert search(member(graphql, "Someone"))["audienceNotice"]["reason"] == "NOT_AN_EMPLOYER"
    assert search(None)["audienceNotice"]["reason"] == "NOT_SIGNED_IN"

    # once verified, its people (a plain member too) see it, and there is nothing to explain
    colleague = member(graphql, "Colin")
    join(graphql, colleague, organization_id)
    graphql.data(VERIFY, {"input": {"organizationId": organization_id}}, token=staff.token)
    seen = [search(person) for person in (owner, colleague)]
    assert [
        (page["audienceNotice"], [edge["node"]["id"] for edge in page["edges"]]) for page in seen
    ] == [(None, [resume_id]), (None, [resume_id])]

"""Organizations: creating, joining by policy, verifying employers (staff only)."""

from __future__ import annotations

from tests.conftest import GraphQLClient
from tests.factories import CREATE_ORGANIZATION, JOIN, VERIFY, member, organization

ORGANIZATION = """
query ($slug: String!) {
  organization(slug: $slug) { id name slug kind joinPolicy isPublic isVerified }
}
"""


def test_create_an_organization_with_a_unique_slug(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    variables = {"input": {"name": "Zürich Alumni e.V.", "kind": "ALUMNI_ASSOCIATION"}}

    first = graphql.data(CREATE_ORGANIZATION, variables, token=owner.token)["createOrganization"]
    second = graphql.data(CREATE_ORGANIZATION, variables, token=owner.token)["createOrganization"]

    assert first["organization"]["slug"] == "zurich-alumni-e-v"
    assert second["organization"]["slug"] == "zurich-alumni-e-v-2"
    found = graphql.data(ORGANIZATION, {"slug": "zurich-alumni-e-v"})["organization"]
    assert found == {
        "id": first["organization"]["id"],
        "name": "Zürich Alumni e.V.",
        "slug": "zurich-alumni-e-v",
        "kind": "ALUMNI_ASSOCIATION",
        "joinPolicy": "APPROVAL",
        "isPublic": True,
        "isVerified": False,
    }


def test_organization_input_is_validated(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    variables = {"input": {"name": "  ", "kind": "CLUB", "website": "example"}}

    payload = graphql.data(CREATE_ORGANIZATION, variables, token=owner.token)["createOrganization"]

    assert payload["organization"] is None
    assert {(e["field"], e["code"]) for e in payload["userErrors"]} == {
        ("name", "NAME_REQUIRED"),
        ("website", "INVALID_WEBSITE"),
    }


def test_joining_follows_the_join_policy(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    joiner = member(graphql)
    open_club = organization(graphql, owner, "Open Club", joinPolicy="OPEN")
    vetted = organization(graphql, owner, "Vetted Society", joinPolicy="APPROVAL")
    secret = organization(graphql, owner, "Secret Society", joinPolicy="INVITE_ONLY")

    def join(organization_id: str) -> dict:
        variables = {"input": {"organizationId": organization_id}}
        return graphql.data(JOIN, variables, token=joiner.token)["joinOrganization"]

    joined = join(open_club)
    assert joined["userErrors"] == []
    assert {k: joined["membership"][k] for k in ("status", "role")} == {
        "status": "ACTIVE",
        "role": "MEMBER",
    }
    requested = join(vetted)
    assert requested["membership"]["status"] == "REQUESTED"
    assert join(vetted)["userErrors"][0]["code"] == "ALREADY_MEMBER"
    assert join(open_club)["userErrors"][0]["code"] == "ALREADY_MEMBER"
    assert join(secret)["userErrors"][0]["code"] == "INVITE_ONLY"


def test_only_staff_verify_employers_and_only_employers(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    staff = member(graphql, staff=True)
    employer = organization(graphql, owner, "Globex", "EMPLOYER")
    club = organization(graphql, owner, "Chess", "CLUB")

    refused = graphql.execute(VERIFY, {"input": {"organizationId": employer}}, token=owner.token)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    verified = graphql.data(VERIFY, {"input": {"organizationId": employer}}, token=staff.token)
    assert verified["verifyEmployer"] == {"organization": {"isVerified": True}, "userErrors": []}
    twice = graphql.data(VERIFY, {"input": {"organizationId": employer}}, token=staff.token)
    assert twice["verifyEmployer"]["userErrors"][0]["code"] == "ALREADY_VERIFIED"
    not_employer = graphql.data(VERIFY, {"input": {"organizationId": club}}, token=staff.token)
    assert not_employer["verifyEmployer"]["userErrors"][0]["code"] == "NOT_AN_EMPLOYER"


INVITE = """
mutation ($input: InviteMemberInput!) {
  inviteMember(input: $input) { membership { id role status } userErrors { field code } }
}
"""
ACCEPT = """
mutation ($input: AcceptInvitationInput!) {
  acceptInvitation(input: $input) { membership { role status } userErrors { field code } }
}
"""


def test_an_admin_invites_a_colleague_who_accepts(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    colleague = member(graphql)
    stranger = member(graphql)
    employer = organization(graphql, owner, "Globex", "EMPLOYER")
    invite = {"input": {"organizationId": employer, "email": colleague.email, "role": "ADMIN"}}

    refused = graphql.execute(INVITE, invite, token=stranger.token)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    invited = graphql.data(INVITE, invite, token=owner.token)["inviteMember"]
    assert invited["membership"]["status"] == "INVITED"
    again = graphql.data(INVITE, invite, token=owner.token)["inviteMember"]
    assert again["userErrors"] == [{"field": "email", "code": "ALREADY_MEMBER"}]
    # an address with no account is mailed an invitation instead (tests/networks/test_invitations)
    nobody = {"input": {"organizationId": employer, "email": "nobody@example.org"}}
    assert graphql.data(INVITE, nobody, token=owner.token)["inviteMember"] == {
        "membership": None,
        "userErrors": [],
    }
    not_an_address = {"input": {"organizationId": employer, "email": "nobody"}}
    assert graphql.data(INVITE, not_an_address, token=owner.token)["inviteMember"][
        "userErrors"
    ] == [{"field": "email", "code": "INVALID_EMAIL"}]

    membership = {"input": {"membershipId": invited["membership"]["id"]}}
    stolen = graphql.data(ACCEPT, membership, token=stranger.token)["acceptInvitation"]
    assert stolen["userErrors"][0]["code"] == "NOT_FOUND"
    accepted = graphql.data(ACCEPT, membership, token=colleague.token)["acceptInvitation"]
    assert accepted["membership"] == {"role": "ADMIN", "status": "ACTIVE"}
    twice = graphql.data(ACCEPT, membership, token=colleague.token)["acceptInvitation"]
    assert twice["userErrors"][0]["code"] == "ILLEGAL_TRANSITION"


MEMBERSHIP_MOVE = """
mutation ($input: MembershipIdInput!) {{
  {verb}(input: $input) {{ membership {{ status }} userErrors {{ field code message }} }}
}}
"""
LEAVE = """
mutation ($input: OrganizationIdInput!) {
  leaveOrganization(input: $input) { membership { status } userErrors { field code message } }
}
"""


def test_requests_to_join_are_approved_or_declined_by_admins(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    asker = member(graphql)
    other = member(graphql)
    society = organization(graphql, owner, "Vetted Society", joinPolicy="APPROVAL")
    requested = graphql.data(JOIN, {"input": {"organizationId": society}}, token=asker.token)
    membership = requested["joinOrganization"]["membership"]["id"]

    def move(verb: str, token: str) -> dict:
        query = MEMBERSHIP_MOVE.format(verb=verb)
        return graphql.data(query, {"input": {"membershipId": membership}}, token=token)[verb]

    refused = graphql.execute(
        MEMBERSHIP_MOVE.format(verb="approveMembership"),
        {"input": {"membershipId": membership}},
        token=asker.token,
    )
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert move("approveMembership", owner.token)["membership"] == {"status": "ACTIVE"}
    [error] = move("declineMembership", owner.token)["userErrors"]
    assert error["code"] == "ILLEGAL_TRANSITION"
    assert "Cannot decline a membership that is active" in error["message"]

    # members leave; the only owner cannot
    left = graphql.data(LEAVE, {"input": {"organizationId": society}}, token=asker.token)
    assert left["leaveOrganization"]["membership"] == {"status": "LEFT"}
    stuck = graphql.data(LEAVE, {"input": {"organizationId": society}}, token=owner.token)
    assert stuck["leaveOrganization"]["userErrors"][0]["code"] == "ILLEGAL_TRANSITION"
    never = graphql.data(LEAVE, {"input": {"organizationId": society}}, token=other.token)
    assert never["leaveOrganization"]["userErrors"][0]["code"] == "NOT_FOUND"


def test_admins_remove_members_but_not_owners(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    joiner = member(graphql)
    club = organization(graphql, owner, "Open Club", joinPolicy="OPEN")
    joined = graphql.data(JOIN, {"input": {"organizationId": club}}, token=joiner.token)
    membership = joined["joinOrganization"]["membership"]["id"]
    query = MEMBERSHIP_MOVE.format(verb="removeMember")

    removed = graphql.data(query, {"input": {"membershipId": membership}}, token=owner.token)
    assert removed["removeMember"]["membership"] == {"status": "REMOVED"}
    rejoin = graphql.data(JOIN, {"input": {"organizationId": club}}, token=joiner.token)
    assert rejoin["joinOrganization"]["userErrors"][0]["code"] == "ILLEGAL_TRANSITION"

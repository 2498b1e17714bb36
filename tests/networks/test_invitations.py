"""Invitations by email over HTTP, with a real SMTP server: inviteMember to an address with
no account, importRoster with inviteUnmatched, accepting after registering, and the admin's
list, revocation and re-sending."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api.networks.tables import Invitation
from tests.conftest import GraphQLClient
from tests.factories import Member, member
from tests.mail.smtp import Inbox
from tests.networks.directory_helpers import alumni_association
from tests.people.mail_links import token

INVITE_MEMBER = """
mutation ($input: InviteMemberInput!) {
  inviteMember(input: $input) {
    membership { id status }
    invitation { id email role status expiresAt }
    userErrors { field code message }
  }
}
"""
IMPORT_ROSTER = """
mutation ($input: ImportRosterInput!) {
  importRoster(input: $input) {
    rows verified invitationsSent
    unmatched { line email reason }
    userErrors { field code message }
  }
}
"""
ACCEPT_EMAIL_INVITATION = """
mutation ($input: AcceptEmailInvitationInput!) {
  acceptEmailInvitation(input: $input) {
    membership { id role status school degree classYear verification }
    userErrors { field code message }
  }
}
"""
REVOKE_INVITATION = """
mutation ($input: InvitationIdInput!) {
  revokeInvitation(input: $input) {
    invitation { id status }
    userErrors { field code message }
  }
}
"""
RESEND_INVITATION = """
mutation ($input: InvitationIdInput!) {
  resendInvitation(input: $input) {
    invitation { id status }
    userErrors { field code message }
  }
}
"""
INVITATIONS = """
query ($slug: String!) {
  organization(slug: $slug) {
    invitations(first: 10) { totalCount edges { node { email status fromRoster classYear } } }
  }
}
"""
REGISTER = """
mutation ($input: RegisterInput!) {
  register(input: $input) { token userErrors { field code message } }
}
"""
VIEWER = "query { viewer { email emailVerified } }"


def _invite(graphql: GraphQLClient, admin: Member, organization_id: str, email: str, **extra):
    variables = {"input": {"organizationId": organization_id, "email": email, **extra}}
    return graphql.data(INVITE_MEMBER, variables, token=admin.token)["inviteMember"]


def _register(graphql: GraphQLClient, email: str, name: str) -> str:
    variables = {"input": {"email": email, "password": "correct horse battery", "name": name}}
    payload = graphql.data(REGISTER, variables)["register"]
    assert payload["userErrors"] == [], payload
    return payload["token"]


def _accept(graphql: GraphQLClient, value: str, session: str) -> dict:
    return graphql.data(ACCEPT_EMAIL_INVITATION, {"input": {"token": value}}, token=session)[
        "acceptEmailInvitation"
    ]


def _invited_grace(graphql: GraphQLClient) -> tuple[Member, str, dict]:
    """An association's owner, the association's id, and its invitation to grace@example.org
    (an address with no account), mailed."""
    owner = member(graphql, "Owner")
    association = alumni_association(graphql, owner)
    invitation = _invite(graphql, owner, association, "grace@example.org")["invitation"]
    return owner, association, invitation


def _slug(graphql: GraphQLClient, organization_id: str) -> str:
    query = "query ($id: ID!) { node(id: $id) { ... on Organization { slug } } }"
    return graphql.data(query, {"id": organization_id})["node"]["slug"]


def _invitations(graphql: GraphQLClient, admin: Member, organization_id: str) -> dict:
    variables = {"slug": _slug(graphql, organization_id)}
    return graphql.data(INVITATIONS, variables, token=admin.token)["organization"]["invitations"]


def test_inviting_an_address_with_no_account_mails_a_link_that_joins_after_registering(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    # given an association's owner
    owner = member(mail_graphql, "Owner")
    association = alumni_association(mail_graphql, owner)

    # when they invite an address nobody registered, as an ADMIN
    payload = _invite(mail_graphql, owner, association, "grace@example.org", role="ADMIN")

    # then an invitation is made and mailed, naming the association, with a link to the site
    assert payload["userErrors"] == [] and payload["membership"] is None
    assert payload["invitation"]["status"] == "PENDING"
    assert payload["invitation"]["role"] == "ADMIN"
    [received] = inbox.to("grace@example.org")
    assert received.message["Subject"] == "You are invited to join ETH Alumni"
    assert "Hello," in received.part("plain")
    value = token(received, "invitation")

    # when Grace registers with that address and accepts with the link's token
    session = _register(mail_graphql, "grace@example.org", "Grace Hopper")
    accepted = _accept(mail_graphql, value, session)

    # then she is an active admin, her address is verified, and the invitation is spent
    assert accepted["userErrors"] == [], accepted
    assert accepted["membership"]["role"] == "ADMIN"
    assert accepted["membership"]["status"] == "ACTIVE"
    assert mail_graphql.data(VIEWER, token=session)["viewer"]["emailVerified"] is True
    again = _accept(mail_graphql, value, session)
    assert [e["code"] for e in again["userErrors"]] == ["TOKEN_USED"]
    listed = _invitations(mail_graphql, owner, association)
    assert [e["node"]["status"] for e in listed["edges"]] == ["ACCEPTED"]


def test_roster_invites_each_unmatched_row_once_and_joining_brings_the_rows_fields(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    # given an association and a roster with two addresses nobody registered
    owner = member(mail_graphql, "Owner")
    association = alumni_association(mail_graphql, owner)
    csv = (
        "email,school,degree,class_year\n"
        "ada@example.org,ETH,MSc,2015\n"
        "alan@example.org,ETH,PhD,2012\n"
        "not an address\n"
    )
    variables = {"input": {"organizationId": association, "csv": csv, "inviteUnmatched": True}}

    # when the roster is imported with inviteUnmatched, and then imported again
    first = mail_graphql.data(IMPORT_ROSTER, variables, token=owner.token)["importRoster"]
    second = mail_graphql.data(IMPORT_ROSTER, variables, token=owner.token)["importRoster"]

    # then each address got one invitation, counted by the first import only
    assert first["userErrors"] == [] and first["invitationsSent"] == 2
    assert second["invitationsSent"] == 0
    assert [r["reason"] for r in second["unmatched"]] == ["NO_ACCOUNT", "NO_ACCOUNT", "INVALID_ROW"]
    [to_ada] = inbox.to("ada@example.org")
    inbox.to("alan@example.org")
    assert len(inbox.received) == 2 + 1  # two invitations and the owner's verification mail

    # when Ada registers and accepts
    session = _register(mail_graphql, "ada@example.org", "Ada Lovelace")
    accepted = _accept(mail_graphql, token(to_ada, "invitation"), session)

    # then her membership carries the roster's fields, verified by the roster
    assert accepted["userErrors"] == [], accepted
    membership = accepted["membership"]
    assert (membership["school"], membership["degree"], membership["classYear"]) == (
        "ETH",
        "MSc",
        2015,
    )
    assert membership["verification"] == "VERIFIED" and membership["role"] == "MEMBER"
    listed = _invitations(mail_graphql, owner, association)
    assert listed["totalCount"] == 2
    assert {(e["node"]["status"], e["node"]["fromRoster"]) for e in listed["edges"]} == {
        ("ACCEPTED", True),
        ("PENDING", True),
    }


def _age_invitations(graphql: GraphQLClient, days: int) -> None:
    """Invitations sent `days` ago (written in the server's own event loop and engine)."""

    async def work() -> None:
        past = datetime.now(UTC) - timedelta(days=days)
        await Invitation.update({Invitation.sent_at: past}, force=True)

    graphql.http.blocking_portal.call(work)


def test_a_roster_reimported_after_a_week_invites_again(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    # given an address invited by a roster more than a week ago
    owner = member(mail_graphql, "Owner")
    association = alumni_association(mail_graphql, owner)
    variables = {
        "input": {
            "organizationId": association,
            "csv": "email\nada@example.org\n",
            "inviteUnmatched": True,
        }
    }
    mail_graphql.data(IMPORT_ROSTER, variables, token=owner.token)
    [old] = inbox.to("ada@example.org")
    _age_invitations(mail_graphql, days=8)

    # when the roster is imported again
    again = mail_graphql.data(IMPORT_ROSTER, variables, token=owner.token)["importRoster"]

    # then a second invitation went out, and only its link works
    assert again["invitationsSent"] == 1
    _, new = inbox.to("ada@example.org", count=2)
    session = _register(mail_graphql, "ada@example.org", "Ada Lovelace")
    stale = _accept(mail_graphql, token(old, "invitation"), session)
    assert [e["code"] for e in stale["userErrors"]] == ["INVALID_TOKEN"]
    assert _accept(mail_graphql, token(new, "invitation"), session)["userErrors"] == []


def test_a_revoked_invitation_stops_working_until_it_is_sent_again(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    # given an invitation, revoked by the owner
    owner, _, invitation = _invited_grace(mail_graphql)
    [first] = inbox.to("grace@example.org")
    by_id = {"input": {"invitationId": invitation["id"]}}
    revoked = mail_graphql.data(REVOKE_INVITATION, by_id, token=owner.token)["revokeInvitation"]
    assert revoked["invitation"]["status"] == "REVOKED"

    # when Grace registers and follows the link
    session = _register(mail_graphql, "grace@example.org", "Grace Hopper")
    refused = _accept(mail_graphql, token(first, "invitation"), session)

    # then it is refused as withdrawn, and revoking twice is an illegal transition
    assert [e["code"] for e in refused["userErrors"]] == ["ILLEGAL_TRANSITION"]
    twice = mail_graphql.data(REVOKE_INVITATION, by_id, token=owner.token)["revokeInvitation"]
    assert [e["code"] for e in twice["userErrors"]] == ["ILLEGAL_TRANSITION"]

    # when the owner sends it again, the new link works
    resent = mail_graphql.data(RESEND_INVITATION, by_id, token=owner.token)["resendInvitation"]
    assert resent["invitation"]["status"] == "PENDING"
    _, second = inbox.to("grace@example.org", count=3)[1:]
    assert _accept(mail_graphql, token(second, "invitation"), session)["userErrors"] == []


def test_only_admins_see_revoke_or_resend_invitations(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    # given an invitation and a plain member of the association
    _, association, invitation = _invited_grace(mail_graphql)
    outsider = member(mail_graphql, "Outsider")

    # when someone who is not an admin lists, revokes or invites
    by_id = {"input": {"invitationId": invitation["id"]}}
    listing = mail_graphql.execute(
        INVITATIONS, {"slug": _slug(mail_graphql, association)}, token=outsider.token
    )
    revoking = mail_graphql.execute(REVOKE_INVITATION, by_id, token=outsider.token)
    inviting = mail_graphql.execute(
        INVITE_MEMBER,
        {"input": {"organizationId": association, "email": "x@example.org"}},
        token=outsider.token,
    )

    # then each is FORBIDDEN
    for answer in (listing, revoking, inviting):
        assert [e["extensions"]["code"] for e in answer["errors"]] == ["FORBIDDEN"], answer


def test_an_expired_invitation_is_refused_until_it_is_sent_again(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    # given an invitation whose link has expired
    owner, _, invitation = _invited_grace(mail_graphql)
    [first] = inbox.to("grace@example.org")

    async def expire() -> None:
        past = datetime.now(UTC) - timedelta(seconds=1)
        await Invitation.update({Invitation.expires_at: past}, force=True)

    mail_graphql.http.blocking_portal.call(expire)

    # when Grace registers and follows it
    session = _register(mail_graphql, "grace@example.org", "Grace Hopper")
    refused = _accept(mail_graphql, token(first, "invitation"), session)

    # then it is refused as expired, and a forged token as invalid
    assert [e["code"] for e in refused["userErrors"]] == ["TOKEN_EXPIRED"]
    value = token(first, "invitation")
    forged = _accept(mail_graphql, value[:-2] + ("AA" if value[-2:] != "AA" else "BB"), session)
    assert [e["code"] for e in forged["userErrors"]] == ["INVALID_TOKEN"]

    # when the owner sends it again, the new link works
    by_id = {"input": {"invitationId": invitation["id"]}}
    mail_graphql.data(RESEND_INVITATION, by_id, token=owner.token)
    _, _, second = inbox.to("grace@example.org", count=3)
    assert _accept(mail_graphql, token(second, "invitation"), session)["userErrors"] == []

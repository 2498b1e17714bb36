"""What an account whose email is not verified may not do, over HTTP with the rule on
(`require_verified_email`, the default): show resumes to EMPLOYERS or the PUBLIC, create or
publish job postings, invite people by email, ask strangers to connect. Each refusal is an
EMAIL_NOT_VERIFIED userError, and the same action succeeds once the person followed the link
the real SMTP server received; what stays open (narrower resumes, joining, accepting) works
from the start."""

from __future__ import annotations

import dataclasses

import pytest

from api.core.settings import Settings, SettingsError
from tests.conftest import GraphQLClient
from tests.factories import Employer, Member, employer, job, job_input, member, organization
from tests.mail.smtp import Inbox
from tests.people.mail_links import token

VERIFY_EMAIL = """
mutation ($input: VerifyEmailInput!) {
  verifyEmail(input: $input) { email userErrors { field code message } }
}
"""
IMPORT_RESUME = """
mutation ($input: ImportResumeInput!) {
  importResume(input: $input) {
    resume { id visibility }
    userErrors { field code message }
  }
}
"""
SET_RESUME_VISIBILITY = """
mutation ($input: SetResumeVisibilityInput!) {
  setResumeVisibility(input: $input) {
    resume { id visibility }
    userErrors { field code message }
  }
}
"""
VERIFY_THEN_IMPORT = """
mutation ($verify: VerifyEmailInput!, $resume: ImportResumeInput!) {
  verifyEmail(input: $verify) { userErrors { code } }
  importResume(input: $resume) { resume { visibility } userErrors { field code message } }
}
"""
MY_RESUMES = "query { viewer { emailVerified person { resumes(first: 10) { totalCount } } } }"
CREATE_JOB = """
mutation ($input: CreateJobInput!) {
  createJob(input: $input) { job { id status } userErrors { field code message } }
}
"""
PUBLISH_JOB = """
mutation ($input: JobIdInput!) {
  publishJob(input: $input) { job { id status } userErrors { field code message } }
}
"""
REOPEN_JOB = """
mutation ($input: ReopenJobInput!) {
  reopenJob(input: $input) { job { id status } userErrors { field code message } }
}
"""
INVITE_MEMBER = """
mutation ($input: InviteMemberInput!) {
  inviteMember(input: $input) {
    membership { id status }
    invitation { id email }
    userErrors { field code message }
  }
}
"""
ACCEPT_INVITATION = """
mutation ($input: AcceptInvitationInput!) {
  acceptInvitation(input: $input) { membership { status role } userErrors { code message } }
}
"""
IMPORT_ROSTER = """
mutation ($input: ImportRosterInput!) {
  importRoster(input: $input) { rows invitationsSent userErrors { field code message } }
}
"""
INVITATIONS = """
query ($slug: String!) { organization(slug: $slug) { invitations(first: 10) { totalCount } } }
"""
SLUG = "query ($id: ID!) { node(id: $id) { ... on Organization { slug } } }"
REQUEST_CONNECTION = """
mutation ($input: RequestConnectionInput!) {
  requestConnection(input: $input) {
    connection { id status }
    userErrors { field code message }
  }
}
"""
ACCEPT_CONNECTION = """
mutation ($input: AnswerConnectionInput!) {
  acceptConnection(input: $input) { connection { status } userErrors { code message } }
}
"""
JOIN = """
mutation ($input: OrganizationIdInput!) {
  joinOrganization(input: $input) { membership { status } userErrors { code message } }
}
"""

DOCUMENT = {"basics": {"name": "Ada Lovelace", "label": "Engineer"}}


@pytest.fixture
def mail_settings(mail_settings: Settings) -> Settings:
    """The mail fixtures' settings with the rule on, as every deployment has it by default."""
    return dataclasses.replace(mail_settings, require_verified_email=True)


def follow_verification_link(graphql: GraphQLClient, inbox: Inbox, person: Member) -> None:
    [received] = inbox.to(person.email)
    payload = graphql.data(VERIFY_EMAIL, {"input": {"token": token(received, "verify-email")}})
    assert payload["verifyEmail"]["userErrors"] == [], payload


def assert_refused(errors: list[dict], field: str | None) -> None:
    [error] = errors
    assert error["code"] == "EMAIL_NOT_VERIFIED"
    assert error["field"] == field
    assert "link we mailed you" in error["message"]
    assert "resendVerification" in error["message"]


def import_resume(graphql: GraphQLClient, person: Member, visibility: str) -> dict:
    variables = {"input": {"document": DOCUMENT, "visibility": visibility}}
    return graphql.data(IMPORT_RESUME, variables, token=person.token)["importResume"]


def resume_count(graphql: GraphQLClient, person: Member) -> int:
    viewer = graphql.data(MY_RESUMES, token=person.token)["viewer"]
    return viewer["person"]["resumes"]["totalCount"]


def new_admin(graphql: GraphQLClient, at: Employer, name: str) -> Member:
    """A new member (not verified) whom the employer's owner invited in as ADMIN."""
    person = member(graphql, name)
    invite = {"input": {"organizationId": at.id, "email": person.email, "role": "ADMIN"}}
    invited = graphql.data(INVITE_MEMBER, invite, token=at.recruiter.token)["inviteMember"]
    assert invited["userErrors"] == [], invited
    membership = {"input": {"membershipId": invited["membership"]["id"]}}
    accepted = graphql.data(ACCEPT_INVITATION, membership, token=person.token)
    assert accepted["acceptInvitation"]["membership"] == {"status": "ACTIVE", "role": "ADMIN"}
    return person


def invitation_count(graphql: GraphQLClient, admin: Member, organization_id: str) -> int:
    slug = graphql.data(SLUG, {"id": organization_id})["node"]["slug"]
    found = graphql.data(INVITATIONS, {"slug": slug}, token=admin.token)["organization"]
    return found["invitations"]["totalCount"]


def test_the_rule_is_on_unless_the_environment_turns_it_off() -> None:
    with pytest.raises(SettingsError, match="CONFRERE_REQUIRE_VERIFIED_EMAIL"):
        Settings.from_environment({"CONFRERE_REQUIRE_VERIFIED_EMAIL": "maybe"})
    assert Settings().require_verified_email is True
    assert Settings.from_environment({}).require_verified_email is True
    assert (
        Settings.from_environment({"CONFRERE_REQUIRE_VERIFIED_EMAIL": "0"}).require_verified_email
        is False
    )
    assert (
        Settings.from_environment(
            {"CONFRERE_REQUIRE_VERIFIED_EMAIL": "true"}
        ).require_verified_email
        is True
    )


@pytest.mark.parametrize("visibility", ["EMPLOYERS", "PUBLIC"])
def test_an_unverified_account_shows_a_resume_beyond_its_circle_only_after_verifying(
    mail_graphql: GraphQLClient, inbox: Inbox, visibility: str
) -> None:
    # given a new member who has not followed the verification link
    ada = member(mail_graphql, "Ada")

    # when they import a resume for employers or the public
    refused = import_resume(mail_graphql, ada, visibility)

    # then nothing is stored, and they are told what to do
    assert refused["resume"] is None
    assert_refused(refused["userErrors"], "visibility")
    assert resume_count(mail_graphql, ada) == 0

    # when they follow the link mailed to them and import again
    follow_verification_link(mail_graphql, inbox, ada)
    published = import_resume(mail_graphql, ada, visibility)

    # then the resume is stored with that audience
    assert published["userErrors"] == []
    assert published["resume"]["visibility"] == visibility


@pytest.mark.parametrize("visibility", ["PRIVATE", "CONNECTIONS", "MEMBERS"])
def test_an_unverified_account_keeps_narrower_resumes_but_may_not_widen_them(
    mail_graphql: GraphQLClient, inbox: Inbox, visibility: str
) -> None:
    # given a new member, not verified, who imports a resume for their own circle
    ada = member(mail_graphql, "Ada")
    kept = import_resume(mail_graphql, ada, visibility)
    assert kept["userErrors"] == [] and kept["resume"]["visibility"] == visibility
    widen = {"input": {"id": kept["resume"]["id"], "visibility": "PUBLIC"}}

    # when they make it public
    refused = mail_graphql.data(SET_RESUME_VISIBILITY, widen, token=ada.token)

    # then it keeps its audience
    assert_refused(refused["setResumeVisibility"]["userErrors"], "visibility")
    assert refused["setResumeVisibility"]["resume"] is None

    # when they verify and try again, then it is public
    follow_verification_link(mail_graphql, inbox, ada)
    widened = mail_graphql.data(SET_RESUME_VISIBILITY, widen, token=ada.token)
    assert widened["setResumeVisibility"]["userErrors"] == []
    assert widened["setResumeVisibility"]["resume"]["visibility"] == "PUBLIC"


def test_verifying_earlier_in_the_same_request_counts(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    # given a new member, not verified, with the link's token
    ada = member(mail_graphql, "Ada")
    [received] = inbox.to(ada.email)
    variables = {
        "verify": {"token": token(received, "verify-email")},
        "resume": {"document": DOCUMENT, "visibility": "PUBLIC"},
    }

    # when one document verifies the address and then publishes a resume
    done = mail_graphql.data(VERIFY_THEN_IMPORT, variables, token=ada.token)

    # then both succeed
    assert done["verifyEmail"]["userErrors"] == []
    assert done["importResume"]["userErrors"] == []
    assert done["importResume"]["resume"]["visibility"] == "PUBLIC"


def test_an_unverified_recruiter_creates_and_publishes_postings_only_after_verifying(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    # given an employer whose owner has not verified their address
    globex = employer(mail_graphql, "Globex")

    # when the owner creates a posting
    refused = mail_graphql.data(CREATE_JOB, job_input(globex.id), token=globex.recruiter.token)

    # then none is created
    assert refused["createJob"]["job"] is None
    assert_refused(refused["createJob"]["userErrors"], None)

    # when they verify, then they create a draft and invite a colleague as ADMIN
    follow_verification_link(mail_graphql, inbox, globex.recruiter)
    created = mail_graphql.data(CREATE_JOB, job_input(globex.id), token=globex.recruiter.token)
    assert created["createJob"]["userErrors"] == []
    draft = {"input": {"id": created["createJob"]["job"]["id"]}}
    rick = new_admin(mail_graphql, globex, "Rick")

    # when the colleague, not verified, publishes the draft
    refused = mail_graphql.data(PUBLISH_JOB, draft, token=rick.token)

    # then it stays a draft; once they verified, it goes out (or waits for review)
    assert_refused(refused["publishJob"]["userErrors"], None)
    follow_verification_link(mail_graphql, inbox, rick)
    published = mail_graphql.data(PUBLISH_JOB, draft, token=rick.token)
    assert published["publishJob"]["userErrors"] == []
    assert published["publishJob"]["job"]["status"] in {"PUBLISHED", "PENDING_REVIEW"}


def test_an_unverified_admin_may_not_reopen_a_closed_posting(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    # given a verified employer's closed posting, and a new admin who has not verified
    globex = employer(mail_graphql, "Globex")
    follow_verification_link(mail_graphql, inbox, globex.recruiter)
    closed = {"input": {"id": job(mail_graphql, globex, "CLOSED")}}
    rick = new_admin(mail_graphql, globex, "Rick")

    # when the new admin reopens it, then it stays closed until they verify
    refused = mail_graphql.data(REOPEN_JOB, closed, token=rick.token)["reopenJob"]
    assert_refused(refused["userErrors"], None)
    follow_verification_link(mail_graphql, inbox, rick)
    reopened = mail_graphql.data(REOPEN_JOB, closed, token=rick.token)["reopenJob"]
    assert reopened["userErrors"] == [] and reopened["job"]["status"] == "PUBLISHED"


def test_an_unverified_admin_invites_by_email_only_after_verifying(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    # given a club whose owner has not verified their address
    owner = member(mail_graphql, "Owner")
    club = organization(mail_graphql, owner, "Chess Club")
    invite = {"input": {"organizationId": club, "email": "grace@example.org"}}

    # when they invite an address by email
    refused = mail_graphql.data(INVITE_MEMBER, invite, token=owner.token)

    # then no invitation is made (so none is mailed)
    assert_refused(refused["inviteMember"]["userErrors"], "email")
    assert refused["inviteMember"]["invitation"] is None
    assert invitation_count(mail_graphql, owner, club) == 0

    # when they verify and invite again, then Grace is mailed an invitation
    follow_verification_link(mail_graphql, inbox, owner)
    invited = mail_graphql.data(INVITE_MEMBER, invite, token=owner.token)
    assert invited["inviteMember"]["userErrors"] == []
    assert invited["inviteMember"]["invitation"]["email"] == "grace@example.org"
    [received] = inbox.to("grace@example.org")
    assert token(received, "invitation")


def test_an_unverified_admin_imports_a_roster_but_invites_from_it_only_after_verifying(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    # given an association whose owner has not verified their address
    owner = member(mail_graphql, "Owner")
    association = organization(mail_graphql, owner, "ETH Alumni", "ALUMNI_ASSOCIATION")
    roster = {"organizationId": association, "csv": "email\nada@example.org\n"}

    # when they import a roster asking to invite its unmatched addresses
    refused = mail_graphql.data(
        IMPORT_ROSTER, {"input": {**roster, "inviteUnmatched": True}}, token=owner.token
    )

    # then nothing is invited; importing without invitations still works
    assert_refused(refused["importRoster"]["userErrors"], "inviteUnmatched")
    assert invitation_count(mail_graphql, owner, association) == 0
    plain = mail_graphql.data(IMPORT_ROSTER, {"input": roster}, token=owner.token)
    assert plain["importRoster"]["userErrors"] == [] and plain["importRoster"]["rows"] == 1

    # when they verify and import with invitations, then Ada is invited
    follow_verification_link(mail_graphql, inbox, owner)
    invited = mail_graphql.data(
        IMPORT_ROSTER, {"input": {**roster, "inviteUnmatched": True}}, token=owner.token
    )
    assert invited["importRoster"]["userErrors"] == []
    assert invited["importRoster"]["invitationsSent"] == 1
    assert inbox.to("ada@example.org")


def test_an_unverified_account_asks_to_connect_only_after_verifying_but_may_accept(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    # given two new members, neither verified
    ada, grace = member(mail_graphql, "Ada"), member(mail_graphql, "Grace")
    ask = {"input": {"personId": grace.person_id}}

    # when Ada asks Grace to connect, then she is refused
    refused = mail_graphql.data(REQUEST_CONNECTION, ask, token=ada.token)
    assert_refused(refused["requestConnection"]["userErrors"], None)
    assert refused["requestConnection"]["connection"] is None

    # when Ada verifies and asks again, then Grace (still unverified) may accept
    follow_verification_link(mail_graphql, inbox, ada)
    asked = mail_graphql.data(REQUEST_CONNECTION, ask, token=ada.token)["requestConnection"]
    assert asked["userErrors"] == [] and asked["connection"]["status"] == "PENDING"
    accepted = mail_graphql.data(
        ACCEPT_CONNECTION, {"input": {"connectionId": asked["connection"]["id"]}}, token=grace.token
    )["acceptConnection"]
    assert accepted["userErrors"] == [] and accepted["connection"]["status"] == "ACCEPTED"


def test_an_unverified_account_joins_organizations(mail_graphql: GraphQLClient) -> None:
    # given an open club and a new member who has not verified
    owner = member(mail_graphql, "Owner")
    club = organization(mail_graphql, owner, "Chess Club")
    ada = member(mail_graphql, "Ada")

    # when Ada joins, then she is an active member
    joined = mail_graphql.data(JOIN, {"input": {"organizationId": club}}, token=ada.token)
    assert joined["joinOrganization"] == {"membership": {"status": "ACTIVE"}, "userErrors": []}


LOGIN = """
mutation ($input: LoginInput!) { login(input: $input) { token userErrors { code message } } }
"""


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_the_demo_s_accounts_count_as_verified(mail_graphql: GraphQLClient) -> None:
    from api.demo import DEMO_MEMBER_EMAIL, DEMO_PASSWORD, seed_demo

    # given the demo network, loaded with the rule on
    settings = mail_graphql.http.app.state.settings
    assert settings.require_verified_email
    mail_graphql.http.blocking_portal.call(lambda: seed_demo(settings, accounts=10, alumni=10))

    # when the demo member signs in and publishes a resume
    credentials = {"email": DEMO_MEMBER_EMAIL, "password": DEMO_PASSWORD}
    login = mail_graphql.data(LOGIN, {"input": credentials})["login"]
    ada = Member(email=DEMO_MEMBER_EMAIL, token=login["token"], account_id=0)
    published = import_resume(mail_graphql, ada, "PUBLIC")

    # then her address counts as verified, and the resume is public
    assert mail_graphql.data(MY_RESUMES, token=ada.token)["viewer"]["emailVerified"] is True
    assert published["userErrors"] == [] and published["resume"]["visibility"] == "PUBLIC"
    # and so does every demo account (the alumni are registered apart)
    assert mail_graphql.http.blocking_portal.call(_unverified_accounts) == 0


async def _unverified_accounts() -> int:
    from api.people.tables import Account

    return await Account.count().where(Account.email_verified_at.is_null())

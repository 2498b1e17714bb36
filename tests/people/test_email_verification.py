"""Email verification over HTTP: registering mails a link (received by a real SMTP server),
its token verifies the address once; used, expired and forged tokens get clear userErrors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api.core import db
from api.core.settings import Settings
from api.people.tables import AccountToken
from tests.conftest import GraphQLClient
from tests.mail.smtp import Inbox
from tests.people.mail_links import token

REGISTER = """
mutation Register($input: RegisterInput!) {
  register(input: $input) {
    token
    account { id email emailVerified }
    userErrors { field code message }
  }
}
"""

VERIFY_EMAIL = """
mutation Verify($input: VerifyEmailInput!) {
  verifyEmail(input: $input) {
    email
    account { id emailVerified }
    userErrors { field code message }
  }
}
"""

RESEND_VERIFICATION = """
mutation Resend { resendVerification { email userErrors { field code message } } }
"""

VIEWER = "query { viewer { email emailVerified } }"

PASSWORD = "correct horse battery"


def register(graphql: GraphQLClient, email: str, name: str) -> dict:
    payload = graphql.data(
        REGISTER, {"input": {"email": email, "password": PASSWORD, "name": name}}
    )["register"]
    assert payload["userErrors"] == []
    return payload


def verify(graphql: GraphQLClient, value: str, **kwargs) -> dict:
    return graphql.data(VERIFY_EMAIL, {"input": {"token": value}}, **kwargs)["verifyEmail"]


def expire_tokens(settings: Settings) -> None:
    async def work() -> None:
        past = datetime.now(UTC) - timedelta(seconds=1)
        await AccountToken.update({AccountToken.expires_at: past}, force=True)

    db.run_with_database(settings, work)


def test_registering_mails_a_link_that_verifies_the_address(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    # given a new member, not yet verified
    registered = register(mail_graphql, "ada@example.org", "Ada Lovelace")
    assert registered["account"]["emailVerified"] is False

    # when the verification email arrives
    [received] = inbox.to("ada@example.org")

    # then it is addressed to them by name, with a link to the site carrying a token
    assert received.message["Subject"] == "Confirm your email address"
    assert received.message["To"].addresses[0].display_name == "Ada Lovelace"
    assert received.message["Auto-Submitted"] == "auto-generated"
    assert "Hello Ada Lovelace," in received.part("plain")
    value = token(received, "verify-email")

    # when they follow it while signed in
    payload = verify(mail_graphql, value, token=registered["token"])

    # then the address is verified, and the account says so
    assert payload == {
        "email": "ada@example.org",
        "account": {"id": registered["account"]["id"], "emailVerified": True},
        "userErrors": [],
    }
    viewer = mail_graphql.data(VIEWER, token=registered["token"])["viewer"]
    assert viewer == {"email": "ada@example.org", "emailVerified": True}


def test_a_verification_link_works_once_and_without_signing_in(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    # given a member's verification link, followed on a device where nobody is signed in
    register(mail_graphql, "lin@example.org", "Lin")
    value = token(inbox.to("lin@example.org")[0], "verify-email")
    first = verify(mail_graphql, value)
    assert first == {"email": "lin@example.org", "account": None, "userErrors": []}

    # when the same link is followed again
    again = verify(mail_graphql, value)

    # then it is refused as used
    assert again["email"] is None
    assert [(e["field"], e["code"]) for e in again["userErrors"]] == [("token", "TOKEN_USED")]
    assert "used already" in again["userErrors"][0]["message"]


def test_forged_and_expired_tokens_are_refused_with_what_to_do(
    mail_graphql: GraphQLClient, mail_settings: Settings, inbox: Inbox
) -> None:
    # given a real verification token
    registered = register(mail_graphql, "kim@example.org", "Kim")
    value = token(inbox.to("kim@example.org")[0], "verify-email")
    identifier, _, mac = value.partition(".")

    # when forged ones are tried: altered signature, altered id, garbage, empty
    forged = [
        f"{identifier}.{mac[:-2]}{'AA' if mac[-2:] != 'AA' else 'BB'}",
        f"{'A' * len(identifier)}.{mac}",
        "not-a-token",
        "",
        value + "x",
    ]
    for attempt in forged:
        payload = verify(mail_graphql, attempt)
        # then each is refused as not one the server sent, and nothing is verified
        assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
            ("token", "INVALID_TOKEN")
        ], attempt
        assert "resendVerification" in payload["userErrors"][0]["message"]
    assert mail_graphql.data(VIEWER, token=registered["token"])["viewer"]["emailVerified"] is False

    # when the real one has expired
    expire_tokens(mail_settings)
    payload = verify(mail_graphql, value)

    # then it is refused as expired, and the address stays unverified
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [("token", "TOKEN_EXPIRED")]
    assert mail_graphql.data(VIEWER, token=registered["token"])["viewer"]["emailVerified"] is False


def test_resending_mails_a_new_link_until_the_address_is_verified(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    # given a member whose first link went missing
    registered = register(mail_graphql, "bo@example.org", "Bo")
    first = token(inbox.to("bo@example.org")[0], "verify-email")

    # when they ask for another
    payload = mail_graphql.data(RESEND_VERIFICATION, token=registered["token"])
    assert payload["resendVerification"] == {"email": "bo@example.org", "userErrors": []}

    # then a second message with a different token arrives, and it verifies
    second = token(inbox.to("bo@example.org", count=2)[1], "verify-email")
    assert second != first
    assert verify(mail_graphql, second)["userErrors"] == []

    # and once verified, resending is refused
    payload = mail_graphql.data(RESEND_VERIFICATION, token=registered["token"])
    assert payload["resendVerification"]["userErrors"][0]["code"] == "ALREADY_VERIFIED"


def test_resending_needs_a_signed_in_account(mail_graphql: GraphQLClient) -> None:
    body = mail_graphql.execute(RESEND_VERIFICATION)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_resending_is_limited_per_account(mail_graphql: GraphQLClient, inbox: Inbox) -> None:
    # given a member who asks again and again
    registered = register(mail_graphql, "eve@example.org", "Eve")
    answers = [
        mail_graphql.data(RESEND_VERIFICATION, token=registered["token"])["resendVerification"]
        for _ in range(6)
    ]

    # then five more messages are sent and the sixth request is refused for a while
    assert [a["userErrors"] for a in answers[:5]] == [[]] * 5
    [error] = answers[5]["userErrors"]
    assert error["code"] == "TOO_MANY_ATTEMPTS" and "try again in" in error["message"]
    assert len(inbox.to("eve@example.org", count=6)) == 6  # the registration's and five

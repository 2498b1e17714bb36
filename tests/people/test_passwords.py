"""Password reset and change over HTTP, with the mail read from a real SMTP server: no
account enumeration, single-use expiring links, sessions signed out, limits per address."""

from __future__ import annotations

from api.core.settings import Settings
from tests.conftest import GraphQLClient
from tests.mail.smtp import Inbox
from tests.people.mail_links import token
from tests.people.test_email_verification import PASSWORD, expire_tokens, register

REQUEST_PASSWORD_RESET = """
mutation Request($input: RequestPasswordResetInput!) {
  requestPasswordReset(input: $input) { userErrors { field code message } }
}
"""

RESET_PASSWORD = """
mutation Reset($input: ResetPasswordInput!) {
  resetPassword(input: $input) { revokedSessions userErrors { field code message } }
}
"""

CHANGE_PASSWORD = """
mutation Change($input: ChangePasswordInput!) {
  changePassword(input: $input) { revokedSessions userErrors { field code message } }
}
"""

LOGIN = """
mutation Login($input: LoginInput!) {
  login(input: $input) { token userErrors { code } }
}
"""

VIEWER = "query { viewer { email emailVerified } }"

NEW_PASSWORD = "a much better passphrase"


def request_reset(graphql: GraphQLClient, email: str) -> dict:
    body = graphql.execute(REQUEST_PASSWORD_RESET, {"input": {"email": email}})
    assert "errors" not in body
    return body


def reset(graphql: GraphQLClient, value: str, password: str = NEW_PASSWORD) -> dict:
    return graphql.data(RESET_PASSWORD, {"input": {"token": value, "newPassword": password}})[
        "resetPassword"
    ]


def login(graphql: GraphQLClient, email: str, password: str) -> str | None:
    payload = graphql.data(LOGIN, {"input": {"email": email, "password": password}})["login"]
    return payload["token"]


def codes(payload: dict) -> list[tuple[str | None, str]]:
    return [(e["field"], e["code"]) for e in payload["userErrors"]]


def test_a_reset_link_sets_a_new_password_and_signs_every_session_out(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    # given a member signed in on two devices, who forgot the password
    registered = register(mail_graphql, "ada@example.org", "Ada")
    other_device = login(mail_graphql, "ada@example.org", PASSWORD)

    # when they ask for a reset (in other letters' case) and follow the mailed link
    assert request_reset(mail_graphql, " ADA@example.org ")["data"] == {
        "requestPasswordReset": {"userErrors": []}
    }
    received = inbox.to("ada@example.org", count=2)[1]
    assert received.message["Subject"] == "Reset your password"
    assert "expires in 1 hour" in received.part("plain")
    payload = reset(mail_graphql, token(received, "reset-password"))

    # then both sessions are signed out, and only the new password logs in
    assert payload == {"revokedSessions": 2, "userErrors": []}
    for old in (registered["token"], other_device):
        assert mail_graphql.post(VIEWER, token=old).status_code == 401
    assert login(mail_graphql, "ada@example.org", PASSWORD) is None
    fresh = login(mail_graphql, "ada@example.org", NEW_PASSWORD)
    # and following the link proved the address
    assert mail_graphql.data(VIEWER, token=fresh)["viewer"]["emailVerified"] is True
    # and a notice tells the owner
    notice = inbox.to("ada@example.org", count=3)[2]
    assert notice.message["Subject"] == "Your password was changed"
    assert "signed out" in notice.part("plain")


def test_the_answer_is_the_same_whether_or_not_an_account_uses_the_address(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    # given one registered address and one nobody uses
    register(mail_graphql, "lin@example.org", "Lin")

    # when a reset is asked for each
    known = mail_graphql.post(REQUEST_PASSWORD_RESET, {"input": {"email": "lin@example.org"}})
    unknown = mail_graphql.post(REQUEST_PASSWORD_RESET, {"input": {"email": "nobody@example.org"}})

    # then the answers are byte for byte the same
    assert (known.status_code, known.content) == (unknown.status_code, unknown.content)
    # and only the account's owner receives a message
    inbox.to("lin@example.org", count=2)
    assert not [r for r in inbox.received if "nobody@example.org" in r.rcpt_tos]


def test_a_reset_link_works_once_and_a_password_change_kills_older_ones(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    # given two reset links asked for one after the other
    register(mail_graphql, "kim@example.org", "Kim")
    request_reset(mail_graphql, "kim@example.org")
    request_reset(mail_graphql, "kim@example.org")
    _, first, second = inbox.to("kim@example.org", count=3)
    first, second = token(first, "reset-password"), token(second, "reset-password")

    # when the first is used twice
    assert reset(mail_graphql, first)["userErrors"] == []
    again = reset(mail_graphql, first, "yet another passphrase")

    # then the second use is refused as used
    assert codes(again) == [("token", "TOKEN_USED")]
    # and the other link died with the change
    assert codes(reset(mail_graphql, second, "yet another passphrase")) == [("token", "TOKEN_USED")]
    assert login(mail_graphql, "kim@example.org", NEW_PASSWORD) is not None


def test_a_weak_new_password_does_not_spend_the_link(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    register(mail_graphql, "bo@example.org", "Bo")
    request_reset(mail_graphql, "bo@example.org")
    value = token(inbox.to("bo@example.org", count=2)[1], "reset-password")

    # when the new password is too short, then it is refused on its field
    assert codes(reset(mail_graphql, value, "short")) == [("newPassword", "PASSWORD_TOO_SHORT")]
    # and the link still works
    assert reset(mail_graphql, value)["userErrors"] == []


def test_expired_forged_and_cross_purpose_tokens_are_refused(
    mail_graphql: GraphQLClient, mail_settings: Settings, inbox: Inbox
) -> None:
    # given a verification token (mailed at registration) and a reset token
    register(mail_graphql, "eve@example.org", "Eve")
    verification = token(inbox.to("eve@example.org")[0], "verify-email")
    request_reset(mail_graphql, "eve@example.org")
    value = token(inbox.to("eve@example.org", count=2)[1], "reset-password")

    # then a verification token does not reset a password, nor does a forged one
    assert codes(reset(mail_graphql, verification)) == [("token", "INVALID_TOKEN")]
    assert codes(reset(mail_graphql, value[:-1] + ("A" if value[-1] != "A" else "B"))) == [
        ("token", "INVALID_TOKEN")
    ]
    # and once the hour has passed, the real one is refused as expired
    expire_tokens(mail_settings)
    refused = reset(mail_graphql, value)
    assert codes(refused) == [("token", "TOKEN_EXPIRED")]
    assert "requestPasswordReset" in refused["userErrors"][0]["message"]
    assert login(mail_graphql, "eve@example.org", PASSWORD) is not None


def test_reset_requests_are_limited_per_address_alike_for_unknown_addresses(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    # given a registered address and an unknown one, each asked for six times
    register(mail_graphql, "max@example.org", "Max")
    answers = {
        email: [request_reset(mail_graphql, email) for _ in range(6)]
        for email in ("max@example.org", "ghost@example.org")
    }

    # then for both the first five are accepted and the sixth is refused for a while,
    # in the same words
    for email, bodies in answers.items():
        assert [b["data"]["requestPasswordReset"]["userErrors"] for b in bodies[:5]] == [[]] * 5
        [error] = bodies[5]["data"]["requestPasswordReset"]["userErrors"]
        assert error["code"] == "TOO_MANY_ATTEMPTS", email
    assert answers["max@example.org"][5] == answers["ghost@example.org"][5]
    # and the registered one received five links besides its verification
    assert len(inbox.to("max@example.org", count=6)) == 6


def test_changing_the_password_signs_the_other_sessions_out(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    # given a member signed in on two devices
    registered = register(mail_graphql, "ana@example.org", "Ana")
    other_device = login(mail_graphql, "ana@example.org", PASSWORD)

    # when a wrong current password is given, then nothing changes
    wrong = mail_graphql.data(
        CHANGE_PASSWORD,
        {"input": {"currentPassword": "not my password", "newPassword": NEW_PASSWORD}},
        token=registered["token"],
    )["changePassword"]
    assert codes(wrong) == [("currentPassword", "INVALID_CREDENTIALS")]
    assert mail_graphql.post(VIEWER, token=other_device).status_code == 200

    # when the right one is given
    changed = mail_graphql.data(
        CHANGE_PASSWORD,
        {"input": {"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD}},
        token=registered["token"],
    )["changePassword"]

    # then the other device is signed out and this one stays signed in
    assert changed == {"revokedSessions": 1, "userErrors": []}
    assert mail_graphql.post(VIEWER, token=other_device).status_code == 401
    assert mail_graphql.data(VIEWER, token=registered["token"])["viewer"]["email"] == (
        "ana@example.org"
    )
    assert login(mail_graphql, "ana@example.org", PASSWORD) is None
    assert login(mail_graphql, "ana@example.org", NEW_PASSWORD) is not None
    # and the owner is told
    notice = inbox.to("ana@example.org", count=2)[1]
    assert notice.message["Subject"] == "Your password was changed"


def test_changing_the_password_needs_a_signed_in_account_and_a_valid_new_one(
    mail_graphql: GraphQLClient,
) -> None:
    body = mail_graphql.execute(
        CHANGE_PASSWORD, {"input": {"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD}}
    )
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    registered = register(mail_graphql, "zed@example.org", "Zed")
    short = mail_graphql.data(
        CHANGE_PASSWORD,
        {"input": {"currentPassword": PASSWORD, "newPassword": "short"}},
        token=registered["token"],
    )["changePassword"]
    assert codes(short) == [("newPassword", "PASSWORD_TOO_SHORT")]
    assert login(mail_graphql, "zed@example.org", PASSWORD) is not None

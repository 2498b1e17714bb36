"""changeEmail over HTTP with a real SMTP server: the new address gets a link, the account
moves only when it is followed (verifyEmail), and the old address is told."""

from __future__ import annotations

from tests.conftest import GraphQLClient
from tests.mail.smtp import Inbox
from tests.people.mail_links import token
from tests.people.test_email_verification import PASSWORD, VIEWER, register, verify

CHANGE_EMAIL = """
mutation ($input: ChangeEmailInput!) {
  changeEmail(input: $input) { email userErrors { field code message } }
}
"""
LOGIN = "mutation ($input: LoginInput!) { login(input: $input) { token userErrors { code } } }"


def change(graphql: GraphQLClient, session: str, new_email: str, password: str = PASSWORD):
    variables = {"input": {"newEmail": new_email, "currentPassword": password}}
    return graphql.data(CHANGE_EMAIL, variables, token=session)["changeEmail"]


def test_the_account_moves_when_the_new_address_confirms_and_the_old_one_is_told(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    # given a member
    session = register(mail_graphql, "ada@example.org", "Ada Lovelace")["token"]

    # when they ask to move to a new address
    asked = change(mail_graphql, session, " Ada@New.example ")

    # then a link goes to the new address, and the account keeps the old one meanwhile
    assert asked == {"email": "ada@new.example", "userErrors": []}
    [confirmation] = inbox.to("ada@new.example")
    assert confirmation.message["Subject"] == "Confirm your new email address"
    assert mail_graphql.data(VIEWER, token=session)["viewer"]["email"] == "ada@example.org"

    # when the link is followed
    verified = verify(mail_graphql, token(confirmation, "verify-email"))

    # then the account uses the new address, verified, and the old address is told
    assert verified["userErrors"] == [] and verified["email"] == "ada@new.example"
    assert mail_graphql.data(VIEWER, token=session)["viewer"] == {
        "email": "ada@new.example",
        "emailVerified": True,
    }
    notices = [r for r in inbox.to("ada@example.org", count=2) if "changed" in r.message["Subject"]]
    [notice] = notices
    assert "its address is now ada@new.example" in notice.part("plain")
    # and logging in works with the new address only
    for email, errors in (("ada@new.example", []), ("ada@example.org", ["INVALID_CREDENTIALS"])):
        login = {"input": {"email": email, "password": PASSWORD}}
        answer = mail_graphql.data(LOGIN, login)["login"]
        assert [e["code"] for e in answer["userErrors"]] == errors
    # and the link does not work twice
    again = verify(mail_graphql, token(confirmation, "verify-email"))
    assert [e["code"] for e in again["userErrors"]] == ["TOKEN_USED"]


def test_a_change_needs_the_password_a_free_address_and_a_new_one(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    # given two members
    session = register(mail_graphql, "ada@example.org", "Ada Lovelace")["token"]
    register(mail_graphql, "grace@example.org", "Grace Hopper")

    # when Ada asks with a wrong password, for Grace's address, for her own, for a non-address
    wrong = change(mail_graphql, session, "ada@new.example", password="not my password")
    taken = change(mail_graphql, session, "grace@example.org")
    same = change(mail_graphql, session, "ada@example.org")
    invalid = change(mail_graphql, session, "ada")

    # then each is refused with its code, and nothing was mailed to the new address
    assert [(e["field"], e["code"]) for e in wrong["userErrors"]] == [
        ("currentPassword", "INVALID_CREDENTIALS")
    ]
    assert [(e["field"], e["code"]) for e in taken["userErrors"]] == [("newEmail", "EMAIL_TAKEN")]
    assert [e["code"] for e in same["userErrors"]] == ["INVALID_EMAIL"]
    assert [e["code"] for e in invalid["userErrors"]] == ["INVALID_EMAIL"]
    assert all("ada@new.example" not in r.rcpt_tos for r in inbox.wait_for(2))


def test_the_change_fails_when_someone_took_the_address_meanwhile(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    # given a change asked for, and someone who registers the new address before it is confirmed
    session = register(mail_graphql, "ada@example.org", "Ada Lovelace")["token"]
    change(mail_graphql, session, "shared@example.org")
    [confirmation] = inbox.to("shared@example.org")
    register(mail_graphql, "shared@example.org", "Someone Else")

    # when Ada follows the link
    refused = verify(mail_graphql, token(confirmation, "verify-email"))

    # then it is refused, and her account keeps its address
    assert [e["code"] for e in refused["userErrors"]] == ["EMAIL_TAKEN"]
    assert mail_graphql.data(VIEWER, token=session)["viewer"]["email"] == "ada@example.org"

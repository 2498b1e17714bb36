"""A message still unread after CONFRERE_MESSAGE_EMAIL_DELAY_MINUTES is emailed to its
recipient (the default choice for MESSAGE_RECEIVED), with the sender's name and the first
line only; one read in time is not. Through a real SMTP server, on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from api.core.settings import Settings
from tests.conftest import GraphQLClient
from tests.factories import Member, connect
from tests.mail.smtp import Inbox, Received, SmtpServer, inbox, mail_graphql, mail_http, smtp_server
from tests.messaging.helpers import send, started
from tests.notifications.test_email import verified

__all__ = ["inbox", "mail_graphql", "mail_http", "smtp_server"]

#: Seconds a message waits unread before it is emailed, in these tests.
DELAY = 3
MARK_READ = """
mutation ($input: ConversationInput!) {
  markConversationRead(input: $input) { conversation { unreadCount } userErrors { code } }
}
"""


def about_messages(inbox: Inbox, address: str) -> list[Received]:
    """The emails about new messages `address` received so far."""
    return [
        m
        for m in list(inbox.received)
        if address in m.rcpt_tos and "message" in str(m.message["Subject"])
    ]


def first_about_messages(inbox: Inbox, address: str, timeout: float) -> Received:
    deadline = time.monotonic() + timeout
    while not (found := about_messages(inbox, address)):
        assert time.monotonic() < deadline, f"no email about messages to {address}"
        time.sleep(0.1)
    return found[0]


def connected(graphql: GraphQLClient, inbox: Inbox, *names: str) -> list[Member]:
    """Members of these names, each with a verified address, the first connected to each of
    the others (so that they may write to each other)."""
    first, *others = [verified(graphql, inbox, name) for name in names]
    for other in others:
        connect(graphql, first, other)
    return [first, *others]


@pytest.fixture
def mail_settings(settings: Settings, smtp_server: SmtpServer) -> Settings:
    return replace(
        settings,
        smtp_url=smtp_server.url,
        mail_from="Confrere Test <no-reply@confrere.test>",
        site_url="https://network.example.org/",
        message_email_delay_seconds=DELAY,
    )


def test_an_unread_message_is_emailed_after_the_delay_with_its_first_line_only(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    graphql = mail_graphql
    grace, ada, bob = connected(graphql, inbox, "Grace Hopper", "Ada Lovelace", "Bob Meier")

    # Grace writes to Ada (who leaves it unread) and to Bob, who reads it at once
    sent_at = time.monotonic()
    started(
        graphql,
        grace,
        ada,
        message="Lunch on **Friday**?\n\nThe secret plan: the analytical engine, part two.",
    )
    to_bob = started(graphql, grace, bob, message="A word about the engine")
    read = graphql.data(MARK_READ, {"input": {"conversationId": to_bob}}, token=bob.token)
    assert read["markConversationRead"]["userErrors"] == []

    # Ada's email comes after the delay, not before; it says who and the first line only
    mail = first_about_messages(inbox, ada.email, timeout=DELAY + 20)
    assert time.monotonic() - sent_at >= DELAY - 0.5
    assert mail.message["Subject"] == "Grace Hopper sent you a message"
    text = mail.part("plain")
    assert "Grace Hopper sent you a message: “Lunch on **Friday**?”" in text
    assert "secret plan" not in text and "secret plan" not in mail.part("html")
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Bob read his in time: no email, even well after the delay and the mailer's next look
    time.sleep(DELAY + 6)
    assert about_messages(inbox, bob.email) == []
    assert len(about_messages(inbox, ada.email)) == 1


def test_a_conversation_written_on_gets_one_email_for_the_latest_message(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    graphql = mail_graphql
    grace, ada = connected(graphql, inbox, "Grace Hopper", "Ada Lovelace")

    conversation = started(graphql, grace, ada, message="First")
    for body in ("Second", "Third, the latest"):
        assert send(graphql, grace, conversation, body)["userErrors"] == []

    mail = first_about_messages(inbox, ada.email, timeout=DELAY + 20)
    assert mail.message["Subject"] == "3 new messages, the latest from Grace Hopper"
    assert "“Third, the latest”" in mail.part("plain")
    time.sleep(6)
    assert len(about_messages(inbox, ada.email)) == 1


EDIT = """
mutation ($input: EditMessageInput!) {
  editMessage(input: $input) { message { id } userErrors { field code message } }
}
"""
DELETE = """
mutation ($input: DeleteMessageInput!) {
  deleteMessage(input: $input) { message { id } userErrors { field code message } }
}
"""
LATEST = """
query ($id: ID!) { node(id: $id) { ... on Conversation { lastMessage { id } } } }
"""


def test_an_email_shows_the_latest_message_as_edited_and_nothing_of_a_deleted_one(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    graphql = mail_graphql
    grace, ada, bob = connected(graphql, inbox, "Grace Hopper", "Ada Lovelace", "Bob Meier")

    def latest(conversation: str) -> str:
        node = graphql.data(LATEST, {"id": conversation}, token=grace.token)["node"]
        return str(node["lastMessage"]["id"])

    # Grace corrects her message to Ada, and takes back the one to Bob
    to_ada = started(graphql, grace, ada, message="Lunch on Thursday?")
    edited = graphql.data(
        EDIT,
        {"input": {"messageId": latest(to_ada), "body": "Lunch on Friday?"}},
        token=grace.token,
    )["editMessage"]
    assert edited["userErrors"] == []
    to_bob = started(graphql, grace, bob, message="Oops: the wrong person's secret")
    deleted = graphql.data(DELETE, {"input": {"messageId": latest(to_bob)}}, token=grace.token)[
        "deleteMessage"
    ]
    assert deleted["userErrors"] == []

    # The emails show the message as it is now: edited, or nothing of it
    to_ada_mail = first_about_messages(inbox, ada.email, timeout=DELAY + 20)
    assert "“Lunch on Friday?”" in to_ada_mail.part("plain")
    assert "Thursday" not in to_ada_mail.part("plain")
    to_bob_mail = first_about_messages(inbox, bob.email, timeout=DELAY + 20)
    for part in ("plain", "html"):
        assert "secret" not in to_bob_mail.part(part)
    assert to_bob_mail.message["Subject"] == "Grace Hopper sent you a message"

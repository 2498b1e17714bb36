"""Operations and set-up shared by the messaging tests."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQLClient
from tests.factories import Member

START = """
mutation ($input: StartConversationInput!) {
  startConversation(input: $input) {
    conversation { id kind isRequest requestStatus viewerRequestStatus }
    userErrors { field code message }
  }
}
"""
SEND = """
mutation ($input: SendMessageInput!) {
  sendMessage(input: $input) { message { id body bodyHtml } userErrors { field code message } }
}
"""
CONVERSATIONS = """
query ($first: Int, $after: String, $archived: Boolean) {
  viewer {
    unreadMessageCount
    conversations(first: $first, after: $after, archived: $archived) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id unreadCount archived muted lastMessage { id body authorName } } }
    }
  }
}
"""
BLOCK = """
mutation ($input: PersonIdInput!) { blockPerson(input: $input) { userErrors { code } } }
"""
SET_PREFERENCE = """
mutation ($input: SetMessagingPreferencesInput!) {
  setMessagingPreferences(input: $input) { audience userErrors { code } }
}
"""
EXCLUDE = """
mutation ($input: SetResumeExclusionsInput!) {
  setResumeExclusions(input: $input) { userErrors { code } }
}
"""


def start(
    graphql: GraphQLClient,
    sender: Member,
    *recipients: Member,
    message: str = "Hello!",
    **extra: Any,
) -> dict[str, Any]:
    """startConversation's payload."""
    variables = {
        "input": {"participantIds": [r.person_id for r in recipients], "message": message, **extra}
    }
    return graphql.data(START, variables, token=sender.token)["startConversation"]


def started(graphql: GraphQLClient, sender: Member, *recipients: Member, **extra: Any) -> str:
    """The id of a conversation that must start."""
    payload = start(graphql, sender, *recipients, **extra)
    assert payload["userErrors"] == [], payload
    return payload["conversation"]["id"]


def send(graphql: GraphQLClient, sender: Member, conversation_id: str, body: str) -> dict[str, Any]:
    variables = {"input": {"conversationId": conversation_id, "body": body}}
    return graphql.data(SEND, variables, token=sender.token)["sendMessage"]


def conversations(graphql: GraphQLClient, who: Member, **variables: Any) -> dict[str, Any]:
    return graphql.data(CONVERSATIONS, variables, token=who.token)["viewer"]


def prefer(graphql: GraphQLClient, who: Member, audience: str) -> None:
    payload = graphql.data(SET_PREFERENCE, {"input": {"audience": audience}}, token=who.token)
    assert payload["setMessagingPreferences"] == {"audience": audience, "userErrors": []}


def block(graphql: GraphQLClient, blocker: Member, blocked: Member) -> None:
    payload = graphql.data(BLOCK, {"input": {"personId": blocked.person_id}}, token=blocker.token)
    assert payload["blockPerson"]["userErrors"] == []


def exclude(graphql: GraphQLClient, who: Member, organization_id: str) -> None:
    payload = graphql.data(
        EXCLUDE, {"input": {"organizationIds": [organization_id]}}, token=who.token
    )
    assert payload["setResumeExclusions"]["userErrors"] == []


def resume(name: str) -> dict[str, Any]:
    return {
        "basics": {"name": name, "label": "Developer"},
        "skills": [{"name": "Python"}],
    }

"""Messages over HTTP: Markdown rendered and sanitized, edits within 15 minutes, deletes for
everyone, read state and unread counts, pagination newest first, archive and mute, the
MESSAGE_RECEIVED notification, and application threads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.conftest import GraphQLClient
from tests.factories import (
    Member,
    connect,
    database_id,
    employer,
    global_id,
    import_resume,
    job,
    member,
)
from tests.messaging.helpers import conversations, resume, send, started

EDIT = """
mutation ($input: EditMessageInput!) {
  editMessage(input: $input) { message { id body editedAt } userErrors { field code message } }
}
"""
DELETE = """
mutation ($input: DeleteMessageInput!) {
  deleteMessage(input: $input) {
    message { id body bodyHtml deleted } userErrors { field code message }
  }
}
"""
MARK_READ = """
mutation ($input: ConversationInput!) {
  markConversationRead(input: $input) { conversation { unreadCount } userErrors { code } }
}
"""
ARCHIVE = """
mutation ($input: ArchiveConversationInput!) {
  archiveConversation(input: $input) { conversation { archived } userErrors { code } }
}
"""
MUTE = """
mutation ($input: MuteConversationInput!) {
  muteConversation(input: $input) { conversation { muted } userErrors { code } }
}
"""
MESSAGES = """
query ($id: ID!, $first: Int, $after: String) {
  conversation(id: $id) {
    messages(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { body deleted } }
    }
  }
}
"""
NOTIFICATIONS = (
    "{ viewer { notifications { edges { node { kind count read message subjectId } } } } }"
)
APPLY = """
mutation ($input: ApplyToJobInput!) {
  applyToJob(input: $input) { application { id } userErrors { code } }
}
"""
APPLICATION_THREAD = """
query ($id: ID!) { node(id: $id) { ... on Application { conversation { id } } } }
"""
START_THREAD = """
mutation ($input: StartApplicationConversationInput!) {
  startApplicationConversation(input: $input) {
    conversation { id kind applicationId participants { name } } userErrors { field code message }
  }
}
"""


def _pair(graphql: GraphQLClient) -> tuple[Member, Member, str]:
    sam, rae = member(graphql, "Sam"), member(graphql, "Rae")
    connect(graphql, sam, rae)
    return sam, rae, started(graphql, sam, rae, message="First")


def _message(graphql: GraphQLClient, who: Member, conversation: str, body: str) -> str:
    payload = send(graphql, who, conversation, body)
    assert payload["userErrors"] == [], payload
    return payload["message"]["id"]


def _codes(payload: dict[str, Any]) -> list[str]:
    return [error["code"] for error in payload["userErrors"]]


def test_markdown_is_rendered_and_links_are_marked_ugc(graphql: GraphQLClient) -> None:
    sam, _, conversation = _pair(graphql)
    payload = send(
        graphql, sam, conversation, "**Hi** [site](https://example.org) <script>x</script>"
    )
    html = payload["message"]["bodyHtml"]
    assert "<strong>Hi</strong>" in html
    assert 'rel="nofollow noopener ugc"' in html
    assert "<script>" not in html
    assert _codes(send(graphql, sam, conversation, "   ")) == ["EMPTY_MESSAGE"]


def test_edits_by_the_author_within_fifteen_minutes(graphql: GraphQLClient) -> None:
    sam, rae, conversation = _pair(graphql)
    message = _message(graphql, sam, conversation, "Helo")
    # the author fixes it
    edited = graphql.data(EDIT, {"input": {"messageId": message, "body": "Hello"}}, token=sam.token)
    assert edited["editMessage"]["message"]["body"] == "Hello"
    assert edited["editMessage"]["message"]["editedAt"] is not None
    # nobody else may
    other = graphql.data(EDIT, {"input": {"messageId": message, "body": "x"}}, token=rae.token)
    assert _codes(other["editMessage"]) == ["NOT_AUTHOR"]
    # a stranger cannot even see it
    stranger = member(graphql, "Stranger")
    hidden = graphql.data(
        EDIT, {"input": {"messageId": message, "body": "x"}}, token=stranger.token
    )
    assert _codes(hidden["editMessage"]) == ["NOT_FOUND"]

    # sixteen minutes on, it is too late
    async def age() -> None:
        from api.messaging.tables import Message

        await Message.update({Message.created_at: datetime.now(UTC) - timedelta(minutes=16)}).where(
            Message.id == database_id(message)
        )

    graphql.http.blocking_portal.call(age)
    late = graphql.data(EDIT, {"input": {"messageId": message, "body": "Hi"}}, token=sam.token)
    assert _codes(late["editMessage"]) == ["EDIT_WINDOW_PASSED"]


def test_a_deleted_message_is_gone_for_everyone(graphql: GraphQLClient) -> None:
    sam, rae, conversation = _pair(graphql)
    message = _message(graphql, sam, conversation, "Oops, secret")
    assert _codes(
        graphql.data(DELETE, {"input": {"messageId": message}}, token=rae.token)["deleteMessage"]
    ) == ["NOT_AUTHOR"]
    deleted = graphql.data(DELETE, {"input": {"messageId": message}}, token=sam.token)[
        "deleteMessage"
    ]
    assert deleted["message"] == {"id": message, "body": None, "bodyHtml": None, "deleted": True}
    seen = graphql.data(MESSAGES, {"id": conversation}, token=rae.token)["conversation"]
    assert seen["messages"]["edges"][0] == {"node": {"body": None, "deleted": True}}
    # nor can it be edited or deleted again
    again = graphql.data(DELETE, {"input": {"messageId": message}}, token=sam.token)[
        "deleteMessage"
    ]
    assert _codes(again) == ["MESSAGE_DELETED"]


def test_read_state_and_unread_counts(graphql: GraphQLClient) -> None:
    sam, rae, conversation = _pair(graphql)
    _message(graphql, sam, conversation, "Two")
    _message(graphql, sam, conversation, "Three")
    # Rae has three unread, Sam (the author) none
    rae_view = conversations(graphql, rae)
    assert rae_view["unreadMessageCount"] == 3
    assert rae_view["conversations"]["edges"][0]["node"]["unreadCount"] == 3
    assert rae_view["conversations"]["edges"][0]["node"]["lastMessage"]["body"] == "Three"
    assert conversations(graphql, sam)["unreadMessageCount"] == 0
    # a deleted message no longer counts
    last = _message(graphql, sam, conversation, "Four")
    graphql.data(DELETE, {"input": {"messageId": last}}, token=sam.token)
    assert conversations(graphql, rae)["unreadMessageCount"] == 3
    # marking read clears it; Rae's reply is unread for Sam
    read = graphql.data(MARK_READ, {"input": {"conversationId": conversation}}, token=rae.token)
    assert read["markConversationRead"] == {"conversation": {"unreadCount": 0}, "userErrors": []}
    assert conversations(graphql, rae)["unreadMessageCount"] == 0
    _message(graphql, rae, conversation, "Reply")
    assert conversations(graphql, sam)["unreadMessageCount"] == 1
    assert conversations(graphql, rae)["unreadMessageCount"] == 0


def test_messages_page_newest_first(graphql: GraphQLClient) -> None:
    sam, rae, conversation = _pair(graphql)
    for n in range(2, 6):
        _message(graphql, sam, conversation, f"Message {n}")
    first = graphql.data(MESSAGES, {"id": conversation, "first": 3}, token=rae.token)
    page = first["conversation"]["messages"]
    assert [e["node"]["body"] for e in page["edges"]] == ["Message 5", "Message 4", "Message 3"]
    assert page["totalCount"] == 5
    assert page["pageInfo"]["hasNextPage"] is True
    variables = {"id": conversation, "first": 3, "after": page["pageInfo"]["endCursor"]}
    rest = graphql.data(MESSAGES, variables, token=rae.token)["conversation"]["messages"]
    assert [e["node"]["body"] for e in rest["edges"]] == ["Message 2", "First"]
    assert rest["pageInfo"]["hasNextPage"] is False
    # a stranger sees no such conversation
    stranger = member(graphql, "Stranger")
    assert graphql.data(MESSAGES, {"id": conversation}, token=stranger.token) == {
        "conversation": None
    }


def test_conversations_page_by_newest_message(graphql: GraphQLClient) -> None:
    sam = member(graphql, "Sam")
    friends = [member(graphql, f"Friend {n}") for n in range(3)]
    ids = []
    for friend in friends:
        connect(graphql, sam, friend)
        ids.append(started(graphql, sam, friend))
    _message(graphql, sam, ids[0], "Bump")  # the first conversation is the newest now
    page = conversations(graphql, sam, first=2)["conversations"]
    assert [e["node"]["id"] for e in page["edges"]] == [ids[0], ids[2]]
    assert page["totalCount"] == 3
    rest = conversations(graphql, sam, first=2, after=page["pageInfo"]["endCursor"])
    assert [e["node"]["id"] for e in rest["conversations"]["edges"]] == [ids[1]]
    # starting again with the same person continues the one conversation
    assert started(graphql, sam, friends[1], message="Again") == ids[1]


def test_archive_and_mute_per_participant_with_undo(graphql: GraphQLClient) -> None:
    sam, rae, conversation = _pair(graphql)
    variables = {"input": {"conversationId": conversation}}
    archived = graphql.data(ARCHIVE, variables, token=rae.token)["archiveConversation"]
    assert archived == {"conversation": {"archived": True}, "userErrors": []}
    assert conversations(graphql, rae)["conversations"]["edges"] == []
    assert len(conversations(graphql, rae, archived=True)["conversations"]["edges"]) == 1
    assert len(conversations(graphql, sam)["conversations"]["edges"]) == 1  # Sam's own
    # undo
    back = {"input": {"conversationId": conversation, "archived": False}}
    graphql.data(ARCHIVE, back, token=rae.token)
    assert len(conversations(graphql, rae)["conversations"]["edges"]) == 1
    # a new message brings an archived conversation back
    graphql.data(ARCHIVE, variables, token=rae.token)
    _message(graphql, sam, conversation, "Still there?")
    assert len(conversations(graphql, rae)["conversations"]["edges"]) == 1

    # muted: no notification of new messages; unmuted: notified again
    def message_notifications() -> list[dict[str, Any]]:
        body = graphql.data(NOTIFICATIONS, token=rae.token)["viewer"]["notifications"]["edges"]
        return [e["node"] for e in body if e["node"]["kind"] == "MESSAGE_RECEIVED"]

    assert message_notifications()[0]["count"] == 2
    assert message_notifications()[0]["subjectId"] == conversation
    assert message_notifications()[0]["message"] == "2 new messages, the latest from Sam"
    muted = graphql.data(MUTE, variables, token=rae.token)["muteConversation"]
    assert muted == {"conversation": {"muted": True}, "userErrors": []}
    _message(graphql, sam, conversation, "Muted")
    assert message_notifications()[0]["count"] == 2
    graphql.data(MUTE, {"input": {"conversationId": conversation, "muted": False}}, token=rae.token)
    _message(graphql, sam, conversation, "Unmuted")
    assert message_notifications()[0]["count"] == 3
    # reading the conversation reads its notification too
    assert message_notifications()[0]["read"] is False
    graphql.data(MARK_READ, variables, token=rae.token)
    assert message_notifications()[0]["read"] is True
    # nobody else may archive it for them
    stranger = member(graphql, "Stranger")
    assert _codes(
        graphql.data(ARCHIVE, variables, token=stranger.token)["archiveConversation"]
    ) == ["NOT_FOUND"]


def test_an_application_thread_from_either_side(graphql: GraphQLClient) -> None:
    staff = member(graphql, "Staff", staff=True)
    company = employer(graphql, "Globex", recruiter="Rita", staff=staff)
    posting = job(graphql, company, "PUBLISHED")
    applicant = member(graphql, "Ann")
    resume_id = import_resume(graphql, applicant, resume("Ann"), "PRIVATE")
    applied = graphql.data(
        APPLY, {"input": {"jobId": posting, "resumeId": resume_id}}, token=applicant.token
    )["applyToJob"]
    assert applied["userErrors"] == [], applied
    application = applied["application"]["id"]
    # the applicant starts the thread with the employer's admins
    variables = {"input": {"applicationId": application, "message": "A question"}}
    thread = graphql.data(START_THREAD, variables, token=applicant.token)[
        "startApplicationConversation"
    ]
    assert thread["userErrors"] == []
    assert thread["conversation"]["kind"] == "APPLICATION"
    assert thread["conversation"]["applicationId"] == application
    assert sorted(p["name"] for p in thread["conversation"]["participants"]) == ["Ann", "Rita"]
    # the recruiter answers in the same thread
    answer = {"input": {"applicationId": application, "message": "An answer"}}
    again = graphql.data(START_THREAD, answer, token=company.recruiter.token)[
        "startApplicationConversation"
    ]
    assert again["conversation"]["id"] == thread["conversation"]["id"]
    # the thread is reachable from the application, by both sides but nobody else
    for who in (applicant, company.recruiter):
        seen = graphql.data(APPLICATION_THREAD, {"id": application}, token=who.token)["node"]
        assert seen["conversation"]["id"] == thread["conversation"]["id"]
    assert conversations(graphql, applicant)["unreadMessageCount"] == 1
    # nobody else reaches it
    stranger = member(graphql, "Stranger")
    refused = graphql.data(START_THREAD, variables, token=stranger.token)[
        "startApplicationConversation"
    ]
    assert _codes(refused) == ["NOT_FOUND"]
    unknown = {"input": {"applicationId": global_id("Application", 999), "message": "x"}}
    assert _codes(
        graphql.data(START_THREAD, unknown, token=applicant.token)["startApplicationConversation"]
    ) == ["NOT_FOUND"]


NODE = """
query ($id: ID!) {
  node(id: $id) { id ... on Conversation { kind } ... on Message { body } }
}
"""


def test_conversations_and_messages_are_nodes_for_participants_only(
    graphql: GraphQLClient,
) -> None:
    sam, rae, conversation = _pair(graphql)
    message = _message(graphql, sam, conversation, "Node")
    assert graphql.data(NODE, {"id": conversation}, token=rae.token)["node"] == {
        "id": conversation,
        "kind": "DIRECT",
    }
    assert graphql.data(NODE, {"id": message}, token=rae.token)["node"] == {
        "id": message,
        "body": "Node",
    }
    stranger = member(graphql, "Stranger")
    assert graphql.data(NODE, {"id": conversation}, token=stranger.token)["node"] is None
    assert graphql.data(NODE, {"id": message}, token=stranger.token)["node"] is None

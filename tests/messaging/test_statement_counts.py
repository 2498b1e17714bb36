"""`viewer.conversations(first: 50)` with each conversation's last message, unread count and
participants costs the same SQL statements at 5 conversations as at 50 (DataLoaders batch)."""

from __future__ import annotations

import pytest

from tests.conftest import GraphQLClient
from tests.factories import Member, join, member, organization
from tests.messaging.helpers import send, started

CONVERSATIONS = """
query {
  viewer {
    unreadMessageCount
    conversations(first: 50) {
      edges {
        node {
          id unreadCount requestStatus
          lastMessage { id body authorName }
          participants { name role }
        }
      }
    }
  }
}
"""


def _cost(graphql: GraphQLClient, statements: list[str], who: Member) -> tuple[int, int]:
    statements.clear()
    edges = graphql.data(CONVERSATIONS, token=who.token)["viewer"]["conversations"]["edges"]
    assert all(edge["node"]["lastMessage"]["body"] == "Answer" for edge in edges)
    assert all(edge["node"]["unreadCount"] == 1 for edge in edges)
    return len(edges), len(statements)


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_conversations_cost_the_same_at_5_and_50(
    graphql: GraphQLClient, count_statements: list[str]
) -> None:
    sam = member(graphql, "Sam")
    club = organization(graphql, sam, "Alumni", "ALUMNI_ASSOCIATION")

    def converse(count: int) -> None:
        for n in range(count):
            other = member(graphql, f"Member {n}")
            join(graphql, other, club)
            conversation = started(graphql, sam, other, message="Question")
            assert send(graphql, other, conversation, "Answer")["userErrors"] == []

    converse(5)
    few = _cost(graphql, count_statements, sam)
    converse(45)
    many = _cost(graphql, count_statements, sam)
    assert few[0] == 5 and many[0] == 50
    assert few[1] == many[1], (few, many)

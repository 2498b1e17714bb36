"""Per-sender rate limits: messages per minute and conversations started per hour, each
refused past the server's setting with TOO_MANY_MESSAGES (other senders unaffected)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from api.core.settings import Settings
from tests.conftest import GraphQLClient
from tests.factories import connect, member
from tests.messaging.helpers import send, start, started


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, messages_per_minute=3, conversations_per_hour=2)


def test_messages_past_the_limit_wait(graphql: GraphQLClient) -> None:
    sam, rae = member(graphql, "Sam"), member(graphql, "Rae")
    connect(graphql, sam, rae)
    conversation = started(graphql, sam, rae, message="One")  # the first of three
    assert send(graphql, sam, conversation, "Two")["userErrors"] == []
    assert send(graphql, sam, conversation, "Three")["userErrors"] == []
    refused = send(graphql, sam, conversation, "Four")
    assert refused["message"] is None
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
        ("body", "TOO_MANY_MESSAGES")
    ]
    assert "try again in" in refused["userErrors"][0]["message"]
    # Rae has her own allowance
    assert send(graphql, rae, conversation, "Hi")["userErrors"] == []


def test_conversations_started_past_the_limit_wait(graphql: GraphQLClient) -> None:
    sam = member(graphql, "Sam")
    friends = [member(graphql, f"Friend {n}") for n in range(3)]
    for friend in friends:
        connect(graphql, sam, friend)
    started(graphql, sam, friends[0])
    started(graphql, sam, friends[1])
    refused = start(graphql, sam, friends[2])
    assert [e["code"] for e in refused["userErrors"]] == ["TOO_MANY_MESSAGES"]

"""messageAdded over a real WebSocket (graphql-transport-ws at /graphql): one participant
sends over HTTP to one `confrere serve` process, the other hears it on another process within
a second, on SQLite and on PostgreSQL; a stranger cannot listen."""

from __future__ import annotations

import time

from tests.factories import connect, member
from tests.messaging.helpers import send, started
from tests.notifications.test_live import (
    Server,
    errors_of,
    graphql_over_http,
    receive,
    servers,  # noqa: F401 - the fixture of two app processes on one database
    socket,
    subscribe,
)

MESSAGE_ADDED = 'subscription { messageAdded(conversationId: "%s") { id body authorName } }'


def _subscription(conversation_id: str) -> str:
    return MESSAGE_ADDED % conversation_id


def test_a_message_sent_over_http_reaches_the_other_participant_within_a_second(
    servers: tuple[Server, Server],  # noqa: F811
) -> None:
    first, second = servers
    with graphql_over_http(first) as on_first, graphql_over_http(second) as on_second:
        ada, bob = member(on_first, "Ada"), member(on_first, "Bob")
        connect(on_first, ada, bob)
        conversation = started(on_first, ada, bob, message="Hello Bob")
        with socket(first, bob.token) as bobs:
            listening = subscribe(bobs, _subscription(conversation))
            time.sleep(0.2)  # the subscribe message is read before the message is sent

            # when Ada writes, through the other process
            payload = send(on_second, ada, conversation, "Are you there?")
            sent_at = time.monotonic()
            assert payload["userErrors"] == []

            # then Bob hears it within a second, once
            message = receive(bobs, listening)
            waited = time.monotonic() - sent_at
            assert message["type"] == "next", message
            assert message["payload"]["data"]["messageAdded"] == {
                "id": payload["message"]["id"],
                "body": "Are you there?",
                "authorName": "Ada",
            }
            assert waited < 1.0, f"the message took {waited:.2f} s"
            # the next thing he hears is the next message, not the same one again
            second_message = send(on_first, bob, conversation, "Yes")
            heard = receive(bobs, listening)["payload"]["data"]["messageAdded"]
            assert heard["id"] == second_message["message"]["id"]


def test_a_stranger_cannot_listen(servers: tuple[Server, Server]) -> None:  # noqa: F811
    first, _ = servers
    with graphql_over_http(first) as on_first:
        ada, bob, eve = (member(on_first, name) for name in ("Ada", "Bob", "Eve"))
        connect(on_first, ada, bob)
        conversation = started(on_first, ada, bob)
        with socket(first, eve.token) as eves:
            listening = subscribe(eves, _subscription(conversation))
            refused = receive(eves, listening)
            assert [e["extensions"]["code"] for e in errors_of(refused)] == ["FORBIDDEN"]

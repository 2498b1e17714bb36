"""Live notifications over a real WebSocket (graphql-transport-ws at /graphql), against two
real `confrere serve` processes on one database: what one process writes reaches a
subscriber of the other, on SQLite (datagrams beside the database) and on PostgreSQL
(LISTEN/NOTIFY)."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from tests.conftest import TEST_SECRET, GraphQLClient, _free_port, _truncate_all, confrere_command
from tests.factories import REQUEST_CONNECTION, Member, member
from tests.notifications.helpers import mark_read

NOTIFICATION_ADDED = "subscription { notificationAdded { id kind count actor { name } } }"
UNREAD_COUNT = "subscription { unreadNotificationCount }"
LOGOUT = "mutation { logout { revokedSessions userErrors { code } } }"

#: A bound on waiting for what should take milliseconds, so a broken build fails instead of
#: hanging; the latency itself is asserted only where the issue names it (one second).
PATIENCE_SECONDS = 30.0
_operation_ids = itertools.count(1)


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def websocket_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/graphql"


def _start(environment: dict[str, str], log: Path) -> Server:
    port = _free_port()
    with log.open("ab") as output:
        process = subprocess.Popen(
            confrere_command("serve", "--port", str(port), "--workers", "1"),
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = Server(url=f"http://127.0.0.1:{port}", process=process, log=log)
    deadline = time.monotonic() + PATIENCE_SECONDS
    while True:
        assert process.poll() is None, f"confrere serve exited:\n{log.read_text()}"
        try:
            if httpx.get(f"{server.url}/readyz", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, f"confrere serve did not start:\n{log.read_text()}"
        time.sleep(0.1)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def servers(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, Server]]:
    """Two app processes on one database (and one data dir: one of them holds the worker
    role); started once for the module, as starting them takes seconds."""
    tmp_path = tmp_path_factory.mktemp("live")
    environment = {
        **os.environ,
        "CONFRERE_DATA_DIR": str(tmp_path / "data"),
        "CONFRERE_SECRET_KEY": TEST_SECRET,
        "CONFRERE_REGISTRATIONS_PER_CLIENT": "1000000",
        "CONFRERE_REQUIRE_VERIFIED_EMAIL": "0",
        "CONFRERE_SITE_REBUILD_DELAY": "0",
    }
    environment.pop("DATABASE_URL", None)
    environment.pop("PROMETHEUS_MULTIPROC_DIR", None)
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
        asyncio.run(_truncate_all(url))
        environment["DATABASE_URL"] = url
    else:
        subprocess.run(confrere_command("db", "migrate"), env=environment, check=True)
    started: list[Server] = []
    try:
        for name in ("first", "second"):
            started.append(_start(environment, tmp_path / f"{name}.log"))
        yield started[0], started[1]
    finally:
        for server in started:
            server.process.terminate()
            try:
                server.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.process.kill()


@contextmanager
def graphql_over_http(server: Server) -> Iterator[GraphQLClient]:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield GraphQLClient(client)


@contextmanager
def socket(server: Server, token: str | None) -> Iterator[ClientConnection]:
    """A graphql-transport-ws connection, acknowledged."""
    with connect(server.websocket_url, subprotocols=["graphql-transport-ws"]) as connection:
        payload = {"Authorization": f"Bearer {token}"} if token else {}
        connection.send(json.dumps({"type": "connection_init", "payload": payload}))
        ack = json.loads(connection.recv(timeout=PATIENCE_SECONDS))
        assert ack["type"] == "connection_ack", ack
        yield connection


def subscribe(connection: ClientConnection, query: str) -> str:
    operation = str(next(_operation_ids))
    connection.send(json.dumps({"id": operation, "type": "subscribe", "payload": {"query": query}}))
    return operation


def receive(connection: ClientConnection, operation: str, seconds: float = PATIENCE_SECONDS) -> Any:
    """The next message of `operation` (pings answered on the way)."""
    deadline = time.monotonic() + seconds
    while True:
        left = deadline - time.monotonic()
        assert left > 0, f"nothing for operation {operation} within {seconds} s"
        message = json.loads(connection.recv(timeout=left))
        if message["type"] == "ping":
            connection.send(json.dumps({"type": "pong"}))
            continue
        if message.get("id") == operation:
            return message


def errors_of(message: dict[str, Any]) -> list[dict[str, Any]]:
    """The errors of an `error` message, or of a `next` result that carries some."""
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    assert errors, message
    return errors


def ask_to_connect(graphql: GraphQLClient, asking: Member, asked: Member) -> None:
    payload = graphql.data(
        REQUEST_CONNECTION, {"input": {"personId": asked.person_id}}, token=asking.token
    )["requestConnection"]
    assert payload["userErrors"] == [], payload


def test_a_notification_caused_on_one_process_reaches_a_subscriber_of_the_other(
    servers: tuple[Server, Server],
) -> None:
    first, second = servers
    with graphql_over_http(first) as on_first, graphql_over_http(second) as on_second:
        ada, bob, carol = (member(on_first, name) for name in ("Ada", "Bob", "Carol"))
        with socket(first, ada.token) as adas, socket(first, carol.token) as carols:
            for_ada = subscribe(adas, NOTIFICATION_ADDED)
            for_carol = subscribe(carols, NOTIFICATION_ADDED)
            time.sleep(0.2)  # the subscribe messages are read before the change is made

            # when Bob asks Ada to connect, through the other process
            ask_to_connect(on_second, bob, ada)
            asked_at = time.monotonic()

            # then Ada's subscription has it within a second, with who asked
            message = receive(adas, for_ada)
            waited = time.monotonic() - asked_at
            assert message["type"] == "next", message
            added = message["payload"]["data"]["notificationAdded"]
            assert added["kind"] == "CONNECTION_REQUESTED"
            assert added["actor"]["name"] == "Bob"
            assert waited < 1.0, f"the notification took {waited:.2f} s"

            # and Carol's hears only her own: the first thing it carries is Bob asking her
            ask_to_connect(on_second, bob, carol)
            carols_first = receive(carols, for_carol)["payload"]["data"]["notificationAdded"]
            assert (carols_first["kind"], carols_first["actor"]["name"]) == (
                "CONNECTION_REQUESTED",
                "Bob",
            )
            assert carols_first["id"] != added["id"]


def test_the_unread_count_follows_new_notifications_and_reading_them(
    servers: tuple[Server, Server],
) -> None:
    first, second = servers
    with graphql_over_http(first) as on_first:
        ada, bob, dan = (member(on_first, name) for name in ("Ada", "Bob", "Dan"))
        ask_to_connect(on_first, bob, ada)
        with socket(second, ada.token) as adas:
            counting = subscribe(adas, UNREAD_COUNT)
            assert receive(adas, counting)["payload"]["data"]["unreadNotificationCount"] == 1

            ask_to_connect(on_first, dan, ada)
            assert receive(adas, counting)["payload"]["data"]["unreadNotificationCount"] == 2

            assert mark_read(on_first, ada, all=True)["marked"] == 2
            assert receive(adas, counting)["payload"]["data"]["unreadNotificationCount"] == 0


def test_a_token_that_does_not_authenticate_closes_the_socket_and_none_is_anonymous(
    servers: tuple[Server, Server],
) -> None:
    first, _ = servers
    with connect(first.websocket_url, subprotocols=["graphql-transport-ws"]) as connection:
        connection.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": "Bearer forged"}})
        )
        with pytest.raises(ConnectionClosed) as closed:
            connection.recv(timeout=PATIENCE_SECONDS)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403

    with socket(first, None) as anonymous:
        operation = subscribe(anonymous, NOTIFICATION_ADDED)
        message = receive(anonymous, operation)
        assert errors_of(message)[0]["extensions"]["code"] == "UNAUTHENTICATED", message


def test_a_subscription_ends_when_its_session_is_logged_out(
    servers: tuple[Server, Server],
) -> None:
    first, second = servers
    with graphql_over_http(first) as on_first, graphql_over_http(second) as on_second:
        ada, bob = member(on_first, "Ada"), member(on_first, "Bob")
        with socket(first, ada.token) as adas:
            operation = subscribe(adas, NOTIFICATION_ADDED)
            time.sleep(0.2)
            assert on_second.data(LOGOUT, token=ada.token)["logout"]["revokedSessions"] == 1

            # when the next notification comes, the subscription answers that the session
            # ended instead of showing it
            ask_to_connect(on_second, bob, ada)
            message = receive(adas, operation)
            errors = (
                message["payload"]["errors"] if message["type"] == "next" else message["payload"]
            )
            assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED", message

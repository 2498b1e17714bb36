"""Messaging under load: participants writing in their conversations over HTTP while each
hears every message of theirs over WebSocket, nothing lost, nothing twice.

    .venv/bin/python benchmarks/messaging.py --participants 200 --seconds 30
    .venv/bin/python benchmarks/messaging.py --database-url postgresql://postgres@127.0.0.1/db
    .venv/bin/python benchmarks/messaging.py --participants 20 --seconds 5   # a quick look

On a fresh database, migrated, an organizer and their organization are made over HTTP, then
`--participants` verified members of it and a session for each (their tokens signed here)
are written straight into the database (registering them over HTTP would measure password
hashing): fellow members may write to each other. A real `confrere serve --workers 1` is
started with the messaging rate limits raised (CONFRERE_MESSAGES_PER_MINUTE and
CONFRERE_CONVERSATIONS_PER_HOUR at 1,000,000) so that they throttle nothing. Over HTTP each
participant is put in `--conversations` conversations of 2 to `--group-size` people (a fresh
shuffle each round; a pair is a direct conversation, more a group), each started by one of
its people with `startConversation`.

Each participant opens one WebSocket (graphql-transport-ws, the token in the connection_init
payload) with a `messageAdded(conversationId)` subscription for each of its conversations; a
warm-up message in every conversation, until each of its other people heard one, shows they
all listen. Then:

- alone: one participant sends `--alone` messages one after another, nothing else
  happening: the baseline p95 of sendMessage;
- load: for `--seconds` every participant sends `sendMessage` at a steady pace (one message
  every `--interval` seconds, starting at a random offset, to each of its conversations in
  turn; a participant waits for its previous answer before the next send).

Then it waits (at most `--drain` seconds) for every message to reach each other participant
of its conversation. It prints messages sent per second, the p50/p95 send latency (the HTTP
round trip) alone and under load with "p95 under load / p95 alone", the p50/p95 delivery
latency (send start to received by each other participant's subscription), and the missing
and duplicated deliveries; it exits non-zero when one is missing or duplicated, or a send
failed. The last line is one JSON object. The client (every participant, in one asyncio
process) shares the machine with the server: run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import itertools
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api.core import db  # noqa: E402
from api.core.settings import Settings  # noqa: E402
from benchmarks._server import fresh_environment, migrate, serving  # noqa: E402
from benchmarks.fanout import organizer_and_group, percentile  # noqa: E402
from benchmarks.serve import cpu_seconds  # noqa: E402

START_CONVERSATION = """
mutation StartConversation($input: StartConversationInput!) {
  startConversation(input: $input) { conversation { id } userErrors { field code message } }
}
"""
SEND_MESSAGE = """
mutation SendMessage($input: SendMessageInput!) {
  sendMessage(input: $input) { message { id } userErrors { field code message } }
}
"""
MESSAGE_ADDED = "subscription MessageAdded($id: ID!) { messageAdded(conversationId: $id) { id } }"


def global_id(kind: str, number: int) -> str:
    return base64.b64encode(f"{kind}:{number}".encode()).decode()


def database_id(identifier: str) -> int:
    return int(base64.b64decode(identifier).decode().rpartition(":")[2])


def set_up(base: str) -> int:
    """Over HTTP: an organizer and their organization; its database id."""
    with httpx.Client(base_url=base, timeout=120) as client:
        _, organization = organizer_and_group(client, "Messaging Bench")
        return database_id(organization)


def seed_participants(organization_id: int, participants: int) -> list[tuple[int, str]]:
    """`participants` verified members of the organization, each with a session, in one
    transaction straight into the database; their (account id, token)."""
    from api.core.auth import TokenClaims, issue_token
    from api.networks.tables import Membership
    from api.people.tables import Account, AccountSession

    settings = Settings.from_environment()

    async def work() -> list[tuple[int, str]]:
        now = datetime.now(UTC)
        expires_at = now + timedelta(days=1)
        async with db.write_transaction():
            rows = await Account.insert(
                *(
                    Account(
                        email=f"participant{n}@bench.example",
                        name=f"Participant {n}",
                        password_hash="!",
                        email_verified_at=now,
                    )
                    for n in range(participants)
                )
            ).returning(Account.id)
            ids = [row["id"] for row in rows]
            await Membership.insert(
                *(
                    Membership(
                        organization=organization_id,
                        account=account,
                        role="MEMBER",
                        status="ACTIVE",
                    )
                    for account in ids
                )
            )
            sessions = [(account, uuid.uuid4()) for account in ids]
            await AccountSession.insert(
                *(
                    AccountSession(
                        token_id=token_id,
                        account=account,
                        created_at=now,
                        expires_at=expires_at,
                        user_agent="messaging benchmark",
                        client_address="127.0.0.1",
                    )
                    for account, token_id in sessions
                )
            )
        secret = settings.resolved_secret_key()
        return [
            (account, issue_token(secret, TokenClaims(account, token_id, expires_at)))
            for account, token_id in sessions
        ]

    return db.run_with_database(settings, work)


def groups(count: int, rounds: int, largest: int, rng: random.Random) -> list[list[int]]:
    """`rounds` partitions of the participants 0..count-1 into groups of 2 to `largest`
    (a fresh shuffle each), a pair never twice (two people have one direct conversation)."""
    made: list[list[int]] = []
    pairs: set[frozenset[int]] = set()
    for _ in range(rounds):
        order = list(range(count))
        rng.shuffle(order)
        while order:
            size = min(len(order), rng.randint(2, largest))
            if len(order) - size == 1:  # nobody is left alone
                size += 1 if size < largest else -1
            group, order = order[:size], order[size:]
            if len(group) == 2 and frozenset(group) in pairs:
                continue
            if len(group) == 2:
                pairs.add(frozenset(group))
            made.append(group)
    return made


@dataclass
class Sent:
    sender: int
    conversation: int
    started: float
    phase: str
    send_ms: float = 0.0


@dataclass
class Run:
    tokens: list[str]
    account_ids: list[int]
    conversations: dict[int, list[int]]  # conversation id -> participant indexes
    sent: dict[int, Sent] = field(default_factory=dict)
    received: dict[tuple[int, int], list[float]] = field(default_factory=dict)
    failures: list[Any] = field(default_factory=list)


async def start_conversations(client: httpx.AsyncClient, run: Run, made: list[list[int]]) -> None:
    limit = asyncio.Semaphore(8)

    async def start(group: list[int]) -> None:
        async with limit:
            people = [global_id("Person", run.account_ids[n]) for n in group[1:]]
            answer = await post(
                client,
                START_CONVERSATION,
                {"input": {"participantIds": people, "message": "Hello, all"}},
                run.tokens[group[0]],
            )
            payload = answer["startConversation"]
            assert payload["userErrors"] == [], payload
            run.conversations[database_id(payload["conversation"]["id"])] = group

    await asyncio.gather(*(start(group) for group in made))


async def post(client: httpx.AsyncClient, query: str, variables: dict[str, Any], token: str) -> Any:
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
    )
    response.raise_for_status()
    answer = response.json()
    if "errors" in answer:
        raise RuntimeError(answer["errors"])
    return answer["data"]


async def listen(websocket_url: str, run: Run, person: int, ready: asyncio.Event) -> None:
    """One participant's WebSocket: a subscription per conversation; each message heard is
    recorded with when (perf_counter)."""
    mine = [c for c, people in run.conversations.items() if person in people]
    async with connect(
        websocket_url,
        subprotocols=[Subprotocol("graphql-transport-ws")],
        max_queue=None,
        open_timeout=60,
    ) as socket:
        await socket.send(
            json.dumps(
                {
                    "type": "connection_init",
                    "payload": {"Authorization": f"Bearer {run.tokens[person]}"},
                }
            )
        )
        ack = json.loads(await socket.recv())
        assert ack["type"] == "connection_ack", ack
        for conversation in mine:
            await socket.send(
                json.dumps(
                    {
                        "id": str(conversation),
                        "type": "subscribe",
                        "payload": {
                            "query": MESSAGE_ADDED,
                            "variables": {"id": global_id("Conversation", conversation)},
                        },
                    }
                )
            )
        ready.set()
        await receive(socket, run, person)


async def receive(socket: ClientConnection, run: Run, person: int) -> None:
    async for raw in socket:
        now = time.perf_counter()
        message = json.loads(raw)
        if message["type"] == "ping":
            await socket.send(json.dumps({"type": "pong"}))
        elif message["type"] == "next" and "errors" not in message["payload"]:
            message_id = database_id(message["payload"]["data"]["messageAdded"]["id"])
            run.received.setdefault((person, message_id), []).append(now)
        elif message["type"] != "pong":
            run.failures.append(("subscription", person, message))


async def send(
    client: httpx.AsyncClient, run: Run, sender: int, conversation: int, phase: str
) -> int:
    started = time.perf_counter()
    try:
        answer = await post(
            client,
            SEND_MESSAGE,
            {
                "input": {
                    "conversationId": global_id("Conversation", conversation),
                    "body": f"{phase} message from participant {sender}",
                }
            },
            run.tokens[sender],
        )
    except (httpx.HTTPError, RuntimeError) as problem:
        run.failures.append(("sendMessage", sender, repr(problem)))
        return 0
    elapsed = (time.perf_counter() - started) * 1000
    payload = answer["sendMessage"]
    if payload["userErrors"]:
        run.failures.append(("sendMessage", sender, payload["userErrors"]))
        return 0
    message_id = database_id(payload["message"]["id"])
    run.sent[message_id] = Sent(sender, conversation, started, phase, elapsed)
    return message_id


def heard_by_all(run: Run, message_id: int) -> bool:
    sent = run.sent[message_id]
    return all(
        (person, message_id) in run.received
        for person in run.conversations[sent.conversation]
        if person != sent.sender
    )


async def warm_up(client: httpx.AsyncClient, run: Run) -> int:
    """A message in each conversation until every other person in it heard one; rounds."""
    waiting = set(run.conversations)
    for attempt in range(1, 11):
        sent = await asyncio.gather(
            *(send(client, run, run.conversations[c][0], c, "warm-up") for c in waiting)
        )
        for _ in range(50):  # at most 5 s
            if all(heard_by_all(run, m) for m in sent if m):
                break
            await asyncio.sleep(0.1)
        waiting = {run.sent[m].conversation for m in sent if m and not heard_by_all(run, m)}
        if not waiting:
            return attempt
    raise SystemExit(f"{len(waiting)} conversations still not heard after 10 warm-up rounds")


async def load(client: httpx.AsyncClient, run: Run, seconds: float, interval: float) -> float:
    """Every participant sends at a steady pace for `seconds`; the load's length (longer
    when answers came after the time was up)."""
    rng = random.Random(7)
    began = time.perf_counter()
    until = began + seconds

    async def participant(person: int) -> None:
        mine = itertools.cycle(sorted(c for c, p in run.conversations.items() if person in p))
        due = began + rng.uniform(0, interval)
        while due < until:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            if time.perf_counter() >= until:
                break  # behind its pace: what was not sent in time is not sent
            await send(client, run, person, next(mine), "load")
            due += interval

    await asyncio.gather(*(participant(n) for n in range(len(run.tokens))))
    return max(seconds, time.perf_counter() - began)  # the last answers may come after


def child_process(role: bytes) -> int:
    """The `confrere serve` (or `worker`) process this benchmark started (its child); 0 if
    there is none."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes().split(b"\0")
            if parent == os.getpid() and role in command:
                return int(stat.parent.name)
    return 0


def deliveries(run: Run, phase: str) -> tuple[list[float], int, int]:
    """The phase's delivery latencies (ms), and its missing and duplicated deliveries."""
    latencies: list[float] = []
    missing = duplicated = 0
    for message_id, sent in run.sent.items():
        if sent.phase != phase:
            continue
        for person in run.conversations[sent.conversation]:
            if person == sent.sender:
                continue
            heard = run.received.get((person, message_id), [])
            if not heard:
                missing += 1
                continue
            duplicated += len(heard) - 1
            latencies.append((heard[0] - sent.started) * 1000)
    return latencies, missing, duplicated


def measured(run: Run) -> set[int]:
    """The messages of the baseline and of the load (not the warm-up's)."""
    return {m for m, s in run.sent.items() if s.phase in ("alone", "load")}


def figures(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    return {
        "p50_ms": round(statistics.median(values), 1),
        "p95_ms": round(percentile(values, 0.95), 1),
    }


async def measure(base: str, run: Run, made: list[list[int]], arguments: Any) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=len(run.tokens) + 8, max_keepalive_connections=None)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        started = time.perf_counter()
        await start_conversations(client, run, made)
        print(
            f"{len(run.conversations)} conversations started over HTTP in "
            f"{time.perf_counter() - started:.1f} s"
        )
        websocket_url = base.replace("http://", "ws://") + "/graphql"
        listening = []
        for person in range(len(run.tokens)):
            ready = asyncio.Event()
            listening.append(asyncio.create_task(listen(websocket_url, run, person, ready)))
            await asyncio.wait(
                [asyncio.ensure_future(ready.wait()), listening[-1]],
                return_when=asyncio.FIRST_COMPLETED,
            )
            if listening[-1].done():
                listening[-1].result()  # raises why it ended
        try:
            rounds = await warm_up(client, run)
            print(f"{len(listening)} WebSockets listening (warm-up rounds: {rounds})")

            server, worker = child_process(b"serve"), child_process(b"worker")
            alone_conversation = min(c for c, p in run.conversations.items() if 0 in p)
            cpu = cpu_seconds(server)
            for _ in range(arguments.alone):
                await send(client, run, 0, alone_conversation, "alone")
                await asyncio.sleep(0.02)
            await asyncio.sleep(0.5)  # its last deliveries, before the load's CPU is counted
            alone_cpu = cpu_seconds(server) - cpu
            cpu, own_cpu = cpu_seconds(server), time.process_time()
            worker_cpu = cpu_seconds(worker) if worker else 0.0
            seconds = await load(client, run, arguments.seconds, arguments.interval)
            load_cpu = cpu_seconds(server) - cpu
            if worker:
                worker_cpu = cpu_seconds(worker) - worker_cpu
            client_cpu = time.process_time() - own_cpu

            drained = time.perf_counter()
            counted = measured(run)
            want = sum(len(run.conversations[run.sent[m].conversation]) - 1 for m in counted)
            while sum(1 for key in run.received if key[1] in counted) < want:
                if time.perf_counter() - drained > arguments.drain:
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(0.5)  # a duplicate would come just behind
            drain_s = time.perf_counter() - drained
        finally:
            for task in listening:
                task.cancel()
            await asyncio.gather(*listening, return_exceptions=True)

    alone_send = [s.send_ms for s in run.sent.values() if s.phase == "alone"]
    load_send = [s.send_ms for s in run.sent.values() if s.phase == "load"]
    alone_delivery, alone_missing, alone_duplicated = deliveries(run, "alone")
    load_delivery, load_missing, load_duplicated = deliveries(run, "load")
    alone = figures(alone_send)
    under_load = figures(load_send)
    return {
        "database": "postgres" if arguments.database_url else "sqlite",
        "worker": arguments.worker,
        "participants": len(run.tokens),
        "conversations": len(run.conversations),
        "subscriptions": sum(len(p) for p in run.conversations.values()),
        "seconds": round(seconds, 1),
        "messages_offered_per_s": round(len(run.tokens) / arguments.interval, 1),
        "messages_sent": len(load_send),
        "messages_per_s": round(len(load_send) / seconds, 1),
        "deliveries": len(load_delivery),
        "deliveries_per_s": round(len(load_delivery) / seconds, 1),
        "send_alone": alone,
        "send": under_load,
        "p95_under_load_over_alone": (
            round(under_load["p95_ms"] / alone["p95_ms"], 2) if alone and under_load else None
        ),
        "delivery_alone": figures(alone_delivery),
        "delivery": figures(load_delivery),
        "server_cpu_ms_per_message_alone": round(alone_cpu * 1000 / max(1, len(alone_send)), 1),
        "server_cpu_ms_per_message": round(load_cpu * 1000 / max(1, len(load_send)), 1),
        "server_cpu_share": round(load_cpu / seconds, 2),
        "worker_cpu_ms_per_message": round(worker_cpu * 1000 / max(1, len(load_send)), 1),
        "client_cpu_share": round(client_cpu / seconds, 2),
        "missing": alone_missing + load_missing,
        "duplicated": alone_duplicated + load_duplicated,
        "failures": len(run.failures),
        "drain_s": round(drain_s, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30.0, help="of load")
    parser.add_argument("--group-size", type=int, default=5, help="the largest conversation")
    parser.add_argument("--conversations", type=int, default=2, help="each participant is in")
    parser.add_argument(
        "--interval", type=float, default=10.0, help="seconds between a participant's sends"
    )
    parser.add_argument("--alone", type=int, default=100, help="messages of the baseline")
    parser.add_argument("--drain", type=float, default=30.0, help="longest wait for deliveries")
    parser.add_argument("--database-url", default="", help="PostgreSQL, empty (empty: SQLite)")
    parser.add_argument(
        "--worker",
        choices=("in-server", "apart"),
        default="in-server",
        help="the background work inside the serving process, or in a `confrere worker`",
    )
    arguments = parser.parse_args()
    if arguments.participants < 2 or not 2 <= arguments.group_size <= 20:
        parser.error("at least 2 participants, and --group-size from 2 to 20")
    work = Path(tempfile.mkdtemp(prefix="confrere-messaging-bench-"))
    environment = fresh_environment(
        work,
        {
            "CONFRERE_REGISTRATIONS_PER_CLIENT": "100000",
            "CONFRERE_SITE_REBUILD_DELAY": "0",
            "CONFRERE_SECRET_KEY": "messaging benchmark secret key, not for production",
            # The per-sender rate limits would throttle the benchmark, not measure the server.
            "CONFRERE_MESSAGES_PER_MINUTE": "1000000",
            "CONFRERE_CONVERSATIONS_PER_HOUR": "1000000",
        },
        arguments.database_url,
    )
    os.environ.update(environment)
    migrate(environment)
    with serving(environment, work, "setup", worker_apart=False) as base:
        organization = set_up(base)
    people = seed_participants(organization, arguments.participants)
    # The accounts were written straight into the database: the indexes are made afresh.
    shutil.rmtree(work / "data" / "indexes", ignore_errors=True)
    run = Run(tokens=[t for _, t in people], account_ids=[a for a, _ in people], conversations={})
    made = groups(
        arguments.participants, arguments.conversations, arguments.group_size, random.Random(17)
    )
    apart = arguments.worker == "apart"
    with serving(environment, work, "measured", worker_apart=apart) as base:
        result = asyncio.run(measure(base, run, made, arguments))
    worker = (
        f" `confrere worker` {result['worker_cpu_ms_per_message']} ms a message;"
        if arguments.worker == "apart"
        else ""
    )
    print(
        f"{result['database']}, worker {result['worker']}: {result['participants']} participants in "
        f"{result['conversations']} conversations ({result['subscriptions']} subscriptions)\n"
        f"  alone: sendMessage p50/p95 {_pair(result['send_alone'])}, delivery "
        f"{_pair(result['delivery_alone'])}\n"
        f"  load: {result['messages_sent']} messages in {result['seconds']} s "
        f"({result['messages_per_s']} messages/s of {result['messages_offered_per_s']} offered, {result['deliveries_per_s']} deliveries/s)\n"
        f"    sendMessage p50/p95 {_pair(result['send'])} (p95 under load / p95 alone "
        f"{result['p95_under_load_over_alone']})\n"
        f"    delivery p50/p95 {_pair(result['delivery'])}\n"
        f"    server CPU {result['server_cpu_ms_per_message']} ms a message (alone "
        f"{result['server_cpu_ms_per_message_alone']} ms), {result['server_cpu_share']} of a "
        f"core;{worker} this client {result['client_cpu_share']} of a core\n"
        f"  missing {result['missing']}, duplicated {result['duplicated']}, failed sends or "
        f"subscriptions {result['failures']}"
    )
    for failure in run.failures[:5]:
        print(f"  failure: {failure}")
    print(json.dumps(result))
    if result["missing"] or result["duplicated"] or result["failures"]:
        sys.exit(1)


def _pair(phase: dict[str, float]) -> str:
    if not phase:
        return "(none)"
    return f"{phase['p50_ms']}/{phase['p95_ms']} ms"


if __name__ == "__main__":
    main()

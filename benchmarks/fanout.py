"""Telling a crowd: cancelling an event of 5,000 RSVPs while members keep using the API.

    .venv/bin/python benchmarks/fanout.py --people 5000
    .venv/bin/python benchmarks/fanout.py --database-url postgresql://postgres@127.0.0.1/db

Starts a real `confrere serve` on a fresh database, migrated, with an organizer's event and
`--people` verified members GOING to it (the members and their answers are written straight
into the database: registering 5,000 people over HTTP would measure password hashing).
Then, with `--clients` threads each sending a member's ordinary requests without pause
(their notifications page and unread count, the organization's upcoming events):

- idle: the requests' latency for `--seconds`, nothing else happening (the baseline);
- fan-out: the organizer cancels the event over HTTP; the requests go on until every member
  has the notification (the cancellation answers at once: the crowd is told by the worker
  role, a batch per transaction);
- mailing: then until each one's email (EVENT_CANCELLED is emailed at once by default) is
  composed and queued, also by the worker role.

It prints the cancellation's own latency, the requests' p50/p95 idle, during the fan-out and
during the mailing, with the ratios to idle (the issue's target: p95 at most 2x idle), the
notifications told per second and the emails queued per second. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "a long enough password"
REGISTER = "mutation ($input: RegisterInput!) { register(input: $input) { token } }"
LOGIN = "mutation ($input: LoginInput!) { login(input: $input) { token } }"
CREATE_ORGANIZATION = """
mutation ($input: CreateOrganizationInput!) {
  createOrganization(input: $input) { organization { id } userErrors { code message } }
}
"""
CREATE_EVENT = """
mutation ($input: CreateEventInput!) {
  createEvent(input: $input) { event { id } userErrors { field code message } }
}
"""
CANCEL_EVENT = """
mutation ($input: EventIdInput!) { cancelEvent(input: $input) { userErrors { code } } }
"""
MEMBER_REQUEST = """
query ($organization: ID!) {
  viewer { unreadNotificationCount notifications(first: 20) { edges { node { id message } } } }
  events(first: 20, organizationId: $organization) { edges { node { id title } } }
}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def gql(client: httpx.Client, query: str, variables: dict[str, Any], token: str = "") -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    body.raise_for_status()
    answer = body.json()
    assert "errors" not in answer, answer
    return answer["data"]


def seed_crowd(
    environment: dict[str, str], event_id: int, organization_id: int, people: int
) -> None:
    """`people` verified members of the organization, each GOING to the event, in one
    transaction straight into the database."""
    os.environ.update(environment)
    from api.core import db
    from api.core.settings import Settings
    from api.events.tables import Rsvp
    from api.networks.tables import Membership
    from api.people.tables import Account

    settings = Settings.from_environment()

    async def work() -> None:
        now = datetime.now(UTC)
        async with db.write_transaction():
            ids: list[int] = []
            for start in range(0, people, 1000):  # PostgreSQL takes 32,767 parameters a query
                rows = await Account.insert(
                    *(
                        Account(
                            email=f"crowd{n}@bench.example",
                            name=f"Crowd Member {n}",
                            password_hash="!",
                            email_verified_at=now,
                        )
                        for n in range(start, min(people, start + 1000))
                    )
                ).returning(Account.id)
                ids += [row["id"] for row in rows]
            for start in range(0, len(ids), 500):
                batch = ids[start : start + 500]
                await Membership.insert(
                    *(
                        Membership(
                            organization=organization_id,
                            account=account,
                            role="MEMBER",
                            status="ACTIVE",
                        )
                        for account in batch
                    )
                )
                await Rsvp.insert(
                    *(Rsvp(event=event_id, account=account, status="GOING") for account in batch)
                )

    db.run_with_database(settings, work)


TOLD = "SELECT count(*) FROM notification WHERE kind = 'EVENT_CANCELLED'"
MAILED = "SELECT count(*) FROM mail_message WHERE kind = 'notification'"


def counted(environment: dict[str, str], statement: str) -> int:
    """A count read beside the server: notifications told, or their emails queued."""
    url = environment.get("DATABASE_URL", "")
    if url:
        import asyncpg

        async def count() -> int:
            connection = await asyncpg.connect(url)
            try:
                return int(await connection.fetchval(statement))
            finally:
                await connection.close()

        return asyncio.run(count())
    path = Path(environment["CONFRERE_DATA_DIR"]) / "confrere.sqlite3"
    with contextlib.closing(sqlite3.connect(path, timeout=60)) as connection:
        return int(connection.execute(statement).fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=15.0, help="of idle measurement")
    parser.add_argument("--database-url", default="", help="PostgreSQL (empty: SQLite)")
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="confrere-fanout-bench-"))
    environment = {
        **os.environ,
        "CONFRERE_DATA_DIR": str(work / "data"),
        "CONFRERE_REQUIRE_VERIFIED_EMAIL": "0",  # the organizer acts at once
        "CONFRERE_REGISTRATIONS_PER_CLIENT": "100000",
        "CONFRERE_SITE_REBUILD_DELAY": "0",
        "CONFRERE_SECRET_KEY": "fan-out benchmark secret key, not for production",
    }
    environment.pop("DATABASE_URL", None)
    if arguments.database_url:
        environment["DATABASE_URL"] = arguments.database_url
    command = [sys.executable, "-m", "api"]
    subprocess.run([*command, "db", "migrate"], env=environment, check=True, cwd=ROOT)
    port = free_port()
    log = (work / "server.log").open("wb")
    server = subprocess.Popen(
        [*command, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
        env=environment,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("confrere serve did not start")
            time.sleep(0.2)
        with httpx.Client(base_url=base, timeout=120) as client:
            credentials = {"email": "organizer@bench.example", "password": PASSWORD}
            organizer = gql(client, REGISTER, {"input": {**credentials, "name": "Olga"}})[
                "register"
            ]["token"]
            organization = gql(
                client,
                CREATE_ORGANIZATION,
                {"input": {"name": "Fan-out Meetup", "kind": "MEETUP_GROUP"}},
                organizer,
            )["createOrganization"]["organization"]["id"]
            starts = datetime.now(UTC) + timedelta(days=7)
            event = gql(
                client,
                CREATE_EVENT,
                {
                    "input": {
                        "organizationId": organization,
                        "title": "Python Night",
                        "kind": "MEETUP",
                        "format": "IN_PERSON",
                        "startsAt": starts.replace(tzinfo=None).isoformat(timespec="minutes"),
                        "endsAt": (starts + timedelta(hours=2))
                        .replace(tzinfo=None)
                        .isoformat(timespec="minutes"),
                        "timeZone": "Europe/Berlin",
                        "venue": "Hall",
                    }
                },
                organizer,
            )["createEvent"]
            assert event["userErrors"] == [], event
            event_id = event["event"]["id"]
            seeded = time.perf_counter()
            seed_crowd(
                environment,
                int(_database_id(event_id)),
                int(_database_id(organization)),
                arguments.people,
            )
            print(
                f"seeded {arguments.people} members going in {time.perf_counter() - seeded:.1f} s"
            )
            # Members' sessions: a few sign in (their passwords are set here, once).
            tokens = _member_tokens(client, environment, arguments.clients)

            samples: list[tuple[float, float]] = []  # (when, milliseconds)
            stop = threading.Event()

            def member_requests(token: str) -> None:
                with httpx.Client(base_url=base, timeout=120) as own:
                    while not stop.is_set():
                        started = time.perf_counter()
                        gql(own, MEMBER_REQUEST, {"organization": organization}, token)
                        samples.append((started, (time.perf_counter() - started) * 1000))

            threads = [threading.Thread(target=member_requests, args=(t,)) for t in tokens]
            for thread in threads:
                thread.start()
            time.sleep(2)  # warm-up, not measured
            idle_from = time.perf_counter()
            time.sleep(arguments.seconds)
            cancel_started = time.perf_counter()
            answer = gql(client, CANCEL_EVENT, {"input": {"id": event_id}}, organizer)
            assert answer["cancelEvent"]["userErrors"] == [], answer
            cancel_ms = (time.perf_counter() - cancel_started) * 1000
            while counted(environment, TOLD) < arguments.people:
                time.sleep(0.05)
            told_at = time.perf_counter()
            while counted(environment, MAILED) < arguments.people:
                time.sleep(0.05)
            mailed_at = time.perf_counter()
            stop.set()
            for thread in threads:
                thread.join()
        idle = [ms for when, ms in samples if idle_from <= when < cancel_started]
        during = [ms for when, ms in samples if cancel_started <= when < told_at]
        mailing = [ms for when, ms in samples if told_at <= when < mailed_at]
        fan_out_seconds = told_at - cancel_started
        result = {
            "people": arguments.people,
            "database": "postgres" if arguments.database_url else "sqlite",
            "cancel_ms": round(cancel_ms, 1),
            "idle_requests": len(idle),
            "idle_p50_ms": round(statistics.median(idle), 1),
            "idle_p95_ms": round(percentile(idle, 0.95), 1),
            "fanout_requests": len(during),
            "fanout_p50_ms": round(statistics.median(during), 1),
            "fanout_p95_ms": round(percentile(during, 0.95), 1),
            "p95_ratio": round(percentile(during, 0.95) / percentile(idle, 0.95), 2),
            "fanout_seconds": round(fan_out_seconds, 2),
            "notifications_per_s": round(arguments.people / fan_out_seconds, 1),
            "mailing_requests": len(mailing),
            "mailing_p95_ms": round(percentile(mailing, 0.95), 1) if mailing else None,
            "mailing_p95_ratio": (
                round(percentile(mailing, 0.95) / percentile(idle, 0.95), 2) if mailing else None
            ),
            "mails_queued_per_s": round(arguments.people / (mailed_at - told_at), 1),
        }
        print(
            f"cancelEvent answered in {result['cancel_ms']} ms; {arguments.people} told in "
            f"{result['fanout_seconds']} s ({result['notifications_per_s']} notifications/s); "
            f"member requests p95 {result['idle_p95_ms']} ms idle, "
            f"{result['fanout_p95_ms']} ms during the fan-out ({result['p95_ratio']}x), "
            f"{result['mailing_p95_ms']} ms while their emails were composed and queued "
            f"({result['mailing_p95_ratio']}x; {result['mails_queued_per_s']} mails/s)"
        )
        print(json.dumps(result))
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def _database_id(global_id: str) -> str:
    import base64

    return base64.b64decode(global_id).decode().rpartition(":")[2]


def _member_tokens(client: httpx.Client, environment: dict[str, str], count: int) -> list[str]:
    """Sign in `count` of the crowd (their password set first, as the seed left none)."""
    from api.core.auth import hash_password

    os.environ.update(environment)
    from api.core import db
    from api.core.settings import Settings
    from api.people.tables import Account

    hashed = hash_password(PASSWORD)

    async def set_passwords() -> None:
        async with db.write_transaction():
            await Account.update({Account.password_hash: hashed}).where(
                Account.email.is_in([f"crowd{n}@bench.example" for n in range(count)])
            )

    db.run_with_database(Settings.from_environment(), set_passwords)
    return [
        gql(
            client,
            LOGIN,
            {"input": {"email": f"crowd{n}@bench.example", "password": PASSWORD}},
        )["login"]["token"]
        for n in range(count)
    ]


if __name__ == "__main__":
    main()

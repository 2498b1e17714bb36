"""Telling crowds: an event of 5,000 RSVPs cancelled, and a posting that matches 1,000 saved
job searches, while members keep using the API.

    .venv/bin/python benchmarks/fanout.py --people 5000 --saved-searches 1000
    .venv/bin/python benchmarks/fanout.py --database-url postgresql://postgres@127.0.0.1/db
    .venv/bin/python benchmarks/fanout.py --worker in-server

Sets up an organizer's event over HTTP on a fresh database, migrated, then writes straight
into the database (registering 5,000 people over HTTP would measure password hashing)
`--people` verified members GOING to it, a published "Python Engineer" posting and
`--saved-searches` saved job searches for "python" (daily alerts, saved yesterday), each of
its own member. Then it serves it again, the background work either in a `confrere worker`
process beside `confrere serve --workers 1` (`--worker apart`, the default: how a network
that tells crowds of thousands runs it) or inside the one serving process (`--worker
in-server`, what `confrere serve --workers 1` alone does). With `--clients` threads each
sending a member's ordinary requests without pause (their notifications page and unread
count, the organization's upcoming events):

- idle: the requests' latency for `--seconds`, nothing else happening (the baseline);
- alerts: today's daily alert run is let go (its lease row cleared, as at a new day); the
  requests go on until every saved search's owner has their alert and its email is queued;
- fan-out: the organizer cancels the event over HTTP; the requests go on until every member
  has the notification (the cancellation answers at once: the crowd is told by the worker
  role, a batch per transaction);
- mailing: then until each one's email (EVENT_CANCELLED is emailed at once by default) is
  composed and queued, also by the worker role.

It prints the cancellation's own latency, the requests' p50/p95 idle and in each phase with
the ratios to idle (the issue's target: p95 at most 2x idle), the alerts, notifications and
emails per second. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api.core import db  # noqa: E402
from api.core.settings import Settings  # noqa: E402
from benchmarks._server import fresh_environment, migrate, serving  # noqa: E402

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
    environment: dict[str, str], event_id: int, organization_id: int, people: int, clients: int
) -> None:
    """`people` verified members of the organization, each GOING to the event, the first
    `clients` of them with a password, and a published posting "Python Engineer" of the
    organization, in one transaction straight into the database."""
    from api.core.auth import hash_password
    from api.events.tables import Rsvp
    from api.jobs.tables import JobPosting
    from api.networks.tables import Membership
    from api.people.tables import Account

    hashed = hash_password(PASSWORD)

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
                            password_hash=hashed if n < clients else "!",
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
            await JobPosting.insert(
                JobPosting(
                    organization=organization_id,
                    slug="python-engineer-fan-out-bench",
                    title="Python Engineer",
                    description="We write Python, and test it.",
                    description_html="<p>We write Python, and test it.</p>",
                    status="PUBLISHED",
                    date_posted=now,
                    valid_through=now + timedelta(days=30),
                    skills=["Python"],
                )
            )

    db.run_with_database(Settings.from_environment(), work)


def seed_saved_searches(environment: dict[str, str], searches: int) -> None:
    """`searches` saved job searches for "python", daily alerts, saved yesterday (before the
    posting was published), one for each of the first members of the crowd."""
    from api.people.tables import Account
    from api.resumes.tables import SavedSearch

    async def work() -> None:
        yesterday = datetime.now(UTC) - timedelta(days=1)
        owners = [
            row["id"]
            for row in await Account.select(Account.id)
            .where(Account.email.like("crowd%@bench.example"))
            .order_by(Account.id)
            .limit(searches)
        ]
        async with db.write_transaction():
            for start in range(0, len(owners), 500):
                await SavedSearch.insert(
                    *(
                        SavedSearch(
                            owner=owner,
                            name="Python jobs",
                            query="python",
                            kind="JOBS",
                            alert_frequency="DAILY",
                            created_at=yesterday,
                        )
                        for owner in owners[start : start + 500]
                    )
                )

    db.run_with_database(Settings.from_environment(), work)


TOLD = "SELECT count(*) FROM notification WHERE kind = 'EVENT_CANCELLED'"
ALERTED = "SELECT count(*) FROM notification WHERE kind = 'SAVED_SEARCH_MATCHES'"
MAILED = "SELECT count(*) FROM mail_message WHERE kind = 'notification'"


def counted(environment: dict[str, str], statement: str) -> int:
    """A count read beside the server: notifications told, or their emails queued (or, for
    a statement that counts nothing, run)."""
    url = environment.get("DATABASE_URL", "")
    if url:
        import asyncpg

        async def count() -> int:
            connection = await asyncpg.connect(url)
            try:
                if statement.startswith("SELECT"):
                    return int(await connection.fetchval(statement))
                await connection.execute(statement)
                return 0
            finally:
                await connection.close()

        return asyncio.run(count())
    path = Path(environment["CONFRERE_DATA_DIR"]) / "confrere.sqlite3"
    with contextlib.closing(sqlite3.connect(path, timeout=60)) as connection:
        row = connection.execute(statement).fetchone()
        connection.commit()
        return int(row[0]) if row else 0


def wait_for(environment: dict[str, str], statement: str, at_least: int, limit: float) -> float:
    """Poll until the count reaches `at_least`; when it did (perf_counter)."""
    deadline = time.monotonic() + limit
    while counted(environment, statement) < at_least:
        if time.monotonic() > deadline:
            raise SystemExit(f"{statement!r} did not reach {at_least} in {limit:.0f} s")
        time.sleep(0.05)
    return time.perf_counter()


def organizer_and_group(client: httpx.Client, name: str) -> tuple[str, str]:
    """Over HTTP: the organizer Olga (her token) and her meetup group `name` (its id)."""
    credentials = {"email": "organizer@bench.example", "password": PASSWORD}
    organizer = gql(client, REGISTER, {"input": {**credentials, "name": "Olga"}})["register"][
        "token"
    ]
    organization = gql(
        client,
        CREATE_ORGANIZATION,
        {"input": {"name": name, "kind": "MEETUP_GROUP"}},
        organizer,
    )["createOrganization"]["organization"]["id"]
    return organizer, organization


def set_up(base: str) -> tuple[str, str, str]:
    """Over HTTP: the organizer, their organization and its event next week."""
    with httpx.Client(base_url=base, timeout=120) as client:
        organizer, organization = organizer_and_group(client, "Fan-out Meetup")
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
        return organizer, organization, event["event"]["id"]


def latencies(
    samples: list[tuple[float, float]], start: float, end: float, idle_p95: float | None
) -> dict[str, Any]:
    """The requests' count, p50 and p95 (and p95 over idle) sent between `start` and `end`."""
    values = [ms for when, ms in samples if start <= when < end]
    if not values:
        return {"requests": 0}
    p95 = percentile(values, 0.95)
    return {
        "requests": len(values),
        "p50_ms": round(statistics.median(values), 1),
        "p95_ms": round(p95, 1),
        **({"p95_ratio": round(p95 / idle_p95, 2)} if idle_p95 else {}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--saved-searches", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=15.0, help="of idle measurement")
    parser.add_argument("--database-url", default="", help="PostgreSQL (empty: SQLite)")
    parser.add_argument(
        "--worker",
        choices=("apart", "in-server"),
        default="apart",
        help="the background work in a `confrere worker` process, or in the serving one",
    )
    arguments = parser.parse_args()
    if arguments.saved_searches > arguments.people:
        parser.error("--saved-searches: at most one per member (--people)")
    work = Path(tempfile.mkdtemp(prefix="confrere-fanout-bench-"))
    environment = fresh_environment(
        work,
        {
            "CONFRERE_REQUIRE_VERIFIED_EMAIL": "0",  # the organizer acts at once
            "CONFRERE_REGISTRATIONS_PER_CLIENT": "100000",
            "CONFRERE_SITE_REBUILD_DELAY": "0",
            "CONFRERE_SECRET_KEY": "fan-out benchmark secret key, not for production",
            "CONFRERE_DIGEST_HOUR": "0",  # the day's alerts may run whenever they are let go
        },
        arguments.database_url,
    )
    os.environ.update(environment)
    migrate(environment)
    with serving(environment, work, "setup", worker_apart=False) as base:
        organizer, organization, event_id = set_up(base)
    seeded = time.perf_counter()
    seed_crowd(
        environment,
        int(_database_id(event_id)),
        int(_database_id(organization)),
        arguments.people,
        arguments.clients,
    )
    # The posting was written straight into the database: the indexes are made afresh from
    # it when the server starts.
    shutil.rmtree(work / "data" / "indexes", ignore_errors=True)
    print(f"seeded {arguments.people} members going in {time.perf_counter() - seeded:.1f} s")

    apart = arguments.worker == "apart"
    with (
        serving(environment, work, "measured", worker_apart=apart) as base,
        httpx.Client(base_url=base, timeout=120) as client,
    ):
        tokens = [
            gql(
                client,
                LOGIN,
                {"input": {"email": f"crowd{n}@bench.example", "password": PASSWORD}},
            )["login"]["token"]
            for n in range(arguments.clients)
        ]
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
        try:
            time.sleep(2)  # warm-up, not measured
            idle_from = time.perf_counter()
            time.sleep(arguments.seconds)
            idle_to = time.perf_counter()

            # Alerts: the saved searches, then today's run let go; the server's next
            # look at the schedule (once a minute) runs it.
            seed_saved_searches(environment, arguments.saved_searches)
            counted(environment, "DELETE FROM scheduled_run")
            wait_for(environment, ALERTED, 1, 90)
            alerts_from = time.perf_counter()
            alerted_at = wait_for(environment, ALERTED, arguments.saved_searches, 600)
            alerts_mailed_at = wait_for(environment, MAILED, arguments.saved_searches, 600)

            cancel_started = time.perf_counter()
            answer = gql(client, CANCEL_EVENT, {"input": {"id": event_id}}, organizer)
            assert answer["cancelEvent"]["userErrors"] == [], answer
            cancel_ms = (time.perf_counter() - cancel_started) * 1000
            told_at = wait_for(environment, TOLD, arguments.people, 600)
            everyone = arguments.saved_searches + arguments.people
            mailed_at = wait_for(environment, MAILED, everyone, 600)
        finally:
            stop.set()
            for thread in threads:
                thread.join()
    idle = latencies(samples, idle_from, idle_to, None)
    idle_p95 = idle["p95_ms"]
    result = {
        "database": "postgres" if arguments.database_url else "sqlite",
        "worker": arguments.worker,
        "people": arguments.people,
        "saved_searches": arguments.saved_searches,
        "idle": idle,
        "alerts": latencies(samples, alerts_from, alerts_mailed_at, idle_p95),
        "alerts_per_s": round(arguments.saved_searches / (alerted_at - alerts_from), 1),
        "cancel_ms": round(cancel_ms, 1),
        "fanout": latencies(samples, cancel_started, told_at, idle_p95),
        "fanout_seconds": round(told_at - cancel_started, 2),
        "notifications_per_s": round(arguments.people / (told_at - cancel_started), 1),
        "mailing": latencies(samples, told_at, mailed_at, idle_p95),
        "mails_queued_per_s": round(arguments.people / (mailed_at - told_at), 1),
    }
    print(
        f"worker {arguments.worker}, {result['database']}: member requests p95 "
        f"{idle_p95} ms idle ({idle['requests']} requests)\n"
        f"  alerts: {arguments.saved_searches} saved searches alerted and mailed in "
        f"{alerts_mailed_at - alerts_from:.1f} s ({result['alerts_per_s']} alerts/s); "
        f"p95 {_ratio(result['alerts'])}\n"
        f"  cancelEvent answered in {result['cancel_ms']} ms; {arguments.people} told in "
        f"{result['fanout_seconds']} s ({result['notifications_per_s']} notifications/s); "
        f"p95 {_ratio(result['fanout'])}\n"
        f"  their emails composed and queued at {result['mails_queued_per_s']} mails/s; "
        f"p95 {_ratio(result['mailing'])}"
    )
    print(json.dumps(result))


def _ratio(phase: dict[str, Any]) -> str:
    if not phase["requests"]:
        return "(no request in this phase)"
    return f"{phase['p95_ms']} ms ({phase['p95_ratio']}x idle, {phase['requests']} requests)"


def _database_id(global_id: str) -> str:
    import base64

    return base64.b64decode(global_id).decode().rpartition(":")[2]


if __name__ == "__main__":
    main()

"""Mail delivery throughput, and what delivering costs the API, in one run.

    .venv/bin/python benchmarks/mail.py --messages 10000

Starts a real SMTP server (aiosmtpd, in a process of its own, on a loopback port) and a real
`confrere serve` on a fresh SQLite data dir (or `--database-url postgresql://…`, emptied
first) that delivers its mail queue to that server. Then:

- idle: `--clients` threads send a signed-in GraphQL request (`viewer` with the account's
  fields) without pause for `--seconds`: the baseline;
- queues `--messages` verification-style messages straight into the queue (in transactions
  of 500, as a burst of registrations would) and, while the server delivers them, the same
  clients send the same request until the last message arrived.

It prints delivery throughput (messages the SMTP server received per second, from the first
to the last) and the request p50/p95 idle and during delivery, with the ratio of the p95s
(target: at most 2). The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._server import Process, Server, free_port, fresh_environment, migrate  # noqa: E402

REGISTER = """
mutation ($input: RegisterInput!) { register(input: $input) { token userErrors { code } } }
"""
VIEWER = "query Viewer { viewer { id email name emailVerified createdAt } }"
BATCH = 500


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


SMTP_SERVER = """
import sys, time
from aiosmtpd.controller import Controller

class Counting:
    async def handle_DATA(self, server, session, envelope):
        message_id = b""
        for line in envelope.content.split(b"\\r\\n"):
            if line.lower().startswith(b"message-id:"):
                message_id = line.split(b":", 1)[1].strip()
                break
        sys.stdout.write(f"{time.time()} {message_id.decode()}\\n")
        sys.stdout.flush()
        return "250 OK"

controller = Controller(Counting(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
sys.stdout.write("ready\\n")
sys.stdout.flush()
sys.stdin.read()  # until the benchmark closes it
controller.stop()
"""


class Received:
    """What the SMTP server (its own process, so that the clients here do not slow it down)
    reports: when each message arrived, and its Message-ID."""

    def __init__(self, port: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", SMTP_SERVER, str(port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        if self.process.stdout.readline().strip() != "ready":
            raise SystemExit("the SMTP server did not start")
        self.lock = threading.Lock()
        self.times: list[float] = []
        self.message_ids: set[str] = set()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            arrived, _, message_id = line.strip().partition(" ")
            with self.lock:
                self.times.append(float(arrived))
                self.message_ids.add(message_id)

    def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


def hammer(base: str, token: str, clients: int, until: threading.Event) -> list[float]:
    """Latencies (ms) of the signed-in request from `clients` threads until `until` is set."""
    latencies: list[float] = []
    lock = threading.Lock()

    def run() -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            headers = {"Authorization": f"Bearer {token}"}
            while not until.is_set():
                started = time.perf_counter()
                response = client.post("/graphql", json={"query": VIEWER}, headers=headers)
                elapsed = (time.perf_counter() - started) * 1000
                response.raise_for_status()
                with lock:
                    latencies.append(elapsed)

    threads = [threading.Thread(target=run) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


def queue_messages(environment: dict[str, str], count: int) -> float:
    """Queue `count` messages in transactions of BATCH; returns the seconds it took."""
    from api.core import db
    from api.core.db import write_transaction
    from api.core.settings import Settings
    from api.mail.compose import compose
    from api.mail.service import send

    settings = Settings.from_environment(environment)

    async def work() -> None:
        for start in range(0, count, BATCH):
            async with write_transaction():
                for number in range(start, min(count, start + BATCH)):
                    address = f"member{number}@bench.example"
                    await send(
                        compose(
                            settings,
                            "verify_email",
                            to_address=address,
                            to_name=f"Member {number}",
                            subject="Confirm your email address",
                            context={
                                "email": address,
                                "link": f"{settings.site_url}account/verify-email/?token=x{number}",
                                "valid_for": "3 days",
                            },
                        )
                    )

    started = time.perf_counter()
    db.run_with_database(settings, work)
    return time.perf_counter() - started


def empty_postgres(url: str) -> None:
    import asyncpg

    async def run() -> None:
        connection = await asyncpg.connect(url)
        try:
            rows = await connection.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'migration'"
            )
            if rows:
                names = ", ".join(f'"{row["tablename"]}"' for row in rows)
                await connection.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        finally:
            await connection.close()

    asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10.0, help="of the idle baseline")
    parser.add_argument("--database-url", default="", help="postgresql://… (emptied first)")
    parser.add_argument(
        "--worker",
        action="store_true",
        help="deliver with `confrere mail worker` beside the server "
        "(CONFRERE_MAIL_DELIVERY=external) instead of inside it",
    )
    arguments = parser.parse_args()

    smtp_port = free_port()
    handler = Received(smtp_port)
    work = Path(tempfile.mkdtemp(prefix="confrere-mail-bench-"))
    environment = fresh_environment(
        work,
        {
            "CONFRERE_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
            "CONFRERE_MAIL_FROM": "Bench <no-reply@bench.example>",
            "CONFRERE_SITE_REBUILD_DELAY": "0",
        },
        arguments.database_url,
    )
    migrate(environment)
    if arguments.database_url:
        empty_postgres(arguments.database_url)
    if arguments.worker:
        environment["CONFRERE_MAIL_DELIVERY"] = "external"
    try:
        with contextlib.ExitStack() as running:
            if arguments.worker:
                running.enter_context(Process(environment, ["mail", "worker"], work / "worker.log"))
            base = running.enter_context(Server(environment, work / "server.log")).url
            variables = {
                "input": {
                    "email": "bench@bench.example",
                    "password": "a long enough password",
                    "name": "Bench",
                }
            }
            body = httpx.post(f"{base}/graphql", json={"query": REGISTER, "variables": variables})
            token = body.json()["data"]["register"]["token"]
            deadline = time.monotonic() + 30
            while len(handler.times) < 1:  # the registration's verification: delivery works
                if time.monotonic() > deadline:
                    raise SystemExit("the registration's verification email never arrived")
                time.sleep(0.05)

            stop = threading.Event()
            threading.Timer(arguments.seconds, stop.set).start()
            idle = hammer(base, token, arguments.clients, stop)

            before = len(handler.times)
            queue_seconds = queue_messages(environment, arguments.messages)
            done = threading.Event()

            def watch() -> None:
                while len(handler.times) < before + arguments.messages:
                    time.sleep(0.05)
                done.set()

            threading.Thread(target=watch, daemon=True).start()
            during = hammer(base, token, arguments.clients, done)
            delivered = handler.times[before:]
            span = delivered[-1] - delivered[0] if len(delivered) > 1 else float("nan")
    finally:
        handler.stop()

    result = {
        "messages": arguments.messages,
        "database": "postgresql" if arguments.database_url else "sqlite",
        "deliverer": "confrere mail worker" if arguments.worker else "in the server",
        "queue_seconds": round(queue_seconds, 2),
        "delivery_seconds": round(span, 2),
        "messages_per_s": round((len(delivered) - 1) / span, 1),
        "distinct_message_ids": len(handler.message_ids) - 1,
        "idle_p50_ms": round(statistics.median(idle), 2),
        "idle_p95_ms": round(percentile(idle, 0.95), 2),
        "during_p50_ms": round(statistics.median(during), 2),
        "during_p95_ms": round(percentile(during, 0.95), 2),
        "requests_idle": len(idle),
        "requests_during": len(during),
    }
    result["p95_during_over_idle"] = round(result["during_p95_ms"] / result["idle_p95_ms"], 2)
    print(
        f"{result['messages']} messages delivered in {result['delivery_seconds']} s: "
        f"{result['messages_per_s']} messages/s ({result['database']}, "
        f"{result['deliverer']}); "
        f"request p95 {result['idle_p95_ms']} ms idle, {result['during_p95_ms']} ms during "
        f"delivery: {result['p95_during_over_idle']}x (target at most 2x)"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()

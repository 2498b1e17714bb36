"""Live events: published inside a write transaction, heard by subscribers once it commits.

A capability publishes `(topic, data)` in the transaction that makes the change (a new
notification for account 7 publishes on `notifications:7`); a GraphQL subscription listens on
a topic and re-reads what it shows from the database. Events carry ids, never content, so
what a subscriber sees is decided when it reads, under its own viewer.

Every app process hears every process's events, whichever one wrote:
- on PostgreSQL the events are `pg_notify` calls in that transaction: PostgreSQL delivers
  them when, and only if, it commits, to every process listening on the database (one LISTEN
  connection each, `listen_on_postgres`), on any node;
- on SQLite (one machine, `confrere serve` runs a process per core) the events wait on the
  transaction and, after the commit, go as datagrams to every process's socket in a folder
  beside the database file (`listen_on_sqlite`); a rolled-back transaction drops them.
  A process without a listener (a CLI command) still sends to the servers'.

Live events may be missed (a subscriber that connects a moment later, a connection being
re-opened, a subscriber that does not read): they are a nudge to re-read, and the database
stays the record.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import secrets
import socket
import tempfile
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

logger = logging.getLogger("confrere.live")

#: The one PostgreSQL channel every process listens on; the topic travels in the payload.
CHANNEL = "confrere_live"
#: Events a slow subscriber may have waiting before the oldest are dropped.
QUEUE_SIZE = 100
#: PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more.
MAX_PAYLOAD_BYTES = 7_900
#: Seconds between attempts to re-open a lost LISTEN connection.
RECONNECT_SECONDS = 1.0
#: The longest socket path every system takes (Linux 107 bytes, macOS 103).
MAX_SOCKET_PATH = 100
#: Bytes of events per datagram on SQLite (Linux takes about 200 KB; macOS less).
DATAGRAM_BYTES = 8_000

_pending: ContextVar[list[str] | None] = ContextVar("confrere_live_pending", default=None)


@dataclass
class LiveEvents:
    """This process's subscribers, by topic."""

    _subscribers: dict[str, set[asyncio.Queue[dict[str, Any]]]] = field(default_factory=dict)

    def deliver(self, topic: str, data: dict[str, Any]) -> None:
        """Hand an event to every subscriber of `topic` in this process."""
        for queue in self._subscribers.get(topic, ()):
            if queue.full():  # a subscriber that does not read loses its oldest events
                queue.get_nowait()
            queue.put_nowait(data)

    @contextlib.asynccontextmanager
    async def subscribe(self, topic: str) -> AsyncIterator[asyncio.Queue[dict[str, Any]]]:
        """A queue of the events published on `topic` from now until the block ends."""
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=QUEUE_SIZE)
        self._subscribers.setdefault(topic, set()).add(queue)
        try:
            yield queue
        finally:
            subscribers = self._subscribers.get(topic, set())
            subscribers.discard(queue)
            if not subscribers:
                self._subscribers.pop(topic, None)

    def _heard(self, payload: str | bytes) -> None:
        """One event (`{"topic", "data"}`) or a list of them, as JSON."""
        try:
            heard = json.loads(payload)
            for event in heard if isinstance(heard, list) else [heard]:
                self.deliver(event["topic"], event["data"])
        except (ValueError, KeyError, TypeError):
            logger.warning("a live event that is not ours was ignored: %.200r", payload)

    async def listen_on_sqlite(self, database: Path, stop: asyncio.Event) -> None:
        """Hear every process's events on the SQLite database `database` until `stop`: a
        datagram socket named after this process in the folder beside the database."""
        folder = socket_folder(database)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if folder.stat().st_uid != os.getuid():
            logger.warning("%s belongs to someone else: no live events here", folder)
            return
        # The pid says whose it is; the random part keeps two apps of one process (tests)
        # apart.
        path = folder / f"{os.getpid()}.{secrets.token_hex(4)}.sock"
        receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        receiver.setblocking(False)
        try:
            receiver.bind(str(path))
        except OSError as problem:  # a read-only folder, say: the server still serves
            receiver.close()
            logger.warning("no live events in this process: cannot bind %s (%s)", path, problem)
            return
        loop = asyncio.get_running_loop()

        def readable() -> None:
            while True:
                try:
                    datagram = receiver.recv(1 << 20)
                except (BlockingIOError, InterruptedError):
                    return
                self._heard(datagram)

        loop.add_reader(receiver.fileno(), readable)
        try:
            await stop.wait()
        finally:
            loop.remove_reader(receiver.fileno())
            receiver.close()
            path.unlink(missing_ok=True)

    async def listen_on_postgres(self, dsn: str, stop: asyncio.Event) -> None:
        """Hear every process's events on PostgreSQL until `stop`; a lost connection is
        opened again (events published meanwhile are missed, as the module says)."""
        while not stop.is_set():
            lost = asyncio.Event()
            try:
                connection = await asyncpg.connect(dsn)
            except (OSError, asyncpg.PostgresError) as problem:
                logger.warning("cannot listen for live events (%s); retrying", problem)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=RECONNECT_SECONDS)
                continue
            try:
                connection.add_termination_listener(lambda _connection, lost=lost: lost.set())
                await connection.add_listener(CHANNEL, self._on_notification)
                waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(lost.wait())]
                try:
                    await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    for wait in waits:
                        wait.cancel()
                if lost.is_set() and not stop.is_set():
                    logger.warning("the live events connection was lost; opening it again")
            finally:
                with contextlib.suppress(Exception):
                    await connection.close(timeout=2)

    def _on_notification(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        self._heard(payload)


#: This process's subscribers (one app process serves them all).
events = LiveEvents()


async def publish(topic: str, data: dict[str, Any]) -> None:
    """Publish `data` on `topic` when the current write transaction commits.

    Call it inside `write_transaction()`: outside one there would be no commit to wait for.
    """
    await publish_many([(topic, data)])


async def publish_many(events: Iterable[tuple[str, dict[str, Any]]]) -> None:
    """Publish each `(topic, data)` when the current write transaction commits: one
    statement on PostgreSQL however many there are (an event's 5,000 guests)."""
    pending = _pending.get()
    if pending is None:
        raise RuntimeError("live.publish() runs inside write_transaction()")
    payloads = []
    for topic, data in events:
        payload = json.dumps({"topic": topic, "data": data}, separators=(",", ":"))
        if len(payload.encode()) > MAX_PAYLOAD_BYTES:
            raise ValueError(f"a live event carries ids, not content ({len(payload)} bytes)")
        payloads.append(payload)
    if not payloads:
        return
    from api.core.db import current_engine
    from api.core.outbox import OutboxEvent

    if isinstance(current_engine(), PostgresEngine):
        # Inside the transaction, on its connection: PostgreSQL sends them at the commit.
        await OutboxEvent.raw(
            "SELECT pg_notify({}, payload) FROM unnest({}::text[]) AS payload",
            CHANNEL,
            payloads,
        )
    else:
        pending.extend(payloads)


def socket_folder(database: Path) -> Path:
    """Where the processes sharing one SQLite database have their live-event sockets: beside
    it, or where a socket's path is too long for the system there (about 100 bytes), in a
    folder of the temporary directory named after the database's path."""
    beside = database.with_name(database.name + ".live")
    if len(str(beside)) + len("/4194304.01234567.sock") <= MAX_SOCKET_PATH:
        return beside
    digest = hashlib.sha256(str(database.resolve()).encode()).hexdigest()[:20]
    return Path(tempfile.gettempdir()) / f"confrere-live-{digest}"


def send_to_processes(database: Path, payloads: list[str]) -> None:
    """Send events to every process listening on the SQLite database `database`. A socket
    whose process is gone is removed; a process that does not keep up misses them."""
    folder = socket_folder(database)
    try:
        addresses = [str(path) for path in folder.glob("*.sock")]
    except OSError:
        return
    if not addresses:
        return
    datagrams: list[bytes] = []
    batch: list[str] = []
    size = 2
    for payload in payloads:
        if batch and size + len(payload) + 1 > DATAGRAM_BYTES:
            datagrams.append(("[" + ",".join(batch) + "]").encode())
            batch, size = [], 2
        batch.append(payload)
        size += len(payload) + 1
    datagrams.append(("[" + ",".join(batch) + "]").encode())
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sender:
        sender.setblocking(False)
        for address in addresses:
            for datagram in datagrams:
                try:
                    sender.sendto(datagram, address)
                except (ConnectionRefusedError, FileNotFoundError):
                    Path(address).unlink(missing_ok=True)  # its process died
                    break
                except (BlockingIOError, OSError) as problem:
                    logger.debug("live events to %s dropped: %s", address, problem)
                    break


@contextlib.contextmanager
def collected() -> Iterator[Callable[[], None]]:
    """Around the outermost write transaction: gathers what it publishes (on SQLite) and
    gives a function that sends it to the processes, called after the commit. On
    PostgreSQL the events went out with the commit itself."""
    if _pending.get() is not None:  # a nested transaction: the outermost one delivers
        yield lambda: None
        return
    pending: list[str] = []
    token = _pending.set(pending)

    def deliver() -> None:
        if not pending:
            return
        from api.core.db import current_engine

        engine = current_engine()
        assert isinstance(engine, SQLiteEngine)  # PostgreSQL's went out with the commit
        send_to_processes(Path(engine.path), pending)

    try:
        yield deliver
    finally:
        _pending.reset(token)

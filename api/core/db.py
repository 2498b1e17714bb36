"""The database engine: choosing it from settings, the write transaction, migrations."""

from __future__ import annotations

import asyncio
import contextlib
import io
import itertools
import os
import sqlite3
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Iterable
from contextvars import ContextVar
from enum import StrEnum
from typing import Any, TypeVar
from urllib.parse import urlparse

import aiosqlite
from piccolo.apps.migrations.commands.forwards import ForwardsMigrationManager, run_forwards
from piccolo.apps.migrations.tables import Migration
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType, dict_factory
from piccolo.querystring import QueryString
from piccolo.table import Table

from api.core import live
from api.core.settings import Settings
from api.core.viewer import note_write

# Piccolo's migration runner finds its engine and apps through this module name; it is the
# only configuration Piccolo reads from the environment, so it is set here, once.
os.environ.setdefault("PICCOLO_CONF", "api.piccolo_conf")

#: Seconds a SQLite writer waits for the write lock before giving up.
SQLITE_BUSY_TIMEOUT = 60


class DatabaseNotConfigured(RuntimeError):
    pass


class PooledSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLite engine, reusing connections for statements outside transactions,
    and reading on the event loop's own thread.

    Piccolo opens a new aiosqlite connection (a thread, a connect, a PRAGMA) for every
    such statement, which costs more than the statement itself; a request's reads then pay
    it several times. Connections are kept per event loop (aiosqlite connections belong to
    the loop that made them) and closed by `close_pool`. Transactions keep their own
    connection, as in Piccolo. In WAL mode an idle autocommit connection holds no snapshot,
    so reads through a kept connection see every committed write.

    A SELECT outside a transaction runs at once on the loop's reader: a plain sqlite3
    connection of this loop's thread, made read-only (`PRAGMA query_only`). Handing it to
    an aiosqlite thread and back costs more than the read itself (a queue, two thread
    wake-ups and the fight for the GIL, worse the more requests are in flight): with 16
    requests at once this halved the CPU time of a candidate search. In WAL mode a
    reader never waits for a writer; when the database is locked all the same (recovery,
    a connection in exclusive locking mode), the reader does not wait either — no busy
    timeout, so the loop is never held — and the read goes to a pooled connection, which
    waits in its own thread as every statement used to.
    """

    MAX_IDLE = 8

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._idle: dict[asyncio.AbstractEventLoop, list[aiosqlite.Connection]] = {}
        # Weak: a loop that ends without `close_idle` (a script's asyncio.run) takes its
        # reader with it, and sqlite3 closes a connection it frees.
        self._readers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, sqlite3.Connection]
        self._readers = weakref.WeakKeyDictionary()
        self._reader_serials: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, int]
        self._reader_serials = weakref.WeakKeyDictionary()
        self._serial = itertools.count(1)

    def _reader(self) -> sqlite3.Connection:
        loop = asyncio.get_running_loop()
        reader = self._readers.get(loop)
        if reader is None:
            # check_same_thread off only so that the collector may close it from anywhere:
            # it is used from its loop's thread alone.
            reader = sqlite3.connect(
                **{**self.connection_kwargs, "timeout": 0}, check_same_thread=False
            )
            reader.row_factory = dict_factory
            reader.execute("PRAGMA query_only = 1")
            self._readers[loop] = reader
            self._reader_serials[loop] = next(self._serial)
        return reader

    def _read_here(self, query: str, args: list[Any]) -> list[dict[str, Any]] | None:
        """The rows of a SELECT read on this thread, or None when the database is locked."""
        reader = self._reader()
        try:
            cursor = reader.execute(query, args)
            try:
                rows: list[dict[str, Any]] = cursor.fetchall()
            finally:
                cursor.close()  # the read transaction ends with the statement
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                return None
            raise
        return rows

    def change_counter(self) -> tuple[int, int] | None:
        """A value that any commit to the database by another connection (every write goes
        through one: the reader is read-only) changes, or None while the database is locked:
        `PRAGMA data_version` on this loop's reader, with the reader's serial number (a new
        reader counts afresh)."""
        reader = self._reader()
        try:
            version: int = reader.execute("PRAGMA data_version").fetchone()["data_version"]
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                return None
            raise
        return (self._reader_serials[asyncio.get_running_loop()], version)

    async def _acquire(self) -> aiosqlite.Connection:
        idle = self._idle.setdefault(asyncio.get_running_loop(), [])
        if idle:
            return idle.pop()
        connection = await aiosqlite.connect(**self.connection_kwargs)
        await connection.execute("PRAGMA foreign_keys = 1")
        connection.row_factory = dict_factory  # type: ignore[assignment]
        return connection

    async def _release(self, connection: aiosqlite.Connection) -> None:
        idle = self._idle.setdefault(asyncio.get_running_loop(), [])
        if len(idle) < self.MAX_IDLE:
            idle.append(connection)
        else:
            await connection.close()

    async def _run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: type[Table] | None = None,
    ) -> Any:
        if _is_read(query):
            read = self._read_here(query, args or [])
            if read is not None:
                return read
        connection = await self._acquire()
        try:
            async with connection.execute(query, args or []) as cursor:
                rows = await cursor.fetchall()
        except BaseException:
            await connection.close()  # in an unknown state: do not hand it out again
            raise
        await self._release(connection)
        return rows

    async def close_idle(self) -> None:
        loop = asyncio.get_running_loop()
        reader = self._readers.pop(loop, None)
        if reader is not None:
            reader.close()
        for connection in self._idle.pop(loop, []):
            await connection.close()


async def change_counter() -> Hashable | None:
    """A value that any commit to the database, by any connection of any process, changes
    (see api/core/response_cache.py); None when it cannot be read at once."""
    engine = current_engine()
    if isinstance(engine, PooledSQLiteEngine):
        return engine.change_counter()
    # PostgreSQL's current snapshot: which transactions have committed (`xmin:xmax:in
    # progress`). Only a transaction that writes takes a transaction id, so reads leave it
    # as it is, and two equal snapshots see the same data.
    rows = await engine.run_querystring(
        QueryString("SELECT pg_current_snapshot()::text AS snapshot")
    )
    snapshot: str = rows[0]["snapshot"]
    return snapshot


def _is_read(query: str) -> bool:
    """A statement Piccolo compiles for a select, count, exists or objects query (all
    `SELECT …`); anything else, CTEs and raw statements included, keeps the pooled path."""
    return query.lstrip()[:6].upper() == "SELECT"


def _registered_tables() -> list[type[Table]]:
    from api.piccolo_conf import APP_REGISTRY

    tables: list[type[Table]] = [Migration]
    for app_config in APP_REGISTRY.app_configs.values():
        tables.extend(app_config.table_classes)
    return tables


def app_names() -> list[str]:
    from api.piccolo_conf import APP_REGISTRY

    return list(APP_REGISTRY.app_configs.keys())


def create_engine(settings: Settings) -> Engine[Any]:
    if settings.database_kind == "postgres":
        url = urlparse(settings.database_url)
        return PostgresEngine(
            config={"dsn": settings.database_url, "database": url.path.lstrip("/")},
            extensions=(),
        )
    path = settings.sqlite_path
    path.parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers go on while one writer writes; the mode is kept in the file itself.
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
    return PooledSQLiteEngine(path=str(path), timeout=SQLITE_BUSY_TIMEOUT)


def use_engine(engine: Engine[Any]) -> Engine[Any]:
    """Point every table, and Piccolo's migration runner, at `engine`."""
    import api.piccolo_conf

    api.piccolo_conf.DB = engine
    for table in _registered_tables():
        table._meta.db = engine
    return engine


def use_database(settings: Settings) -> Engine[Any]:
    return use_engine(create_engine(settings))


def current_engine() -> Engine[Any]:
    import api.piccolo_conf

    if api.piccolo_conf.DB is None:
        raise DatabaseNotConfigured("use_database(settings) has not been called")
    return api.piccolo_conf.DB


class Queue(StrEnum):
    """The queues background work waits on. A write transaction that adds to one says so
    (`queued`), and only the work listening for that queue wakes when it commits: a message,
    a login or a profile edit wakes nobody who has nothing to do."""

    OUTBOX = "outbox"
    """Search outbox rows: the indexer and the site's rebuild."""
    MAIL = "mail"
    """Outgoing mail: the deliverer."""
    NOTIFICATIONS = "notifications"
    """Notifications to tell or email: the notification duty."""
    EXPORTS = "exports"
    """Data exports asked for: the privacy duty."""


_commit_listeners: list[tuple[Callable[[], None], frozenset[Queue] | None]] = []

#: The queues the current write transaction has added to (None outside one).
_queued_in_transaction: ContextVar[set[Queue] | None] = ContextVar(
    "confrere_queued_in_transaction", default=None
)


def add_commit_listener(
    listener: Callable[[], None], queues: Iterable[Queue] | None = None
) -> Callable[[], None]:
    """Call `listener` after every committed write transaction that added to one of `queues`
    (every committed write transaction, without them). Returns what removes it."""
    entry = (listener, None if queues is None else frozenset(queues))
    _commit_listeners.append(entry)
    return lambda: _commit_listeners.remove(entry)


def queued(queue: Queue) -> None:
    """Say that the current write transaction added work to `queue`: its listeners wake once
    it commits. Outside a write transaction they wake at once."""
    current = _queued_in_transaction.get()
    if current is None:
        _wake_listeners({queue})
    else:
        current.add(queue)


def _wake_listeners(queues: set[Queue]) -> None:
    for listener, wanted in list(_commit_listeners):
        if wanted is None or not wanted.isdisjoint(queues):
            listener()


def is_unique_violation(error: Exception) -> bool:
    """A unique index refused the write (sqlite3.IntegrityError "UNIQUE constraint failed",
    asyncpg's UniqueViolationError): a race past an existence check, settled by the index."""
    text = f"{type(error).__name__} {error}".lower()
    return "unique" in text


@contextlib.asynccontextmanager
async def write_transaction() -> AsyncIterator[None]:
    """Run a block of writes atomically.

    On SQLite the transaction starts IMMEDIATE: it takes the write lock at BEGIN, so
    concurrent writers queue on the busy timeout instead of failing with "database is
    locked" when a read lock would have to be upgraded mid-transaction.
    """
    engine = current_engine()
    if isinstance(engine, SQLiteEngine):
        transaction = engine.transaction(transaction_type=TransactionType.immediate)
    else:
        transaction = engine.transaction()
    outer = _queued_in_transaction.get()
    queues: set[Queue] = set()
    token = _queued_in_transaction.set(queues)
    try:
        with live.collected() as deliver_live_events:
            async with transaction:
                yield
    finally:
        _queued_in_transaction.reset(token)
    note_write()  # what this request knew of its viewer's world may be stale now
    deliver_live_events()
    if outer is not None:
        outer |= queues  # an inner block: its work is known when the outer one commits
    _wake_listeners(queues)


async def open_pool(engine: Engine[Any]) -> None:
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(min_size=1, max_size=10)


POOL_CLOSE_SECONDS = 10.0


async def close_pool(engine: Engine[Any]) -> None:
    if isinstance(engine, PostgresEngine):
        pool = engine.pool
        try:
            # A graceful close waits for every connection to be released; one stuck in a
            # transaction must not hang shutdown for ever.
            await asyncio.wait_for(engine.close_connection_pool(), timeout=POOL_CLOSE_SECONDS)
        except TimeoutError:
            if pool is not None:
                pool.terminate()
            engine.pool = None
    elif isinstance(engine, PooledSQLiteEngine):
        await engine.close_idle()


async def migrate(verbose: bool = False) -> None:
    """Apply every pending migration of every app, in dependency order.

    Piccolo prints as it goes; unless `verbose`, that chatter is kept out of the output.
    """
    output = io.StringIO()
    quiet = contextlib.nullcontext() if verbose else contextlib.redirect_stdout(output)
    with quiet:
        result = await run_forwards(app_name="all")
    if not result.success:
        raise RuntimeError(f"migration failed: {result.message}\n{output.getvalue()}")


async def pending_migrations() -> dict[str, list[str]]:
    """Migrations not yet applied, by app; empty when the database is up to date."""
    from api.piccolo_conf import APP_REGISTRY

    migrations_table_exists = await Migration.table_exists()
    manager = ForwardsMigrationManager(app_name="all")
    pending: dict[str, list[str]] = {}
    for name, app_config in APP_REGISTRY.app_configs.items():
        ran = set()
        if migrations_table_exists:
            ran = set(await Migration.get_migrations_which_ran(app_name=name))
        modules = manager.get_migration_modules(app_config.resolved_migrations_folder_path)
        missing = sorted(set(manager.get_migration_ids(modules)) - ran)
        if missing:
            pending[name] = missing
    return pending


_T = TypeVar("_T")


def run_with_database(settings: Settings, work: Callable[[], Awaitable[_T]]) -> _T:
    """Run `work` in a new event loop with the configured database open (and its pool, on
    PostgreSQL): for commands, which have no server to open it."""

    async def run() -> _T:
        engine = use_database(settings)
        await open_pool(engine)
        try:
            return await work()
        finally:
            await close_pool(engine)

    return asyncio.run(run())

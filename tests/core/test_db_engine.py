"""The pooled SQLite engine overrides a private Piccolo method: that method is still there, still
called, and the override keeps Piccolo's behaviour (autocommit) while reusing connections and
reading on the loop's thread."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import sqlite3
import threading
import time
import tomllib
from importlib import metadata
from pathlib import Path

from piccolo.engine.sqlite import SQLiteEngine

from api.core.db import PooledSQLiteEngine

ROOT = Path(__file__).resolve().parents[2]


def _parameters(function: object) -> list[tuple[str, object]]:
    signature = inspect.signature(function)  # type: ignore[arg-type]
    return [(name, p.default) for name, p in signature.parameters.items()]


def test_piccolo_is_pinned_to_the_version_the_override_was_written_for() -> None:
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    [piccolo] = [d for d in dependencies if d.startswith("piccolo[")]

    assert piccolo.endswith(f"=={metadata.version('piccolo')}")


def test_the_overridden_private_method_keeps_its_signature() -> None:
    expected = [
        ("self", inspect.Parameter.empty),
        ("query", inspect.Parameter.empty),
        ("args", None),
        ("query_type", "generic"),
        ("table", None),
    ]

    assert _parameters(SQLiteEngine._run_in_new_connection) == expected
    assert _parameters(PooledSQLiteEngine._run_in_new_connection) == expected
    assert PooledSQLiteEngine._run_in_new_connection is not SQLiteEngine._run_in_new_connection


def test_statements_outside_transactions_share_a_connection_and_are_committed(
    tmp_path: Path,
) -> None:
    path = tmp_path / "pooled.sqlite"

    async def run() -> list[dict[str, object]]:
        engine = PooledSQLiteEngine(path=str(path))
        try:
            # A temporary table lives only in the connection that made it: the later
            # statements see it only if Piccolo called the override, which reuses it.
            await engine.run_ddl("CREATE TEMP TABLE scratch (value INTEGER)")
            await engine.run_ddl("INSERT INTO scratch VALUES (7)")
            await engine.run_ddl("CREATE TABLE kept (value INTEGER)")
            await engine.run_ddl("INSERT INTO kept SELECT value FROM scratch")
            rows: list[dict[str, object]] = await engine.run_ddl("SELECT value FROM kept")
            return rows
        finally:
            await engine.close_idle()

    rows = asyncio.run(run())

    assert rows == [{"value": 7}]
    # and the write is committed: another connection reads it
    with contextlib.closing(sqlite3.connect(path)) as other:
        assert other.execute("SELECT value FROM kept").fetchall() == [(7,)]


def _wal_database(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as setup:
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE kept (value INTEGER)")
        setup.execute("INSERT INTO kept VALUES (1)")


def test_reads_run_on_the_loop_s_thread_and_see_every_committed_write(tmp_path: Path) -> None:
    path = tmp_path / "reads.sqlite"
    _wal_database(path)

    async def run() -> tuple[list[object], list[object], int]:
        engine = PooledSQLiteEngine(path=str(path))
        try:
            first = await engine.run_ddl("SELECT value FROM kept ORDER BY value")
            # written by another connection after the reader read: no snapshot is kept
            with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as other:
                other.execute("INSERT INTO kept VALUES (2)")
            # and by a pooled connection of the engine itself
            await engine.run_ddl("INSERT INTO kept VALUES (3)")
            second = await engine.run_ddl("SELECT value FROM kept ORDER BY value")
            pooled = len(engine._idle[asyncio.get_running_loop()])
            return [r["value"] for r in first], [r["value"] for r in second], pooled
        finally:
            await engine.close_idle()

    first, second, pooled = asyncio.run(run())

    assert first == [1]
    assert second == [1, 2, 3]
    assert pooled == 1  # the INSERT's: neither read took a pooled connection


def test_the_loop_s_reader_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "query-only.sqlite"
    _wal_database(path)

    async def run() -> str:
        engine = PooledSQLiteEngine(path=str(path))
        try:
            await engine.run_ddl("SELECT value FROM kept")
            reader = engine._readers[asyncio.get_running_loop()]
            try:
                reader.execute("DELETE FROM kept")
            except sqlite3.OperationalError as refused:
                return str(refused)
            return "written"
        finally:
            await engine.close_idle()

    assert asyncio.run(run()) == "attempt to write a readonly database"
    with contextlib.closing(sqlite3.connect(path)) as other:
        assert other.execute("SELECT value FROM kept").fetchall() == [(1,)]


def test_a_read_of_a_locked_database_waits_off_the_loop(tmp_path: Path) -> None:
    """A connection in exclusive locking mode keeps every other reader out, even in WAL
    mode: the loop's reader is refused at once, and the read waits on a pooled connection's
    thread while the loop goes on running other tasks."""
    path = tmp_path / "locked.sqlite"
    _wal_database(path)
    locker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    locker.execute("PRAGMA locking_mode=EXCLUSIVE")
    locker.execute("BEGIN EXCLUSIVE")
    locker.execute("INSERT INTO kept VALUES (2)")
    locker.execute("COMMIT")  # exclusive mode keeps the lock until the connection closes
    release = threading.Timer(0.6, locker.close)

    async def run() -> tuple[list[object], int, float]:
        engine = PooledSQLiteEngine(path=str(path), timeout=30)
        ticks = 0

        async def tick() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.02)
                ticks += 1

        ticker = asyncio.create_task(tick())
        started = time.monotonic()
        try:
            release.start()
            rows = await engine.run_ddl("SELECT value FROM kept ORDER BY value")
            return [r["value"] for r in rows], ticks, time.monotonic() - started
        finally:
            ticker.cancel()
            await engine.close_idle()

    try:
        values, ticks, waited = asyncio.run(run())
    finally:
        release.join()

    assert values == [1, 2]
    assert waited >= 0.5  # it did wait for the lock
    assert ticks >= 10  # and the loop ran on meanwhile (a held loop ticks at most once)


def test_closing_the_pool_closes_the_loop_s_reader(tmp_path: Path) -> None:
    path = tmp_path / "closed.sqlite"
    _wal_database(path)

    async def run() -> sqlite3.Connection:
        engine = PooledSQLiteEngine(path=str(path))
        await engine.run_ddl("SELECT value FROM kept")
        reader = engine._readers[asyncio.get_running_loop()]
        await engine.close_idle()
        assert not engine._readers
        return reader

    reader = asyncio.run(run())

    try:
        reader.execute("SELECT 1")
    except sqlite3.ProgrammingError as closed:
        assert "closed" in str(closed)
    else:
        raise AssertionError("the reader is still open")

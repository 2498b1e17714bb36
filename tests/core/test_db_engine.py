"""The pooled SQLite engine overrides a private Piccolo method: that method is still there, still
called, and the override keeps Piccolo's behaviour (autocommit) while reusing connections."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import sqlite3
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
            # A temporary table lives only in the connection that made it: the second and
            # third statements see it only if Piccolo called the override, which reuses it.
            await engine.run_ddl("CREATE TEMP TABLE scratch (value INTEGER)")
            await engine.run_ddl("INSERT INTO scratch VALUES (7)")
            await engine.run_ddl("CREATE TABLE kept (value INTEGER)")
            await engine.run_ddl("INSERT INTO kept SELECT value FROM scratch")
            rows: list[dict[str, object]] = await engine.run_ddl("SELECT value FROM scratch")
            return rows
        finally:
            await engine.close_idle()

    rows = asyncio.run(run())

    assert rows == [{"value": 7}]
    # and the write is committed: another connection reads it
    with contextlib.closing(sqlite3.connect(path)) as other:
        assert other.execute("SELECT value FROM kept").fetchall() == [(7,)]

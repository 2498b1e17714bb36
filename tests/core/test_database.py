"""Storage: migrations from an empty database on both engines, WAL, queued SQLite writers."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from api.core import db
from api.core.settings import Settings
from tests.conftest import POSTGRES_ADMIN_URL, TEST_SECRET, LiveServer

REGISTER = """
mutation Register($input: RegisterInput!) {
  register(input: $input) { account { id } userErrors { code message } }
}
"""

EXPECTED_TABLES = {"account", "account_session", "throttle", "migration"}


async def _migrate_twice_and_list_pending(settings: Settings) -> tuple[dict, dict, dict]:
    engine = db.use_database(settings)
    await db.open_pool(engine)
    try:
        before = await db.pending_migrations()
        await db.migrate()
        after_first = await db.pending_migrations()
        await db.migrate()  # a second run is a no-op, not an error
        return before, after_first, await db.pending_migrations()
    finally:
        await db.close_pool(engine)


def test_migrations_apply_to_an_empty_sqlite_database(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, secret_key=TEST_SECRET)

    before, after, again = asyncio.run(_migrate_twice_and_list_pending(settings))

    assert set(before) == set(db.app_names())
    assert after == {} and again == {}
    with contextlib.closing(sqlite3.connect(settings.sqlite_path)) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        assert tables >= EXPECTED_TABLES
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


@pytest.mark.postgres
def test_migrations_apply_to_an_empty_postgres_database(tmp_path: Path) -> None:
    asyncpg = pytest.importorskip("asyncpg")
    name = f"confrere_migrate_{uuid.uuid4().hex[:10]}"
    base = POSTGRES_ADMIN_URL.rpartition("/")[0]

    async def admin(statement: str) -> None:
        connection = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=3)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    try:
        asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    except OSError as error:
        pytest.skip(f"no PostgreSQL server at {POSTGRES_ADMIN_URL}: {error}")
    try:
        settings = Settings(data_dir=tmp_path, database_url=f"{base}/{name}", secret_key="x")
        before, after, again = asyncio.run(_migrate_twice_and_list_pending(settings))

        assert set(before) == set(db.app_names())
        assert after == {} and again == {}

        async def tables() -> set[str]:
            connection = await asyncpg.connect(f"{base}/{name}")
            try:
                rows = await connection.fetch(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                )
            finally:
                await connection.close()
            return {row["tablename"] for row in rows}

        assert asyncio.run(tables()) >= EXPECTED_TABLES
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def test_the_server_refuses_to_start_on_an_unmigrated_database(tmp_path: Path) -> None:
    from litestar.testing import TestClient

    from api.app import PendingMigrations, create_app

    app = create_app(Settings(data_dir=tmp_path, secret_key=TEST_SECRET))
    with pytest.raises(BaseException) as raised, TestClient(app=app):
        pass

    # Litestar's lifespan task group wraps the error; the message tells what to run
    found = raised.value
    if isinstance(found, BaseExceptionGroup):
        assert raised.group_contains(PendingMigrations, match="confrere db migrate", depth=None)
    else:
        assert isinstance(found, PendingMigrations)


def test_forty_concurrent_registrations_on_sqlite_all_succeed(live_server: LiveServer) -> None:
    # given a real server on SQLite, when 40 clients register at the same moment
    def register(index: int) -> httpx.Response:
        variables = {
            "input": {
                "email": f"person{index}@example.org",
                "password": "a sufficiently long password",
                "name": f"Person {index}",
            }
        }
        return httpx.post(
            f"{live_server.url}/graphql",
            json={"query": REGISTER, "variables": variables},
            timeout=120,
        )

    with ThreadPoolExecutor(max_workers=40) as pool:
        responses = list(pool.map(register, range(40)))

    # then every one succeeds: no "database is locked", no masked error
    assert [response.status_code for response in responses] == [200] * 40
    bodies = [response.json() for response in responses]
    assert [body for body in bodies if "errors" in body] == []
    assert [body["data"]["register"]["userErrors"] for body in bodies] == [[]] * 40
    ids = {r.json()["data"]["register"]["account"]["id"] for r in responses}
    assert len(ids) == 40

"""kill -9 in the middle of indexing: the next start catches up and every document is there once."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import time
from pathlib import Path

from api.core import db
from api.core.settings import Settings
from search.candidates import CANDIDATES
from search.engine import STATE_FILE, SearchIndex
from tests.conftest import TEST_SECRET, confrere_command

RESUMES = 3000


async def _plant(settings: Settings) -> int:
    """Resumes and their outbox rows, written the way the service writes them."""
    from api.core.outbox import OutboxAction, OutboxEvent
    from api.people.tables import Account
    from api.resumes.service import _for_storage, derived_columns
    from api.resumes.tables import Resume

    engine = db.use_database(settings)
    await db.open_pool(engine)
    try:
        [account] = await Account.insert(
            Account(email="bulk@example.org", name="Bulk", password_hash="x")
        ).returning(Account.id)
        for start in range(0, RESUMES, 500):
            documents = [
                {
                    "basics": {"name": f"Person {n}", "label": "Engineer"},
                    "skills": [{"name": "Python"}, {"name": f"Skill{n % 50}"}],
                    "work": [{"name": "Globex", "position": "Engineer", "startDate": "2019"}],
                }
                for n in range(start, start + 500)
            ]
            async with db.write_transaction():
                rows = await Resume.insert(
                    *[
                        Resume(
                            owner=account["id"],
                            title="Engineer",
                            visibility="PUBLIC",
                            document=json.dumps(document),
                            **_for_storage(derived_columns(document)),
                        )
                        for document in documents
                    ]
                ).returning(Resume.id)
                await OutboxEvent.insert(
                    *[
                        OutboxEvent(
                            kind="candidates",
                            object_id=row["id"],
                            action=OutboxAction.UPSERT.value,
                        )
                        for row in rows
                    ]
                )
        return RESUMES
    finally:
        await db.close_pool(engine)


def _applied(index_dir: Path) -> int:
    try:
        return json.loads((index_dir / STATE_FILE).read_text())["last_sequence"]
    except (FileNotFoundError, json.JSONDecodeError):
        return 0


def test_kill_minus_nine_mid_indexing_loses_nothing_and_duplicates_nothing(
    tmp_path: Path,
) -> None:
    environment = {
        **os.environ,
        "CONFRERE_DATA_DIR": str(tmp_path / "data"),
        "CONFRERE_REQUIRE_VERIFIED_EMAIL": "0",  # not what this measures or tests
        "CONFRERE_SECRET_KEY": TEST_SECRET,
    }
    environment.pop("DATABASE_URL", None)
    settings = Settings(data_dir=tmp_path / "data", secret_key=TEST_SECRET)
    subprocess.run(confrere_command("db", "migrate"), env=environment, check=True)
    # an empty index at outbox position 0, then many changes waiting in the outbox
    subprocess.run(confrere_command("index", "rebuild"), env=environment, check=True)
    asyncio.run(_plant(settings))
    index_dir = settings.index_dir / "candidates"
    assert _applied(index_dir) == 0

    # when the worker is killed with SIGKILL after its first batch, before the last
    worker = subprocess.Popen(
        confrere_command("index", "worker"),
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while _applied(index_dir) == 0:
        assert worker.poll() is None, "the worker stopped by itself"
        assert time.monotonic() < deadline, "the worker applied nothing"
        time.sleep(0.005)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    applied_before = _applied(index_dir)
    assert 0 < applied_before < RESUMES, "the kill did not land mid-indexing"
    lock = settings.index_dir / "candidates.confrere-writer.lock"
    assert lock.read_text() == str(worker.pid)  # the dead writer's lock file is still there

    # then the next start takes the lock, catches up from the outbox and stops
    again = subprocess.run(
        confrere_command("index", "worker", "--once"),
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert lock.read_text() != str(worker.pid)

    index = SearchIndex(index_dir, CANDIDATES)
    assert index.last_sequence() == RESUMES
    searcher = index._searcher()
    stored = [fields["id"] for fields in searcher.all_stored_fields()]
    assert len(stored) == RESUMES
    assert len(set(stored)) == RESUMES  # every document present once
    assert index.check() == RESUMES


SEARCH = '{ searchCandidates(query: "engineer") { totalCount } }'


def test_an_unreadable_index_is_rebuilt_from_the_database_at_start(
    tmp_path: Path, sqlite_settings: Settings
) -> None:
    from litestar.testing import TestClient

    from api.app import create_app
    from tests.conftest import GraphQLClient
    from tests.factories import import_resume, member, settle

    with TestClient(app=create_app(sqlite_settings)) as client:
        graphql = GraphQLClient(client)
        owner = member(graphql)
        for n in range(3):
            import_resume(graphql, owner, {"basics": {"name": f"P{n}", "label": "Engineer"}})
        settle(graphql)
        assert graphql.data(SEARCH)["searchCandidates"]["totalCount"] == 3

    # an OS crash left the table of contents unreadable (Whoosh never fsyncs)
    index_dir = sqlite_settings.index_dir / "candidates"
    for toc in index_dir.resolve().glob("_MAIN_*.toc"):
        toc.write_bytes(b"\x00" * 16)

    with TestClient(app=create_app(sqlite_settings)) as client:
        assert GraphQLClient(client).data(SEARCH)["searchCandidates"]["totalCount"] == 3

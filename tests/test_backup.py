"""`confrere db backup` and `confrere db restore`, run as an operator would, on either database."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.core.settings import Settings
from tests.conftest import TEST_SECRET, GraphQLClient, confrere_command
from tests.factories import Member, join, member, organization
from tests.networks.directory_helpers import browse, names


@pytest.fixture
def backed_up(settings: Settings) -> Settings:
    """The configured database, when this machine can back it up (pg_dump for PostgreSQL)."""
    if settings.database_kind == "postgres" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed: PostgreSQL backups cannot be tested here")
    return settings


def confrere(settings: Settings, *arguments: str | Path) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "CONFRERE_DATA_DIR": str(settings.data_dir),
        "CONFRERE_REQUIRE_VERIFIED_EMAIL": "0",  # not what this measures or tests
        "CONFRERE_SECRET_KEY": TEST_SECRET,
        "DATABASE_URL": settings.database_url,
    }
    return subprocess.run(
        confrere_command(*map(str, arguments)),
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def serving(settings: Settings) -> TestClient[Any]:
    return TestClient(app=create_app(settings))


@pytest.fixture
def club(backed_up: Settings) -> tuple[Member, str]:
    """Ada, and the club she founded (so she is in its directory); the server stopped."""
    with serving(backed_up) as http:
        graphql = GraphQLClient(http)
        ada = member(graphql, "Ada Lovelace")
        return ada, organization(graphql, ada, "Analytical Engine Club")


def test_restore_brings_back_the_data_and_the_search_indexes(
    backed_up: Settings, club: tuple[Member, str], tmp_path: Path
) -> None:
    ada, club_id = club
    backup = tmp_path / "confrere.backup"
    # Given a backup taken while the server runs, and a change made after it
    with serving(backed_up) as http:
        graphql = GraphQLClient(http)
        made = confrere(backed_up, "db", "backup", backup)
        assert made.returncode == 0, made.stderr
        grace = member(graphql, "Grace Hopper")
        join(graphql, grace, club_id)
        assert names(browse(graphql, club_id, ada)) == ["Ada Lovelace", "Grace Hopper"]

    # When the backup is restored
    restored = confrere(backed_up, "db", "restore", backup)

    # Then the database and the indexes are as they were at the backup
    assert restored.returncode == 0, restored.stderr
    assert "rebuilding the search indexes" in restored.stderr
    assert "rebuilt directory: 1 documents" in restored.stderr
    with serving(backed_up) as http:
        graphql = GraphQLClient(http)
        assert names(browse(graphql, club_id, ada)) == ["Ada Lovelace"]
        assert names(browse(graphql, club_id, ada, query="Lovelace")) == ["Ada Lovelace"]
        assert names(browse(graphql, club_id, ada, query="Hopper")) == []


def test_backup_does_not_overwrite_a_file_without_force(
    backed_up: Settings, club: tuple[Member, str], tmp_path: Path
) -> None:
    backup = tmp_path / "precious"
    backup.write_text("yesterday's backup")

    refused = confrere(backed_up, "db", "backup", backup)

    assert refused.returncode != 0
    assert "already exists; use --force" in refused.stderr
    assert backup.read_text() == "yesterday's backup"
    assert confrere(backed_up, "db", "backup", "--force", backup).returncode == 0
    assert confrere(backed_up, "db", "restore", backup).returncode == 0


def not_a_confrere_database(path: Path) -> Path:
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE notes (body TEXT)")
    return path


@pytest.mark.parametrize(
    ("make_file", "complaint"),
    [
        (lambda path: path.write_text("not a backup at all") and path, "not a"),
        (not_a_confrere_database, "not a"),
        (lambda path: path, "there is no backup file"),
    ],
    ids=["text", "other-sqlite-database", "missing"],
)
def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(
    backed_up: Settings,
    club: tuple[Member, str],
    tmp_path: Path,
    make_file: Any,
    complaint: str,
) -> None:
    ada, club_id = club
    file = make_file(tmp_path / "suspicious")

    refused = confrere(backed_up, "db", "restore", file)

    assert refused.returncode != 0
    assert complaint in refused.stderr
    assert "Traceback" not in refused.stderr
    with serving(backed_up) as http:
        assert names(browse(GraphQLClient(http), club_id, ada)) == ["Ada Lovelace"]


def test_restore_waits_for_the_servers_indexer_to_stop(
    backed_up: Settings, club: tuple[Member, str], tmp_path: Path
) -> None:
    ada, club_id = club
    backup = tmp_path / "confrere.backup"
    assert confrere(backed_up, "db", "backup", backup).returncode == 0
    with serving(backed_up) as http:
        graphql = GraphQLClient(http)
        join(graphql, member(graphql, "Grace Hopper"), club_id)

        refused = confrere(backed_up, "db", "restore", backup)

        assert refused.returncode != 0
        assert "before restoring" in refused.stderr
        assert names(browse(graphql, club_id, ada)) == ["Ada Lovelace", "Grace Hopper"]

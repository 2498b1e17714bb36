"""Backing the database up to one file and restoring it: SQLite's online backup, or pg_dump."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from api.core.db import SQLITE_BUSY_TIMEOUT
from api.core.settings import Settings

SQLITE_HEADER = b"SQLite format 3\x00"
#: Tables every Confrere database has: a file without them is not a backup of one.
SIGNATURE_TABLES = ("migration", "outbox_event")


class BackupFailed(RuntimeError):
    """Said to the user as it is: what went wrong and what to do."""


def backup(settings: Settings, file: Path, *, force: bool = False) -> None:
    """Write the database to `file`, which appears only once complete."""
    if file.is_dir():
        raise BackupFailed(f"{file} is a directory; name the backup file to write")
    if file.exists() and not force:
        raise BackupFailed(f"{file} already exists; use --force to overwrite it")
    if not file.parent.is_dir():
        raise BackupFailed(f"there is no directory {file.parent} to write {file.name} in")
    partial = file.with_name(f".{file.name}.partial-{os.getpid()}")
    try:
        if settings.database_kind == "postgres":
            _run(_pg_tool("pg_dump"), "--format=custom", f"--file={partial}", database=settings)
        else:
            _sqlite_backup(settings.sqlite_path, partial)
        os.replace(partial, file)
    finally:
        partial.unlink(missing_ok=True)


def check_backup(settings: Settings, file: Path) -> None:
    """Refuse a file that is not a backup of this kind of database, before anything changes."""
    if not file.is_file():
        raise BackupFailed(f"there is no backup file {file}")
    if settings.database_kind == "postgres":
        listing = _run(_pg_tool("pg_restore"), "--list", str(file), backup_file=file)
        if " TABLE public outbox_event " not in listing:
            raise BackupFailed(f"{file} is a PostgreSQL dump, but not of a Confrere database")
        return
    with file.open("rb") as opened:
        if opened.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupFailed(
                f"{file} is not a SQLite backup made by `confrere db backup` "
                "(the configured database is SQLite)"
            )
    try:
        with contextlib.closing(
            sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)
        ) as c:
            tables = {row[0] for row in c.execute("SELECT name FROM sqlite_master")}
            healthy = c.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError as error:
        raise BackupFailed(f"{file} cannot be read as a SQLite database: {error}") from None
    if not healthy:
        raise BackupFailed(f"{file} is damaged (SQLite's quick_check fails)")
    if not set(SIGNATURE_TABLES) <= tables:
        raise BackupFailed(f"{file} is a SQLite database, but not a Confrere one")


def restore(settings: Settings, file: Path) -> None:
    """Replace the database's contents with the backup's, all at once or not at all."""
    check_backup(settings, file)
    if settings.database_kind == "postgres":
        # One transaction: a restore that fails half-way leaves the database as it was.
        _run(
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            str(file),
            database=settings,
        )
        return
    target = settings.sqlite_path
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        contextlib.closing(sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)) as src,
        contextlib.closing(sqlite3.connect(target, timeout=SQLITE_BUSY_TIMEOUT)) as live,
    ):
        # The online backup API copies every page in one step, under the live database's
        # write lock: a running server waits for it, then reads the restored data.
        src.backup(live)
        live.execute("PRAGMA journal_mode=WAL")


def _sqlite_backup(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupFailed(f"there is no database at {source}")
    with (
        contextlib.closing(sqlite3.connect(source, timeout=SQLITE_BUSY_TIMEOUT)) as live,
        contextlib.closing(sqlite3.connect(target)) as copy,
    ):
        live.backup(copy)  # a consistent snapshot, even while the server writes
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupFailed(
            f"{name} is not installed; install PostgreSQL's client tools "
            "(Debian/Ubuntu: apt install postgresql-client) matching the server's version"
        )
    return found


def _run(
    tool: str, *arguments: str, database: Settings | None = None, backup_file: Path | None = None
) -> str:
    """Run a PostgreSQL client tool, on the configured database when given; its password
    goes in the environment, never on a command line others can read."""
    command = [tool, *arguments]
    environment = dict(os.environ)
    if database is not None:
        url = urlparse(database.database_url)
        if url.password:
            environment["PGPASSWORD"] = url.password
        netloc = url.netloc.rpartition("@")[2]
        if url.username:
            netloc = f"{url.username}@{netloc}"
        command.append(f"--dbname={urlunparse(url._replace(netloc=netloc))}")
    # The tool is found on PATH by name; the arguments are a path and our own options.
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        problem = done.stderr.strip() or f"exit status {done.returncode}"
        if backup_file is not None:
            raise BackupFailed(
                f"{backup_file} is not a PostgreSQL backup made by `confrere db backup` "
                f"(the configured database is PostgreSQL): {problem}"
            )
        raise BackupFailed(f"{Path(tool).name} failed: {problem}")
    return done.stdout

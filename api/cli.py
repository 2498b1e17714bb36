"""The `confrere` command: serve, migrate, seed, accounts, export the schema, build the site."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from api.core import db
from api.core.errors import InvalidInput
from api.core.settings import WILDCARD_HOSTS, Settings, SettingsError, served_site_url

console = Console(stderr=True)


def _settings() -> Settings:
    try:
        return Settings.from_environment()
    except SettingsError as error:
        raise click.UsageError(str(error)) from None


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Confrere: an open, self-hostable professional network server."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("piccolo").setLevel(logging.WARNING)


@main.command()
@click.option(
    "--host", default=None, help="Address to listen on [default: $CONFRERE_HOST or 127.0.0.1]."
)
@click.option(
    "--port", default=None, type=int, help="Port to listen on [default: $CONFRERE_PORT or 8000]."
)
@click.option("--reload", is_flag=True, help="Restart on code changes (development; one worker).")
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    default=None,
    help="App processes serving the port; one of them holds the worker role "
    "[default: the number of cores; 1 with --reload].",
)
def serve(host: str | None, port: int | None, reload: bool, workers: int | None) -> None:
    """Serve the API at /graphql and the built site at /, from N processes.

    Every process answers requests; one of them holds this node's worker role and also
    applies the search outbox, rebuilds the site and expires postings (another takes the
    role over if it dies).
    """
    import uvicorn

    from api.core import listeners

    if reload and workers not in (None, 1):
        raise click.UsageError("--reload runs one process; leave out --workers")
    workers = 1 if reload else (workers or _cores())
    # The app reads its settings from the environment (uvicorn's factory, reload workers):
    # the address given here goes there, so the site's links follow it (unless
    # CONFRERE_SITE_URL is set).
    if host is not None:
        os.environ["CONFRERE_HOST"] = host
    if port is not None:
        os.environ["CONFRERE_PORT"] = str(port)
    settings = _settings()
    if workers > 1 or settings.metrics_dir is not None:
        # Set before any worker imports prometheus_client (it reads it at import).
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(_fresh_metrics_dir(settings))
    console.print(
        f"Confrere ({settings.environment.value}, {settings.database_kind}) on "
        f"{served_site_url(settings.host, settings.port)} — GraphQL at /graphql; "
        f"the site's links name {settings.site_url}; {workers} "
        f"{'process' if workers == 1 else 'processes'}"
    )
    if settings.host in WILDCARD_HOSTS and not settings.site_url_given:
        console.print(
            f"Listening on every interface: pages link to {settings.site_url}, which works on "
            "this machine; set CONFRERE_SITE_URL to the address other machines use."
        )
    options: dict[str, Any] = {
        "factory": True,
        "host": settings.host,
        "port": settings.port,
        "workers": workers,
        # The app reads X-Forwarded-For itself, from CONFRERE_TRUSTED_PROXIES only.
        "proxy_headers": False,
        # The app logs one line per request, with its GraphQL operation and duration.
        "access_log": False,
        "log_level": "info",
    }
    if workers > 1 and listeners.BALANCED:
        _serve_balanced(uvicorn.Config("api.app:create_served_app", **options))
    else:
        uvicorn.run("api.app:create_served_app", reload=reload, **options)


def _serve_balanced(config: Any) -> None:
    """uvicorn's supervisor of worker processes, each listening on its own socket on the
    port (see api/core/listeners.py); restarts a worker that dies."""
    from uvicorn.config import STARTUP_FAILURE
    from uvicorn.supervisors import Multiprocess

    from api.core import listeners

    try:
        port = listeners.share_port(config.host, config.port)
    except listeners.PortTaken as error:
        raise click.ClickException(str(error)) from None
    with port:
        supervisor = Multiprocess(config, sockets=[port])
        supervisor.run()
    if any(process.exitcode == STARTUP_FAILURE for process in supervisor.processes):
        raise SystemExit(STARTUP_FAILURE)


def _cores() -> int:
    """The cores this process may run on (fewer than the machine's in a limited container)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _fresh_metrics_dir(settings: Settings) -> Path:
    """The folder the workers share their metrics in, emptied of a previous run's values
    (prometheus_client keeps one file per process and kind of metric)."""
    folder = settings.metrics_dir or settings.data_dir / "metrics"
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink(missing_ok=True)
    return folder


@main.command(name="worker")
@click.option(
    "--niceness",
    type=click.IntRange(0, 19),
    default=10,
    show_default=True,
    help="How much lower than the servers' this process's CPU priority is (0: the same): "
    "requests go first when the cores are busy.",
)
def worker_process(niceness: int) -> None:
    """Hold this node's worker role without serving HTTP (a standby while a server holds it).

    Applies the search outbox, rebuilds the site, expires postings, tells crowds their
    notifications and mails them, and runs the scheduled alerts, digests and reminders, as
    the server process holding the role would; the servers of this node then only answer
    requests. Start it before them, or it stands by and takes the role over when its holder
    stops. It runs at a lower CPU priority (`--niceness`), so that telling 5,000 people
    slows nobody's requests down on a busy machine.
    """
    import asyncio
    import os
    import signal

    if niceness:
        os.nice(niceness)

    from api.app import worker_role
    from api.indexes import indexes

    settings = _settings()
    settings.ensure_data_dir()

    async def work() -> None:
        if await db.pending_migrations():
            raise click.ClickException("the database needs migrations: run `confrere db migrate`")
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(number, stop.set)
        async with worker_role(settings, indexes(settings)).serving():
            await stop.wait()

    from search.engine import IndexBusy

    try:
        db.run_with_database(settings, work)
    except IndexBusy as busy:
        raise click.ClickException(
            f"{busy}; stop `confrere index rebuild` or `confrere index worker` first"
        ) from None


@main.group(name="db")
def database() -> None:
    """The database: migrations, backup and restore."""


@database.command()
@click.option("--verbose", is_flag=True, help="Show each migration as it runs.")
def migrate(verbose: bool) -> None:
    """Apply every pending migration (safe to run again)."""
    settings = _settings()

    async def work() -> dict[str, list[str]]:
        pending = await db.pending_migrations()
        await db.migrate(verbose=verbose)
        return pending

    applied = db.run_with_database(settings, work)
    if applied:
        for app, ids in applied.items():
            console.print(f"migrated {app}: {len(ids)} migration(s)")
    else:
        console.print("the database is up to date")


@database.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE when it exists.")
def backup(file: Path, force: bool) -> None:
    """Copy the whole database into FILE; safe while the server runs.

    SQLite: the online backup API (FILE is a SQLite file). PostgreSQL: `pg_dump -Fc`.
    """
    from api.core.backup import BackupFailed
    from api.core.backup import backup as back_up

    settings = _settings()
    with console.status(f"backing up the {settings.database_kind} database"):
        try:
            back_up(settings, file, force=force)
        except BackupFailed as error:
            raise click.ClickException(str(error)) from None
    console.print(f"backed up the {settings.database_kind} database to {file}")


@database.command()
@click.argument("file", type=click.Path(path_type=Path))
def restore(file: Path) -> None:
    """Replace the database with the backup in FILE, then rebuild the search indexes.

    The indexes' writers must be stopped (the server's indexer or `confrere index worker`):
    the command stops with a message, before changing anything, when one is running.
    """
    from api.core.backup import BackupFailed, check_backup
    from api.core.backup import restore as restore_backup
    from api.indexes import indexes
    from search.engine import IndexBusy

    settings = _settings()
    opened = indexes(settings)
    try:
        check_backup(settings, file)
        with contextlib.ExitStack() as locks:
            for index, _ in opened.values():
                locks.enter_context(index.writer_lock())
            with console.status(f"restoring the {settings.database_kind} database from {file}"):
                restore_backup(settings, file)
            console.print(f"restored the {settings.database_kind} database from {file}")

            async def rebuild_all() -> list[str] | None:
                if await db.pending_migrations():
                    return None
                return [
                    f"{name}: {await _rebuild_with_progress(name, index, kind, procs=1)} documents"
                    for name, (index, kind) in opened.items()
                ]

            console.print("rebuilding the search indexes from the restored database")
            rebuilt = db.run_with_database(settings, rebuild_all)
    except BackupFailed as error:
        raise click.ClickException(str(error)) from None
    except IndexBusy as busy:
        raise click.ClickException(
            f"{busy}; stop the server's indexer or `confrere index worker` before restoring"
        ) from None
    if rebuilt is None:
        console.print(
            "the restored database needs migrations: run `confrere db migrate`, then "
            "`confrere index rebuild`"
        )
        return
    for line in rebuilt:
        console.print(f"rebuilt {line}")


@main.command()
@click.option("--demo", is_flag=True, required=True, help="Load the demo network.")
@click.option("--accounts", default=80, show_default=True, type=click.IntRange(12, 100_000))
@click.option(
    "--alumni",
    default=300,
    show_default=True,
    type=click.IntRange(0, 100_000),
    help="Accounts in the demo alumni association, on top of --accounts.",
)
@click.option("--force", is_flag=True, help="Seed even when the database already has data.")
def seed(demo: bool, accounts: int, alumni: int, force: bool) -> None:
    """Load demo data into an empty database (skipped when it has data)."""
    from api import demo as demo_data

    settings = _settings()

    async def work() -> str:
        if await db.pending_migrations():
            raise click.ClickException("the database needs migrations: run `confrere db migrate`")
        if not force and not await demo_data.database_is_empty():
            return "the database already has data; demo data not loaded (use --force to add it)"
        with _progress() as progress:
            task = progress.add_task("demo network", total=None)
            summary = await demo_data.seed_demo(
                settings,
                accounts=accounts,
                alumni=alumni,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
        return (
            f"loaded {summary.accounts} demo accounts, {summary.organizations} organizations, "
            f"{summary.resumes} resumes, {summary.connections} connections, {summary.jobs} job "
            f"postings, {summary.applications} applications, {summary.alumni} alumni, "
            f"{summary.events} events, {summary.posts} posts and {summary.perks} perks; sign in as "
            f"{demo_data.DEMO_MEMBER_EMAIL}, {demo_data.DEMO_RECRUITER_EMAIL} (a recruiter) or "
            f"{demo_data.DEMO_STAFF_EMAIL} (staff) with password {demo_data.DEMO_PASSWORD!r}"
        )

    console.print(db.run_with_database(settings, work))


@main.group()
def accounts() -> None:
    """Accounts: create one from the command line (the first staff account, say)."""


@accounts.command(name="create")
@click.option("--email", required=True)
@click.option("--password", required=True, help="At least 10 characters.")
@click.option("--name", required=True)
@click.option("--staff", is_flag=True, help="Give the account staff rights.")
def create_account(email: str, password: str, name: str, staff: bool) -> None:
    """Create an account (its address counts as verified: the operator vouches for it)."""
    from api.people import service as people

    settings = _settings()

    async def work() -> dict[str, Any]:
        return await people.register(
            email=email, password=password, name=name, is_staff=staff, verified=True
        )

    try:
        account = db.run_with_database(settings, work)
    except InvalidInput as invalid:
        for error in invalid.errors:
            console.print(f"[red]{error.field or 'input'}[/red]: {error.message}")
        sys.exit(1)
    role = "staff account" if account["is_staff"] else "account"
    console.print(f"created {role} {account['email']} (id {account['id']})")


@main.command(name="export-schema")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file.")
def export_schema(output: Path | None) -> None:
    """Print the GraphQL schema (SDL), as committed in schema.graphql."""
    from api.schema import schema

    sdl = schema.as_str() + "\n"
    if output:
        output.write_text(sdl)
        console.print(f"wrote {output}")
    else:
        click.echo(sdl, nl=False)


@main.group()
def site() -> None:
    """The public static site."""


@site.command(name="build")
def build_site() -> None:
    """Build the site with MkDocs into $CONFRERE_DATA_DIR/site (swapped in atomically).

    Its links name CONFRERE_SITE_URL, or the address CONFRERE_HOST and CONFRERE_PORT serve.
    """
    from api.site.build import SiteBuildFailed
    from api.site.build import build_site as build

    settings = _settings()
    with console.status("building the site with MkDocs"):
        try:
            built = build(settings)
        except SiteBuildFailed as error:
            raise click.ClickException(str(error)) from None
    console.print(
        f"built the site for {settings.site_url} into {settings.site_dir} "
        f"(-> {built.output.name}) in {built.summary}"
    )


@main.group(name="index")
def search_index() -> None:
    """The search indexes: rebuild from the database, run the indexer apart, status."""


def _kinds(kind: str | None) -> list[str]:
    from api.indexes import KINDS

    names = [k.name for k in KINDS]
    if kind is not None and kind not in names:
        raise click.UsageError(f"unknown kind {kind!r}; use one of {', '.join(names)}")
    return [kind] if kind else names


async def _rebuild_with_progress(name: str, index: Any, kind: Any, *, procs: int) -> int:
    """Rebuild one index, its writer lock already held, showing how far it has got."""
    from api.core.indexing import rebuild as rebuild_index

    with _progress() as progress:
        task = progress.add_task(f"indexing {name}", total=None)
        return await rebuild_index(
            index,
            kind,
            procs=procs,
            progress=lambda n, total: progress.update(task, completed=n, total=total),
        )


@search_index.command()
@click.option("--kind", help="Rebuild only this index (default: all).")
@click.option(
    "--procs",
    default=min(2, os.cpu_count() or 1),
    show_default=True,
    type=click.IntRange(1, 16),
    help="Indexing processes (only in this command, never in the server; a rebuild of "
    "fewer than 2,000 documents uses one).",
)
def rebuild(kind: str | None, procs: int) -> None:
    """Rebuild indexes from the database and swap each in atomically.

    Each index's writer lock is held while it is rebuilt: a running indexer (the server's or
    `confrere index worker`) or another rebuild makes this command stop with a message.
    """
    from api.indexes import indexes
    from search.engine import IndexBusy

    settings = _settings()
    selected = _kinds(kind)

    async def work() -> list[str]:
        done = []
        for name, (index, search_kind) in indexes(settings).items():
            if name not in selected:
                continue
            with index.writer_lock():
                count = await _rebuild_with_progress(name, index, search_kind, procs=procs)
            done.append(f"{name}: {count} documents")
        return done

    try:
        rebuilt = db.run_with_database(settings, work)
    except IndexBusy as busy:
        raise click.ClickException(
            f"{busy}; stop the server's indexer or `confrere index worker` first"
        ) from None
    for line in rebuilt:
        console.print(f"rebuilt {line}")


@search_index.command()
@click.option("--once", is_flag=True, help="Catch up with the outbox and exit.")
def worker(once: bool) -> None:
    """Apply the search outbox (set CONFRERE_INDEXER=external on the servers)."""
    from api.core.indexing import Indexer
    from api.indexes import indexes
    from search.engine import IndexBusy

    settings = _settings()
    opened = indexes(settings)

    async def work() -> int:
        indexer = Indexer(opened)
        with contextlib.ExitStack() as locks:
            for index, _ in opened.values():
                locks.enter_context(index.writer_lock())
            await indexer.prepare()
            if once:
                return await indexer.catch_up()
            console.print("indexer running; Ctrl-C stops it")
            await indexer.run()
            return indexer.applied

    try:
        applied = db.run_with_database(settings, work)
    except IndexBusy as busy:
        raise click.ClickException(str(busy)) from None
    except KeyboardInterrupt:
        return
    console.print(f"applied {applied} outbox rows")


@search_index.command()
def status() -> None:
    """Documents and outbox position of each index."""
    from api.core.indexing import latest_sequence
    from api.indexes import indexes

    settings = _settings()

    async def work() -> tuple[int, dict[str, tuple[int, int]]]:
        latest = await latest_sequence()
        found = {}
        for name, (index, _) in indexes(settings).items():
            count = index.check() if index.exists() else 0
            found[name] = (count, index.last_sequence() if index.exists() else 0)
        return latest, found

    latest, found = db.run_with_database(settings, work)
    for name, (count, applied) in found.items():
        console.print(f"{name}: {count} documents, outbox applied to {applied} of {latest}")


@main.group()
def jobs() -> None:
    """Job postings."""


@jobs.command(name="expire")
def expire() -> None:
    """Expire published postings past their validThrough (the server does it every minute)."""
    from api.jobs.service import expire_jobs

    count = db.run_with_database(_settings(), expire_jobs)
    console.print(f"expired {count} job postings")


@main.group()
def mail() -> None:
    """Outgoing mail."""


@mail.command(name="worker")
@click.option("--once", is_flag=True, help="Send what is due now and exit.")
def mail_worker(once: bool) -> None:
    """Deliver the mail queue (set CONFRERE_MAIL_DELIVERY=external on the servers, or not:
    each message is claimed by one deliverer)."""
    from api.mail.deliverer import Deliverer

    settings = _settings()
    try:
        deliverer = Deliverer(settings)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    where = settings.smtp_url.split("@")[-1] if settings.smtp_url else str(settings.mail_dir)

    async def work() -> None:
        if once:
            await deliverer.deliver_due()
            await deliverer.transport.close()
            return
        # SIGTERM (a service manager stopping it) finishes the message in hand first.
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, deliverer.stop)
        console.print(f"mail deliverer running, to {where}; Ctrl-C stops it")
        await deliverer.run()

    with contextlib.suppress(KeyboardInterrupt):
        db.run_with_database(settings, work)
    console.print(f"sent {deliverer.sent} messages, {deliverer.failed} failed attempts")


@mail.command(name="status")
def mail_status() -> None:
    """Messages in the queue by status."""
    from api.mail.service import queue_counts

    counts = db.run_with_database(_settings(), queue_counts)
    console.print(", ".join(f"{count} {status.lower()}" for status, count in counts.items()))

"""Builds the Litestar app: GraphQL at /graphql, health checks, the built site at /."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

from litestar import Litestar, Request, WebSocket, get
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from litestar.logging.config import LoggingConfig
from litestar.middleware import DefineMiddleware
from litestar.response import Response
from litestar.static_files import create_static_files_router
from litestar.status_codes import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE
from litestar.types import GetLogger
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from api.core import collector, db, live
from api.core.auth import InvalidToken, request_viewer
from api.core.context import Context
from api.core.graphql import graphiql_assets, make_controller
from api.core.indexing import Indexer, SearchKind
from api.core.metrics import Metrics, RequestMetrics, metrics_endpoint, use_metrics
from api.core.response_cache import ResponseCache
from api.core.roles import Duty, Work, WorkerRole, running, stoppable
from api.core.settings import IndexerMode, MailDelivery, Settings
from api.core.viewer import Viewer, begin_request
from api.indexes import indexes
from api.jobs.feed import jobs_feed
from api.jobs.service import expire_jobs
from api.mail.deliverer import Deliverer
from api.notifications.duty import deliver_notifications
from api.notifications.unsubscribe import unsubscribe_now, unsubscribe_page
from api.privacy.download import data_export_download
from api.privacy.duty import prepare_exports
from api.routes import events_paths, jobs_paths, organizations_exports, organizations_paths
from api.schema import build_schema
from api.site.policy import ContentSecurityPolicy, SitePolicy
from api.site.rebuild import rebuild_after_changes
from search.engine import SearchIndex

logger = logging.getLogger("confrere")


@functools.cache
def _configure_logging() -> GetLogger:
    return LoggingConfig().configure()


class ProcessLogging(LoggingConfig):
    """Litestar's default logging, configured once per process: each `configure()` starts
    another queue-listener thread that nothing stops until exit (one per app built — over a
    thousand in the test suite, which then took minutes to shut down)."""

    def configure(self) -> GetLogger:
        return _configure_logging()


_NO_SITE_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Confrere</title></head><body><h1>Confrere</h1>
<p>The public site has not been built yet: run <code>confrere site build</code>.</p>
<p>The API is at <a href="/graphql">/graphql</a>.</p></body></html>"""


class PendingMigrations(RuntimeError):
    pass


async def graphql_context(request: Request[Any, Any, Any], state: State) -> Context:
    """Authenticate the request once; a bad token is answered 401 before anything runs."""
    settings: Settings = state.settings
    viewer, token_problem = Viewer(), None  # a fresh anonymous viewer: caches are per request
    try:
        viewer = await request_viewer(request, settings)
    except InvalidToken as problem:
        token_problem = problem
    return Context.of(
        settings,
        viewer,
        token_problem=token_problem,
        client_address=request.client.host if request.client else "",
        search=state.search,
    )


async def graphql_websocket_context(socket: WebSocket[Any, Any, Any], state: State) -> Context:
    """A WebSocket starts anonymous: its token comes in the connection_init payload, checked
    when it arrives (`on_ws_connect` in api/core/graphql.py)."""
    begin_request()
    context = Context.of(
        state.settings,
        Viewer(),
        client_address=socket.client.host if socket.client else "",
        search=state.search,
    )
    context.websocket = socket
    return context


@get("/healthz", sync_to_thread=False, include_in_schema=False)
def healthz() -> dict[str, str]:
    """The process is up and answering."""
    return {"status": "ok"}


@get("/readyz", include_in_schema=False)
async def readyz(state: State) -> Response[dict[str, Any]]:
    """The database answers, its migrations are all applied and the search indexes exist;
    also which process answered and which holds this node's worker role."""
    try:
        pending = await db.pending_migrations()
    except Exception as error:  # a readiness probe reports any failure, it never raises
        logger.warning("readiness check failed: %s", error)
        return Response(
            {"status": "unavailable", "reason": "the database does not answer"},
            status_code=HTTP_503_SERVICE_UNAVAILABLE,
        )
    if pending:
        return Response(
            {"status": "unavailable", "reason": "migrations pending", "pending": pending},
            status_code=HTTP_503_SERVICE_UNAVAILABLE,
        )
    role: WorkerRole = state.worker_role
    serving = {"process": os.getpid(), "worker_role": role.holder()}
    missing = sorted(name for name, index in state.search.items() if not index.exists())
    if missing:
        # A new node: the role's holder is still building them from the database.
        return Response(
            {"status": "unavailable", "reason": "search indexes not built yet", "missing": missing}
            | serving,
            status_code=HTTP_503_SERVICE_UNAVAILABLE,
        )
    return Response(
        {"status": "ok", "database": state.settings.database_kind} | serving,
        status_code=HTTP_200_OK,
    )


def _site_not_built(request: Request[Any, Any, Any], error: NotFoundException) -> Response[str]:
    if request.url.path == "/":
        return Response(_NO_SITE_PAGE, status_code=HTTP_200_OK, media_type="text/html")
    return Response("Not found", status_code=404, media_type="text/plain")


EXPIRY_INTERVAL_SECONDS = 60.0


async def _expire_periodically(stop: asyncio.Event) -> None:
    """Postings past validThrough leave the board within a minute (see `confrere jobs expire`).

    Stopped by `stop`, never cancelled: a cancellation inside the write transaction would
    leave its connection "idle in transaction" and the pool could not close.
    """
    while not stop.is_set():  # at start first: postings that expired while we were down
        try:
            expired = await expire_jobs()
            if expired:
                logger.info("expired %d job postings", expired)
        except Exception:  # keep the loop alive; the next round retries
            logger.exception("expiring job postings failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=EXPIRY_INTERVAL_SECONDS)


def worker_role(
    settings: Settings, search_indexes: dict[str, tuple[SearchIndex, SearchKind]]
) -> WorkerRole:
    """This node's worker role and its duties: the indexer (unless CONFRERE_INDEXER is
    external), job expiry, mail delivery (unless CONFRERE_MAIL_DELIVERY is external), the
    site rebuild (unless its delay is 0) and data exports."""

    @contextlib.asynccontextmanager
    async def indexer() -> AsyncIterator[None]:
        """The in-process indexer: the single writer of this node's indexes."""
        indexing = Indexer(search_indexes)
        with contextlib.ExitStack() as locks:
            for index, _ in search_indexes.values():
                locks.enter_context(index.writer_lock())
            await indexing.prepare()
            task = asyncio.create_task(indexing.run(), name="confrere-indexer")
            try:
                yield
            finally:
                indexing.stop()
                await task

    @contextlib.asynccontextmanager
    async def mail_delivery() -> AsyncIterator[None]:
        """The in-process mail deliverer; any other process delivering the same queue (on
        another node, or `confrere mail worker`) takes other messages, never the same one."""
        deliverer = Deliverer(settings)
        task = asyncio.create_task(deliverer.run(), name="confrere-mail")
        try:
            yield
        finally:
            deliverer.stop()
            await task

    # The alerts of the notification email search this node's indexes (the in-process
    # indexer keeps them).
    readers = {kind: index for kind, (index, _) in search_indexes.items()}
    duties: dict[str, Duty | None] = {
        "search indexer": indexer if settings.indexer is IndexerMode.INLINE else None,
        "job expiry": stoppable("confrere-job-expiry", _expire_periodically),
        "mail delivery": mail_delivery if settings.mail_delivery is MailDelivery.INLINE else None,
        # Rebuild the public site, debounced, after public data changes (a delay of 0: never).
        "site rebuild": (
            stoppable("confrere-site-rebuild", functools.partial(rebuild_after_changes, settings))
            if settings.site_rebuild_delay > 0
            else None
        ),
        # Prepare the data exports members ask for, and delete expired ones.
        "data exports": stoppable("confrere-exports", functools.partial(prepare_exports, settings)),
        # Email notifications (at once, and the digests on schedule); prune old ones.
        "notification email": stoppable(
            "confrere-notifications",
            functools.partial(deliver_notifications, settings, search=readers),
        ),
    }
    return WorkerRole(
        settings.data_dir,
        [duty for duty in duties.values() if duty is not None],
        description=", ".join(name for name, duty in duties.items() if duty is not None),
    )


def create_app(settings: Settings | None = None, *, tuned_collector: bool = False) -> Litestar:
    """The whole service. With no settings, they are read from the environment.

    `tuned_collector`: once started, tune the garbage collector for a long-running server
    (api/core/collector.py); `confrere serve` does, through `create_served_app`.
    """
    settings = settings or Settings.from_environment()
    settings.ensure_data_dir()
    # Made (or read from the data dir) once at start: never mid-request, and never read from
    # the file again for each token checked.
    settings = replace(settings, secret_key=settings.resolved_secret_key())

    search_indexes = indexes(settings)
    metrics = Metrics(settings.metrics_dir)

    @contextlib.asynccontextmanager
    async def measured(app: Litestar) -> AsyncIterator[None]:
        """The background tasks started after this (the site rebuild) record into `metrics`."""
        use_metrics(metrics)
        yield

    @contextlib.asynccontextmanager
    async def database(app: Litestar) -> AsyncIterator[None]:
        engine = db.use_database(settings)
        await db.open_pool(engine)
        try:
            pending = await db.pending_migrations()
            if pending:
                raise PendingMigrations(
                    f"the database needs migrations {pending}; run `confrere db migrate` first"
                )
            yield
        finally:
            await db.close_pool(engine)

    role = worker_role(settings, search_indexes)

    @contextlib.asynccontextmanager
    async def live_events(app: Litestar) -> AsyncIterator[None]:
        """Every app process hears the live events of every process (api/core/live.py)."""
        listening: Work = (
            functools.partial(live.events.listen_on_postgres, settings.database_url)
            if settings.database_kind == "postgres"
            else functools.partial(live.events.listen_on_sqlite, settings.sqlite_path)
        )
        async with running("confrere-live", listening):
            yield

    @contextlib.asynccontextmanager
    async def background_work(app: Litestar) -> AsyncIterator[None]:
        """Background work runs in the one process of this node that holds the worker role
        (see api/core/roles.py); the others answer requests only."""
        async with role.serving():
            yield

    answers = (
        ResponseCache(settings.response_cache_seconds, settings.response_cache_mb)
        if settings.response_cache_seconds > 0
        else None
    )
    graphql = make_controller(
        build_schema(production=settings.is_production),
        production=settings.is_production,
        context_getter=graphql_context,
        websocket_context_getter=graphql_websocket_context,
        answers=answers,
    )
    site_dir = settings.site_dir
    site = create_static_files_router(
        path="/",
        directories=[site_dir],
        html_mode=True,
        name="site",
        include_in_schema=False,
        exception_handlers={NotFoundException: _site_not_built},
        resolve_symlinks=False,
    )
    return Litestar(
        # Behind a reverse proxy the client is the address a trusted proxy names in
        # X-Forwarded-For (uvicorn's own middleware, here so every server gets it the same).
        middleware=[
            DefineMiddleware(ProxyHeadersMiddleware, trusted_hosts=list(settings.trusted_proxies)),
            DefineMiddleware(RequestMetrics, metrics=metrics),
            DefineMiddleware(ContentSecurityPolicy, policy=SitePolicy(site_dir)),
        ],
        route_handlers=[
            graphql,
            healthz,
            readyz,
            metrics_endpoint,
            jobs_feed,
            jobs_paths,
            events_paths,
            organizations_paths,
            organizations_exports,
            data_export_download,
            unsubscribe_page,
            unsubscribe_now,
            *([] if settings.is_production else [graphiql_assets()]),
            site,
        ],
        # The collector's tuning last: it freezes what everything before it made.
        lifespan=[
            measured,
            database,
            live_events,
            background_work,
            *([collector.tuned_collector] if tuned_collector else []),
        ],
        state=State(
            {
                "settings": settings,
                "metrics": metrics,
                "worker_role": role,
                "response_cache": answers,
                "search": {name: index for name, (index, _) in search_indexes.items()},
            }
        ),
        openapi_config=None,
        logging_config=ProcessLogging(),
        debug=False,
    )


def create_served_app() -> Litestar:
    """The app as each process of `confrere serve` runs it (uvicorn's factory): settings
    from the environment, and the garbage collector tuned once started."""
    return create_app(tuned_collector=True)

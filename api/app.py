"""Builds the Litestar app: GraphQL at /graphql, health checks, the built site at /."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator
from typing import Any

from litestar import Litestar, Request, get
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from litestar.logging.config import LoggingConfig
from litestar.middleware import DefineMiddleware
from litestar.response import Response
from litestar.static_files import create_static_files_router
from litestar.status_codes import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE
from litestar.types import GetLogger
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from api.core import db
from api.core.auth import InvalidToken, request_viewer
from api.core.context import Context
from api.core.graphql import make_controller
from api.core.indexing import Indexer
from api.core.metrics import Metrics, RequestMetrics, metrics_endpoint, use_metrics
from api.core.settings import IndexerMode, Settings
from api.core.viewer import Viewer
from api.indexes import indexes
from api.jobs.feed import jobs_feed
from api.jobs.service import expire_jobs
from api.routes import events_paths, organizations_paths
from api.schema import build_schema
from api.site.rebuild import rebuild_after_changes

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


@get("/healthz", sync_to_thread=False, include_in_schema=False)
def healthz() -> dict[str, str]:
    """The process is up and answering."""
    return {"status": "ok"}


@get("/readyz", include_in_schema=False)
async def readyz(state: State) -> Response[dict[str, Any]]:
    """The database answers and its migrations are all applied."""
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
    return Response(
        {"status": "ok", "database": state.settings.database_kind}, status_code=HTTP_200_OK
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


def create_app(settings: Settings | None = None) -> Litestar:
    """The whole service. With no settings, they are read from the environment."""
    settings = settings or Settings.from_environment()
    settings.ensure_data_dir()
    settings.resolved_secret_key()  # made once at start, never mid-request

    search_indexes = indexes(settings)
    metrics = Metrics()

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

    @contextlib.asynccontextmanager
    async def indexer(app: Litestar) -> AsyncIterator[None]:
        """The in-process indexer: the single writer of this node's indexes."""
        if settings.indexer is not IndexerMode.INLINE:
            yield
            return
        running = Indexer(search_indexes)
        with contextlib.ExitStack() as locks:
            for index, _ in search_indexes.values():
                locks.enter_context(index.writer_lock())
            await running.prepare()
            task = asyncio.create_task(running.run(), name="confrere-indexer")
            try:
                yield
            finally:
                running.stop()
                await task

    @contextlib.asynccontextmanager
    async def job_expiry(app: Litestar) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = asyncio.create_task(_expire_periodically(stop), name="confrere-job-expiry")
        try:
            yield
        finally:
            stop.set()
            await task

    @contextlib.asynccontextmanager
    async def site_rebuild(app: Litestar) -> AsyncIterator[None]:
        """Rebuild the public site, debounced, after public data changes (0: never)."""
        if settings.site_rebuild_delay <= 0:
            yield
            return
        stop = asyncio.Event()
        task = asyncio.create_task(
            rebuild_after_changes(settings, stop), name="confrere-site-rebuild"
        )
        try:
            yield
        finally:
            stop.set()
            await task

    graphql = make_controller(
        build_schema(production=settings.is_production),
        production=settings.is_production,
        context_getter=graphql_context,
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
        ],
        route_handlers=[
            graphql,
            healthz,
            readyz,
            metrics_endpoint,
            jobs_feed,
            events_paths,
            organizations_paths,
            site,
        ],
        lifespan=[measured, database, indexer, job_expiry, site_rebuild],
        state=State(
            {
                "settings": settings,
                "metrics": metrics,
                "search": {name: index for name, (index, _) in search_indexes.items()},
            }
        ),
        openapi_config=None,
        logging_config=ProcessLogging(),
        debug=False,
    )

"""Operating metrics (Prometheus, at /metrics) and the one log line per request."""

from __future__ import annotations

import hmac
import json
import logging
import re
import time
from collections.abc import Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from graphql import GraphQLError, Lexer, Source, TokenKind
from litestar import Request, get
from litestar.datastructures import State
from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException
from litestar.response import Response
from litestar.types import ASGIApp, HTTPScope, Message, Receive, ReceiveMessage, Scope, Send
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

from api.core.indexing import latest_sequence
from search.engine import SearchIndex

logger = logging.getLogger("confrere.requests")

GRAPHQL_PATH = "/graphql"
ANONYMOUS = "anonymous"
#: The label of every operation name that is not counted by its own name.
OTHER = "other"
#: Operation names are chosen by clients: only plain names are kept, and only this many
#: distinct ones, so a client cannot grow the metrics without bound.
OPERATION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
MAX_OPERATION_NAMES = 200
#: A GraphQL body larger than this is not read again for its operation name.
MAX_BODY_READ = 1 << 20

_SITE_BUILD_BUCKETS = (1, 2, 5, 10, 20, 30, 60, 120, 300, 600)


class Metrics:
    """One app's metrics, in a registry of its own (several apps may share a process).

    With `multiprocess_dir` (the app processes of `confrere serve --workers N`), every process
    writes its values to files there (prometheus_client's multiprocess mode, chosen when the
    library is imported with PROMETHEUS_MULTIPROC_DIR set) and a scrape of any process reads
    them all, so counts and durations are the sums over the processes.
    """

    def __init__(self, multiprocess_dir: Path | None = None) -> None:
        self.multiprocess_dir = multiprocess_dir
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "confrere_requests",
            "HTTP requests answered, by route (the path template), GraphQL operation and status.",
            ["route", "operation", "status"],
            registry=self.registry,
        )
        self.request_seconds = Histogram(
            "confrere_request_duration_seconds",
            "Time to answer a request, by route and GraphQL operation.",
            ["route", "operation"],
            registry=self.registry,
        )
        self.outbox_lag = Gauge(
            "confrere_search_outbox_lag",
            "Outbox events this search index has not applied yet.",
            ["index"],
            registry=self.registry,
            # Measured by whichever process is scraped: across processes the latest counts.
            multiprocess_mode="mostrecent",
        )
        self.outbox_pending = Gauge(
            "confrere_outbox_pending_events",
            "Outbox events not yet applied by every search index (the indexing queue).",
            registry=self.registry,
            multiprocess_mode="mostrecent",
        )
        self.site_build_seconds = Histogram(
            "confrere_site_build_duration_seconds",
            "Time to build the public site, for the builds this server ran.",
            buckets=_SITE_BUILD_BUCKETS,
            registry=self.registry,
        )
        self.kept_answers = Counter(
            "confrere_kept_answer_lookups",
            "Anonymous /graphql requests looked up among the kept answers, by whether one was "
            "given.",
            ["outcome"],
            registry=self.registry,
        )
        #: Per process: with N processes, up to N times as many names may be labels.
        self._operation_names: set[str] = set()

    def operation_label(self, name: str | None) -> str:
        if not name:
            return ANONYMOUS
        if not OPERATION_NAME.fullmatch(name):
            return OTHER
        if name not in self._operation_names:
            if len(self._operation_names) >= MAX_OPERATION_NAMES:
                return OTHER
            self._operation_names.add(name)
        return name

    def count_kept_answer(self, *, found: bool) -> None:
        self.kept_answers.labels("hit" if found else "miss").inc()

    async def measure_outbox(self, indexes: Mapping[str, SearchIndex]) -> None:
        """Set the outbox gauges from the database and the indexes, as of this scrape."""
        latest = await latest_sequence()
        applied = {
            name: index.last_sequence() if index.exists() else 0 for name, index in indexes.items()
        }
        for name, position in applied.items():
            self.outbox_lag.labels(index=name).set(max(latest - position, 0))
        slowest = min(applied.values(), default=latest)
        self.outbox_pending.set(max(latest - slowest, 0))

    def exposition(self) -> bytes:
        """Every metric in Prometheus' text format: this process's, or every process's."""
        if self.multiprocess_dir is None:
            return generate_latest(self.registry)
        everyone = CollectorRegistry()
        MultiProcessCollector(everyone, path=str(self.multiprocess_dir))  # type: ignore[no-untyped-call]
        return generate_latest(everyone)


#: The running server's metrics, for code with no request at hand (the site rebuild task).
_current: ContextVar[Metrics | None] = ContextVar("confrere_metrics", default=None)


def use_metrics(metrics: Metrics) -> None:
    """Make `metrics` the ones tasks started from here on record into (call at start-up)."""
    _current.set(metrics)


def observe_site_build(seconds: float) -> None:
    metrics = _current.get()
    if metrics is not None:
        metrics.site_build_seconds.observe(seconds)


def _skip_to_selection(lexer: Lexer) -> None:
    while lexer.advance().kind not in (TokenKind.BRACE_L, TokenKind.EOF):
        pass


def _first_operation_name(document: str) -> str | None:
    """The name of the document's first operation, read with the lexer (no full parse)."""
    lexer = Lexer(Source(document))
    depth = 0
    try:
        token = lexer.advance()
        while token.kind is not TokenKind.EOF:
            if token.kind is TokenKind.BRACE_L:
                if depth == 0:
                    return None  # `{ … }` or `query ( … ) {`: an anonymous operation
                depth += 1
            elif token.kind is TokenKind.BRACE_R:
                depth -= 1
            elif depth == 0 and token.kind is TokenKind.NAME:
                if token.value == "fragment":
                    _skip_to_selection(lexer)
                    depth = 1  # a fragment's own `{` is not an operation's
                elif token.value in {"query", "mutation", "subscription"}:
                    following = lexer.advance()
                    return following.value if following.kind is TokenKind.NAME else None
            token = lexer.advance()
    except GraphQLError:
        return None  # the endpoint answers the syntax error; here it is just unnamed
    return None


def graphql_operation_name(method: str, query_string: bytes, body: bytes) -> str | None:
    """The operation a GraphQL-over-HTTP request runs: its operationName, else the first
    operation's name in its document."""
    payload: Any
    if method == "GET":
        payload = {
            key: values[0] for key, values in parse_qs(query_string.decode("latin-1")).items()
        }
    else:
        try:
            payload = json.loads(body)
        except (ValueError, RecursionError):  # the endpoint answers it 400; here it is unnamed
            return None
    if not isinstance(payload, dict):
        return None  # a batch or junk: not a single operation
    named = payload.get("operationName")
    if isinstance(named, str) and named:
        return named
    document = payload.get("query")
    return _first_operation_name(document) if isinstance(document, str) else None


class RequestMetrics:
    """ASGI middleware: counts and times each request, and logs one line for it."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        await self.measure(scope, receive, send)

    async def measure(self, scope: HTTPScope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        route = scope.get("path_template") or "unmatched"
        is_graphql = route == GRAPHQL_PATH
        body = bytearray()
        status = 500  # what the client gets when the app raises before answering

        async def receive_and_keep() -> ReceiveMessage:
            message = await receive()
            if message["type"] == "http.request" and len(body) <= MAX_BODY_READ:
                body.extend(message.get("body", b""))
            return message

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive_and_keep if is_graphql else receive, send_and_note)
        finally:
            seconds = time.perf_counter() - started
            operation = ""
            if is_graphql:
                if len(body) <= MAX_BODY_READ:
                    name = graphql_operation_name(
                        scope["method"], scope["query_string"], bytes(body)
                    )
                    operation = self.metrics.operation_label(name)
                else:
                    operation = OTHER
            self.metrics.requests.labels(route, operation, str(status)).inc()
            self.metrics.request_seconds.labels(route, operation).observe(seconds)
            logger.info(
                "%s %s operation=%s status=%d duration_ms=%.1f",
                scope["method"],
                # escaped: a decoded path may hold a newline that would forge a second line
                scope["path"].encode("unicode_escape").decode("ascii"),
                operation or "-",
                status,
                seconds * 1000,
            )


@get("/metrics", include_in_schema=False)
async def metrics_endpoint(request: Request[Any, Any, Any], state: State) -> Response[bytes]:
    """Prometheus text format; the outbox gauges are measured now, for this scrape. With
    CONFRERE_METRICS_TOKEN set, only a request bearing that token is answered."""
    token = state.settings.metrics_token
    if token and not hmac.compare_digest(
        request.headers.get("authorization", "").encode(), f"Bearer {token}".encode()
    ):
        raise NotAuthorizedException("Send the metrics token: `Authorization: Bearer <token>`.")
    metrics: Metrics = state.metrics
    await metrics.measure_outbox(state.search)
    return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

"""GraphQL plumbing: the error policy, the query limits, and the GraphQL-over-HTTP endpoint."""

from __future__ import annotations

import json
import logging
import re
from collections import OrderedDict
from collections.abc import Iterator
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

import strawberry
from cross_web import HTTPException
from graphql import (
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    Node,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)
from graphql import ExecutionResult as GraphQLExecutionResult
from litestar import Request, Response
from litestar.background_tasks import BackgroundTasks
from litestar.datastructures import CacheControlHeader
from litestar.di import Provide
from litestar.enums import MediaType
from litestar.router import Router
from litestar.static_files import create_static_files_router
from litestar.types import Dependencies
from strawberry.exceptions import ConnectionRejectionError
from strawberry.extensions import (
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.litestar import make_graphql_controller
from strawberry.relay.types import GlobalIDValueError
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.execution import ExecutionContext
from strawberry.types.execution import ExecutionResult as StrawberryExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET, UnsetType

from api.core.auth import InvalidToken, TokenProblem, token_viewer
from api.core.context import Context
from api.core.errors import ConfrereError
from api.core.execution import PlainFieldExecutor, mark_plain_fields
from api.core.loaders import Loaders
from api.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from api.core.payloads import add_user_error_payloads
from api.core.response_cache import ResponseCache
from api.core.viewer import begin_request

logger = logging.getLogger("confrere.graphql")

MAX_QUERY_DEPTH = 12
MAX_QUERY_TOKENS = 2000
MAX_ALIASES = 30
MAX_DIRECTIVES = 50
#: How many objects one document may ask for at most, counted as GitHub counts nodes: each
#: list field with `first` multiplies what is below it by its page size (the default page
#: size when `first` is left out). A full page of 100 items with a nested page of 20 each,
#: and their fields, fits; a page of pages of pages does not.
MAX_QUERY_COST = 25_000
#: Operations one WebSocket may run at once.
MAX_SUBSCRIPTIONS_PER_CONNECTION = 20

GRAPHQL_RESPONSE_MEDIA_TYPE = "application/graphql-response+json"
#: GraphiQL's page and the browser files it loads, vendored from npm (see its README.md): the
#: page loads nothing from another host, so it works offline and behind a strict firewall.
GRAPHIQL_DIR = Path(__file__).parent / "graphiql"
GRAPHIQL_ASSETS_PATH = "/graphql/assets"
_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


def _is_expected(error: GraphQLError) -> bool:
    """Errors whose message is meant for the client: ours, and GraphQL's own."""
    original = error.original_error
    return (
        original is None
        or isinstance(original, (ConfrereError, GlobalIDValueError))
        # graphql-core's own errors (variable coercion, for one) arrive wrapped
        or (isinstance(original, GraphQLError) and original.original_error is None)
    )


class NoteOperationType(SchemaExtension):
    """Note in the context which kind of operation ran (query, mutation, subscription)."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context.context
        if isinstance(context, Context):
            context.operation_types.add(self.execution_context.operation_type)
        yield


class ErrorPolicy(SchemaExtension):
    """Give every error an `extensions.code`, and mask the unexpected ones.

    Errors a client can act on keep their message; anything else becomes "Unexpected
    error." with code INTERNAL_SERVER_ERROR (the traceback goes to the log, never the
    client). In production, messages lose their "Did you mean …?" hints (validation and
    variables alike) so the schema cannot be guessed field by field.
    """

    def __init__(self, *, hide_suggestions: bool = False) -> None:
        self.hide_suggestions = hide_suggestions

    def _rewrite(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        extensions = dict(error.extensions or {})
        message = error.message
        if isinstance(original, ConfrereError):
            extensions = {**original.extensions, **extensions, "code": original.code}
            message = original.message
        elif isinstance(original, GlobalIDValueError) or (
            isinstance(original, GraphQLError) and original.original_error is None
        ):
            extensions.setdefault("code", "BAD_USER_INPUT")
        elif original is None:
            if message.startswith("Syntax Error"):
                extensions.setdefault("code", "GRAPHQL_PARSE_FAILED")
            else:
                extensions.setdefault("code", "GRAPHQL_VALIDATION_FAILED")
        else:
            message = "Unexpected error."
            extensions = {"code": "INTERNAL_SERVER_ERROR"}
        if self.hide_suggestions:
            # Validation and variable coercion alike ("Field 'titl' is not defined by type
            # 'CreateEventInput'. Did you mean 'title'?"): no hint at the schema's names.
            message = _SUGGESTION.sub("", message)
        return GraphQLError(
            message=message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions=extensions,
        )

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if isinstance(result, (GraphQLExecutionResult, StrawberryExecutionResult)) and (
            result.errors
        ):
            result.errors = [self._rewrite(error) for error in result.errors]


class QueryCostLimiter(SchemaExtension):
    """Refuse, before anything runs, a document that could ask for too many objects
    (`MAX_QUERY_COST`) or carries too many directives (`MAX_DIRECTIVES`).

    It runs ahead of validation (on the parsed document, so a refused document costs a walk
    of its syntax tree and nothing more); names the schema does not know count as single
    objects, and validation then reports them as usual. Fragments are followed, each at most
    once per path, so a cycle (which validation would refuse) cannot loop here.
    """

    def __init__(self, kept: DocumentCache | None = None) -> None:
        self.kept = kept

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.pre_execution_errors is None:
            problem = self._problem(
                document, kept=self.kept is not None and self.kept.holds(document)
            )
            if problem is not None:
                context.pre_execution_errors = [problem]
        yield

    def _problem(self, document: DocumentNode, *, kept: bool) -> GraphQLError | None:
        # A kept document passed this before; only the cost below depends on the variables.
        directives = 0 if kept else sum(1 for _ in _directives_in(document))
        if directives > MAX_DIRECTIVES:
            return GraphQLError(
                f"The document holds {directives} directives; at most {MAX_DIRECTIVES} are "
                "allowed.",
                extensions={"code": "GRAPHQL_VALIDATION_FAILED", "maximum": MAX_DIRECTIVES},
            )
        schema = self.execution_context.schema._schema
        variables = self.execution_context.variables or {}
        fragments = {
            node.name.value: node
            for node in document.definitions
            if isinstance(node, FragmentDefinitionNode)
        }
        for operation in document.definitions:
            if not isinstance(operation, OperationDefinitionNode):
                continue
            if (
                self.execution_context.operation_name
                and operation.name
                and operation.name.value != self.execution_context.operation_name
            ):
                continue
            root = schema.get_root_type(operation.operation)
            cost = _selection_cost(
                operation.selection_set, root, schema, fragments, variables, 1, frozenset()
            )
            if cost > MAX_QUERY_COST:
                return GraphQLError(
                    f"This document could ask for about {cost:,} objects; at most "
                    f"{MAX_QUERY_COST:,} are allowed. Ask for smaller pages (`first`) or "
                    "fewer nested lists, and page through with `after`.",
                    extensions={
                        "code": "QUERY_TOO_COSTLY",
                        "cost": cost,
                        "maximum": MAX_QUERY_COST,
                    },
                )
        return None


def _directives_in(node: Node) -> Iterator[DirectiveNode]:
    if isinstance(node, DirectiveNode):
        yield node
    for key in node.keys:
        value = getattr(node, key, None)
        children = value if isinstance(value, (list, tuple)) else (value,)
        for child in children:
            if isinstance(child, Node):
                yield from _directives_in(child)


def _page_size(field: FieldNode, definition: GraphQLField | None, variables: dict[str, Any]) -> int:
    """How many items a list field may return: its `first`, else the default page size."""
    if definition is None or "first" not in definition.args:
        return 1
    for argument in field.arguments or ():
        if argument.name.value != "first":
            continue
        value = argument.value
        if isinstance(value, VariableNode):
            given = variables.get(value.name.value)
        elif isinstance(value, IntValueNode):
            given = int(value.value)
        else:
            given = None
        # Larger pages are refused by the field itself; count what it could return.
        return max(1, min(given, MAX_PAGE_SIZE)) if isinstance(given, int) else DEFAULT_PAGE_SIZE
    return DEFAULT_PAGE_SIZE


def _selection_cost(
    selections: SelectionSetNode | None,
    parent: GraphQLNamedType | None,
    schema: GraphQLSchema,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, Any],
    multiplier: int,
    followed: frozenset[str],
) -> int:
    if selections is None:
        return 0
    cost = 0
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            fields = getattr(parent, "fields", None) or {}
            definition = fields.get(selection.name.value)
            times = multiplier * _page_size(selection, definition, variables)
            child = get_named_type(definition.type) if definition is not None else None
            cost += times + _selection_cost(
                selection.selection_set, child, schema, fragments, variables, times, followed
            )
        elif isinstance(selection, InlineFragmentNode):
            on = (
                schema.get_type(selection.type_condition.name.value)
                if selection.type_condition
                else parent
            )
            cost += _selection_cost(
                selection.selection_set, on, schema, fragments, variables, multiplier, followed
            )
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is None or name in followed:
                continue
            on = schema.get_type(fragment.type_condition.name.value)
            cost += _selection_cost(
                fragment.selection_set,
                on,
                schema,
                fragments,
                variables,
                multiplier,
                followed | {name},
            )
        if cost > MAX_QUERY_COST * 10:
            return cost  # far over already: stop walking an enormous document
    return cost


#: Documents kept parsed and validated, per schema: clients send the same few documents over
#: and over, and parsing and validating one costs more than running a small one.
DOCUMENT_CACHE_SIZE = 512
#: Longer documents are parsed and validated every time (a few pages of text at most).
DOCUMENT_CACHE_MAX_CHARS = 20_000


class DocumentCache:
    """The parsed documents that passed validation, most recently used last."""

    def __init__(self, size: int = DOCUMENT_CACHE_SIZE) -> None:
        self.size = size
        self._documents: OrderedDict[str, DocumentNode] = OrderedDict()
        self._kept_ids: set[int] = set()  # kept documents, by identity

    def holds(self, document: DocumentNode) -> bool:
        """Whether `document` is one this cache handed out (it passed every document check)."""
        return id(document) in self._kept_ids

    def get(self, query: str) -> DocumentNode | None:
        document = self._documents.get(query)
        if document is not None:
            self._documents.move_to_end(query)
        return document

    def keep(self, query: str, document: DocumentNode) -> None:
        if len(query) > DOCUMENT_CACHE_MAX_CHARS:
            return
        self._documents[query] = document
        self._documents.move_to_end(query)
        self._kept_ids.add(id(document))
        while len(self._documents) > self.size:
            _, evicted = self._documents.popitem(last=False)
            self._kept_ids.discard(id(evicted))


class ValidatedDocuments(SchemaExtension):
    """Parse and validate each distinct document once.

    A document that parsed and passed validation (the token, depth and alias limits, and
    GraphQL's rules, none of which depend on variables) is kept by its text; the next
    request with the same text reuses the parsed tree and skips validation. The cost limit
    depends on the variables (`first: $n`), so it runs for every request before this. A
    document that fails is never kept: it is checked afresh each time.
    """

    def __init__(self, cache: DocumentCache) -> None:
        self.cache = cache
        self._cached = False

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query is not None and context.graphql_document is None:
            document = self.cache.get(context.query)
            if document is not None:
                context.graphql_document = document  # Strawberry then skips parsing
                self._cached = True
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if self._cached and context.pre_execution_errors is None:
            context.pre_execution_errors = []  # validated when it was kept
        yield
        if (
            not self._cached
            and context.pre_execution_errors == []
            and context.query is not None
            and context.graphql_document is not None
        ):
            self.cache.keep(context.query, context.graphql_document)


class ConfrereSchema(strawberry.Schema):
    def __init__(self, *args: Any, hide_suggestions: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("execution_context_class", PlainFieldExecutor)
        super().__init__(*args, **kwargs)
        self.hide_suggestions = hide_suggestions
        add_user_error_payloads(self._schema)
        mark_plain_fields(self._schema)

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Errors meant for the client are not faults of the server; log only the others,
        # with their traceback, before ErrorPolicy masks them.
        for error in errors:
            if not _is_expected(error):
                logger.error("unexpected error in %s", error.path, exc_info=error.original_error)
        if (
            execution_context is not None
            and execution_context.graphql_document is not None  # a syntax error has none
            and execution_context.operation_type is OperationType.SUBSCRIPTION
        ):
            # A subscription's events do not pass through ErrorPolicy.on_operation: its
            # errors get their codes, and the unexpected ones their mask, here.
            errors[:] = [
                ErrorPolicy(hide_suggestions=self.hide_suggestions)._rewrite(error)
                for error in errors
            ]


def schema_extensions(*, production: bool) -> list[Any]:
    """Factories: Strawberry makes a fresh extension instance for every operation (the
    document cache is one per schema)."""
    kept = DocumentCache()
    extensions: list[Any] = [
        partial(MaxTokensLimiter, max_token_count=MAX_QUERY_TOKENS),
        partial(QueryCostLimiter, kept),  # before the cache: it depends on the variables
        partial(ValidatedDocuments, kept),
        partial(QueryDepthLimiter, max_depth=MAX_QUERY_DEPTH),
        partial(MaxAliasesLimiter, max_alias_count=MAX_ALIASES),
        partial(ErrorPolicy, hide_suggestions=production),
        NoteOperationType,
    ]
    if production:
        extensions.append(DisableIntrospection)
    return extensions


def _graphql_error_body(message: str, code: str, **extensions: object) -> bytes:
    error = {"message": message, "extensions": {"code": code, **extensions}}
    return json.dumps({"errors": [error]}).encode()


def _wants_graphql_response(request: Request[Any, Any, Any]) -> bool:
    """Whether the client asked for the GraphQL-over-HTTP media type (and its status codes)."""
    accept = request.headers.get("accept", "")
    return GRAPHQL_RESPONSE_MEDIA_TYPE in accept


def _is_request_error(body: dict[str, Any]) -> bool:
    """A response with no data: the document failed to parse or validate, so 400 is due."""
    return body.get("data") is None and all("path" not in e for e in body.get("errors") or [])


def _sub_response() -> Response[Any]:
    return Response({}, background=BackgroundTasks([]))


#: What `on_ws_connect` returns for a connection_ack without a payload.
_PLAIN_ACK: UnsetType = UNSET


def _payload_token(params: dict[str, object]) -> str | None:
    """The bearer token of a connection_init payload: `Authorization` (any case) reading
    `Bearer <token>`; `InvalidToken` for any other shape."""
    for key, value in params.items():
        if key.lower() != "authorization":
            continue
        scheme, _, token = str(value).strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise InvalidToken(
                TokenProblem.MALFORMED,
                "The connection_init payload's Authorization must read `Bearer <token>`.",
            )
        return token.strip()
    return None


def graphiql_assets() -> Router:
    """GraphiQL's vendored files at /graphql/assets/<package>-<version>/<file>: a new version
    is a new address, so a browser may keep each file for a year without asking again."""
    return create_static_files_router(
        path=GRAPHIQL_ASSETS_PATH,
        directories=[GRAPHIQL_DIR / "assets"],
        name="graphiql-assets",
        include_in_schema=False,
        cache_control=CacheControlHeader(max_age=365 * 24 * 3600, public=True, immutable=True),
    )


def make_controller(
    schema: strawberry.Schema,
    *,
    production: bool,
    context_getter: Any,
    websocket_context_getter: Any,
    answers: ResponseCache | None = None,
) -> type:
    """The /graphql endpoint, following the GraphQL-over-HTTP specification.

    Strawberry serves GraphQL; this adds what the specification asks beyond it: the
    `application/graphql-response+json` media type with 4xx status codes for request
    errors when a client accepts it, 405 for a mutation sent with GET, JSON error bodies
    instead of plain text, and a 401 with `WWW-Authenticate` for a token that does not
    authenticate (before any resolver runs, so nothing else is answered).

    With `answers`, an anonymous query's answer is kept and given again while nothing it
    was made from has changed (see api/core/response_cache.py).
    """
    base = make_graphql_controller(
        schema,
        path="/graphql",
        graphql_ide=None if production else "graphiql",
        allow_queries_via_get=True,
        context_getter=context_getter,
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        # A client that has not said who it is within ten seconds is let go.
        connection_init_wait_timeout=timedelta(seconds=10),
        max_subscriptions_per_connection=MAX_SUBSCRIPTIONS_PER_CONNECTION,
    )

    class GraphQLController(base):  # type: ignore[misc, valid-type]
        # Strawberry provides the sub-response (which resolvers may add headers to) from a
        # sync function run in a worker thread: a thread hop on every request for one
        # constructor call. Made on the event loop instead.
        dependencies: ClassVar[Dependencies] = {
            **base.dependencies,
            "response": Provide(_sub_response, sync_to_thread=False),
            "context_ws": Provide(websocket_context_getter),
        }

        @property
        def graphql_ide_html(self) -> str:
            """Strawberry's GraphiQL page, loading its files from `graphiql_assets()`."""
            return (GRAPHIQL_DIR / "page.html").read_text(encoding="utf-8")

        async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
            """A WebSocket says who it is in its connection_init payload, as
            `{"Authorization": "Bearer <token>"}` (browsers cannot set headers on one);
            without a token it stays anonymous. A token that does not authenticate closes
            the connection (4403) with nothing run."""
            try:
                token = _payload_token(context.connection_params or {})
                if token is None:
                    return _PLAIN_ACK
                viewer = await token_viewer(token, context.settings)
            except InvalidToken as problem:
                raise ConnectionRejectionError(
                    {"code": "UNAUTHENTICATED", "reason": problem.problem.value}
                ) from None
            context.viewer = viewer
            context.loaders = Loaders(viewer)
            return _PLAIN_ACK

        def parse_json(self, data: str | bytes) -> Any:
            """The body as JSON, which must be a request object (or a batch of them): any
            other JSON, or JSON nested or sized past what the parser takes, is a 400."""
            try:
                parsed = json.loads(data)
            except (ValueError, RecursionError):  # bad JSON or UTF-8, too deep, huge numbers
                raise HTTPException(400, "Unable to parse request body as JSON") from None
            items = parsed if isinstance(parsed, list) else [parsed]
            if not all(isinstance(item, dict) for item in items):
                raise HTTPException(
                    400,
                    'The request body must be a JSON object like {"query": "{ viewer { id } }"}.',
                )
            return parsed

        async def execute_single(self, *, request_adapter: Any, **kwargs: Any) -> Any:
            try:
                return await super().execute_single(request_adapter=request_adapter, **kwargs)
            except HTTPException as error:
                if isinstance(error.__cause__, InvalidOperationTypeError):
                    raise HTTPException(405, error.reason) from error.__cause__
                raise

        async def execute_request(
            self, request: Request[Any, Any, Any], context: Context, root_value: Any
        ) -> Response[Any]:
            begin_request()  # this request's writes, not others', refresh its viewer's world
            graphql_media = _wants_graphql_response(request)
            media_type = GRAPHQL_RESPONSE_MEDIA_TYPE if graphql_media else MediaType.JSON
            problem: InvalidToken | None = context.token_problem
            if problem is not None:
                return Response(
                    _graphql_error_body(
                        problem.message, "UNAUTHENTICATED", reason=problem.problem.value
                    ),
                    status_code=401,
                    media_type=media_type,
                    headers={
                        "WWW-Authenticate": f'Bearer error="invalid_token", '
                        f'error_description="{problem.problem.value.lower()}"'
                    },
                )
            key = made_from = None
            if answers is not None:
                key = await answers.key(request, media_type)
                if key is not None:
                    made_from = await answers.made_from(context.search)
                    kept = answers.get(key, made_from) if made_from is not None else None
                    request.app.state.metrics.count_kept_answer(found=kept is not None)
                    if kept is not None:
                        return kept
            try:
                response: Response[Any] = await self.run(
                    request, context=context, root_value=root_value
                )
            except HTTPException as error:
                headers = {"Allow": "POST"} if error.status_code == 405 else {}
                return Response(
                    _graphql_error_body(error.reason, "BAD_REQUEST"),
                    status_code=error.status_code,
                    media_type=media_type,
                    headers=headers,
                )
            if response.media_type != MediaType.JSON:
                return response  # GraphiQL's page
            if b'"errors"' in response.content:
                body = json.loads(response.content)
                if isinstance(body, dict) and _is_request_error(body):
                    # Nothing ran: the result has no `data` entry at all (GraphQL spec,
                    # "Response"); the GraphQL-over-HTTP media type also gets a 400.
                    body.pop("data", None)
                    response.content = json.dumps(body).encode()
                    if graphql_media:
                        response.status_code = 400
            if graphql_media:
                response.media_type = GRAPHQL_RESPONSE_MEDIA_TYPE
            if (
                answers is not None
                and key is not None
                and made_from is not None
                and context.operation_types == {OperationType.QUERY}
            ):
                answers.keep(key, made_from, response)
            return response

    return GraphQLController

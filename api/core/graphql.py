"""GraphQL plumbing: the error policy, the query limits, and the GraphQL-over-HTTP endpoint."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from functools import partial
from typing import Any

import strawberry
from cross_web import HTTPException
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError
from litestar import Request, Response
from litestar.enums import MediaType
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
from strawberry.types.execution import ExecutionContext
from strawberry.types.execution import ExecutionResult as StrawberryExecutionResult

from api.core.auth import InvalidToken
from api.core.context import Context
from api.core.errors import ConfrereError

logger = logging.getLogger("confrere.graphql")

MAX_QUERY_DEPTH = 12
MAX_QUERY_TOKENS = 2000
MAX_ALIASES = 30

GRAPHQL_RESPONSE_MEDIA_TYPE = "application/graphql-response+json"
_SUGGESTION = re.compile(r"\s*Did you mean .*\?$")


def _is_expected(error: GraphQLError) -> bool:
    """Errors whose message is meant for the client: ours, and GraphQL's own."""
    original = error.original_error
    return (
        original is None
        or isinstance(original, (ConfrereError, GlobalIDValueError))
        # graphql-core's own errors (variable coercion, for one) arrive wrapped
        or (isinstance(original, GraphQLError) and original.original_error is None)
    )


class ErrorPolicy(SchemaExtension):
    """Give every error an `extensions.code`, and mask the unexpected ones.

    Errors a client can act on keep their message; anything else becomes "Unexpected
    error." with code INTERNAL_SERVER_ERROR (the traceback goes to the log, never the
    client). In production, validation messages lose their "Did you mean …?" hints so the
    schema cannot be guessed field by field.
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
            if self.hide_suggestions:
                message = _SUGGESTION.sub("", message)
        else:
            message = "Unexpected error."
            extensions = {"code": "INTERNAL_SERVER_ERROR"}
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


class ConfrereSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Errors meant for the client are not faults of the server; log only the others,
        # with their traceback, before ErrorPolicy masks them.
        for error in errors:
            if not _is_expected(error):
                logger.error("unexpected error in %s", error.path, exc_info=error.original_error)


def schema_extensions(*, production: bool) -> list[Any]:
    """Factories: Strawberry makes a fresh extension instance for every operation."""
    extensions: list[Any] = [
        partial(QueryDepthLimiter, max_depth=MAX_QUERY_DEPTH),
        partial(MaxTokensLimiter, max_token_count=MAX_QUERY_TOKENS),
        partial(MaxAliasesLimiter, max_alias_count=MAX_ALIASES),
        partial(ErrorPolicy, hide_suggestions=production),
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


def make_controller(schema: strawberry.Schema, *, production: bool, context_getter: Any) -> type:
    """The /graphql endpoint, following the GraphQL-over-HTTP specification.

    Strawberry serves GraphQL; this adds what the specification asks beyond it: the
    `application/graphql-response+json` media type with 4xx status codes for request
    errors when a client accepts it, 405 for a mutation sent with GET, JSON error bodies
    instead of plain text, and a 401 with `WWW-Authenticate` for a token that does not
    authenticate (before any resolver runs, so nothing else is answered).
    """
    base = make_graphql_controller(
        schema,
        path="/graphql",
        graphql_ide=None if production else "graphiql",
        allow_queries_via_get=True,
        context_getter=context_getter,
        subscription_protocols=(),
    )

    class GraphQLController(base):  # type: ignore[misc, valid-type]
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
            try:
                response = await self.run(request, context=context, root_value=root_value)
            except HTTPException as error:
                headers = {"Allow": "POST"} if error.status_code == 405 else {}
                return Response(
                    _graphql_error_body(error.reason, "BAD_REQUEST"),
                    status_code=error.status_code,
                    media_type=media_type,
                    headers=headers,
                )
            if response.media_type != MediaType.JSON or not graphql_media:
                return response  # GraphiQL's page, or a legacy application/json client
            response.media_type = GRAPHQL_RESPONSE_MEDIA_TYPE
            body = json.loads(response.content)
            if isinstance(body, dict) and _is_request_error(body):
                response.status_code = 400
            return response

    return GraphQLController

"""The /graphql endpoint: GraphQL over HTTP, limits, error masking, production hardening."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest
import strawberry
from litestar.testing import TestClient

from api.app import create_app, graphql_context
from api.core.errors import Forbidden
from api.core.graphql import ConfrereSchema, schema_extensions
from api.core.settings import Environment, Settings
from tests.conftest import GraphQLClient

TYPENAME = "{ __typename }"
REGISTER = """
mutation { register(input: {email: "ada@example.org", password: "long enough!", name: "Ada"}) {
  account { id } userErrors { code } } }
"""
INVALID_FIELD = "{ viewr { id } }"
INTROSPECTION = "{ __schema { queryType { name } } }"
GRAPHQL_RESPONSE = "application/graphql-response+json"


def test_a_query_over_post_and_get(graphql: GraphQLClient) -> None:
    assert graphql.data(TYPENAME) == {"__typename": "Query"}

    response = graphql.http.get("/graphql", params={"query": TYPENAME})

    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


def test_a_mutation_over_get_is_refused_with_405(graphql: GraphQLClient) -> None:
    response = graphql.http.get(
        "/graphql", params={"query": REGISTER}, headers={"Accept": "application/json"}
    )

    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["errors"][0]["message"]
    # and nothing was registered
    assert graphql.data(REGISTER)["register"]["userErrors"] == []


def test_graphql_response_media_type_gets_its_status_codes(graphql: GraphQLClient) -> None:
    accept = {"Accept": GRAPHQL_RESPONSE}

    ok = graphql.post(TYPENAME, headers=accept)
    assert ok.status_code == 200
    assert ok.headers["content-type"].startswith(GRAPHQL_RESPONSE)

    invalid = graphql.post(INVALID_FIELD, headers=accept)
    assert invalid.status_code == 400
    assert invalid.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    [error] = invalid.json()["errors"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"

    syntax = graphql.post("{ viewer { ", headers=accept)
    assert syntax.status_code == 400
    assert syntax.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"

    # a field error is not a request error: data is present, so 200
    field_error = graphql.post("mutation { logout { revokedSessions } }", headers=accept)
    assert field_error.status_code == 200
    assert field_error.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_legacy_json_clients_get_200_for_a_well_formed_request(graphql: GraphQLClient) -> None:
    response = graphql.post(INVALID_FIELD, headers={"Accept": "application/json"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert "Did you mean" in response.json()["errors"][0]["message"]


def test_a_body_that_is_not_json_is_a_400_with_a_json_error(graphql: GraphQLClient) -> None:
    response = graphql.http.post(
        "/graphql", content=b"{not json", headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("query", "needle"),
    [
        ("{ " + " ".join(f"a{i}: __typename" for i in range(31)) + " }", "aliases"),
        ("{ " + "__typename " * 2001 + "}", "token"),
    ],
)
def test_limits_refuse_abusive_documents(graphql: GraphQLClient, query: str, needle: str) -> None:
    body = graphql.execute(query)

    assert body.get("data") is None
    assert needle.lower() in json.dumps(body["errors"]).lower()


@strawberry.type
class Tree:
    @strawberry.field
    def child(self) -> Tree:
        return Tree()


@strawberry.type
class TreeQuery:
    @strawberry.field
    def tree(self) -> Tree:
        return Tree()


@strawberry.type
class FailingQuery:
    @strawberry.field
    def broken(self) -> str:
        raise RuntimeError("SELECT password_hash FROM account -- secret detail")

    @strawberry.field
    def forbidden(self) -> str:
        raise Forbidden("Only staff may do this.")


def test_deep_queries_are_refused() -> None:
    schema = ConfrereSchema(query=TreeQuery, extensions=schema_extensions(production=False))
    deep = "{ tree { " + "child { " * 13 + "__typename" + " }" * 14 + " }"
    shallow = "{ tree { " + "child { " * 5 + "__typename" + " }" * 6 + " }"

    assert schema.execute_sync(shallow).errors is None
    [error] = schema.execute_sync(deep).errors
    assert "exceeds maximum operation depth" in error.message


def test_unexpected_errors_are_masked_and_expected_ones_keep_their_code() -> None:
    schema = ConfrereSchema(query=FailingQuery, extensions=schema_extensions(production=False))

    [broken] = schema.execute_sync("{ broken }").errors
    assert broken.message == "Unexpected error."
    assert broken.extensions == {"code": "INTERNAL_SERVER_ERROR"}
    assert "secret" not in json.dumps(broken.formatted)

    [forbidden] = schema.execute_sync("{ forbidden }").errors
    assert forbidden.message == "Only staff may do this."
    assert forbidden.extensions == {"code": "FORBIDDEN"}


def test_development_serves_graphiql_and_introspection(graphql: GraphQLClient) -> None:
    page = graphql.http.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()

    assert graphql.data(INTROSPECTION) == {"__schema": {"queryType": {"name": "Query"}}}


@pytest.fixture
def production(settings: Settings, tmp_path: Path) -> GraphQLClient:
    hardened = Settings(
        data_dir=settings.data_dir,
        database_url=settings.database_url,
        secret_key=settings.secret_key,
        environment=Environment.PRODUCTION,
    )
    with TestClient(app=create_app(hardened)) as client:
        yield GraphQLClient(client)


def test_production_turns_off_introspection_graphiql_and_suggestions(
    production: GraphQLClient,
) -> None:
    page = production.http.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 404

    introspection = production.execute(INTROSPECTION)
    assert introspection.get("data") is None
    assert "introspection" in introspection["errors"][0]["message"].lower()

    [error] = production.execute(INVALID_FIELD)["errors"]
    assert "viewr" in error["message"]
    assert "Did you mean" not in error["message"]
    assert production.data(TYPENAME) == {"__typename": "Query"}


def test_health_and_readiness(graphql: GraphQLClient, settings: Settings) -> None:
    assert graphql.http.get("/healthz").json() == {"status": "ok"}

    ready = graphql.http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ok",
        "database": settings.database_kind,
        "process": os.getpid(),
        "worker_role": os.getpid(),  # the only process holds its node's worker role
    }


def test_each_anonymous_request_has_its_own_viewer(tmp_path: Path) -> None:
    """Per-request caches live on the viewer, so anonymous requests must not share one."""
    state = SimpleNamespace(settings=Settings(data_dir=tmp_path), search={})
    request = SimpleNamespace(headers={}, cookies={}, method="POST", client=None)
    first, second = (asyncio.run(graphql_context(request, state)) for _ in range(2))  # type: ignore[arg-type]
    assert first.viewer.account_id is None and second.viewer.account_id is None
    assert first.viewer.circle is not second.viewer.circle
    assert first.loaders is not second.loaders

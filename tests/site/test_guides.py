"""Every GraphQL example in the site's pages is valid against the schema, and those that need
no variables run on the demo network, so the docs cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import parse, validate
from graphql.language import NonNullTypeNode, OperationDefinitionNode, OperationType

from api.schema import schema
from tests.conftest import GraphQLClient
from tests.factories import LOGIN

SITE = Path(__file__).resolve().parents[2] / "site"
BLOCK = re.compile(r"```graphql\n(.*?)```", re.DOTALL)

EXAMPLES = [
    pytest.param(block, id=f"{page.relative_to(SITE)}#{index}")
    for page in sorted(SITE.rglob("*.md"))
    for index, block in enumerate(BLOCK.findall(page.read_text()))
]


def test_the_guides_have_examples() -> None:
    assert len(EXAMPLES) >= 10


@pytest.mark.parametrize("document", EXAMPLES)
def test_every_example_validates_against_the_schema(document: str) -> None:
    errors = validate(schema._schema, parse(document))

    assert errors == [], [error.message for error in errors]


def _runs_as_is(document: str) -> bool:
    """A query whose variables are all optional: it can run exactly as the guide shows it."""
    operations = [d for d in parse(document).definitions if isinstance(d, OperationDefinitionNode)]
    return all(
        operation.operation is OperationType.QUERY
        and all(
            not isinstance(variable.type, NonNullTypeNode) or variable.default_value is not None
            for variable in operation.variable_definitions or ()
        )
        for operation in operations
    )


RUNNABLE = [example for example in EXAMPLES if _runs_as_is(example.values[0])]


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_every_runnable_example_executes_on_the_demo_network(graphql: GraphQLClient) -> None:
    """The guides' queries that need no variables run as written, signed in as the demo
    member, on the demo network, without an error."""
    from api.demo import DEMO_MEMBER_EMAIL, DEMO_PASSWORD, seed_demo

    settings = graphql.http.app.state.settings
    graphql.http.blocking_portal.call(lambda: seed_demo(settings, accounts=20, alumni=20))
    credentials = {"input": {"email": DEMO_MEMBER_EMAIL, "password": DEMO_PASSWORD}}
    token = graphql.data(LOGIN, credentials)["login"]["token"]
    assert len(RUNNABLE) >= 10

    for example in RUNNABLE:
        body = graphql.execute(example.values[0], token=token)
        assert "errors" not in body, (example.id, body["errors"])
        assert body["data"], example.id

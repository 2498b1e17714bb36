"""Every GraphQL example in the site's pages is valid against the schema, and those that need
no variables run on the demo network, so the docs cannot drift."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from graphql import parse, validate
from graphql.language import NonNullTypeNode, OperationDefinitionNode, OperationType

from api.schema import schema
from tests.conftest import GraphQLClient
from tests.factories import LOGIN, settle

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
#: Whom each page's examples run as on the demo network (the demo member otherwise).
READERS = {"guides/employers.md": "recruiter"}


def _variables_shown_with(page: Path, document: str) -> dict | None:
    """The JSON variables a page shows right after an example ("with variables such as:")."""
    text = page.read_text()
    end = text.index(document) + len(document)
    shown = re.match(r"```\n\n[^`\n]*\n\n```json\n(.*?)```", text[end:], re.DOTALL)
    return json.loads(shown.group(1)) if shown else None


WITH_VARIABLES = [
    pytest.param(block, variables, id=f"{page.relative_to(SITE)}#{index}+variables")
    for page in sorted(SITE.rglob("*.md"))
    for index, block in enumerate(BLOCK.findall(page.read_text()))
    if _runs_as_is(block) and (variables := _variables_shown_with(page, block)) is not None
]


def _answered(value: Any) -> bool:
    """Whether a result shows something: a list or connection has an entry, and an object
    answers in each list or connection it holds (inside a connection's entries, anything
    goes: a person may well have no mutual connections)."""
    if value is None:
        return False
    if isinstance(value, list):
        return bool(value)
    if isinstance(value, dict):
        if "edges" in value:
            return bool(value["edges"])
        return all(_answered(v) for v in value.values() if isinstance(v, list | dict))
    return True


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_every_runnable_example_answers_on_the_demo_network(graphql: GraphQLClient) -> None:
    """The guides' queries that need no variables run as written on the demo network, signed
    in as the guide's reader (the demo member, or the demo recruiter for employers), and each
    shows something: no error, and no empty list where the example searches or lists. So do
    the variables a guide shows with an example."""
    from api.demo import (
        DEMO_MEMBER_EMAIL,
        DEMO_PASSWORD,
        DEMO_RECRUITER_EMAIL,
        seed_demo,
    )

    settings = graphql.http.app.state.settings
    graphql.http.blocking_portal.call(lambda: seed_demo(settings, accounts=20, alumni=20))
    settle(graphql)
    tokens = {}
    for reader, email in (("member", DEMO_MEMBER_EMAIL), ("recruiter", DEMO_RECRUITER_EMAIL)):
        credentials = {"input": {"email": email, "password": DEMO_PASSWORD}}
        tokens[reader] = graphql.data(LOGIN, credentials)["login"]["token"]
    assert len(RUNNABLE) >= 10
    # the employers guide's FindEngineers, run with the variables it shows
    assert [example.id.partition("#")[0] for example in WITH_VARIABLES] == ["guides/employers.md"]
    assert "FindEngineers" in WITH_VARIABLES[0].values[0]

    runs = [(example, {}) for example in RUNNABLE]
    runs += [(example, example.values[1]) for example in WITH_VARIABLES]
    for example, variables in runs:
        page = example.id.partition("#")[0]
        token = tokens[READERS.get(page, "member")]
        body = graphql.execute(example.values[0], variables, token=token)
        assert "errors" not in body, (example.id, body["errors"])
        assert body["data"], example.id
        for field, value in body["data"].items():
            assert _answered(value), (example.id, field, value)

"""Every GraphQL example in the site's pages is valid against the schema, so docs cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import parse, validate

from api.schema import schema

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

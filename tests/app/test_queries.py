"""The GraphQL documents of every page of the member app (site/assets/app/*.js) validate
against the schema: a renamed field fails here, not in a browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import parse, validate

from api.schema import schema

APP = Path(__file__).resolve().parents[2] / "site" / "assets" / "app"
CONSTANT = re.compile(r"const (\w+) = `([^`]*)`;")
#: Pieces of documents kept in plain strings: `const ERRORS = "userErrors { … }";`.
PIECE = re.compile(r"^const ([A-Z_]+) = \"([^\"]*)\";", re.MULTILINE)


def documents(script: str) -> list[str]:
    """The script's template constants that are GraphQL operations, with the constants they
    interpolate (`${JOB_FIELDS}`) put in."""
    text = (APP / script).read_text()
    constants = dict(PIECE.findall(text)) | dict(CONSTANT.findall(text))

    def resolved(text: str) -> str:
        return re.sub(r"\$\{(\w+)\}", lambda m: resolved(constants[m.group(1)]), text)

    return [resolved(t) for t in constants.values() if re.match(r"\s*(query|mutation) ", t)]


SCRIPTS = sorted(path.name for path in APP.glob("*.js"))


def test_the_app_s_pages_ask_the_api() -> None:
    assert sum(len(documents(script)) for script in SCRIPTS) >= 60


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_page_s_documents_validate_against_the_schema(script: str) -> None:
    for document in documents(script):
        assert validate(schema._schema, parse(document)) == [], document


def test_every_move_of_a_posting_validates() -> None:
    fields = dict(CONSTANT.findall((APP / "jobs.js").read_text()))["JOB_FIELDS"]
    for verb, payload in (("publishJob", "JobIdInput"), ("closeJob", "JobIdInput"),
                          ("reopenJob", "ReopenJobInput")):  # fmt: skip
        document = f"""mutation ($input: {payload}!) {{
          {verb}(input: $input) {{ job {{ {fields} }} userErrors {{ field code message }} }}
        }}"""
        assert validate(schema._schema, parse(document)) == []

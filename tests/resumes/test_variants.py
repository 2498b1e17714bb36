"""Fifty hand-made documents, each classified by importResume as the schema does with its
formats asserted (an empty string is "not given")."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest
from jsonschema import Draft7Validator

from tests.conftest import GraphQLClient
from tests.factories import member

# The copies shipped inside the package (MIT, from ../shared/data/jsonresume).
SHIPPED = resources.files("api.resumes") / "jsonresume"
SCHEMA = json.loads((SHIPPED / "schema.json").read_text())

IMPORT = """
mutation Import($input: ImportResumeInput!) {
  importResume(input: $input) { resume { id } userErrors { field code } }
}
"""

VALID: list[tuple[str, Any]] = [
    ("empty document", {}),
    ("only a schema reference", {"$schema": "https://example.org/schema.json"}),
    ("name only", {"basics": {"name": "Ada"}}),
    ("empty strings everywhere", {"basics": {"name": "", "email": "", "url": "", "image": ""}}),
    ("year-only dates", {"work": [{"startDate": "2019", "endDate": "2020"}]}),
    ("month dates", {"work": [{"startDate": "2019-04", "endDate": "2020-11"}]}),
    ("full dates", {"work": [{"startDate": "2019-04-01", "endDate": "2020-11-30"}]}),
    ("open-ended work", {"work": [{"name": "Acme", "startDate": "2021-02"}]}),
    ("empty sections", {"work": [], "skills": [], "education": [], "projects": []}),
    ("unknown top-level key", {"x-custom": {"anything": [1, 2, 3]}}),
    ("unknown key inside basics", {"basics": {"pronouns": "she/her"}}),
    ("unknown key inside work entry", {"work": [{"name": "Acme", "team": "Infra"}]}),
    (
        "skills with keywords",
        {"skills": [{"name": "Python", "level": "Expert", "keywords": ["asyncio"]}]},
    ),
    ("languages", {"languages": [{"language": "German", "fluency": "Native"}]}),
    ("interests", {"interests": [{"name": "Chess", "keywords": ["openings"]}]}),
    ("references", {"references": [{"name": "Grace", "reference": "Sharp."}]}),
    ("award with a date", {"awards": [{"title": "Best", "date": "2020-05-01", "awarder": "X"}]}),
    ("certificate", {"certificates": [{"name": "CKA", "date": "2021", "issuer": "CNCF"}]}),
    ("publication", {"publications": [{"name": "Paper", "releaseDate": "2014-10"}]}),
    (
        "project with roles",
        {"projects": [{"name": "P", "roles": ["Lead"], "entity": "E", "type": "app"}]},
    ),
    ("volunteer", {"volunteer": [{"organization": "Red Cross", "startDate": "2012"}]}),
    ("education", {"education": [{"institution": "MIT", "courses": ["6.001"], "score": "4.0"}]}),
    ("meta", {"meta": {"canonical": "https://x", "version": "v1.0.0", "lastModified": "any text"}}),
]

INVALID: list[tuple[str, Any]] = [
    ("a list, not an object", []),
    ("a string, not an object", "resume"),
    ("a number, not an object", 42),
    ("basics is a string", {"basics": "Ada"}),
    ("name is a number", {"basics": {"name": 42}}),
    ("location is a string", {"basics": {"location": "Berlin"}}),
    ("profiles is an object", {"basics": {"profiles": {"network": "GitHub"}}}),
    ("profile url is a number", {"basics": {"profiles": [{"url": 1}]}}),
    ("work is an object", {"work": {"name": "Acme"}}),
    ("work entry is a string", {"work": ["Acme"]}),
    ("start date with slashes", {"work": [{"startDate": "04/2019"}]}),
    (
        "start date month 13 passes the pattern? no: three-digit month",
        {"work": [{"startDate": "2019-123"}]},
    ),
    ("end date as a number", {"work": [{"endDate": 2020}]}),
    ("date with time", {"work": [{"startDate": "2019-04-01T10:00"}]}),
    ("year in the 3000s", {"work": [{"startDate": "3019"}]}),
    ("highlights is a string", {"work": [{"highlights": "did things"}]}),
    ("highlight is a number", {"work": [{"highlights": [1]}]}),
    ("skills keywords is a string", {"skills": [{"keywords": "python"}]}),
    ("skill level is a number", {"skills": [{"level": 5}]}),
    ("education courses is an object", {"education": [{"courses": {"a": "b"}}]}),
    ("award date free text", {"awards": [{"date": "last spring"}]}),
    ("publication releaseDate is a number", {"publications": [{"releaseDate": 2014}]}),
    ("languages entry is a list", {"languages": [["German", "Native"]]}),
    ("meta is a list", {"meta": ["v1"]}),
    ("project keywords contain null", {"projects": [{"keywords": [None]}]}),
    # The formats the schema declares are asserted (draft-07 makes them annotations).
    ("email checked as a format", {"basics": {"email": "not an email"}}),
    ("url checked as a format", {"basics": {"url": "not a url"}}),
]
#: Confrere's one departure from the schema with its formats asserted: "" is "not given".
EMPTY_IS_NOT_GIVEN = "empty strings everywhere"

assert len(VALID) + len(INVALID) == 50


@pytest.mark.parametrize(("label", "document", "valid"), [
    *[(label, document, True) for label, document in VALID],
    *[(label, document, False) for label, document in INVALID],
])  # fmt: skip
def test_import_classifies_like_the_schema(
    graphql: GraphQLClient, label: str, document: Any, valid: bool
) -> None:
    # the hand label is the schema's own verdict, its declared formats asserted, except in
    # the one case where Confrere departs from it (and there, the schema says the opposite)
    schema_verdict = Draft7Validator(SCHEMA, format_checker=Draft7Validator.FORMAT_CHECKER)
    departs = label == EMPTY_IS_NOT_GIVEN
    assert schema_verdict.is_valid(document) is (valid != departs), label
    owner = member(graphql)

    payload = graphql.data(IMPORT, {"input": {"document": document}}, token=owner.token)[
        "importResume"
    ]

    if valid:
        assert payload["userErrors"] == [], label
        assert payload["resume"]["id"]
    else:
        assert payload["resume"] is None, label
        assert payload["userErrors"], label
        assert {e["code"] for e in payload["userErrors"]} == {"INVALID_DOCUMENT"}

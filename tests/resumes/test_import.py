"""JSON Resume in and out: the sample round-trips, invalid documents name their paths."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import pytest
from jsonschema import Draft7Validator

from tests.conftest import GraphQLClient
from tests.factories import member

# The copies shipped inside the package (MIT, from ../shared/data/jsonresume).
SHIPPED = resources.files("api.resumes") / "jsonresume"
SAMPLE = json.loads((SHIPPED / "sample.resume.json").read_text())
SCHEMA = json.loads((SHIPPED / "schema.json").read_text())

IMPORT = """
mutation Import($input: ImportResumeInput!) {
  importResume(input: $input) {
    resume {
      id visibility title isPrimary jsonResume yearsOfExperience currentTitle currentEmployer
      skillKeywords
      basics { name email location { city countryCode } profiles { network } }
      work { name position startDate endDate highlights }
      education { institution studyType courses }
      skills { name level keywords }
      meta { version }
    }
    userErrors { field code message }
  }
}
"""

EXPORT = """
query Export($id: ID!) { resume(id: $id) { jsonResume } }
"""

MY_RESUMES = """
query { viewer { person { resumes { totalCount edges { node { id isPrimary } } } } } }
"""


def test_the_sample_imports_and_exports_with_no_difference(graphql: GraphQLClient) -> None:
    owner = member(graphql, "Richard")

    payload = graphql.data(IMPORT, {"input": {"document": SAMPLE}}, token=owner.token)
    resume = payload["importResume"]["resume"]

    assert payload["importResume"]["userErrors"] == []
    exported = graphql.data(EXPORT, {"id": resume["id"]}, token=owner.token)["resume"]
    # same content, same order of keys and entries
    assert json.dumps(exported["jsonResume"]) == json.dumps(SAMPLE)
    assert Draft7Validator(SCHEMA).is_valid(exported["jsonResume"])


def test_typed_fields_and_derived_facts(graphql: GraphQLClient) -> None:
    owner = member(graphql, "Richard")

    resume = graphql.data(IMPORT, {"input": {"document": SAMPLE}}, token=owner.token)[
        "importResume"
    ]["resume"]

    assert resume["visibility"] == "PRIVATE"
    assert resume["title"] == "Programmer"
    assert resume["isPrimary"] is True
    assert resume["basics"]["name"] == "Richard Hendriks"
    assert resume["basics"]["email"] == "richard.hendriks@mail.com"  # the owner sees contact
    assert resume["basics"]["location"] == {"city": "San Francisco", "countryCode": "US"}
    assert [p["network"] for p in resume["basics"]["profiles"]] == ["Twitter", "SoundCloud"]
    work = resume["work"][0]
    assert work["name"] == "Pied Piper"
    assert work["startDate"] == SAMPLE["work"][0]["startDate"]
    assert work["highlights"] == SAMPLE["work"][0]["highlights"]
    assert resume["skills"][0]["keywords"] == SAMPLE["skills"][0]["keywords"]
    assert resume["meta"] == {"version": SAMPLE["meta"]["version"]}
    assert resume["currentTitle"] is None  # the sample's only role has ended
    assert resume["yearsOfExperience"] > 0
    assert "html" in resume["skillKeywords"]


def test_a_second_resume_is_not_primary_unless_asked(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    graphql.data(IMPORT, {"input": {"document": SAMPLE}}, token=owner.token)
    graphql.data(IMPORT, {"input": {"document": {"basics": {"name": "B"}}}}, token=owner.token)
    third = graphql.data(IMPORT, {"input": {"document": {}, "isPrimary": True}}, token=owner.token)[
        "importResume"
    ]["resume"]

    edges = graphql.data(MY_RESUMES, token=owner.token)["viewer"]["person"]["resumes"]["edges"]

    assert [e["node"]["isPrimary"] for e in edges] == [False, False, True]
    assert edges[2]["node"]["id"] == third["id"]


def test_importing_needs_a_signed_in_viewer(graphql: GraphQLClient) -> None:
    body = graphql.execute(IMPORT, {"input": {"document": SAMPLE}})

    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def _with(path: list[Any], value: Any) -> dict[str, Any]:
    document = copy.deepcopy(SAMPLE)
    target = document
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return document


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (["work", 0, "startDate"], 2013, "work[0].startDate"),
        (["work", 0, "startDate"], "12/2013", "work[0].startDate"),
        (["basics", "location", "city"], ["San", "Francisco"], "basics.location.city"),
        (["skills", 1, "keywords"], "Mpeg, MP4", "skills[1].keywords"),
        (["skills", 1, "keywords", 0], 7, "skills[1].keywords[0]"),
        (["education", 0, "courses"], {"DB1101": "Basic SQL"}, "education[0].courses"),
        (["basics", "profiles", 1, "url"], False, "basics.profiles[1].url"),
        (["meta", "lastModified"], 20170620, "meta.lastModified"),
        (["awards"], {"title": "Digital Compression Pioneer Award"}, "awards"),
        (["basics"], "Richard Hendriks", "basics"),
    ],
)
def test_a_wrong_type_anywhere_is_named_by_its_path_and_nothing_is_stored(
    graphql: GraphQLClient, path: list[Any], value: Any, field: str
) -> None:
    owner = member(graphql)

    payload = graphql.data(IMPORT, {"input": {"document": _with(path, value)}}, token=owner.token)

    assert payload["importResume"]["resume"] is None
    errors = payload["importResume"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [(field, "INVALID_DOCUMENT")]
    assert errors[0]["message"]
    resumes = graphql.data(MY_RESUMES, token=owner.token)["viewer"]["person"]["resumes"]
    assert resumes["totalCount"] == 0


def test_every_problem_is_reported(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    document = _with(["work", 0, "endDate"], "soon")
    document["languages"][0]["fluency"] = 5

    errors = graphql.data(IMPORT, {"input": {"document": document}}, token=owner.token)[
        "importResume"
    ]["userErrors"]

    assert [e["field"] for e in errors] == ["languages[0].fluency", "work[0].endDate"]


def test_a_document_that_is_not_an_object_is_refused(graphql: GraphQLClient) -> None:
    owner = member(graphql)

    errors = graphql.data(
        IMPORT, {"input": {"document": ["not", "a", "resume"]}}, token=owner.token
    )["importResume"]["userErrors"]

    assert [(e["field"], e["code"]) for e in errors] == [("document", "INVALID_DOCUMENT")]


def test_an_oversized_document_is_refused(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    document = {"basics": {"summary": "x" * 600_000}}

    errors = graphql.data(IMPORT, {"input": {"document": document}}, token=owner.token)[
        "importResume"
    ]["userErrors"]

    assert [e["code"] for e in errors] == ["DOCUMENT_TOO_LARGE"]

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


PROFILE = """
query Person($id: ID!) {
  node(id: $id) {
    ... on Person {
      headline summary email phone location { city region countryCode } links { network url }
    }
  }
}
"""
UPDATE_PROFILE = """
mutation ($input: UpdateProfileInput!) { updateProfile(input: $input) { userErrors { code } } }
"""


def test_importing_fills_the_empty_profile_from_basics(graphql: GraphQLClient) -> None:
    # given someone who never filled in their profile
    owner = member(graphql, "Richard")
    recruiter = member(graphql, "Recruiter")

    # when they import a resume for employers
    graphql.data(
        IMPORT, {"input": {"document": SAMPLE, "visibility": "EMPLOYERS"}}, token=owner.token
    )

    # then their profile shows its label, place, summary and links, to others too
    person = graphql.data(PROFILE, {"id": owner.person_id}, token=recruiter.token)["node"]
    assert person["headline"] == "Programmer"
    assert person["location"] == {
        "city": "San Francisco",
        "region": "California",
        "countryCode": "US",
    }
    assert person["summary"] == SAMPLE["basics"]["summary"]
    assert [link["network"] for link in person["links"]] == ["Twitter", "SoundCloud"]
    # but contact details stay in the resume, under its own audience
    own = graphql.data(PROFILE, {"id": owner.person_id}, token=owner.token)["node"]
    assert SAMPLE["basics"]["email"] not in (own["email"], person["email"])
    assert SAMPLE["basics"]["phone"] not in (own["phone"], person["phone"])


def test_importing_never_overwrites_what_the_person_set(graphql: GraphQLClient) -> None:
    # given a profile with a headline and a city of its own
    owner = member(graphql, "Richard")
    graphql.data(
        UPDATE_PROFILE,
        {"input": {"headline": "Compression pioneer", "city": "Palo Alto"}},
        token=owner.token,
    )

    # when a resume is imported
    graphql.data(
        IMPORT, {"input": {"document": SAMPLE, "visibility": "MEMBERS"}}, token=owner.token
    )

    # then what they set stays, the place is not mixed with another, and the rest is filled
    person = graphql.data(PROFILE, {"id": owner.person_id}, token=owner.token)["node"]
    assert person["headline"] == "Compression pioneer"
    assert person["location"]["city"] == "Palo Alto"
    assert person["location"]["region"] in ("", None)
    assert person["summary"] == SAMPLE["basics"]["summary"]


SET_VISIBILITY = """
mutation ($input: SetResumeVisibilityInput!) {
  setResumeVisibility(input: $input) { userErrors { code } }
}
"""


def test_a_private_resume_fills_the_profile_only_once_it_is_shown(
    graphql: GraphQLClient,
) -> None:
    # given a resume imported as PRIVATE (the default)
    owner = member(graphql, "Richard")
    resume_id = graphql.data(IMPORT, {"input": {"document": SAMPLE}}, token=owner.token)[
        "importResume"
    ]["resume"]["id"]

    # then the profile shows nothing of it
    person = graphql.data(PROFILE, {"id": owner.person_id}, token=owner.token)["node"]
    assert person["headline"] in ("", None)
    assert person["location"]["city"] in ("", None)

    # when it is shown to employers, its basics fill the empty profile
    graphql.data(
        SET_VISIBILITY, {"input": {"id": resume_id, "visibility": "EMPLOYERS"}}, token=owner.token
    )
    person = graphql.data(PROFILE, {"id": owner.person_id}, token=owner.token)["node"]
    assert person["headline"] == "Programmer"
    assert person["location"]["city"] == "San Francisco"


@pytest.mark.parametrize(
    ("path", "value", "field", "expected"),
    [
        (["basics", "email"], "x", "basics.email", "email address"),
        (["basics", "email"], "ada@localhost", "basics.email", "email address"),
        (["basics", "url"], "richardhendricks.example.com", "basics.url", "https://"),
        (["basics", "profiles", 0, "url"], "not a web address", "basics.profiles[0].url", "https"),
        (["meta", "canonical"], "::", "meta.canonical", "https://"),
        (["work", 0, "startDate"], "2013-13", "work[0].startDate", "real date"),
        (["education", 0, "endDate"], "2014-02-30", "education[0].endDate", "real date"),
    ],
)
def test_the_formats_the_schema_declares_are_checked(
    graphql: GraphQLClient, path: list[Any], value: Any, field: str, expected: str
) -> None:
    owner = member(graphql)

    payload = graphql.data(IMPORT, {"input": {"document": _with(path, value)}}, token=owner.token)

    assert payload["importResume"]["resume"] is None
    [error] = payload["importResume"]["userErrors"]
    assert (error["field"], error["code"]) == (field, "INVALID_DOCUMENT")
    assert error["message"].startswith(field)
    assert expected in error["message"]
    assert repr(value) in error["message"]


def test_empty_strings_are_not_given_and_pass_every_format(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    document = _with(["basics", "email"], "")
    document["basics"]["url"] = ""

    payload = graphql.data(IMPORT, {"input": {"document": document}}, token=owner.token)

    assert payload["importResume"]["userErrors"] == []

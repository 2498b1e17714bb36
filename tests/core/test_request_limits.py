"""What /graphql refuses before anything runs: costly documents, directive floods, bodies
that are not requests, forbidden characters in any argument; and what a refusal looks like."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.core.graphql import MAX_DIRECTIVES, MAX_QUERY_COST
from api.core.settings import Environment, Settings
from tests.conftest import GraphQLClient
from tests.factories import CREATE_ORGANIZATION, IMPORT_RESUME, member, organization

GRAPHQL_RESPONSE = "application/graphql-response+json"
#: Thirty pages of resumes, each with a page of its owner's resumes, each with a page of
#: theirs: inside the depth, token and alias limits, and millions of objects.
NESTED_PAGE = (
    "publicResumes(first: 100) { edges { node { id owner { resumes(first: 100) { edges { "
    "node { id owner { resumes(first: 100) { totalCount } } } } } } } } }"
)
COSTLY = "{ " + " ".join(f"a{i}: {NESTED_PAGE}" for i in range(30)) + " }"
UPDATE_PROFILE = """
mutation ($input: UpdateProfileInput!) {
  updateProfile(input: $input) { userErrors { field code message } }
}
"""
SEARCH_JOBS_ERRORS = """
query ($query: String) { searchJobs(query: $query) { totalCount userErrors { field code } } }
"""
ORGANIZATION = "query ($slug: String!) { organization(slug: $slug) { id } }"
VIEWER = "{ viewer { id name } }"


def test_a_document_that_could_ask_for_millions_of_objects_runs_nothing(
    graphql: GraphQLClient, count_statements: list[str]
) -> None:
    # given the nested-pages document of the security review
    # when it is posted
    count_statements.clear()
    response = graphql.post(COSTLY, headers={"Accept": GRAPHQL_RESPONSE})

    # then it is refused as a request error, with the numbers, before any statement runs
    assert response.status_code == 400
    body = response.json()
    assert "data" not in body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert error["extensions"]["maximum"] == MAX_QUERY_COST
    assert error["extensions"]["cost"] > MAX_QUERY_COST
    assert "first" in error["message"]
    assert count_statements == []


def test_page_sizes_given_as_variables_count_too(graphql: GraphQLClient) -> None:
    query = (
        "query ($n: Int) { publicResumes(first: $n) { edges { node { owner { "
        "resumes(first: $n) { edges { node { owner { resumes(first: $n) { totalCount } } } } "
        "} } } } } }"
    )

    small = graphql.execute(query, {"n": 5})
    large = graphql.execute(query, {"n": 100})

    assert "errors" not in small
    assert large["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"


def test_a_full_page_with_nested_pages_fits(graphql: GraphQLClient) -> None:
    # a page of 100 people's resume pages (what the public board reads) stays allowed
    body = graphql.execute(
        "{ publicResumes(first: 100) { edges { node { id owner { id name "
        "resumes(first: 20) { totalCount edges { node { id } } } } } } } }"
    )

    assert "errors" not in body


def test_fragments_count_where_they_are_spread_and_cycles_do_not_hang(
    graphql: GraphQLClient,
) -> None:
    spread = (
        "query { a: publicResumes(first: 100) { ...Pages } } "
        "fragment Pages on ResumeConnection { edges { node { owner { "
        "resumes(first: 100) { edges { node { owner { resumes(first: 100) { totalCount } } } } "
        "} } } } }"
    )
    cycle = (
        "query { viewer { ...A } } fragment A on Account { id ...B } fragment B on Account { ...A }"
    )

    assert graphql.execute(spread)["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"
    # a cycle is the validator's to refuse (and it does), never a hang or a crash here
    [error] = graphql.execute(cycle)["errors"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_a_flood_of_directives_is_refused(graphql: GraphQLClient) -> None:
    fields = " ".join(f"f{i}: __typename @include(if: true)" for i in range(MAX_DIRECTIVES + 1))
    just_enough = " ".join(f"f{i}: __typename @include(if: true)" for i in range(20))

    [error] = graphql.execute("{ " + fields + " }")["errors"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "directives" in error["message"]
    assert "errors" not in graphql.execute("{ " + just_enough + " }")


@pytest.mark.parametrize("body", [b"null", b'"x"', b"1", b"true", b"[1]", b'[null, {"a": 1}]'])
def test_a_json_body_that_is_no_request_object_is_a_400(
    graphql: GraphQLClient, body: bytes
) -> None:
    response = graphql.http.post(
        "/graphql", content=body, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    "body",
    [
        b'{"query": "{ __typename }", "variables": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b'{"query": "{ __typename }", "variables": {"n": ' + b"9" * 5000 + b"}}",
        b'{"query": "\xff\xfe{ __typename }"}',
    ],
    ids=["nested-deeply", "huge-number", "not-utf8"],
)
def test_json_past_what_the_parser_takes_is_a_400(graphql: GraphQLClient, body: bytes) -> None:
    response = graphql.http.post(
        "/graphql", content=body, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE, "application/json"])
def test_request_errors_carry_no_data_entry_in_either_media_type(
    graphql: GraphQLClient, accept: str
) -> None:
    body = graphql.post("{ viewr { id } }", headers={"Accept": accept}).json()

    assert "data" not in body
    assert body["errors"]


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x7f", "\x9b", "\ud800", "\ufffe"])
def test_forbidden_characters_are_a_user_error_on_the_field(
    graphql: GraphQLClient, character: str
) -> None:
    # given a member
    person = member(graphql, "Ada")

    # when their headline holds a character no page or feed can carry (sent escaped, as
    # JSON allows even for a lone surrogate)
    body = json.dumps(
        {"query": UPDATE_PROFILE, "variables": {"input": {"headline": f"Engineer{character}"}}}
    )
    response = graphql.http.post(
        "/graphql",
        content=body.encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {person.token}"},
    )
    payload = response.json()["data"]["updateProfile"]

    # then the field is named, the character too, and nothing was saved
    [error] = payload["userErrors"]
    assert (error["field"], error["code"]) == ("headline", "INVALID_CHARACTERS")
    assert f"U+{ord(character):04X}" in error["message"]
    assert graphql.data(VIEWER, token=person.token)["viewer"]["name"] == "Ada"


def test_tabs_and_line_breaks_are_text(graphql: GraphQLClient) -> None:
    person = member(graphql, "Ada")

    payload = graphql.data(
        UPDATE_PROFILE,
        {"input": {"summary": "First line\r\nsecond\tline\n"}},
        token=person.token,
    )["updateProfile"]

    assert payload["userErrors"] == []


def test_characters_inside_json_documents_and_nested_inputs_are_found_by_path(
    graphql: GraphQLClient,
) -> None:
    person = member(graphql, "Ada")
    document = {"basics": {"name": "Ada"}, "work": [{"name": "Globex", "summary": "a\x00b"}]}

    imported = graphql.data(IMPORT_RESUME, {"input": {"document": document}}, token=person.token)[
        "importResume"
    ]
    links = graphql.data(
        UPDATE_PROFILE,
        {"input": {"links": [{"network": "Git\x07Hub", "url": "https://example.org"}]}},
        token=person.token,
    )["updateProfile"]

    assert imported["resume"] is None
    assert [(e["field"], e["code"]) for e in imported["userErrors"]] == [
        ("document.work[0].summary", "INVALID_CHARACTERS")
    ]
    assert [(e["field"], e["code"]) for e in links["userErrors"]] == [
        ("links[0].network", "INVALID_CHARACTERS")
    ]


def test_a_search_answers_in_its_user_errors_and_other_fields_with_bad_user_input(
    graphql: GraphQLClient,
) -> None:
    search = graphql.data(SEARCH_JOBS_ERRORS, {"query": "python\x00"})["searchJobs"]
    other = graphql.execute(ORGANIZATION, {"slug": "club\x1b"})

    assert search["totalCount"] == 0
    assert [(e["field"], e["code"]) for e in search["userErrors"]] == [
        ("query", "INVALID_CHARACTERS")
    ]
    [error] = other["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "U+001B" in error["message"] and "slug" in error["message"]


def _error_codes(payload: Any) -> set[str]:
    """The codes a mutation payload's userErrors can carry (none: no userErrors)."""
    errors = payload.fields.get("userErrors")
    if errors is None:
        return set()
    error_type = errors.type.of_type.of_type.of_type
    return set(error_type.fields["code"].type.of_type.values)


def test_every_mutation_can_report_forbidden_characters() -> None:
    """Each capability's error codes carry INVALID_CHARACTERS, so the policy can answer in
    every mutation's own payload (a new capability cannot forget it: this fails)."""
    from api.schema import schema

    mutations = schema._schema.mutation_type.fields
    payloads = {name: getattr(f.type, "of_type", f.type) for name, f in mutations.items()}

    assert len(payloads) > 50
    assert [n for n, p in payloads.items() if "INVALID_CHARACTERS" not in _error_codes(p)] == []


def test_a_forbidden_character_is_reported_by_a_mutation_end_to_end(
    graphql: GraphQLClient,
) -> None:
    owner = member(graphql, "Olga")
    organization(graphql, owner, "Tidy Club")

    created = graphql.data(
        CREATE_ORGANIZATION,
        {"input": {"name": "Bad\x1bClub", "kind": "CLUB", "joinPolicy": "OPEN"}},
        token=owner.token,
    )["createOrganization"]

    assert [(e["field"], e["code"]) for e in created["userErrors"]] == [
        ("name", "INVALID_CHARACTERS")
    ]


@pytest.fixture
def production(settings: Settings, tmp_path: Path) -> Iterator[GraphQLClient]:
    hardened = Settings(
        data_dir=settings.data_dir,
        database_url=settings.database_url,
        secret_key=settings.secret_key,
        environment=Environment.PRODUCTION,
    )
    with TestClient(app=create_app(hardened)) as client:
        yield GraphQLClient(client)


@pytest.mark.parametrize(
    "misspelled",
    [{"headlin": "x"}, {"visibility": "PUBLC"}],
    ids=["input-field", "enum-value"],
)
def test_production_gives_no_hints_for_misspelled_variables(
    production: GraphQLClient, misspelled: dict[str, str]
) -> None:
    # an input field or an enum value misspelled in variables, not in the document
    body = production.execute(UPDATE_PROFILE, {"input": misspelled})

    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "Did you mean" not in json.dumps(body)

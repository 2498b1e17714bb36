"""One length limit per text field, refused with a userError; nothing is cut silently."""

from __future__ import annotations

import pytest

from tests.conftest import GraphQLClient
from tests.factories import member, organization

UPDATE_PROFILE = """
mutation ($input: UpdateProfileInput!) {
  updateProfile(input: $input) { userErrors { field code message } }
}
"""
VIEWER = "{ viewer { name } }"
UPDATE_ORGANIZATION = """
mutation ($input: UpdateOrganizationInput!) {
  updateOrganization(input: $input) {
    organization { description } userErrors { field code message }
  }
}
"""
SAVE_SEARCH = """
mutation ($input: SaveCandidateSearchInput!) {
  saveCandidateSearch(input: $input) { savedSearch { name } userErrors { field code message } }
}
"""
OPEN_TO_WORK = """
mutation ($input: SetOpenToWorkInput!) {
  setOpenToWork(input: $input) { userErrors { field code message } }
}
"""


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "N" * 201}, "name"),
        ({"summary": "S" * 5_001}, "summary"),
        ({"links": [{"network": "N" * 61, "url": "https://example.org"}]}, "links[0].network"),
        ({"links": [{"username": "U" * 121, "url": "https://example.org"}]}, "links[0].username"),
    ],
)
def test_profile_text_past_its_limit_is_refused_not_cut(
    graphql: GraphQLClient, changes: dict, field: str
) -> None:
    person = member(graphql, "Ada")

    payload = graphql.data(UPDATE_PROFILE, {"input": changes}, token=person.token)

    assert [(e["field"], e["code"]) for e in payload["updateProfile"]["userErrors"]] == [
        (field, "TOO_LONG")
    ]
    assert graphql.data(VIEWER, token=person.token)["viewer"]["name"] == "Ada"


def test_profile_text_at_its_limit_is_kept_whole(graphql: GraphQLClient) -> None:
    person = member(graphql, "Ada")

    payload = graphql.data(
        UPDATE_PROFILE, {"input": {"name": "N" * 200, "summary": "S" * 5_000}}, token=person.token
    )

    assert payload["updateProfile"]["userErrors"] == []
    assert graphql.data(VIEWER, token=person.token)["viewer"]["name"] == "N" * 200


def test_an_organization_description_has_a_limit(graphql: GraphQLClient) -> None:
    owner = member(graphql, "Olga")
    organization_id = organization(graphql, owner, "Limits Club")

    too_long = graphql.data(
        UPDATE_ORGANIZATION,
        {"input": {"organizationId": organization_id, "description": "D" * 10_001}},
        token=owner.token,
    )["updateOrganization"]
    just_right = graphql.data(
        UPDATE_ORGANIZATION,
        {"input": {"organizationId": organization_id, "description": "D" * 10_000}},
        token=owner.token,
    )["updateOrganization"]

    assert [(e["field"], e["code"]) for e in too_long["userErrors"]] == [
        ("description", "DESCRIPTION_TOO_LONG")
    ]
    assert just_right["userErrors"] == []
    assert len(just_right["organization"]["description"]) == 10_000


def test_saved_search_names_and_filter_values_are_refused_past_their_limit(
    graphql: GraphQLClient,
) -> None:
    recruiter = member(graphql, "Rita")

    named = graphql.data(SAVE_SEARCH, {"input": {"name": "N" * 201}}, token=recruiter.token)[
        "saveCandidateSearch"
    ]
    filtered = graphql.data(
        SAVE_SEARCH,
        {"input": {"name": "Fine", "filter": {"niceToHaveSkills": ["S" * 201]}}},
        token=recruiter.token,
    )["saveCandidateSearch"]

    assert [(e["field"], e["code"]) for e in named["userErrors"]] == [("name", "NAME_TOO_LONG")]
    assert [(e["field"], e["code"]) for e in filtered["userErrors"]] == [
        ("filter.niceToHaveSkills[0]", "INVALID_FILTER")
    ]


def test_open_to_work_values_are_refused_past_their_limit(graphql: GraphQLClient) -> None:
    seeker = member(graphql, "Sam")

    payload = graphql.data(
        OPEN_TO_WORK,
        {"input": {"titles": ["T" * 121], "audience": "EMPLOYERS"}},
        token=seeker.token,
    )["setOpenToWork"]

    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
        ("titles[0]", "INVALID_PREFERENCE")
    ]

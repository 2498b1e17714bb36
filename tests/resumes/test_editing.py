"""Editing resumes: sections, titles, primary, visibility, deletion, open-to-work input."""

from __future__ import annotations

import pytest

from tests.conftest import GraphQLClient
from tests.factories import database_id, import_resume, member

UPDATE = """
mutation Update($input: UpdateResumeInput!) {
  updateResume(input: $input) {
    resume { id title isPrimary jsonResume currentTitle currentEmployer yearsOfExperience
             skillKeywords }
    userErrors { field code message }
  }
}
"""
DELETE = """
mutation Delete($input: DeleteResumeInput!) {
  deleteResume(input: $input) { deletedResumeId userErrors { field code } }
}
"""
RESUME = "query ($id: ID!) { resume(id: $id) { id isPrimary } }"
OUTBOX_CHECK = "query { viewer { id } }"
OPEN_TO_WORK = """
mutation ($input: SetOpenToWorkInput!) {
  setOpenToWork(input: $input) {
    openToWork { titles workplaceTypes employmentTypes earliestStart }
    userErrors { field code }
  }
}
"""
CLEAR_OPEN_TO_WORK = "mutation { clearOpenToWork { openToWork { titles } userErrors { code } } }"

DOCUMENT = {"basics": {"name": "Ada"}, "work": [], "awards": [{"title": "Prize"}]}


def test_update_replaces_and_removes_sections_and_recomputes_facts(
    graphql: GraphQLClient,
) -> None:
    owner = member(graphql)
    resume_id = import_resume(graphql, owner, DOCUMENT)
    work = [{"name": "Analytical Engines", "position": "Programmer", "startDate": "2024-11-27"}]

    payload = graphql.data(
        UPDATE,
        {"input": {"id": resume_id, "sections": {"work": work, "awards": None}, "title": "Mine"}},
        token=owner.token,
    )["updateResume"]

    resume = payload["resume"]
    assert payload["userErrors"] == []
    assert resume["title"] == "Mine"
    assert resume["jsonResume"] == {"basics": {"name": "Ada"}, "work": work}
    assert resume["currentTitle"] == "Programmer"
    assert resume["currentEmployer"] == "Analytical Engines"
    assert resume["yearsOfExperience"] >= 2.0


@pytest.mark.parametrize(
    ("sections", "field", "code"),
    [
        ({"hobbies": []}, "sections.hobbies", "UNKNOWN_SECTION"),
        ({"work": [{"startDate": "yesterday"}]}, "work[0].startDate", "INVALID_DOCUMENT"),
        ({"basics": 7}, "basics", "INVALID_DOCUMENT"),
        ([1, 2], "sections", "INVALID_DOCUMENT"),
    ],
)
def test_an_invalid_update_changes_nothing(
    graphql: GraphQLClient, sections: object, field: str, code: str
) -> None:
    owner = member(graphql)
    resume_id = import_resume(graphql, owner, DOCUMENT)

    payload = graphql.data(
        UPDATE, {"input": {"id": resume_id, "sections": sections}}, token=owner.token
    )["updateResume"]

    assert payload["resume"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(field, code)]
    unchanged = graphql.data(UPDATE, {"input": {"id": resume_id}}, token=owner.token)
    assert unchanged["updateResume"]["resume"]["jsonResume"] == DOCUMENT


def test_making_a_resume_primary_unsets_the_others(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    first = import_resume(graphql, owner, DOCUMENT)
    second = import_resume(graphql, owner, DOCUMENT)

    graphql.data(UPDATE, {"input": {"id": second, "isPrimary": True}}, token=owner.token)

    assert graphql.data(RESUME, {"id": first}, token=owner.token)["resume"]["isPrimary"] is False
    assert graphql.data(RESUME, {"id": second}, token=owner.token)["resume"]["isPrimary"] is True


def test_delete_removes_the_resume_and_passes_primary_on(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    first = import_resume(graphql, owner, DOCUMENT)
    second = import_resume(graphql, owner, DOCUMENT)

    payload = graphql.data(DELETE, {"input": {"id": first}}, token=owner.token)["deleteResume"]

    assert payload == {"deletedResumeId": first, "userErrors": []}
    assert graphql.data(RESUME, {"id": first}, token=owner.token) == {"resume": None}
    assert graphql.data(RESUME, {"id": second}, token=owner.token)["resume"]["isPrimary"] is True
    again = graphql.data(DELETE, {"input": {"id": first}}, token=owner.token)["deleteResume"]
    assert again["userErrors"] == [{"field": "id", "code": "NOT_FOUND"}]


def test_nobody_else_edits_or_deletes_a_resume(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    other = member(graphql)
    resume_id = import_resume(graphql, owner, DOCUMENT)

    edit = graphql.data(
        UPDATE, {"input": {"id": resume_id, "title": "Hijacked"}}, token=other.token
    )["updateResume"]
    delete = graphql.data(DELETE, {"input": {"id": resume_id}}, token=other.token)["deleteResume"]

    assert edit["userErrors"][0]["code"] == "NOT_FOUND"
    assert delete["userErrors"][0]["code"] == "NOT_FOUND"
    assert graphql.data(RESUME, {"id": resume_id}, token=owner.token)["resume"] is not None


def test_writes_record_search_outbox_rows_in_order(graphql: GraphQLClient) -> None:
    from api.core.outbox import OutboxEvent

    owner = member(graphql)
    resume_id = import_resume(graphql, owner, DOCUMENT)
    graphql.data(UPDATE, {"input": {"id": resume_id, "title": "Edited"}}, token=owner.token)
    graphql.data(DELETE, {"input": {"id": resume_id}}, token=owner.token)

    async def events() -> list[dict]:
        return await OutboxEvent.select().order_by(OutboxEvent.id)

    rows = graphql.http.blocking_portal.call(events)
    resume_rows = [r for r in rows if r["kind"] == "candidates"]
    assert [r["action"] for r in resume_rows] == ["UPSERT", "UPSERT", "DELETE"]
    assert {r["object_id"] for r in resume_rows} == {database_id(resume_id)}
    # Deleting a resume is also a change of its owner (the directory shows their employer).
    assert rows[-1]["kind"] == "people"
    assert rows[-1]["object_id"] == owner.account_id


def test_open_to_work_preferences_are_validated_and_cleared(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    variables = {
        "input": {
            "titles": ["Data Engineer", "Data Engineer", " Analytics Engineer "],
            "workplaceTypes": ["REMOTE", "HYBRID"],
            "employmentTypes": ["FULL_TIME"],
            "earliestStart": "2027-01-15",
        }
    }

    payload = graphql.data(OPEN_TO_WORK, variables, token=owner.token)["setOpenToWork"]

    assert payload["userErrors"] == []
    assert payload["openToWork"] == {
        "titles": ["Data Engineer", "Analytics Engineer"],
        "workplaceTypes": ["REMOTE", "HYBRID"],
        "employmentTypes": ["FULL_TIME"],
        "earliestStart": "2027-01-15",
    }
    too_many = {"input": {"titles": [f"Title {i}" for i in range(21)]}}
    errors = graphql.data(OPEN_TO_WORK, too_many, token=owner.token)["setOpenToWork"]
    assert errors["userErrors"] == [{"field": "titles", "code": "INVALID_PREFERENCE"}]
    cleared = graphql.data(CLEAR_OPEN_TO_WORK, token=owner.token)["clearOpenToWork"]
    assert cleared == {"openToWork": None, "userErrors": []}

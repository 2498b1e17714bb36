"""saveJobSearch over HTTP: validation as searchJobs validates, listing beside (never among)
candidate searches, newSinceLastRun counted by the index, alerts set and deletion."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import GraphQLClient
from tests.factories import Employer, Member, global_id, job, member, settle

SAVE = """
mutation ($input: SaveJobSearchInput!) {
  saveJobSearch(input: $input) {
    savedJobSearch { id name query filter alertFrequency lastRunAt lastAlertAt }
    userErrors { field code message }
  }
}
"""
LISTED = """
{ viewer { savedJobSearches { totalCount edges { node { id name newSinceLastRun lastRunAt } } } } }
"""
RUN = """
{ viewer { savedJobSearches { edges { node { id newSinceLastRun lastRunAt
  results(first: 10) { totalCount edges { node { title } } } } } } } }
"""
CANDIDATE_SEARCHES = "{ savedSearches { totalCount } }"
SAVE_CANDIDATE_SEARCH = """
mutation ($input: SaveCandidateSearchInput!) {
  saveCandidateSearch(input: $input) { savedSearch { id } userErrors { code } }
}
"""
SET_ALERT = """
mutation ($input: SetSavedSearchAlertInput!) {
  setSavedSearchAlert(input: $input) {
    savedSearch { id alertFrequency }
    savedJobSearch { id alertFrequency }
    userErrors { field code }
  }
}
"""
DELETE = """
mutation ($input: DeleteSavedSearchInput!) {
  deleteSavedSearch(input: $input) { deletedSavedSearchId userErrors { code } }
}
"""
NODE = "query ($id: ID!) { node(id: $id) { ... on SavedJobSearch { id name } } }"


def save(graphql: GraphQLClient, who: Member | None, **input: Any) -> dict[str, Any]:
    return graphql.data(SAVE, {"input": input}, token=who.token if who else None)["saveJobSearch"]


def errors(payload: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e["field"], e["code"]) for e in payload["userErrors"]]


@pytest.mark.parametrize(
    ("input", "expected"),
    [
        ({"name": "  "}, [("name", "NAME_REQUIRED")]),
        ({"name": "x" * 201}, [("name", "NAME_TOO_LONG")]),
        ({"name": "Broken", "query": "(backend"}, [("query", "INVALID_QUERY")]),
        (
            {"name": " ", "query": "backend AND"},
            [("name", "NAME_REQUIRED"), ("query", "INVALID_QUERY")],
        ),
        (
            {"filter": {"organizationIds": [global_id("Job", 1)]}},
            [("filter.organizationIds", "INVALID_FILTER")],
        ),
        (
            {"filter": {"postedSince": "2027-01-01T00:00:00"}},
            [("filter.postedSince", "INVALID_FILTER")],
        ),
        ({"filter": {"cities": ["x" * 201]}}, [("filter.cities[0]", "INVALID_FILTER")]),
        ({"filter": {"skills": ["Go"] * 51}}, [("filter.skills", "INVALID_FILTER")]),
    ],
)
def test_what_search_jobs_refuses_is_a_user_error_and_nothing_is_kept(
    graphql: GraphQLClient, input: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    seeker = member(graphql, "Sam")
    assert errors(save(graphql, seeker, **input)) == expected
    assert graphql.data(LISTED, token=seeker.token)["viewer"]["savedJobSearches"]["totalCount"] == 0


def test_any_member_saves_a_job_search_beside_their_candidate_searches(
    graphql: GraphQLClient, globex: Employer
) -> None:
    # signed out, nothing is saved
    body = graphql.execute(SAVE, {"input": {"query": "backend"}})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    # a member saves one without a name: it is named after its query
    seeker = member(graphql, "Sam")
    unnamed = save(graphql, seeker, query="  backend   python ", alertFrequency="WEEKLY")
    assert unnamed["userErrors"] == []
    kept = unnamed["savedJobSearch"]
    assert (kept["name"], kept["query"], kept["alertFrequency"]) == (
        "backend python",
        "backend   python",
        "WEEKLY",
    )
    # filters are kept as searchJobs takes them back
    filtered = save(
        graphql,
        seeker,
        name="Globex in Berlin",
        filter={"cities": ["Berlin"], "organizationIds": [globex.id], "workplaceTypes": ["REMOTE"]},
    )["savedJobSearch"]
    assert filtered["filter"] == {
        "cities": ["Berlin"],
        "organizationIds": [globex.id],
        "workplaceTypes": ["REMOTE"],
    }
    assert filtered["alertFrequency"] == "OFF" and filtered["lastAlertAt"] is None
    assert save(graphql, seeker)["savedJobSearch"]["name"] == "All jobs"

    # job searches and candidate searches are listed apart
    candidate = graphql.data(
        SAVE_CANDIDATE_SEARCH, {"input": {"name": "Pythonistas"}}, token=seeker.token
    )["saveCandidateSearch"]["savedSearch"]
    listed = graphql.data(LISTED, token=seeker.token)["viewer"]["savedJobSearches"]
    assert [e["node"]["name"] for e in listed["edges"]] == [
        "backend python",
        "Globex in Berlin",
        "All jobs",
    ]
    assert graphql.data(CANDIDATE_SEARCHES, token=seeker.token)["savedSearches"]["totalCount"] == 1
    assert graphql.data(NODE, {"id": kept["id"]}, token=seeker.token)["node"]["name"] == (
        "backend python"
    )
    # nobody else reads, alerts or deletes it
    other = member(graphql, "Otto")
    assert graphql.data(NODE, {"id": kept["id"]}, token=other.token)["node"] is None
    stolen = graphql.data(
        SET_ALERT, {"input": {"id": kept["id"], "alertFrequency": "DAILY"}}, token=other.token
    )["setSavedSearchAlert"]
    assert stolen["userErrors"] == [{"field": "id", "code": "NOT_FOUND"}]
    gone = graphql.data(DELETE, {"input": {"id": kept["id"]}}, token=other.token)
    assert gone["deleteSavedSearch"]["userErrors"] == [{"code": "NOT_FOUND"}]

    # its owner sets the alert of either kind
    job_alert = graphql.data(
        SET_ALERT, {"input": {"id": kept["id"], "alertFrequency": "DAILY"}}, token=seeker.token
    )["setSavedSearchAlert"]
    assert job_alert["savedJobSearch"] == {"id": kept["id"], "alertFrequency": "DAILY"}
    assert job_alert["savedSearch"] is None
    candidate_alert = graphql.data(
        SET_ALERT,
        {"input": {"id": candidate["id"], "alertFrequency": "WEEKLY"}},
        token=seeker.token,
    )["setSavedSearchAlert"]
    assert candidate_alert["savedSearch"] == {"id": candidate["id"], "alertFrequency": "WEEKLY"}

    # and deletes either kind
    for search_id in (kept["id"], candidate["id"]):
        deleted = graphql.data(DELETE, {"input": {"id": search_id}}, token=seeker.token)
        assert deleted["deleteSavedSearch"] == {"deletedSavedSearchId": search_id, "userErrors": []}
    assert graphql.data(LISTED, token=seeker.token)["viewer"]["savedJobSearches"]["totalCount"] == 2
    assert graphql.data(CANDIDATE_SEARCHES, token=seeker.token)["savedSearches"]["totalCount"] == 0


def test_new_since_last_run_counts_the_postings_published_since(
    graphql: GraphQLClient, globex: Employer
) -> None:
    # given a saved search, then two matching postings and one that does not match
    seeker = member(graphql, "Sam")
    save(graphql, seeker, name="Backend", query="backend")
    job(graphql, globex, "PUBLISHED", title="Backend Engineer")
    job(graphql, globex, "PUBLISHED", title="Backend Lead")
    job(graphql, globex, "PUBLISHED", title="Sales Manager")
    settle(graphql)

    # then, never run, it counts both as new since it was saved
    [listed] = graphql.data(LISTED, token=seeker.token)["viewer"]["savedJobSearches"]["edges"]
    assert listed["node"]["newSinceLastRun"] == 2 and listed["node"]["lastRunAt"] is None

    # when it runs, that answer still says what was new before this run
    [ran] = graphql.data(RUN, token=seeker.token)["viewer"]["savedJobSearches"]["edges"]
    assert ran["node"]["newSinceLastRun"] == 2
    assert ran["node"]["results"]["totalCount"] == 2
    assert ran["node"]["lastRunAt"] is not None

    # and afterwards nothing is new, until another posting is published
    [after] = graphql.data(LISTED, token=seeker.token)["viewer"]["savedJobSearches"]["edges"]
    assert after["node"]["newSinceLastRun"] == 0
    assert after["node"]["lastRunAt"] == ran["node"]["lastRunAt"]
    job(graphql, globex, "PUBLISHED", title="Backend Architect")
    settle(graphql)
    [later] = graphql.data(LISTED, token=seeker.token)["viewer"]["savedJobSearches"]["edges"]
    assert later["node"]["newSinceLastRun"] == 1

"""searchCandidates over HTTP: syntax, filters, facets, highlights, suggestions, sorts,
pagination, audiences (results and counts), freshness and saved searches."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from tests.conftest import GraphQLClient
from tests.factories import (
    Member,
    import_resume,
    member,
    organization,
    settle,
    verify_employer,
)
from tests.resumes.audiences import LEVELS, SEES, VIEWERS, Network

SEARCH = """
query Search($query: String, $filter: CandidateFilterInput, $sort: CandidateSort,
             $first: Int, $after: String) {
  searchCandidates(query: $query, filter: $filter, sort: $sort, first: $first, after: $after) {
    totalCount
    edges { cursor score matchedSkills node { id title } highlights { field snippet } }
    facets { field values { value count } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
    suggestion
    correctedQuery
    userErrors { field code message }
  }
}
"""
UPDATE = """
mutation ($input: UpdateResumeInput!) { updateResume(input: $input) { userErrors { code } } }
"""
SET_VISIBILITY = """
mutation ($input: SetResumeVisibilityInput!) {
  setResumeVisibility(input: $input) { userErrors { code } }
}
"""
DELETE = (
    "mutation ($input: DeleteResumeInput!) { deleteResume(input: $input) { userErrors { code } } }"
)
OPEN_TO_WORK = """
mutation ($input: SetOpenToWorkInput!) { setOpenToWork(input: $input) { userErrors { code } } }
"""
EXCLUDE = """
mutation ($input: SetResumeExclusionsInput!) {
  setResumeExclusions(input: $input) { userErrors { code } }
}
"""
SAVE = """
mutation ($input: SaveCandidateSearchInput!) {
  saveCandidateSearch(input: $input) {
    savedSearch { id name query filter sort }
    userErrors { field code message }
  }
}
"""
EXPLAINED = """
query ($query: String) {
  searchCandidates(query: $query) {
    edges {
      node { id }
      explanation {
        matchedSkills matchedFields titleMatch experienceFits scoreParts { part value }
      }
    }
  }
}
"""
SAVED = """
query {
  savedSearches { totalCount edges { node { id name lastRunAt
    results(first: 10) { totalCount edges { node { id } } } } } }
}
"""
LISTED = "query { savedSearches { edges { node { id lastRunAt } } } }"
NODE_RUN = """
query ($id: ID!) {
  node(id: $id) { ... on SavedSearch { lastRunAt results(first: 1) { totalCount } } }
}
"""
DELETE_SAVED = """
mutation ($input: DeleteSavedSearchInput!) {
  deleteSavedSearch(input: $input) { deletedSavedSearchId userErrors { code } }
}
"""


def resume(
    name: str,
    title: str,
    skills: list[str],
    *,
    summary: str = "",
    city: str = "Berlin",
    country: str = "DE",
    start: str = "2020-01",
    employer: str = "Globex",
    school: str = "ETH Zurich",
    degree: str = "Master",
    graduated: str = "2015",
    languages: tuple[str, ...] = ("English",),
) -> dict[str, Any]:
    return {
        "basics": {
            "name": name,
            "label": title,
            "summary": summary,
            "location": {"city": city, "countryCode": country},
        },
        "work": [{"name": employer, "position": title, "startDate": start}],
        "education": [{"institution": school, "studyType": degree, "endDate": graduated}],
        "skills": [{"name": skill} for skill in skills],
        "languages": [{"language": language} for language in languages],
    }


def search(graphql: GraphQLClient, viewer: Member | None = None, **variables: Any) -> dict:
    token = viewer.token if viewer else None
    return graphql.data(SEARCH, variables, token=token)["searchCandidates"]


def found(graphql: GraphQLClient, viewer: Member | None = None, **variables: Any) -> set[str]:
    result = search(graphql, viewer, first=100, **variables)
    assert result["userErrors"] == [], result["userErrors"]
    return {edge["node"]["id"] for edge in result["edges"]}


@pytest.fixture
def people(graphql: GraphQLClient) -> dict[str, str]:
    documents = {
        "ada": resume(
            "Ada", "Data Engineer", ["Python", "Postgres", "K8s"],
            summary="Builds streaming pipelines.", start="2015-01", languages=("English", "German"),
        ),
        "grace": resume(
            "Grace", "Backend Developer", ["Python", "Django"], city="Toronto", country="CA",
            start="2022-06", employer="Hooli", school="University of Toronto", degree="Bachelor",
            graduated="2021",
        ),
        "linus": resume(
            "Linus", "Frontend Developer", ["JavaScript", "React"], summary="Some PHP long ago.",
            start="2024-01", employer="Initech", degree="Bachelor", graduated="2023",
        ),
        "margaret": resume(
            "Margaret", "Site Reliability Engineer", ["Kubernetes", "Go"], city="Zurich",
            country="CH", start="2008-01", degree="PhD", graduated="2007",
        ),
    }  # fmt: skip
    # one owner each: importing fills its owner's empty profile (the headline is searched)
    ids = {
        key: import_resume(graphql, member(graphql, key.title()), document)
        for key, document in documents.items()
    }
    settle(graphql)
    return ids


def test_query_syntax_through_http(graphql: GraphQLClient, people: dict[str, str]) -> None:
    ada, grace, linus, margaret = (people[k] for k in ("ada", "grace", "linus", "margaret"))

    assert found(graphql, query="python") == {ada, grace}
    assert found(graphql, query="python AND django") == {grace}
    assert found(graphql, query="python OR react") == {ada, grace, linus}
    assert found(graphql, query="python NOT django") == {ada}
    assert found(graphql, query='"site reliability"') == {margaret}
    assert found(graphql, query="(django OR react) AND developer") == {grace, linus}
    assert found(graphql, query="skill:k8s") == {ada, margaret}
    assert found(graphql, query="title:engineer") == {ada, margaret}
    assert found(graphql, query="company:hooli") == {grace}
    assert found(graphql, query='school:"university of toronto"') == {grace}
    assert found(graphql, query="js") == {linus}
    assert found(graphql, query="pipelin*") == {ada}


@pytest.mark.parametrize(
    "query",
    [
        "(python",
        "python)",
        '"unclosed phrase',
        "AND python",
        "python OR",
        "NOT",
        "-python",
        "salary:100k",
        "title:",
        "()",
        "py*thon",
        "x" * 1001,
    ],
)
def test_every_kind_of_malformed_query_is_a_user_error(graphql: GraphQLClient, query: str) -> None:
    result = search(graphql, query=query)

    [error] = result["userErrors"]
    assert error["code"] == "INVALID_QUERY"
    assert error["field"] == "query"
    assert "at character" in error["message"]
    assert result["totalCount"] == 0 and result["edges"] == []


def test_filters_through_http(graphql: GraphQLClient, people: dict[str, str]) -> None:
    ada, grace, linus, margaret = (people[k] for k in ("ada", "grace", "linus", "margaret"))

    def where(**wanted: Any) -> set[str]:
        return found(graphql, filter=wanted)

    assert where(skills=["python", "postgresql"]) == {ada}
    assert where(skills=["kubernetes"]) == {ada, margaret}
    assert where(excludedSkills=["django"]) == {ada, linus, margaret}
    assert where(cities=["berlin"]) == {ada, linus}
    assert where(countries=["CA", "CH"]) == {grace, margaret}
    assert where(minYearsOfExperience=10) == {ada, margaret}
    assert where(maxYearsOfExperience=3) == {linus}
    assert where(currentTitles=["backend developer"]) == {grace}
    assert where(pastEmployers=["initech"]) == {linus}
    assert where(schools=["ETH Zurich"]) == {ada, linus, margaret}
    assert where(degrees=["bachelor"]) == {grace, linus}
    assert where(graduationYearMin=2020) == {grace, linus}
    assert where(graduationYearMin=2010, graduationYearMax=2016) == {ada}
    assert where(languages=["german"]) == {ada}
    assert where(updatedSince="2000-01-01T00:00:00Z") == {ada, grace, linus, margaret}
    assert where(updatedSince="2999-01-01T00:00:00Z") == set()
    ranked = search(graphql, query="python", filter={"niceToHaveSkills": ["django"]})
    assert ranked["edges"][0]["node"]["id"] == grace


def test_contradictory_filters_are_user_errors(graphql: GraphQLClient) -> None:
    result = search(graphql, filter={"minYearsOfExperience": 10, "maxYearsOfExperience": 2})

    assert [e["code"] for e in result["userErrors"]] == ["INVALID_FILTER"]


@pytest.mark.parametrize(
    ("filter", "field"),
    [
        ({"minYearsOfExperience": 1e308}, "filter.minYearsOfExperience"),
        ({"maxYearsOfExperience": -1}, "filter.maxYearsOfExperience"),
        ({"minYearsOfExperience": 81}, "filter.minYearsOfExperience"),
    ],
)
def test_years_of_experience_out_of_range_are_user_errors(
    graphql: GraphQLClient, filter: dict, field: str
) -> None:
    result = search(graphql, filter=filter)
    saved = graphql.data(
        SAVE,
        {"input": {"name": "Huge", "filter": filter}},
        token=member(graphql, "Rita").token,
    )["saveCandidateSearch"]

    assert [(e["field"], e["code"]) for e in result["userErrors"]] == [(field, "INVALID_FILTER")]
    assert "from 0 to 80" in result["userErrors"][0]["message"]
    assert [e["code"] for e in saved["userErrors"]] == ["INVALID_FILTER"]


def test_facets_highlights_and_suggestions(graphql: GraphQLClient, people: dict[str, str]) -> None:
    result = search(graphql, query="python", filter={"countries": ["DE"]})

    facets = {f["field"]: {v["value"]: v["count"] for v in f["values"]} for f in result["facets"]}
    assert result["totalCount"] == 1
    assert facets["skills"] == {"Python": 1, "PostgreSQL": 1, "Kubernetes": 1}
    assert facets["locations"] == {"Berlin, DE": 1}
    assert facets["schools"] == {"ETH Zurich": 1}
    assert facets["titles"] == {"Data Engineer": 1}
    assert facets["experience"] == {"11-15": 1}
    [edge] = result["edges"]
    assert edge["matchedSkills"] == ["Python"]
    assert {"field": "skills", "snippet": "<mark>Python</mark>\nPostgres\nK8s"} in edge[
        "highlights"
    ]

    corrected = search(graphql, query="pythn")
    assert (corrected["suggestion"], corrected["correctedQuery"]) == ("python", "python")
    assert corrected["totalCount"] == search(graphql, query="python")["totalCount"] > 0
    assert search(graphql, query="python")["suggestion"] is None
    assert search(graphql, query="python")["correctedQuery"] is None


def test_seniority_words_rank_by_experience_and_require_nothing(
    graphql: GraphQLClient, people: dict[str, str]
) -> None:
    # when a recruiter searches for a "senior" python person (no resume says "senior")
    result = search(graphql, query="senior python")

    # then every python resume matches, the most experienced first
    assert result["totalCount"] == search(graphql, query="python")["totalCount"]
    assert result["edges"][0]["node"]["id"] == people["ada"]
    # and for a junior, the four-year one first
    assert search(graphql, query="junior python")["edges"][0]["node"]["id"] == people["grace"]


def test_sorts_and_pagination(graphql: GraphQLClient, people: dict[str, str]) -> None:
    newest_first = [people[k] for k in ("margaret", "linus", "grace", "ada")]
    first = search(graphql, sort="RECENCY", first=3)
    assert [e["node"]["id"] for e in first["edges"]] == newest_first[:3]
    assert first["totalCount"] == 4
    assert first["pageInfo"]["hasNextPage"] is True

    after = first["pageInfo"]["endCursor"]
    second = search(graphql, sort="RECENCY", first=3, after=after)
    assert [e["node"]["id"] for e in second["edges"]] == newest_first[3:]
    assert second["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "endCursor": second["edges"][0]["cursor"],
    }

    relevance = search(graphql, query="engineer")
    assert [e["score"] for e in relevance["edges"]] == sorted(
        (e["score"] for e in relevance["edges"]), reverse=True
    )
    too_many = graphql.execute(SEARCH, {"first": 101})
    assert too_many["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_search_results_and_counts_respect_every_audience(
    graphql: GraphQLClient, network: Network
) -> None:
    # given a resume at every audience
    owner = network.owner
    planted = {
        level: import_resume(
            graphql, owner, resume("Olivia", "Zymurgist", ["Brewing"]), visibility=level
        )
        for level in LEVELS
    }
    settle(graphql)

    # when each kind of viewer searches
    results = {
        kind: search(graphql, network.viewers[kind], query="zymurgist", first=100)
        for kind in VIEWERS
    }

    # then results, totals and facet counts all follow the audience matrix
    expected = {kind: {planted[level] for level in SEES[kind]} for kind in VIEWERS}
    assert {
        kind: {e["node"]["id"] for e in result["edges"]} for kind, result in results.items()
    } == expected
    assert {kind: result["totalCount"] for kind, result in results.items()} == {
        kind: len(ids) for kind, ids in expected.items()
    }
    assert {
        kind: {f["field"]: f["values"] for f in result["facets"]}["skills"]
        for kind, result in results.items()
    } == {kind: [{"value": "Brewing", "count": len(ids)}] for kind, ids in expected.items()}

    # and the exclusion list holds in search, for the employer and for signed-out visitors
    excluded = {"input": {"organizationIds": [network.employer_id]}}
    graphql.data(EXCLUDE, excluded, token=owner.token)
    settle(graphql)
    assert {
        kind: found(graphql, network.viewers[kind], query="zymurgist")
        for kind in ("verified_employer", "anonymous", "other_member")
    } == {"verified_employer": set(), "anonymous": set(), "other_member": {planted["PUBLIC"]}}


def test_open_to_work_filters_respect_the_signal_audience(graphql: GraphQLClient) -> None:
    seeker = member(graphql, "Seeker")
    recruiter = member(graphql, "Recruiter")
    staff = member(graphql, staff=True)
    verify_employer(graphql, staff, organization(graphql, recruiter, "Globex", "EMPLOYER"))
    resume_id = import_resume(graphql, seeker, resume("Seeker", "Welder", ["Welding"]))
    graphql.data(
        OPEN_TO_WORK,
        {"input": {"workplaceTypes": ["REMOTE"], "audience": "EMPLOYERS"}},
        token=seeker.token,
    )
    settle(graphql)

    assert found(graphql, recruiter, filter={"openToWorkOnly": True}) == {resume_id}
    assert found(graphql, recruiter, filter={"workplaceTypes": ["REMOTE"]}) == {resume_id}
    assert found(graphql, recruiter, filter={"workplaceTypes": ["ON_SITE"]}) == set()
    # an anonymous visitor may see the resume, but not that its owner is looking
    assert found(graphql, None) == {resume_id}
    assert found(graphql, None, filter={"openToWorkOnly": True}) == set()
    assert found(graphql, None, filter={"workplaceTypes": ["REMOTE"]}) == set()


def test_an_edit_is_searchable_once_its_outbox_row_is_applied(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    resume_id = import_resume(graphql, owner, resume("Fresh", "Baker", ["Bread"]))
    settle(graphql)

    graphql.data(
        UPDATE,
        {"input": {"id": resume_id, "sections": {"skills": [{"name": "Croissants"}]}}},
        token=owner.token,
    )
    settle(graphql)

    assert found(graphql, query="croissants") == {resume_id}
    assert found(graphql, query="bread") == set()

    graphql.data(
        SET_VISIBILITY, {"input": {"id": resume_id, "visibility": "PRIVATE"}}, token=owner.token
    )
    settle(graphql)
    assert found(graphql, query="croissants") == set()
    assert found(graphql, owner, query="croissants") == {resume_id}

    graphql.data(DELETE, {"input": {"id": resume_id}}, token=owner.token)
    settle(graphql)
    assert found(graphql, owner, query="croissants") == set()


def test_saved_searches_save_list_rerun_and_delete(
    graphql: GraphQLClient, people: dict[str, str]
) -> None:
    recruiter = member(graphql, "Recruiter")
    saved = graphql.data(
        SAVE,
        {
            "input": {
                "name": "Pythonistas in Berlin",
                "query": "python",
                "filter": {"cities": ["Berlin"]},
                "sort": "RECENCY",
            }
        },
        token=recruiter.token,
    )["saveCandidateSearch"]
    assert saved["userErrors"] == []
    assert saved["savedSearch"]["filter"] == {"cities": ["Berlin"]}

    listed = graphql.data(SAVED, token=recruiter.token)["savedSearches"]
    [edge] = listed["edges"]
    assert edge["node"]["results"]["totalCount"] == 1
    assert edge["node"]["results"]["edges"] == [{"node": {"id": people["ada"]}}]

    # the answer that runs it says so: lastRunAt is this run's time, not null
    assert edge["node"]["lastRunAt"] is not None
    first_run = datetime.fromisoformat(edge["node"]["lastRunAt"])
    again = graphql.data(SAVED, token=recruiter.token)["savedSearches"]["edges"][0]["node"]
    assert datetime.fromisoformat(again["lastRunAt"]) > first_run
    # listing without results is no run
    listed_only = graphql.data(LISTED, token=recruiter.token)["savedSearches"]["edges"][0]
    assert listed_only["node"]["lastRunAt"] == again["lastRunAt"]
    # nor is reading it by id; asking for its results by id is
    by_id = graphql.data(NODE_RUN, {"id": edge["node"]["id"]}, token=recruiter.token)["node"]
    assert by_id["results"]["totalCount"] == 1
    assert datetime.fromisoformat(by_id["lastRunAt"]) > datetime.fromisoformat(again["lastRunAt"])

    bad = graphql.data(
        SAVE, {"input": {"name": "Broken", "query": "(python"}}, token=recruiter.token
    )
    assert bad["saveCandidateSearch"]["userErrors"][0]["code"] == "INVALID_QUERY"

    someone_else = member(graphql)
    stolen = graphql.data(
        DELETE_SAVED, {"input": {"id": edge["node"]["id"]}}, token=someone_else.token
    )
    assert stolen["deleteSavedSearch"]["userErrors"] == [{"code": "NOT_FOUND"}]
    deleted = graphql.data(
        DELETE_SAVED, {"input": {"id": edge["node"]["id"]}}, token=recruiter.token
    )
    assert deleted["deleteSavedSearch"]["userErrors"] == []
    assert graphql.data(SAVED, token=recruiter.token)["savedSearches"]["totalCount"] == 0


def test_a_person_who_blocked_the_viewer_is_not_found_or_counted(
    graphql: GraphQLClient,
) -> None:
    blocker, blocked = member(graphql, "Ada"), member(graphql, "Bob")
    resume = {"basics": {"name": "Ada", "label": "Zymurgist"}, "skills": [{"name": "Brewing"}]}
    import_resume(graphql, blocker, resume)
    settle(graphql)
    assert search(graphql, blocked, query="zymurgist")["totalCount"] == 1

    block = """
    mutation ($input: PersonIdInput!) { blockPerson(input: $input) { userErrors { code } } }
    """
    variables = {"input": {"personId": blocked.person_id}}
    assert graphql.data(block, variables, token=blocker.token)["blockPerson"]["userErrors"] == []

    hidden = search(graphql, blocked, query="zymurgist")
    assert hidden["totalCount"] == 0
    assert hidden["edges"] == []
    # not counted either: no facet value comes from the blocker's resume
    assert [v for f in hidden["facets"] for v in f["values"] if v["count"]] == []
    assert search(graphql, None, query="zymurgist")["totalCount"] == 1


def test_each_candidate_says_why_it_ranked_and_only_staff_and_owners_see_the_score(
    graphql: GraphQLClient,
) -> None:
    # given a public resume of an engineer listing Python and Kubernetes
    owner = member(graphql, "Ada")
    staff = member(graphql, "Staff", staff=True)
    stranger = member(graphql, "Stranger")
    document = resume("Ada", "Platform Engineer", ["Python", "Kubernetes"], start="2012-01")
    resume_id = import_resume(graphql, owner, document)
    settle(graphql)

    def explained(viewer: Member, query: str) -> dict[str, Any]:
        found = graphql.data(EXPLAINED, {"query": query}, token=viewer.token)
        [edge] = [e for e in found["searchCandidates"]["edges"] if e["node"]["id"] == resume_id]
        return dict(edge["explanation"])

    # when a stranger searches for a senior platform engineer knowing kubernetes
    seen = explained(stranger, "senior platform engineer k8s")

    # then the hit names the matched skill and fields, the title match and the fitting years
    assert seen["matchedSkills"] == ["Kubernetes"]
    assert {"title", "skills"} <= set(seen["matchedFields"])
    assert seen["titleMatch"] is True
    assert seen["experienceFits"] is True
    # but not the score's parts, which the owner and staff see
    assert seen["scoreParts"] is None
    for viewer in (owner, staff):
        parts = {
            p["part"]: p["value"]
            for p in explained(viewer, "senior platform engineer k8s")["scoreParts"]
        }
        assert parts["title"] > 0 and parts["skills"] > 0
        assert parts["seniorityFactor"] > 1
        assert 0 < parts["recencyFactor"] <= 1

    # a query without seniority words says nothing about the years, nor a title it missed
    plain = explained(stranger, "python")
    assert (plain["experienceFits"], plain["titleMatch"]) == (None, False)

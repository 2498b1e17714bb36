"""The SQL statements a page costs do not grow with the page size (DataLoaders batch)."""

from __future__ import annotations

import re

import pytest

# The fixture lives in tests/conftest.py; re-exported for modules that still import it here.
from tests.conftest import GraphQLClient
from tests.factories import import_resume, member, organization, settle, verify_employer

JOBS = """
query ($first: Int) {
  jobs(first: $first) {
    edges { node { id title rejectionReason hiringOrganization { name isVerified } } }
  }
}
"""
PEOPLES_RESUMES = """
query ($first: Int) {
  publicResumes(first: $first) {
    edges { node { id owner { name resumes(first: 5) { totalCount edges { node { id } } } } } }
  }
}
"""
SEARCH = """
query ($first: Int) {
  searchCandidates(first: $first) {
    edges { node { id title owner { name headline } } }
  }
}
"""


def _cost(graphql: GraphQLClient, statements: list[str], query: str, first: int, token: str) -> int:
    statements.clear()
    body = graphql.data(query, {"first": first}, token=token)
    assert body
    return len(statements)


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_page_cost_does_not_grow_with_page_size(
    graphql: GraphQLClient,
    count_statements: list[str],
) -> None:
    staff = member(graphql, "Staff", staff=True)
    recruiter = member(graphql, "Rita")
    employers = [organization(graphql, recruiter, f"Employer {n}", "EMPLOYER") for n in range(3)]
    verify_employer(graphql, staff, employers[0])
    from api.core.viewer import Viewer
    from api.jobs import service as jobs
    from api.jobs.service import JobFields

    async def post(organization_id: int, n: int) -> None:
        viewer = Viewer(account_id=recruiter.account_id)
        settings = graphql.http.app.state.settings
        await jobs.create_job(
            viewer,
            settings,
            organization_id,
            JobFields(title=f"Job {n}", locations=({"countryCode": "DE"},)),
        )

    from tests.factories import database_id

    for n in range(15):
        graphql.http.blocking_portal.call(post, database_id(employers[n % 3]), n)
    seekers = [member(graphql, f"Seeker {n}") for n in range(12)]
    for seeker in seekers:
        import_resume(graphql, seeker, {"basics": {"name": "S", "label": "Engineer"}})
    settle(graphql)  # let the indexer apply the outbox (its statements would be counted)

    small = _cost(graphql, count_statements, JOBS, 2, recruiter.token)
    large = _cost(graphql, count_statements, JOBS, 15, recruiter.token)
    assert small == large, (small, large)

    small = _cost(graphql, count_statements, SEARCH, 2, recruiter.token)
    large = _cost(graphql, count_statements, SEARCH, 12, recruiter.token)
    assert small == large, (small, large)


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_each_persons_resumes_on_a_page_of_people_cost_no_more_queries(
    graphql: GraphQLClient,
    count_statements: list[str],
) -> None:
    # given twelve people, each with a public and a private resume
    seekers = [member(graphql, f"Seeker {n}") for n in range(12)]
    for seeker in seekers:
        import_resume(graphql, seeker, {"basics": {"name": "S", "label": "Engineer"}})
        import_resume(graphql, seeker, {"basics": {"name": "S"}}, visibility="PRIVATE")
    viewer = seekers[0]
    settle(graphql)

    # when a page of resumes asks for each owner's own page of resumes
    small = _cost(graphql, count_statements, PEOPLES_RESUMES, 2, viewer.token)
    large = _cost(graphql, count_statements, PEOPLES_RESUMES, 12, viewer.token)

    # then the statements do not grow with the page
    assert small == large, (small, large)
    # and each person shows the resumes this viewer may see: their own both, others' one
    edges = graphql.data(PEOPLES_RESUMES, {"first": 12}, token=viewer.token)["publicResumes"]
    totals = {
        edge["node"]["owner"]["name"]: edge["node"]["owner"]["resumes"]["totalCount"]
        for edge in edges["edges"]
    }
    assert totals.pop("Seeker 0") == 2
    assert set(totals.values()) == {1}


COUNTING = re.compile(r"\bCOUNT\s*\(", re.IGNORECASE)
JOBS_COUNTED = """
query { jobs(first: 5) { totalCount edges { node { id } } } }
"""
JOBS_UNCOUNTED = """
query { jobs(first: 5) { edges { node { id } } } }
"""


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_a_page_counts_its_rows_only_when_total_count_is_asked(
    graphql: GraphQLClient, count_statements: list[str]
) -> None:
    # given a few published postings
    from tests.factories import employer, job

    staff = member(graphql, "Staff", staff=True)
    globex = employer(graphql, staff=staff)
    for n in range(3):
        job(graphql, globex, "PUBLISHED", title=f"Job {n}")
    recruiter = globex.recruiter

    # when the same page is asked for with and without totalCount
    counted = _cost(graphql, count_statements, JOBS_COUNTED, 5, recruiter.token)
    counted_statements = list(count_statements)
    uncounted = _cost(graphql, count_statements, JOBS_UNCOUNTED, 5, recruiter.token)

    # then only the page that asks runs the COUNT
    assert counted == uncounted + 1, (counted_statements, count_statements)
    assert any(COUNTING.search(statement) for statement in counted_statements)
    assert not any(COUNTING.search(statement) for statement in count_statements)
    body = graphql.data(JOBS_COUNTED, token=recruiter.token)
    assert body["jobs"]["totalCount"] == 3


OWNERS_AND_RESUMES = """
query { searchCandidates(first: 10) { totalCount edges { node { id owner { name } } } } }
"""
OWNERS_MEMBERSHIPS = 'FROM "membership" WHERE (("membership"."account" IN'


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_a_candidate_page_reads_its_owners_memberships_and_profiles_once(
    graphql: GraphQLClient, count_statements: list[str]
) -> None:
    # given a verified employer (a member of its organization) and three candidates
    from tests.factories import employer

    globex = employer(graphql, staff=member(graphql, "Staff", staff=True))
    for n in range(3):
        import_resume(graphql, member(graphql, f"Seeker {n}"), {"basics": {"name": "S"}})
    settle(graphql)

    # when the employer searches and each hit shows its owner
    found = graphql.data(OWNERS_AND_RESUMES, token=globex.recruiter.token)["searchCandidates"]
    assert found["totalCount"] == 3
    _cost(graphql, count_statements, OWNERS_AND_RESUMES, 10, globex.recruiter.token)

    # then the resumes' access and the owners' profiles read the owners' memberships once,
    # and their accounts and whole profiles once (the resumes need only who may see their
    # owners' contact details)
    assert sum(OWNERS_MEMBERSHIPS in statement for statement in count_statements) == 1
    assert sum('FROM "account" WHERE' in statement for statement in count_statements) == 1
    assert sum('"profile"."summary"' in statement for statement in count_statements) == 1

"""Job postings over HTTP: lifecycle, moderation, expiry, members-only, employers' walls,
JSON Resume job format, search and the Atom feed (applications: test_application_stages.py)."""

from __future__ import annotations

import copy
import dataclasses
import json
from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import Any

import feedparser
import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.core.settings import Settings
from tests.conftest import GraphQLClient
from tests.factories import (
    Employer,
    Member,
    database_id,
    employer,
    import_resume,
    job,
    job_input,
    join,
    member,
    organization,
    settle,
)

SAMPLE_JOB = json.loads(
    (resources.files("api.resumes") / "jsonresume" / "sample.job.json").read_text()
)
JOB_FIELDS = "id status title validThrough datePosted rejectionReason"
CREATE = f"""
mutation ($input: CreateJobInput!) {{
  createJob(input: $input) {{ job {{ {JOB_FIELDS} }} userErrors {{ field code message }} }}
}}
"""
IMPORT = """
mutation ($input: ImportJobInput!) {
  importJob(input: $input) { job { id jsonJob } userErrors { field code message } }
}
"""
MOVE = """
mutation ($input: JobIdInput!) {{
  {verb}(input: $input) {{ job {{ {fields} }} userErrors {{ field code message }} }}
}}
"""
REJECT = f"""
mutation ($input: RejectJobInput!) {{
  rejectJob(input: $input) {{ job {{ {JOB_FIELDS} }} userErrors {{ field code message }} }}
}}
"""
REOPEN = f"""
mutation ($input: ReopenJobInput!) {{
  reopenJob(input: $input) {{ job {{ {JOB_FIELDS} }} userErrors {{ field code message }} }}
}}
"""
UPDATE = """
mutation ($input: UpdateJobInput!) {
  updateJob(input: $input) { job { id title descriptionHtml } userErrors { field code message } }
}
"""
JOB = """
query ($id: ID!) {
  job(id: $id) {
    id title status descriptionHtml employmentTypes workplaceType applyUrl
    salary { currency min max unit } locations { city countryCode }
    hiringOrganization { name } membersOnly { name }
    applications { totalCount edges { node { id stage applicant { name } } } }
  }
}
"""
JOBS = "query { jobs(first: 50) { totalCount edges { node { id status } } } }"
SEARCH = """
query ($query: String, $filter: JobSearchFilterInput) {
  searchJobs(query: $query, filter: $filter) {
    totalCount
    edges { node { id title } highlights { field snippet } }
    facets { field values { value count } }
    userErrors { field code message }
  }
}
"""
APPLY = """
mutation ($input: ApplyToJobInput!) { applyToJob(input: $input) { userErrors { code } } }
"""
REPORT = """
mutation ($input: ReportJobInput!) { reportJob(input: $input) { reported userErrors { code } } }
"""


def move(graphql: GraphQLClient, verb: str, job_id: str, token: str) -> dict[str, Any]:
    query = MOVE.format(verb=verb, fields=JOB_FIELDS)
    return graphql.data(query, {"input": {"id": job_id}}, token=token)[verb]


def test_the_lifecycle_with_first_posting_review(
    graphql: GraphQLClient, globex: Employer, staff: Member
) -> None:
    first = job(graphql, globex)

    # an employer's first posting waits for staff
    pending = move(graphql, "publishJob", first, globex.recruiter.token)
    assert pending["job"]["status"] == "PENDING_REVIEW"
    assert pending["job"]["datePosted"] is None
    approved = move(graphql, "approveJob", first, staff.token)["job"]
    assert approved["status"] == "PUBLISHED"
    assert approved["datePosted"] is not None
    posted = datetime.fromisoformat(approved["datePosted"])
    until = datetime.fromisoformat(approved["validThrough"])
    assert timedelta(days=29) < until - posted <= timedelta(days=30)

    # later postings go straight out
    second = job(graphql, globex, title="Data Engineer")
    assert move(graphql, "publishJob", second, globex.recruiter.token)["job"]["status"] == (
        "PUBLISHED"
    )

    closed = move(graphql, "closeJob", first, globex.recruiter.token)
    assert closed["job"]["status"] == "CLOSED"
    reopened = graphql.data(REOPEN, {"input": {"id": first}}, token=globex.recruiter.token)
    assert reopened["reopenJob"]["job"]["status"] == "PUBLISHED"


def test_rejection_carries_a_reason_and_the_fix_goes_back_to_review(
    graphql: GraphQLClient, globex: Employer, staff: Member
) -> None:
    job_id = job(graphql, globex)
    move(graphql, "publishJob", job_id, globex.recruiter.token)

    missing = graphql.data(REJECT, {"input": {"id": job_id, "reason": " "}}, token=staff.token)
    assert missing["rejectJob"]["userErrors"][0]["field"] == "reason"
    rejected = graphql.data(
        REJECT, {"input": {"id": job_id, "reason": "Salary missing currency"}},
        token=staff.token,
    )["rejectJob"]["job"]  # fmt: skip
    assert rejected["status"] == "REJECTED"
    assert rejected["rejectionReason"] == "Salary missing currency"
    again = move(graphql, "publishJob", job_id, globex.recruiter.token)["job"]
    assert again["status"] == "PENDING_REVIEW"
    # only staff moderate
    refused = graphql.execute(
        MOVE.format(verb="approveJob", fields="id"),
        {"input": {"id": job_id}},
        token=globex.recruiter.token,
    )
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize(("review", "expected"), [("none", "PUBLISHED"), ("all", "PENDING_REVIEW")])
def test_review_settings_all_and_none(settings: Settings, review: str, expected: str) -> None:
    # given a deployment that reviews no postings, or all of them
    with TestClient(app=create_app(dataclasses.replace(settings, job_review=review))) as client:
        graphql = GraphQLClient(client)
        draft = employer(graphql)
        first = job(graphql, draft)

        # when an employer publishes its first posting
        published = move(graphql, "publishJob", first, draft.recruiter.token)

    # then it goes live, or waits for staff
    assert published["job"]["status"] == expected


def test_postings_are_validated(graphql: GraphQLClient, globex: Employer) -> None:
    variables = job_input(
        globex.id,
        title="",
        workplaceType="ON_SITE",
        locations=[],
        salary={"currency": "euro", "min": 90000, "max": 10, "unit": "YEAR"},
        applyUrl="javascript:alert(1)",
        validThrough="2001-01-01T00:00:00Z",
    )
    errors = graphql.data(CREATE, variables, token=globex.recruiter.token)["createJob"][
        "userErrors"
    ]

    assert {e["field"] for e in errors} == {
        "title",
        "locations",
        "salary.currency",
        "salary",
        "applyUrl",
        "validThrough",
    }


def test_descriptions_render_to_sanitized_html(graphql: GraphQLClient, globex: Employer) -> None:
    job_id = job(
        graphql,
        globex,
        "PUBLISHED",
        description="<script>alert(1)</script> **bold** [x](javascript:alert(2)) {{ 7*7 }}",
    )

    html = graphql.data(JOB, {"id": job_id})["job"]["descriptionHtml"]

    assert "<script>" not in html and "javascript:" not in html
    assert "&lt;script&gt;" in html
    assert "<strong>bold</strong>" in html
    assert "{{ 7*7 }}" in html  # text, never evaluated


def test_expiry_moves_past_postings_out_of_the_board_and_search(
    graphql: GraphQLClient, globex: Employer
) -> None:
    from api.jobs.service import expire_jobs

    job_id = job(graphql, globex, "PUBLISHED", title="Zeppelin Pilot")
    settle(graphql)
    assert graphql.data(SEARCH, {"query": "zeppelin"})["searchJobs"]["totalCount"] == 1

    async def a_year_later() -> int:
        return await expire_jobs(datetime.now(UTC) + timedelta(days=365))

    assert graphql.http.blocking_portal.call(a_year_later) == 1
    settle(graphql)

    assert graphql.data(JOB, {"id": job_id}) == {"job": None}
    assert graphql.data(SEARCH, {"query": "zeppelin"})["searchJobs"]["totalCount"] == 0
    own = graphql.data(JOB, {"id": job_id}, token=globex.recruiter.token)["job"]
    assert own["status"] == "EXPIRED"


def test_members_only_postings(graphql: GraphQLClient, globex: Employer) -> None:
    alumni_admin = member(graphql, "Alma")
    alumni = organization(graphql, alumni_admin, "Class of 2010", "ALUMNI_ASSOCIATION")
    job_id = job(
        graphql, globex, "PUBLISHED", title="Alumni-only Analyst", membersOnlyOrganizationId=alumni
    )
    settle(graphql)
    outsider = member(graphql, "Otto")
    insider = member(graphql, "Ingrid")
    join(graphql, insider, alumni)

    assert graphql.data(JOB, {"id": job_id}, token=outsider.token) == {"job": None}
    assert graphql.data(JOB, {"id": job_id}) == {"job": None}
    assert graphql.data(JOB, {"id": job_id}, token=insider.token)["job"]["membersOnly"] == {
        "name": "Class of 2010"
    }
    assert (
        graphql.data(SEARCH, {"query": "analyst"}, token=outsider.token)["searchJobs"]["totalCount"]
        == 0
    )
    assert (
        graphql.data(SEARCH, {"query": "analyst"}, token=insider.token)["searchJobs"]["totalCount"]
        == 1
    )


BOARD = """
query ($filter: JobFilterInput, $first: Int, $after: String) {
  jobs(filter: $filter, first: $first, after: $after) {
    totalCount edges { node { title } } pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}
"""


def board(
    graphql: GraphQLClient, token: str | None = None, first: int = 50, **filter_: Any
) -> list[str]:
    """The titles of the `jobs` list, in order, paged `first` at a time (each page's
    totalCount is the whole list's)."""
    titles: list[str] = []
    after = None
    while True:
        variables = {"filter": filter_ or None, "first": first, "after": after}
        page = graphql.data(BOARD, variables, token=token)["jobs"]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        titles += [edge["node"]["title"] for edge in page["edges"]]
        assert page["totalCount"] >= len(titles)
        if not page["pageInfo"]["hasNextPage"]:
            assert page["totalCount"] == len(titles)
            return titles
        after = page["pageInfo"]["endCursor"]


def test_the_board_lists_what_each_viewer_may_see_filtered_and_paged(
    graphql: GraphQLClient, globex: Employer, initech: Employer, staff: Member
) -> None:
    alumni = organization(graphql, member(graphql, "Alma"), "Class of 2010", "ALUMNI_ASSOCIATION")
    job(graphql, globex, "PUBLISHED", title="Onsite", workplaceType="ON_SITE")
    job(graphql, globex, "PUBLISHED", title="Remote", workplaceType="REMOTE")
    job(graphql, globex, "PUBLISHED", title="Alumni", membersOnlyOrganizationId=alumni)
    job(graphql, globex, title="Globex draft")
    job(graphql, initech, title="Initech draft")
    job(graphql, initech, "CLOSED", title="Initech closed")
    insider = member(graphql, "Ingrid")
    join(graphql, insider, alumni)
    public = ["Onsite", "Remote"]

    assert board(graphql) == board(graphql, member(graphql, "Otto").token) == public
    assert board(graphql, insider.token) == [*public, "Alumni"]
    assert board(graphql, globex.recruiter.token) == [*public, "Alumni", "Globex draft"]
    assert board(graphql, initech.recruiter.token) == [*public, "Initech draft", "Initech closed"]
    everything = [*public, "Alumni", "Globex draft", "Initech draft", "Initech closed"]
    assert board(graphql, staff.token) == everything
    for token, expected in [(None, public), (insider.token, [*public, "Alumni"])]:
        assert board(graphql, token, first=1) == expected
    assert board(graphql, staff.token, first=2) == everything
    assert board(graphql, globex.recruiter.token, first=3, statuses=["DRAFT"]) == ["Globex draft"]
    assert board(graphql, staff.token, statuses=["DRAFT", "CLOSED"]) == everything[-3:]
    assert board(graphql, insider.token, workplaceTypes=["REMOTE", "HYBRID"]) == [
        "Remote",
        "Alumni",
    ]
    assert board(graphql, organizationIds=[initech.id]) == []
    assert board(graphql, staff.token, organizationIds=[initech.id]) == everything[-2:]
    assert board(graphql, postedSince="2000-01-01T00:00:00Z") == public
    assert board(graphql, staff.token, postedSince="2999-01-01T00:00:00Z") == []


def test_an_employer_never_touches_another_employers_postings_or_applicants(
    graphql: GraphQLClient, globex: Employer, initech: Employer
) -> None:
    draft = job(graphql, globex, title="Secret Draft")
    live = job(graphql, globex, "PUBLISHED")
    seeker = member(graphql, "Sam")
    resume_id = import_resume(graphql, seeker, {"basics": {"name": "Sam"}}, visibility="PRIVATE")
    graphql.data(APPLY, {"input": {"jobId": live, "resumeId": resume_id}}, token=seeker.token)

    rival = initech.recruiter.token
    assert graphql.data(JOB, {"id": draft}, token=rival) == {"job": None}
    assert {e["node"]["id"] for e in graphql.data(JOBS, token=rival)["jobs"]["edges"]} == {live}
    seen = graphql.data(JOB, {"id": live}, token=rival)["job"]
    assert seen["applications"] is None
    hidden = graphql.data(MOVE.format(verb="publishJob", fields="id"), {"input": {"id": draft}},
                          token=rival)  # fmt: skip
    assert hidden["publishJob"]["userErrors"][0]["code"] == "NOT_FOUND"
    changed = graphql.execute(UPDATE, {"input": {"id": live, "title": "Pwned"}}, token=rival)
    assert changed["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    own = graphql.data(JOB, {"id": live}, token=globex.recruiter.token)["job"]
    assert own["title"] == "Backend Engineer"
    assert own["applications"]["totalCount"] == 1


@pytest.mark.parametrize("verb", ["closeJob", "publishJob"])
def test_another_employer_may_not_move_a_posting(
    graphql: GraphQLClient, globex: Employer, initech: Employer, verb: str
) -> None:
    live = job(graphql, globex, "PUBLISHED")

    body = graphql.execute(
        MOVE.format(verb=verb, fields="id"), {"input": {"id": live}}, token=initech.recruiter.token
    )

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert graphql.data(JOB, {"id": live})["job"]["status"] == "PUBLISHED"


def test_the_sample_job_imports_and_exports_equivalently(graphql: GraphQLClient) -> None:
    microsoft = employer(graphql, "Microsoft", recruiter="Mia")

    payload = graphql.data(
        IMPORT, {"input": {"organizationId": microsoft.id, "document": SAMPLE_JOB}},
        token=microsoft.recruiter.token,
    )["importJob"]  # fmt: skip

    assert payload["userErrors"] == []
    assert payload["job"]["jsonJob"] == SAMPLE_JOB
    broken = copy.deepcopy(SAMPLE_JOB)
    broken["remote"] = "Sometimes"
    errors = graphql.data(
        IMPORT, {"input": {"organizationId": microsoft.id, "document": broken}},
        token=microsoft.recruiter.token,
    )["importJob"]["userErrors"]  # fmt: skip
    assert [(e["field"], e["code"]) for e in errors] == [("remote", "INVALID_DOCUMENT")]


def feed_titles(graphql: GraphQLClient) -> list[str]:
    return [
        entry.title
        for entry in feedparser.parse(graphql.http.get("/feeds/jobs.atom").content).entries
    ]


def test_search_finds_a_published_posting_and_loses_it_when_closed(
    graphql: GraphQLClient, globex: Employer
) -> None:
    # given a published posting, once the indexer has caught up
    job_id = job(graphql, globex, "PUBLISHED", title="Quantum Gardener", skills=["Botany", "JS"])
    settle(graphql)

    # then search finds it, by skill synonym, filter, facet and salary
    assert graphql.data(SEARCH, {"query": "quantum"})["searchJobs"]["totalCount"] == 1
    result = graphql.data(SEARCH, {"query": "skill:javascript", "filter": {"countries": ["de"]}})
    assert [e["node"]["id"] for e in result["searchJobs"]["edges"]] == [job_id]
    facets = {f["field"]: f["values"] for f in result["searchJobs"]["facets"]}
    assert {"value": "Globex", "count": 1} in facets["organizations"]
    rich = graphql.data(SEARCH, {"filter": {"salaryAtLeast": 70000}})["searchJobs"]
    poor = graphql.data(SEARCH, {"filter": {"salaryAtLeast": 90000}})["searchJobs"]
    assert rich["totalCount"] == 1 and poor["totalCount"] == 0
    bad = graphql.data(SEARCH, {"query": "(quantum"})["searchJobs"]
    assert bad["userErrors"][0]["code"] == "INVALID_QUERY"
    assert feed_titles(graphql) == ["Quantum Gardener"]

    # when it closes
    move(graphql, "closeJob", job_id, globex.recruiter.token)
    settle(graphql)

    # then neither search nor the feed has it any more
    assert graphql.data(SEARCH, {"query": "quantum"})["searchJobs"]["totalCount"] == 0
    assert feed_titles(graphql) == []


def test_the_atom_feed_parses_and_filters(graphql: GraphQLClient, globex: Employer) -> None:
    job(graphql, globex, "PUBLISHED", title="Ferry Captain", workplaceType="ON_SITE")
    job(
        graphql,
        globex,
        "PUBLISHED",
        title="Remote Cartographer",
        workplaceType="REMOTE",
        locations=[],
    )
    settle(graphql)

    response = graphql.http.get("/feeds/jobs.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.bozo_exception
    assert feed.version == "atom10"
    assert {entry.title for entry in feed.entries} == {"Ferry Captain", "Remote Cartographer"}
    assert all(entry.link.endswith("/") for entry in feed.entries)

    remote = feedparser.parse(graphql.http.get("/feeds/jobs.atom?workplaceType=REMOTE").content)
    assert [entry.title for entry in remote.entries] == ["Remote Cartographer"]
    searched = feedparser.parse(graphql.http.get("/feeds/jobs.atom?q=ferry").content)
    assert [entry.title for entry in searched.entries] == ["Ferry Captain"]
    assert graphql.http.get("/feeds/jobs.atom?workplaceType=MOON").status_code == 400


def test_the_atom_feed_holds_only_what_xml_can_and_names_the_site_not_the_host(
    graphql: GraphQLClient, globex: Employer
) -> None:
    # given a posting whose stored title holds a control character (a row saved before
    # text was checked on the way in)
    job_id = job(graphql, globex, "PUBLISHED", title="Deck Hand")
    from api.jobs.tables import JobPosting

    async def corrupt() -> None:
        await JobPosting.update({JobPosting.title: "Deck\x1b Hand\x0b"}).where(
            JobPosting.id == database_id(job_id)
        )

    graphql.http.blocking_portal.call(corrupt)
    settle(graphql)

    # when the feed is read through a forged Host header
    response = graphql.http.get("/feeds/jobs.atom", headers={"Host": "evil.example"})

    # then it parses, without the character, and links the configured site only
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.bozo_exception
    assert [entry.title for entry in feed.entries] == ["Deck Hand"]
    site = graphql.http.app.state.settings.site_url
    assert all(entry.link.startswith(site) for entry in feed.entries)
    assert "evil.example" not in response.text


@pytest.mark.parametrize("query", ["q=a%00b", "q=%1b", "city=Ber%00lin"])
def test_feed_parameters_with_control_characters_are_a_400(
    graphql: GraphQLClient, query: str
) -> None:
    response = graphql.http.get(f"/feeds/jobs.atom?{query}")

    assert response.status_code == 400
    assert "U+00" in response.text


def test_posting_is_rate_limited_per_account(graphql: GraphQLClient, globex: Employer) -> None:
    for _ in range(20):
        job(graphql, globex)

    payload = graphql.data(CREATE, job_input(globex.id), token=globex.recruiter.token)

    assert payload["createJob"]["userErrors"][0]["code"] == "RATE_LIMITED"


def test_reports(graphql: GraphQLClient, globex: Employer) -> None:
    job_id = job(graphql, globex, "PUBLISHED")
    reader = member(graphql)

    first = graphql.data(REPORT, {"input": {"id": job_id, "reason": "Scam"}}, token=reader.token)
    again = graphql.data(REPORT, {"input": {"id": job_id, "reason": "Scam"}}, token=reader.token)

    assert first["reportJob"] == {"reported": True, "userErrors": []}
    assert again["reportJob"]["userErrors"] == [{"code": "ALREADY_REPORTED"}]


def test_only_employers_owners_and_admins_post(graphql: GraphQLClient, globex: Employer) -> None:
    outsider: Member = member(graphql)
    club_owner = member(graphql)
    club = organization(graphql, club_owner, "Chess Club", "CLUB")

    refused = graphql.execute(CREATE, job_input(globex.id), token=outsider.token)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    not_employer = graphql.data(CREATE, job_input(club), token=club_owner.token)["createJob"]
    assert not_employer["userErrors"][0]["code"] == "NOT_AN_EMPLOYER"

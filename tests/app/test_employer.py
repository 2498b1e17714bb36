"""The member app for employers, in a browser: a verified employer's recruiter searches the
candidates shown to employers (a facet narrows the results, a chip widens them again, a
malformed query is answered next to the box), opens a posting's applicants as a pipeline and
moves an application to another stage (checked through the API); and posts a job through the
form, sees the error next to the field at fault, fixes it and publishes the posting."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from tests.app.conftest import App, shoot, sign_in
from tests.conftest import MOVE_JOB

IMPORT_RESUME = """
mutation ($input: ImportResumeInput!) {
  importResume(input: $input) { resume { id } userErrors { field code message } }
}
"""
APPLY = """
mutation ($input: ApplyToJobInput!) {
  applyToJob(input: $input) { application { id } userErrors { field code message } }
}
"""
SEARCH = "query ($q: String) { searchCandidates(query: $q) { totalCount } }"
JOB = "query ($id: ID!) { job(id: $id) { status validThrough } }"
SAVED = "{ savedSearches { edges { node { name query } } } }"
APPLICATION = "query ($id: ID!) { node(id: $id) { ... on Application { stage } } }"
JOBS = """
query ($filter: JobFilterInput) { jobs(filter: $filter) { edges { node { id title status } } } }
"""

CANDIDATES = [
    # name, label, city, country, skills
    ("Ana Lima", "Backend Engineer", "Lisbon", "PT", ["Rust", "PostgreSQL"]),
    ("Bruno Costa", "Platform Engineer", "Porto", "PT", ["Rust", "Kubernetes"]),
    ("Carla Dias", "Data Engineer", "Lisbon", "PT", ["Python", "Airflow"]),
]


@pytest.fixture(scope="module")
def hiring(app: App) -> dict[str, Any]:
    """A verified employer with a published job, and three candidates who applied to it with
    resumes shown to employers."""
    employer = app.employer("Globex Hiring")
    recruiter, email, organization_id = (
        employer.recruiter,
        employer.recruiter_email,
        employer.organization_id,
    )
    job_id = app.published_job(
        employer,
        title="Rust Engineer",
        description="Build **fast** services.",
        locations=[{"countryCode": "PT", "city": "Lisbon"}],
        skills=["Rust"],
    )["id"]

    applications = {}
    for name, label, city, country, skills in CANDIDATES:
        _, token = app.account(name)
        document = {
            "basics": {
                "name": name,
                "label": label,
                "summary": f"{label} who likes <em>distributed</em> systems.",  # text, not HTML
                "location": {"city": city, "countryCode": country},
            },
            "work": [
                {
                    "name": "Initech",
                    "position": label,
                    "startDate": "2019-01",
                    "summary": "Ran the engineering of the payments platform.",
                }
            ],
            "skills": [{"name": skill} for skill in skills],
        }
        variables = {"input": {"document": document, "visibility": "EMPLOYERS"}}
        imported = app.data(IMPORT_RESUME, variables, token)["importResume"]
        assert imported["userErrors"] == [], imported
        apply = {"jobId": job_id, "resumeId": imported["resume"]["id"], "note": "Keen to join."}
        applied = app.data(APPLY, {"input": apply}, token)["applyToJob"]
        assert applied["userErrors"] == [], applied
        applications[name] = applied["application"]["id"]

    def indexed() -> bool:
        found = app.data(SEARCH, {"q": "engineer"}, recruiter)["searchCandidates"]
        return bool(found["totalCount"] == len(CANDIDATES))

    app.wait_for(indexed, "the candidates in the search index")
    return {
        "email": email,
        "token": recruiter,
        "organization": organization_id,
        "job": job_id,
        "applications": applications,
    }


def test_an_employer_searches_candidates_and_moves_an_applicant(
    app: App, page: Any, hiring: dict[str, Any]
) -> None:
    sign_in(page, app, hiring["email"], then="app/candidates/")
    meta = page.locator(".confrere-app__search-layout .confrere-app__meta").first

    page.get_by_label("Search candidates").fill("engineer")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_text("3 candidates.").wait_for()
    assert "query=engineer" in page.url
    highlights = page.locator(".confrere-app__highlights")
    assert highlights.locator("mark").count() > 0  # the matched words
    assert highlights.locator("em").count() == 0  # what people wrote stays text
    assert "<em>distributed</em>" in highlights.first.inner_text()
    shoot(page, "candidates")

    # A facet value adds a filter and narrows the results; its chip takes it away.
    page.locator(".confrere-app__facet").filter(has_text="Skills").get_by_role(
        "button", name="Rust"
    ).click()
    page.get_by_text("2 candidates.").wait_for()
    assert "skill=rust" in page.url.lower()
    names = page.locator(".confrere-app__candidate h3").all_inner_texts()
    assert not any("Carla Dias" in name for name in names), names
    shoot(page, "candidates-facet")

    page.set_viewport_size({"width": 390, "height": 900})
    page.reload()  # the search lives in the address; on a phone the facets fold away
    page.get_by_text("2 candidates.").wait_for()
    assert page.locator(".confrere-app__facets-box").get_attribute("open") is None
    shoot(page, "candidates-narrow")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Remove the filter Skill: Rust").click()
    page.get_by_text("3 candidates.").wait_for()
    assert "skill=" not in page.url

    # A misspelled word: the page offers the corrected query, which reruns the search.
    page.get_by_label("Search candidates").fill("enjineer")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("link", name="engineer", exact=True).click()
    page.get_by_text("3 candidates.").wait_for()
    assert "query=engineer" in page.url
    shoot(page, "candidates-corrected")

    # The search is saved, under a name, to rerun later.
    page.get_by_label("Name", exact=True).fill("Engineers in Portugal")
    page.get_by_role("button", name="Save this search").click()
    page.get_by_text("Saved as “Engineers in Portugal”.").wait_for()
    saved = app.data(SAVED, {}, hiring["token"])["savedSearches"]["edges"]
    assert [(e["node"]["name"], e["node"]["query"]) for e in saved] == [
        ("Engineers in Portugal", "engineer")
    ]

    # A malformed query is answered in words next to the box.
    page.get_by_label("Search candidates").fill('"rust engineer')
    page.get_by_role("button", name="Search", exact=True).click()
    error = page.locator("#search-query-error")
    error.wait_for()
    assert "never closed" in error.inner_text()
    assert page.get_by_label("Search candidates").get_attribute("aria-invalid") == "true"
    assert meta.inner_text() == "Nothing searched: fix the query."
    shoot(page, "candidates-error")

    # The saved search reruns from its link, and can be forgotten.
    page.get_by_role("link", name="Engineers in Portugal").click()
    page.get_by_text("3 candidates.").wait_for()
    assert "query=engineer" in page.url
    assert page.get_by_label("Search candidates").input_value() == "engineer"
    page.get_by_role("button", name="Forget the saved search Engineers in Portugal").click()
    page.get_by_text("Forgot “Engineers in Portugal”.").wait_for()
    assert app.data(SAVED, {}, hiring["token"])["savedSearches"]["edges"] == []

    # The posting's applicants, as a pipeline; one moves on to an interview.
    page.goto(app.page_url("app/jobs/"))
    posting = page.locator(".confrere-app__job").filter(has_text="Rust Engineer")
    posting.get_by_text("Published").wait_for()
    shoot(page, "jobs")
    posting.get_by_role("link", name="3 applicants").click()
    page.wait_for_url("**/app/jobs/applicants/?job=*")
    submitted = page.locator('[data-stage="SUBMITTED"]')
    submitted.get_by_role("heading", name="Submitted (3)").wait_for()
    pipeline = page.locator(".confrere-app__pipeline")  # the pages' own stylesheet is in
    assert pipeline.evaluate("e => getComputedStyle(e).display") == "grid"
    card = page.locator(".confrere-app__application").filter(has_text="Ana Lima")
    card.get_by_role("button", name="Ana Lima").click()
    card.get_by_text("Backend Engineer who likes <em>distributed</em> systems.").wait_for()
    card.get_by_text("Keen to join.").wait_for()
    message = card.get_by_role("link", name="Message Ana Lima")
    assert "/app/messages/?to=" in (message.get_attribute("href") or "")
    shoot(page, "applicants")

    card.get_by_label("Move to").select_option(label="Interview")
    card.get_by_role("button", name="Move").click()
    page.get_by_text("Ana Lima moved to Interview.").wait_for()
    interview = page.locator('[data-stage="INTERVIEW"]')
    interview.get_by_role("heading", name="Interview (1)").wait_for()
    interview.get_by_role("button", name="Ana Lima").wait_for()
    interview.get_by_text("Submitted → Interview").wait_for()  # still open, with its history
    shoot(page, "applicants-moved")

    moved = app.data(APPLICATION, {"id": hiring["applications"]["Ana Lima"]}, hiring["token"])
    assert moved["node"]["stage"] == "INTERVIEW"


def test_an_employer_posts_a_job_fixes_an_error_and_publishes_it(
    app: App, page: Any, hiring: dict[str, Any]
) -> None:
    sign_in(page, app, hiring["email"], then="app/jobs/")
    page.get_by_role("button", name="Post a job").click()
    page.get_by_label("Title", exact=True).fill("Site Reliability Engineer")
    page.get_by_label("Description", exact=True).fill("Keep the **lights** on.")
    page.get_by_label("Full time").check()
    page.get_by_label("City", exact=True).fill("Porto")
    page.get_by_label("Country code", exact=True).fill("PT")
    page.get_by_label("From", exact=True).fill("60000")
    page.get_by_label("To", exact=True).fill("40000")  # below the minimum
    page.get_by_label("Currency", exact=True).fill("EUR")
    page.get_by_label("Skills", exact=True).fill("Linux, Terraform")
    page.get_by_role("button", name="Save as draft").click()

    error = page.locator(".confrere-app__form .confrere-app__field-error")
    error.wait_for()
    assert "minimum salary is above the maximum" in error.inner_text()
    salary = page.locator("fieldset[name=salary]")
    assert salary.get_attribute("aria-invalid") == "true"
    shoot(page, "jobs-post-error")

    page.get_by_label("To", exact=True).fill("80000")
    page.get_by_role("button", name="Save as draft").click()
    posting = page.locator(".confrere-app__job").filter(has_text="Site Reliability Engineer")
    posting.get_by_text("Draft", exact=True).wait_for()

    # Edited: the form comes back with its fields filled in.
    posting.get_by_role("button", name="Edit").click()
    assert posting.get_by_label("To", exact=True).input_value() == "80000"
    posting.get_by_label("Title", exact=True).fill("Site Reliability Engineer (SRE)")
    posting.get_by_role("button", name="Save changes").click()
    page.get_by_text("“Site Reliability Engineer (SRE)” is saved.").wait_for()
    posting.get_by_role("button", name="Publish").click()
    posting.get_by_text("Published", exact=True).wait_for()
    page.get_by_text("“Site Reliability Engineer (SRE)” is now published.").wait_for()
    shoot(page, "jobs-published")

    filter_ = {"organizationIds": [hiring["organization"]]}
    edges = app.data(JOBS, {"filter": filter_}, hiring["token"])["jobs"]["edges"]
    statuses = {edge["node"]["title"]: edge["node"]["status"] for edge in edges}
    assert statuses["Site Reliability Engineer (SRE)"] == "PUBLISHED"

    # A move the posting's status no longer allows (it was closed elsewhere meanwhile) is
    # refused in words next to the posting.
    [job_id] = [e["node"]["id"] for e in edges if e["node"]["title"].endswith("(SRE)")]
    closed = app.data(MOVE_JOB.format(verb="closeJob"), {"input": {"id": job_id}}, hiring["token"])
    assert closed["closeJob"]["job"]["status"] == "CLOSED"
    posting.get_by_role("button", name="Close").click()
    refusal = posting.get_by_role("alert")
    refusal.wait_for()
    assert "closed" in refusal.inner_text()
    posting.get_by_text("Closed", exact=True).wait_for()  # where it stands now
    posting.get_by_role("button", name="Reopen").wait_for()
    shoot(page, "jobs-illegal-transition")

    # Reopened, until a date of one's choosing.
    until = (datetime.now(UTC) + timedelta(days=60)).date().isoformat()
    posting.get_by_label("Open again until").fill(until)
    posting.get_by_role("button", name="Reopen").click()
    posting.get_by_text("Published", exact=True).wait_for()
    reopened = app.data(JOB, {"id": job_id}, hiring["token"])["job"]
    assert reopened["status"] == "PUBLISHED"
    assert (
        abs(date.fromisoformat(reopened["validThrough"][:10]) - date.fromisoformat(until)).days <= 1
    )

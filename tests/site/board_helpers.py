"""Helpers for the board tests: an employer that can publish, and building the site in-process."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from api.site.build import build_site_now
from tests.conftest import GraphQLClient
from tests.factories import Member, member, organization, verify_employer

CREATE_JOB = """
mutation ($input: CreateJobInput!) {
  createJob(input: $input) { job { id slug status } userErrors { field code message } }
}
"""
MOVE_JOB = """
mutation ($input: JobIdInput!) {{
  {verb}(input: $input) {{ job {{ id status updatedAt }} userErrors {{ field code message }} }}
}}
"""
JOB = "query ($id: ID!) { job(id: $id) { id slug updatedAt status } }"
UPDATE_PROFILE = """
mutation ($input: UpdateProfileInput!) {
  updateProfile(input: $input) { person { id } userErrors { field code message } }
}
"""
CREATE_EVENT = """
mutation ($input: CreateEventInput!) {
  createEvent(input: $input) { event { id title } userErrors { field code message } }
}
"""


def job_fields(**fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "Backend Engineer",
        "description": "Build **APIs** in Python.",
        "employmentType": ["FULL_TIME"],
        "workplaceType": "HYBRID",
        "locations": [
            {
                "city": "Berlin",
                "region": "Berlin",
                "postalCode": "10115",
                "address": "Invalidenstraße 1",
                "countryCode": "DE",
            }
        ],
        "salary": {"currency": "EUR", "min": 60000, "max": 80000, "unit": "YEAR"},
        "skills": ["Python", "PostgreSQL"],
        "identifier": "REQ-1",
    }
    values.update(fields)
    return values


class Employer:
    """A verified employer whose recruiter publishes postings (staff approve the first)."""

    def __init__(self, graphql: GraphQLClient, name: str = "Globex", **org_fields: Any) -> None:
        self.graphql = graphql
        self.staff = member(graphql, "Staff", staff=True)
        self.recruiter = member(graphql, "Rita")
        self.organization = organization(
            graphql,
            self.recruiter,
            name,
            "EMPLOYER",
            website="https://globex.example",
            **org_fields,
        )
        verify_employer(graphql, self.staff, self.organization)

    def draft(self, **fields: Any) -> dict[str, Any]:
        variables = {"input": {"organizationId": self.organization, **job_fields(**fields)}}
        payload = self.graphql.data(CREATE_JOB, variables, token=self.recruiter.token)
        assert payload["createJob"]["userErrors"] == [], payload
        return payload["createJob"]["job"]

    def move(self, verb: str, job_id: str, token: str | None = None) -> dict[str, Any]:
        payload = self.graphql.data(
            MOVE_JOB.format(verb=verb),
            {"input": {"id": job_id}},
            token=token or self.recruiter.token,
        )[verb]
        assert payload["userErrors"] == [], payload
        return payload["job"]

    def published(self, **fields: Any) -> dict[str, Any]:
        job = self.draft(**fields)
        if self.move("publishJob", job["id"])["status"] == "PENDING_REVIEW":
            self.move("approveJob", job["id"], self.staff.token)
        found = self.graphql.data(JOB, {"id": job["id"]}, token=self.recruiter.token)["job"]
        assert found["status"] == "PUBLISHED"
        return found


def show_contact_to_everyone(
    graphql: GraphQLClient, person: Member, email: str, phone: str
) -> None:
    payload = graphql.data(
        UPDATE_PROFILE,
        {
            "input": {
                "email": email,
                "phone": phone,
                "visibility": "PUBLIC",
                "contactVisibility": "PUBLIC",
            }
        },
        token=person.token,
    )["updateProfile"]
    assert payload["userErrors"] == [], payload


def upcoming_event(
    graphql: GraphQLClient, owner: Member, organization_id: str, **fields: Any
) -> dict[str, Any]:
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=7)
    values = {
        "organizationId": organization_id,
        "title": "Python meetup",
        "kind": "MEETUP",
        "format": "IN_PERSON",
        "startsAt": starts.isoformat(),
        "endsAt": (starts + timedelta(hours=2)).isoformat(),
        "timeZone": "Europe/Berlin",
        "venue": "Globex HQ",
        "address": "Invalidenstraße 1, Berlin",
        "audience": "OPEN_TO_GUESTS",
        **fields,
    }
    payload = graphql.data(CREATE_EVENT, {"input": values}, token=owner.token)["createEvent"]
    assert payload["userErrors"] == [], payload
    return payload["event"]


def build(graphql: GraphQLClient) -> Path:
    """Build the site as `confrere site build` does, in the test app's event loop."""
    settings = graphql.http.app.state.settings
    built = graphql.http.blocking_portal.call(build_site_now, settings)
    assert built is not None
    assert settings.site_dir.resolve() == built.output.resolve()
    return built.output


def page_text(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text()


def every_file_text(site: Path) -> dict[Path, str]:
    """Every text file of the build (pages, sitemap, search index, feeds)."""
    found = {}
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".js", ".txt", ".md"}:
            found[path] = path.read_text(errors="replace")
    return found

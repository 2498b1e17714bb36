"""The board's data, read through the GraphQL schema as an anonymous visitor.

The site builder is an ordinary client of the schema: it runs these queries in-process with
the anonymous viewer, so only what the public may see can ever reach the site. Expired,
closed, draft and members-only postings, and resumes with a narrower audience, are simply
never returned.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from api.core.context import Context
from api.core.settings import Settings

JOBS = """
query BoardJobs($after: String) {
  jobs(first: 100, after: $after, filter: {statuses: [PUBLISHED]}) {
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id slug title descriptionHtml datePosted validThrough updatedAt
        employmentTypes workplaceType applicantCountries
        locations { address postalCode city region countryCode }
        salary { currency min max unit }
        skills experienceMonths educationLevel identifier applyUrl
        responsibilities qualifications
        hiringOrganization { id }
      }
    }
  }
}
"""

ORGANIZATIONS = """
query BoardOrganizations($after: String) {
  organizations(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id name slug kind interest description website isVerified createdAt } }
  }
}
"""

# Contact details (email, phone, street address) are never asked for: the site shows none.
RESUMES = """
query BoardResumes($after: String) {
  publicResumes(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id title updatedAt currentTitle currentEmployer skillKeywords
        basics {
          name label image url summary
          location { city region countryCode }
          profiles { network username url }
        }
        work { name position url startDate endDate summary highlights }
        education { institution area studyType startDate endDate }
        skills { name level keywords }
        languages { language fluency }
        projects { name description url }
        owner { id name headline }
      }
    }
  }
}
"""

EVENTS = """
query BoardEvents($after: String, $from: DateTime) {
  events(first: 100, after: $after, from: $from) {
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id title descriptionHtml kind format status startsAt endsAt timeZone
        venue address capacity updatedAt
        organization { id }
      }
    }
  }
}
"""


class BoardQueryFailed(RuntimeError):
    """The schema answered a board query with errors (a bug, or a schema change)."""


@dataclass
class Board:
    """Everything the public may see, as the GraphQL API answers it (camelCase dicts)."""

    jobs: list[dict[str, Any]] = field(default_factory=list)
    organizations: list[dict[str, Any]] = field(default_factory=list)
    resumes: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    read_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def _pages(
    settings: Settings, query: str, root: str, variables: dict[str, Any] | None = None
) -> AsyncIterator[list[dict[str, Any]]]:
    """Each page of a connection, as an anonymous visitor sees it."""
    from api.schema import schema

    after: str | None = None
    while True:
        # A fresh context per page: loaders cache rows, and a page's rows are not needed again.
        result = await schema.execute(
            query,
            variable_values={**(variables or {}), "after": after},
            context_value=Context(settings=settings),
        )
        if result.errors:
            raise BoardQueryFailed(
                f"{root}: " + "; ".join(error.message for error in result.errors)
            )
        assert result.data is not None
        connection = result.data[root]
        yield [edge["node"] for edge in connection["edges"]]
        after = connection["pageInfo"]["endCursor"]
        if not connection["pageInfo"]["hasNextPage"] or after is None:
            return


async def _all(
    settings: Settings, query: str, root: str, variables: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    async for page in _pages(settings, query, root, variables):
        nodes.extend(page)
    return nodes


async def read_board(settings: Settings) -> Board:
    """Page through every public organization, posting, resume and upcoming event."""
    board = Board()
    now = board.read_at
    board.organizations = await _all(settings, ORGANIZATIONS, "organizations")
    # A posting past its validThrough leaves the site even before the expiry job runs. A
    # posting whose employer the public may not see stays off the board too: its page could
    # not name the employer, and a JobPosting without hiringOrganization is not one.
    board.jobs = [
        job
        for job in await _all(settings, JOBS, "jobs")
        if ((until := parse_time(job["validThrough"])) is None or until > now)
        and job["hiringOrganization"] is not None
    ]
    board.resumes = await _all(settings, RESUMES, "publicResumes")
    board.events = [
        event
        for event in await _all(settings, EVENTS, "events", {"from": now.isoformat()})
        if event["status"] == "PUBLISHED"
    ]
    return board

"""The board's data, read through the GraphQL schema as an anonymous visitor.

The site builder is an ordinary client of the schema: it runs these queries in-process with
the anonymous viewer, so only what the public may see can ever reach the site. Expired,
closed, draft and members-only postings, and resumes with a narrower audience, are simply
never returned.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from strawberry.relay import GlobalID

from api.core.context import Context
from api.core.graphql import MAX_ALIASES
from api.core.settings import Settings
from api.core.viewer import Viewer
from api.site import addresses

#: What a posting's page shows (the full build pages through them; a change reads one).
JOB_FIELDS = """
fragment BoardJob on Job {
  id slug status title descriptionHtml datePosted validThrough updatedAt
  employmentTypes workplaceType applicantCountries
  locations { address postalCode city region countryCode }
  salary { currency min max unit }
  skills experienceMonths educationLevel identifier applyUrl
  responsibilities qualifications
  hiringOrganization { id }
}
"""
JOBS = (
    """
query BoardJobs($after: String) {
  jobs(first: 100, after: $after, filter: {statuses: [PUBLISHED]}) {
    pageInfo { hasNextPage endCursor }
    edges { node { ...BoardJob } }
  }
}
"""
    + JOB_FIELDS
)

ORGANIZATIONS = """
query BoardOrganizations($after: String) {
  organizations(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id name slug kind isPublic interest description website location isVerified createdAt
        memberCount directoryVisibility
      }
    }
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
        id title visibility isPrimary updatedAt currentTitle currentEmployer skillKeywords
        basics {
          name label image url summary
          location { city region countryCode }
          profiles { network username url }
        }
        work { name position url location startDate endDate summary highlights }
        volunteer { organization position url startDate endDate summary highlights }
        education { institution url area studyType startDate endDate score courses }
        awards { title date awarder summary }
        certificates { name date issuer url }
        publications { name publisher releaseDate url summary }
        skills { name level keywords }
        languages { language fluency }
        interests { name keywords }
        projects {
          name description url highlights keywords startDate endDate roles entity type
        }
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
        id title descriptionHtml kind format status audience startsAt endsAt timeZone
        venue address capacity updatedAt
        organization { id }
      }
    }
  }
}
"""


# One document asks for the latest public posts of a batch of organizations (aliased
# fields): parsing and validating once per batch, not once per organization.
POSTS_BATCH = MAX_ALIASES  # one alias per organization
POSTS_PER_ORGANIZATION = 3
POSTS_FIELD = """
  o{number}: posts(organizationId: {id}, first: {first}) {{
    edges {{ node {{ id title bodyHtml publishedAt createdAt }} }}
  }}"""


class BoardQueryFailed(RuntimeError):
    """The schema answered a board query with errors (a bug, or a schema change)."""


@dataclass
class Board:
    """Everything the public may see, as the GraphQL API answers it (camelCase dicts)."""

    jobs: list[dict[str, Any]] = field(default_factory=list)
    organizations: list[dict[str, Any]] = field(default_factory=list)
    resumes: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    posts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """The latest public posts of each organization, by its id."""
    read_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def execute(settings: Settings, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    """One anonymous query; a fresh context each time (loaders cache rows no one needs again)."""
    from api.schema import schema

    result = await schema.execute(
        query, variable_values=variables, context_value=Context.of(settings, Viewer())
    )
    if result.errors:
        raise BoardQueryFailed("; ".join(error.message for error in result.errors))
    assert result.data is not None
    return result.data


async def _pages(
    settings: Settings, query: str, root: str, variables: dict[str, Any] | None = None
) -> AsyncIterator[list[dict[str, Any]]]:
    """Each page of a connection, as an anonymous visitor sees it."""
    after: str | None = None
    while True:
        try:
            data = await execute(settings, query, {**(variables or {}), "after": after})
        except BoardQueryFailed as failure:
            raise BoardQueryFailed(f"{root}: {failure}") from None
        connection = data[root]
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


async def _latest_posts(
    settings: Settings, organization_ids: list[str]
) -> dict[str, list[dict[str, Any]]]:
    posts: dict[str, list[dict[str, Any]]] = {}
    for start in range(0, len(organization_ids), POSTS_BATCH):
        batch = organization_ids[start : start + POSTS_BATCH]
        fields = "".join(
            POSTS_FIELD.format(number=number, id=json.dumps(org_id), first=POSTS_PER_ORGANIZATION)
            for number, org_id in enumerate(batch)
        )
        try:
            data = await execute(settings, "query BoardPosts {" + fields + "\n}", {})
        except BoardQueryFailed as failure:
            raise BoardQueryFailed(f"posts: {failure}") from None
        for number, org_id in enumerate(batch):
            found = [edge["node"] for edge in data[f"o{number}"]["edges"]]
            if found:
                posts[org_id] = found
    return posts


def _row_id(global_id: str) -> int:
    return int(GlobalID.from_id(global_id).node_id)


def with_urls(board: Board, site_url: str) -> None:
    """Each item's page address by the rules of `api.site.addresses` (what the `url` fields
    answer), from what the anonymous API gave: it holds only what the public may see, so a
    members-only posting, a private organization or resume never comes to ask about."""
    now = board.read_at
    for org in board.organizations:
        org["url"] = addresses.organization_url(
            site_url, slug=org["slug"], is_public=org["isPublic"]
        )
    for job in board.jobs:
        job["url"] = addresses.job_url(
            site_url,
            slug=job["slug"],
            status=job["status"],
            members_only=False,
            valid_through=parse_time(job["validThrough"]),
            organization_is_public=job["hiringOrganization"] is not None,
            now=now,
        )
    for resume in board.resumes:
        resume["url"] = addresses.resume_url(
            site_url,
            resume_id=_row_id(resume["id"]),
            name=addresses.resume_name(resume["basics"], resume["title"]),
            visibility=resume["visibility"],
            owner_excludes_anyone=False,
        )
    for event in board.events:
        ends_at = parse_time(event["endsAt"])
        assert ends_at is not None
        event["url"] = addresses.event_url(
            site_url,
            event_id=_row_id(event["id"]),
            title=event["title"],
            status=event["status"],
            audience=event["audience"],
            organization_is_public=event["organization"] is not None,
            ends_at=ends_at,
            now=now,
        )


async def read_board(settings: Settings) -> Board:
    """Page through every public organization, posting, resume and upcoming event.

    An item is on the board when it has a page (`api.site.addresses` holds the rules: a
    posting past its validThrough leaves even before the expiry job runs, and one of an
    employer the public may not see never comes, its page could not name the employer).
    """
    board = Board()
    board.organizations = await _all(settings, ORGANIZATIONS, "organizations")
    board.jobs = await _all(settings, JOBS, "jobs")
    board.resumes = await _all(settings, RESUMES, "publicResumes")
    board.events = await _all(settings, EVENTS, "events", {"from": board.read_at.isoformat()})
    with_urls(board, settings.site_url)
    board.organizations = [org for org in board.organizations if org["url"]]
    board.jobs = [job for job in board.jobs if job["url"]]
    board.resumes = [resume for resume in board.resumes if resume["url"]]
    board.events = [event for event in board.events if event["url"]]
    board.posts = await _latest_posts(settings, [org["id"] for org in board.organizations])
    return board

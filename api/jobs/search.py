"""Job search: documents for the jobs index, the viewer's filter, and `searchJobs`.

Only PUBLISHED postings are in the index: a posting that closes, expires or is rejected
has no document any more, so the indexer removes it.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from api.core.markup import plain_text
from api.core.search import Window
from api.core.viewer import Viewer
from api.jobs.tables import JobPosting, JobStatus
from api.networks.tables import Organization
from api.people.audience import circle_of
from search.analysis import skill_table
from search.engine import (
    AnyOf,
    Filter,
    Range,
    SearchRequest,
    Terms,
)

BATCH_SIZE = 500
FACETS = ("employmentTypes", "workplaceTypes", "locations", "skills", "organizations")
YEARLY = {"HOUR": 2080, "DAY": 260, "WEEK": 52, "MONTH": 12, "YEAR": 1}


def yearly_salary(row: dict[str, Any]) -> int:
    top = row["salary_max"] if row["salary_max"] is not None else row["salary_min"]
    if top is None:
        return 0
    return int(top * YEARLY.get(row["salary_unit"], 1))


def job_document(row: dict[str, Any], organization_name: str) -> dict[str, Any]:
    locations = row["locations"]
    if isinstance(locations, str):
        locations = json.loads(locations)
    decode = lambda v: json.loads(v) if isinstance(v, str) else v  # noqa: E731
    return {
        "id": str(row["id"]),
        "organization": str(row["organization"]),
        "organization_name": organization_name,
        "members_only": str(row["members_only"] or ""),
        "title": row["title"],
        # The text a reader sees: snippets quote it, so no Markdown marks (`**APIs**`).
        "description": plain_text(row["description_html"]),
        "skills": decode(row["skills"]),
        "employment_types": decode(row["employment_types"]),
        "workplace_type": row["workplace_type"],
        "cities": [loc.get("city", "") for loc in locations],
        "countries": [loc.get("countryCode", "") for loc in locations]
        or decode(row["applicant_countries"]),
        "salary_floor": yearly_salary(row),
        "posted": (row["date_posted"] or row["updated_at"]).timestamp(),
    }


async def job_documents(ids: list[int]) -> dict[int, dict[str, Any]]:
    """Documents for the postings that are PUBLISHED now; others get none (and leave)."""
    if not ids:
        return {}
    rows = await JobPosting.select().where(
        JobPosting.id.is_in(ids) & (JobPosting.status == JobStatus.PUBLISHED.value)
    )
    names = {
        row["id"]: row["name"]
        for row in await Organization.select(Organization.id, Organization.name).where(
            Organization.id.is_in(sorted({r["organization"] for r in rows}) or [-1])
        )
    }
    return {row["id"]: job_document(row, names.get(row["organization"], "")) for row in rows}


async def all_job_batches() -> AsyncIterator[list[dict[str, Any]]]:
    last_id = 0
    while True:
        ids = [
            row["id"]
            for row in await JobPosting.select(JobPosting.id)
            .where((JobPosting.id > last_id) & (JobPosting.status == JobStatus.PUBLISHED.value))
            .order_by(JobPosting.id)
            .limit(BATCH_SIZE)
        ]
        if not ids:
            return
        documents = await job_documents(ids)
        yield [documents[i] for i in ids if i in documents]
        last_id = ids[-1]


async def job_count() -> int:
    return await JobPosting.count().where(JobPosting.status == JobStatus.PUBLISHED.value)


@dataclass(frozen=True)
class JobSearchFilter:
    cities: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    workplace_types: tuple[str, ...] = ()
    employment_types: tuple[str, ...] = ()
    salary_at_least: int | None = None
    skills: tuple[str, ...] = ()
    organization_ids: tuple[int, ...] = ()
    posted_since: datetime | None = None


async def job_filters(viewer: Viewer, wanted: JobSearchFilter) -> list[Filter]:
    circle = await circle_of(viewer)
    members = tuple(str(o) for o in sorted(circle.organization_ids))
    filters: list[Filter] = [AnyOf((Terms("members_only", ("NONE", *members)),))]
    table = skill_table()
    skills = tuple(dict.fromkeys(table.display(table.canonical(s)) for s in wanted.skills))
    for fieldname, values, mode in (
        ("city", wanted.cities, "any"),
        ("country", tuple(c.upper() for c in wanted.countries), "any"),
        ("workplace", wanted.workplace_types, "any"),
        ("employment_types", wanted.employment_types, "any"),
        ("skill_keys", skills, "all"),
        ("organization", tuple(str(o) for o in wanted.organization_ids), "any"),
    ):
        if values:
            filters.append(Terms(fieldname, tuple(values), mode))
    if wanted.salary_at_least is not None:
        filters.append(Range("salary", wanted.salary_at_least, None))
    if wanted.posted_since is not None:
        filters.append(Range("posted", wanted.posted_since.timestamp() * 1000, None))
    return filters


async def job_search_request(
    viewer: Viewer,
    *,
    query: str | None,
    wanted: JobSearchFilter,
    window: Window,
    recency: bool = False,
) -> SearchRequest:
    """What the jobs index is asked: the query, the viewer's audience and filters."""
    return SearchRequest(
        query=(query or "").strip() or None,
        filters=tuple(await job_filters(viewer, wanted)),
        sort="recency" if recency else "relevance",
        offset=window.offset,
        limit=window.limit,
        facets=FACETS,
    )

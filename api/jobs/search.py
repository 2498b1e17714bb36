"""Job search: documents for the jobs index, the viewer's filter, and `searchJobs`.

Only PUBLISHED postings are in the index: a posting that closes, expires or is rejected
has no document any more, so the indexer removes it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from api.core.markup import plain_text
from api.core.search import Window
from api.core.viewer import Viewer
from api.jobs.records import JobRecord
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


def yearly_salary(job: JobRecord) -> int:
    top = job.salary_max if job.salary_max is not None else job.salary_min
    if top is None:
        return 0
    return int(top * YEARLY.get(job.salary_unit, 1))


def index_document(job: JobRecord, organization_name: str) -> dict[str, Any]:
    """A posting as the jobs index stores it (the fields `search.jobs.JOBS` names)."""
    return {
        "id": str(job.id),
        "organization": str(job.organization),
        "organization_name": organization_name,
        "members_only": str(job.members_only or ""),
        "title": job.title,
        # The text a reader sees: snippets quote it, so no Markdown marks (`**APIs**`).
        "description": plain_text(job.description_html),
        "skills": job.skills,
        "employment_types": job.employment_types,
        "workplace_type": job.workplace_type.value,
        "cities": [location.get("city", "") for location in job.locations],
        "countries": [location.get("countryCode", "") for location in job.locations]
        or job.applicant_countries,
        "salary_floor": yearly_salary(job),
        "posted": (job.date_posted or job.updated_at).timestamp(),
    }


async def job_documents(ids: list[int]) -> dict[int, dict[str, Any]]:
    """Index documents for the postings that are PUBLISHED now; others get none (and
    leave the index)."""
    if not ids:
        return {}
    jobs = [
        JobRecord.from_row(row)
        for row in await JobPosting.select().where(
            JobPosting.id.is_in(ids) & (JobPosting.status == JobStatus.PUBLISHED.value)
        )
    ]
    names = {
        row["id"]: row["name"]
        for row in await Organization.select(Organization.id, Organization.name).where(
            Organization.id.is_in(sorted({job.organization for job in jobs}) or [-1])
        )
    }
    return {job.id: index_document(job, names.get(job.organization, "")) for job in jobs}


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
        autocorrect=True,
    )

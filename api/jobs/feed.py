"""The Atom feed of published postings, `/feeds/jobs.atom`, built with feedgen.

It takes the same filters as `searchJobs` as query parameters (`q`, `city`, `country`,
`workplaceType`, `employmentType`, `skill`, `salaryAtLeast`, `postedSince`) and shows only
what an anonymous visitor may see.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from feedgen.feed import FeedGenerator
from litestar import Request, get
from litestar.datastructures import State
from litestar.exceptions import ValidationException
from litestar.response import Response

from api.core.errors import InvalidInput
from api.core.viewer import ANONYMOUS
from api.jobs.search import JobSearchFilter, search_jobs
from api.resumes.tables import EmploymentType, WorkplaceType

FEED_SIZE = 50
ATOM = "application/atom+xml; charset=utf-8"


def _values(request: Request[Any, Any, Any], name: str) -> tuple[str, ...]:
    return tuple(v for v in request.query_params.getall(name, []) if v)


def _enum_values(request: Request[Any, Any, Any], name: str, enum: type) -> tuple[str, ...]:
    values = _values(request, name)
    unknown = [v for v in values if v not in enum.__members__]
    if unknown:
        allowed = ", ".join(enum.__members__)
        raise ValidationException(f"{name} must be one of {allowed}; got {', '.join(unknown)}")
    return values


def _filter(request: Request[Any, Any, Any]) -> JobSearchFilter:
    salary = request.query_params.get("salaryAtLeast")
    since = request.query_params.get("postedSince")
    try:
        salary_at_least = int(salary) if salary else None
        posted_since = datetime.fromisoformat(since) if since else None
    except ValueError as error:
        raise ValidationException(f"bad salaryAtLeast or postedSince: {error}") from None
    if posted_since is not None and posted_since.tzinfo is None:
        posted_since = posted_since.replace(tzinfo=UTC)
    return JobSearchFilter(
        cities=_values(request, "city"),
        countries=_values(request, "country"),
        workplace_types=_enum_values(request, "workplaceType", WorkplaceType),
        employment_types=_enum_values(request, "employmentType", EmploymentType),
        skills=_values(request, "skill"),
        salary_at_least=salary_at_least,
        posted_since=posted_since,
    )


@get("/feeds/jobs.atom", include_in_schema=False)
async def jobs_feed(request: Request[Any, Any, Any], state: State) -> Response[bytes]:
    wanted = _filter(request)
    query = request.query_params.get("q")
    try:
        results = await search_jobs(
            ANONYMOUS,
            state.search["jobs"],
            query=query,
            wanted=wanted,
            offset=0,
            limit=FEED_SIZE,
            recency=True,
        )
    except InvalidInput as invalid:
        raise ValidationException(invalid.errors[0].message) from None
    base = str(request.base_url).rstrip("/")
    feed = FeedGenerator()
    feed.id(f"{base}{request.url.path}?{request.url.query}".rstrip("?"))
    feed.title("Confrere jobs" + (f": {query}" if query else ""))
    feed.link(href=str(request.url), rel="self")
    feed.link(href=f"{base}/", rel="alternate")
    feed.language("en")
    newest = max((row["date_posted"] for row in results.rows), default=None)
    feed.updated(newest or datetime.now(UTC))
    for row in reversed(results.rows):  # feedgen prepends: add oldest first
        entry = feed.add_entry()
        entry.id(f"{base}/jobs/{row['slug']}/")
        entry.title(row["title"])
        entry.link(href=f"{base}/jobs/{row['slug']}/")
        entry.published(row["date_posted"])
        entry.updated(row["updated_at"])
        entry.content(row["description_html"], type="html")
    return Response(feed.atom_str(pretty=True), media_type=ATOM)

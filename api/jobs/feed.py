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
from api.core.loaders import Loaders
from api.core.search import Window, index_of, search_page
from api.core.text import describe, forbidden_character, writable
from api.core.types import as_utc
from api.core.viewer import Viewer
from api.jobs.loaders import JobByIdLoader
from api.jobs.search import JobSearchFilter, job_search_request
from api.jobs.service import JobErrorCode
from api.resumes.tables import EmploymentType, WorkplaceType
from api.site.addresses import job_path, page_url

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
    if posted_since is not None:
        posted_since = as_utc(posted_since)
    return JobSearchFilter(
        cities=_values(request, "city"),
        countries=_values(request, "country"),
        workplace_types=_enum_values(request, "workplaceType", WorkplaceType),
        employment_types=_enum_values(request, "employmentType", EmploymentType),
        skills=_values(request, "skill"),
        salary_at_least=salary_at_least,
        posted_since=posted_since,
    )


def _check_text(request: Request[Any, Any, Any]) -> None:
    """The parameters hold text a search can take (the same rule as every GraphQL string)."""
    for name, value in request.query_params.multi_items():
        character = forbidden_character(value)
        if character is not None:
            raise ValidationException(
                f"{name} holds the character {describe(character)}; remove it."
            )


@get("/feeds/jobs.atom", include_in_schema=False)
async def jobs_feed(request: Request[Any, Any, Any], state: State) -> Response[bytes]:
    _check_text(request)
    wanted = _filter(request)
    query = request.query_params.get("q")
    viewer = Viewer()  # the public's view: a feed reader sends no token
    try:
        search = await job_search_request(
            viewer, query=query, wanted=wanted, window=Window(0, FEED_SIZE), recency=True
        )
        page = await search_page(
            index_of(state.search, "jobs"),
            search,
            Loaders(viewer).get(JobByIdLoader).load_many,
            syntax_code=JobErrorCode.INVALID_QUERY,
        )
    except InvalidInput as invalid:
        raise ValidationException(invalid.errors[0].message) from None
    jobs = [ranked.item for ranked in page.ranked]
    # Addresses come from the configured site, never from the request's Host header (which
    # anyone can set: a cached feed would point its readers elsewhere).
    site_url = state.settings.site_url
    self_url = f"{site_url}feeds/jobs.atom" + (f"?{request.url.query}" if request.url.query else "")
    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(writable("Confrere jobs" + (f": {query}" if query else ""), one_line=True))
    feed.link(href=self_url, rel="self")
    feed.link(href=site_url, rel="alternate")
    feed.language("en")
    newest = max((job.date_posted for job in jobs if job.date_posted), default=None)
    feed.updated(newest or datetime.now(UTC))
    for job in reversed(jobs):  # feedgen prepends: add oldest first
        entry = feed.add_entry()
        page = page_url(site_url, job_path(job.slug))
        entry.id(page)
        entry.title(writable(job.title, one_line=True))
        entry.link(href=page)
        entry.published(job.date_posted)
        entry.updated(job.updated_at)
        entry.content(writable(job.description_html), type="html")
    return Response(feed.atom_str(pretty=True), media_type=ATOM)

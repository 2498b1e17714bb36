"""Saved job searches: a job seeker keeps a query and filters to rerun and to be alerted of.

They live beside saved candidate searches (`api.resumes.tables.SavedSearch`, kind JOBS), are
named, listed, deleted and alerted the same way, and are validated as `searchJobs` validates
its query and filter.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from api.core.errors import InvalidInput, query_error
from api.core.pagination import Page
from api.core.search import Window
from api.core.viewer import Viewer
from api.jobs.search import JobSearchFilter, job_search_request
from api.resumes import candidate_search
from api.resumes.candidate_search import SavedSearchRecord, SearchErrorCode
from api.resumes.tables import AlertFrequency, SavedSearchKind
from search.engine import QuerySyntaxError, SearchRequest

#: A saved job search given no name is named after its query, cut to this length.
DERIVED_NAME_LENGTH = 80


def filter_as_json(wanted: JobSearchFilter) -> dict[str, Any]:
    """A job search filter as a saved search keeps it: the fields given, in camelCase as
    `JobSearchFilterInput` names them (organizations as database ids)."""
    values: dict[str, Any] = {}
    for name, value in asdict(wanted).items():
        if value in ((), None, []):
            continue
        camel = name.split("_")[0] + "".join(part.title() for part in name.split("_")[1:])
        if isinstance(value, datetime):
            value = value.isoformat()
        values[camel] = list(value) if isinstance(value, tuple) else value
    return values


def filter_from_json(data: dict[str, Any]) -> JobSearchFilter:
    fields = JobSearchFilter.__dataclass_fields__
    values: dict[str, Any] = {}
    for camel, value in data.items():
        name = "".join(f"_{c.lower()}" if c.isupper() else c for c in camel)
        if name not in fields:
            continue
        if isinstance(value, list):
            value = tuple(value)
        if name == "posted_since" and isinstance(value, str):
            value = datetime.fromisoformat(value)
        values[name] = value
    return JobSearchFilter(**values)


def validate_query(query: str | None) -> None:
    from search.jobs import JOBS
    from search.query import parse_query

    try:
        parse_query(query or "", JOBS.field_aliases)
    except QuerySyntaxError as error:
        raise query_error(error, SearchErrorCode.INVALID_QUERY) from None


def _name(name: str | None, query: str | None) -> str:
    """The name given (NAME_REQUIRED when blank), or when none is given the query's words."""
    if name is not None:
        return candidate_search.check_name(name)
    words = " ".join((query or "").split())
    if len(words) > DERIVED_NAME_LENGTH:
        words = words[: DERIVED_NAME_LENGTH - 1].rstrip() + "…"
    return words or "All jobs"


async def save_job_search(
    viewer: Viewer,
    *,
    name: str | None,
    query: str | None,
    wanted: JobSearchFilter,
    alert_frequency: AlertFrequency = AlertFrequency.OFF,
) -> SavedSearchRecord:
    """Keep a job search for the viewer (any signed-in member); its query and filter are
    checked as `searchJobs` checks them."""
    owner_id = viewer.require_account()
    problems = []
    try:
        kept_name = _name(name, query)
    except InvalidInput as error:
        problems.extend(error.errors)
    try:
        validate_query(query)
    except InvalidInput as error:
        problems.extend(error.errors)
    if problems:
        raise InvalidInput(*problems)
    # What searchJobs checks, and the limits of what a saved search keeps.
    await job_search_request(viewer, query=query, wanted=wanted, window=Window(0, 0))
    for field, values in (
        ("cities", wanted.cities),
        ("countries", wanted.countries),
        ("skills", wanted.skills),
    ):
        candidate_search.check_list(field, values)
    return await candidate_search.insert_saved_search(
        owner_id,
        kind=SavedSearchKind.JOBS,
        name=kept_name,
        query=query,
        filter=filter_as_json(wanted),
        alert_frequency=alert_frequency,
    )


async def saved_job_searches(
    viewer: Viewer, *, first: int | None, after: str | None
) -> tuple[Page, list[SavedSearchRecord]]:
    """A page of the viewer's saved job searches, oldest first."""
    return await candidate_search.saved_searches(
        viewer, first=first, after=after, kind=SavedSearchKind.JOBS
    )


async def saved_job_search_request(
    viewer: Viewer, record: SavedSearchRecord, window: Window
) -> SearchRequest:
    """What the jobs index is asked when the saved search runs for `viewer`."""
    return await job_search_request(
        viewer, query=record.query, wanted=filter_from_json(record.filter), window=window
    )

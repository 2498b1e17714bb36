"""Saved job searches and the alerts of saved searches in the GraphQL schema: the
SavedJobSearch type, saveJobSearch and setSavedSearchAlert."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from api.core.context import Info
from api.core.errors import BadUserInput, FieldError, InvalidInput
from api.core.pagination import After, First
from api.core.records import build, mutation
from api.core.types import given
from api.core.viewer import Viewer
from api.jobs import saved_search as service
from api.jobs.schema import JobSearchFilterInput, JobSearchResult, run_job_search
from api.jobs.search import JobSearchFilter
from api.resumes import candidate_search
from api.resumes.candidate_search import SavedSearchRecord, SearchErrorCode
from api.resumes.search_schema import (
    LAST_ALERT_AT,
    NEW_SINCE_LAST_RUN,
    AlertFrequency,
    SavedSearch,
    SavedSearchNode,
    SearchError,
    child_fields,
    new_since,
    saved_search_id,
    selected_fields,
)
from api.resumes.tables import AlertFrequency as AlertFrequencyEnum
from api.resumes.tables import SavedSearchKind


def _shown_filter(stored: dict[str, Any]) -> dict[str, Any]:
    """The kept filter as `JobSearchFilterInput` takes it back: organizations as Relay ids."""
    shown = dict(stored)
    if "organizationIds" in shown:
        shown["organizationIds"] = [
            str(relay.GlobalID("Organization", str(i))) for i in shown["organizationIds"]
        ]
    return shown


@strawberry.type(description="A job search kept to rerun and, if you like, to be alerted of.")
class SavedJobSearch(SavedSearchNode, relay.Node):
    id: relay.NodeID[int]
    name: str
    query: str | None = strawberry.field(description="The query; null for filters only.")
    filter: JSON = strawberry.field(description="The filters, as JobSearchFilterInput takes them.")
    created_at: datetime
    last_run_at: datetime | None = strawberry.field(
        description="When the search last ran (`results` asked for); a request that asks for "
        "`results` is that run, so it shows the run's own time."
    )
    alert_frequency: AlertFrequency = strawberry.field(
        description="How often it alerts you of new postings (setSavedSearchAlert)."
    )
    last_alert_at: datetime | None = strawberry.field(description=LAST_ALERT_AT)
    record: strawberry.Private[SavedSearchRecord]
    recorded: strawberry.Private[bool] = False
    kind: ClassVar[SavedSearchKind] = SavedSearchKind.JOBS

    @classmethod
    def from_record(cls, record: SavedSearchRecord, *, recorded: bool = False) -> SavedJobSearch:
        return build(
            cls,
            record,
            query=given(record.query),
            filter=_shown_filter(record.filter),
            record=record,
            recorded=recorded,
        )

    @strawberry.field(
        description=NEW_SINCE_LAST_RUN.format(what="postings you may see that were published since")
    )
    async def new_since_last_run(self, info: Info) -> int:
        return await new_since(info, self.record, self.record.last_run_at or self.created_at)

    @strawberry.field(description="Run the saved search now, with its query and filters.")
    async def results(
        self, info: Info, first: First = None, after: After = None
    ) -> JobSearchResult:
        if not self.recorded:
            await candidate_search.mark_saved_searches_run([self.id])
        return await run_job_search(
            info,
            query=self.record.query,
            wanted=service.filter_from_json(self.record.filter),
            first=first,
            after=after,
        )


@strawberry.input
class SaveJobSearchInput:
    name: str | None = strawberry.field(
        default=None,
        description="A name to know the search by; when left out, its query (or `All jobs`).",
    )
    query: str | None = strawberry.field(
        default=None, description="The query, in the search query language (as searchJobs)."
    )
    filter: JobSearchFilterInput | None = strawberry.field(
        default=None, description="The filters (as searchJobs)."
    )
    alert_frequency: AlertFrequency = strawberry.field(
        default=AlertFrequencyEnum.OFF, description="How often to be told of new postings."
    )


@strawberry.type
class SaveJobSearchPayload:
    saved_job_search: SavedJobSearch | None = None
    user_errors: list[SearchError] = strawberry.field(default_factory=list)


def _job_filter(input: JobSearchFilterInput | None) -> JobSearchFilter:
    """The filter as searchJobs reads it; what searchJobs answers with an error is a user
    error here (`filter.organizationIds`, `filter.postedSince`)."""
    if input is None:
        return JobSearchFilter()
    try:
        return input.to_filter()
    except BadUserInput as error:
        field = str(error.extensions.get("argument", "filter"))
        raise InvalidInput(
            FieldError(field, SearchErrorCode.INVALID_FILTER, error.message)
        ) from None


async def _save_job_search(viewer: Viewer, input: SaveJobSearchInput) -> SavedSearchRecord:
    return await service.save_job_search(
        viewer,
        name=input.name,
        query=input.query,
        wanted=_job_filter(input.filter),
        alert_frequency=input.alert_frequency,
    )


def _saved_job_search_payload(record: SavedSearchRecord) -> SaveJobSearchPayload:
    return SaveJobSearchPayload(saved_job_search=SavedJobSearch.from_record(record))


@strawberry.input(description="How often a saved search (of candidates or jobs) alerts you.")
class SetSavedSearchAlertInput:
    id: relay.GlobalID = strawberry.field(description="A SavedSearch or a SavedJobSearch.")
    alert_frequency: AlertFrequency = strawberry.field(description="DAILY, WEEKLY or OFF.")


@strawberry.type
class SetSavedSearchAlertPayload:
    saved_search: SavedSearch | None = strawberry.field(
        default=None, description="The candidate search, when the id named one."
    )
    saved_job_search: SavedJobSearch | None = strawberry.field(
        default=None, description="The job search, when the id named one."
    )
    user_errors: list[SearchError] = strawberry.field(default_factory=list)


async def _set_alert(viewer: Viewer, input: SetSavedSearchAlertInput) -> SavedSearchRecord:
    return await candidate_search.set_alert_frequency(
        viewer, saved_search_id(input.id), input.alert_frequency
    )


def _alert_payload(record: SavedSearchRecord) -> SetSavedSearchAlertPayload:
    if record.kind is SavedSearchKind.JOBS:
        return SetSavedSearchAlertPayload(saved_job_search=SavedJobSearch.from_record(record))
    return SetSavedSearchAlertPayload(saved_search=SavedSearch.from_record(record))


@strawberry.type
class AlertsMutation:
    save_job_search = mutation(
        "Keep a job search (query and filters, checked as searchJobs checks them) to rerun, "
        "and to be alerted of new postings when `alertFrequency` is DAILY or WEEKLY.",
        SaveJobSearchInput,
        "A name, the query and filters to keep, and how often to be alerted.",
        _save_job_search,
        _saved_job_search_payload,
    )

    set_saved_search_alert = mutation(
        "Choose how often a saved search (of candidates or of jobs) alerts you of new matches.",
        SetSavedSearchAlertInput,
        "The saved search and the frequency.",
        _set_alert,
        _alert_payload,
    )


async def saved_job_searches(
    info: Info, first: int | None, after: str | None
) -> tuple[Any, dict[int, SavedJobSearch]]:
    """The viewer's saved job searches page (`Account.savedJobSearches`), built."""
    page, records = await service.saved_job_searches(info.context.viewer, first=first, after=after)
    connection = selected_fields([s for field in info.selected_fields for s in field.selections])
    nodes = child_fields(child_fields(connection, "edges"), "node")
    searches = await SavedJobSearch.from_records(records, nodes)
    return page, {search.id: search for search in searches}

"""The jobs part of the GraphQL schema: postings, their lifecycle, applications."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from api.core.context import Info
from api.core.pagination import (
    After,
    Connection,
    First,
    empty_page_info,
)
from api.core.records import mutation
from api.core.search import CORRECTED_QUERY, Window, index_of, search_page
from api.core.types import (
    Facet,
    Highlight,
    argument_id,
    database_id,
    row_id,
    time_argument,
)
from api.jobs import applications as applications_service
from api.jobs import search as job_search
from api.jobs import service
from api.jobs.document import job_fields
from api.jobs.loaders import JobByIdLoader
from api.jobs.records import ApplicationRecord, JobRecord
from api.jobs.tables import ApplicationStage as Stage
from api.jobs.types import (
    Application,
    ApplicationPayload,
    ApplicationStage,
    Job,
    JobError,
    JobInput,
    JobPayload,
    JobStatus,
)
from api.networks.schema import organization_id
from api.resumes.types import EmploymentType, WorkplaceType


def _id(global_id: relay.GlobalID, type_name: str, field: str) -> int:
    return database_id(global_id, type_name, field=field, code=service.JobErrorCode.NOT_FOUND)


@strawberry.input(description="A new posting (a DRAFT) for an employer you administer.")
class CreateJobInput(JobInput):
    organization_id: relay.GlobalID = strawberry.field(
        description="The employer the posting is for."
    )


@strawberry.input
class UpdateJobInput(JobInput):
    id: relay.GlobalID = strawberry.field(description="The posting to change.")


@strawberry.input(description="A posting from a JSON Resume job document.")
class ImportJobInput:
    organization_id: relay.GlobalID = strawberry.field(
        description="The employer the posting is for."
    )
    document: JSON = strawberry.field(
        description=(
            "A JSON Resume job document (title, description, location, salary, skills, …)."
        )
    )


@strawberry.input
class JobIdInput:
    id: relay.GlobalID = strawberry.field(description="The posting.")


@strawberry.input
class RejectJobInput:
    id: relay.GlobalID = strawberry.field(description="The posting to reject.")
    reason: str = strawberry.field(description="Why, for the employer to fix it.")


@strawberry.input
class ReopenJobInput:
    id: relay.GlobalID = strawberry.field(description="The closed or expired posting.")
    valid_through: datetime | None = strawberry.field(
        default=None,
        description=(
            "Its new closing date, within a year; when left out, the old "
            "one if still ahead, else 30 days from now."
        ),
    )


@strawberry.input
class ReportJobInput:
    id: relay.GlobalID = strawberry.field(description="The posting to report.")
    reason: str = strawberry.field(description="What is wrong with it, in your words.")


@strawberry.type
class ReportJobPayload:
    reported: bool = False
    user_errors: list[JobError] = strawberry.field(default_factory=list)


@strawberry.input
class ApplyToJobInput:
    job_id: relay.GlobalID = strawberry.field(description="The published posting to apply to.")
    resume_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description=(
            "One of your resumes to share with the employer, for this "
            "application only; leave out to share none."
        ),
    )
    note: str = strawberry.field(default="", description="A message to the employer.")


@strawberry.input
class ApplicationIdInput:
    application_id: relay.GlobalID = strawberry.field(description="The application.")


@strawberry.input
class MoveApplicationInput:
    application_id: relay.GlobalID = strawberry.field(description="The application to move.")
    stage: ApplicationStage = strawberry.field(description="The stage to move it to.")


@strawberry.input(description="Filters for the job list (text, skills and salary: searchJobs).")
class JobFilterInput:
    organization_ids: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="Only postings of these employers; empty for all."
    )
    statuses: list[JobStatus] = strawberry.field(
        default_factory=list,
        description=(
            "Only postings in these statuses; you see postings that are "
            "not PUBLISHED only for employers you administer (staff: "
            "all). Empty for every status."
        ),
    )
    workplace_types: list[WorkplaceType] = strawberry.field(
        default_factory=list, description="Only on-site, hybrid or remote postings; empty for all."
    )
    posted_since: datetime | None = strawberry.field(
        default=None, description="Only postings published at or after this time."
    )


def _members_only(job_input: JobInput) -> int | None:
    if job_input.members_only_organization_id is None:
        return None
    return organization_id(job_input.members_only_organization_id, "membersOnlyOrganizationId")


@strawberry.input(description="Filters for job search.")
class JobSearchFilterInput:
    cities: list[str] = strawberry.field(
        default_factory=list, description="Postings in any of these cities."
    )
    countries: list[str] = strawberry.field(
        default_factory=list,
        description=(
            "Postings in any of these countries (ISO codes), or remote "
            "postings open to applicants there."
        ),
    )
    workplace_types: list[WorkplaceType] = strawberry.field(
        default_factory=list, description="Only on-site, hybrid or remote postings."
    )
    employment_types: list[EmploymentType] = strawberry.field(
        default_factory=list, description="Postings with any of these employment types."
    )
    salary_at_least: int | None = strawberry.field(
        default=None, description="Yearly pay the job can reach (the top of its range)."
    )
    skills: list[str] = strawberry.field(default_factory=list, description="All required.")
    organization_ids: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="Only postings of these employers."
    )
    posted_since: datetime | None = strawberry.field(
        default=None, description="Only postings published at or after this time."
    )

    def to_filter(self) -> job_search.JobSearchFilter:
        return job_search.JobSearchFilter(
            cities=tuple(self.cities),
            countries=tuple(self.countries),
            workplace_types=tuple(w.value for w in self.workplace_types),
            employment_types=tuple(e.value for e in self.employment_types),
            salary_at_least=self.salary_at_least,
            skills=tuple(self.skills),
            organization_ids=tuple(
                argument_id(g, "Organization", "filter.organizationIds")
                for g in self.organization_ids
            ),
            posted_since=time_argument(self.posted_since, "filter.postedSince"),
        )


@strawberry.type
class JobSearchEdge:
    cursor: str
    node: Job
    highlights: list[Highlight]


@strawberry.type(description="One page of postings, with counts, facets and a suggestion.")
class JobSearchResult:
    total_count: int = 0
    edges: list[JobSearchEdge] = strawberry.field(default_factory=list)
    page_info: relay.PageInfo = strawberry.field(default_factory=empty_page_info)
    facets: list[Facet] = strawberry.field(default_factory=list)
    suggestion: str | None = None
    corrected_query: str | None = strawberry.field(default=None, description=CORRECTED_QUERY)
    user_errors: list[JobError] = strawberry.field(default_factory=list)


async def run_job_search(
    info: Info,
    *,
    query: str | None,
    wanted: job_search.JobSearchFilter,
    first: int | None,
    after: str | None,
) -> JobSearchResult:
    request = await job_search.job_search_request(
        info.context.viewer, query=query, wanted=wanted, window=Window.of(first, after)
    )
    page = await search_page(
        index_of(info.context.search, "jobs"),
        request,
        info.context.loaders.get(JobByIdLoader).load_many,
        syntax_code=service.JobErrorCode.INVALID_QUERY,
    )
    edges = [
        JobSearchEdge(
            cursor=ranked.cursor,
            node=Job.from_record(ranked.item),
            highlights=Highlight.from_hit(ranked.hit),
        )
        for ranked in page.ranked
    ]
    return JobSearchResult(**page.fields(edges))


@strawberry.type
class JobsQuery:
    @strawberry.field(
        description="Search published postings the viewer may see, with the candidate "
        "search's query language, filters, facets and highlights."
    )
    async def search_jobs(
        self,
        info: Info,
        query: Annotated[
            str | None,
            strawberry.argument(
                description=(
                    "What to look for in titles, descriptions, skills and "
                    "employers, in the query language; null lists every published"
                    " posting you may see."
                )
            ),
        ] = None,
        filter: Annotated[
            JobSearchFilterInput | None,
            strawberry.argument(
                description=(
                    "Narrow the postings by place, workplace, employment type, "
                    "salary, skills, employer and date."
                )
            ),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> JobSearchResult:
        wanted = filter.to_filter() if filter else job_search.JobSearchFilter()
        return await run_job_search(info, query=query, wanted=wanted, first=first, after=after)

    @strawberry.field(description="A posting by id; null when it does not exist or is hidden.")
    async def job(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="The posting's global id.")],
    ) -> Job | None:
        if id.type_name != "Job" or row_id(id.node_id) is None:
            return None
        job = await info.context.loaders.get(JobByIdLoader).load(row_id(id.node_id))
        return Job.from_record(job) if job else None

    @strawberry.field(
        description="Postings the viewer may see (employers also see their own drafts)."
    )
    async def jobs(
        self,
        info: Info,
        filter: Annotated[
            JobFilterInput | None,
            strawberry.argument(
                description="Narrow the list by employer, status, workplace and date."
            ),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Job]:
        wanted = service.JobFilter()
        if filter:
            wanted = service.JobFilter(
                organization_ids=tuple(
                    argument_id(g, "Organization", "filter.organizationIds")
                    for g in filter.organization_ids
                ),
                statuses=tuple(s.value for s in filter.statuses),
                workplace_types=tuple(w.value for w in filter.workplace_types),
                posted_since=time_argument(filter.posted_since, "filter.postedSince"),
            )
        page = await service.list_jobs(info.context.viewer, wanted, first=first, after=after)
        return Connection.from_page(page, Job.from_row)

    @strawberry.field(description="Staff: postings waiting for review, oldest first.")
    async def jobs_awaiting_review(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[Job]:
        page = await service.staff_review_queue(info.context.viewer, first=first, after=after)
        return Connection.from_page(page, Job.from_row)

    @strawberry.field(description="Your applications, oldest first.")
    async def my_applications(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[Application]:
        page = await applications_service.my_applications(
            info.context.viewer, first=first, after=after
        )
        return Connection.from_page(page, Application.from_row)


def _job_id(input: JobIdInput | RejectJobInput | ReopenJobInput | ReportJobInput) -> int:
    return _id(input.id, "Job", "id")


def _application_id(input: ApplicationIdInput | MoveApplicationInput) -> int:
    return _id(input.application_id, "Application", "applicationId")


def _job_payload(job: JobRecord) -> JobPayload:
    return JobPayload(job=Job.from_record(job))


def _application_payload(application: ApplicationRecord) -> ApplicationPayload:
    return ApplicationPayload(application=Application.from_record(application))


def _reported(_: None) -> ReportJobPayload:
    return ReportJobPayload(reported=True)


async def _drafted(info: Info, organization: int, fields: service.JobFields) -> JobPayload:
    return _job_payload(
        await service.create_job(info.context.viewer, info.context.settings, organization, fields)
    )


@strawberry.type
class JobsMutation:
    # Drafting and publishing read the deployment's settings (rate limit, review), which
    # `mutation(...)` does not hand its verb: these three keep their resolvers.
    @strawberry.mutation(description="Draft a posting for an employer you own or administer.")
    async def create_job(
        self,
        info: Info,
        input: Annotated[
            CreateJobInput,
            strawberry.argument(description="The employer and the posting's fields."),
        ],
    ) -> JobPayload:
        organization = organization_id(input.organization_id)
        return await _drafted(info, organization, input.to_fields(_members_only(input)))

    @strawberry.mutation(description="Draft a posting from a JSON Resume job document.")
    async def import_job(
        self,
        info: Info,
        input: Annotated[
            ImportJobInput,
            strawberry.argument(description="The employer and the JSON Resume job document."),
        ],
    ) -> JobPayload:
        organization = organization_id(input.organization_id)
        return await _drafted(info, organization, job_fields(input.document))

    update_job = mutation(
        "Change a posting's fields (it keeps its status).",
        UpdateJobInput,
        "The posting and all of its fields, as on create.",
        lambda viewer, input: service.update_job(
            viewer, _job_id(input), input.to_fields(_members_only(input))
        ),
        _job_payload,
    )

    @strawberry.mutation(
        description="Publish a draft (or a rejected posting, fixed): it goes live, or to "
        "review when the deployment moderates this employer's postings."
    )
    async def publish_job(
        self,
        info: Info,
        input: Annotated[JobIdInput, strawberry.argument(description="The posting to publish.")],
    ) -> JobPayload:
        return _job_payload(
            await service.publish_job(info.context.viewer, info.context.settings, _job_id(input))
        )

    approve_job = mutation(
        "Staff: approve a posting waiting for review.",
        JobIdInput,
        "The posting to approve.",
        lambda viewer, input: service.approve_job(viewer, _job_id(input)),
        _job_payload,
    )

    reject_job = mutation(
        "Staff: reject a posting, saying why.",
        RejectJobInput,
        "The posting and why it is rejected (its employer reads this).",
        lambda viewer, input: service.reject_job(viewer, _job_id(input), input.reason),
        _job_payload,
    )

    close_job = mutation(
        "Close a published posting: it leaves search and feeds.",
        JobIdInput,
        "The posting to close.",
        lambda viewer, input: service.close_job(viewer, _job_id(input)),
        _job_payload,
    )

    reopen_job = mutation(
        "Publish a closed or expired posting again.",
        ReopenJobInput,
        "The posting, and optionally a new closing date.",
        lambda viewer, input: service.reopen_job(viewer, _job_id(input), input.valid_through),
        _job_payload,
    )

    report_job = mutation(
        "Flag a posting to staff (spam, a scam, discrimination).",
        ReportJobInput,
        "The posting and what is wrong with it.",
        lambda viewer, input: service.report_job(viewer, _job_id(input), input.reason),
        _reported,
    )

    apply_to_job = mutation(
        "Apply to a job once, optionally sharing one of your resumes with the employer (for "
        "this application only).",
        ApplyToJobInput,
        "The posting, optionally a resume to share, and a note.",
        lambda viewer, input: applications_service.apply_to_job(
            viewer,
            _id(input.job_id, "Job", "jobId"),
            _id(input.resume_id, "Resume", "resumeId") if input.resume_id else None,
            input.note,
        ),
        _application_payload,
    )

    withdraw_application = mutation(
        "Withdraw one of your applications.",
        ApplicationIdInput,
        "The application to withdraw.",
        lambda viewer, input: applications_service.withdraw_application(
            viewer, _application_id(input)
        ),
        _application_payload,
    )

    move_application = mutation(
        "Employers: move an applicant to any other stage, forward (skipping stages) or back; "
        "each move is recorded in `Application.history`. WITHDRAWN is the applicant's own move.",
        MoveApplicationInput,
        "The application and its new stage.",
        lambda viewer, input: applications_service.move_application(
            viewer, _application_id(input), Stage(input.stage.value)
        ),
        _application_payload,
    )

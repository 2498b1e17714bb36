"""GraphQL types for job postings and applications."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from api.core.context import Info
from api.core.errors import FieldError, InvalidInput
from api.core.pagination import After, Connection, First
from api.core.records import LoadedNode, build
from api.core.types import UserError, given
from api.jobs import applications as applications_service
from api.jobs import service, tables
from api.jobs.document import json_resume_job
from api.jobs.loaders import (
    ApplicationByIdLoader,
    JobByIdLoader,
    StageHistoryByApplicationLoader,
)
from api.jobs.records import ApplicationRecord, JobRecord, StageChangeRecord
from api.networks.loaders import OrganizationByIdLoader
from api.networks.types import Organization
from api.people.loaders import PersonByIdLoader
from api.people.types import Person
from api.resumes.types import EmploymentType, Resume, WorkplaceType
from api.site import addresses

if TYPE_CHECKING:
    from api.messaging.types import Conversation

JobStatus = strawberry.enum(tables.JobStatus)
SalaryUnit = strawberry.enum(tables.SalaryUnit)
ApplicationStage = strawberry.enum(tables.ApplicationStage)
JobErrorCode = strawberry.enum(service.JobErrorCode)
ApplicationErrorCode = strawberry.enum(applications_service.ApplicationErrorCode)


@strawberry.type
class JobError(UserError):
    code: JobErrorCode


@strawberry.type
class ApplicationError(UserError):
    code: ApplicationErrorCode


@strawberry.type(description="Where a job is: a postal address (schema.org PostalAddress).")
class JobLocation:
    address: str | None
    postal_code: str | None
    city: str | None
    region: str | None
    country_code: str

    @classmethod
    def from_address(cls, address: dict[str, str]) -> JobLocation:
        """A location from the address a posting stores (JSON Resume's keys)."""
        return cls(
            address=given(address.get("address")),
            postal_code=given(address.get("postalCode")),
            city=given(address.get("city")),
            region=given(address.get("region")),
            country_code=address.get("countryCode", ""),
        )


@strawberry.type(description="The pay range (schema.org baseSalary with a QuantitativeValue).")
class Salary:
    currency: str
    min: int | None
    max: int | None
    unit: SalaryUnit

    @classmethod
    def of(cls, job: JobRecord) -> Salary | None:
        """The posting's pay range; None when it shows none."""
        if job.salary_min is None and job.salary_max is None:
            return None
        return cls(
            currency=job.salary_currency,
            min=job.salary_min,
            max=job.salary_max,
            unit=tables.SalaryUnit(job.salary_unit),
        )


async def _organization(info: Info, organization_id: int | None) -> Organization | None:
    """The organization by id, if the viewer may see it."""
    if organization_id is None:
        return None
    row = await info.context.loaders.get(OrganizationByIdLoader).load(organization_id)
    return Organization.from_row(row) if row else None


async def _rejection_reason(root: Job, info: Info) -> str | None:
    viewer = info.context.viewer
    if not viewer.is_staff and not await service.may_manage(viewer, root.source.organization):
        return None
    return given(root.source.rejection_reason)


@strawberry.type(description="A job posting, in schema.org JobPosting's terms.")
class Job(LoadedNode, relay.Node):
    loader = JobByIdLoader

    id: relay.NodeID[int]
    slug: str
    title: str
    description: str | None = strawberry.field(
        description="The description as its author wrote it (Markdown)."
    )
    description_html: str | None = strawberry.field(
        description="The description rendered to sanitized HTML on save."
    )
    status: JobStatus
    rejection_reason: str | None = strawberry.field(
        resolver=_rejection_reason,
        description="Why staff rejected the posting (its employer and staff only).",
    )
    date_posted: datetime | None
    valid_through: datetime | None
    employment_types: list[EmploymentType]
    workplace_type: WorkplaceType
    applicant_countries: list[str] = strawberry.field(
        description="For remote roles: the countries applicants must live in."
    )
    locations: list[JobLocation]
    salary: Salary | None
    skills: list[str]
    experience_months: int | None
    education_level: str | None
    identifier: str | None
    apply_url: str | None = strawberry.field(
        description="Apply on the employer's site; null: apply on Confrere."
    )
    responsibilities: list[str]
    qualifications: list[str]
    created_at: datetime
    updated_at: datetime
    source: strawberry.Private[JobRecord]
    """The record the type was built from, for the fields computed from it."""

    @classmethod
    def from_record(cls, job: JobRecord) -> Job:
        def listed(key: str) -> list[str]:
            return [str(value) for value in job.extra.get(key) or []]

        return build(
            cls,
            job,
            description=given(job.description),
            description_html=given(job.description_html),
            employment_types=[EmploymentType(value) for value in job.employment_types],
            locations=[JobLocation.from_address(address) for address in job.locations],
            salary=Salary.of(job),
            education_level=given(job.education_level),
            identifier=given(job.identifier),
            apply_url=given(job.apply_url),
            responsibilities=listed("responsibilities"),
            qualifications=listed("qualifications"),
            source=job,
        )

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Job:
        """The posting of a table row (a page's rows come as the table gives them)."""
        return cls.from_record(JobRecord.from_row(row))

    @strawberry.field(description="The employer.")
    async def hiring_organization(self, info: Info) -> Organization | None:
        return await _organization(info, self.source.organization)

    @strawberry.field(
        description="The absolute address of the posting's page on the public site; null when "
        "the site has none (not published, members-only, expired, or of a private employer)."
    )
    async def url(self, info: Info) -> str | None:
        organization = await _organization(info, self.source.organization)
        return addresses.job_url(
            info.context.settings.site_url,
            slug=self.slug,
            status=self.status.value,
            members_only=self.source.members_only is not None,
            valid_through=self.valid_through,
            organization_is_public=bool(organization and organization.is_public),
        )

    @strawberry.field(description="The organization whose members alone may see the posting.")
    async def members_only(self, info: Info) -> Organization | None:
        return await _organization(info, self.source.members_only)

    @strawberry.field(description="The posting as a JSON Resume job document.")
    async def json_job(self, info: Info) -> JSON:
        organization = await _organization(info, self.source.organization)
        return json_resume_job(self.source, organization.name if organization else "")

    @strawberry.field(description="Applicants, for the employer's people; null for others.")
    async def applications(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[Application] | None:
        viewer = info.context.viewer
        if not await service.may_manage(viewer, self.source.organization):
            return None
        page = await applications_service.applications_for_job(
            viewer, self.id, first=first, after=after
        )
        return Connection.from_page(page, Application.from_row)


@strawberry.type(description="One move of an application from a stage to another.")
class ApplicationStageChange:
    from_stage: ApplicationStage | None = strawberry.field(
        description="Where it was; null for the submission, the first move."
    )
    stage: ApplicationStage
    moved_at: datetime
    moved_by_id: strawberry.Private[int | None]

    @classmethod
    def from_record(cls, change: StageChangeRecord) -> ApplicationStageChange:
        return build(cls, change, moved_by_id=change.moved_by)

    @strawberry.field(
        description="Who made the move. The employer's people see it for every move; the "
        "applicant only for their own (submitting, withdrawing). Null otherwise, or when "
        "their profile is not visible to you."
    )
    async def moved_by(self, info: Info) -> Person | None:
        return await _person(info, self.moved_by_id)


async def _person(info: Info, account_id: int | None) -> Person | None:
    """The person by account id, if their profile is visible to the viewer."""
    if account_id is None:
        return None
    view = await info.context.loaders.get(PersonByIdLoader).load(account_id)
    return Person.from_view(view) if view else None


@strawberry.type(description="An application to a job, and where it stands.")
class Application(LoadedNode, relay.Node):
    loader = ApplicationByIdLoader

    id: relay.NodeID[int]
    stage: ApplicationStage
    note: str | None = strawberry.field(
        description="The applicant's note; null when they wrote none."
    )
    created_at: datetime
    updated_at: datetime
    source: strawberry.Private[ApplicationRecord]
    """The record the type was built from, for the fields computed from it."""

    @classmethod
    def from_record(cls, application: ApplicationRecord) -> Application:
        return build(cls, application, note=given(application.note), source=application)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Application:
        """The application of a table row read with its employer (`WITH_EMPLOYER`)."""
        return cls.from_record(ApplicationRecord.from_row(row))

    @strawberry.field(
        description="The application's thread between the applicant and the employer's "
        "owners and admins, once either side wrote (startApplicationConversation); null "
        "before, or when you take no part in it."
    )
    async def conversation(
        self, info: Info
    ) -> Annotated[Conversation, strawberry.lazy("api.messaging.types")] | None:
        from api.messaging.types import Conversation, ConversationByApplicationLoader

        record = await info.context.loaders.get(ConversationByApplicationLoader).load(self.id)
        return Conversation.from_record(record) if record else None

    @strawberry.field(
        description="Every move between stages, the submission first, with when and (as "
        "`movedBy` allows) who."
    )
    async def history(self, info: Info) -> list[ApplicationStageChange]:
        changes = await info.context.loaders.get(StageHistoryByApplicationLoader).load(self.id)
        return [ApplicationStageChange.from_record(change) for change in changes or []]

    @strawberry.field
    async def job(self, info: Info) -> Job | None:
        job = await info.context.loaders.get(JobByIdLoader).load(self.source.job)
        return Job.from_record(job) if job else None

    @strawberry.field
    async def applicant(self, info: Info) -> Person | None:
        return await _person(info, self.source.applicant)

    @strawberry.field(
        description="The resume the applicant shared with this application: visible to the "
        "employer here, whatever the resume's own audience."
    )
    async def resume(self, info: Info) -> Resume | None:
        view = await applications_service.shared_resume(info.context.viewer, self.source)
        return Resume.from_record(view) if view else None


@strawberry.input(description="A location: a postal address with an ISO country code.")
class JobLocationInput:
    country_code: str = strawberry.field(description="The ISO 3166 country code, like DE.")
    city: str | None = strawberry.field(default=None, description="The city.")
    region: str | None = strawberry.field(default=None, description="The region or state.")
    postal_code: str | None = strawberry.field(default=None, description="The postal code.")
    address: str | None = strawberry.field(default=None, description="The street address.")

    def as_dict(self) -> dict[str, str]:
        values = {
            "address": self.address,
            "postalCode": self.postal_code,
            "city": self.city,
            "countryCode": self.country_code.strip().upper(),
            "region": self.region,
        }
        return {key: value for key, value in values.items() if value}


@strawberry.input
class SalaryInput:
    currency: str = strawberry.field(description="The ISO 4217 currency code, like EUR.")
    unit: SalaryUnit = strawberry.field(
        description="What the amounts are per: HOUR, DAY, WEEK, MONTH or YEAR."
    )
    min: int | None = strawberry.field(default=None, description="The bottom of the range.")
    max: int | None = strawberry.field(default=None, description="The top of the range.")


@strawberry.input(description="A job posting's fields.")
class JobInput:
    title: str = strawberry.field(description="The job title, like Backend Engineer.")
    description: str = strawberry.field(default="", description="Markdown.")
    employment_types: list[EmploymentType] | None = strawberry.field(
        default=None,
        description="One or several (schema.org employmentType), as `Job.employmentTypes` "
        "returns them.",
    )
    employment_type: list[EmploymentType] | None = strawberry.field(
        default=None,
        description="The old name of `employmentTypes`.",
        deprecation_reason="Use `employmentTypes`, the name `Job` returns them under; this "
        "one still works (give one of the two).",
    )
    workplace_type: WorkplaceType = strawberry.field(
        default=WorkplaceType.ON_SITE, description="On site, hybrid or remote."
    )
    applicant_countries: list[str] = strawberry.field(
        default_factory=list,
        description=(
            "For remote roles: ISO 3166 codes of the countries applicants"
            " must live in; empty for anywhere."
        ),
    )
    locations: list[JobLocationInput] = strawberry.field(
        default_factory=list,
        description="Where the job is; one or more for on-site and hybrid roles.",
    )
    salary: SalaryInput | None = strawberry.field(
        default=None, description="The pay range; leave out to show none."
    )
    skills: list[str] = strawberry.field(
        default_factory=list, description="The skills the role needs."
    )
    experience_months: int | None = strawberry.field(
        default=None, description="The experience the role needs, in months."
    )
    education_level: str = strawberry.field(
        default="", description=("The education the role needs, in words (like Bachelor's degree).")
    )
    identifier: str = strawberry.field(
        default="", description=("Your own reference for the posting (a requisition number, say).")
    )
    apply_url: str = strawberry.field(default="", description="Empty: apply on Confrere.")
    valid_through: datetime | None = strawberry.field(
        default=None, description="Defaults to 30 days after publishing."
    )
    members_only_organization_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description=(
            "Show the posting only to the members of this organization; leave out for everyone."
        ),
    )

    def chosen_employment_types(self) -> list[EmploymentType]:
        """`employmentTypes`, or the deprecated `employmentType`; never two differing lists."""
        both = self.employment_types is not None and self.employment_type is not None
        if both and self.employment_types != self.employment_type:
            raise InvalidInput(
                FieldError(
                    "employmentType",
                    service.JobErrorCode.INVALID,
                    "Give the employment types once, as employmentTypes "
                    "(employmentType is its deprecated name).",
                )
            )
        return self.employment_types or self.employment_type or []

    def to_fields(self, members_only: int | None) -> service.JobFields:
        salary = self.salary
        return service.JobFields(
            title=self.title,
            description=self.description,
            employment_types=tuple(v.value for v in self.chosen_employment_types()),
            workplace_type=self.workplace_type.value,
            applicant_countries=tuple(c.strip().upper() for c in self.applicant_countries),
            locations=tuple(loc.as_dict() for loc in self.locations),
            salary_currency=salary.currency.strip().upper() if salary else "",
            salary_min=salary.min if salary else None,
            salary_max=salary.max if salary else None,
            salary_unit=salary.unit.value if salary else "",
            skills=tuple(self.skills),
            experience_months=self.experience_months,
            education_level=self.education_level,
            identifier=self.identifier,
            apply_url=self.apply_url,
            valid_through=self.valid_through,
            members_only_organization_id=members_only,
        )


@strawberry.type
class JobPayload:
    job: Job | None = None
    user_errors: list[JobError] = strawberry.field(default_factory=list)


@strawberry.type
class ApplicationPayload:
    application: Application | None = None
    user_errors: list[ApplicationError] = strawberry.field(default_factory=list)

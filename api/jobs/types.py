"""GraphQL types for job postings and applications."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from api.core.context import Info
from api.core.errors import FieldError, InvalidInput
from api.core.loaders import KeyLoader, load_nodes
from api.core.pagination import After, Connection, First
from api.core.types import UserError, given, row_id
from api.jobs import applications as applications_service
from api.jobs import service, tables
from api.jobs.document import job_document
from api.networks.loaders import OrganizationByIdLoader
from api.networks.types import Organization
from api.people.loaders import PersonByIdLoader
from api.people.types import Person
from api.resumes.types import EmploymentType, Resume, WorkplaceType
from api.site import addresses

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


@strawberry.type(description="The pay range (schema.org baseSalary with a QuantitativeValue).")
class Salary:
    currency: str
    min: int | None
    max: int | None
    unit: SalaryUnit


class JobByIdLoader(KeyLoader[int, dict[str, Any]]):
    async def load_batch(self, keys: list[int]) -> list[dict[str, Any] | None]:
        found = await service.jobs_by_ids(self.viewer, sorted(set(keys)))
        return [found.get(key) for key in keys]


@strawberry.type(description="A job posting, in schema.org JobPosting's terms.")
class Job(relay.Node):
    id: relay.NodeID[int]
    row: strawberry.Private[dict[str, Any]]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Job:
        return cls(id=row["id"], row=row)

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[Job | None]:
        rows = await load_nodes(info.context.loaders.get(JobByIdLoader), node_ids)
        return [cls.from_row(row) if row else None for row in rows]

    @strawberry.field
    def slug(self) -> str:
        return self.row["slug"]

    @strawberry.field
    def title(self) -> str:
        return self.row["title"]

    @strawberry.field(description="The description as its author wrote it (Markdown).")
    def description(self) -> str | None:
        return given(self.row["description"])

    @strawberry.field(description="The description rendered to sanitized HTML on save.")
    def description_html(self) -> str | None:
        return given(self.row["description_html"])

    @strawberry.field
    def status(self) -> JobStatus:
        return tables.JobStatus(self.row["status"])

    @strawberry.field(description="Why staff rejected the posting (its employer and staff only).")
    async def rejection_reason(self, info: Info) -> str | None:
        viewer = info.context.viewer
        if not viewer.is_staff and not await service.may_manage(viewer, self.row["organization"]):
            return None
        return given(self.row["rejection_reason"])

    @strawberry.field
    def date_posted(self) -> datetime | None:
        return self.row["date_posted"]

    @strawberry.field
    def valid_through(self) -> datetime | None:
        return self.row["valid_through"]

    @strawberry.field
    def employment_types(self) -> list[EmploymentType]:
        return [tables_employment(v) for v in self.row["employment_types"]]

    @strawberry.field
    def workplace_type(self) -> WorkplaceType:
        from api.resumes.tables import WorkplaceType as Workplace

        return Workplace(self.row["workplace_type"])

    @strawberry.field(description="For remote roles: the countries applicants must live in.")
    def applicant_countries(self) -> list[str]:
        return self.row["applicant_countries"]

    @strawberry.field
    def locations(self) -> list[JobLocation]:
        return [
            JobLocation(
                address=given(loc.get("address")),
                postal_code=given(loc.get("postalCode")),
                city=given(loc.get("city")),
                region=given(loc.get("region")),
                country_code=loc.get("countryCode", ""),
            )
            for loc in self.row["locations"]
        ]

    @strawberry.field
    def salary(self) -> Salary | None:
        row = self.row
        if row["salary_min"] is None and row["salary_max"] is None:
            return None
        return Salary(
            currency=row["salary_currency"],
            min=row["salary_min"],
            max=row["salary_max"],
            unit=tables.SalaryUnit(row["salary_unit"]),
        )

    @strawberry.field
    def skills(self) -> list[str]:
        return self.row["skills"]

    @strawberry.field
    def experience_months(self) -> int | None:
        return self.row["experience_months"]

    @strawberry.field
    def education_level(self) -> str | None:
        return given(self.row["education_level"])

    @strawberry.field
    def identifier(self) -> str | None:
        return given(self.row["identifier"])

    @strawberry.field(description="Apply on the employer's site; null: apply on Confrere.")
    def apply_url(self) -> str | None:
        return given(self.row["apply_url"])

    @strawberry.field
    def responsibilities(self) -> list[str]:
        return [str(v) for v in (self.row["extra"] or {}).get("responsibilities") or []]

    @strawberry.field
    def qualifications(self) -> list[str]:
        return [str(v) for v in (self.row["extra"] or {}).get("qualifications") or []]

    @strawberry.field
    def created_at(self) -> datetime:
        return self.row["created_at"]

    @strawberry.field
    def updated_at(self) -> datetime:
        return self.row["updated_at"]

    @strawberry.field(description="The employer.")
    async def hiring_organization(self, info: Info) -> Organization | None:
        row = await info.context.loaders.get(OrganizationByIdLoader).load(self.row["organization"])
        return Organization.from_row(row) if row else None

    @strawberry.field(
        description="The absolute address of the posting's page on the public site; null when "
        "the site has none (not published, members-only, expired, or of a private employer)."
    )
    async def url(self, info: Info) -> str | None:
        organization = await info.context.loaders.get(OrganizationByIdLoader).load(
            self.row["organization"]
        )
        row = self.row
        return addresses.job_url(
            info.context.settings.site_url,
            slug=row["slug"],
            status=row["status"],
            members_only=row["members_only"] is not None,
            valid_through=row["valid_through"],
            organization_is_public=bool(organization and organization["is_public"]),
        )

    @strawberry.field(description="The organization whose members alone may see the posting.")
    async def members_only(self, info: Info) -> Organization | None:
        if self.row["members_only"] is None:
            return None
        row = await info.context.loaders.get(OrganizationByIdLoader).load(self.row["members_only"])
        return Organization.from_row(row) if row else None

    @strawberry.field(description="The posting as a JSON Resume job document.")
    async def json_job(self, info: Info) -> JSON:
        organization = await info.context.loaders.get(OrganizationByIdLoader).load(
            self.row["organization"]
        )
        return job_document(self.row, organization["name"] if organization else "")

    @strawberry.field(description="Applicants, for the employer's people; null for others.")
    async def applications(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[Application] | None:
        viewer = info.context.viewer
        if not await service.may_manage(viewer, self.row["organization"]):
            return None
        page = await applications_service.applications_for_job(
            viewer, self.id, first=first, after=after
        )
        return Connection.from_page(
            page,
            lambda row: Application.from_row({**row, "organization": self.row["organization"]}),
        )


def tables_employment(value: str) -> Any:
    from api.resumes.tables import EmploymentType as Employment

    return Employment(value)


class StageHistoryByApplicationLoader(KeyLoader[int, list[dict[str, Any]]]):
    async def load_batch(self, keys: list[int]) -> list[list[dict[str, Any]] | None]:
        found = await applications_service.stage_history(self.viewer, sorted(set(keys)))
        return [found.get(key, []) for key in keys]


@strawberry.type(description="One move of an application from a stage to another.")
class ApplicationStageChange:
    from_stage: ApplicationStage | None = strawberry.field(
        description="Where it was; null for the submission, the first move."
    )
    stage: ApplicationStage
    moved_at: datetime
    moved_by_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ApplicationStageChange:
        return cls(
            from_stage=tables.ApplicationStage(row["from_stage"]) if row["from_stage"] else None,
            stage=tables.ApplicationStage(row["stage"]),
            moved_at=row["moved_at"],
            moved_by_id=row["moved_by"],
        )

    @strawberry.field(
        description="Who made the move. The employer's people see it for every move; the "
        "applicant only for their own (submitting, withdrawing). Null otherwise, or when "
        "their profile is not visible to you."
    )
    async def moved_by(self, info: Info) -> Person | None:
        if self.moved_by_id is None:
            return None
        view = await info.context.loaders.get(PersonByIdLoader).load(self.moved_by_id)
        return Person.from_view(view) if view else None


@strawberry.type(description="An application to a job, and where it stands.")
class Application(relay.Node):
    id: relay.NodeID[int]
    row: strawberry.Private[dict[str, Any]]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Application:
        return cls(id=row["id"], row=row)

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[Application | None]:
        numbers = [row_id(n) for n in node_ids]
        found = await applications_service.visible_applications(
            info.context.viewer, [n for n in numbers if n is not None]
        )
        return [cls.from_row(found[n]) if n in found else None for n in numbers]

    @strawberry.field
    def stage(self) -> ApplicationStage:
        return tables.ApplicationStage(self.row["stage"])

    @strawberry.field(description="The applicant's note; null when they wrote none.")
    def note(self) -> str | None:
        return given(self.row["note"])

    @strawberry.field
    def created_at(self) -> datetime:
        return self.row["created_at"]

    @strawberry.field
    def updated_at(self) -> datetime:
        return self.row["updated_at"]

    @strawberry.field(
        description="Every move between stages, the submission first, with when and (as "
        "`movedBy` allows) who."
    )
    async def history(self, info: Info) -> list[ApplicationStageChange]:
        rows = await info.context.loaders.get(StageHistoryByApplicationLoader).load(self.id)
        return [ApplicationStageChange.from_row(row) for row in rows or []]

    @strawberry.field
    async def job(self, info: Info) -> Job | None:
        row = await info.context.loaders.get(JobByIdLoader).load(self.row["job"])
        return Job.from_row(row) if row else None

    @strawberry.field
    async def applicant(self, info: Info) -> Person | None:
        view = await info.context.loaders.get(PersonByIdLoader).load(self.row["applicant"])
        return Person.from_view(view) if view else None

    @strawberry.field(
        description="The resume the applicant shared with this application: visible to the "
        "employer here, whatever the resume's own audience."
    )
    async def resume(self, info: Info) -> Resume | None:
        if "organization" not in self.row:
            found = await applications_service.visible_applications(info.context.viewer, [self.id])
            self.row = found.get(self.id, self.row)
        view = await applications_service.shared_resume(info.context.viewer, self.row)
        return Resume.from_view(view) if view else None


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

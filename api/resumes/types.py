"""GraphQL types for resumes: every JSON Resume section as typed fields, and the inputs."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any, TypeVar

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from api.core.context import Info
from api.core.pagination import Connection, Page, page_size
from api.core.records import LoadedNode, build
from api.core.types import PartialDate, UserError, given
from api.people.loaders import PersonByIdLoader
from api.people.types import Person, Visibility
from api.resumes import facts, service, tables
from api.resumes.document import ResumeErrorCode as ResumeErrorCodeEnum
from api.resumes.loaders import (
    ExclusionsByOwnerLoader,
    FirstResumesByOwnerLoader,
    OpenToWorkByOwnerLoader,
    ResumeByIdLoader,
)
from api.resumes.records import ResumeRecord, ResumeView
from api.site import addresses

ResumeErrorCode = strawberry.enum(ResumeErrorCodeEnum, description="Why a resume change failed.")
WorkplaceType = strawberry.enum(tables.WorkplaceType)
EmploymentType = strawberry.enum(tables.EmploymentType)
OpenToWorkAudience = strawberry.enum(
    tables.OpenToWorkAudience,
    description="Who may see that a person is open to work: anyone, or verified employers.",
)

T = TypeVar("T")


def empty_list(description: str) -> Any:
    """An input list field that is empty when left out."""
    return strawberry.field(default_factory=list, description=description)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def section(cls: type[T], data: Any) -> T | None:
    """Build a section type from its JSON object, ignoring unknown keys and wrong types."""
    if not isinstance(data, dict):
        return None
    values = {}
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        value = data.get(_camel(field.name))
        nested = NESTED.get((cls.__name__, field.name))
        if isinstance(nested, list):
            value = sections(nested[0], value) if value is not None else None
        elif nested is not None:
            value = section(nested, value)
        elif isinstance(value, list):
            value = [str(item) for item in value if isinstance(item, (str, int, float))]
        elif value is not None and not isinstance(value, str):
            value = str(value)
        values[field.name] = given(value) if isinstance(value, str) else value
    return cls(**values)


def sections(cls: type[T], data: Any) -> list[T]:
    if not isinstance(data, list):
        return []
    return [built for item in data if (built := section(cls, item)) is not None]


@strawberry.type
class ResumeLocation:
    address: str | None = strawberry.field(description="Contact detail: shown to its audience.")
    postal_code: str | None = strawberry.field(description="Contact detail.")
    city: str | None
    country_code: str | None
    region: str | None


@strawberry.type
class ResumeProfile:
    network: str | None
    username: str | None
    url: str | None


@strawberry.type
class ResumeBasics:
    name: str | None
    label: str | None
    image: str | None
    email: str | None = strawberry.field(description="Null outside the contact audience.")
    phone: str | None = strawberry.field(description="Null outside the contact audience.")
    url: str | None
    summary: str | None
    location: ResumeLocation | None
    profiles: list[ResumeProfile] | None


@strawberry.type
class ResumeWork:
    name: str | None
    location: str | None
    description: str | None
    position: str | None
    url: str | None
    start_date: PartialDate | None
    end_date: PartialDate | None
    summary: str | None
    highlights: list[str] | None


@strawberry.type
class ResumeVolunteer:
    organization: str | None
    position: str | None
    url: str | None
    start_date: PartialDate | None
    end_date: PartialDate | None
    summary: str | None
    highlights: list[str] | None


@strawberry.type
class ResumeEducation:
    institution: str | None
    url: str | None
    area: str | None
    study_type: str | None
    start_date: PartialDate | None
    end_date: PartialDate | None
    score: str | None
    courses: list[str] | None


@strawberry.type
class ResumeAward:
    title: str | None
    date: PartialDate | None
    awarder: str | None
    summary: str | None


@strawberry.type
class ResumeCertificate:
    name: str | None
    date: PartialDate | None
    url: str | None
    issuer: str | None


@strawberry.type
class ResumePublication:
    name: str | None
    publisher: str | None
    release_date: PartialDate | None
    url: str | None
    summary: str | None


@strawberry.type
class ResumeSkill:
    name: str | None
    level: str | None
    keywords: list[str] | None


@strawberry.type
class ResumeLanguage:
    language: str | None
    fluency: str | None


@strawberry.type
class ResumeInterest:
    name: str | None
    keywords: list[str] | None


@strawberry.type
class ResumeReference:
    name: str | None
    reference: str | None


@strawberry.type
class ResumeProject:
    name: str | None
    description: str | None
    highlights: list[str] | None
    keywords: list[str] | None
    start_date: PartialDate | None
    end_date: PartialDate | None
    url: str | None
    roles: list[str] | None
    entity: str | None
    type: str | None


@strawberry.type
class ResumeMeta:
    canonical: str | None
    version: str | None
    last_modified: str | None


#: Fields holding objects of another section type (a list: a list of them).
NESTED: dict[tuple[str, str], type | list[type]] = {
    ("ResumeBasics", "location"): ResumeLocation,
    ("ResumeBasics", "profiles"): [ResumeProfile],
}


def _section(shape: type, key: str, *, many: bool = True) -> Any:
    """The field of one JSON Resume section, read from the document the viewer may see."""

    def resolve(self: Resume) -> Any:
        data = self.document.get(key)
        return sections(shape, data) if many else section(shape, data)

    resolve.__annotations__ = {"self": Any, "return": list[shape] if many else shape | None}  # type: ignore[valid-type]
    return strawberry.field(resolver=resolve)


@strawberry.type(description="A resume: every JSON Resume section as typed fields.")
class Resume(LoadedNode, relay.Node):
    loader = ResumeByIdLoader

    id: relay.NodeID[int]
    title: str
    is_primary: bool = strawberry.field(
        description="The resume shown first on the person's profile."
    )
    visibility: Visibility
    created_at: datetime
    updated_at: datetime
    stored: strawberry.Private[ResumeRecord]
    view: strawberry.Private[ResumeView]

    @classmethod
    def from_record(cls, record: ResumeView) -> Resume:
        return build(cls, record.resume, stored=record.resume, view=record)

    @property
    def document(self) -> dict[str, Any]:
        """The document as the viewer may see it (contact details left out outside their
        audience), decoded when a field first needs it."""
        return self.view.document

    @strawberry.field(description="The person the resume belongs to.")
    async def owner(self, info: Info) -> Person | None:
        view = await info.context.loaders.get(PersonByIdLoader).load(self.stored.owner)
        return Person.from_view(view) if view else None

    @strawberry.field(
        description="The absolute address of the resume's page on the public site; null when "
        "the site has none (the resume is not PUBLIC, or its owner excludes organizations)."
    )
    async def url(self, info: Info) -> str | None:
        resume = self.stored
        if resume.visibility is not tables.Visibility.PUBLIC:
            return None
        excluded = await info.context.loaders.get(ExclusionsByOwnerLoader).load(resume.owner)
        return addresses.resume_url(
            info.context.settings.site_url,
            resume_id=resume.id,
            name=addresses.resume_name(resume.document.get("basics"), resume.title),
            visibility=resume.visibility.value,
            owner_excludes_anyone=bool(excluded),
        )

    @strawberry.field(
        description="The resume as a JSON Resume document (valid against the schema); "
        "contact details are left out for viewers outside the contact audience."
    )
    def json_resume(self) -> JSON:
        return self.document

    basics = _section(ResumeBasics, "basics", many=False)
    work = _section(ResumeWork, "work")
    volunteer = _section(ResumeVolunteer, "volunteer")
    education = _section(ResumeEducation, "education")
    awards = _section(ResumeAward, "awards")
    certificates = _section(ResumeCertificate, "certificates")
    publications = _section(ResumePublication, "publications")
    skills = _section(ResumeSkill, "skills")
    languages = _section(ResumeLanguage, "languages")
    interests = _section(ResumeInterest, "interests")
    references = _section(ResumeReference, "references")
    projects = _section(ResumeProject, "projects")
    meta = _section(ResumeMeta, "meta", many=False)

    @strawberry.field(
        description="Years of experience from the work entries: overlapping periods merged, "
        "current roles counted to the last save."
    )
    def years_of_experience(self) -> float:
        return facts.years_from_days(self.stored.experience_days)

    @strawberry.field(description="The title of the role held now, if any.")
    def current_title(self) -> str | None:
        return given(self.stored.current_title)

    @strawberry.field(description="The employer of the role held now, if any.")
    def current_employer(self) -> str | None:
        return given(self.stored.current_employer)

    @strawberry.field(description="Every skill name and keyword, normalized.")
    def skill_keywords(self) -> list[str]:
        return self.stored.skill_keywords


@strawberry.type(description="What work a person is looking for.")
class OpenToWork:
    titles: list[str]
    locations: list[str]
    workplace_types: list[WorkplaceType]
    employment_types: list[EmploymentType]
    earliest_start: date | None
    audience: OpenToWorkAudience
    updated_at: datetime


async def resumes_of(
    info: Info, owner_id: int, *, first: int | None, after: str | None
) -> Connection[Resume]:
    if after is None:
        loader = info.context.loaders.get(FirstResumesByOwnerLoader)
        found = await loader.load((owner_id, page_size(first)))
        assert found is not None  # every owner gets a page, empty or not
        page, views = found
    else:
        page, views = await service.resumes_page(
            info.context.viewer, owner_id, first=first, after=after
        )
    return _resume_connection(page, views)


async def public_resumes(first: int | None, after: str | None) -> Connection[Resume]:
    return _resume_connection(*await service.public_resumes_page(first=first, after=after))


def _resume_connection(page: Page, views: dict[int, ResumeView]) -> Connection[Resume]:
    """The page's resumes the viewer may see (`views`, by id); the others are left out."""
    page = dataclasses.replace(page, rows=[row for row in page.rows if row["id"] in views])
    return Connection.from_page(page, lambda row: Resume.from_record(views[row["id"]]))


async def open_to_work_of(info: Info, owner_id: int) -> OpenToWork | None:
    signal = await info.context.loaders.get(OpenToWorkByOwnerLoader).load(owner_id)
    return build(OpenToWork, signal) if signal else None


@strawberry.type(description="A problem with a resume change.")
class ResumeError(UserError):
    code: ResumeErrorCode


@strawberry.input(description="A JSON Resume document to store as a new resume.")
class ImportResumeInput:
    document: JSON = strawberry.field(description="Validated against the JSON Resume schema.")
    visibility: Visibility = strawberry.field(
        default=tables.Visibility.PRIVATE, description="Who may see the resume."
    )
    title: str | None = strawberry.field(
        default=None, description="Defaults to basics.label, or basics.name."
    )
    is_primary: bool | None = strawberry.field(
        default=None, description="Defaults to true for a person's first resume."
    )


@strawberry.type
class ResumePayload:
    resume: Resume | None = None
    user_errors: list[ResumeError] = strawberry.field(default_factory=list)


@strawberry.input(description="Sections to replace (null removes one), a new title, primary.")
class UpdateResumeInput:
    id: relay.GlobalID = strawberry.field(description="The resume to change.")
    sections: JSON | None = strawberry.field(
        default=None,
        description='Whole sections keyed by name, like {"work": [...], "awards": null}.',
    )
    title: str | None = strawberry.field(default=None, description="A new title for the resume.")
    is_primary: bool | None = strawberry.field(
        default=None, description="true makes it your primary resume."
    )


@strawberry.input
class SetResumeVisibilityInput:
    id: relay.GlobalID = strawberry.field(description="The resume.")
    visibility: Visibility = strawberry.field(description="Who may see it from now on.")


@strawberry.input
class DeleteResumeInput:
    id: relay.GlobalID = strawberry.field(description="The resume to delete.")


@strawberry.type
class DeleteResumePayload:
    deleted_resume_id: relay.GlobalID | None = None
    user_errors: list[ResumeError] = strawberry.field(default_factory=list)


@strawberry.input(description="What work you are open to, and who may see that.")
class SetOpenToWorkInput:
    titles: list[str] = empty_list("The job titles you would take.")
    locations: list[str] = empty_list("Where you would work (cities, regions or Remote).")
    workplace_types: list[WorkplaceType] = empty_list(
        "On site, hybrid, remote: the ones you would take."
    )
    employment_types: list[EmploymentType] = empty_list(
        "Full time, part time, contract…: the ones you would take."
    )
    earliest_start: date | None = strawberry.field(
        default=None, description="The first day you could start; leave out for now."
    )
    audience: OpenToWorkAudience = strawberry.field(
        default=tables.OpenToWorkAudience.EMPLOYERS,
        description="Who may see that you are open to work.",
    )


@strawberry.type
class OpenToWorkPayload:
    open_to_work: OpenToWork | None = None
    user_errors: list[ResumeError] = strawberry.field(default_factory=list)


@strawberry.input(description="Organizations whose people must not see your resumes.")
class SetResumeExclusionsInput:
    organization_ids: list[relay.GlobalID] = strawberry.field(
        description=("The organizations whose people must not see your resumes; replaces the list.")
    )


@strawberry.type
class ResumeExclusionsPayload:
    organization_ids: list[relay.GlobalID] = strawberry.field(default_factory=list)
    user_errors: list[ResumeError] = strawberry.field(default_factory=list)

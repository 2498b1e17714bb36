"""GraphQL types for resumes: every JSON Resume section as typed fields, and the inputs."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any, TypeVar

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from api.core.context import Info
from api.core.loaders import KeyLoader, load_nodes
from api.core.pagination import Connection, Page, page_size
from api.core.types import PartialDate, UserError, given
from api.people.loaders import PersonByIdLoader
from api.people.types import Person, Visibility
from api.resumes import facts, service, tables
from api.resumes.document import ResumeErrorCode as ResumeErrorCodeEnum
from api.site import addresses

ResumeErrorCode = strawberry.enum(ResumeErrorCodeEnum, description="Why a resume change failed.")
WorkplaceType = strawberry.enum(tables.WorkplaceType)
EmploymentType = strawberry.enum(tables.EmploymentType)
OpenToWorkAudience = strawberry.enum(
    tables.OpenToWorkAudience,
    description="Who may see that a person is open to work: anyone, or verified employers.",
)

T = TypeVar("T")


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


@strawberry.type(description="A resume: every JSON Resume section as typed fields.")
class Resume(relay.Node):
    id: relay.NodeID[int]
    view: strawberry.Private[service.ResumeView]

    @classmethod
    def from_view(cls, view: service.ResumeView) -> Resume:
        return cls(id=view.row["id"], view=view)

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[Resume | None]:
        views = await load_nodes(info.context.loaders.get(ResumeByIdLoader), node_ids)
        return [cls.from_view(view) if view else None for view in views]

    @strawberry.field
    def title(self) -> str:
        return self.view.row["title"]

    @strawberry.field(description="The resume shown first on the person's profile.")
    def is_primary(self) -> bool:
        return self.view.row["is_primary"]

    @strawberry.field
    def visibility(self) -> Visibility:
        return tables.Visibility(self.view.row["visibility"])

    @strawberry.field
    def created_at(self) -> datetime:
        return self.view.row["created_at"]

    @strawberry.field
    def updated_at(self) -> datetime:
        return self.view.row["updated_at"]

    @strawberry.field(description="The person the resume belongs to.")
    async def owner(self, info: Info) -> Person | None:
        view = await info.context.loaders.get(PersonByIdLoader).load(self.view.row["owner"])
        return Person.from_view(view) if view else None

    @strawberry.field(
        description="The absolute address of the resume's page on the public site; null when "
        "the site has none (the resume is not PUBLIC, or its owner excludes organizations)."
    )
    async def url(self, info: Info) -> str | None:
        row = self.view.row
        if row["visibility"] != tables.Visibility.PUBLIC.value:
            return None
        excluded = await info.context.loaders.get(ExclusionsByOwnerLoader).load(row["owner"])
        return addresses.resume_url(
            info.context.settings.site_url,
            resume_id=row["id"],
            name=addresses.resume_name(row["document"].get("basics"), row["title"]),
            visibility=row["visibility"],
            owner_excludes_anyone=bool(excluded),
        )

    @strawberry.field(
        description="The resume as a JSON Resume document (valid against the schema); "
        "contact details are left out for viewers outside the contact audience."
    )
    def json_resume(self) -> JSON:
        return self.view.document

    @strawberry.field
    def basics(self) -> ResumeBasics | None:
        return section(ResumeBasics, self.view.document.get("basics"))

    @strawberry.field
    def work(self) -> list[ResumeWork]:
        return sections(ResumeWork, self.view.document.get("work"))

    @strawberry.field
    def volunteer(self) -> list[ResumeVolunteer]:
        return sections(ResumeVolunteer, self.view.document.get("volunteer"))

    @strawberry.field
    def education(self) -> list[ResumeEducation]:
        return sections(ResumeEducation, self.view.document.get("education"))

    @strawberry.field
    def awards(self) -> list[ResumeAward]:
        return sections(ResumeAward, self.view.document.get("awards"))

    @strawberry.field
    def certificates(self) -> list[ResumeCertificate]:
        return sections(ResumeCertificate, self.view.document.get("certificates"))

    @strawberry.field
    def publications(self) -> list[ResumePublication]:
        return sections(ResumePublication, self.view.document.get("publications"))

    @strawberry.field
    def skills(self) -> list[ResumeSkill]:
        return sections(ResumeSkill, self.view.document.get("skills"))

    @strawberry.field
    def languages(self) -> list[ResumeLanguage]:
        return sections(ResumeLanguage, self.view.document.get("languages"))

    @strawberry.field
    def interests(self) -> list[ResumeInterest]:
        return sections(ResumeInterest, self.view.document.get("interests"))

    @strawberry.field
    def references(self) -> list[ResumeReference]:
        return sections(ResumeReference, self.view.document.get("references"))

    @strawberry.field
    def projects(self) -> list[ResumeProject]:
        return sections(ResumeProject, self.view.document.get("projects"))

    @strawberry.field
    def meta(self) -> ResumeMeta | None:
        return section(ResumeMeta, self.view.document.get("meta"))

    @strawberry.field(
        description="Years of experience from the work entries: overlapping periods merged, "
        "current roles counted to the last save."
    )
    def years_of_experience(self) -> float:
        return facts.years_from_days(self.view.row["experience_days"])

    @strawberry.field(description="The title of the role held now, if any.")
    def current_title(self) -> str | None:
        return given(self.view.row["current_title"])

    @strawberry.field(description="The employer of the role held now, if any.")
    def current_employer(self) -> str | None:
        return given(self.view.row["current_employer"])

    @strawberry.field(description="Every skill name and keyword, normalized.")
    def skill_keywords(self) -> list[str]:
        return self.view.row["skill_keywords"]


class ResumeByIdLoader(KeyLoader[int, service.ResumeView]):
    """Resumes the viewer may see, by id; None for the rest."""

    async def load_batch(self, keys: list[int]) -> list[service.ResumeView | None]:
        views = await service.visible_resumes(self.viewer, sorted(set(keys)))
        return [views.get(key) for key in keys]


class FirstResumesByOwnerLoader(
    KeyLoader[tuple[int, int], tuple[Page, dict[int, service.ResumeView]]]
):
    """The first page of each owner's resumes the viewer may see, keyed (owner, page size):
    `Person.resumes` on a page of people costs the same queries as on one person."""

    async def load_batch(
        self, keys: list[tuple[int, int]]
    ) -> list[tuple[Page, dict[int, service.ResumeView]] | None]:
        by_size: dict[int, list[int]] = {}
        for owner_id, size in keys:
            by_size.setdefault(size, []).append(owner_id)
        found = {}
        for size, owners in by_size.items():
            pages = await service.first_resume_pages(self.viewer, sorted(set(owners)), size)
            found.update({(owner_id, size): page for owner_id, page in pages.items()})
        return [found.get(key) for key in keys]


class ExclusionsByOwnerLoader(KeyLoader[int, frozenset[int]]):
    """The organizations each owner hides their resumes from (for the public site's rule)."""

    async def load_batch(self, keys: list[int]) -> list[frozenset[int] | None]:
        found = await service.excluded_organizations(sorted(set(keys)))
        return [frozenset(found.get(key, ())) for key in keys]


class OpenToWorkByOwnerLoader(KeyLoader[int, dict[str, Any]]):
    async def load_batch(self, keys: list[int]) -> list[dict[str, Any] | None]:
        rows = await service.visible_open_to_work(self.viewer, sorted(set(keys)))
        return [rows.get(key) for key in keys]


@strawberry.type(description="What work a person is looking for.")
class OpenToWork:
    titles: list[str]
    locations: list[str]
    workplace_types: list[WorkplaceType]
    employment_types: list[EmploymentType]
    earliest_start: date | None
    audience: OpenToWorkAudience
    updated_at: datetime

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> OpenToWork:
        return cls(
            titles=row["titles"],
            locations=row["locations"],
            workplace_types=[tables.WorkplaceType(v) for v in row["workplace_types"]],
            employment_types=[tables.EmploymentType(v) for v in row["employment_types"]],
            earliest_start=row["earliest_start"],
            audience=tables.OpenToWorkAudience(row["audience"]),
            updated_at=row["updated_at"],
        )


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


def _resume_connection(page: Page, views: dict[int, service.ResumeView]) -> Connection[Resume]:
    """The page's resumes the viewer may see (`views`, by id); the others are left out."""
    page = dataclasses.replace(page, rows=[row for row in page.rows if row["id"] in views])
    return Connection.from_page(page, lambda row: Resume.from_view(views[row["id"]]))


async def open_to_work_of(info: Info, owner_id: int) -> OpenToWork | None:
    row = await info.context.loaders.get(OpenToWorkByOwnerLoader).load(owner_id)
    return OpenToWork.from_row(row) if row else None


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
    titles: list[str] = strawberry.field(
        default_factory=list, description="The job titles you would take."
    )
    locations: list[str] = strawberry.field(
        default_factory=list, description="Where you would work (cities, regions or Remote)."
    )
    workplace_types: list[WorkplaceType] = strawberry.field(
        default_factory=list, description="On site, hybrid, remote: the ones you would take."
    )
    employment_types: list[EmploymentType] = strawberry.field(
        default_factory=list,
        description="Full time, part time, contract…: the ones you would take.",
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

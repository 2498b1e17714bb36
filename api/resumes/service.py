"""Resumes: import, edit, audiences, deletion, open-to-work and exclusion lists.

Who may see a resume is decided here, once (`visible_resumes`), for the GraphQL API, search
hydration and the public site alike:

- the owner always sees everything;
- anyone else needs the resume's audience (`api.people.audience.reaches`) and must not act
  for an organization on the owner's exclusion list; an owner with an exclusion list is
  never shown to anonymous viewers (else the excluded employer need only sign out);
- contact details (email, phone, street address) need, in addition, the owner's contact
  audience from their profile.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import anyio.to_thread
from piccolo.query.methods.select import Select

from api.core.db import write_transaction
from api.core.errors import FieldError, InvalidInput
from api.core.outbox import OutboxAction, record_change, record_person_change
from api.core.pagination import Page, first_pages, paginate
from api.core.prepared import prepared
from api.core.viewer import Viewer
from api.networks.tables import Organization
from api.people.audience import Circle, Reach, circle_of, narrower, reach_to, reaches
from api.people.profiles import contact_audiences, fill_empty_fields
from api.people.tables import Visibility
from api.people.verified import require_verified_for
from api.resumes import facts
from api.resumes.document import (
    SECTIONS,
    ResumeErrorCode,
    profile_fields,
    validate_document,
)
from api.resumes.records import OpenToWorkRecord, ResumeRecord, ResumeView
from api.resumes.tables import (
    EmploymentType,
    OpenToWork,
    OpenToWorkAudience,
    Resume,
    ResumeExclusion,
    WorkplaceType,
)

SEARCH_KIND = "candidates"
MAX_TITLE_LENGTH = 200
MAX_EXCLUSIONS = 50
MAX_PREFERENCES = 20
MAX_PREFERENCE_LENGTH = 120


def _today() -> date:
    return datetime.now(UTC).date()


def load_resume_row(row: dict[str, Any]) -> dict[str, Any]:
    """A resume row with its JSON columns decoded (SQLite hands them over as text), for the
    snapshots applications keep as JSON."""
    for column in ("document", "skill_keywords"):
        if isinstance(row.get(column), str):
            row[column] = json.loads(row[column])
    return row


def derived_columns(document: Mapping[str, Any], today: date | None = None) -> dict[str, Any]:
    """The facts search and filters read, recomputed from the document on every save."""
    today = today or _today()
    work = [entry for entry in document.get("work") or [] if isinstance(entry, dict)]
    role = facts.current_role(work, today)
    basics = document.get("basics") or {}
    location = basics.get("location") or {}
    return {
        "experience_days": facts.experience_days(work, today),
        "current_title": (role.title if role else "")[:300],
        "current_employer": (role.employer if role else "")[:300],
        "skill_keywords": facts.skill_keywords(
            skill for skill in document.get("skills") or [] if isinstance(skill, dict)
        ),
        "city": str(location.get("city") or "")[:120],
        "region": str(location.get("region") or "")[:120],
        "country_code": str(location.get("countryCode") or "")[:2].upper(),
    }


def _not_found() -> InvalidInput:
    return InvalidInput(
        FieldError("id", ResumeErrorCode.NOT_FOUND, "You have no resume with this id.")
    )


def _check_title(title: str | None) -> None:
    if title is not None and len(title) > MAX_TITLE_LENGTH:
        raise InvalidInput(
            FieldError(
                "title",
                ResumeErrorCode.TITLE_TOO_LONG,
                f"Use at most {MAX_TITLE_LENGTH} characters.",
            )
        )


def _document_title(document: Mapping[str, Any]) -> str:
    basics = document.get("basics") or {}
    return str(basics.get("label") or basics.get("name") or "Resume")[:MAX_TITLE_LENGTH]


async def _own_resume(viewer: Viewer, resume_id: int) -> ResumeRecord:
    account_id = viewer.require_account()
    row = (
        await Resume.select()
        .where((Resume.id == resume_id) & (Resume.owner == account_id))
        .output(load_json=True)
        .first()
    )
    if row is None:
        raise _not_found()
    return ResumeRecord.from_row(row)


def _own_view(row: dict[str, Any]) -> ResumeView:
    """A resume as its owner sees it, from the row a write returned."""
    return ResumeView(ResumeRecord.from_row(row), show_contact=True, is_owner=True)


async def _make_sole_primary(owner_id: int, resume_id: int) -> None:
    await Resume.update({Resume.is_primary: False}).where(
        (Resume.owner == owner_id) & (Resume.id != resume_id) & (Resume.is_primary == True)  # noqa: E712
    )


async def import_resume(
    viewer: Viewer,
    document: Any,
    *,
    visibility: Visibility = Visibility.PRIVATE,
    title: str | None = None,
    is_primary: bool | None = None,
) -> ResumeView:
    """Store a JSON Resume document after validating it; an invalid one stores nothing.

    Unless the resume is PRIVATE (until it is shown, see `set_visibility`), its `basics`
    fill the profile fields the person left empty (headline, summary, city, region,
    country, links), so candidates do not show a blank city; what they set themself is
    never overwritten, and email and phone are never copied (they keep the resume's
    contact audience).
    """
    owner_id = viewer.require_account()
    await require_verified_for(viewer, visibility, "visibility")
    # A document may be half a megabyte: the schema check runs off the event loop.
    errors = await anyio.to_thread.run_sync(validate_document, document)
    if errors:
        raise InvalidInput(*errors)
    _check_title(title)
    now = datetime.now(UTC)
    async with write_transaction():
        has_primary = await Resume.exists().where(
            (Resume.owner == owner_id) & (Resume.is_primary == True)  # noqa: E712
        )
        primary = is_primary if is_primary is not None else not has_primary
        [row] = await Resume.insert(
            Resume(
                owner=owner_id,
                title=(title or _document_title(document)).strip(),
                is_primary=primary,
                visibility=visibility.value,
                document=json.dumps(document, ensure_ascii=False),
                created_at=now,
                updated_at=now,
                **_for_storage(derived_columns(document)),
            )
        ).returning(*Resume.all_columns())
        if primary:
            await _make_sole_primary(owner_id, row["id"])
        if visibility is not Visibility.PRIVATE:
            await fill_empty_fields(owner_id, profile_fields(document))
        await record_change(SEARCH_KIND, row["id"], OutboxAction.UPSERT)
    return _own_view(row)


def _for_storage(columns: dict[str, Any]) -> dict[str, Any]:
    return {**columns, "skill_keywords": json.dumps(columns["skill_keywords"], ensure_ascii=False)}


async def update_resume(
    viewer: Viewer,
    resume_id: int,
    *,
    sections: Mapping[str, Any] | None = None,
    title: str | None = None,
    is_primary: bool | None = None,
) -> ResumeView:
    """Replace whole sections (null removes one), retitle, or make the resume primary."""
    resume = await _own_resume(viewer, resume_id)
    _check_title(title)
    if sections is not None and not isinstance(sections, Mapping):
        raise InvalidInput(
            FieldError(
                "sections",
                ResumeErrorCode.INVALID_DOCUMENT,
                'Give the sections as an object, like {"work": [...]}.',
            )
        )
    document = dict(resume.document)
    for name, content in (sections or {}).items():
        if name not in SECTIONS:
            raise InvalidInput(
                FieldError(
                    f"sections.{name}",
                    ResumeErrorCode.UNKNOWN_SECTION,
                    f"{name!r} is not a JSON Resume section; use one of {', '.join(SECTIONS)}.",
                )
            )
        if content is None:
            document.pop(name, None)
        else:
            document[name] = content
    # A document may be half a megabyte: the schema check runs off the event loop.
    errors = await anyio.to_thread.run_sync(validate_document, document)
    if errors:
        raise InvalidInput(*errors)
    values: dict[str, Any] = {
        "document": json.dumps(document, ensure_ascii=False),
        "updated_at": datetime.now(UTC),
        **_for_storage(derived_columns(document)),
    }
    if title is not None:
        values["title"] = title.strip()
    if is_primary is not None:
        values["is_primary"] = is_primary
    async with write_transaction():
        [updated] = (
            await Resume.update(values)
            .where(Resume.id == resume_id)
            .returning(*Resume.all_columns())
        )
        if is_primary:
            await _make_sole_primary(resume.owner, resume_id)
        await record_change(SEARCH_KIND, resume_id, OutboxAction.UPSERT)
    return _own_view(updated)


async def set_visibility(viewer: Viewer, resume_id: int, visibility: Visibility) -> ResumeView:
    """Change who sees the resume; once it is shown beyond its owner, its `basics` fill the
    profile fields left empty (as on import)."""
    resume = await _own_resume(viewer, resume_id)
    await require_verified_for(viewer, visibility, "visibility")
    async with write_transaction():
        [updated] = (
            await Resume.update(
                {Resume.visibility: visibility.value, Resume.updated_at: datetime.now(UTC)}
            )
            .where(Resume.id == resume_id)
            .returning(*Resume.all_columns())
        )
        if visibility is not Visibility.PRIVATE:
            await fill_empty_fields(resume.owner, profile_fields(resume.document))
        await record_change(SEARCH_KIND, resume_id, OutboxAction.UPSERT)
    return _own_view(updated)


async def delete_resume(viewer: Viewer, resume_id: int) -> None:
    """Delete the resume; the outbox row removes it from the search index too."""
    resume = await _own_resume(viewer, resume_id)
    async with write_transaction():
        await Resume.delete().where(Resume.id == resume_id)
        await record_change(SEARCH_KIND, resume_id, OutboxAction.DELETE)
        # The directory shows the person's current employer from their resume.
        await record_person_change(resume.owner)
        if resume.is_primary:
            successor = (
                await Resume.select(Resume.id)
                .where(Resume.owner == resume.owner)
                .order_by(Resume.updated_at, ascending=False)
                .first()
            )
            if successor:
                await Resume.update({Resume.is_primary: True}).where(Resume.id == successor["id"])


@prepared
def _exclusions(owner_ids: list[int]) -> Select:
    return ResumeExclusion.select(ResumeExclusion.account, ResumeExclusion.organization).where(
        ResumeExclusion.account.is_in(owner_ids)
    )


async def excluded_organizations(owner_ids: list[int]) -> dict[int, set[int]]:
    result: dict[int, set[int]] = {owner_id: set() for owner_id in owner_ids}
    if owner_ids:
        for row in await _exclusions(owner_ids):
            result[row["account"]].add(row["organization"])
    return result


def is_excluded(exclusions: set[int] | frozenset[int], circle: Circle) -> bool:
    """Whether an owner's exclusion list keeps their resumes from this viewer: the viewer
    belongs to an excluded organization, or is anonymous while the list is not empty (else
    the excluded employer need only sign out)."""
    if not exclusions:
        return False
    return circle.account_id is None or bool(exclusions & circle.organization_ids)


@dataclass(frozen=True)
class OwnerAccess:
    """What one viewer may see of one owner's resumes."""

    reach: Reach
    excluded: bool
    contact_audience: Visibility

    def sees(self, visibility: Visibility) -> bool:
        if self.reach.is_owner:
            return True
        return not self.excluded and reaches(visibility, self.reach)

    def sees_contact(self, visibility: Visibility) -> bool:
        return self.sees(visibility) and (
            self.reach.is_owner or reaches(narrower(visibility, self.contact_audience), self.reach)
        )


async def owner_access(viewer: Viewer, owner_ids: list[int]) -> dict[int, OwnerAccess]:
    """The viewer's access to each owner's resumes: three queries whatever the count."""
    circle = await circle_of(viewer)
    reach = await reach_to(viewer, owner_ids)
    exclusions = await excluded_organizations(owner_ids)
    contacts = await contact_audiences(owner_ids)
    access = {}
    for owner_id in owner_ids:
        excluded = is_excluded(exclusions.get(owner_id, set()), circle)
        access[owner_id] = OwnerAccess(
            reach=reach[owner_id], excluded=excluded, contact_audience=contacts[owner_id]
        )
    return access


@prepared
def _resumes(resume_ids: list[int]) -> Select:
    # JSON columns as text: `ResumeRecord` decodes the document only when it is asked for.
    return Resume.select().where(Resume.id.is_in(resume_ids))


async def visible_resumes(viewer: Viewer, resume_ids: list[int]) -> dict[int, ResumeView]:
    """The resumes among `resume_ids` the viewer may see, each as they may see it."""
    if not resume_ids:
        return {}
    resumes = [ResumeRecord.from_row(row) for row in await _resumes(resume_ids)]
    access = await owner_access(viewer, sorted({resume.owner for resume in resumes}))
    views = {}
    for resume in resumes:
        owner = access[resume.owner]
        if owner.sees(resume.visibility):
            views[resume.id] = ResumeView(
                resume,
                show_contact=owner.sees_contact(resume.visibility),
                is_owner=owner.reach.is_owner,
            )
    return views


async def resumes_page(
    viewer: Viewer, owner_id: int, *, first: int | None, after: str | None
) -> tuple[Page, dict[int, ResumeView]]:
    """A page of the owner's resumes that the viewer may see, primary first in id order."""
    access = (await owner_access(viewer, [owner_id]))[owner_id]
    allowed = [v for v in Visibility if access.sees(v)]
    if not allowed:
        return Page(rows=[], total_count=0, has_next_page=False, has_previous_page=False), {}
    page = await paginate(
        Resume,
        where=[Resume.owner == owner_id, Resume.visibility.is_in([v.value for v in allowed])],
        first=first,
        after=after,
        columns=[Resume.id],
    )
    views = await visible_resumes(viewer, [row["id"] for row in page.rows])
    return page, views


async def first_resume_pages(
    viewer: Viewer, owner_ids: list[int], size: int
) -> dict[int, tuple[Page, dict[int, ResumeView]]]:
    """`resumes_page` without a cursor for many owners at once (a page of people, each with
    their resumes): a constant number of queries, whatever the number of owners. Owners are
    grouped by the audiences the viewer reaches of theirs (a handful of groups at most)."""
    access = await owner_access(viewer, owner_ids)
    groups: dict[tuple[str, ...], list[int]] = {}
    for owner_id in owner_ids:
        allowed = tuple(v.value for v in Visibility if access[owner_id].sees(v))
        if allowed:
            groups.setdefault(allowed, []).append(owner_id)
    pages: dict[int, Page] = {}
    for allowed, owners in groups.items():
        pages.update(
            await first_pages(
                Resume,
                Resume.owner,
                owners,
                size,
                status=Resume.visibility,
                value=list(allowed),
                columns=[Resume.id, Resume.owner],
            )
        )
    views = await visible_resumes(
        viewer, [row["id"] for page in pages.values() for row in page.rows]
    )
    empty = Page(rows=[], total_count=0, has_next_page=False, has_previous_page=False)
    return {owner_id: (pages.get(owner_id, empty), views) for owner_id in owner_ids}


async def public_resumes_page(
    *, first: int | None, after: str | None
) -> tuple[Page, dict[int, ResumeView]]:
    """A page of the resumes anyone may see, in id order: what the public site shows.

    PUBLIC resumes of owners without an exclusion list (an excluded employer must not see
    them by signing out); each is re-checked through `visible_resumes` all the same.
    """
    page = await paginate(
        Resume,
        where=[
            Resume.visibility == Visibility.PUBLIC.value,
            Resume.owner.not_in(ResumeExclusion.select(ResumeExclusion.account)),
        ],
        first=first,
        after=after,
        columns=[Resume.id],
    )
    views = await visible_resumes(Viewer(), [row["id"] for row in page.rows])
    return page, views


async def set_exclusions(viewer: Viewer, organization_ids: list[int]) -> list[int]:
    """Replace the viewer's exclusion list: these organizations no longer see them."""
    owner_id = viewer.require_account()
    wanted = sorted(set(organization_ids))
    if len(wanted) > MAX_EXCLUSIONS:
        raise InvalidInput(
            FieldError(
                "organizationIds",
                ResumeErrorCode.INVALID_PREFERENCE,
                f"Exclude at most {MAX_EXCLUSIONS} organizations.",
            )
        )
    if wanted:
        known = {
            row["id"]
            for row in await Organization.select(Organization.id).where(
                Organization.id.is_in(wanted)
            )
        }
        unknown = [i for i in wanted if i not in known]
        if unknown:
            raise InvalidInput(
                FieldError(
                    "organizationIds",
                    ResumeErrorCode.UNKNOWN_ORGANIZATION,
                    f"{len(unknown)} of these ids name no organization.",
                )
            )
    async with write_transaction():
        await ResumeExclusion.delete().where(ResumeExclusion.account == owner_id)
        if wanted:
            await ResumeExclusion.insert(
                *[ResumeExclusion(account=owner_id, organization=o) for o in wanted]
            )
        await record_person_change(owner_id)
    return wanted


async def exclusions_of(viewer: Viewer) -> list[int]:
    owner_id = viewer.require_account()
    return sorted((await excluded_organizations([owner_id]))[owner_id])


def _enum_values(field: str, values: list[str], enum: type) -> list[str]:
    try:
        return list(dict.fromkeys(enum(v).value for v in values))
    except ValueError:
        raise InvalidInput(
            FieldError(
                field,
                ResumeErrorCode.INVALID_PREFERENCE,
                f"Use values from {', '.join(e.value for e in enum)}.",
            )
        ) from None


def _text_values(field: str, values: list[str]) -> list[str]:
    cleaned = list(dict.fromkeys(v.strip() for v in values if v and v.strip()))
    if len(cleaned) > MAX_PREFERENCES:
        raise InvalidInput(
            FieldError(
                field, ResumeErrorCode.INVALID_PREFERENCE, f"Give at most {MAX_PREFERENCES}."
            )
        )
    for index, value in enumerate(cleaned):
        if len(value) > MAX_PREFERENCE_LENGTH:
            raise InvalidInput(
                FieldError(
                    f"{field}[{index}]",
                    ResumeErrorCode.INVALID_PREFERENCE,
                    f"Use at most {MAX_PREFERENCE_LENGTH} characters.",
                )
            )
    return cleaned


async def set_open_to_work(
    viewer: Viewer,
    *,
    titles: list[str],
    locations: list[str],
    workplace_types: list[str],
    employment_types: list[str],
    earliest_start: date | None,
    audience: OpenToWorkAudience,
) -> OpenToWorkRecord:
    """Say what work the viewer is open to, and who may see that they are looking."""
    owner_id = viewer.require_account()
    values = {
        "titles": json.dumps(_text_values("titles", titles)),
        "locations": json.dumps(_text_values("locations", locations)),
        "workplace_types": json.dumps(
            _enum_values("workplaceTypes", workplace_types, WorkplaceType)
        ),
        "employment_types": json.dumps(
            _enum_values("employmentTypes", employment_types, EmploymentType)
        ),
        "earliest_start": earliest_start,
        "audience": audience.value,
        "updated_at": datetime.now(UTC),
    }
    async with write_transaction():
        if await OpenToWork.exists().where(OpenToWork.account == owner_id):
            await OpenToWork.update(values).where(OpenToWork.account == owner_id)
        else:
            await OpenToWork.insert(OpenToWork(account=owner_id, **values))
        await record_person_change(owner_id)
    return (await open_to_work_signals([owner_id]))[owner_id]


async def clear_open_to_work(viewer: Viewer) -> bool:
    owner_id = viewer.require_account()
    async with write_transaction():
        deleted = (
            await OpenToWork.delete().where(OpenToWork.account == owner_id).returning(OpenToWork.id)
        )
        await record_person_change(owner_id)
    return bool(deleted)


async def open_to_work_signals(owner_ids: list[int]) -> dict[int, OpenToWorkRecord]:
    if not owner_ids:
        return {}
    rows = (
        await OpenToWork.select().where(OpenToWork.account.is_in(owner_ids)).output(load_json=True)
    )
    return {row["account"]: OpenToWorkRecord.from_row(row) for row in rows}


async def visible_open_to_work(viewer: Viewer, owner_ids: list[int]) -> dict[int, OpenToWorkRecord]:
    """Open-to-work signals the viewer may see: PUBLIC ones, or EMPLOYERS ones to employers
    (and the owner); never to an organization on the owner's exclusion list."""
    rows = await open_to_work_signals(owner_ids)
    if not rows:
        return {}
    access = await owner_access(viewer, list(rows))
    visible = {}
    for owner_id, signal in rows.items():
        owner = access[owner_id]
        if owner.reach.is_owner or (
            not owner.excluded
            and (signal.audience is OpenToWorkAudience.PUBLIC or owner.reach.acts_for_employer)
        ):
            visible[owner_id] = signal
    return visible

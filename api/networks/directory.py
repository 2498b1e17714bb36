"""Member directories: alumni facts, verification, listing and privacy choices, and search.

The privacy matrix is decided here, once (`entry_for`), for the GraphQL directory, the
search documents and the admin export alike. A viewer stands to a directory entry as one of

- SELF: the member themself; sees every field of their own entry;
- ADMIN: an active owner or admin of the organization; sees what members see;
- MEMBER: a fellow active (non-guest) member; sees fields marked MEMBERS or PUBLIC;
- PUBLIC: anyone else, signed in or not, when the organization is public and opened its
  directory (`directoryVisibility: PUBLIC`); sees fields marked PUBLIC.

Each field group has the member's own setting (HIDDEN, MEMBERS, PUBLIC); a field that comes
from elsewhere is never shown wider than its source allows: location, industry and headline
follow the profile's audience, employer and title the primary resume's (PUBLIC stays PUBLIC,
MEMBERS and EMPLOYERS become MEMBERS, CONNECTIONS and PRIVATE become HIDDEN). The name and
the verified badge show to whoever may see the entry. Unlisted members have no entry at all:
not in results, counts, facets or the export, for any viewer.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from api.core.db import write_transaction
from api.core.errors import FieldError, Forbidden, InvalidInput
from api.core.indexing import SearchKind
from api.core.outbox import PEOPLE, OutboxAction, record_change, record_changes
from api.core.pagination import Page, paginate
from api.core.search import Window
from api.core.viewer import Viewer
from api.networks import service as networks
from api.networks.tables import (
    DirectoryVisibility,
    FieldVisibility,
    Membership,
    MembershipRole,
    MembershipStatus,
    Organization,
    Verification,
)
from api.people.audience import circle_of
from api.people.tables import Account, Profile, Visibility
from api.resumes.service import SEARCH_KIND as RESUMES
from api.resumes.service import excluded_organizations, is_excluded
from api.resumes.tables import Resume
from search.directory import DIRECTORY as MEMBERS_SPEC
from search.directory import PUBLIC_DIRECTORY as PUBLIC_SPEC
from search.engine import (
    Filter,
    NoneOf,
    Range,
    SearchRequest,
    Terms,
)

#: The outbox kind of a change to one membership's directory document.
DIRECTORY = "directory"
#: The index kinds: what members see, and what the public sees.
MEMBERS_INDEX = MEMBERS_SPEC.name
PUBLIC_INDEX = PUBLIC_SPEC.name

FIELD_GROUPS = ("email", "phone", "location", "employment", "education")
FACETS = ("classYears", "degrees", "fieldsOfStudy", "locations", "employers", "industries")
MAX_LENGTHS = {"school": 200, "degree": 120, "field_of_study": 200}
EARLIEST_CLASS_YEAR = 1900
#: Class years may lie a few years ahead: current students join their future alumni.
CLASS_YEARS_AHEAD = 8
#: Changing these undoes a verification: it vouched for exactly these facts.
VERIFIED_FACTS = ("school", "degree", "class_year")
MAX_FILTER_VALUES = 50
#: The list filters, by facet name, and the keyword field each matches (class years are a range).
LIST_FILTERS = {
    name: fieldname for name, fieldname in MEMBERS_SPEC.facet_fields.items() if name != "classYears"
}
BATCH_SIZE = 500


class DirectoryErrorCode(Enum):
    NOT_FOUND = "NOT_FOUND"
    TOO_LONG = "TOO_LONG"
    INVALID_CLASS_YEAR = "INVALID_CLASS_YEAR"
    ILLEGAL_TRANSITION = "ILLEGAL_TRANSITION"
    INVALID_QUERY = "INVALID_QUERY"
    INVALID_FILTER = "INVALID_FILTER"
    INVALID_CSV = "INVALID_CSV"
    TOO_MANY_ROWS = "TOO_MANY_ROWS"
    INVALID_CHARACTERS = "INVALID_CHARACTERS"
    EMAIL_NOT_VERIFIED = "EMAIL_NOT_VERIFIED"


class DirectoryRole(Enum):
    SELF = "SELF"
    ADMIN = "ADMIN"
    MEMBER = "MEMBER"
    PUBLIC = "PUBLIC"


_RANK = {FieldVisibility.HIDDEN: 0, FieldVisibility.MEMBERS: 1, FieldVisibility.PUBLIC: 2}
#: The narrowest level each role may see (None: everything).
_AUDIENCE = {
    DirectoryRole.SELF: None,
    DirectoryRole.ADMIN: FieldVisibility.MEMBERS,
    DirectoryRole.MEMBER: FieldVisibility.MEMBERS,
    DirectoryRole.PUBLIC: FieldVisibility.PUBLIC,
}


def source_level(visibility: str | None) -> FieldVisibility:
    """The widest directory level a field may have, given its source's audience."""
    if visibility == Visibility.PUBLIC.value:
        return FieldVisibility.PUBLIC
    if visibility in (Visibility.MEMBERS.value, Visibility.EMPLOYERS.value):
        return FieldVisibility.MEMBERS
    return FieldVisibility.HIDDEN


def narrower(first: FieldVisibility, second: FieldVisibility) -> FieldVisibility:
    return first if _RANK[first] <= _RANK[second] else second


def shown(level: FieldVisibility, role: DirectoryRole) -> bool:
    audience = _AUDIENCE[role]
    return audience is None or _RANK[level] >= _RANK[audience]


def class_year_range() -> tuple[int, int]:
    return EARLIEST_CLASS_YEAR, datetime.now(UTC).year + CLASS_YEARS_AHEAD


def is_listed(membership: Mapping[str, Any]) -> bool:
    """Whether the membership has a directory entry: active, not a guest, and listed."""
    return (
        membership["status"] == MembershipStatus.ACTIVE.value
        and membership["role"] != MembershipRole.GUEST.value
        and bool(membership["listed"])
    )


# What is known about a member, and what one viewer may see of it


@dataclass(frozen=True)
class MemberFacts:
    membership: dict[str, Any]
    name: str
    email: str
    profile: dict[str, Any]
    resume: dict[str, Any] | None
    exclusions: frozenset[int] = frozenset()
    """The organizations on the member's resume exclusion list."""


@dataclass(frozen=True)
class DirectoryEntry:
    """One member as one viewer may see them; None marks a field the viewer may not see."""

    membership_id: int
    organization_id: int
    account_id: int
    role: DirectoryRole
    name: str
    verified: bool
    joined_at: datetime
    headline: str | None
    email: str | None
    phone: str | None
    location: str | None
    #: The location's parts (city, region, ISO country code), for vCards; None when hidden.
    place: tuple[str, str, str] | None
    employer: str | None
    title: str | None
    industry: str | None
    school: str | None
    degree: str | None
    field_of_study: str | None
    class_year: int | None
    highlights: dict[str, str] = field(default_factory=dict)


def _location(profile: Mapping[str, Any]) -> str:
    parts = (profile.get("city"), profile.get("region"), profile.get("country_code"))
    return ", ".join(str(part) for part in parts if part)


def _place(profile: Mapping[str, Any]) -> tuple[str, str, str]:
    return (
        str(profile.get("city") or ""),
        str(profile.get("region") or ""),
        str(profile.get("country_code") or ""),
    )


def entry_for(
    facts: MemberFacts, role: DirectoryRole, *, excluded: bool | None = None
) -> DirectoryEntry:
    """The privacy matrix: what `role` sees of this member's entry.

    Employer and title come from the member's resumes, so the resume exclusion list governs
    them as it governs candidate search: `excluded` says whether it keeps them from this
    viewer. Left None (an index document or an export, read by many viewers at once), any
    exclusion list hides them: such a view cannot tell who reads it.
    """
    membership, profile, resume = facts.membership, facts.profile, facts.resume
    if excluded is None:
        excluded = bool(facts.exclusions)
    if role is DirectoryRole.SELF:
        excluded = False
    setting = {group: FieldVisibility(membership[f"{group}_visibility"]) for group in FIELD_GROUPS}
    profile_level = source_level(profile.get("visibility"))
    resume_level = source_level(resume["visibility"] if resume else None)

    def show(level: FieldVisibility) -> bool:
        return shown(level, role)

    employment = (
        FieldVisibility.HIDDEN if excluded else narrower(setting["employment"], resume_level)
    )
    industry = narrower(setting["employment"], profile_level)
    location = narrower(setting["location"], profile_level)
    education = show(setting["education"])
    return DirectoryEntry(
        membership_id=membership["id"],
        organization_id=membership["organization"],
        account_id=membership["account"],
        role=role,
        name=facts.name,
        verified=membership["verification"] == Verification.VERIFIED.value,
        joined_at=membership["created_at"],
        headline=(profile.get("headline") or "") if show(profile_level) else None,
        email=(profile.get("email") or facts.email) if show(setting["email"]) else None,
        phone=(profile.get("phone") or "") if show(setting["phone"]) else None,
        location=_location(profile) if show(location) else None,
        place=_place(profile) if show(location) else None,
        employer=((resume or {}).get("current_employer") or "") if show(employment) else None,
        title=((resume or {}).get("current_title") or "") if show(employment) else None,
        industry=(profile.get("industry") or "") if show(industry) else None,
        school=membership["school"] if education else None,
        degree=membership["degree"] if education else None,
        field_of_study=membership["field_of_study"] if education else None,
        class_year=membership["class_year"] if education else None,
    )


def _primary_resumes(rows: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Each owner's primary resume, or their most recently updated one."""
    best: dict[int, dict[str, Any]] = {}
    for row in rows:
        current = best.get(row["owner"])
        if current is None or (row["is_primary"], row["updated_at"]) > (
            current["is_primary"],
            current["updated_at"],
        ):
            best[row["owner"]] = row
    return best


async def member_facts(membership_ids: list[int]) -> dict[int, MemberFacts]:
    """What the directory knows of these memberships, in five queries whatever their number."""
    if not membership_ids:
        return {}
    memberships = await Membership.select().where(Membership.id.is_in(sorted(membership_ids)))
    if not memberships:
        return {}
    owners = sorted({row["account"] for row in memberships})
    accounts = {
        row["id"]: row
        for row in await Account.select(Account.id, Account.name, Account.email).where(
            Account.id.is_in(owners)
        )
    }
    profiles = {
        row["account"]: row
        for row in await Profile.select(
            Profile.account,
            Profile.headline,
            Profile.city,
            Profile.region,
            Profile.country_code,
            Profile.industry,
            Profile.email,
            Profile.phone,
            Profile.visibility,
        ).where(Profile.account.is_in(owners))
    }
    resumes = _primary_resumes(
        await Resume.select(
            Resume.id,
            Resume.owner,
            Resume.is_primary,
            Resume.visibility,
            Resume.current_employer,
            Resume.current_title,
            Resume.updated_at,
        ).where(Resume.owner.is_in(owners))
    )
    exclusions = await excluded_organizations(owners)
    found = {}
    for row in memberships:
        account = accounts.get(row["account"])
        if account is None:
            continue
        found[row["id"]] = MemberFacts(
            membership=row,
            name=account["name"],
            email=account["email"],
            # No saved profile: the profile's defaults (a public profile with nothing in it).
            profile=profiles.get(row["account"], {"visibility": Visibility.PUBLIC.value}),
            resume=resumes.get(row["account"]),
            exclusions=frozenset(exclusions.get(row["account"], ())),
        )
    return found


# Who the viewer is to a directory


async def viewer_role(viewer: Viewer, organization: Mapping[str, Any]) -> DirectoryRole | None:
    """The viewer's role in the organization's directory; None when they may not browse it."""
    circle = await circle_of(viewer)
    if circle.is_admin_of(organization["id"]):
        return DirectoryRole.ADMIN
    if circle.is_member_of(organization["id"]):
        return DirectoryRole.MEMBER
    if (
        organization["is_public"]
        and organization["directory_visibility"] == DirectoryVisibility.PUBLIC.value
    ):
        return DirectoryRole.PUBLIC
    return None


async def require_browser(viewer: Viewer, organization_id: int) -> tuple[dict, DirectoryRole]:
    """The organization and the viewer's role in its directory, or why they may not browse."""
    found = await networks.organization(organization_id)
    circle = await circle_of(viewer)
    if found is None or not networks.may_see_organization(found, circle.organization_ids):
        raise InvalidInput(
            FieldError(
                "organizationId", DirectoryErrorCode.NOT_FOUND, "No organization has this id."
            )
        )
    role = await viewer_role(viewer, found)
    if role is None:
        viewer.require_account()
        raise Forbidden("Only the organization's active members may browse its directory.")
    return found, role


async def entries_for(viewer: Viewer, membership_ids: list[int]) -> dict[int, DirectoryEntry]:
    """The directory entries among these memberships the viewer may see, re-checked here."""
    facts = await member_facts(membership_ids)
    circle = await circle_of(viewer)
    organization_ids = sorted({f.membership["organization"] for f in facts.values()})
    organizations = {
        row["id"]: row for row in await networks.organizations_by_ids(organization_ids)
    }
    entries = {}
    for membership_id, fact in facts.items():
        organization = organizations.get(fact.membership["organization"])
        if organization is None or not is_listed(fact.membership):
            continue
        if fact.membership["account"] in circle.blocked_by_ids:
            continue
        role = await viewer_role(viewer, organization)
        if role is None:
            continue
        if fact.membership["account"] == viewer.account_id:
            role = DirectoryRole.SELF
        entries[membership_id] = entry_for(
            fact, role, excluded=is_excluded(fact.exclusions, circle)
        )
    return entries


# Search


@dataclass(frozen=True)
class DirectoryFilter:
    """Filters on a directory; lists match case- and accent-insensitively."""

    class_year_min: int | None = None
    class_year_max: int | None = None
    schools: tuple[str, ...] = ()
    degrees: tuple[str, ...] = ()
    fields_of_study: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    employers: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    verified_only: bool = False


def directory_filters(organization_id: int, wanted: DirectoryFilter) -> list[Filter]:
    errors = []
    low, high = wanted.class_year_min, wanted.class_year_max
    if low is not None and high is not None and low > high:
        errors.append(
            FieldError(
                "filter.classYearMin",
                DirectoryErrorCode.INVALID_FILTER,
                "The earliest class year comes after the latest.",
            )
        )
    lists = {name: getattr(wanted, _snake(name)) for name in LIST_FILTERS}
    for name, values in lists.items():
        if len(values) > MAX_FILTER_VALUES:
            errors.append(
                FieldError(
                    f"filter.{name}",
                    DirectoryErrorCode.INVALID_FILTER,
                    f"Give at most {MAX_FILTER_VALUES} values.",
                )
            )
    if errors:
        raise InvalidInput(*errors)
    filters: list[Filter] = [Terms("organization", (str(organization_id),))]
    for name, values in lists.items():
        cleaned = tuple(v.strip() for v in values if v.strip())
        if cleaned:
            filters.append(Terms(LIST_FILTERS[name], cleaned))
    if low is not None or high is not None:
        # 0 stands for "no class year (visible)": a range never includes it.
        filters.append(Range("class_year", max(1, low or 1), high))
    if wanted.verified_only:
        filters.append(Terms("verified", ("1",)))
    return filters


async def directory_search_request(
    viewer: Viewer,
    organization_id: int,
    *,
    query: str | None,
    wanted: DirectoryFilter,
    window: Window,
) -> tuple[str, SearchRequest]:
    """The index the viewer's audience reads (members' or public) and what it is asked.

    The caller hydrates the hits through `entries_for` (a DataLoader), which re-checks every
    entry against the database.
    """
    _, role = await require_browser(viewer, organization_id)
    filters = directory_filters(organization_id, wanted)
    circle = await circle_of(viewer)
    if circle.blocked_by_ids:
        # Whoever blocked the viewer is out of every audience: not listed, not counted.
        blockers = tuple(str(b) for b in sorted(circle.blocked_by_ids))
        filters.append(NoneOf((Terms("person", blockers),)))
    request = SearchRequest(
        query=(query or "").strip() or None,
        filters=tuple(filters),
        offset=window.offset,
        limit=window.limit,
        facets=FACETS,
        autocorrect=True,
    )
    return (PUBLIC_INDEX if role is DirectoryRole.PUBLIC else MEMBERS_INDEX), request


#: Which entry field each highlighted index field shows; a hidden field loses its highlight.
HIGHLIGHT_SOURCES = {
    "name": "name",
    "headline": "headline",
    "title": "title",
    "employer": "employer",
    "education": "school",
    "place": "location",
}


def highlight_shown(entry: DirectoryEntry) -> Callable[[str], bool]:
    """Whether a highlighted index field shows in this entry (its field is not hidden)."""
    return lambda name: getattr(entry, HIGHLIGHT_SOURCES.get(name, "email"), None) is not None


# Index documents (see search.directory)


def directory_document(facts: MemberFacts, role: DirectoryRole) -> dict[str, Any]:
    entry = entry_for(facts, role)
    return {
        "id": str(entry.membership_id),
        "organization": str(entry.organization_id),
        "person": str(entry.account_id),
        "verified": entry.verified,
        "name": entry.name,
        "headline": entry.headline or "",
        "school": entry.school or "",
        "degree": entry.degree or "",
        "field_of_study": entry.field_of_study or "",
        "class_year": entry.class_year or 0,
        "location": entry.location or "",
        "employer": entry.employer or "",
        "title": entry.title or "",
        "industry": entry.industry or "",
        "joined": entry.joined_at.timestamp(),
    }


async def _documents(membership_ids: list[int], role: DirectoryRole) -> dict[int, dict[str, Any]]:
    facts = await member_facts(membership_ids)
    return {
        membership_id: directory_document(fact, role)
        for membership_id, fact in facts.items()
        if is_listed(fact.membership)
    }


async def member_documents(membership_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Documents for the members' index: what fellow members see."""
    return await _documents(membership_ids, DirectoryRole.MEMBER)


async def public_documents(membership_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Documents for the public index: what anyone sees of an open directory."""
    return await _documents(membership_ids, DirectoryRole.PUBLIC)


def _listed_condition() -> Any:
    return (
        (Membership.status == MembershipStatus.ACTIVE.value)
        & (Membership.role != MembershipRole.GUEST.value)
        & (Membership.listed == True)  # noqa: E712
    )


async def listed_membership_ids(
    *, organization_id: int | None = None, after: int = 0, limit: int = BATCH_SIZE
) -> list[int]:
    query = Membership.select(Membership.id).where(_listed_condition() & (Membership.id > after))
    if organization_id is not None:
        query = query.where(Membership.organization == organization_id)
    return [row["id"] for row in await query.order_by(Membership.id).limit(limit)]


def batches_of(role: DirectoryRole) -> Any:
    async def batches() -> AsyncIterator[list[dict[str, Any]]]:
        last_id = 0
        while ids := await listed_membership_ids(after=last_id):
            documents = await _documents(ids, role)
            yield [documents[i] for i in ids if i in documents]
            last_id = ids[-1]

    return batches


async def listed_count() -> int:
    return await Membership.count().where(_listed_condition())


async def memberships_of_people(account_ids: list[int]) -> list[int]:
    """The memberships a person's change touches (name, headline, profile, leaving...)."""
    if not account_ids:
        return []
    rows = await Membership.select(Membership.id).where(Membership.account.is_in(account_ids))
    return [row["id"] for row in rows]


async def memberships_of_resumes(resume_ids: list[int]) -> list[int]:
    """The memberships of the resumes' owners (employer and title come from resumes)."""
    if not resume_ids:
        return []
    owners = await Resume.select(Resume.owner).where(Resume.id.is_in(resume_ids))
    return await memberships_of_people(sorted({row["owner"] for row in owners}))


async def same_memberships(membership_ids: list[int]) -> list[int]:
    return membership_ids


def search_kinds() -> list[SearchKind]:
    """The two directory indexes: what members see, and what the public sees.

    Both re-read a membership when it changes (outbox kind `directory`), when its person
    changes (name, profile, memberships: `people`) and when their resumes change.
    """
    follows = {
        DIRECTORY: same_memberships,
        PEOPLE: memberships_of_people,
        RESUMES: memberships_of_resumes,
    }
    return [
        SearchKind(
            name=MEMBERS_INDEX,
            spec=MEMBERS_SPEC,
            load=member_documents,
            batches=batches_of(DirectoryRole.MEMBER),
            count=listed_count,
            follows=follows,
        ),
        SearchKind(
            name=PUBLIC_INDEX,
            spec=PUBLIC_SPEC,
            load=public_documents,
            batches=batches_of(DirectoryRole.PUBLIC),
            count=listed_count,
            follows=follows,
        ),
    ]


async def record_directory_changes(membership_ids: list[int]) -> None:
    """Outbox rows for many memberships (inside the write transaction)."""
    await record_changes(DIRECTORY, membership_ids, OutboxAction.UPSERT)


# What members and admins change


async def _own_membership(viewer: Viewer, membership_id: int) -> dict[str, Any]:
    row = await networks.own_membership(viewer, membership_id)
    if row is None:
        raise InvalidInput(
            FieldError("membershipId", DirectoryErrorCode.NOT_FOUND, "No membership has this id.")
        )
    if row["status"] in (
        MembershipStatus.DECLINED.value,
        MembershipStatus.LEFT.value,
        MembershipStatus.REMOVED.value,
    ):
        raise InvalidInput(
            FieldError(
                "membershipId",
                DirectoryErrorCode.ILLEGAL_TRANSITION,
                f"Cannot edit a membership that is {row['status'].lower()}.",
            )
        )
    return row


def alumni_errors(values: Mapping[str, Any]) -> list[FieldError]:
    errors = []
    for name, limit in MAX_LENGTHS.items():
        if len(values.get(name) or "") > limit:
            errors.append(
                FieldError(
                    _camel(name),
                    DirectoryErrorCode.TOO_LONG,
                    f"Use at most {limit} characters.",
                )
            )
    year = values.get("class_year")
    earliest, latest = class_year_range()
    if year is not None and not earliest <= year <= latest:
        errors.append(
            FieldError(
                "classYear",
                DirectoryErrorCode.INVALID_CLASS_YEAR,
                f"Give a class year between {earliest} and {latest}.",
            )
        )
    return errors


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


async def update_alumni_facts(
    viewer: Viewer, membership_id: int, changes: Mapping[str, Any]
) -> dict[str, Any]:
    """A member states their school, degree, field of study and class year.

    Changing the school, degree or class year of a VERIFIED membership makes it UNVERIFIED
    again (the verification vouched for those facts); the field of study does not.
    """
    row = await _own_membership(viewer, membership_id)
    values: dict[str, Any] = {}
    for name in ("school", "degree", "field_of_study"):
        if name in changes:
            values[name] = (changes[name] or "").strip()
    if "class_year" in changes:
        values["class_year"] = changes["class_year"]
    errors = alumni_errors(values)
    if errors:
        raise InvalidInput(*errors)
    changed = {name for name, value in values.items() if row[name] != value}
    if row["verification"] == Verification.VERIFIED.value and changed & set(VERIFIED_FACTS):
        values.update(
            verification=Verification.UNVERIFIED.value, verified_by=None, verified_at=None
        )
    return await _save(row, values)


async def update_directory_listing(
    viewer: Viewer, membership_id: int, changes: Mapping[str, Any]
) -> dict[str, Any]:
    """A member chooses whether they are listed and who sees each group of fields."""
    row = await _own_membership(viewer, membership_id)
    values: dict[str, Any] = {}
    if changes.get("listed") is not None:
        values["listed"] = bool(changes["listed"])
    for group in FIELD_GROUPS:
        level = changes.get(f"{group}_visibility")
        if level is not None:
            values[f"{group}_visibility"] = FieldVisibility(level).value
    return await _save(row, values)


async def _save(row: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    if not values:
        return row
    async with write_transaction():
        updated = await networks.update_membership(row, values)
        await record_change(DIRECTORY, row["id"], OutboxAction.UPSERT)
    return updated


def _illegal(message: str) -> InvalidInput:
    return InvalidInput(FieldError("membershipId", DirectoryErrorCode.ILLEGAL_TRANSITION, message))


async def verify_member(viewer: Viewer, membership_id: int) -> dict[str, Any]:
    """An admin vouches for an active member's alumni facts (UNVERIFIED -> VERIFIED)."""
    row = await networks.administered_membership(viewer, membership_id, DirectoryErrorCode)
    if row["status"] != MembershipStatus.ACTIVE.value:
        raise _illegal(f"Only active members are verified; this one is {row['status'].lower()}.")
    if row["verification"] == Verification.VERIFIED.value:
        raise _illegal("This member is already verified.")
    return await _save(
        row,
        {
            "verification": Verification.VERIFIED.value,
            "verified_by": viewer.account_id,
            "verified_at": datetime.now(UTC),
        },
    )


async def unverify_member(viewer: Viewer, membership_id: int) -> dict[str, Any]:
    """An admin withdraws a verification (VERIFIED -> UNVERIFIED)."""
    row = await networks.administered_membership(viewer, membership_id, DirectoryErrorCode)
    if row["verification"] != Verification.VERIFIED.value:
        raise _illegal("This member is not verified.")
    return await _save(
        row,
        {"verification": Verification.UNVERIFIED.value, "verified_by": None, "verified_at": None},
    )


async def organization_members(
    viewer: Viewer,
    organization_id: int,
    *,
    status: MembershipStatus | None,
    verification: Verification | None,
    first: int | None,
    after: str | None,
) -> Page:
    """Admins: the organization's memberships (all fields, whatever the directory shows)."""
    await networks.require_admin(viewer, organization_id)
    where = [Membership.organization == organization_id]
    if status is not None:
        where.append(Membership.status == status.value)
    if verification is not None:
        where.append(Membership.verification == verification.value)
    return await paginate(Membership, where=where, first=first, after=after)


async def export_entries(viewer: Viewer, organization_slug: str) -> tuple[dict, list]:
    """Admins: every listed member as a fellow member sees them, ordered by name.

    The export honors every privacy choice: unlisted members are absent and fields their
    owner hid from members are blank, for the admin's own entry too.
    """
    organization = await Organization.select().where(Organization.slug == organization_slug).first()
    if organization is None:
        raise InvalidInput(
            FieldError("slug", DirectoryErrorCode.NOT_FOUND, "No organization has this slug.")
        )
    await networks.require_admin(viewer, organization["id"])
    entries: list[DirectoryEntry] = []
    last_id = 0
    while ids := await listed_membership_ids(organization_id=organization["id"], after=last_id):
        facts = await member_facts(ids)
        # `listed_membership_ids` chose listed members only.
        entries.extend(entry_for(facts[i], DirectoryRole.ADMIN) for i in ids if i in facts)
        last_id = ids[-1]
    entries.sort(key=lambda entry: (entry.name.casefold(), entry.membership_id))
    return organization, entries

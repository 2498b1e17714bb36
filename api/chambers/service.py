"""Member businesses of chambers: applying, deciding, leaving; who counts as a member.

A chamber (an organization of kind CHAMBER_OF_COMMERCE or PROFESSIONAL_ASSOCIATION) has two
kinds of members: people, through ordinary memberships, and businesses, which are
organizations themselves, through the business memberships kept here (perks are in
`perks.py`, the directory in `directory.py`). Lifecycle (`BUSINESS_MEMBERSHIPS`: each arrow
one verb; anything else is an `InvalidInput` with code ILLEGAL_TRANSITION naming the state):

    (none), DECLINED, LEFT --apply (business admin)--> REQUESTED
    REQUESTED --approve (chamber admin)--> ACTIVE
    REQUESTED --decline (chamber admin)--> DECLINED
    ACTIVE --remove (chamber admin)--> REMOVED      (final: the business cannot re-apply)
    ACTIVE --leave (business admin)--> LEFT

A person is a *chamber member* when they are an active, non-guest member of the chamber
itself or of a business whose business membership in the chamber is ACTIVE.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any, Literal

from api.chambers.records import BusinessMembershipRecord, ListedOrganization
from api.chambers.tables import BusinessCategory, BusinessMembership, BusinessMembershipStatus
from api.core.db import write_transaction
from api.core.errors import BadUserInput, FieldError, Forbidden, InvalidInput, Unauthenticated
from api.core.lifecycle import Lifecycle, Move
from api.core.pagination import Page, paginate
from api.core.viewer import Viewer
from api.networks import service as networks
from api.networks.tables import Organization, OrganizationKind
from api.people.audience import circle_of

CHAMBER_KINDS = (
    OrganizationKind.CHAMBER_OF_COMMERCE.value,
    OrganizationKind.PROFESSIONAL_ASSOCIATION.value,
)
MAX_BLURB_LENGTH = 280


class ChamberErrorCode(Enum):
    NOT_FOUND = "NOT_FOUND"
    NOT_A_CHAMBER = "NOT_A_CHAMBER"
    SAME_ORGANIZATION = "SAME_ORGANIZATION"
    ALREADY_MEMBER = "ALREADY_MEMBER"
    ILLEGAL_TRANSITION = "ILLEGAL_TRANSITION"
    NOT_A_MEMBER_BUSINESS = "NOT_A_MEMBER_BUSINESS"
    INVALID = "INVALID"
    REDEMPTION_REQUIRED = "REDEMPTION_REQUIRED"
    INVALID_WINDOW = "INVALID_WINDOW"
    INVALID_CHARACTERS = "INVALID_CHARACTERS"


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """Perks run by calendar day, in UTC."""
    return now().date()


# -- what the viewer is to organizations, read once per request --------------------------


async def administered_organization_ids(viewer: Viewer) -> frozenset[int]:
    """Organizations the viewer is an active OWNER or ADMIN of (from the viewer's circle)."""
    return (await circle_of(viewer)).administered_ids


async def chamber_member_flags(viewer: Viewer, chamber_ids: Iterable[int]) -> dict[int, bool]:
    """For each chamber, whether the viewer counts as its member (directly or via a business)."""
    wanted = set(chamber_ids)
    circle = await circle_of(viewer)
    direct = {chamber_id for chamber_id in wanted if circle.is_member_of(chamber_id)}
    through_business: set[int] = set()
    undecided = [chamber_id for chamber_id in wanted if chamber_id not in direct]
    if undecided and circle.organization_ids:
        rows = await BusinessMembership.select(BusinessMembership.chamber).where(
            BusinessMembership.chamber.is_in(undecided)
            & (BusinessMembership.status == BusinessMembershipStatus.ACTIVE.value)
            & BusinessMembership.business.is_in(sorted(circle.organization_ids))
        )
        through_business = {row["chamber"] for row in rows}
    return {chamber_id: chamber_id in direct | through_business for chamber_id in wanted}


async def is_chamber_member(viewer: Viewer, chamber_id: int) -> bool:
    return (await chamber_member_flags(viewer, [chamber_id]))[chamber_id]


def may_see_directory(chamber: dict[str, Any], is_member: bool) -> bool:
    """A public chamber shows its directory and perk list to anyone; a private one to members."""
    return bool(chamber["is_public"]) or is_member


async def chamber_argument(chamber_id: int) -> dict[str, Any]:
    """The chamber a query names; a client error when the id is no chamber's."""
    chamber = await networks.organization(chamber_id)
    if chamber is None or chamber["kind"] not in CHAMBER_KINDS:
        raise BadUserInput("`chamberId` is no chamber's id.", argument="chamberId")
    return chamber


async def visible_chamber(viewer: Viewer, chamber_id: int) -> dict[str, Any]:
    """The chamber whose directory the viewer asks for; an error saying why they may not."""
    chamber = await chamber_argument(chamber_id)
    if not may_see_directory(chamber, await is_chamber_member(viewer, chamber_id)):
        if viewer.account_id is None:
            raise Unauthenticated("This chamber shows its directory to members: sign in.")
        raise Forbidden("This chamber shows its directory to its members only.")
    return chamber


async def active_business_ids(chamber_ids: Iterable[int]) -> dict[int, set[int]]:
    """Each chamber's businesses with an ACTIVE business membership."""
    wanted = sorted(set(chamber_ids))
    result: dict[int, set[int]] = {chamber_id: set() for chamber_id in wanted}
    if not wanted:
        return result
    rows = await BusinessMembership.select(
        BusinessMembership.chamber, BusinessMembership.business
    ).where(
        BusinessMembership.chamber.is_in(wanted)
        & (BusinessMembership.status == BusinessMembershipStatus.ACTIVE.value)
    )
    for row in rows:
        result[row["chamber"]].add(row["business"])
    return result


# -- the business membership lifecycle ---------------------------------------------------


def chamber_error(field: str | None, code: ChamberErrorCode, message: str) -> InvalidInput:
    """A userError of the chambers' (business memberships and perks) codes."""
    return InvalidInput(FieldError(field, code, message))


BUSINESS_MEMBERSHIPS: Lifecycle[BusinessMembershipStatus] = Lifecycle(
    BusinessMembership,
    noun="business membership",
    field="businessMembershipId",
    code=ChamberErrorCode.ILLEGAL_TRANSITION,
    moves=[
        Move(
            "apply",
            {BusinessMembershipStatus.DECLINED, BusinessMembershipStatus.LEFT},
            BusinessMembershipStatus.REQUESTED,
        ),
        Move("approve", {BusinessMembershipStatus.REQUESTED}, BusinessMembershipStatus.ACTIVE),
        Move("decline", {BusinessMembershipStatus.REQUESTED}, BusinessMembershipStatus.DECLINED),
        Move("remove", {BusinessMembershipStatus.ACTIVE}, BusinessMembershipStatus.REMOVED),
        Move("leave", {BusinessMembershipStatus.ACTIVE}, BusinessMembershipStatus.LEFT),
        # A listing changes in place: the row keeps the status it was read in.
        Move(
            "change the listing of",
            {BusinessMembershipStatus.REQUESTED, BusinessMembershipStatus.ACTIVE},
        ),
    ],
)
#: While a business is listed (or asks to be), it may change its listing.
LISTED = (BusinessMembershipStatus.REQUESTED, BusinessMembershipStatus.ACTIVE)


async def chamber_for(chamber_id: int, field: str = "chamberId") -> dict[str, Any]:
    chamber = await networks.organization(chamber_id)
    if chamber is None:
        raise chamber_error(field, ChamberErrorCode.NOT_FOUND, "No organization has this id.")
    if chamber["kind"] not in CHAMBER_KINDS:
        raise chamber_error(
            field,
            ChamberErrorCode.NOT_A_CHAMBER,
            "Only chambers of commerce and professional associations have member businesses.",
        )
    return chamber


async def require_admin_of_organization(viewer: Viewer, organization_id: int, field: str) -> None:
    """The viewer administers the organization an input names (NOT_FOUND when none has the
    id, FORBIDDEN when they do not administer it)."""
    if await networks.organization(organization_id) is None:
        raise chamber_error(field, ChamberErrorCode.NOT_FOUND, "No organization has this id.")
    await networks.require_admin(viewer, organization_id)


def _blurb(blurb: str) -> str:
    blurb = blurb.strip()
    if len(blurb) > MAX_BLURB_LENGTH:
        message = f"Keep the blurb to {MAX_BLURB_LENGTH} characters."
        raise chamber_error("blurb", ChamberErrorCode.INVALID, message)
    return blurb


async def apply_for_business_membership(
    viewer: Viewer,
    chamber_id: int,
    business_id: int,
    *,
    category: BusinessCategory,
    blurb: str = "",
) -> BusinessMembershipRecord:
    """A business's owner or admin asks for the business to join a chamber (-> REQUESTED).

    Business memberships always wait for the chamber's decision, whatever its join policy
    for people: a listing in the directory speaks for the chamber.
    """
    account_id = viewer.require_account()
    await require_admin_of_organization(viewer, business_id, "businessId")
    await chamber_for(chamber_id)
    if business_id == chamber_id:
        raise chamber_error(
            "businessId",
            ChamberErrorCode.SAME_ORGANIZATION,
            "A chamber cannot be a member business of itself.",
        )
    values = {
        "category": category.value,
        "blurb": _blurb(blurb),
        "requested_by": account_id,
        "decided_by": None,
        "updated_at": now(),
    }
    async with write_transaction():
        existing = await business_membership_of(chamber_id, business_id)
        if existing is None:
            [row] = await BusinessMembership.insert(
                BusinessMembership(
                    chamber=chamber_id,
                    business=business_id,
                    status=BusinessMembershipStatus.REQUESTED.value,
                    **values,
                )
            ).returning(*BusinessMembership.all_columns())
            return BusinessMembershipRecord.from_row(row)
        if existing.status in LISTED:
            raise chamber_error(
                "businessId",
                ChamberErrorCode.ALREADY_MEMBER,
                f"This business's membership here is already {existing.status.value.lower()}.",
            )
        if existing.status is BusinessMembershipStatus.REMOVED:
            raise chamber_error(
                "businessId",
                ChamberErrorCode.ILLEGAL_TRANSITION,
                "Cannot apply again: the chamber removed this business.",
            )
        row = await BUSINESS_MEMBERSHIPS.apply(
            "apply", existing.id, values=values, field="businessId"
        )
        return BusinessMembershipRecord.from_row(row)


async def business_membership_of(
    chamber_id: int, business_id: int
) -> BusinessMembershipRecord | None:
    found = await business_memberships_by_pairs([(chamber_id, business_id)])
    return found.get((chamber_id, business_id))


async def _managed(
    viewer: Viewer, membership_id: int, *, by_business: bool
) -> BusinessMembershipRecord:
    """The business membership an input names, once the viewer is shown to administer its
    business (`by_business`) or its chamber."""
    row = await BusinessMembership.select().where(BusinessMembership.id == membership_id).first()
    if row is None:
        viewer.require_account()
        raise chamber_error(
            "businessMembershipId",
            ChamberErrorCode.NOT_FOUND,
            "No business membership has this id.",
        )
    membership = BusinessMembershipRecord.from_row(row)
    await networks.require_admin(viewer, membership.business if by_business else membership.chamber)
    return membership


MembershipVerb = Literal["approve", "decline", "remove", "leave"]


async def move_business_membership(
    viewer: Viewer, verb: MembershipVerb, membership_id: int
) -> BusinessMembershipRecord:
    """Approve, decline or remove (the chamber's owner or admin) or leave (the business's) a
    business membership, as the lifecycle above allows."""
    by_business = verb == "leave"
    await _managed(viewer, membership_id, by_business=by_business)
    values: dict[Any, Any] = {BusinessMembership.updated_at: now()}
    if not by_business:
        values[BusinessMembership.decided_by] = viewer.account_id
    row = await BUSINESS_MEMBERSHIPS.apply(verb, membership_id, values=values)
    return BusinessMembershipRecord.from_row(row)


async def update_business_listing(
    viewer: Viewer,
    membership_id: int,
    *,
    category: BusinessCategory | None = None,
    blurb: str | None = None,
) -> BusinessMembershipRecord:
    """The business's owner or admin changes its listing (while REQUESTED or ACTIVE)."""
    membership = await _managed(viewer, membership_id, by_business=True)
    verb = "change the listing of"
    BUSINESS_MEMBERSHIPS.check(verb, membership.status.value)
    changes = {
        BusinessMembership.category: (category or membership.category).value,
        BusinessMembership.blurb: membership.blurb if blurb is None else _blurb(blurb),
        BusinessMembership.updated_at: now(),
    }
    # Compare-and-set from the status it was read in: a listing change must not land on a
    # membership the chamber removed (or approved) meanwhile.
    row = await BUSINESS_MEMBERSHIPS.apply(
        verb,
        membership_id,
        to=membership.status,
        values=changes,
        where=BusinessMembership.status == membership.status.value,
    )
    return BusinessMembershipRecord.from_row(row)


# -- reading business memberships --------------------------------------------------------


async def business_memberships_by_ids(
    viewer: Viewer, ids: list[int]
) -> dict[int, BusinessMembershipRecord]:
    """The business memberships the viewer may see: every state to the chamber's and the
    business's admins; ACTIVE ones to whoever may see the chamber's directory."""
    if not ids:
        return {}
    rows = await BusinessMembership.select().where(BusinessMembership.id.is_in(ids))
    memberships = [BusinessMembershipRecord.from_row(row) for row in rows]
    administered = await administered_organization_ids(viewer)
    chambers = {
        row["id"]: row
        for row in await networks.organizations_by_ids(sorted({m.chamber for m in memberships}))
    }
    members = await chamber_member_flags(viewer, chambers)
    return {
        membership.id: membership
        for membership in memberships
        if membership.chamber in administered
        or membership.business in administered
        or (
            membership.status is BusinessMembershipStatus.ACTIVE
            and may_see_directory(chambers[membership.chamber], members[membership.chamber])
        )
    }


async def business_memberships_by_pairs(
    pairs: list[tuple[int, int]],
) -> dict[tuple[int, int], BusinessMembershipRecord]:
    """Business memberships by (chamber, business), whatever their status."""
    if not pairs:
        return {}
    rows = await BusinessMembership.select().where(
        BusinessMembership.chamber.is_in(sorted({chamber for chamber, _ in pairs}))
        & BusinessMembership.business.is_in(sorted({business for _, business in pairs}))
    )
    return {
        (row["chamber"], row["business"]): BusinessMembershipRecord.from_row(row) for row in rows
    }


async def list_business_memberships(
    viewer: Viewer,
    *,
    chamber_id: int | None,
    business_id: int | None,
    statuses: tuple[BusinessMembershipStatus, ...] = (),
    first: int | None,
    after: str | None,
) -> Page:
    """A chamber's business memberships (for its admins) or a business's (for its admins)."""
    viewer.require_account()
    if (chamber_id is None) == (business_id is None):
        raise BadUserInput("Give either chamberId or businessId.", argument="chamberId")
    if chamber_id is not None:
        await networks.require_admin(viewer, chamber_id)
        where = [BusinessMembership.chamber == chamber_id]
    else:
        await networks.require_admin(viewer, business_id)  # type: ignore[arg-type]
        where = [BusinessMembership.business == business_id]
    if statuses:
        where.append(BusinessMembership.status.is_in([status.value for status in statuses]))
    return await paginate(BusinessMembership, where=where, first=first, after=after)


async def listed_organizations(ids: list[int]) -> list[ListedOrganization]:
    """Name, website and location of organizations listed in a directory: a business that joins a
    chamber agrees to be listed there, so these show even when its own page is members-only."""
    if not ids:
        return []
    rows = await Organization.select(
        Organization.id,
        Organization.name,
        Organization.slug,
        Organization.website,
        Organization.location,
    ).where(Organization.id.is_in(ids))
    return [ListedOrganization.from_row(row) for row in rows]

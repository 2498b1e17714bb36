"""Member perks: deals a member business (or the chamber itself) offers the chamber's members.

Lifecycle (`PERKS`: each arrow one verb; anything else is an `InvalidInput` with code
ILLEGAL_TRANSITION naming the state):

    submit (an admin of the offering business) --> SUBMITTED
        (a perk the chamber offers itself is APPROVED at once: its admins are the reviewers)
    SUBMITTED --approve / reject (chamber admin)--> APPROVED / REJECTED
    SUBMITTED, APPROVED --withdraw (offering business's admin)--> WITHDRAWN

Who sees what: whoever may see the chamber's business directory sees its APPROVED perks
from the chamber and its ACTIVE member businesses; the redemption code and URL only go to
chamber members and the admins of the chamber and of the offering business. Perks in any
other state are seen by the chamber's admins, the offering business's admins and whoever
submitted them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from api.chambers import service
from api.chambers.records import PerkRecord
from api.chambers.service import ChamberErrorCode, chamber_error, now, today
from api.chambers.tables import (
    BusinessCategory,
    BusinessMembership,
    BusinessMembershipStatus,
    Perk,
    PerkStatus,
)
from api.core.db import write_transaction
from api.core.errors import FieldError, InvalidInput
from api.core.lifecycle import Lifecycle, Move
from api.core.markup import MAX_MARKDOWN_LENGTH, is_web_address, render_markdown_off_loop
from api.core.pagination import Page, paginate
from api.core.viewer import Viewer
from api.networks import service as networks
from api.notifications.service import Subject, notify
from api.notifications.tables import NotificationKind

MAX_TITLE_LENGTH = 200
MAX_DISCOUNT_LENGTH = 200
MAX_CODE_LENGTH = 100
MAX_URL_LENGTH = 1000
MAX_REASON_LENGTH = 500


@dataclass(frozen=True)
class PerkFields:
    """What the offering business writes; validated together, every problem at once."""

    title: str
    description: str = ""
    discount: str = ""
    code: str = ""
    redemption_url: str = ""
    valid_from: date | None = None
    valid_until: date | None = None


def _validate(fields: PerkFields) -> list[FieldError]:
    errors: list[FieldError] = []

    def invalid(field: str, message: str, code: ChamberErrorCode = ChamberErrorCode.INVALID):
        errors.append(FieldError(field, code, message))

    title = fields.title.strip()
    if not title:
        invalid("title", "Give the perk a title.")
    elif len(title) > MAX_TITLE_LENGTH:
        invalid("title", f"Use at most {MAX_TITLE_LENGTH} characters for the title.")
    if len(fields.description) > MAX_MARKDOWN_LENGTH:
        invalid("description", f"Keep the description under {MAX_MARKDOWN_LENGTH} characters.")
    if len(fields.discount.strip()) > MAX_DISCOUNT_LENGTH:
        invalid("discount", f"Keep the discount to {MAX_DISCOUNT_LENGTH} characters.")
    code = fields.code.strip()
    url = fields.redemption_url.strip()
    if len(code) > MAX_CODE_LENGTH:
        invalid("code", f"Keep the code to {MAX_CODE_LENGTH} characters.")
    if url and (len(url) > MAX_URL_LENGTH or not is_web_address(url)):
        invalid("redemptionUrl", "Give a full web address starting with https://.")
    if not code and not url:
        invalid(
            "code",
            "Say how members redeem the perk: a code, a redemption URL, or both.",
            ChamberErrorCode.REDEMPTION_REQUIRED,
        )
    if (
        fields.valid_from is not None
        and fields.valid_until is not None
        and fields.valid_until < fields.valid_from
    ):
        invalid(
            "validUntil",
            "The perk cannot end before it starts.",
            ChamberErrorCode.INVALID_WINDOW,
        )
    return errors


async def submit_perk(
    viewer: Viewer, chamber_id: int, offered_by_id: int, fields: PerkFields
) -> PerkRecord:
    """An admin of a member business (or of the chamber) offers a perk to the chamber's members."""
    account_id = viewer.require_account()
    await service.require_admin_of_organization(viewer, offered_by_id, "offeredById")
    await service.chamber_for(chamber_id)
    offered_by_chamber = offered_by_id == chamber_id
    if not offered_by_chamber:
        membership = await service.business_membership_of(chamber_id, offered_by_id)
        if membership is None or membership.status is not BusinessMembershipStatus.ACTIVE:
            raise chamber_error(
                "offeredById",
                ChamberErrorCode.NOT_A_MEMBER_BUSINESS,
                "Only active member businesses of this chamber offer perks to its members.",
            )
    errors = _validate(fields)
    if errors:
        raise InvalidInput(*errors)
    status = PerkStatus.APPROVED if offered_by_chamber else PerkStatus.SUBMITTED
    description_html = await render_markdown_off_loop(fields.description)
    async with write_transaction():
        [row] = await Perk.insert(
            Perk(
                chamber=chamber_id,
                offered_by=offered_by_id,
                submitted_by=account_id,
                title=fields.title.strip(),
                description=fields.description,
                description_html=description_html,
                discount=fields.discount.strip(),
                code=fields.code.strip(),
                redemption_url=fields.redemption_url.strip(),
                valid_from=fields.valid_from,
                valid_until=fields.valid_until,
                status=status.value,
                decided_by=account_id if offered_by_chamber else None,
                decided_at=now() if offered_by_chamber else None,
            )
        ).returning(*Perk.all_columns())
    return PerkRecord.from_row(row)


PERKS: Lifecycle[PerkStatus] = Lifecycle(
    Perk,
    noun="perk",
    field="perkId",
    code=ChamberErrorCode.ILLEGAL_TRANSITION,
    moves=[
        Move("approve", {PerkStatus.SUBMITTED}, PerkStatus.APPROVED),
        Move("reject", {PerkStatus.SUBMITTED}, PerkStatus.REJECTED),
        Move("withdraw", {PerkStatus.SUBMITTED, PerkStatus.APPROVED}, PerkStatus.WITHDRAWN),
    ],
)


PerkVerb = Literal["approve", "reject", "withdraw"]


async def _require_admin_for(viewer: Viewer, verb: PerkVerb, perk_id: int) -> None:
    """The viewer may use `verb` on the perk: the offering business's admins withdraw it,
    the chamber's admins decide the rest."""
    row = await Perk.select(Perk.chamber, Perk.offered_by).where(Perk.id == perk_id).first()
    if row is None:
        viewer.require_account()
        raise chamber_error("perkId", ChamberErrorCode.NOT_FOUND, "No perk has this id.")
    await networks.require_admin(viewer, row["offered_by" if verb == "withdraw" else "chamber"])


async def _move(
    viewer: Viewer, verb: PerkVerb, perk_id: int, values: dict[Any, Any] | None = None
) -> PerkRecord:
    """Move the perk by `verb` as `PERKS` allows; the chamber's decisions say who and when."""
    changes: dict[Any, Any] = {Perk.updated_at: now(), **(values or {})}
    if verb != "withdraw":
        changes |= {Perk.decided_by: viewer.account_id, Perk.decided_at: now()}
    return PerkRecord.from_row(await PERKS.apply(verb, perk_id, values=changes))


async def approve_perk(viewer: Viewer, perk_id: int) -> PerkRecord:
    """Chamber staff let a submitted perk reach members (SUBMITTED -> APPROVED)."""
    await _require_admin_for(viewer, "approve", perk_id)
    async with write_transaction():
        moved = await _move(viewer, "approve", perk_id)
        await _tell_submitter(NotificationKind.PERK_APPROVED, moved)
    return moved


async def _tell_submitter(kind: NotificationKind, perk: PerkRecord, detail: str = "") -> None:
    """The chamber's decision, to who submitted the perk (from nobody in particular)."""
    if perk.submitted_by is not None:
        await notify(
            kind,
            recipients=[perk.submitted_by],
            actor=None,
            subject=Subject("Perk", perk.id, perk.title),
            detail=detail,
        )


async def reject_perk(viewer: Viewer, perk_id: int, reason: str = "") -> PerkRecord:
    """Chamber staff turn a submitted perk down, optionally saying why (SUBMITTED -> REJECTED)."""
    await _require_admin_for(viewer, "reject", perk_id)
    reason = reason.strip()
    if len(reason) > MAX_REASON_LENGTH:
        raise chamber_error(
            "reason",
            ChamberErrorCode.INVALID,
            f"Keep the reason to {MAX_REASON_LENGTH} characters.",
        )
    async with write_transaction():
        moved = await _move(viewer, "reject", perk_id, {Perk.rejection_reason: reason})
        await _tell_submitter(NotificationKind.PERK_REJECTED, moved, reason)
    return moved


async def withdraw_perk(viewer: Viewer, perk_id: int) -> PerkRecord:
    """The offering business takes its perk back (SUBMITTED or APPROVED -> WITHDRAWN)."""
    await _require_admin_for(viewer, "withdraw", perk_id)
    return await _move(viewer, "withdraw", perk_id)


# -- reading perks -----------------------------------------------------------------------


def _offered_by_an_active_member(chamber_id: int, category: BusinessCategory | None = None):
    """Perks offered by the chamber itself or by one of its ACTIVE member businesses; with a
    category, only businesses listed in that category (the chamber's own perks have none)."""
    businesses = BusinessMembership.select(BusinessMembership.business).where(
        (BusinessMembership.chamber == chamber_id)
        & (BusinessMembership.status == BusinessMembershipStatus.ACTIVE.value)
    )
    if category is not None:
        return Perk.offered_by.is_in(
            businesses.where(BusinessMembership.category == category.value)
        )
    return (Perk.offered_by == chamber_id) | Perk.offered_by.is_in(businesses)


async def list_perks(
    viewer: Viewer,
    chamber_id: int,
    *,
    category: BusinessCategory | None = None,
    current: bool = True,
    first: int | None = None,
    after: str | None = None,
) -> Page:
    """A chamber's approved perks, oldest first; only those running today when `current`."""
    await service.visible_chamber(viewer, chamber_id)
    where: list[Any] = [
        Perk.chamber == chamber_id,
        Perk.status == PerkStatus.APPROVED.value,
        _offered_by_an_active_member(chamber_id, category),
    ]
    if current:
        day = today()
        where.append(Perk.valid_from.is_null() | (Perk.valid_from <= day))
        where.append(Perk.valid_until.is_null() | (Perk.valid_until >= day))
    return await paginate(Perk, where=where, first=first, after=after)


async def pending_perks(
    viewer: Viewer, chamber_id: int, *, first: int | None = None, after: str | None = None
) -> Page:
    """Perks waiting for the chamber's decision: all of them for its admins; for anyone else
    those they submitted or that a business they administer offers."""
    account_id = viewer.require_account()
    await service.chamber_argument(chamber_id)
    where: list[Any] = [Perk.chamber == chamber_id, Perk.status == PerkStatus.SUBMITTED.value]
    administered = await service.administered_organization_ids(viewer)
    if chamber_id not in administered:
        mine = Perk.submitted_by == account_id
        if administered:
            mine = mine | Perk.offered_by.is_in(sorted(administered))
        where.append(mine)
    return await paginate(Perk, where=where, first=first, after=after)


async def perks_by_ids(viewer: Viewer, ids: list[int]) -> dict[int, PerkRecord]:
    """The perks the viewer may see (see the module docstring)."""
    if not ids:
        return {}
    perks = [PerkRecord.from_row(row) for row in await Perk.select().where(Perk.id.is_in(ids))]
    administered = await service.administered_organization_ids(viewer)
    chamber_ids = sorted({perk.chamber for perk in perks})
    chambers = {row["id"]: row for row in await networks.organizations_by_ids(chamber_ids)}
    members = await service.chamber_member_flags(viewer, chamber_ids)
    active = await service.active_business_ids(chamber_ids)

    def manages(perk: PerkRecord) -> bool:
        return (
            perk.chamber in administered
            or perk.offered_by in administered
            or (viewer.account_id is not None and perk.submitted_by == viewer.account_id)
        )

    def listed(perk: PerkRecord) -> bool:
        return (
            perk.status is PerkStatus.APPROVED
            and (perk.offered_by == perk.chamber or perk.offered_by in active[perk.chamber])
            and service.may_see_directory(chambers[perk.chamber], members[perk.chamber])
        )

    return {perk.id: perk for perk in perks if manages(perk) or listed(perk)}


async def redemption_visible(
    viewer: Viewer, perks: list[tuple[int, int]]
) -> dict[tuple[int, int], bool]:
    """For (chamber, offering organization) pairs: whether the viewer may see how to redeem
    the perk — the chamber's members, and the admins of the chamber and of the offerer."""
    if viewer.account_id is None:
        return dict.fromkeys(perks, False)
    administered = await service.administered_organization_ids(viewer)
    members = await service.chamber_member_flags(viewer, {chamber for chamber, _ in perks})
    return {
        (chamber, offered_by): (
            members[chamber] or chamber in administered or offered_by in administered
        )
        for chamber, offered_by in perks
    }


async def perk_managers(
    viewer: Viewer, perks: list[tuple[int, int]]
) -> dict[tuple[int, int], bool]:
    """For (chamber, offering organization) pairs: whether the viewer manages the perk (an
    admin of the chamber or of the offerer), and so sees its rejection reason."""
    administered = await service.administered_organization_ids(viewer)
    return {
        (chamber, offered_by): chamber in administered or offered_by in administered
        for chamber, offered_by in perks
    }

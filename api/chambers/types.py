"""GraphQL types for chambers: business memberships, the directory and perks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry
from strawberry import relay

from api.chambers import service, tables
from api.chambers.loaders import (
    BusinessMembershipByChamberAndBusinessLoader,
    BusinessMembershipByIdLoader,
    ListedOrganizationByIdLoader,
    PerkByIdLoader,
    PerkManagerByPerkLoader,
    RedemptionVisibleByPerkLoader,
)
from api.chambers.records import BusinessMembershipRecord, PerkRecord
from api.core.context import Info
from api.core.pagination import Connection
from api.core.records import LoadedNode, build
from api.core.types import UserError, given
from api.networks.loaders import OrganizationByIdLoader
from api.networks.types import Organization

BusinessCategory = strawberry.enum(
    tables.BusinessCategory,
    description="What a member business does: a top level in the spirit of NAICS sectors.",
)
BusinessMembershipStatus = strawberry.enum(tables.BusinessMembershipStatus)
PerkStatus = strawberry.enum(tables.PerkStatus)
ChamberErrorCode = strawberry.enum(service.ChamberErrorCode)


@strawberry.type
class ChamberError(UserError):
    code: ChamberErrorCode


# Fields with a resolver are declared in place (`name: T = _listed(...)`), so that the schema
# lists every field in the order the type reads.


def _listed(column: str, id_field: str, description: str) -> Any:
    """A text of the organization whose id the type keeps in `id_field`, as a chamber's
    directory shows it: shown even when the organization's own page is not."""

    async def resolve(root: Any, info: Info) -> str | None:
        loader = info.context.loaders.get(ListedOrganizationByIdLoader)
        shown = await loader.load(getattr(root, id_field))
        return given(getattr(shown, column)) if shown else None

    return strawberry.field(resolver=resolve, description=description)


def _organization(id_field: str, description: str) -> Any:
    """The organization whose id the type keeps in `id_field`; null if hidden from you."""

    async def resolve(root: Any, info: Info) -> Organization | None:
        row = await info.context.loaders.get(OrganizationByIdLoader).load(getattr(root, id_field))
        return Organization.from_row(row) if row else None

    return strawberry.field(resolver=resolve, description=description)


def _shown_to(loader: type, secret: str, description: str) -> Any:
    """A perk's text that `loader` says the viewer may see (kept in `secret` until then)."""

    async def resolve(root: Perk, info: Info) -> str | None:
        if not await info.context.loaders.get(loader).load(root.chamber_and_offerer):
            return None
        return given(getattr(root, secret))

    return strawberry.field(resolver=resolve, description=description)


@strawberry.type(
    description="A business (itself an organization) in a chamber, with its directory listing."
)
class BusinessMembership(LoadedNode, relay.Node):
    loader = BusinessMembershipByIdLoader

    id: relay.NodeID[int]
    status: BusinessMembershipStatus
    category: BusinessCategory
    blurb: str | None = strawberry.field(
        description="A short listing text (at most 280 characters)."
    )
    location: str | None = _listed(
        "location",
        "business_id",
        "Where the business is (its organization's location); null if it gives none.",
    )
    name: str | None = _listed(
        "name", "business_id", "The business's name; null if it is hidden from you."
    )
    website: str | None = _listed(
        "website", "business_id", "The business's website; null if it has none."
    )
    business: Organization | None = _organization(
        "business_id", "The business's organization; null if its own page is hidden from you."
    )
    chamber: Organization | None = _organization(
        "chamber_id", "The chamber; null if it is hidden from you."
    )
    created_at: datetime
    updated_at: datetime
    business_id: strawberry.Private[int]
    chamber_id: strawberry.Private[int]

    @classmethod
    def from_record(cls, record: BusinessMembershipRecord) -> BusinessMembership:
        return build(
            cls,
            record,
            blurb=given(record.blurb),
            business_id=record.business,
            chamber_id=record.chamber,
        )

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> BusinessMembership:
        return cls.from_record(BusinessMembershipRecord.from_row(row))


@strawberry.type(description="How many listed businesses are in one category.")
class BusinessCategoryCount:
    category: BusinessCategory
    count: int


@strawberry.type(
    description="A page of a chamber's directory: active member businesses ordered by name."
)
class BusinessDirectoryConnection(Connection[BusinessMembership]):
    category_counts: list[BusinessCategoryCount] = strawberry.field(
        description="Every category with how many businesses match the text query in it, "
        "whatever the category filter (zero included)."
    )


async def _perk_category(root: Perk, info: Info) -> BusinessCategory | None:
    if root.offered_by_id == root.chamber_id:
        return None
    membership = await info.context.loaders.get(BusinessMembershipByChamberAndBusinessLoader).load(
        root.chamber_and_offerer
    )
    return membership.category if membership else None


@strawberry.type(description="A deal a member business or the chamber offers its members.")
class Perk(LoadedNode, relay.Node):
    loader = PerkByIdLoader

    id: relay.NodeID[int]
    title: str
    description: str | None = strawberry.field(
        description="The description as its author wrote it (Markdown)."
    )
    description_html: str | None = strawberry.field(
        description="The description rendered to sanitized HTML on save."
    )
    discount: str | None = strawberry.field(
        description="What members get, in words: `15% off`, `a free coffee`."
    )
    code: str | None = _shown_to(
        RedemptionVisibleByPerkLoader,
        "hidden_code",
        "The code to redeem the perk: chamber members and the admins of the "
        "chamber and of the offering business only (null for everyone else, or if none).",
    )
    redemption_url: str | None = _shown_to(
        RedemptionVisibleByPerkLoader,
        "hidden_redemption_url",
        "Where to redeem the perk: shown to the same people as `code`.",
    )
    valid_from: date | None = strawberry.field(
        description="The first day the perk runs; null: no start limit."
    )
    valid_until: date | None = strawberry.field(
        description="The last day the perk runs; null: no end."
    )
    is_current: bool = strawberry.field(
        description="Whether today (UTC) is inside the validity window."
    )
    status: PerkStatus
    rejection_reason: str | None = _shown_to(
        PerkManagerByPerkLoader,
        "hidden_rejection_reason",
        "Why chamber staff rejected the perk (the chamber's and the offering "
        "business's admins only).",
    )
    category: BusinessCategory | None = strawberry.field(
        resolver=_perk_category,
        description="The offering business's directory category; null for the chamber's own.",
    )
    offered_by_name: str | None = _listed(
        "name",
        "offered_by_id",
        "Who offers the perk: a member business, or the chamber; null if it is hidden from you.",
    )
    offered_by: Organization | None = _organization(
        "offered_by_id", "The offering organization; null if its own page is hidden from you."
    )
    chamber: Organization | None = _organization(
        "chamber_id", "The chamber; null if it is hidden from you."
    )
    created_at: datetime
    chamber_id: strawberry.Private[int]
    offered_by_id: strawberry.Private[int]
    hidden_code: strawberry.Private[str]
    hidden_redemption_url: strawberry.Private[str]
    hidden_rejection_reason: strawberry.Private[str]

    @property
    def chamber_and_offerer(self) -> tuple[int, int]:
        return (self.chamber_id, self.offered_by_id)

    @classmethod
    def from_record(cls, record: PerkRecord) -> Perk:
        return build(
            cls,
            record,
            description=given(record.description),
            description_html=given(record.description_html),
            discount=given(record.discount),
            is_current=record.runs_on(service.today()),
            chamber_id=record.chamber,
            offered_by_id=record.offered_by,
            hidden_code=record.code,
            hidden_redemption_url=record.redemption_url,
            hidden_rejection_reason=record.rejection_reason,
        )

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Perk:
        return cls.from_record(PerkRecord.from_row(row))


@strawberry.type
class BusinessMembershipPayload:
    business_membership: BusinessMembership | None = None
    user_errors: list[ChamberError] = strawberry.field(default_factory=list)


@strawberry.type
class PerkPayload:
    perk: Perk | None = None
    user_errors: list[ChamberError] = strawberry.field(default_factory=list)


def membership_payload(record: BusinessMembershipRecord) -> BusinessMembershipPayload:
    return BusinessMembershipPayload(business_membership=BusinessMembership.from_record(record))


def perk_payload(record: PerkRecord) -> PerkPayload:
    return PerkPayload(perk=Perk.from_record(record))

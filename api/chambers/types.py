"""GraphQL types for chambers: business memberships, the directory and perks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry
from strawberry import relay

from api.chambers import perks as perks_service
from api.chambers import service, tables
from api.chambers.loaders import (
    BusinessMembershipByChamberAndBusinessLoader,
    BusinessMembershipByIdLoader,
    ListedOrganizationByIdLoader,
    PerkByIdLoader,
    PerkManagerByPerkLoader,
    RedemptionVisibleByPerkLoader,
)
from api.core.context import Info
from api.core.loaders import load_nodes
from api.core.pagination import Connection
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


@strawberry.type(
    description="A business (itself an organization) in a chamber, with its directory listing."
)
class BusinessMembership(relay.Node):
    id: relay.NodeID[int]
    row: strawberry.Private[dict[str, Any]]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> BusinessMembership:
        return cls(id=row["id"], row=row)

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[BusinessMembership | None]:
        rows = await load_nodes(info.context.loaders.get(BusinessMembershipByIdLoader), node_ids)
        return [cls.from_row(row) if row else None for row in rows]

    @strawberry.field
    def status(self) -> BusinessMembershipStatus:
        return tables.BusinessMembershipStatus(self.row["status"])

    @strawberry.field
    def category(self) -> BusinessCategory:
        return tables.BusinessCategory(self.row["category"])

    @strawberry.field(description="A short listing text (at most 280 characters).")
    def blurb(self) -> str | None:
        return given(self.row["blurb"])

    @strawberry.field(
        description="Where the business is (its organization's location); null if it gives none."
    )
    async def location(self, info: Info) -> str | None:
        listed = await info.context.loaders.get(ListedOrganizationByIdLoader).load(
            self.row["business"]
        )
        return given(listed["location"]) if listed else None

    @strawberry.field(description="The business's name; null if it is hidden from you.")
    async def name(self, info: Info) -> str | None:
        listed = await info.context.loaders.get(ListedOrganizationByIdLoader).load(
            self.row["business"]
        )
        return given(listed["name"]) if listed else None

    @strawberry.field(description="The business's website; null if it has none.")
    async def website(self, info: Info) -> str | None:
        listed = await info.context.loaders.get(ListedOrganizationByIdLoader).load(
            self.row["business"]
        )
        return given(listed["website"]) if listed else None

    @strawberry.field(
        description="The business's organization; null if its own page is hidden from you."
    )
    async def business(self, info: Info) -> Organization | None:
        row = await info.context.loaders.get(OrganizationByIdLoader).load(self.row["business"])
        return Organization.from_row(row) if row else None

    @strawberry.field(description="The chamber; null if it is hidden from you.")
    async def chamber(self, info: Info) -> Organization | None:
        row = await info.context.loaders.get(OrganizationByIdLoader).load(self.row["chamber"])
        return Organization.from_row(row) if row else None

    @strawberry.field
    def created_at(self) -> datetime:
        return self.row["created_at"]

    @strawberry.field
    def updated_at(self) -> datetime:
        return self.row["updated_at"]


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


@strawberry.type(description="A deal a member business or the chamber offers its members.")
class Perk(relay.Node):
    id: relay.NodeID[int]
    row: strawberry.Private[dict[str, Any]]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Perk:
        return cls(id=row["id"], row=row)

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[Perk | None]:
        rows = await load_nodes(info.context.loaders.get(PerkByIdLoader), node_ids)
        return [cls.from_row(row) if row else None for row in rows]

    def _pair(self) -> tuple[int, int]:
        return (self.row["chamber"], self.row["offered_by"])

    @strawberry.field
    def title(self) -> str:
        return self.row["title"]

    @strawberry.field(description="The description as its author wrote it (Markdown).")
    def description(self) -> str | None:
        return given(self.row["description"])

    @strawberry.field(description="The description rendered to sanitized HTML on save.")
    def description_html(self) -> str | None:
        return given(self.row["description_html"])

    @strawberry.field(description="What members get, in words: `15% off`, `a free coffee`.")
    def discount(self) -> str | None:
        return given(self.row["discount"])

    @strawberry.field(
        description="The code to redeem the perk: chamber members and the admins of the "
        "chamber and of the offering business only (null for everyone else, or if none)."
    )
    async def code(self, info: Info) -> str | None:
        if not await info.context.loaders.get(RedemptionVisibleByPerkLoader).load(self._pair()):
            return None
        return given(self.row["code"])

    @strawberry.field(description="Where to redeem the perk: shown to the same people as `code`.")
    async def redemption_url(self, info: Info) -> str | None:
        if not await info.context.loaders.get(RedemptionVisibleByPerkLoader).load(self._pair()):
            return None
        return given(self.row["redemption_url"])

    @strawberry.field(description="The first day the perk runs; null: no start limit.")
    def valid_from(self) -> date | None:
        return self.row["valid_from"]

    @strawberry.field(description="The last day the perk runs; null: no end.")
    def valid_until(self) -> date | None:
        return self.row["valid_until"]

    @strawberry.field(description="Whether today (UTC) is inside the validity window.")
    def is_current(self) -> bool:
        return perks_service.is_current(self.row)

    @strawberry.field
    def status(self) -> PerkStatus:
        return tables.PerkStatus(self.row["status"])

    @strawberry.field(
        description="Why chamber staff rejected the perk (the chamber's and the offering "
        "business's admins only)."
    )
    async def rejection_reason(self, info: Info) -> str | None:
        if not await info.context.loaders.get(PerkManagerByPerkLoader).load(self._pair()):
            return None
        return given(self.row["rejection_reason"])

    @strawberry.field(
        description="The offering business's directory category; null for the chamber's own."
    )
    async def category(self, info: Info) -> BusinessCategory | None:
        if self.row["offered_by"] == self.row["chamber"]:
            return None
        membership = await info.context.loaders.get(
            BusinessMembershipByChamberAndBusinessLoader
        ).load(self._pair())
        return tables.BusinessCategory(membership["category"]) if membership else None

    @strawberry.field(
        description="Who offers the perk: a member business, or the chamber; null if it is "
        "hidden from you."
    )
    async def offered_by_name(self, info: Info) -> str | None:
        listed = await info.context.loaders.get(ListedOrganizationByIdLoader).load(
            self.row["offered_by"]
        )
        return given(listed["name"]) if listed else None

    @strawberry.field(
        description="The offering organization; null if its own page is hidden from you."
    )
    async def offered_by(self, info: Info) -> Organization | None:
        row = await info.context.loaders.get(OrganizationByIdLoader).load(self.row["offered_by"])
        return Organization.from_row(row) if row else None

    @strawberry.field(description="The chamber; null if it is hidden from you.")
    async def chamber(self, info: Info) -> Organization | None:
        row = await info.context.loaders.get(OrganizationByIdLoader).load(self.row["chamber"])
        return Organization.from_row(row) if row else None

    @strawberry.field
    def created_at(self) -> datetime:
        return self.row["created_at"]


@strawberry.type
class BusinessMembershipPayload:
    business_membership: BusinessMembership | None = None
    user_errors: list[ChamberError] = strawberry.field(default_factory=list)


@strawberry.type
class PerkPayload:
    perk: Perk | None = None
    user_errors: list[ChamberError] = strawberry.field(default_factory=list)

"""The chambers part of the GraphQL schema: member businesses, the directory, perks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry import relay

from api.chambers import directory, service
from api.chambers import perks as perks_service
from api.chambers.tables import BusinessCategory as BusinessCategoryEnum
from api.chambers.tables import BusinessMembershipStatus as StatusEnum
from api.chambers.types import (
    BusinessCategory,
    BusinessCategoryCount,
    BusinessDirectoryConnection,
    BusinessMembership,
    BusinessMembershipPayload,
    BusinessMembershipStatus,
    ChamberError,
    Perk,
    PerkPayload,
)
from api.core.context import Info
from api.core.errors import InvalidInput
from api.core.pagination import Connection
from api.core.types import argument_id, database_id


def _id(global_id: relay.GlobalID, type_name: str, field: str) -> int:
    return database_id(global_id, type_name, field=field, code=service.ChamberErrorCode.NOT_FOUND)


async def _membership_move(
    move: Callable[[], Awaitable[dict[str, Any]]],
) -> BusinessMembershipPayload:
    try:
        row = await move()
    except InvalidInput as invalid:
        return BusinessMembershipPayload(user_errors=ChamberError.from_field_errors(invalid.errors))
    return BusinessMembershipPayload(business_membership=BusinessMembership.from_row(row))


async def _perk_move(move: Callable[[], Awaitable[dict[str, Any]]]) -> PerkPayload:
    try:
        row = await move()
    except InvalidInput as invalid:
        return PerkPayload(user_errors=ChamberError.from_field_errors(invalid.errors))
    return PerkPayload(perk=Perk.from_row(row))


@strawberry.input(description="Ask for a business you administer to join a chamber.")
class ApplyForBusinessMembershipInput:
    chamber_id: relay.GlobalID
    business_id: relay.GlobalID
    category: BusinessCategory
    blurb: str = ""


@strawberry.input
class BusinessMembershipIdInput:
    business_membership_id: relay.GlobalID


@strawberry.input(description="Change a listing; fields left out keep their value.")
class UpdateBusinessListingInput:
    business_membership_id: relay.GlobalID
    category: BusinessCategory | None = None
    blurb: str | None = None


@strawberry.input(
    description="A perk for a chamber's members, offered by a business you administer (an "
    "active member business of the chamber) or by the chamber itself."
)
class SubmitPerkInput:
    chamber_id: relay.GlobalID
    offered_by_id: relay.GlobalID
    title: str
    description: str = strawberry.field(default="", description="Markdown.")
    discount: str = ""
    code: str = strawberry.field(default="", description="A code, a redemption URL, or both.")
    redemption_url: str = ""
    valid_from: date | None = None
    valid_until: date | None = None

    def to_fields(self) -> perks_service.PerkFields:
        return perks_service.PerkFields(
            title=self.title,
            description=self.description,
            discount=self.discount,
            code=self.code,
            redemption_url=self.redemption_url,
            valid_from=self.valid_from,
            valid_until=self.valid_until,
        )


@strawberry.input
class PerkIdInput:
    perk_id: relay.GlobalID


@strawberry.input
class RejectPerkInput:
    perk_id: relay.GlobalID
    reason: str = ""


def _category(category: Any) -> BusinessCategoryEnum | None:
    return BusinessCategoryEnum(category.value) if category is not None else None


@strawberry.type
class ChambersQuery:
    @strawberry.field(
        description="A chamber's active member businesses, ordered by name, with counts by "
        "category. Anyone sees a public chamber's directory; a private one's, its members."
    )
    async def business_directory(
        self,
        info: Info,
        chamber_id: relay.GlobalID,
        category: BusinessCategory | None = None,
        query: Annotated[
            str | None,
            strawberry.argument(description="Words to find in the business's name or blurb."),
        ] = None,
        first: int | None = None,
        after: str | None = None,
    ) -> BusinessDirectoryConnection:
        page = await directory.business_directory(
            info.context.viewer,
            argument_id(chamber_id, "Organization", "chamberId"),
            category=_category(category),
            query=query,
            first=first,
            after=after,
        )
        edges = [
            relay.Edge(cursor=entry.cursor, node=BusinessMembership.from_row(entry.membership))
            for entry in page.entries
        ]
        return BusinessDirectoryConnection(
            edges=edges,
            total_count=page.total_count,
            page_info=relay.PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=page.has_previous_page,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            category_counts=[
                BusinessCategoryCount(category=category, count=count)
                for category, count in page.category_counts
            ],
        )

    @strawberry.field(
        description="Admins: a chamber's business memberships (give chamberId) or a "
        "business's memberships in chambers (give businessId), in any status."
    )
    async def business_memberships(
        self,
        info: Info,
        chamber_id: relay.GlobalID | None = None,
        business_id: relay.GlobalID | None = None,
        statuses: list[BusinessMembershipStatus] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[BusinessMembership]:
        page = await service.list_business_memberships(
            info.context.viewer,
            chamber_id=argument_id(chamber_id, "Organization", "chamberId") if chamber_id else None,
            business_id=argument_id(business_id, "Organization", "businessId")
            if business_id
            else None,
            statuses=tuple(StatusEnum(status.value) for status in statuses or ()),
            first=first,
            after=after,
        )
        return Connection.from_page(page, BusinessMembership.from_row)

    @strawberry.field(
        description="A chamber's approved perks, oldest first: by default only those running "
        "today. Whoever sees the chamber's directory sees them; codes go to members only."
    )
    async def perks(
        self,
        info: Info,
        chamber_id: relay.GlobalID,
        category: BusinessCategory | None = None,
        current: bool = True,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Perk]:
        page = await perks_service.list_perks(
            info.context.viewer,
            argument_id(chamber_id, "Organization", "chamberId"),
            category=_category(category),
            current=current,
            first=first,
            after=after,
        )
        return Connection.from_page(page, Perk.from_row)

    @strawberry.field(
        description="Perks waiting for the chamber's decision: all of them for its admins, "
        "your own submissions (and your businesses') for anyone else."
    )
    async def pending_perks(
        self,
        info: Info,
        chamber_id: relay.GlobalID,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Perk]:
        page = await perks_service.pending_perks(
            info.context.viewer,
            argument_id(chamber_id, "Organization", "chamberId"),
            first=first,
            after=after,
        )
        return Connection.from_page(page, Perk.from_row)


@strawberry.type
class ChambersMutation:
    @strawberry.mutation(
        description="Owners and admins of a business: ask for it to join a chamber "
        "(REQUESTED until the chamber decides)."
    )
    async def apply_for_business_membership(
        self, info: Info, input: ApplyForBusinessMembershipInput
    ) -> BusinessMembershipPayload:
        return await _membership_move(
            lambda: service.apply_for_business_membership(
                info.context.viewer,
                _id(input.chamber_id, "Organization", "chamberId"),
                _id(input.business_id, "Organization", "businessId"),
                category=BusinessCategoryEnum(input.category.value),
                blurb=input.blurb,
            )
        )

    @strawberry.mutation(description="Chamber owners and admins: let a business in.")
    async def approve_business_membership(
        self, info: Info, input: BusinessMembershipIdInput
    ) -> BusinessMembershipPayload:
        return await _membership_move(
            lambda: service.approve_business_membership(info.context.viewer, _membership_id(input))
        )

    @strawberry.mutation(description="Chamber owners and admins: turn a business down.")
    async def decline_business_membership(
        self, info: Info, input: BusinessMembershipIdInput
    ) -> BusinessMembershipPayload:
        return await _membership_move(
            lambda: service.decline_business_membership(info.context.viewer, _membership_id(input))
        )

    @strawberry.mutation(
        description="Chamber owners and admins: remove a member business (it may not re-apply)."
    )
    async def remove_business_membership(
        self, info: Info, input: BusinessMembershipIdInput
    ) -> BusinessMembershipPayload:
        return await _membership_move(
            lambda: service.remove_business_membership(info.context.viewer, _membership_id(input))
        )

    @strawberry.mutation(description="Business owners and admins: take the business out.")
    async def leave_chamber(
        self, info: Info, input: BusinessMembershipIdInput
    ) -> BusinessMembershipPayload:
        return await _membership_move(
            lambda: service.leave_chamber(info.context.viewer, _membership_id(input))
        )

    @strawberry.mutation(description="Business owners and admins: change the listing.")
    async def update_business_listing(
        self, info: Info, input: UpdateBusinessListingInput
    ) -> BusinessMembershipPayload:
        return await _membership_move(
            lambda: service.update_business_listing(
                info.context.viewer,
                _membership_id(input),
                category=_category(input.category),
                blurb=input.blurb,
            )
        )

    @strawberry.mutation(
        description="Offer a perk to a chamber's members; chamber staff review it (a perk "
        "the chamber offers itself is approved at once)."
    )
    async def submit_perk(self, info: Info, input: SubmitPerkInput) -> PerkPayload:
        return await _perk_move(
            lambda: perks_service.submit_perk(
                info.context.viewer,
                _id(input.chamber_id, "Organization", "chamberId"),
                _id(input.offered_by_id, "Organization", "offeredById"),
                input.to_fields(),
            )
        )

    @strawberry.mutation(description="Chamber owners and admins: approve a submitted perk.")
    async def approve_perk(self, info: Info, input: PerkIdInput) -> PerkPayload:
        return await _perk_move(
            lambda: perks_service.approve_perk(
                info.context.viewer, _id(input.perk_id, "Perk", "perkId")
            )
        )

    @strawberry.mutation(description="Chamber owners and admins: reject a submitted perk.")
    async def reject_perk(self, info: Info, input: RejectPerkInput) -> PerkPayload:
        return await _perk_move(
            lambda: perks_service.reject_perk(
                info.context.viewer, _id(input.perk_id, "Perk", "perkId"), input.reason
            )
        )

    @strawberry.mutation(description="The offering business's admins: take a perk back.")
    async def withdraw_perk(self, info: Info, input: PerkIdInput) -> PerkPayload:
        return await _perk_move(
            lambda: perks_service.withdraw_perk(
                info.context.viewer, _id(input.perk_id, "Perk", "perkId")
            )
        )


def _membership_id(input: Any) -> int:
    return _id(input.business_membership_id, "BusinessMembership", "businessMembershipId")

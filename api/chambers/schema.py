"""The chambers part of the GraphQL schema: member businesses, the directory, perks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry import relay

from api.chambers import directory, service
from api.chambers import perks as perks_service
from api.chambers.records import PerkRecord
from api.chambers.types import (
    BusinessCategory,
    BusinessCategoryCount,
    BusinessDirectoryConnection,
    BusinessMembership,
    BusinessMembershipStatus,
    Perk,
    membership_payload,
    perk_payload,
)
from api.core.context import Info
from api.core.pagination import After, Connection, First, page_info
from api.core.records import build, mutation
from api.core.types import argument_id, database_id
from api.core.viewer import Viewer


@strawberry.input(description="Ask for a business you administer to join a chamber.")
class ApplyForBusinessMembershipInput:
    chamber_id: relay.GlobalID = strawberry.field(description="The chamber of commerce to join.")
    business_id: relay.GlobalID = strawberry.field(
        description=("Your business: an employer organization you own or administer.")
    )
    category: BusinessCategory = strawberry.field(
        description="The directory category the business is listed under."
    )
    blurb: str = strawberry.field(
        default="", description="A line about the business for the directory."
    )


@strawberry.input
class BusinessMembershipIdInput:
    business_membership_id: relay.GlobalID = strawberry.field(
        description="The business membership (or application)."
    )


@strawberry.input(description="Change a listing; fields left out keep their value.")
class UpdateBusinessListingInput:
    business_membership_id: relay.GlobalID = strawberry.field(
        description="The business's membership in the chamber."
    )
    category: BusinessCategory | None = strawberry.field(
        default=None, description="The new directory category."
    )
    blurb: str | None = strawberry.field(
        default=None, description="The new line about the business."
    )


@strawberry.input(
    description="A perk for a chamber's members, offered by a business you administer (an "
    "active member business of the chamber) or by the chamber itself."
)
class SubmitPerkInput:
    chamber_id: relay.GlobalID = strawberry.field(
        description="The chamber whose members get the perk."
    )
    offered_by_id: relay.GlobalID = strawberry.field(
        description=("Who offers it: a member business you administer, or the chamber itself.")
    )
    title: str = strawberry.field(description="What the perk is, in a line.")
    description: str = strawberry.field(default="", description="Markdown.")
    discount: str = strawberry.field(
        default="", description="The saving, in a few words (10% off, 2 for 1)."
    )
    code: str = strawberry.field(default="", description="A code, a redemption URL, or both.")
    redemption_url: str = strawberry.field(
        default="", description="Where members redeem it (http or https)."
    )
    valid_from: date | None = strawberry.field(
        default=None, description="The first day it runs; leave out for now."
    )
    valid_until: date | None = strawberry.field(
        default=None, description="The last day it runs; leave out for no end."
    )


@strawberry.input
class PerkIdInput:
    perk_id: relay.GlobalID = strawberry.field(description="The perk.")


@strawberry.input
class RejectPerkInput:
    perk_id: relay.GlobalID = strawberry.field(description="The perk to reject.")
    reason: str = strawberry.field(default="", description="Why, for the business that offered it.")


@strawberry.type
class ChambersQuery:
    @strawberry.field(
        description="A chamber's active member businesses, ordered by name, with counts by "
        "category. Anyone sees a public chamber's directory; a private one's, its members."
    )
    async def business_directory(
        self,
        info: Info,
        chamber_id: Annotated[
            relay.GlobalID,
            strawberry.argument(
                description="The chamber of commerce whose member businesses to list."
            ),
        ],
        category: Annotated[
            BusinessCategory | None,
            strawberry.argument(description="Only businesses in this category; null for all."),
        ] = None,
        query: Annotated[
            str | None,
            strawberry.argument(description="Words to find in the business's name or blurb."),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> BusinessDirectoryConnection:
        page = await directory.business_directory(
            info.context.viewer,
            argument_id(chamber_id, "Organization", "chamberId"),
            category=category,
            query=query,
            first=first,
            after=after,
        )
        edges = [
            relay.Edge(cursor=entry.cursor, node=BusinessMembership.from_record(entry.membership))
            for entry in page.entries
        ]
        return BusinessDirectoryConnection(
            edges=edges,
            total_count=page.total_count,
            page_info=page_info(
                [edge.cursor for edge in edges],
                has_next_page=page.has_next_page,
                has_previous_page=page.has_previous_page,
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
        chamber_id: Annotated[
            relay.GlobalID | None,
            strawberry.argument(
                description=(
                    "The chamber whose applications and members to list (you "
                    "administer it); give this or businessId."
                )
            ),
        ] = None,
        business_id: Annotated[
            relay.GlobalID | None,
            strawberry.argument(
                description=(
                    "The business whose chamber memberships to list (you "
                    "administer it); give this or chamberId."
                )
            ),
        ] = None,
        statuses: Annotated[
            list[BusinessMembershipStatus] | None,
            strawberry.argument(
                description=("Only memberships in these statuses; null or empty for every status.")
            ),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[BusinessMembership]:
        page = await service.list_business_memberships(
            info.context.viewer,
            chamber_id=argument_id(chamber_id, "Organization", "chamberId") if chamber_id else None,
            business_id=argument_id(business_id, "Organization", "businessId")
            if business_id
            else None,
            statuses=tuple(statuses or ()),
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
        chamber_id: Annotated[
            relay.GlobalID, strawberry.argument(description="The chamber whose perks to list.")
        ],
        category: Annotated[
            BusinessCategory | None,
            strawberry.argument(
                description="Only perks of businesses in this category; null for all."
            ),
        ] = None,
        current: Annotated[
            bool,
            strawberry.argument(
                description=(
                    "true: only perks running today; false: every approved perk, "
                    "past and upcoming too."
                )
            ),
        ] = True,
        first: First = None,
        after: After = None,
    ) -> Connection[Perk]:
        page = await perks_service.list_perks(
            info.context.viewer,
            argument_id(chamber_id, "Organization", "chamberId"),
            category=category,
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
        chamber_id: Annotated[
            relay.GlobalID,
            strawberry.argument(description="The chamber whose submitted perks to list."),
        ],
        first: First = None,
        after: After = None,
    ) -> Connection[Perk]:
        page = await perks_service.pending_perks(
            info.context.viewer,
            argument_id(chamber_id, "Organization", "chamberId"),
            first=first,
            after=after,
        )
        return Connection.from_page(page, Perk.from_row)


def _membership_id(input: BusinessMembershipIdInput | UpdateBusinessListingInput) -> int:
    return database_id(
        input.business_membership_id, "BusinessMembership", field="businessMembershipId"
    )


def _perk_id(input: PerkIdInput | RejectPerkInput) -> int:
    return database_id(input.perk_id, "Perk", field="perkId")


def _move_membership(verb: service.MembershipVerb, description: str, argument: str) -> Any:
    """A mutation that moves a business membership by `verb`."""
    return mutation(
        description,
        BusinessMembershipIdInput,
        argument,
        lambda viewer, input: service.move_business_membership(viewer, verb, _membership_id(input)),
        membership_payload,
    )


def _move_perk(
    move: Callable[[Viewer, int], Awaitable[PerkRecord]], description: str, argument: str
) -> Any:
    """A mutation that moves a perk by one verb of the perks' service."""
    return mutation(
        description,
        PerkIdInput,
        argument,
        lambda viewer, input: move(viewer, _perk_id(input)),
        perk_payload,
    )


@strawberry.type
class ChambersMutation:
    apply_for_business_membership = mutation(
        "Owners and admins of a business: ask for it to join a chamber "
        "(REQUESTED until the chamber decides).",
        ApplyForBusinessMembershipInput,
        "The chamber, your business, its category and a blurb for the directory.",
        lambda viewer, input: service.apply_for_business_membership(
            viewer,
            database_id(input.chamber_id, "Organization", field="chamberId"),
            database_id(input.business_id, "Organization", field="businessId"),
            category=input.category,
            blurb=input.blurb,
        ),
        membership_payload,
    )
    approve_business_membership = _move_membership(
        "approve", "Chamber owners and admins: let a business in.", "The application to approve."
    )
    decline_business_membership = _move_membership(
        "decline", "Chamber owners and admins: turn a business down.", "The application to decline."
    )
    remove_business_membership = _move_membership(
        "remove",
        "Chamber owners and admins: remove a member business (it may not re-apply).",
        "The member business to remove.",
    )
    leave_chamber = _move_membership(
        "leave",
        "Business owners and admins: take the business out.",
        "The business's membership in the chamber.",
    )
    update_business_listing = mutation(
        "Business owners and admins: change the listing.",
        UpdateBusinessListingInput,
        "The membership and the listing fields to change.",
        lambda viewer, input: service.update_business_listing(
            viewer, _membership_id(input), category=input.category, blurb=input.blurb
        ),
        membership_payload,
    )
    submit_perk = mutation(
        "Offer a perk to a chamber's members; chamber staff review it (a perk "
        "the chamber offers itself is approved at once).",
        SubmitPerkInput,
        "The chamber, who offers the perk, and what it is.",
        lambda viewer, input: perks_service.submit_perk(
            viewer,
            database_id(input.chamber_id, "Organization", field="chamberId"),
            database_id(input.offered_by_id, "Organization", field="offeredById"),
            build(perks_service.PerkFields, input),
        ),
        perk_payload,
    )
    approve_perk = _move_perk(
        perks_service.approve_perk,
        "Chamber owners and admins: approve a submitted perk.",
        "The perk to approve.",
    )
    reject_perk = mutation(
        "Chamber owners and admins: reject a submitted perk.",
        RejectPerkInput,
        "The perk and why it is rejected.",
        lambda viewer, input: perks_service.reject_perk(viewer, _perk_id(input), input.reason),
        perk_payload,
    )
    withdraw_perk = _move_perk(
        perks_service.withdraw_perk,
        "The offering business's admins: take a perk back.",
        "The perk to take back.",
    )

"""The networks part of the GraphQL schema: organizations and joining them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from strawberry import relay

from api.core.context import Info
from api.core.errors import InvalidInput
from api.core.types import database_id
from api.networks import service
from api.networks.loaders import OrganizationByIdLoader
from api.networks.tables import MembershipRole as MembershipRoleEnum
from api.networks.tables import Organization as OrganizationTable
from api.networks.types import (
    CreateOrganizationInput,
    Membership,
    MembershipPayload,
    MembershipRole,
    Organization,
    OrganizationError,
    OrganizationIdInput,
    OrganizationPayload,
)


def organization_id(global_id: relay.GlobalID, field: str = "organizationId") -> int:
    """The database id behind an Organization global id, or a user error naming the field."""
    return database_id(
        global_id, "Organization", field=field, code=service.OrganizationErrorCode.NOT_FOUND
    )


@strawberry.input(description="Invite someone with an account into an organization.")
class InviteMemberInput:
    organization_id: relay.GlobalID
    email: str
    role: MembershipRole = MembershipRoleEnum.MEMBER


@strawberry.input
class AcceptInvitationInput:
    membership_id: relay.GlobalID


@strawberry.input
class MembershipIdInput:
    membership_id: relay.GlobalID


def _membership_id(global_id: relay.GlobalID) -> int:
    return database_id(
        global_id,
        "Membership",
        field="membershipId",
        code=service.OrganizationErrorCode.NOT_FOUND,
    )


async def _membership_move(move: Callable[[], Awaitable[dict[str, Any]]]) -> MembershipPayload:
    try:
        row = await move()
    except InvalidInput as invalid:
        return MembershipPayload(user_errors=OrganizationError.from_field_errors(invalid.errors))
    return MembershipPayload(membership=Membership.from_row(row))


@strawberry.type
class NetworksQuery:
    @strawberry.field(description="An organization by its slug; null if the viewer may not see it.")
    async def organization(self, info: Info, slug: str) -> Organization | None:
        row = (
            await OrganizationTable.select(OrganizationTable.id)
            .where(OrganizationTable.slug == slug)
            .first()
        )
        if row is None:
            return None
        visible = await info.context.loaders.get(OrganizationByIdLoader).load(row["id"])
        return Organization.from_row(visible) if visible else None

    @strawberry.field(description="Your memberships and invitations.")
    async def my_memberships(self, info: Info) -> list[Membership]:
        return [Membership.from_row(r) for r in await service.memberships_of(info.context.viewer)]


@strawberry.type
class NetworksMutation:
    @strawberry.mutation(description="Create an organization; you become its owner.")
    async def create_organization(
        self, info: Info, input: CreateOrganizationInput
    ) -> OrganizationPayload:
        try:
            row = await service.create_organization(
                info.context.viewer,
                name=input.name,
                kind=input.kind,
                join_policy=input.join_policy,
                interest=input.interest,
                description=input.description,
                website=input.website,
                is_public=input.is_public,
            )
        except InvalidInput as invalid:
            return OrganizationPayload(
                user_errors=OrganizationError.from_field_errors(invalid.errors)
            )
        return OrganizationPayload(organization=Organization.from_row(row))

    @strawberry.mutation(
        description="Join an OPEN organization, or ask to join one that needs APPROVAL."
    )
    async def join_organization(self, info: Info, input: OrganizationIdInput) -> MembershipPayload:
        try:
            row = await service.join_organization(
                info.context.viewer, organization_id(input.organization_id)
            )
        except InvalidInput as invalid:
            return MembershipPayload(
                user_errors=OrganizationError.from_field_errors(invalid.errors)
            )
        return MembershipPayload(membership=Membership.from_row(row))

    @strawberry.mutation(description="Staff: mark an employer as verified.")
    async def verify_employer(self, info: Info, input: OrganizationIdInput) -> OrganizationPayload:
        try:
            row = await service.verify_employer(
                info.context.viewer, organization_id(input.organization_id)
            )
        except InvalidInput as invalid:
            return OrganizationPayload(
                user_errors=OrganizationError.from_field_errors(invalid.errors)
            )
        return OrganizationPayload(organization=Organization.from_row(row))

    @strawberry.mutation(description="Owners and admins: invite a colleague in a role.")
    async def invite_member(self, info: Info, input: InviteMemberInput) -> MembershipPayload:
        try:
            row = await service.invite_member(
                info.context.viewer,
                organization_id(input.organization_id),
                email=input.email,
                role=MembershipRoleEnum(input.role.value),
            )
        except InvalidInput as invalid:
            return MembershipPayload(
                user_errors=OrganizationError.from_field_errors(invalid.errors)
            )
        return MembershipPayload(membership=Membership.from_row(row))

    @strawberry.mutation(description="Accept an invitation you received.")
    async def accept_invitation(
        self, info: Info, input: AcceptInvitationInput
    ) -> MembershipPayload:
        return await _membership_move(
            lambda: service.accept_invitation(
                info.context.viewer, _membership_id(input.membership_id)
            )
        )

    @strawberry.mutation(description="Owners and admins: let in someone who asked to join.")
    async def approve_membership(self, info: Info, input: MembershipIdInput) -> MembershipPayload:
        return await _membership_move(
            lambda: service.approve_membership(
                info.context.viewer, _membership_id(input.membership_id)
            )
        )

    @strawberry.mutation(description="Owners and admins: turn down a request to join.")
    async def decline_membership(self, info: Info, input: MembershipIdInput) -> MembershipPayload:
        return await _membership_move(
            lambda: service.decline_membership(
                info.context.viewer, _membership_id(input.membership_id)
            )
        )

    @strawberry.mutation(description="Owners and admins: remove a member or an invitation.")
    async def remove_member(self, info: Info, input: MembershipIdInput) -> MembershipPayload:
        return await _membership_move(
            lambda: service.remove_member(info.context.viewer, _membership_id(input.membership_id))
        )

    @strawberry.mutation(description="Leave an organization.")
    async def leave_organization(self, info: Info, input: OrganizationIdInput) -> MembershipPayload:
        return await _membership_move(
            lambda: service.leave_organization(
                info.context.viewer, organization_id(input.organization_id)
            )
        )

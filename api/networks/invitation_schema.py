"""Invitations by email in the GraphQL schema: the Invitation type, `acceptEmailInvitation`,
`revokeInvitation` and `resendInvitation` (`inviteMember` and `importRoster` send them)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from api.core.context import Info
from api.core.types import database_id
from api.networks import invitations
from api.networks.service import OrganizationErrorCode
from api.networks.types import Invitation, Membership, OrganizationError


@strawberry.type
class InvitationPayload:
    invitation: Invitation | None = None
    user_errors: list[OrganizationError] = strawberry.field(default_factory=list)


@strawberry.type
class InviteMemberPayload:
    membership: Membership | None = strawberry.field(
        default=None, description="When an account has the address: its INVITED membership."
    )
    invitation: Invitation | None = strawberry.field(
        default=None, description="When no account has it: the invitation mailed to it."
    )
    user_errors: list[OrganizationError] = strawberry.field(default_factory=list)


@strawberry.input
class AcceptEmailInvitationInput:
    token: str = strawberry.field(
        description="The `token` parameter of the link in the invitation email."
    )


@strawberry.input
class InvitationIdInput:
    invitation_id: relay.GlobalID = strawberry.field(description="The invitation.")


def _invitation_id(input: InvitationIdInput) -> int:
    return database_id(
        input.invitation_id,
        "Invitation",
        field="invitationId",
        code=OrganizationErrorCode.NOT_FOUND,
    )


@strawberry.type
class MembershipFromInvitationPayload:
    membership: Membership | None = None
    user_errors: list[OrganizationError] = strawberry.field(default_factory=list)


@strawberry.type
class InvitationMutation:
    @strawberry.mutation(
        description="Accept an invitation mailed to you: register (or sign in) first, then "
        "pass the link's token. You become an active member in the invited role, with the "
        "roster's alumni facts; your address counts as verified when it is the invited one."
    )
    async def accept_email_invitation(
        self,
        info: Info,
        input: Annotated[
            AcceptEmailInvitationInput,
            strawberry.argument(description="The token from the invitation link."),
        ],
    ) -> MembershipFromInvitationPayload:
        row = await invitations.accept_email_invitation(
            info.context.settings, info.context.viewer, input.token
        )
        return MembershipFromInvitationPayload(membership=Membership.from_row(row))

    @strawberry.mutation(
        description="Owners and admins: withdraw a pending invitation; its link stops working."
    )
    async def revoke_invitation(
        self,
        info: Info,
        input: Annotated[
            InvitationIdInput, strawberry.argument(description="The invitation to withdraw.")
        ],
    ) -> InvitationPayload:
        row = await invitations.revoke_invitation(info.context.viewer, _invitation_id(input))
        return InvitationPayload(invitation=Invitation.from_row(row))

    @strawberry.mutation(
        description="Owners and admins: mail an invitation again (pending, expired or "
        "revoked) with a new link; the old link stops working."
    )
    async def resend_invitation(
        self,
        info: Info,
        input: Annotated[
            InvitationIdInput, strawberry.argument(description="The invitation to send again.")
        ],
    ) -> InvitationPayload:
        row = await invitations.resend_invitation(
            info.context.settings, info.context.viewer, _invitation_id(input)
        )
        return InvitationPayload(invitation=Invitation.from_row(row))

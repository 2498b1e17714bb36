"""The `deleteAccount` mutation: thin, over `api.privacy.erasure`."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.core.context import Info
from api.core.types import UserError
from api.privacy import erasure

ErasureErrorCode = strawberry.enum(
    erasure.ErasureErrorCode, description="Why deleteAccount was refused."
)


@strawberry.type(description="A problem with deleteAccount's input.")
class ErasureError(UserError):
    code: ErasureErrorCode


@strawberry.input
class DeleteAccountInput:
    password: str = strawberry.field(description="Your password, to confirm it is you.")


@strawberry.type
class DeleteAccountPayload:
    deleted: bool = strawberry.field(
        default=False, description="Whether the account was deleted; false with userErrors."
    )
    closed_organizations: int = strawberry.field(
        default=0,
        description="Organizations you were the only member of, deleted with the account.",
    )
    user_errors: list[ErasureError] = strawberry.field(default_factory=list)


@strawberry.type
class ErasureMutation:
    @strawberry.mutation(
        description="Delete your account, given your password: your profile, resumes, contact "
        "data, memberships, connections, RSVPs and saved searches are erased; your posts and "
        "comments stay with a null author (a former member), employers keep your applications' "
        "stage without you. Every session is signed out and the old address is told. Refused "
        "while you are the only owner of an organization others belong to."
    )
    async def delete_account(
        self,
        info: Info,
        input: Annotated[DeleteAccountInput, strawberry.argument(description="Your password.")],
    ) -> DeleteAccountPayload:
        done = await erasure.delete_account(
            info.context.settings, info.context.viewer, input.password
        )
        return DeleteAccountPayload(deleted=True, closed_organizations=done.closed_organizations)

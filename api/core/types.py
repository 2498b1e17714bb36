"""GraphQL types every capability shares: the UserError interface and scalars."""

from __future__ import annotations

import strawberry


@strawberry.interface(
    description="A problem with a mutation's input that the user can fix; nothing was changed."
)
class UserError:
    field: str | None = strawberry.field(
        description="The input field at fault, as a path (`email`, `work[0].startDate`); "
        "null when the input as a whole is at fault."
    )
    message: str = strawberry.field(description="What is wrong, in words to show the user.")

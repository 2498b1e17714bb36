"""Who is asking: every service function takes the viewer explicitly."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from api.core.errors import Forbidden, Unauthenticated


@dataclass(frozen=True)
class Viewer:
    account_id: int | None = None
    is_staff: bool = False
    session_token_id: uuid.UUID | None = None
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """Facts about the viewer computed once per request (their connections, memberships)."""

    @property
    def is_authenticated(self) -> bool:
        return self.account_id is not None

    def require_account(self) -> int:
        """The signed-in account's id; `Unauthenticated` for an anonymous viewer."""
        if self.account_id is None:
            raise Unauthenticated("Sign in first: send `Authorization: Bearer <token>`.")
        return self.account_id

    def require_staff(self) -> int:
        account_id = self.require_account()
        if not self.is_staff:
            raise Forbidden("Only staff may do this.")
        return account_id


ANONYMOUS = Viewer()

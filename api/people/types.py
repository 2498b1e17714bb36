"""GraphQL types for accounts and sign-in sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay

from api.core.context import Info
from api.core.errors import FieldError
from api.core.pagination import Connection
from api.core.types import UserError
from api.people import service
from api.people.loaders import AccountByIdLoader

AccountErrorCode = strawberry.enum(
    service.AccountErrorCode, description="Why an account mutation was refused."
)


@strawberry.type(description="A problem with an account mutation's input.")
class AccountError(UserError):
    code: AccountErrorCode

    @classmethod
    def from_field_errors(cls, errors: list[FieldError]) -> list[AccountError]:
        return [cls(field=e.field, code=e.code, message=e.message) for e in errors]


@strawberry.type(description="A signed-in device or client: one token handed out by `login`.")
class Session(relay.Node):
    id: relay.NodeID[int]
    created_at: datetime
    expires_at: datetime
    user_agent: str
    is_current: bool = strawberry.field(description="Whether this request uses this session.")

    @classmethod
    def from_row(cls, row: dict[str, Any], info: Info) -> Session:
        return cls(
            id=row["id"],
            created_at=row["created_at"],
            expires_at=row["expires_at"],
            user_agent=row["user_agent"],
            is_current=row["token_id"] == info.context.viewer.session_token_id,
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[Session | None]:
        # Sessions are reached through `viewer.sessions` only; a node lookup reveals nothing.
        return [None for _ in node_ids]


@strawberry.type(description="Someone who signs in to Confrere.")
class Account(relay.Node):
    id: relay.NodeID[int]
    email: str
    name: str
    is_staff: bool
    created_at: datetime

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Account:
        return cls(
            id=row["id"],
            email=row["email"],
            name=row["name"],
            is_staff=row["is_staff"],
            created_at=row["created_at"],
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[Account | None]:
        viewer = info.context.viewer
        loader = info.context.loaders.get(AccountByIdLoader)
        accounts: list[Account | None] = []
        for node_id in node_ids:
            account_id = int(node_id) if node_id.isdigit() else None
            if account_id is None or not service.may_see_account(viewer, account_id):
                accounts.append(None)
                continue
            row = await loader.load(account_id)
            accounts.append(cls.from_row(row) if row else None)
        return accounts

    @strawberry.field(description="Your sessions that are still signed in, oldest first.")
    async def sessions(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Session]:
        page = await service.active_sessions(info.context.viewer, self.id, first=first, after=after)
        return Connection.from_page(page, lambda row: Session.from_row(row, info))


@strawberry.input(description="A new account.")
class RegisterInput:
    email: str
    password: str = strawberry.field(description="At least 10 characters.")
    name: str


@strawberry.type
class RegisterPayload:
    account: Account | None = None
    user_errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.input
class LoginInput:
    email: str
    password: str


@strawberry.type
class LoginPayload:
    token: str | None = strawberry.field(
        default=None, description="Send it as `Authorization: Bearer <token>`."
    )
    expires_at: datetime | None = None
    account: Account | None = None
    user_errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.input
class LogoutInput:
    all_sessions: bool = strawberry.field(
        default=False, description="Sign out every session of the account, not just this one."
    )


@strawberry.type
class LogoutPayload:
    revoked_sessions: int = 0
    user_errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.input
class RevokeSessionInput:
    session_id: relay.GlobalID


@strawberry.type
class RevokeSessionPayload:
    revoked_session_id: relay.GlobalID | None = None
    user_errors: list[AccountError] = strawberry.field(default_factory=list)

"""The accounts part of the GraphQL schema: `viewer`, register, login, logout."""

from __future__ import annotations

import strawberry

from api.core.context import Info
from api.core.errors import InvalidInput
from api.people import service
from api.people.loaders import AccountByIdLoader
from api.people.types import (
    Account,
    AccountError,
    LoginInput,
    LoginPayload,
    LogoutInput,
    LogoutPayload,
    RegisterInput,
    RegisterPayload,
    RevokeSessionInput,
    RevokeSessionPayload,
    Session,
)


@strawberry.type
class PeopleQuery:
    @strawberry.field(description="The signed-in account; null for an anonymous request.")
    async def viewer(self, info: Info) -> Account | None:
        account_id = info.context.viewer.account_id
        if account_id is None:
            return None
        row = await info.context.loaders.get(AccountByIdLoader).load(account_id)
        return Account.from_row(row) if row else None


@strawberry.type
class PeopleMutation:
    @strawberry.mutation(description="Create an account. Log in afterwards to get a token.")
    async def register(self, input: RegisterInput) -> RegisterPayload:
        try:
            row = await service.register(
                email=input.email, password=input.password, name=input.name
            )
        except InvalidInput as invalid:
            return RegisterPayload(user_errors=AccountError.from_field_errors(invalid.errors))
        return RegisterPayload(account=Account.from_row(row))

    @strawberry.mutation(
        description="Exchange an email and password for a bearer token. Repeated failures "
        "are throttled."
    )
    async def login(self, info: Info, input: LoginInput) -> LoginPayload:
        request = info.context.request
        try:
            result = await service.login(
                info.context.settings,
                email=input.email,
                password=input.password,
                ip_address=info.context.client_address,
                user_agent=request.headers.get("user-agent", "") if request else "",
            )
        except InvalidInput as invalid:
            return LoginPayload(user_errors=AccountError.from_field_errors(invalid.errors))
        return LoginPayload(
            token=result.token,
            expires_at=result.expires_at,
            account=Account.from_row(result.account),
        )

    @strawberry.mutation(description="Revoke the token this request carries (or every one).")
    async def logout(self, info: Info, input: LogoutInput | None = None) -> LogoutPayload:
        all_sessions = input.all_sessions if input else False
        revoked = await service.logout(info.context.viewer, all_sessions=all_sessions)
        return LogoutPayload(revoked_sessions=revoked)

    @strawberry.mutation(description="Sign one of your other sessions out.")
    async def revoke_session(self, info: Info, input: RevokeSessionInput) -> RevokeSessionPayload:
        session_id = input.session_id
        try:
            if session_id.type_name != Session.__name__ or not session_id.node_id.isdigit():
                raise InvalidInput(service.session_not_found())
            await service.revoke_session(info.context.viewer, int(session_id.node_id))
        except InvalidInput as invalid:
            return RevokeSessionPayload(user_errors=AccountError.from_field_errors(invalid.errors))
        return RevokeSessionPayload(revoked_session_id=session_id)

"""The people part of the GraphQL schema: the viewer, accounts, profiles, connections, blocks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry import relay

from api.core.auth import clear_session_cookie, set_session_cookie
from api.core.context import Info
from api.core.errors import InvalidInput
from api.core.records import mutation
from api.core.types import database_id, row_id
from api.core.viewer import Viewer
from api.people import connections, profiles, recovery, service
from api.people.loaders import AccountByIdLoader
from api.people.profiles import ProfileView
from api.people.types import (
    Account,
    AnswerConnectionInput,
    BlockedPerson,
    BlockPersonPayload,
    ChangeEmailInput,
    ChangeEmailPayload,
    ChangePasswordInput,
    ChangePasswordPayload,
    ConnectionPayload,
    ConnectionRequest,
    LoginInput,
    LoginPayload,
    LogoutInput,
    LogoutPayload,
    Person,
    PersonIdInput,
    RegisterInput,
    RegisterPayload,
    RequestConnectionInput,
    RequestPasswordResetInput,
    RequestPasswordResetPayload,
    ResendVerificationPayload,
    ResetPasswordInput,
    ResetPasswordPayload,
    RevokeSessionInput,
    RevokeSessionPayload,
    Session,
    UnblockPersonPayload,
    UpdateProfileInput,
    UpdateProfilePayload,
    VerifyEmailInput,
    VerifyEmailPayload,
    WithdrawConnectionRequestInput,
)

R = TypeVar("R")


@strawberry.type
class PeopleQuery:
    @strawberry.field(description="The signed-in account; null for an anonymous request.")
    async def viewer(self, info: Info) -> Account | None:
        account_id = info.context.viewer.account_id
        if account_id is None:
            return None
        row = await info.context.loaders.get(AccountByIdLoader).load(account_id)
        return Account.from_row(row) if row else None


def _user_agent(info: Info) -> str:
    request = info.context.request
    return request.headers.get("user-agent", "") if request else ""


def _signed_in(result: service.LoginResult) -> dict[str, Any]:
    """What a register or login payload says of the session it opened."""
    return {
        "token": result.token,
        "expires_at": result.expires_at,
        "account": Account.from_row(result.account),
    }


def _sign_browser_in(info: Info, result: service.LoginResult) -> None:
    """The session also goes into the browser's HttpOnly cookie (the member app's sign-in)."""
    if info.context.response is not None:
        set_session_cookie(
            info.context.response,
            result.token,
            result.expires_at,
            secure=info.context.settings.secure_cookies,
        )


async def _revoke_session(viewer: Viewer, input: RevokeSessionInput) -> relay.GlobalID:
    session_id = input.session_id
    session = row_id(session_id.node_id)
    if session_id.type_name != Session.__name__ or session is None:
        raise InvalidInput(service.session_not_found())
    await service.revoke_session(viewer, session)
    return session_id


def _revoked_payload(session_id: relay.GlobalID) -> RevokeSessionPayload:
    return RevokeSessionPayload(revoked_session_id=session_id)


@strawberry.type
class PeopleMutation:
    @strawberry.mutation(
        description="Create an account and sign it in: the payload's token is a session like "
        "the one `login` opens (revocable with `logout`)."
    )
    async def register(
        self,
        info: Info,
        input: Annotated[
            RegisterInput, strawberry.argument(description="Your email, password and name.")
        ],
    ) -> RegisterPayload:
        result = await service.register_and_sign_in(
            info.context.settings,
            email=input.email,
            password=input.password,
            name=input.name,
            client_address=info.context.client_address,
            user_agent=_user_agent(info),
        )
        _sign_browser_in(info, result)
        return RegisterPayload(**_signed_in(result))

    @strawberry.mutation(
        description="Exchange an email and password for a bearer token (a browser also gets "
        "it as an HttpOnly session cookie, which authenticates only JSON POSTs). Repeated "
        "failures are throttled."
    )
    async def login(
        self,
        info: Info,
        input: Annotated[
            LoginInput,
            strawberry.argument(description="The email and password you registered with."),
        ],
    ) -> LoginPayload:
        result = await service.login(
            info.context.settings,
            email=input.email,
            password=input.password,
            ip_address=info.context.client_address,
            user_agent=_user_agent(info),
        )
        _sign_browser_in(info, result)
        return LoginPayload(**_signed_in(result))

    @strawberry.mutation(
        description="Revoke the token this request carries (or every one); a browser's session "
        "cookie is cleared."
    )
    async def logout(
        self,
        info: Info,
        input: Annotated[
            LogoutInput | None,
            strawberry.argument(description="Leave out to sign out this session only."),
        ] = None,
    ) -> LogoutPayload:
        all_sessions = input.all_sessions if input else False
        revoked = await service.logout(info.context.viewer, all_sessions=all_sessions)
        if info.context.response is not None:
            clear_session_cookie(info.context.response, secure=info.context.settings.secure_cookies)
        return LogoutPayload(revoked_sessions=revoked)

    revoke_session = mutation(
        "Sign one of your other sessions out.",
        RevokeSessionInput,
        "The session to sign out.",
        _revoke_session,
        _revoked_payload,
    )


@strawberry.type
class AccountRecoveryMutation:
    @strawberry.mutation(
        description="Verify your address with the token of the link mailed to it (at "
        "registration, or by resendVerification). Each link works once; no need to be signed in."
    )
    async def verify_email(
        self,
        info: Info,
        input: Annotated[
            VerifyEmailInput, strawberry.argument(description="The token from the link.")
        ],
    ) -> VerifyEmailPayload:
        row = await recovery.verify_email(info.context.settings, input.token)
        owner = info.context.viewer.account_id == row["id"]
        return VerifyEmailPayload(
            email=row["email"], account=Account.from_row(row) if owner else None
        )

    @strawberry.mutation(
        description="Mail yourself a new verification link. Limited to a few an hour."
    )
    async def resend_verification(self, info: Info) -> ResendVerificationPayload:
        row = await recovery.resend_verification(info.context.settings, info.context.viewer)
        return ResendVerificationPayload(email=row["email"])

    @strawberry.mutation(
        description="Mail a password-reset link, valid for an hour, to the account using this "
        "address. The answer is the same whether or not one does. Limited per address and "
        "per client."
    )
    async def request_password_reset(
        self,
        info: Info,
        input: Annotated[
            RequestPasswordResetInput,
            strawberry.argument(description="The address of the account."),
        ],
    ) -> RequestPasswordResetPayload:
        await recovery.request_password_reset(
            info.context.settings, input.email, info.context.client_address
        )
        return RequestPasswordResetPayload()

    @strawberry.mutation(
        description="Choose a new password with the token of a password-reset link. Every "
        "session of the account is signed out; the link works once."
    )
    async def reset_password(
        self,
        info: Info,
        input: Annotated[
            ResetPasswordInput,
            strawberry.argument(description="The token from the link and the new password."),
        ],
    ) -> ResetPasswordPayload:
        revoked = await recovery.reset_password(
            info.context.settings, input.token, input.new_password
        )
        return ResetPasswordPayload(revoked_sessions=revoked)

    @strawberry.mutation(
        description="Change your password, given the current one. Your other sessions are "
        "signed out; this one stays."
    )
    async def change_password(
        self,
        info: Info,
        input: Annotated[
            ChangePasswordInput,
            strawberry.argument(description="Your current and your new password."),
        ],
    ) -> ChangePasswordPayload:
        revoked = await recovery.change_password(
            info.context.settings,
            info.context.viewer,
            input.current_password,
            input.new_password,
        )
        return ChangePasswordPayload(revoked_sessions=revoked)

    @strawberry.mutation(
        description="Move your account to another address, given your password: a link is "
        "mailed to the new address, and following it (verifyEmail takes its token) makes the "
        "change, verified, and tells the old address. Limited to a few an hour."
    )
    async def change_email(
        self,
        info: Info,
        input: Annotated[
            ChangeEmailInput,
            strawberry.argument(description="The new address and your current password."),
        ],
    ) -> ChangeEmailPayload:
        email = await recovery.change_email(
            info.context.settings, info.context.viewer, input.new_email, input.current_password
        )
        return ChangeEmailPayload(email=email)


def _account_id(global_id: relay.GlobalID, field: str = "personId") -> int:
    return database_id(
        global_id, "Person", field=field, code=connections.ConnectionErrorCode.NOT_FOUND
    )


def _connection_id(global_id: relay.GlobalID) -> int:
    return database_id(
        global_id,
        "ConnectionRequest",
        field="connectionId",
        code=connections.ConnectionErrorCode.NOT_FOUND,
    )


async def _update_profile(viewer: Viewer, input: UpdateProfileInput) -> ProfileView:
    """Save the changes and read the profile back as its owner sees it."""
    await profiles.update_profile(viewer, input.changes())
    views = await profiles.visible_profiles(viewer, [viewer.require_account()])
    return views[viewer.require_account()]


def _profile_payload(view: ProfileView) -> UpdateProfilePayload:
    return UpdateProfilePayload(person=Person.from_view(view))


def _connection_payload(row: dict[str, Any]) -> ConnectionPayload:
    return ConnectionPayload(connection=ConnectionRequest.from_row(row))


def _by_request(verb: Callable[[Viewer, int], Awaitable[R]]) -> Callable[..., Awaitable[R]]:
    """`verb(viewer, connection id)` for an input naming `connectionId`."""
    return lambda viewer, input: verb(viewer, _connection_id(input.connection_id))


def _by_person(verb: Callable[[Viewer, int], Awaitable[R]]) -> Callable[..., Awaitable[R]]:
    """`verb(viewer, account id)` for an input naming `personId`."""
    return lambda viewer, input: verb(viewer, _account_id(input.person_id))


def _block_payload(row: dict[str, Any]) -> BlockPersonPayload:
    return BlockPersonPayload(blocked_person=BlockedPerson.from_row(row))


def _unblock_payload(person_id: relay.GlobalID) -> UnblockPersonPayload:
    return UnblockPersonPayload(unblocked_person_id=person_id)


async def _unblock(viewer: Viewer, input: PersonIdInput) -> relay.GlobalID:
    await connections.unblock_person(viewer, _account_id(input.person_id))
    return input.person_id


@strawberry.type
class ProfileMutation:
    update_profile = mutation(
        "Change your profile; omitted fields stay as they are.",
        UpdateProfileInput,
        "The profile fields to change.",
        _update_profile,
        _profile_payload,
    )

    request_connection = mutation(
        "Ask someone to connect. If they already asked you, you are connected.",
        RequestConnectionInput,
        "Whom to ask, with an optional note.",
        lambda viewer, input: connections.request_connection(
            viewer, _account_id(input.person_id), input.note
        ),
        _connection_payload,
    )

    accept_connection = mutation(
        "Accept a request someone sent you.",
        AnswerConnectionInput,
        "The request to accept.",
        _by_request(connections.accept_connection),
        _connection_payload,
    )

    decline_connection = mutation(
        "Decline a request someone sent you.",
        AnswerConnectionInput,
        "The request to decline.",
        _by_request(connections.decline_connection),
        _connection_payload,
    )

    withdraw_connection_request = mutation(
        "Take back a request you sent while it is pending.",
        WithdrawConnectionRequestInput,
        "The request to take back.",
        _by_request(connections.withdraw_connection_request),
        _connection_payload,
    )

    remove_connection = mutation(
        "End a connection, from either side. Either of you may ask again later.",
        PersonIdInput,
        "The person to disconnect from.",
        _by_person(connections.remove_connection),
        _connection_payload,
    )

    block_person = mutation(
        "Block someone: it ends your connection or pending request, stops "
        "requests either way, and hides your profile and resumes from them.",
        PersonIdInput,
        "The person to block.",
        _by_person(connections.block_person),
        _block_payload,
    )

    unblock_person = mutation(
        "Lift a block. The connection it ended stays ended; either may ask again.",
        PersonIdInput,
        "The person to unblock.",
        _unblock,
        _unblock_payload,
    )

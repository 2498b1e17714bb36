"""The accounts part of the GraphQL schema: `viewer`, register, login, logout."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from api.core.context import Info
from api.core.errors import InvalidInput
from api.core.types import database_id, row_id
from api.people import connections, profiles, service
from api.people.loaders import AccountByIdLoader
from api.people.types import (
    Account,
    AnswerConnectionInput,
    BlockedPerson,
    BlockPersonPayload,
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
    RevokeSessionInput,
    RevokeSessionPayload,
    Session,
    UnblockPersonPayload,
    UpdateProfileInput,
    UpdateProfilePayload,
    WithdrawConnectionRequestInput,
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
        request = info.context.request
        result = await service.register_and_sign_in(
            info.context.settings,
            email=input.email,
            password=input.password,
            name=input.name,
            client_address=info.context.client_address,
            user_agent=request.headers.get("user-agent", "") if request else "",
        )
        return RegisterPayload(
            token=result.token,
            expires_at=result.expires_at,
            account=Account.from_row(result.account),
        )

    @strawberry.mutation(
        description="Exchange an email and password for a bearer token. Repeated failures "
        "are throttled."
    )
    async def login(
        self,
        info: Info,
        input: Annotated[
            LoginInput,
            strawberry.argument(description="The email and password you registered with."),
        ],
    ) -> LoginPayload:
        request = info.context.request
        result = await service.login(
            info.context.settings,
            email=input.email,
            password=input.password,
            ip_address=info.context.client_address,
            user_agent=request.headers.get("user-agent", "") if request else "",
        )
        return LoginPayload(
            token=result.token,
            expires_at=result.expires_at,
            account=Account.from_row(result.account),
        )

    @strawberry.mutation(description="Revoke the token this request carries (or every one).")
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
        return LogoutPayload(revoked_sessions=revoked)

    @strawberry.mutation(description="Sign one of your other sessions out.")
    async def revoke_session(
        self,
        info: Info,
        input: Annotated[
            RevokeSessionInput, strawberry.argument(description="The session to sign out.")
        ],
    ) -> RevokeSessionPayload:
        session_id = input.session_id
        if session_id.type_name != Session.__name__ or row_id(session_id.node_id) is None:
            raise InvalidInput(service.session_not_found())
        await service.revoke_session(info.context.viewer, row_id(session_id.node_id))
        return RevokeSessionPayload(revoked_session_id=session_id)


def _account_id(global_id: relay.GlobalID, field: str) -> int:
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


@strawberry.type
class ProfileMutation:
    @strawberry.mutation(description="Change your profile; omitted fields stay as they are.")
    async def update_profile(
        self,
        info: Info,
        input: Annotated[
            UpdateProfileInput, strawberry.argument(description="The profile fields to change.")
        ],
    ) -> UpdateProfilePayload:
        viewer = info.context.viewer
        await profiles.update_profile(viewer, input.changes())
        views = await profiles.visible_profiles(viewer, [viewer.require_account()])
        return UpdateProfilePayload(person=Person.from_view(views[viewer.require_account()]))

    @strawberry.mutation(
        description="Ask someone to connect. If they already asked you, you are connected."
    )
    async def request_connection(
        self,
        info: Info,
        input: Annotated[
            RequestConnectionInput,
            strawberry.argument(description="Whom to ask, with an optional note."),
        ],
    ) -> ConnectionPayload:
        return ConnectionPayload(
            connection=ConnectionRequest.from_row(
                await connections.request_connection(
                    info.context.viewer, _account_id(input.person_id, "personId"), input.note
                )
            )
        )

    @strawberry.mutation(description="Accept a request someone sent you.")
    async def accept_connection(
        self,
        info: Info,
        input: Annotated[
            AnswerConnectionInput, strawberry.argument(description="The request to accept.")
        ],
    ) -> ConnectionPayload:
        return ConnectionPayload(
            connection=ConnectionRequest.from_row(
                await connections.accept_connection(
                    info.context.viewer, _connection_id(input.connection_id)
                )
            )
        )

    @strawberry.mutation(description="Decline a request someone sent you.")
    async def decline_connection(
        self,
        info: Info,
        input: Annotated[
            AnswerConnectionInput, strawberry.argument(description="The request to decline.")
        ],
    ) -> ConnectionPayload:
        return ConnectionPayload(
            connection=ConnectionRequest.from_row(
                await connections.decline_connection(
                    info.context.viewer, _connection_id(input.connection_id)
                )
            )
        )

    @strawberry.mutation(description="Take back a request you sent while it is pending.")
    async def withdraw_connection_request(
        self,
        info: Info,
        input: Annotated[
            WithdrawConnectionRequestInput,
            strawberry.argument(description="The request to take back."),
        ],
    ) -> ConnectionPayload:
        return ConnectionPayload(
            connection=ConnectionRequest.from_row(
                await connections.withdraw_connection_request(
                    info.context.viewer, _connection_id(input.connection_id)
                )
            )
        )

    @strawberry.mutation(
        description="End a connection, from either side. Either of you may ask again later."
    )
    async def remove_connection(
        self,
        info: Info,
        input: Annotated[
            PersonIdInput, strawberry.argument(description="The person to disconnect from.")
        ],
    ) -> ConnectionPayload:
        return ConnectionPayload(
            connection=ConnectionRequest.from_row(
                await connections.remove_connection(
                    info.context.viewer, _account_id(input.person_id, "personId")
                )
            )
        )

    @strawberry.mutation(
        description="Block someone: it ends your connection or pending request, stops "
        "requests either way, and hides your profile and resumes from them."
    )
    async def block_person(
        self,
        info: Info,
        input: Annotated[PersonIdInput, strawberry.argument(description="The person to block.")],
    ) -> BlockPersonPayload:
        row = await connections.block_person(
            info.context.viewer, _account_id(input.person_id, "personId")
        )
        return BlockPersonPayload(blocked_person=BlockedPerson.from_row(row))

    @strawberry.mutation(
        description="Lift a block. The connection it ended stays ended; either may ask again."
    )
    async def unblock_person(
        self,
        info: Info,
        input: Annotated[PersonIdInput, strawberry.argument(description="The person to unblock.")],
    ) -> UnblockPersonPayload:
        await connections.unblock_person(
            info.context.viewer, _account_id(input.person_id, "personId")
        )
        return UnblockPersonPayload(unblocked_person_id=input.person_id)

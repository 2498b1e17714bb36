"""GraphQL types for accounts and sign-in sessions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Self

import strawberry
from strawberry import UNSET, relay

from api.core.context import Info
from api.core.errors import Forbidden
from api.core.loaders import load_nodes
from api.core.pagination import (
    After,
    Connection,
    First,
    Page,
    decode_cursor,
    page_size,
    search_cursor,
    search_page_info,
)
from api.core.types import UserError, given, row_id
from api.people import connections, degrees, profiles, service, tables
from api.people.loaders import (
    AccountByIdLoader,
    DegreeByPersonLoader,
    MutualConnectionIdsByPersonLoader,
    PersonByIdLoader,
)
from api.people.profiles import ProfileView

if TYPE_CHECKING:  # resolved lazily at run time: resumes and networks build on people
    from api.alerts.schema import SavedJobSearch
    from api.messaging.types import Conversation, MessageRequestQuota, MessagingAudience
    from api.networks.types import Organization
    from api.notifications.preference_schema import NotificationPreference
    from api.notifications.types import Notification
    from api.resumes.types import OpenToWork, Resume

# A default for a field of `Account`, whose own `connections` field shadows the module there.
_RECEIVED = connections.RequestDirection.RECEIVED
# Defined before `Account`, whose argument annotation must evaluate for its description to hold.
RequestDirection = strawberry.enum(
    connections.RequestDirection,
    name="ConnectionRequestDirection",
    description="RECEIVED: requests people sent you. SENT: requests you sent.",
)

AccountErrorCode = strawberry.enum(
    service.AccountErrorCode, description="Why an account mutation was refused."
)


class UnlistedNode:
    """A Relay node reached only through other fields and mutation payloads (a session through
    `viewer.sessions`, say): `node(id:)` finds none, so an id reveals nothing."""

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[Self | None]:
        return [None for _ in node_ids]


@strawberry.type(description="A problem with an account mutation's input.")
class AccountError(UserError):
    code: AccountErrorCode


@strawberry.type(description="A signed-in device or client: one token handed out by `login`.")
class Session(UnlistedNode, relay.Node):
    id: relay.NodeID[int]
    created_at: datetime
    expires_at: datetime
    user_agent: str | None = strawberry.field(
        description="The client's User-Agent, if it sent one."
    )
    is_current: bool = strawberry.field(description="Whether this request uses this session.")

    @classmethod
    def from_row(cls, row: dict[str, Any], info: Info) -> Session:
        return cls(
            id=row["id"],
            created_at=row["created_at"],
            expires_at=row["expires_at"],
            user_agent=given(row["user_agent"]),
            is_current=row["token_id"] == info.context.viewer.session_token_id,
        )


@strawberry.type(description="Someone who signs in to Confrere.")
class Account(relay.Node):
    id: relay.NodeID[int]
    email: str
    name: str
    is_staff: bool
    created_at: datetime
    email_verified: bool = strawberry.field(
        description="Whether the owner followed a link mailed to `email` (verifyEmail, or a "
        "password reset)."
    )

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Account:
        return cls(
            id=row["id"],
            email=row["email"],
            name=row["name"],
            is_staff=row["is_staff"],
            created_at=row["created_at"],
            email_verified=row["email_verified_at"] is not None,
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[Account | None]:
        viewer = info.context.viewer
        loader = info.context.loaders.get(AccountByIdLoader)
        accounts: list[Account | None] = []
        for node_id in node_ids:
            account_id = row_id(node_id)
            if account_id is None or not service.may_see_account(viewer, account_id):
                accounts.append(None)
                continue
            row = await loader.load(account_id)
            accounts.append(cls.from_row(row) if row else None)
        return accounts

    @strawberry.field(description="Your profile, resumes and open-to-work preferences.")
    async def person(self, info: Info) -> Person | None:
        view = await info.context.loaders.get(PersonByIdLoader).load(self.id)
        return Person.from_view(view) if view else None

    @strawberry.field(
        description="Organizations whose people must not see your resumes (setResumeExclusions)."
    )
    async def resume_exclusions(self, info: Info) -> list[relay.GlobalID]:
        from api.resumes.service import exclusions_of

        self._require_owner(info)
        ids = await exclusions_of(info.context.viewer)
        return [relay.GlobalID("Organization", str(i)) for i in ids]

    @strawberry.field(description="Your sessions that are still signed in, oldest first.")
    async def sessions(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[Session]:
        page = await service.active_sessions(info.context.viewer, self.id, first=first, after=after)
        return Connection.from_page(page, lambda row: Session.from_row(row, info))

    @strawberry.field(
        description="What concerns you, newest first: who did what to what. `unreadOnly`: "
        "only those not marked read yet."
    )
    async def notifications(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        unread_only: Annotated[
            bool, strawberry.argument(description="Only the notifications not marked read.")
        ] = False,
    ) -> Connection[Annotated[Notification, strawberry.lazy("api.notifications.types")]]:
        from api.notifications import service as notifications
        from api.notifications.types import Notification

        self._require_owner(info)
        page = await notifications.notifications_page(
            info.context.viewer, unread_only=unread_only, first=first, after=after
        )
        return Connection.from_page(page, Notification.from_record, notifications.encode_cursor)

    @strawberry.field(description="How many of your notifications are not marked read yet.")
    async def unread_notification_count(self, info: Info) -> int:
        from api.notifications.service import unread_count

        self._require_owner(info)
        return await unread_count(info.context.viewer)

    @strawberry.field(
        description="Your conversations, the one with the newest message first: those not "
        "archived, or (`archived: true`) the archived ones. Message requests you declined are "
        "left out."
    )
    async def conversations(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        archived: Annotated[
            bool, strawberry.argument(description="The archived conversations instead.")
        ] = False,
    ) -> Connection[Annotated[Conversation, strawberry.lazy("api.messaging.types")]]:
        from api.messaging import service as messaging
        from api.messaging.types import Conversation, conversation_cursor

        self._require_owner(info)
        page = await messaging.conversations_page(
            info.context.viewer, archived=archived, first=first, after=after
        )
        return Connection.from_page(page, Conversation.from_record, conversation_cursor)

    @strawberry.field(
        description="How many messages by others you have not read, over all your "
        "conversations (declined message requests left out)."
    )
    async def unread_message_count(self, info: Info) -> int:
        from api.messaging.service import unread_total

        self._require_owner(info)
        return await unread_total(info.context.viewer)

    @strawberry.field(
        description="Who may start a conversation with you (setMessagingPreferences)."
    )
    async def messaging_audience(
        self, info: Info
    ) -> Annotated[MessagingAudience, strawberry.lazy("api.messaging.types")]:
        from api.messaging.service import messaging_audience

        self._require_owner(info)
        return await messaging_audience(info.context.viewer)

    @strawberry.field(
        description="For each verified employer you own or administer: how many message "
        "requests it may send in any 7 days, and has sent."
    )
    async def message_request_quotas(
        self, info: Info
    ) -> list[Annotated[MessageRequestQuota, strawberry.lazy("api.messaging.types")]]:
        from api.messaging.service import request_quotas
        from api.messaging.types import MessageRequestQuota

        self._require_owner(info)
        quotas = await request_quotas(info.context.viewer, info.context.settings)
        return [MessageRequestQuota.from_record(quota) for quota in quotas]

    @strawberry.field(
        description="When each kind of notification is also emailed: your choice, or the "
        "kind's default."
    )
    async def notification_preferences(
        self, info: Info
    ) -> list[
        Annotated[NotificationPreference, strawberry.lazy("api.notifications.preference_schema")]
    ]:
        from api.notifications.preference_schema import NotificationPreference
        from api.notifications.preferences import preferences

        self._require_owner(info)
        return [
            NotificationPreference.from_record(p) for p in await preferences(info.context.viewer)
        ]

    @strawberry.field(
        description="Your saved job searches (saveJobSearch), oldest first, with their "
        "alerts and what is new since each last ran."
    )
    async def saved_job_searches(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[Annotated[SavedJobSearch, strawberry.lazy("api.alerts.schema")]]:
        from api.alerts.schema import saved_job_searches

        self._require_owner(info)
        page, searches = await saved_job_searches(info, first, after)
        return Connection.from_page(page, lambda row: searches[row["id"]])

    def _require_owner(self, info: Info) -> None:
        if info.context.viewer.account_id != self.id:
            raise Forbidden("Only the account's owner sees its connections.")

    @strawberry.field(
        description="Your connections whose profiles you may see, most recently connected first."
    )
    async def connections(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[Person]:
        self._require_owner(info)
        page = await degrees.connections_page(info.context.viewer, first=first, after=after)
        views = await info.context.loaders.get(PersonByIdLoader).load_many(
            [row["id"] for row in page.rows]
        )
        return ranked_connection(page, [Person.from_view(v) if v else None for v in views])

    @strawberry.field(
        description="Connection requests waiting for an answer: the ones you RECEIVED (the "
        "default) or SENT, oldest first."
    )
    async def connection_requests(
        self,
        info: Info,
        direction: Annotated[
            RequestDirection,
            strawberry.argument(
                description=(
                    "RECEIVED: requests waiting for your answer; SENT: yours, waiting for theirs."
                )
            ),
        ] = _RECEIVED,
        first: First = None,
        after: After = None,
    ) -> Connection[ConnectionRequest]:
        self._require_owner(info)
        page = await connections.connection_requests_page(
            info.context.viewer, direction, first=first, after=after
        )
        return Connection.from_page(page, ConnectionRequest.from_row)

    @strawberry.field(description="The people you blocked, in the order you blocked them.")
    async def blocked_people(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[BlockedPerson]:
        self._require_owner(info)
        page = await connections.blocks_page(info.context.viewer, first=first, after=after)
        return Connection.from_page(page, BlockedPerson.from_row)

    @strawberry.field(
        description="People you are not connected to, ranked by what you share: score = "
        "2 * mutual connections + 1 * shared organizations. Leaves out your connections, "
        "pending requests either way and blocked people."
    )
    async def people_you_may_know(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[PersonSuggestion]:
        self._require_owner(info)
        page = await degrees.people_you_may_know(info.context.viewer, first=first, after=after)
        views = await info.context.loaders.get(PersonByIdLoader).load_many(
            [row["id"] for row in page.rows]
        )
        return ranked_connection(
            page,
            [
                PersonSuggestion.from_row(row, Person.from_view(view)) if view else None
                for row, view in zip(page.rows, views, strict=True)
            ],
        )


@strawberry.input(description="A new account.")
class RegisterInput:
    email: str = strawberry.field(description="Your email address; you sign in with it.")
    password: str = strawberry.field(description="At least 10 characters.")
    name: str = strawberry.field(description="Your name, as others will see it.")


@strawberry.type
class RegisterPayload:
    token: str | None = strawberry.field(
        default=None,
        description="You are signed in at once: send it as `Authorization: Bearer <token>`.",
    )
    expires_at: datetime | None = None
    account: Account | None = None
    user_errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.input
class LoginInput:
    email: str = strawberry.field(description="The email you registered with.")
    password: str = strawberry.field(description="Your password.")


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
class VerifyEmailInput:
    token: str = strawberry.field(
        description="The `token` query parameter of the link in the verification email."
    )


@strawberry.type
class VerifyEmailPayload:
    email: str | None = strawberry.field(default=None, description="The address now verified.")
    account: Account | None = strawberry.field(
        default=None, description="The verified account, when you are signed in as it."
    )
    user_errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.type
class ResendVerificationPayload:
    email: str | None = strawberry.field(default=None, description="Where the new link was sent.")
    user_errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.input
class RequestPasswordResetInput:
    email: str = strawberry.field(description="The address you registered with.")


@strawberry.type(
    description="The same answer whether or not an account uses the address: if one does, a "
    "link valid for an hour is on its way."
)
class RequestPasswordResetPayload:
    user_errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.input
class ResetPasswordInput:
    token: str = strawberry.field(
        description="The `token` query parameter of the link in the password-reset email."
    )
    new_password: str = strawberry.field(description="At least 10 characters.")


@strawberry.type
class ResetPasswordPayload:
    revoked_sessions: int = strawberry.field(
        default=0, description="Sessions signed out: all of them. Log in with the new password."
    )
    user_errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.input
class ChangePasswordInput:
    current_password: str = strawberry.field(description="Your password now.")
    new_password: str = strawberry.field(description="At least 10 characters.")


@strawberry.input
class ChangeEmailInput:
    new_email: str = strawberry.field(description="The address to move your account to.")
    current_password: str = strawberry.field(description="Your password now.")


@strawberry.type
class ChangeEmailPayload:
    email: str | None = strawberry.field(
        default=None,
        description="The new address, where a confirmation link was mailed. Your account "
        "keeps its current address until the link is followed.",
    )
    user_errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.type
class ChangePasswordPayload:
    revoked_sessions: int = strawberry.field(
        default=0, description="Your other sessions, signed out; this one stays signed in."
    )
    user_errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.input
class RevokeSessionInput:
    session_id: relay.GlobalID = strawberry.field(
        description="The session to sign out (an id from viewer.sessions)."
    )


@strawberry.type
class RevokeSessionPayload:
    revoked_session_id: relay.GlobalID | None = None
    user_errors: list[AccountError] = strawberry.field(default_factory=list)


Visibility = strawberry.enum(
    tables.Visibility,
    description="Who may see something. Audiences nest: each level includes the ones before "
    "it. PRIVATE: the owner only; CONNECTIONS: and their connections; MEMBERS: and people who "
    "share an organization with the owner; EMPLOYERS: and accounts acting for a verified "
    "employer; PUBLIC: anyone.",
)
ProfileErrorCode = strawberry.enum(profiles.ProfileErrorCode)
ConnectionErrorCode = strawberry.enum(connections.ConnectionErrorCode)
ConnectionStatus = strawberry.enum(tables.ConnectionStatus)
ConnectionDegree = strawberry.enum(
    degrees.Degree,
    name="ConnectionDegree",
    description="How close a person is to you; the closest that applies. SELF: you. FIRST: "
    "you are connected. SECOND: you share a connection. FELLOW_MEMBER: you are both active "
    "members of an organization. NONE: none of these.",
)


@strawberry.type
class ProfileError(UserError):
    code: ProfileErrorCode


@strawberry.type
class ConnectionError(UserError):
    code: ConnectionErrorCode


@strawberry.type(description="Where someone is; each part null when not given.")
class Place:
    city: str | None
    region: str | None
    country_code: str | None = strawberry.field(description="ISO 3166-1 alpha-2, like DE or US.")


@strawberry.type(description="A profile elsewhere: a social network, a portfolio.")
class Link:
    network: str | None
    username: str | None
    url: str | None


@strawberry.type(description="A person: their public face in the network.")
class Person(relay.Node):
    id: relay.NodeID[int]
    view: strawberry.Private[ProfileView]

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[Person | None]:
        views = await load_nodes(info.context.loaders.get(PersonByIdLoader), node_ids)
        return [cls.from_view(view) if view else None for view in views]

    @classmethod
    def from_view(cls, view: ProfileView) -> Person:
        return cls(id=view.account_id, view=view)

    @strawberry.field
    def name(self) -> str:
        return self.view.name

    @strawberry.field
    def headline(self) -> str | None:
        return given(self.view.row["headline"])

    @strawberry.field
    def summary(self) -> str | None:
        return given(self.view.row["summary"])

    @strawberry.field
    def industry(self) -> str | None:
        return given(self.view.row["industry"])

    @strawberry.field
    def location(self) -> Place:
        row = self.view.row
        return Place(
            city=given(row["city"]),
            region=given(row["region"]),
            country_code=given(row["country_code"]),
        )

    @strawberry.field
    def links(self) -> list[Link]:
        return [
            Link(**{key: given(link.get(key)) for key in ("network", "username", "url")})
            for link in self.view.row["links"] or []
        ]

    @strawberry.field(
        description="Null unless the viewer is in the person's contact audience (or not given)."
    )
    def email(self) -> str | None:
        return given(self.view.row["email"]) if self.view.show_contact else None

    @strawberry.field(
        description="Null unless the viewer is in the person's contact audience (or not given)."
    )
    def phone(self) -> str | None:
        return given(self.view.row["phone"]) if self.view.show_contact else None

    @strawberry.field(description="Who sees the profile; shown to its owner only.")
    def visibility(self) -> Visibility | None:
        return tables.Visibility(self.view.row["visibility"]) if self.view.is_owner else None

    @strawberry.field(description="Who sees email and phone; shown to the owner only.")
    def contact_visibility(self) -> Visibility | None:
        row = self.view.row
        return tables.Visibility(row["contact_visibility"]) if self.view.is_owner else None

    @strawberry.field(description="Whether this person is the viewer.")
    def is_viewer(self) -> bool:
        return self.view.is_owner

    @strawberry.field(description="The person's resumes that the viewer may see.")
    async def resumes(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[Annotated["Resume", strawberry.lazy("api.resumes.types")]]:  # noqa: UP037
        from api.resumes.types import resumes_of

        return await resumes_of(info, self.id, first=first, after=after)

    @strawberry.field(
        description="What work the person is open to; null when they are not looking or the "
        "viewer may not see it."
    )
    async def open_to_work(
        self, info: Info
    ) -> Annotated["OpenToWork", strawberry.lazy("api.resumes.types")] | None:  # noqa: UP037
        from api.resumes.types import open_to_work_of

        return await open_to_work_of(info, self.id)

    @strawberry.field(
        description="How close the person is to you; null when you are not signed in."
    )
    async def degree(self, info: Info) -> ConnectionDegree | None:
        return await info.context.loaders.get(DegreeByPersonLoader).load(self.id)

    @strawberry.field(
        description="Your connections who are this person's connections too, in the order "
        "they joined; empty for yourself and when you are not signed in."
    )
    async def mutual_connections(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[Person]:
        size = page_size(first)
        after_id = decode_cursor(after) if after else None
        ids = await info.context.loaders.get(MutualConnectionIdsByPersonLoader).load(self.id)
        rest = [i for i in ids or [] if after_id is None or i > after_id]
        views = await info.context.loaders.get(PersonByIdLoader).load_many(rest[:size])
        page = Page(
            rows=[{"id": view.account_id, "view": view} for view in views if view],
            total_count=len(ids or []),
            has_next_page=len(rest) > size,
            has_previous_page=after_id is not None,
        )
        return Connection.from_page(page, lambda row: Person.from_view(row["view"]))


@strawberry.type(description="A request to connect, and where it stands.")
class ConnectionRequest(UnlistedNode, relay.Node):
    id: relay.NodeID[int]
    status: ConnectionStatus
    note: str | None
    created_at: datetime
    requester_id: strawberry.Private[int]
    addressee_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ConnectionRequest:
        return cls(
            id=row["id"],
            status=tables.ConnectionStatus(row["status"]),
            note=given(row["note"]),
            created_at=row["created_at"],
            requester_id=row["requester"],
            addressee_id=row["addressee"],
        )

    @strawberry.field
    async def requester(self, info: Info) -> Person | None:
        view = await info.context.loaders.get(PersonByIdLoader).load(self.requester_id)
        return Person.from_view(view) if view else None

    @strawberry.field
    async def addressee(self, info: Info) -> Person | None:
        view = await info.context.loaders.get(PersonByIdLoader).load(self.addressee_id)
        return Person.from_view(view) if view else None


@strawberry.input(description="A link to a profile elsewhere.")
class LinkInput:
    network: str = strawberry.field(default="", description="The site, like GitHub.")
    username: str = strawberry.field(default="", description="Your name there.")
    url: str = strawberry.field(
        default="", description="The address of your profile there (http or https)."
    )


@strawberry.input(description="The profile fields to change; omitted fields stay as they are.")
class UpdateProfileInput:
    name: str | None = strawberry.field(default=UNSET, description="Your name, as others see it.")
    headline: str | None = strawberry.field(
        default=UNSET, description="A line under your name, like Data engineer at Globex."
    )
    summary: str | None = strawberry.field(default=UNSET, description="A few sentences about you.")
    city: str | None = strawberry.field(default=UNSET, description="The city you live in.")
    region: str | None = strawberry.field(default=UNSET, description="Your region or state.")
    country_code: str | None = strawberry.field(
        default=UNSET, description="Your country's ISO 3166 code, like DE; empty clears it."
    )
    industry: str | None = strawberry.field(default=UNSET, description="The industry you work in.")
    links: list[LinkInput] | None = strawberry.field(
        default=UNSET, description="Your profiles elsewhere; replaces the list."
    )
    email: str | None = strawberry.field(
        default=UNSET,
        description=("A contact email, shown as contactVisibility allows; empty clears it."),
    )
    phone: str | None = strawberry.field(
        default=UNSET, description="A contact phone number, shown as contactVisibility allows."
    )
    visibility: Visibility | None = strawberry.field(
        default=UNSET, description="Who may see your profile."
    )
    contact_visibility: Visibility | None = strawberry.field(
        default=UNSET, description="Who may see your email and phone."
    )

    def changes(self) -> dict[str, Any]:
        values = {
            key: value
            for key, value in vars(self).items()
            if value is not UNSET and not key.startswith("_")
        }
        if values.get("links") is not None:
            values["links"] = [vars(link) for link in values["links"]]
        return values


@strawberry.type
class UpdateProfilePayload:
    person: Person | None = None
    user_errors: list[ProfileError] = strawberry.field(default_factory=list)


@strawberry.input
class RequestConnectionInput:
    person_id: relay.GlobalID = strawberry.field(description="The person to ask.")
    note: str = strawberry.field(default="", description="A few words for them; may be empty.")


@strawberry.input
class AnswerConnectionInput:
    connection_id: relay.GlobalID = strawberry.field(
        description="The connection request (its id from connectionRequests)."
    )


@strawberry.type
class ConnectionPayload:
    connection: ConnectionRequest | None = None
    user_errors: list[ConnectionError] = strawberry.field(default_factory=list)


def ranked_connection(page: degrees.RankedPage, nodes: list[Any]) -> Connection[Any]:
    """A page of a ranked list; a node that vanished meanwhile (None) is left out."""
    edges = [
        relay.Edge(cursor=search_cursor(page.offset + index), node=node)
        for index, node in enumerate(nodes)
        if node is not None
    ]
    return Connection(
        edges=edges,
        total_count=page.total_count,
        page_info=search_page_info(
            page.offset, [edge.cursor for edge in edges], page.has_next_page
        ),
    )


@strawberry.type(description="Someone you blocked.")
class BlockedPerson:
    person_id: relay.GlobalID = strawberry.field(description="Pass it to `unblockPerson`.")
    blocked_at: datetime
    account_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> BlockedPerson:
        return cls(
            person_id=relay.GlobalID("Person", str(row["blocked"])),
            blocked_at=row["created_at"],
            account_id=row["blocked"],
        )

    @strawberry.field(description="Their profile; null when it is not visible to you.")
    async def person(self, info: Info) -> Person | None:
        view = await info.context.loaders.get(PersonByIdLoader).load(self.account_id)
        return Person.from_view(view) if view else None


@strawberry.type(description="Someone you may know, and why they are suggested.")
class PersonSuggestion:
    person: Person
    score: int = strawberry.field(
        description="2 * mutual connections + 1 * shared organizations; higher comes first."
    )
    mutual_connection_count: int
    shared_organization_count: int
    shared_organization_ids: strawberry.Private[list[int]]

    @classmethod
    def from_row(cls, row: dict[str, Any], person: Person) -> PersonSuggestion:
        return cls(
            person=person,
            score=int(row["score"]),
            mutual_connection_count=int(row["mutual_connections"]),
            shared_organization_count=int(row["shared_organizations"]),
            shared_organization_ids=row["shared_organization_ids"],
        )

    @strawberry.field(description="The organizations you are both active members of.")
    async def shared_organizations(
        self, info: Info
    ) -> list[Annotated["Organization", strawberry.lazy("api.networks.types")]]:  # noqa: UP037
        from api.networks.loaders import OrganizationByIdLoader
        from api.networks.types import Organization

        rows = await info.context.loaders.get(OrganizationByIdLoader).load_many(
            self.shared_organization_ids
        )
        return [Organization.from_row(row) for row in rows if row]


@strawberry.input(description="The request to take back.")
class WithdrawConnectionRequestInput:
    connection_id: relay.GlobalID = strawberry.field(description="The pending request you sent.")


@strawberry.input(description="The person to act on.")
class PersonIdInput:
    person_id: relay.GlobalID = strawberry.field(description="The person (a Person id).")


@strawberry.type
class BlockPersonPayload:
    blocked_person: BlockedPerson | None = None
    user_errors: list[ConnectionError] = strawberry.field(default_factory=list)


@strawberry.type
class UnblockPersonPayload:
    unblocked_person_id: relay.GlobalID | None = None
    user_errors: list[ConnectionError] = strawberry.field(default_factory=list)

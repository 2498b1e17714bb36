"""GraphQL types for organizations and memberships."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay

from api.core.context import Info
from api.core.types import UserError
from api.networks import service, tables
from api.networks.loaders import OrganizationByIdLoader

OrganizationKind = strawberry.enum(tables.OrganizationKind)
JoinPolicy = strawberry.enum(tables.JoinPolicy)
MembershipRole = strawberry.enum(tables.MembershipRole)
MembershipStatus = strawberry.enum(tables.MembershipStatus)
OrganizationErrorCode = strawberry.enum(service.OrganizationErrorCode)


@strawberry.type
class OrganizationError(UserError):
    code: OrganizationErrorCode


@strawberry.type(
    description="An employer, an alumni or professional association, a chamber, a club or a "
    "meetup group: people around one shared interest."
)
class Organization(relay.Node):
    id: relay.NodeID[int]
    name: str
    slug: str
    kind: OrganizationKind
    join_policy: JoinPolicy
    interest: str = strawberry.field(description="The shared interest the network is about.")
    description: str
    website: str
    is_public: bool
    verified_at: datetime | None = strawberry.field(
        description="When staff verified this employer; null if not (yet) verified."
    )
    created_at: datetime

    @strawberry.field
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Organization:
        return cls(
            id=row["id"],
            name=row["name"],
            slug=row["slug"],
            kind=tables.OrganizationKind(row["kind"]),
            join_policy=tables.JoinPolicy(row["join_policy"]),
            interest=row["interest"],
            description=row["description"],
            website=row["website"],
            is_public=row["is_public"],
            verified_at=row["verified_at"],
            created_at=row["created_at"],
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[Organization | None]:
        loader = info.context.loaders.get(OrganizationByIdLoader)
        found = []
        for node_id in node_ids:
            row = await loader.load(int(node_id)) if node_id.isdigit() else None
            found.append(cls.from_row(row) if row else None)
        return found


@strawberry.type(description="A person's place in an organization.")
class Membership(relay.Node):
    id: relay.NodeID[int]
    role: MembershipRole
    status: MembershipStatus
    created_at: datetime
    organization_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Membership:
        return cls(
            id=row["id"],
            role=tables.MembershipRole(row["role"]),
            status=tables.MembershipStatus(row["status"]),
            created_at=row["created_at"],
            organization_id=row["organization"],
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[Membership | None]:
        return [None for _ in node_ids]  # reached through organizations and payloads

    @strawberry.field
    async def organization(self, info: Info) -> Organization | None:
        row = await info.context.loaders.get(OrganizationByIdLoader).load(self.organization_id)
        return Organization.from_row(row) if row else None


@strawberry.input
class CreateOrganizationInput:
    name: str
    kind: OrganizationKind
    join_policy: JoinPolicy = tables.JoinPolicy.APPROVAL
    interest: str = ""
    description: str = ""
    website: str = ""
    is_public: bool = True


@strawberry.type
class OrganizationPayload:
    organization: Organization | None = None
    user_errors: list[OrganizationError] = strawberry.field(default_factory=list)


@strawberry.input
class OrganizationIdInput:
    organization_id: relay.GlobalID


@strawberry.type
class MembershipPayload:
    membership: Membership | None = None
    user_errors: list[OrganizationError] = strawberry.field(default_factory=list)

"""GraphQL types for organizations and memberships."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry import UNSET, relay

from api.core.context import Info
from api.core.loaders import load_nodes
from api.core.pagination import After, Connection, First
from api.core.types import UserError, given
from api.networks import directory, invitations, service, tables
from api.networks.loaders import MemberCountByOrganizationIdLoader, OrganizationByIdLoader
from api.people.loaders import PersonByIdLoader
from api.people.types import Person, UnlistedNode
from api.site import addresses

OrganizationKind = strawberry.enum(tables.OrganizationKind)
JoinPolicy = strawberry.enum(tables.JoinPolicy)
MembershipRole = strawberry.enum(tables.MembershipRole)
MembershipStatus = strawberry.enum(tables.MembershipStatus)
OrganizationErrorCode = strawberry.enum(service.OrganizationErrorCode)
DirectoryVisibility = strawberry.enum(
    tables.DirectoryVisibility,
    description="Who may browse the member directory: MEMBERS (active members only) or "
    "PUBLIC (anyone, when the organization itself is public).",
)
Verification = strawberry.enum(
    tables.Verification,
    description="Whether an admin or a roster import confirmed the member's alumni facts.",
)
FieldVisibility = strawberry.enum(
    tables.FieldVisibility,
    description="Who sees a directory field: HIDDEN (you only), MEMBERS (fellow members and "
    "admins), PUBLIC (anyone who may browse the directory).",
)
DirectoryErrorCode = strawberry.enum(directory.DirectoryErrorCode)


@strawberry.type(description="A problem with a directory, alumni or roster request.")
class DirectoryError(UserError):
    code: DirectoryErrorCode


@strawberry.type
class OrganizationError(UserError):
    code: OrganizationErrorCode


InvitationStatus = strawberry.enum(
    tables.InvitationStatus,
    description="PENDING: mailed, not yet accepted (see expiresAt). ACCEPTED: someone joined "
    "through it. REVOKED: withdrawn by an admin; resendInvitation sends it again.",
)


@strawberry.type(
    description="An invitation mailed to an address with no account, seen by the "
    "organization's owners and admins."
)
class Invitation(UnlistedNode, relay.Node):
    id: relay.NodeID[int]
    email: str
    role: MembershipRole
    status: InvitationStatus
    school: str = strawberry.field(description="From the roster, the membership's school.")
    degree: str
    field_of_study: str
    class_year: int | None
    from_roster: bool = strawberry.field(
        description="Sent by importRoster: accepting it makes a verified membership."
    )
    sent_at: datetime = strawberry.field(description="When the newest link was mailed.")
    expires_at: datetime = strawberry.field(description="When the newest link stops working.")
    accepted_at: datetime | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Invitation:
        return cls(
            id=row["id"],
            email=row["email"],
            role=tables.MembershipRole(row["role"]),
            status=tables.InvitationStatus(row["status"]),
            school=row["school"],
            degree=row["degree"],
            field_of_study=row["field_of_study"],
            class_year=row["class_year"],
            from_roster=row["from_roster"],
            sent_at=row["sent_at"],
            expires_at=row["expires_at"],
            accepted_at=row["accepted_at"],
        )


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
    interest: str | None = strawberry.field(description="The shared interest the network is about.")
    description: str | None
    website: str | None
    is_public: bool
    location: str | None = strawberry.field(
        description="Where the organization is, in its own words."
    )
    directory_visibility: DirectoryVisibility
    verified_at: datetime | None = strawberry.field(
        description="When staff verified this employer; null if not (yet) verified."
    )
    created_at: datetime

    @strawberry.field
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @strawberry.field(
        description="The absolute address of the organization's page on the public site; "
        "null when the site has none (a private organization)."
    )
    def url(self, info: Info) -> str | None:
        return addresses.organization_url(
            info.context.settings.site_url, slug=self.slug, is_public=self.is_public
        )

    @strawberry.field(description="Active members: owners, admins and members (not guests).")
    async def member_count(self, info: Info) -> int:
        count = await info.context.loaders.get(MemberCountByOrganizationIdLoader).load(self.id)
        return count or 0

    @strawberry.field(
        description="Owners and admins: invitations mailed to addresses with no account, "
        "oldest first (inviteMember, importRoster with inviteUnmatched)."
    )
    async def invitations(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[Invitation]:
        page = await invitations.invitations_of(
            info.context.viewer, self.id, first=first, after=after
        )
        return Connection.from_page(page, Invitation.from_row)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Organization:
        return cls(
            id=row["id"],
            name=row["name"],
            slug=row["slug"],
            kind=tables.OrganizationKind(row["kind"]),
            join_policy=tables.JoinPolicy(row["join_policy"]),
            interest=given(row["interest"]),
            description=given(row["description"]),
            website=given(row["website"]),
            is_public=row["is_public"],
            location=given(row["location"]),
            directory_visibility=tables.DirectoryVisibility(row["directory_visibility"]),
            verified_at=row["verified_at"],
            created_at=row["created_at"],
        )

    @strawberry.field(
        description="Owners and admins: the memberships, oldest first, with every alumni field "
        "(whatever the directory shows); filter by status and verification."
    )
    async def members(
        self,
        info: Info,
        status: Annotated[
            MembershipStatus | None,
            strawberry.argument(
                description=(
                    "Only memberships in this status (ACTIVE when left out); null for every status."
                )
            ),
        ] = tables.MembershipStatus.ACTIVE,
        verification: Annotated[
            Verification | None,
            strawberry.argument(
                description=(
                    "Only memberships with this verification of their alumni facts; null for any."
                )
            ),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Membership]:
        page = await directory.organization_members(
            info.context.viewer,
            self.id,
            status=tables.MembershipStatus(status.value) if status else None,
            verification=tables.Verification(verification.value) if verification else None,
            first=first,
            after=after,
        )
        return Connection.from_page(page, Membership.from_row)

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[Organization | None]:
        rows = await load_nodes(info.context.loaders.get(OrganizationByIdLoader), node_ids)
        return [cls.from_row(row) if row else None for row in rows]


@strawberry.type(
    description="A person's place in an organization, with their alumni facts and directory "
    "choices. Shown to the member and to the organization's admins only."
)
class Membership(UnlistedNode, relay.Node):
    id: relay.NodeID[int]
    role: MembershipRole
    status: MembershipStatus
    created_at: datetime
    school: str | None
    degree: str | None
    field_of_study: str | None
    class_year: int | None
    verification: Verification
    verified_at: datetime | None
    listed: bool = strawberry.field(description="Whether the member is in the directory.")
    email_visibility: FieldVisibility
    phone_visibility: FieldVisibility
    location_visibility: FieldVisibility
    employment_visibility: FieldVisibility = strawberry.field(
        description="Employer, title and industry."
    )
    education_visibility: FieldVisibility = strawberry.field(
        description="School, degree, field of study and class year."
    )
    organization_id: strawberry.Private[int]
    account_id: strawberry.Private[int]
    verified_by_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Membership:
        return cls(
            id=row["id"],
            role=tables.MembershipRole(row["role"]),
            status=tables.MembershipStatus(row["status"]),
            created_at=row["created_at"],
            school=given(row["school"]),
            degree=given(row["degree"]),
            field_of_study=given(row["field_of_study"]),
            class_year=row["class_year"],
            verification=tables.Verification(row["verification"]),
            verified_at=row["verified_at"],
            listed=row["listed"],
            email_visibility=tables.FieldVisibility(row["email_visibility"]),
            phone_visibility=tables.FieldVisibility(row["phone_visibility"]),
            location_visibility=tables.FieldVisibility(row["location_visibility"]),
            employment_visibility=tables.FieldVisibility(row["employment_visibility"]),
            education_visibility=tables.FieldVisibility(row["education_visibility"]),
            organization_id=row["organization"],
            account_id=row["account"],
            verified_by_id=row["verified_by"],
        )

    @strawberry.field(description="The member; null if their profile is hidden from you.")
    async def person(self, info: Info) -> Person | None:
        view = await info.context.loaders.get(PersonByIdLoader).load(self.account_id)
        return Person.from_view(view) if view else None

    @strawberry.field(description="Who verified the member; null when unverified.")
    async def verified_by(self, info: Info) -> Person | None:
        if self.verified_by_id is None:
            return None
        view = await info.context.loaders.get(PersonByIdLoader).load(self.verified_by_id)
        return Person.from_view(view) if view else None

    @strawberry.field
    async def organization(self, info: Info) -> Organization | None:
        row = await info.context.loaders.get(OrganizationByIdLoader).load(self.organization_id)
        return Organization.from_row(row) if row else None


@strawberry.input
class CreateOrganizationInput:
    name: str = strawberry.field(description="The organization's name.")
    kind: OrganizationKind = strawberry.field(description="What sort of organization it is.")
    join_policy: JoinPolicy = strawberry.field(
        default=tables.JoinPolicy.APPROVAL,
        description="How people join: OPEN, with APPROVAL, or INVITE_ONLY.",
    )
    interest: str = strawberry.field(
        default="", description="The shared interest the network is about."
    )
    description: str = strawberry.field(
        default="", description="What the organization is and does."
    )
    website: str = strawberry.field(default="", description="Its website (http or https).")
    is_public: bool = strawberry.field(
        default=True,
        description=("Whether anyone may see it; a private one is seen by its members."),
    )
    location: str = strawberry.field(
        default="", description="Where it is, in its own words (like Zurich, Switzerland)."
    )
    directory_visibility: DirectoryVisibility = strawberry.field(
        default=tables.DirectoryVisibility.MEMBERS,
        description="Who may browse its member directory.",
    )


@strawberry.input(description="Owners and admins edit an organization; omitted fields stay.")
class UpdateOrganizationInput:
    organization_id: relay.GlobalID = strawberry.field(description="The organization to edit.")
    name: str | None = strawberry.field(default=UNSET, description="A new name.")
    interest: str | None = strawberry.field(
        default=UNSET, description="The shared interest the network is about."
    )
    description: str | None = strawberry.field(
        default=UNSET, description="What the organization is and does."
    )
    location: str | None = strawberry.field(
        default=UNSET, description="Where it is, in its own words."
    )
    website: str | None = strawberry.field(
        default=UNSET, description="Its website (http or https); empty removes it."
    )
    is_public: bool | None = strawberry.field(
        default=UNSET, description="Whether anyone may see it."
    )
    join_policy: JoinPolicy | None = strawberry.field(
        default=UNSET, description="How people join: OPEN, with APPROVAL, or INVITE_ONLY."
    )
    directory_visibility: DirectoryVisibility | None = strawberry.field(
        default=UNSET, description="Who may browse its member directory."
    )

    def changes(self) -> dict[str, Any]:
        return {
            key: value
            for key, value in vars(self).items()
            if value is not UNSET and value is not None and key != "organization_id"
        }


@strawberry.type
class OrganizationPayload:
    organization: Organization | None = None
    user_errors: list[OrganizationError] = strawberry.field(default_factory=list)


@strawberry.input
class OrganizationIdInput:
    organization_id: relay.GlobalID = strawberry.field(description="The organization.")


@strawberry.type
class MembershipPayload:
    membership: Membership | None = None
    user_errors: list[OrganizationError] = strawberry.field(default_factory=list)


@strawberry.type(
    description="One member in a directory, as the viewer may see them: a field is null when "
    "its owner hid it from the viewer (see the directory guide's privacy matrix) or left it "
    "empty."
)
class DirectoryEntry:
    name: str
    verified: bool = strawberry.field(description="Whether an admin confirmed the alumni facts.")
    joined_at: datetime
    headline: str | None
    email: str | None
    phone: str | None
    location: str | None
    employer: str | None = strawberry.field(description="From the primary resume.")
    title: str | None = strawberry.field(description="The current title, from the resume.")
    industry: str | None = strawberry.field(description="From the profile.")
    school: str | None
    degree: str | None
    field_of_study: str | None
    class_year: int | None
    is_viewer: bool = strawberry.field(description="Whether this entry is the viewer's own.")
    account_id: strawberry.Private[int]
    membership_database_id: strawberry.Private[int]

    @classmethod
    def from_entry(cls, entry: directory.DirectoryEntry) -> DirectoryEntry:
        return cls(
            name=entry.name,
            verified=entry.verified,
            joined_at=entry.joined_at,
            headline=given(entry.headline),
            email=given(entry.email),
            phone=given(entry.phone),
            location=given(entry.location),
            employer=given(entry.employer),
            title=given(entry.title),
            industry=given(entry.industry),
            school=given(entry.school),
            degree=given(entry.degree),
            field_of_study=given(entry.field_of_study),
            class_year=entry.class_year,
            is_viewer=entry.role is directory.DirectoryRole.SELF,
            account_id=entry.account_id,
            membership_database_id=entry.membership_id,
        )

    @strawberry.field(description="The member's profile; null if it is hidden from the viewer.")
    async def person(self, info: Info) -> Person | None:
        view = await info.context.loaders.get(PersonByIdLoader).load(self.account_id)
        return Person.from_view(view) if view else None

    @strawberry.field(description="The membership's global id (for verifyMember, say).")
    def membership_id(self) -> relay.GlobalID:
        return relay.GlobalID("Membership", str(self.membership_database_id))

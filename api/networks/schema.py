"""The networks part of the GraphQL schema: organizations and joining them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry import UNSET, relay

from api.core.context import Info
from api.core.pagination import (
    MAX_PAGE_SIZE,
    After,
    Connection,
    First,
    empty_page_info,
)
from api.core.records import mutation
from api.core.search import CORRECTED_QUERY, Window, index_of, search_page
from api.core.types import Facet, Highlight, database_id
from api.core.viewer import Viewer
from api.networks import directory, invitations, roster, service
from api.networks.invitation_schema import Invitation, InviteMemberPayload
from api.networks.loaders import DirectoryEntryByMembershipIdLoader, OrganizationByIdLoader
from api.networks.tables import MembershipRole as MembershipRoleEnum
from api.networks.tables import Organization as OrganizationTable
from api.networks.tables import OrganizationKind as OrganizationKindEnum
from api.networks.types import (
    CreateOrganizationInput,
    DirectoryEntry,
    DirectoryError,
    FieldVisibility,
    Membership,
    MembershipPayload,
    MembershipRole,
    Organization,
    OrganizationIdInput,
    OrganizationKind,
    OrganizationPayload,
    UpdateOrganizationInput,
)
from search.engine import MAX_OFFSET

#: Directory mutations name an unknown id in their own error code enum.
DIRECTORY_NOT_FOUND = directory.DirectoryErrorCode.NOT_FOUND
NOT_FOUND = service.OrganizationErrorCode.NOT_FOUND
R = TypeVar("R")


def organization_id(
    global_id: relay.GlobalID,
    field: str = "organizationId",
    code: Enum = service.OrganizationErrorCode.NOT_FOUND,
) -> int:
    """The database id behind an Organization global id, or a user error naming the field."""
    return database_id(global_id, "Organization", field=field, code=code)


@strawberry.input(description="Invite someone with an account into an organization.")
class InviteMemberInput:
    organization_id: relay.GlobalID = strawberry.field(
        description="The organization to invite into."
    )
    email: str = strawberry.field(description="The email of the account to invite.")
    role: MembershipRole = strawberry.field(
        default=MembershipRoleEnum.MEMBER, description="The role the invitee gets on accepting."
    )


@strawberry.input
class AcceptInvitationInput:
    membership_id: relay.GlobalID = strawberry.field(
        description="The invitation: your membership in the INVITED status."
    )


@strawberry.input
class MembershipIdInput:
    membership_id: relay.GlobalID = strawberry.field(description="The membership.")


def _membership_id(
    global_id: relay.GlobalID, code: Enum = service.OrganizationErrorCode.NOT_FOUND
) -> int:
    return database_id(global_id, "Membership", field="membershipId", code=code)


@strawberry.input(description="Narrow a directory; lists match case- and accent-insensitively.")
class DirectoryFilterInput:
    class_year_min: int | None = strawberry.field(
        default=None, description="Graduated in this year or later."
    )
    class_year_max: int | None = strawberry.field(
        default=None, description="Graduated in this year or earlier."
    )
    schools: list[str] = strawberry.field(
        default_factory=list, description="Members of any of these schools."
    )
    degrees: list[str] = strawberry.field(
        default_factory=list, description="Members with any of these degrees."
    )
    fields_of_study: list[str] = strawberry.field(
        default_factory=list, description="Members who studied any of these fields."
    )
    locations: list[str] = strawberry.field(
        default_factory=list,
        description=(
            "Members in any of these places, written as the locations "
            "facet shows them (like Berlin, DE)."
        ),
    )
    employers: list[str] = strawberry.field(
        default_factory=list, description="Members working at any of these employers."
    )
    industries: list[str] = strawberry.field(
        default_factory=list, description="Members working in any of these industries."
    )
    verified_only: bool = strawberry.field(
        default=False, description="Only members whose alumni facts are verified."
    )

    def to_filter(self) -> directory.DirectoryFilter:
        """The service's filter: the same fields, each list as a tuple."""
        return directory.DirectoryFilter(
            **{
                name: tuple(value) if isinstance(value, list) else value
                for name, value in vars(self).items()
            }
        )


@strawberry.type
class DirectoryEdge:
    cursor: str
    node: DirectoryEntry
    highlights: list[Highlight]


@strawberry.type(description="One page of a directory, with the total, facets and a suggestion.")
class DirectoryConnection:
    total_count: int = 0
    edges: list[DirectoryEdge] = strawberry.field(default_factory=list)
    page_info: relay.PageInfo = strawberry.field(default_factory=empty_page_info)
    facets: list[Facet] = strawberry.field(
        default_factory=list,
        description="classYears, degrees, fieldsOfStudy, locations, employers, industries: "
        "counts over all matches, of the fields the viewer may see.",
    )
    suggestion: str | None = None
    corrected_query: str | None = strawberry.field(default=None, description=CORRECTED_QUERY)
    user_errors: list[DirectoryError] = strawberry.field(default_factory=list)


@strawberry.input(description="Your alumni facts in one organization; omitted fields stay.")
class UpdateMembershipProfileInput:
    membership_id: relay.GlobalID = strawberry.field(
        description="Your membership in the organization."
    )
    school: str | None = strawberry.field(default=UNSET, description="The school you attended.")
    degree: str | None = strawberry.field(default=UNSET, description="Your degree, like MSc.")
    field_of_study: str | None = strawberry.field(default=UNSET, description="What you studied.")
    class_year: int | None = strawberry.field(
        default=UNSET,
        description="Null clears it. Changing the school, degree or class year of a verified "
        "membership makes it unverified again.",
    )

    def changes(self) -> dict[str, Any]:
        return {
            key: value
            for key, value in vars(self).items()
            if value is not UNSET and key != "membership_id"
        }


@strawberry.input(description="Whether you are in the directory, and who sees what of you.")
class UpdateDirectoryListingInput:
    membership_id: relay.GlobalID = strawberry.field(
        description="Your membership in the organization."
    )
    listed: bool | None = strawberry.field(
        default=None, description="Whether you appear in the directory at all."
    )
    email_visibility: FieldVisibility | None = strawberry.field(
        default=None, description="Who in the directory sees your email."
    )
    phone_visibility: FieldVisibility | None = strawberry.field(
        default=None, description="Who in the directory sees your phone."
    )
    location_visibility: FieldVisibility | None = strawberry.field(
        default=None, description="Who in the directory sees where you live."
    )
    employment_visibility: FieldVisibility | None = strawberry.field(
        default=None, description="Who in the directory sees your employer, title and industry."
    )
    education_visibility: FieldVisibility | None = strawberry.field(
        default=None,
        description=(
            "Who in the directory sees your school, degree, field of study and class year."
        ),
    )

    def changes(self) -> dict[str, Any]:
        return {
            key: value
            for key, value in vars(self).items()
            if value is not None and key != "membership_id"
        }


@strawberry.type
class MembershipProfilePayload:
    membership: Membership | None = None
    user_errors: list[DirectoryError] = strawberry.field(default_factory=list)


@strawberry.input(
    description="A roster CSV: a header row naming email (required) and any of name, school, "
    "degree, field_of_study, class_year."
)
class ImportRosterInput:
    organization_id: relay.GlobalID = strawberry.field(
        description="The organization whose members to verify."
    )
    csv: str = strawberry.field(description="The roster itself: CSV text with a header row.")
    invite_unmatched: bool = strawberry.field(
        default=False,
        description="Mail an invitation to every address with no account (NO_ACCOUNT rows); "
        "an address invited in the last week, or whose invitation was accepted or revoked, "
        "is not mailed again. Accepting makes a verified membership with the row's fields.",
    )


UnmatchedReason = strawberry.enum(
    roster.UnmatchedReason,
    description="NO_ACCOUNT: nobody registered with the email; NOT_A_MEMBER: they are not an "
    "active member; INVALID_ROW: the row itself is malformed (see the message).",
)


@strawberry.type(description="A roster row that verified nobody, and why.")
class UnmatchedRosterRow:
    line: int = strawberry.field(description="The line in the CSV, the header being line 1.")
    email: str
    reason: UnmatchedReason
    message: str


@strawberry.type
class ImportRosterPayload:
    rows: int = strawberry.field(default=0, description="Data rows read (blank lines aside).")
    verified: int = strawberry.field(default=0, description="Members verified by this import.")
    already_verified: int = 0
    updated_fields: int = strawberry.field(
        default=0, description="Blank alumni fields filled in from the roster."
    )
    invitations_sent: int = strawberry.field(
        default=0, description="Invitations mailed to NO_ACCOUNT rows (with inviteUnmatched)."
    )
    unmatched: list[UnmatchedRosterRow] = strawberry.field(default_factory=list)
    user_errors: list[DirectoryError] = strawberry.field(default_factory=list)


@strawberry.type
class NetworksQuery:
    @strawberry.field(description="An organization by its slug; null if the viewer may not see it.")
    async def organization(
        self,
        info: Info,
        slug: Annotated[
            str,
            strawberry.argument(
                description=("The organization's slug, as in its address (/organizations/<slug>/).")
            ),
        ],
    ) -> Organization | None:
        row = (
            await OrganizationTable.select(OrganizationTable.id)
            .where(OrganizationTable.slug == slug)
            .first()
        )
        if row is None:
            return None
        visible = await info.context.loaders.get(OrganizationByIdLoader).load(row["id"])
        return Organization.from_row(visible) if visible else None

    @strawberry.field(
        description="Organizations the viewer may see (public ones, and those you belong to), "
        "in the order they were created."
    )
    async def organizations(
        self,
        info: Info,
        kind: Annotated[
            OrganizationKind | None,
            strawberry.argument(
                description="Only organizations of this kind; null for every kind."
            ),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Organization]:
        page = await service.list_organizations(
            info.context.viewer,
            OrganizationKindEnum(kind.value) if kind else None,
            first=first,
            after=after,
        )
        return Connection.from_page(page, Organization.from_row)

    @strawberry.field(description="Your memberships and invitations.")
    async def my_memberships(self, info: Info) -> list[Membership]:
        return [Membership.from_row(r) for r in await service.memberships_of(info.context.viewer)]

    @strawberry.field(
        description="Browse and search an organization's member directory: active members "
        "only, or anyone when its directoryVisibility is PUBLIC. The query language is "
        "searchCandidates' (with name:, title:, employer:, school:, location:, industry:); "
        f"pages of at most {MAX_PAGE_SIZE}, the first {MAX_OFFSET} results. Without a query, "
        "the newest members come first."
    )
    async def directory(
        self,
        info: Info,
        # Named apart from the `organization_id` function it is read with.
        organization: Annotated[
            relay.GlobalID,
            strawberry.argument(
                name="organizationId", description="The organization whose directory to browse."
            ),
        ],
        query: Annotated[
            str | None,
            strawberry.argument(
                description=(
                    "Words to find in names, headlines, employers, schools and "
                    "places, in the search query language; null or empty browses "
                    "everyone by name."
                )
            ),
        ] = None,
        filter: Annotated[
            DirectoryFilterInput | None,
            strawberry.argument(
                description=(
                    "Narrow the members by class year, school, degree, field of "
                    "study, place, employer, industry or verification."
                )
            ),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> DirectoryConnection:
        kind, request = await directory.directory_search_request(
            info.context.viewer,
            organization_id(organization, code=DIRECTORY_NOT_FOUND),
            query=query,
            wanted=filter.to_filter() if filter else directory.DirectoryFilter(),
            window=Window.of(first, after),
        )
        page = await search_page(
            index_of(info.context.search, kind),
            request,
            info.context.loaders.get(DirectoryEntryByMembershipIdLoader).load_many,
            syntax_code=directory.DirectoryErrorCode.INVALID_QUERY,
        )
        edges = [
            DirectoryEdge(
                cursor=ranked.cursor,
                node=DirectoryEntry.from_entry(ranked.item),
                highlights=Highlight.from_hit(ranked.hit, directory.highlight_shown(ranked.item)),
            )
            for ranked in page.ranked
        ]
        return DirectoryConnection(**page.fields(edges))


def _organization_payload(row: dict[str, Any]) -> OrganizationPayload:
    return OrganizationPayload(organization=Organization.from_row(row))


def _membership_payload(row: dict[str, Any]) -> MembershipPayload:
    return MembershipPayload(membership=Membership.from_row(row))


def _membership_profile_payload(row: dict[str, Any]) -> MembershipProfilePayload:
    return MembershipProfilePayload(membership=Membership.from_row(row))


def _roster_payload(report: roster.RosterReport) -> ImportRosterPayload:
    return ImportRosterPayload(
        rows=report.rows,
        verified=report.verified,
        already_verified=report.already_verified,
        updated_fields=report.updated_fields,
        invitations_sent=report.invitations_sent,
        unmatched=[
            UnmatchedRosterRow(
                line=row.line, email=row.email, reason=row.reason, message=row.message
            )
            for row in report.unmatched
        ],
    )


MembershipVerb = Callable[[Viewer, int], Awaitable[dict[str, Any]]]


def _by_organization(verb: Callable[[Viewer, int], Awaitable[R]]) -> Callable[..., Awaitable[R]]:
    """`verb(viewer, organization id)` for an input naming `organizationId`."""
    return lambda viewer, input: verb(viewer, organization_id(input.organization_id))


def _by_membership(verb: MembershipVerb, code: Enum = NOT_FOUND) -> Callable[..., Awaitable[Any]]:
    """`verb(viewer, membership id)` for an input naming `membershipId`."""
    return lambda viewer, input: verb(viewer, _membership_id(input.membership_id, code))


def _membership_changes(verb: Callable[[Viewer, int, dict[str, Any]], Awaitable[R]]) -> Any:
    """`verb(viewer, membership id, changes)` for an input with a membership and changes."""
    return lambda viewer, input: verb(
        viewer, _membership_id(input.membership_id, DIRECTORY_NOT_FOUND), input.changes()
    )


@strawberry.type
class NetworksMutation:
    create_organization = mutation(
        "Create an organization; you become its owner.",
        CreateOrganizationInput,
        "The new organization: its name, kind and join policy, and how it presents itself.",
        lambda viewer, input: service.create_organization(viewer, **vars(input)),
        _organization_payload,
    )

    join_organization = mutation(
        "Join an OPEN organization, or ask to join one that needs APPROVAL.",
        OrganizationIdInput,
        "The organization to join.",
        _by_organization(service.join_organization),
        _membership_payload,
    )

    verify_employer = mutation(
        "Staff: mark an employer as verified.",
        OrganizationIdInput,
        "The employer to verify.",
        _by_organization(service.verify_employer),
        _organization_payload,
    )

    @strawberry.mutation(
        description="Owners and admins: invite someone in a role. An account with the email "
        "gets an INVITED membership to accept; an email with no account is mailed an "
        "invitation link (see acceptEmailInvitation)."
    )
    async def invite_member(
        self,
        info: Info,
        input: Annotated[
            InviteMemberInput,
            strawberry.argument(description="The organization, the invitee's email and role."),
        ],
    ) -> InviteMemberPayload:
        membership, invitation = await invitations.invite_member(
            info.context.settings,
            info.context.viewer,
            organization_id(input.organization_id),
            email=input.email,
            role=MembershipRoleEnum(input.role.value),
        )
        return InviteMemberPayload(
            membership=Membership.from_row(membership) if membership else None,
            invitation=Invitation.from_row(invitation) if invitation else None,
        )

    accept_invitation = mutation(
        "Accept an invitation you received.",
        AcceptInvitationInput,
        "The invitation (a membership in the INVITED status) to accept.",
        _by_membership(service.accept_invitation),
        _membership_payload,
    )

    approve_membership = mutation(
        "Owners and admins: let in someone who asked to join.",
        MembershipIdInput,
        "The request to join (a membership in the REQUESTED status).",
        _by_membership(service.approve_membership),
        _membership_payload,
    )

    decline_membership = mutation(
        "Owners and admins: turn down a request to join.",
        MembershipIdInput,
        "The request to join (a membership in the REQUESTED status).",
        _by_membership(service.decline_membership),
        _membership_payload,
    )

    remove_member = mutation(
        "Owners and admins: remove a member or an invitation.",
        MembershipIdInput,
        "The membership or invitation to remove.",
        _by_membership(service.remove_member),
        _membership_payload,
    )

    leave_organization = mutation(
        "Leave an organization.",
        OrganizationIdInput,
        "The organization to leave.",
        _by_organization(service.leave_organization),
        _membership_payload,
    )

    update_organization = mutation(
        "Owners and admins: edit the organization (name, interest, description, "
        "location, website, isPublic, joinPolicy, directoryVisibility); omitted fields stay.",
        UpdateOrganizationInput,
        "The organization and the fields to change.",
        lambda viewer, input: service.update_organization(
            viewer, organization_id(input.organization_id), input.changes()
        ),
        _organization_payload,
    )

    update_membership_profile = mutation(
        "State your school, degree, field of study and class year in an "
        "organization you belong to.",
        UpdateMembershipProfileInput,
        "Your membership and the alumni facts to change.",
        _membership_changes(directory.update_alumni_facts),
        _membership_profile_payload,
    )

    update_directory_listing = mutation(
        "Choose whether you are listed in the organization's directory and who "
        "sees each group of your fields.",
        UpdateDirectoryListingInput,
        "Your membership and the choices to change.",
        _membership_changes(directory.update_directory_listing),
        _membership_profile_payload,
    )

    verify_member = mutation(
        "Owners and admins: confirm an active member's alumni facts.",
        MembershipIdInput,
        "The membership whose alumni facts to confirm.",
        _by_membership(directory.verify_member, DIRECTORY_NOT_FOUND),
        _membership_profile_payload,
    )

    unverify_member = mutation(
        "Owners and admins: withdraw a member's verification.",
        MembershipIdInput,
        "The membership whose verification to withdraw.",
        _by_membership(directory.unverify_member, DIRECTORY_NOT_FOUND),
        _membership_profile_payload,
    )

    @strawberry.mutation(
        description="Owners and admins: verify members in bulk from a roster CSV; rows that "
        "match no active member are reported with a reason, and with inviteUnmatched every "
        "address with no account is mailed an invitation."
    )
    async def import_roster(
        self,
        info: Info,
        input: Annotated[
            ImportRosterInput,
            strawberry.argument(description="The organization and the roster CSV."),
        ],
    ) -> ImportRosterPayload:
        report = await roster.import_roster(
            info.context.viewer,
            organization_id(input.organization_id, code=DIRECTORY_NOT_FOUND),
            input.csv,
            settings=info.context.settings,
            invite_unmatched=input.invite_unmatched,
        )
        return _roster_payload(report)

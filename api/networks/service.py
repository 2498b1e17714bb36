"""Organizations and memberships: creating, joining, verifying employers.

Every membership move is one verb of `MEMBERSHIPS` with its own legal starting states, made
compare-and-set; anything else is ILLEGAL_TRANSITION naming the state the membership is in:

    (none) --join--> ACTIVE (OPEN) | REQUESTED (APPROVAL)
    DECLINED | LEFT | INVITED | an active GUEST --join--> ACTIVE | REQUESTED
    REQUESTED --approve--> ACTIVE
    REQUESTED --decline--> DECLINED
    (anything but an active or invited member) --invite--> INVITED --accept--> ACTIVE
    ACTIVE | INVITED --remove--> REMOVED (never an owner)
    ACTIVE --leave--> LEFT (never the last owner)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Set as AbstractSet
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from piccolo.columns.combination import Where
from piccolo.engine.postgres import PostgresEngine
from piccolo.query.functions.aggregate import Count
from piccolo.query.methods.select import Select

from api.core.db import current_engine, write_transaction
from api.core.errors import FieldError, Forbidden, InvalidInput
from api.core.lifecycle import Lifecycle, Move
from api.core.markup import is_web_address
from api.core.outbox import record_person_change
from api.core.pagination import Page, paginate
from api.core.prepared import prepared
from api.core.viewer import Viewer
from api.networks.tables import (
    DirectoryVisibility,
    EmployerVerificationRequest,
    JoinPolicy,
    Membership,
    MembershipRole,
    MembershipStatus,
    Organization,
    OrganizationKind,
    VerificationRequestStatus,
)
from api.notifications.service import Subject, notify
from api.notifications.tables import NotificationKind
from api.people.audience import circle_of

MAX_NAME_LENGTH = 200
MAX_LOCATION_LENGTH = 200
MAX_INTEREST_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 10_000
ADMIN_ROLES = (MembershipRole.OWNER.value, MembershipRole.ADMIN.value)


class OrganizationErrorCode(Enum):
    NAME_REQUIRED = "NAME_REQUIRED"
    NAME_TOO_LONG = "NAME_TOO_LONG"
    NOT_FOUND = "NOT_FOUND"
    NOT_AN_EMPLOYER = "NOT_AN_EMPLOYER"
    ALREADY_VERIFIED = "ALREADY_VERIFIED"
    VERIFICATION_PENDING = "VERIFICATION_PENDING"
    ALREADY_MEMBER = "ALREADY_MEMBER"
    INVITE_ONLY = "INVITE_ONLY"
    ILLEGAL_TRANSITION = "ILLEGAL_TRANSITION"
    INVALID_WEBSITE = "INVALID_WEBSITE"
    LOCATION_TOO_LONG = "LOCATION_TOO_LONG"
    INTEREST_TOO_LONG = "INTEREST_TOO_LONG"
    DESCRIPTION_TOO_LONG = "DESCRIPTION_TOO_LONG"
    INVALID_CHARACTERS = "INVALID_CHARACTERS"
    EMAIL_NOT_VERIFIED = "EMAIL_NOT_VERIFIED"
    INVALID_EMAIL = "INVALID_EMAIL"
    INVALID_TOKEN = "INVALID_TOKEN"
    TOKEN_EXPIRED = "TOKEN_EXPIRED"
    TOKEN_USED = "TOKEN_USED"


def _now() -> datetime:
    return datetime.now(UTC)


_REQUESTED, _INVITED, _ACTIVE = (
    MembershipStatus.REQUESTED,
    MembershipStatus.INVITED,
    MembershipStatus.ACTIVE,
)


def _is_guest() -> Where:
    return Membership.role == MembershipRole.GUEST.value


MEMBERSHIPS: Lifecycle[MembershipStatus] = Lifecycle(
    Membership,
    noun="membership",
    field="membershipId",
    code=OrganizationErrorCode.ILLEGAL_TRANSITION,
    moves=[
        # Joining again after a decline or leaving, joining when invited, or a guest (someone
        # who came to an event) joining as a member; OPEN or APPROVAL decides where it leads.
        Move("join", {MembershipStatus.DECLINED, MembershipStatus.LEFT, _INVITED, _ACTIVE}),
        Move("invite", set(MembershipStatus), _INVITED),
        Move("accept", {_INVITED}, _ACTIVE),
        Move("approve", {_REQUESTED}, _ACTIVE),
        Move("decline", {_REQUESTED}, MembershipStatus.DECLINED),
        Move("remove", {_ACTIVE, _INVITED}, MembershipStatus.REMOVED),
        Move("leave", {_ACTIVE}, MembershipStatus.LEFT),
    ],
)


def slugify(name: str, fallback: str = "organization") -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:100] or fallback


async def _unique_slug(name: str) -> str:
    base = slugify(name)
    taken = {
        row["slug"]
        for row in await Organization.select(Organization.slug).where(
            Organization.slug.like(f"{base}%")
        )
    }
    if base not in taken:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken:
        suffix += 1
    return f"{base}-{suffix}"


def _not_found(field: str = "organizationId") -> InvalidInput:
    return InvalidInput(
        FieldError(field, OrganizationErrorCode.NOT_FOUND, "No organization has this id.")
    )


async def create_organization(
    viewer: Viewer,
    *,
    name: str,
    kind: OrganizationKind,
    join_policy: JoinPolicy = JoinPolicy.APPROVAL,
    interest: str = "",
    description: str = "",
    website: str = "",
    is_public: bool = True,
    location: str = "",
    directory_visibility: DirectoryVisibility = DirectoryVisibility.MEMBERS,
) -> dict[str, Any]:
    """Create an organization; its creator becomes its active OWNER."""
    account_id = viewer.require_account()
    name, website, location = name.strip(), website.strip(), location.strip()
    interest = interest.strip()
    errors = _organization_errors(
        name=name, website=website, location=location, interest=interest, description=description
    )
    if errors:
        raise InvalidInput(*errors)
    async with write_transaction():
        slug = await _unique_slug(name)
        [row] = await Organization.insert(
            Organization(
                name=name,
                slug=slug,
                kind=kind.value,
                join_policy=join_policy.value,
                interest=interest,
                description=description,
                website=website,
                is_public=is_public,
                location=location,
                directory_visibility=directory_visibility.value,
                created_by=account_id,
            )
        ).returning(*Organization.all_columns())
        await Membership.insert(
            Membership(
                organization=row["id"],
                account=account_id,
                role=MembershipRole.OWNER.value,
                status=MembershipStatus.ACTIVE.value,
            )
        )
        await record_person_change(account_id)
    return row


def _organization_errors(
    *,
    name: str | None = None,
    website: str | None = None,
    location: str | None = None,
    interest: str | None = None,
    description: str | None = None,
) -> list[FieldError]:
    """What is wrong with an organization's (stripped) name, website, location, interest
    and description."""
    errors = []
    if name is not None and not name:
        errors.append(
            FieldError("name", OrganizationErrorCode.NAME_REQUIRED, "Name the organization.")
        )
    elif name is not None and len(name) > MAX_NAME_LENGTH:
        errors.append(
            FieldError(
                "name",
                OrganizationErrorCode.NAME_TOO_LONG,
                f"Use at most {MAX_NAME_LENGTH} characters.",
            )
        )
    if website and not is_web_address(website):
        errors.append(
            FieldError(
                "website",
                OrganizationErrorCode.INVALID_WEBSITE,
                "Give the website as a full address, like https://example.org.",
            )
        )
    if location is not None and len(location) > MAX_LOCATION_LENGTH:
        errors.append(
            FieldError(
                "location",
                OrganizationErrorCode.LOCATION_TOO_LONG,
                f"Use at most {MAX_LOCATION_LENGTH} characters.",
            )
        )
    if interest is not None and len(interest) > MAX_INTEREST_LENGTH:
        errors.append(
            FieldError(
                "interest",
                OrganizationErrorCode.INTEREST_TOO_LONG,
                f"Use at most {MAX_INTEREST_LENGTH} characters.",
            )
        )
    if description is not None and len(description) > MAX_DESCRIPTION_LENGTH:
        errors.append(
            FieldError(
                "description",
                OrganizationErrorCode.DESCRIPTION_TOO_LONG,
                f"Keep the description to {MAX_DESCRIPTION_LENGTH} characters.",
            )
        )
    return errors


async def organization(organization_id: int) -> dict[str, Any] | None:
    return await Organization.select().where(Organization.id == organization_id).first()


@prepared
def _organizations(ids: list[int]) -> Select:
    return Organization.select().where(Organization.id.is_in(ids))


async def organizations_by_ids(ids: list[int]) -> list[dict[str, Any]]:
    if not ids:
        return []
    rows: list[dict[str, Any]] = await _organizations(ids)
    return rows


async def member_counts(organization_ids: list[int]) -> dict[int, int]:
    """How many active members (owners, admins, members; not guests) each organization has."""
    if not organization_ids:
        return {}
    rows = (
        await Membership.select(Membership.organization, Count(Membership.id, alias="count"))
        .where(
            Membership.organization.is_in(sorted(set(organization_ids)))
            & (Membership.status == MembershipStatus.ACTIVE.value)
            & (Membership.role != MembershipRole.GUEST.value)
        )
        .group_by(Membership.organization)
    )
    return {row["organization"]: row["count"] for row in rows}


def may_see_organization(
    organization: dict[str, Any], viewer_organization_ids: AbstractSet[int]
) -> bool:
    return organization["is_public"] or organization["id"] in viewer_organization_ids


async def list_organizations(
    viewer: Viewer, kind: OrganizationKind | None, *, first: int | None, after: str | None
) -> Page:
    """Organizations the viewer may see (public ones, and those they belong to), in id order."""
    member_of = (await circle_of(viewer)).organization_ids
    visible = Organization.is_public.eq(True)
    if member_of:
        visible = visible | Organization.id.is_in(sorted(member_of))
    where = [visible]
    if kind is not None:
        where.append(Organization.kind == kind.value)
    return await paginate(Organization, where=where, first=first, after=after)


async def membership_of(organization_id: int, account_id: int) -> dict[str, Any] | None:
    return (
        await Membership.select()
        .where((Membership.organization == organization_id) & (Membership.account == account_id))
        .first()
    )


async def join_organization(viewer: Viewer, organization_id: int) -> dict[str, Any]:
    """Join (OPEN: active at once) or ask to join (APPROVAL: requested); INVITE_ONLY refuses."""
    account_id = viewer.require_account()
    found = await organization(organization_id)
    if found is None:
        raise _not_found()
    policy = JoinPolicy(found["join_policy"])
    if policy is JoinPolicy.INVITE_ONLY:
        raise InvalidInput(
            FieldError(
                "organizationId",
                OrganizationErrorCode.INVITE_ONLY,
                "This organization admits members by invitation only.",
            )
        )
    status = MembershipStatus.ACTIVE if policy is JoinPolicy.OPEN else MembershipStatus.REQUESTED
    async with write_transaction():
        existing = await membership_of(organization_id, account_id)
        if existing is None:
            [row] = await Membership.insert(
                Membership(
                    organization=organization_id,
                    account=account_id,
                    role=MembershipRole.MEMBER.value,
                    status=status.value,
                )
            ).returning(*Membership.all_columns())
            await record_person_change(account_id)
            await _notify_requested(row, found)
            return row
        current = MembershipStatus(existing["status"])
        # A GUEST (someone who RSVPed to an event open to guests) joins like anyone else:
        # OPEN makes them an active MEMBER, APPROVAL a REQUESTED one; their RSVPs stay.
        is_guest = existing["role"] == MembershipRole.GUEST.value
        if current is MembershipStatus.REQUESTED or (
            current is MembershipStatus.ACTIVE and not is_guest
        ):
            raise InvalidInput(
                FieldError(
                    "organizationId",
                    OrganizationErrorCode.ALREADY_MEMBER,
                    f"You already have a membership here ({current.value.lower()}).",
                )
            )
        if current is MembershipStatus.REMOVED:
            raise InvalidInput(
                FieldError(
                    "organizationId",
                    OrganizationErrorCode.ILLEGAL_TRANSITION,
                    "Cannot join: an admin removed this membership.",
                )
            )
        role = MembershipRole.MEMBER.value if is_guest else existing["role"]
        row = await MEMBERSHIPS.apply(
            "join",
            existing["id"],
            to=status,
            values={Membership.role: role, Membership.updated_at: _now()},
            where=(Membership.status != _ACTIVE.value) | _is_guest(),
            field="organizationId",
        )
        await record_person_change(account_id)
        await _notify_requested(row, found)
        return row


async def admin_ids(organization_id: int) -> list[int]:
    """The accounts of the organization's active owners and admins."""
    rows = await Membership.select(Membership.account).where(
        (Membership.organization == organization_id)
        & Membership.role.is_in(list(ADMIN_ROLES))
        & (Membership.status == _ACTIVE.value)
    )
    return [row["account"] for row in rows]


async def _notify_requested(membership: dict[str, Any], found: dict[str, Any]) -> None:
    """Owners and admins hear of a request to join (not of an OPEN organization's joins)."""
    if membership["status"] != MembershipStatus.REQUESTED.value:
        return
    await notify(
        NotificationKind.MEMBERSHIP_REQUESTED,
        recipients=await admin_ids(found["id"]),
        actor=membership["account"],
        subject=Subject("Organization", found["id"], found["name"]),
    )


async def verify_employer(viewer: Viewer, organization_id: int) -> dict[str, Any]:
    """Staff confirm an employer is who it says; its people may then act as an employer."""
    viewer.require_staff()
    found = await organization(organization_id)
    if found is None:
        raise _not_found()
    if found["kind"] != OrganizationKind.EMPLOYER.value:
        raise InvalidInput(
            FieldError(
                "organizationId",
                OrganizationErrorCode.NOT_AN_EMPLOYER,
                "Only employers are verified.",
            )
        )
    if found["verified_at"] is not None:
        raise InvalidInput(
            FieldError(
                "organizationId",
                OrganizationErrorCode.ALREADY_VERIFIED,
                "This employer is already verified.",
            )
        )
    async with write_transaction():
        [row] = (
            await Organization.update({Organization.verified_at: _now()})
            .where(Organization.id == organization_id)
            .returning(*Organization.all_columns())
        )
        # The employer's pending request (requestEmployerVerification) is settled with it.
        await EmployerVerificationRequest.update(
            {
                EmployerVerificationRequest.status: VerificationRequestStatus.VERIFIED.value,
                EmployerVerificationRequest.decided_by: viewer.account_id,
                EmployerVerificationRequest.decided_at: _now(),
            }
        ).where(
            (EmployerVerificationRequest.organization == organization_id)
            & (EmployerVerificationRequest.status == VerificationRequestStatus.PENDING.value)
        )
    return row


async def require_admin(viewer: Viewer, organization_id: int) -> None:
    """`Forbidden` unless the viewer is an active owner or admin of the organization."""
    viewer.require_account()
    if not (await circle_of(viewer)).is_admin_of(organization_id):
        raise Forbidden("Only the organization's owners and admins may do this.")


async def invite_member(
    viewer: Viewer, organization_id: int, *, email: str, role: MembershipRole
) -> dict[str, Any]:
    """An owner or admin invites someone with an account (a colleague, say) in a role."""
    from api.people.tables import Account

    await require_admin(viewer, organization_id)
    if role is MembershipRole.OWNER:
        raise InvalidInput(
            FieldError("role", OrganizationErrorCode.ILLEGAL_TRANSITION, "Invite as ADMIN first.")
        )
    invitee = await Account.select(Account.id).where(Account.email == email.strip().lower()).first()
    if invitee is None:
        raise InvalidInput(
            FieldError(
                "email",
                OrganizationErrorCode.NOT_FOUND,
                "No account has this email; ask them to register first.",
            )
        )
    async with write_transaction():
        existing = await membership_of(organization_id, invitee["id"])
        # An active GUEST (a prospective member who came to an event) may be invited in.
        if (
            existing is not None
            and existing["status"]
            in (MembershipStatus.ACTIVE.value, MembershipStatus.INVITED.value)
            and existing["role"] != MembershipRole.GUEST.value
        ):
            raise InvalidInput(
                FieldError(
                    "email",
                    OrganizationErrorCode.ALREADY_MEMBER,
                    f"They are already {existing['status'].lower()} here.",
                )
            )
        if existing is None:
            [row] = await Membership.insert(
                Membership(
                    organization=organization_id,
                    account=invitee["id"],
                    role=role.value,
                    status=_INVITED.value,
                )
            ).returning(*Membership.all_columns())
        else:
            row = await MEMBERSHIPS.apply(
                "invite",
                existing["id"],
                values={Membership.role: role.value, Membership.updated_at: _now()},
                where=Membership.status.not_in([_ACTIVE.value, _INVITED.value]) | _is_guest(),
                field="email",
            )
        found = await organization(organization_id)
        await notify(
            NotificationKind.MEMBERSHIP_INVITED,
            recipients=[invitee["id"]],
            actor=viewer.account_id,
            subject=Subject("Membership", row["id"], found["name"] if found else ""),
            detail=role.value,
        )
        return row


async def accept_invitation(viewer: Viewer, membership_id: int) -> dict[str, Any]:
    row = await own_membership(viewer, membership_id)
    if row is None:
        raise InvalidInput(
            FieldError("membershipId", OrganizationErrorCode.NOT_FOUND, "No invitation of yours.")
        )
    return await _move("accept", row)


async def memberships_of(viewer: Viewer) -> list[dict[str, Any]]:
    account_id = viewer.require_account()
    return await Membership.select().where(Membership.account == account_id).order_by(Membership.id)


async def membership_by_id(membership_id: int) -> dict[str, Any] | None:
    return await Membership.select().where(Membership.id == membership_id).first()


async def own_membership(viewer: Viewer, membership_id: int) -> dict[str, Any] | None:
    """The viewer's membership with this id; None when there is none or it is someone else's."""
    account_id = viewer.require_account()
    row = await membership_by_id(membership_id)
    return row if row is not None and row["account"] == account_id else None


async def update_membership(row: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """Write `values` to the membership (inside the caller's write transaction)."""
    [updated] = (
        await Membership.update({**values, "updated_at": _now()})
        .where(Membership.id == row["id"])
        .returning(*Membership.all_columns())
    )
    return updated


async def _move(
    verb: str,
    row: dict[str, Any],
    field: str = "membershipId",
    where: Where | None = None,
    actor: int | None = None,
) -> dict[str, Any]:
    """Move the membership by `verb` (refused early when it cannot start from where the row
    was read; compare-and-set, so of two racing verbs one moves it)."""
    MEMBERSHIPS.check(verb, row["status"], field)
    async with write_transaction():
        moved = await MEMBERSHIPS.apply(
            verb,
            row["id"],
            values={Membership.updated_at: _now()},
            where=where,
            field=field,
        )
        await record_person_change(row["account"])
        if verb == "approve":
            found = await organization(row["organization"])
            await notify(
                NotificationKind.MEMBERSHIP_APPROVED,
                recipients=[row["account"]],
                actor=actor,
                subject=Subject(
                    "Organization", row["organization"], found["name"] if found else ""
                ),
            )
    return moved


async def administered_membership(
    viewer: Viewer, membership_id: int, codes: type[Enum] = OrganizationErrorCode
) -> dict[str, Any]:
    """The membership, when the viewer administers its organization; `codes` names NOT_FOUND."""
    row = await membership_by_id(membership_id)
    if row is None:
        viewer.require_account()
        raise InvalidInput(
            FieldError("membershipId", codes["NOT_FOUND"], "No membership has this id.")
        )
    await require_admin(viewer, row["organization"])
    return row


async def approve_membership(viewer: Viewer, membership_id: int) -> dict[str, Any]:
    """An admin lets in someone who asked to join (REQUESTED -> ACTIVE)."""
    return await _move(
        "approve", await administered_membership(viewer, membership_id), actor=viewer.account_id
    )


async def decline_membership(viewer: Viewer, membership_id: int) -> dict[str, Any]:
    """An admin turns down a request to join (REQUESTED -> DECLINED)."""
    return await _move("decline", await administered_membership(viewer, membership_id))


def _cannot(field: str, message: str) -> InvalidInput:
    return InvalidInput(FieldError(field, OrganizationErrorCode.ILLEGAL_TRANSITION, message))


async def remove_member(viewer: Viewer, membership_id: int) -> dict[str, Any]:
    """An admin removes a member or withdraws an invitation; owners cannot be removed."""
    row = await administered_membership(viewer, membership_id)
    MEMBERSHIPS.check("remove", row["status"])
    if row["role"] == MembershipRole.OWNER.value:
        raise _cannot("membershipId", "Cannot remove an owner.")
    return await _move("remove", row, where=Membership.role != MembershipRole.OWNER.value)


async def leave_organization(viewer: Viewer, organization_id: int) -> dict[str, Any]:
    """Leave an organization (ACTIVE -> LEFT); its last owner must hand it over first."""
    account_id = viewer.require_account()
    row = await membership_of(organization_id, account_id)
    if row is None:
        raise _not_found()
    MEMBERSHIPS.check("leave", row["status"], "membershipId")
    if row["role"] != MembershipRole.OWNER.value:
        return await _move("leave", row)
    # Two owners leaving at once must not both find the other one still there: the count and
    # the move happen under the organization's row lock (SQLite: one writer at a time).
    async with write_transaction():
        if isinstance(current_engine(), PostgresEngine):
            await (
                Organization.select(Organization.id)
                .where(Organization.id == organization_id)
                .lock_rows(of=(Organization,))
            )
        owners = await Membership.count().where(
            (Membership.organization == organization_id)
            & (Membership.role == MembershipRole.OWNER.value)
            & (Membership.status == _ACTIVE.value)
        )
        if owners <= 1:
            raise _cannot(
                "organizationId",
                "You are its only owner: make someone else an owner before leaving.",
            )
        return await _move("leave", row)


#: What `update_organization` may change; anything not given is left as it is.
EDITABLE_ORGANIZATION_FIELDS = (
    "name",
    "interest",
    "description",
    "location",
    "website",
    "is_public",
    "join_policy",
    "directory_visibility",
)


async def update_organization(
    viewer: Viewer, organization_id: int, changes: dict[str, Any]
) -> dict[str, Any]:
    """Owners and admins edit the organization; the slug stays, so links keep working."""
    found = await organization(organization_id)
    if found is None:
        viewer.require_account()
        raise _not_found()
    await require_admin(viewer, organization_id)
    values = {k: v for k, v in changes.items() if k in EDITABLE_ORGANIZATION_FIELDS}
    for text in ("name", "interest", "location", "website"):
        if values.get(text) is not None:
            values[text] = values[text].strip()
    errors = _organization_errors(
        name=values.get("name"),
        website=values.get("website"),
        location=values.get("location"),
        interest=values.get("interest"),
        description=values.get("description"),
    )
    if errors:
        raise InvalidInput(*errors)
    for choice in ("join_policy", "directory_visibility"):
        if isinstance(values.get(choice), Enum):
            values[choice] = values[choice].value
    if not values:
        return found
    async with write_transaction():
        [row] = (
            await Organization.update(values)
            .where(Organization.id == organization_id)
            .returning(*Organization.all_columns())
        )
    return row

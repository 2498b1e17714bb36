"""Invitations by email: an owner or admin invites an address that has no account yet (one
by one with `inviteMember`, or every unmatched roster row with `importRoster`).

The mailed link carries a signed token (`api.people.tokens`) for the invitation's current
`token_id`; re-sending rotates it, so only the newest link works. Whoever holds the link
registers (or signs in) and calls `acceptEmailInvitation`: one compare-and-set spends the
invitation, the membership becomes ACTIVE in the invited role with the roster's alumni facts,
and the account's address counts as verified when it is the one the invitation went to.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any
from urllib.parse import urlencode

from api.core.db import is_unique_violation, write_transaction
from api.core.errors import FieldError, InvalidInput
from api.core.outbox import record_person_change
from api.core.pagination import Page, paginate
from api.core.settings import Settings
from api.core.viewer import Viewer
from api.mail.compose import compose
from api.mail.service import send
from api.networks import service as networks
from api.networks.service import OrganizationErrorCode
from api.networks.tables import (
    Invitation,
    InvitationStatus,
    Membership,
    MembershipRole,
    MembershipStatus,
    Verification,
)
from api.people import tokens
from api.people.service import is_email, normalize_email
from api.people.tables import Account
from api.people.verified import require_verified_email

#: How long an invitation link works.
INVITATION_VALID_FOR = timedelta(days=14)
#: A roster import re-sends a pending invitation only when the last one is older than this.
ROSTER_RESEND_AFTER = timedelta(days=7)

ALUMNI_FIELDS = ("school", "degree", "field_of_study", "class_year")
#: Addresses looked up per statement.
BATCH_SIZE = 500


class InvitationPurpose(Enum):
    """The purpose an invitation token is signed for (no account token passes for it)."""

    ORGANIZATION_INVITATION = "ORGANIZATION_INVITATION"


_PURPOSE = InvitationPurpose.ORGANIZATION_INVITATION
_PENDING, _ACCEPTED, _REVOKED = (
    InvitationStatus.PENDING,
    InvitationStatus.ACCEPTED,
    InvitationStatus.REVOKED,
)


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Invitee:
    """Who to invite: an address, a role, and (from a roster) the alumni facts."""

    email: str
    role: MembershipRole = MembershipRole.MEMBER
    alumni: dict[str, Any] | None = None


def invitation_link(settings: Settings, token: str) -> str:
    return f"{settings.site_url}account/invitation/?{urlencode({'token': token})}"


def _valid_for_words() -> str:
    return f"{INVITATION_VALID_FOR.days} days"


async def _mail(settings: Settings, row: dict[str, Any], organization: dict[str, Any]) -> None:
    token = tokens.sign(settings.resolved_secret_key(), _PURPOSE, row["token_id"])
    await send(
        compose(
            settings,
            "invitation",
            to_address=row["email"],
            to_name="",
            subject=f"You are invited to join {organization['name']}",
            context={
                "email": row["email"],
                "organization": organization["name"],
                "role": row["role"].lower(),
                "link": invitation_link(settings, token),
                "valid_for": _valid_for_words(),
            },
        )
    )


def _fresh(now: datetime) -> dict[Any, Any]:
    return {
        Invitation.token_id: uuid.uuid4(),
        Invitation.sent_at: now,
        Invitation.expires_at: now + INVITATION_VALID_FOR,
        Invitation.status: _PENDING.value,
    }


async def invite_by_email(
    settings: Settings,
    viewer: Viewer,
    organization_id: int,
    invitees: Sequence[Invitee],
    *,
    from_roster: bool = False,
) -> list[dict[str, Any]]:
    """Mail an invitation to each address (inside the caller's write transaction): a new
    row, or the organization's existing one for the address refreshed with a new link.

    From a roster, an address invited less than a week ago, already accepted or revoked is
    left alone; the invitations sent are returned."""
    organization = await networks.organization(organization_id)
    assert organization is not None
    now = _now()
    emails = [invitee.email for invitee in invitees]
    existing: dict[str, dict[str, Any]] = {}
    for start in range(0, len(emails), BATCH_SIZE):
        for row in await Invitation.select().where(
            (Invitation.organization == organization_id)
            & Invitation.email.is_in(emails[start : start + BATCH_SIZE])
        ):
            existing[row["email"]] = row
    sent: list[dict[str, Any]] = []
    for invitee in invitees:
        alumni = {name: value for name, value in (invitee.alumni or {}).items() if value}
        values: dict[Any, Any] = {
            Invitation.role: invitee.role.value,
            Invitation.invited_by: viewer.account_id,
            Invitation.from_roster: from_roster,
            **{getattr(Invitation, name): value for name, value in alumni.items()},
            **_fresh(now),
        }
        previous = existing.get(invitee.email)
        if previous is None:
            [row] = await Invitation.insert(
                Invitation(
                    organization=organization_id,
                    email=invitee.email,
                    **{column._meta.name: value for column, value in values.items()},
                )
            ).returning(*Invitation.all_columns())
        else:
            if from_roster and (
                previous["status"] != _PENDING.value
                or previous["sent_at"] > now - ROSTER_RESEND_AFTER
            ):
                continue
            [row] = await (
                Invitation.update(values)
                .where(Invitation.id == previous["id"])
                .returning(*Invitation.all_columns())
            )
        await _mail(settings, row, organization)
        sent.append(row)
    return sent


def _not_found() -> InvalidInput:
    return InvalidInput(
        FieldError("invitationId", OrganizationErrorCode.NOT_FOUND, "No invitation has this id.")
    )


async def _administered(viewer: Viewer, invitation_id: int) -> dict[str, Any]:
    viewer.require_account()
    row = await Invitation.select().where(Invitation.id == invitation_id).first()
    if row is None:
        raise _not_found()
    await networks.require_admin(viewer, row["organization"])
    return row


def _illegal(verb: str, row: dict[str, Any]) -> InvalidInput:
    return InvalidInput(
        FieldError(
            "invitationId",
            OrganizationErrorCode.ILLEGAL_TRANSITION,
            f"Cannot {verb} an invitation that is {row['status'].lower()}.",
        )
    )


async def revoke_invitation(viewer: Viewer, invitation_id: int) -> dict[str, Any]:
    """A pending invitation is revoked: its link stops working."""
    row = await _administered(viewer, invitation_id)
    async with write_transaction():
        moved = await (
            Invitation.update({Invitation.status: _REVOKED.value})
            .where((Invitation.id == invitation_id) & (Invitation.status == _PENDING.value))
            .returning(*Invitation.all_columns())
        )
    if not moved:
        raise _illegal("revoke", row)
    return moved[0]


async def resend_invitation(
    settings: Settings, viewer: Viewer, invitation_id: int
) -> dict[str, Any]:
    """A pending, expired or revoked invitation goes out again with a new link (the old one
    stops working) and a new expiry; an accepted one cannot."""
    row = await _administered(viewer, invitation_id)
    organization = await networks.organization(row["organization"])
    assert organization is not None
    async with write_transaction():
        moved = await (
            Invitation.update({**_fresh(_now()), Invitation.invited_by: viewer.account_id})
            .where((Invitation.id == invitation_id) & (Invitation.status != _ACCEPTED.value))
            .returning(*Invitation.all_columns())
        )
        if moved:
            await _mail(settings, moved[0], organization)
    if not moved:
        raise _illegal("re-send", row)
    return moved[0]


async def invitations_of(
    viewer: Viewer, organization_id: int, *, first: int | None, after: str | None
) -> Page:
    """The organization's invitations, oldest first, for its owners and admins."""
    await networks.require_admin(viewer, organization_id)
    return await paginate(
        Invitation, where=[Invitation.organization == organization_id], first=first, after=after
    )


async def invite_member(
    settings: Settings, viewer: Viewer, organization_id: int, *, email: str, role: MembershipRole
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """`inviteMember`: an account with the address is invited in (an INVITED membership); an
    address with none is mailed an invitation. Returns (membership, invitation), one of them."""
    email = normalize_email(email)
    if not is_email(email):
        raise InvalidInput(
            FieldError(
                "email", OrganizationErrorCode.INVALID_EMAIL, "Enter an email like ada@example.org."
            )
        )
    await networks.require_admin(viewer, organization_id)
    await require_verified_email(viewer, "email")
    if await Account.exists().where(Account.email == email):
        return await networks.invite_member(viewer, organization_id, email=email, role=role), None
    if role is MembershipRole.OWNER:
        raise InvalidInput(
            FieldError("role", OrganizationErrorCode.ILLEGAL_TRANSITION, "Invite as ADMIN first.")
        )
    try:
        async with write_transaction():
            [row] = await invite_by_email(settings, viewer, organization_id, [Invitee(email, role)])
    except Exception as error:
        # Two admins inviting one new address at once: the unique index keeps one row.
        if is_unique_violation(error):
            raise InvalidInput(
                FieldError(
                    "email", OrganizationErrorCode.ALREADY_MEMBER, "This address was just invited."
                )
            ) from None
        raise
    return None, row


def _token_error(code: OrganizationErrorCode, message: str) -> InvalidInput:
    return InvalidInput(FieldError("token", code, message))


async def accept_email_invitation(settings: Settings, viewer: Viewer, token: str) -> dict[str, Any]:
    """The signed-in viewer accepts the invitation the token names: their membership is
    ACTIVE in the invited role, with the roster's alumni facts where theirs are blank."""
    account_id = viewer.require_account()
    token_id = tokens.read(settings.resolved_secret_key(), _PURPOSE, token)
    if token_id is None:
        raise _token_error(
            OrganizationErrorCode.INVALID_TOKEN,
            "This link is not one we sent: copy the whole link from the invitation email.",
        )
    now = _now()
    async with write_transaction():
        spent = await (
            Invitation.update(
                {
                    Invitation.status: _ACCEPTED.value,
                    Invitation.accepted_by: account_id,
                    Invitation.accepted_at: now,
                }
            )
            .where(
                (Invitation.token_id == token_id)
                & (Invitation.status == _PENDING.value)
                & (Invitation.expires_at > now)
            )
            .returning(*Invitation.all_columns())
        )
        if not spent:
            raise await _why_not_accepted(token_id)
        invitation = spent[0]
        membership = await _join(viewer, account_id, invitation, now)
        await Account.update({Account.email_verified_at: now}).where(
            (Account.id == account_id)
            & (Account.email == invitation["email"])
            & Account.email_verified_at.is_null()
        )
        await record_person_change(account_id)
    return membership


async def _why_not_accepted(token_id: uuid.UUID) -> InvalidInput:
    row = await Invitation.select(Invitation.status).where(Invitation.token_id == token_id).first()
    if row is None:
        # Re-sent since (the token was rotated) or deleted with its organization.
        return _token_error(
            OrganizationErrorCode.INVALID_TOKEN,
            "This link was replaced by a newer invitation; use the link in the latest email.",
        )
    if row["status"] == _ACCEPTED.value:
        return _token_error(
            OrganizationErrorCode.TOKEN_USED, "This invitation was accepted already."
        )
    if row["status"] == _REVOKED.value:
        return _token_error(
            OrganizationErrorCode.ILLEGAL_TRANSITION,
            "This invitation was withdrawn; ask the organization to invite you again.",
        )
    return _token_error(
        OrganizationErrorCode.TOKEN_EXPIRED,
        "This invitation has expired; ask the organization to send it again.",
    )


async def _join(
    viewer: Viewer, account_id: int, invitation: dict[str, Any], now: datetime
) -> dict[str, Any]:
    organization_id = invitation["organization"]
    values: dict[Any, Any] = {Membership.role: invitation["role"], Membership.updated_at: now}
    if invitation["from_roster"]:
        values |= {
            Membership.verification: Verification.VERIFIED.value,
            Membership.verified_by: invitation["invited_by"],
            Membership.verified_at: now,
        }
    existing = await networks.membership_of(organization_id, account_id)
    if existing is None:
        alumni = {
            getattr(Membership, name): invitation[name]
            for name in ALUMNI_FIELDS
            if invitation[name] not in (None, "")
        }
        try:
            [row] = await Membership.insert(
                Membership(
                    organization=organization_id,
                    account=account_id,
                    status=MembershipStatus.ACTIVE.value,
                    **{column._meta.name: value for column, value in (values | alumni).items()},
                )
            ).returning(*Membership.all_columns())
        except Exception as error:
            if is_unique_violation(error):
                raise _already_member() from None
            raise
        return row
    if (
        existing["status"] == MembershipStatus.ACTIVE.value
        and existing["role"] != MembershipRole.GUEST.value
    ):
        raise _already_member()
    for name in ALUMNI_FIELDS:
        if existing[name] in (None, "") and invitation[name] not in (None, ""):
            values[getattr(Membership, name)] = invitation[name]
    # Whatever became of an earlier membership (left, declined, removed, a guest's), the
    # organization's invitation brings it back: invite, then accept, each a checked move.
    invited = await networks.MEMBERSHIPS.apply(
        "invite", existing["id"], values={Membership.updated_at: now}, field="token"
    )
    return await networks.MEMBERSHIPS.apply("accept", invited["id"], values=values, field="token")


def _already_member() -> InvalidInput:
    return InvalidInput(
        FieldError(
            "token",
            OrganizationErrorCode.ALREADY_MEMBER,
            "You are already a member here; this invitation is not needed.",
        )
    )

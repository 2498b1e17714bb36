"""Account deletion (erasure): the person's own data goes; what others rely on stays, no
longer naming them.

The account row stays as a tombstone so the posts, comments and applications others rely on
keep their foreign keys: its address becomes a reserved, undeliverable one (the real address
may register again), its name is blanked, its password unusable, its sessions revoked and its
profile PRIVATE and empty, so nothing renders it (authors show as null: a former member).
Everything that describes the person is deleted in the same write transaction, with outbox
rows so every search index drops their documents and the site's next build leaves them out.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any

import anyio.to_thread

from api.core.auth import verify_password
from api.core.db import write_transaction
from api.core.errors import FieldError, InvalidInput
from api.core.outbox import OutboxAction, record_changes, record_person_change
from api.core.settings import Settings
from api.core.viewer import Viewer
from api.events.service import promote_after_leaving
from api.events.tables import CalendarSubscription, Rsvp
from api.jobs.service import SEARCH_KIND as JOBS_KIND
from api.jobs.tables import Application, JobPosting, JobReport
from api.mail.compose import compose
from api.mail.service import send
from api.mail.tables import MailMessage
from api.messaging.tables import ConversationReport, MessagingPreference
from api.networks.directory import DIRECTORY
from api.networks.tables import (
    Invitation,
    Membership,
    MembershipRole,
    MembershipStatus,
    Organization,
)
from api.notifications.service import forget_person
from api.people import throttle
from api.people.recovery import change_password_limit
from api.people.tables import (
    Account,
    AccountSession,
    AccountToken,
    Connection,
    PersonBlock,
    Profile,
    Throttle,
    Visibility,
)
from api.people.throttle import Throttled
from api.posts.tables import PostReport
from api.privacy.export import delete_exports_of
from api.resumes.tables import OpenToWork, Resume, ResumeExclusion, SavedSearch

#: The reserved domain of erased accounts' addresses (RFC 2606: never deliverable).
ERASED_DOMAIN = "erased.invalid"


class ErasureErrorCode(Enum):
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    TOO_MANY_ATTEMPTS = "TOO_MANY_ATTEMPTS"
    SOLE_OWNER = "SOLE_OWNER"
    """The person is the only owner of an organization others belong to."""
    INVALID_CHARACTERS = "INVALID_CHARACTERS"


@dataclass(frozen=True)
class Erasure:
    """What one deletion removed, for the payload and the logs."""

    closed_organizations: int
    """Organizations the person was the only member of, deleted with them."""


def erased_email(account_id: int) -> str:
    # Random as well as unique: nobody can register an address a later erasure will take.
    return f"erased-{account_id}-{uuid.uuid4().hex}@{ERASED_DOMAIN}"


def is_erased(email: str) -> bool:
    return email.endswith("@" + ERASED_DOMAIN)


async def _check_password(settings: Settings, account: dict[str, Any], password: str) -> None:
    # Wrong passwords count like failed logins, on the same throttle as changePassword.
    limit = change_password_limit(settings, account["id"])
    try:
        await throttle.reserve([limit])
    except Throttled as throttled:
        raise InvalidInput(
            FieldError(
                None,
                ErasureErrorCode.TOO_MANY_ATTEMPTS,
                f"Too many wrong passwords; try again in {throttled.wait_words}.",
            )
        ) from None
    matches = await anyio.to_thread.run_sync(verify_password, account["password_hash"], password)
    if not matches:
        raise InvalidInput(
            FieldError("password", ErasureErrorCode.INVALID_CREDENTIALS, "Your password is wrong.")
        )
    await throttle.forgive([limit.key], clear=[limit.key])


async def _organizations(account_id: int) -> tuple[list[int], list[str]]:
    """The organizations the person alone makes up (to close), and the names of those they
    are the only active owner of while others belong (which refuse the deletion)."""
    owned = await Membership.select(Membership.organization).where(
        (Membership.account == account_id)
        & (Membership.role == MembershipRole.OWNER.value)
        & (Membership.status == MembershipStatus.ACTIVE.value)
    )
    alone: list[int] = []
    blocking: list[str] = []
    for row in owned:
        organization_id = row["organization"]
        others = await Membership.select(Membership.role).where(
            (Membership.organization == organization_id)
            & (Membership.account != account_id)
            & (Membership.status == MembershipStatus.ACTIVE.value)
        )
        if not others:
            alone.append(organization_id)
        elif not any(other["role"] == MembershipRole.OWNER.value for other in others):
            name = (
                await Organization.select(Organization.name)
                .where(Organization.id == organization_id)
                .first()
            )
            blocking.append(name["name"] if name else str(organization_id))
    return alone, sorted(blocking)


async def delete_account(settings: Settings, viewer: Viewer, password: str) -> Erasure:
    """Erase the viewer's account, given its password (see the module docstring).

    Refused with SOLE_OWNER while the person is the only owner of an organization other
    members belong to: ownership must be handed over first. An organization they alone make
    up is deleted with them (its postings, events and posts included).
    """
    account_id = viewer.require_account()
    account = await Account.select().where(Account.id == account_id).first()
    assert account is not None, "a session's account exists"
    await _check_password(settings, account, password)
    now = datetime.now(UTC)
    async with write_transaction():
        # Inside the transaction: nobody joins or leaves between the check and the erasure.
        alone, blocking = await _organizations(account_id)
        if blocking:
            raise InvalidInput(
                FieldError(
                    None,
                    ErasureErrorCode.SOLE_OWNER,
                    "You are the only owner of " + ", ".join(blocking) + ": make another "
                    "member an owner (or close the organization) before deleting your account.",
                )
            )
        await _erase(account, alone, now)
        await _queue_goodbye(settings, account)
    # The tombstone keeps its rows, so its exports do not go by cascade: their files neither.
    await delete_exports_of(settings, account_id)
    return Erasure(closed_organizations=len(alone))


async def _ids(query: Any) -> list[int]:
    return [row["id"] for row in await query]


async def _erase(account: dict[str, Any], alone: list[int], now: datetime) -> None:
    account_id = account["id"]
    # Search documents first, while the rows that name them still exist: each index loads
    # the object again when it applies the row, finds nothing, and deletes the document.
    resume_ids = await _ids(Resume.select(Resume.id).where(Resume.owner == account_id))
    membership_ids = await _ids(
        Membership.select(Membership.id).where(
            (Membership.account == account_id) | Membership.organization.is_in(alone or [0])
        )
    )
    closed_jobs = await _ids(
        JobPosting.select(JobPosting.id).where(JobPosting.organization.is_in(alone or [0]))
    )
    await record_changes("candidates", resume_ids, OutboxAction.DELETE)
    await record_changes(DIRECTORY, membership_ids, OutboxAction.UPSERT)
    await record_changes(JOBS_KIND, closed_jobs, OutboxAction.DELETE)
    await record_person_change(account_id)  # also tells the site a full build is due

    # What describes the person, or what they did that concerns no one else.
    await Resume.delete().where(Resume.owner == account_id)
    await OpenToWork.delete().where(OpenToWork.account == account_id)
    await ResumeExclusion.delete().where(ResumeExclusion.account == account_id)
    await SavedSearch.delete().where(SavedSearch.owner == account_id)
    await Membership.delete().where(Membership.account == account_id)
    await Connection.delete().where(
        (Connection.requester == account_id) | (Connection.addressee == account_id)
    )
    await forget_person(account_id)
    await PersonBlock.delete().where(
        (PersonBlock.blocker == account_id) | (PersonBlock.blocked == account_id)
    )
    attended = await Rsvp.select(Rsvp.event).where(Rsvp.account == account_id)
    await Rsvp.delete().where(Rsvp.account == account_id)
    await promote_after_leaving([row["event"] for row in attended], now)
    await CalendarSubscription.delete().where(CalendarSubscription.account == account_id)
    await JobReport.delete().where(JobReport.reporter == account_id)
    await PostReport.delete().where(PostReport.reporter == account_id)
    await ConversationReport.delete().where(ConversationReport.reporter == account_id)
    await MessagingPreference.delete().where(MessagingPreference.account == account_id)
    await AccountToken.delete().where(AccountToken.account == account_id)
    await Invitation.delete().where(
        (Invitation.accepted_by == account_id) | (Invitation.email == account["email"])
    )
    # The mail log and the throttles keep the address: they go too (before the goodbye).
    await MailMessage.delete().where(MailMessage.recipient == account["email"])
    keyed = await Throttle.select(Throttle.id, Throttle.key).where(
        Throttle.key.like(f"%{account['email']}%")
    )
    throttled = [row["id"] for row in keyed if account["email"] in row["key"]]
    if throttled:
        await Throttle.delete().where(Throttle.id.is_in(throttled))
    if alone:
        await Organization.delete().where(Organization.id.is_in(alone))

    # What others rely on stays, without the person: the employer's pipeline row keeps its
    # stage and dates, not the resume or the note.
    await Application.update(
        {Application.resume: None, Application.resume_snapshot: None, Application.note: ""}
    ).where(Application.applicant == account_id)

    # The tombstone: an empty, private profile, an address no one has, no way to sign in.
    await Profile.delete().where(Profile.account == account_id)
    await Profile.insert(
        Profile(
            account=account_id,
            visibility=Visibility.PRIVATE.value,
            contact_visibility=Visibility.PRIVATE.value,
        )
    )
    await Account.update(
        {
            Account.email: erased_email(account_id),
            Account.name: "",
            Account.password_hash: "",
            Account.is_staff: False,
            Account.email_verified_at: None,
            Account.updated_at: now,
        }
    ).where(Account.id == account_id)
    # Revoked rather than deleted, so an old token answers "revoked"; where it was used from
    # describes the person, so it goes.
    await AccountSession.update(
        {AccountSession.user_agent: "", AccountSession.client_address: ""}
    ).where(AccountSession.account == account_id)
    await AccountSession.update({AccountSession.revoked_at: now}).where(
        (AccountSession.account == account_id) & AccountSession.revoked_at.is_null()
    )


async def _queue_goodbye(settings: Settings, account: dict[str, Any]) -> None:
    """The last message to the old address: the deletion happened, and what it meant."""
    await send(
        compose(
            settings,
            "account_deleted",
            to_address=account["email"],
            to_name=account["name"],
            subject="Your account was deleted",
            context={"email": account["email"], "site_url": settings.site_url},
        )
    )

"""Employer verification: an employer's owners and admins ask for it, staff see the pending
requests and verify the employer (`service.verify_employer`, which settles them).

What it changes, in one place for the API's payloads and descriptions and the candidate
search's notice: `WHAT_VERIFICATION_CHANGES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from api.core.db import is_unique_violation, write_transaction
from api.core.errors import FieldError, InvalidInput
from api.core.pagination import Page, paginate
from api.core.viewer import Viewer
from api.networks import service
from api.networks.tables import (
    EmployerVerificationRequest,
    OrganizationKind,
    VerificationRequestStatus,
)
from api.people.audience import circle_of

WHAT_VERIFICATION_CHANGES = (
    "Once staff verify the employer, everyone who acts for it (its active owners, admins and "
    "members) also sees what people show to verified employers only: resumes and profiles "
    "with the EMPLOYERS audience (in searchCandidates, by id and through people) and "
    "open-to-work signals meant for employers. Until then they see what any member sees: "
    "PUBLIC resumes, and those of their connections and fellow members. Postings and "
    "applications work the same either way."
)


class AudienceNoticeReason(Enum):
    NOT_SIGNED_IN = "NOT_SIGNED_IN"
    NOT_AN_EMPLOYER = "NOT_AN_EMPLOYER"
    EMPLOYER_NOT_VERIFIED = "EMPLOYER_NOT_VERIFIED"
    VERIFICATION_PENDING = "VERIFICATION_PENDING"


@dataclass(frozen=True)
class AudienceNotice:
    """Why a candidate search leaves out resumes shown to verified employers."""

    reason: AudienceNoticeReason
    message: str


def _now() -> datetime:
    return datetime.now(UTC)


def _pending() -> InvalidInput:
    return InvalidInput(
        FieldError(
            "organizationId",
            service.OrganizationErrorCode.VERIFICATION_PENDING,
            "A verification request for this employer is already waiting for staff.",
        )
    )


async def request_employer_verification(viewer: Viewer, organization_id: int) -> dict[str, Any]:
    """An owner or admin of an EMPLOYER asks staff to verify it; one pending request at a
    time, and none once it is verified."""
    viewer.require_account()
    found = await service.organization(organization_id)
    if found is None:
        raise InvalidInput(
            FieldError(
                "organizationId",
                service.OrganizationErrorCode.NOT_FOUND,
                "No organization has this id.",
            )
        )
    await service.require_admin(viewer, organization_id)
    if found["kind"] != OrganizationKind.EMPLOYER.value:
        raise InvalidInput(
            FieldError(
                "organizationId",
                service.OrganizationErrorCode.NOT_AN_EMPLOYER,
                "Only employers are verified.",
            )
        )
    if found["verified_at"] is not None:
        raise InvalidInput(
            FieldError(
                "organizationId",
                service.OrganizationErrorCode.ALREADY_VERIFIED,
                "This employer is already verified.",
            )
        )
    try:
        async with write_transaction():
            if await EmployerVerificationRequest.exists().where(
                (EmployerVerificationRequest.organization == organization_id)
                & (EmployerVerificationRequest.status == VerificationRequestStatus.PENDING.value)
            ):
                raise _pending()
            [row] = await EmployerVerificationRequest.insert(
                EmployerVerificationRequest(
                    organization=organization_id,
                    requested_by=viewer.account_id,
                    requested_at=_now(),
                    status=VerificationRequestStatus.PENDING.value,
                )
            ).returning(*EmployerVerificationRequest.all_columns())
    except InvalidInput:
        raise
    except Exception as error:
        # Two requests racing past the check: the partial unique index decides.
        if is_unique_violation(error):
            raise _pending() from None
        raise
    return row


async def verification_requests(
    viewer: Viewer,
    status: VerificationRequestStatus | None,
    *,
    first: int | None,
    after: str | None,
) -> Page:
    """Staff: verification requests, oldest first (the queue to work through)."""
    viewer.require_staff()
    where = []
    if status is not None:
        where.append(EmployerVerificationRequest.status == status.value)
    return await paginate(EmployerVerificationRequest, where=where, first=first, after=after)


async def audience_notice(
    viewer: Viewer, verified_employer_ids: frozenset[int]
) -> AudienceNotice | None:
    """Why the viewer's candidate searches leave out EMPLOYERS resumes; None when they act
    for a verified employer and see them."""
    if verified_employer_ids:
        return None
    if viewer.account_id is None:
        return AudienceNotice(
            AudienceNoticeReason.NOT_SIGNED_IN,
            "Signed out, you see PUBLIC resumes only. Resumes shown to members, connections "
            "or verified employers need you to sign in (and, for the last, to act for a "
            "verified employer).",
        )
    employers = (await circle_of(viewer)).employer_ids
    if not employers:
        return AudienceNotice(
            AudienceNoticeReason.NOT_AN_EMPLOYER,
            "Resumes shown to verified employers only (the EMPLOYERS audience) are not among "
            "your results: you act for no employer. Create or join your employer's "
            "organization and ask for its verification (requestEmployerVerification).",
        )
    pending = await EmployerVerificationRequest.exists().where(
        EmployerVerificationRequest.organization.is_in(sorted(employers))
        & (EmployerVerificationRequest.status == VerificationRequestStatus.PENDING.value)
    )
    if pending:
        return AudienceNotice(
            AudienceNoticeReason.VERIFICATION_PENDING,
            "Resumes shown to verified employers only (the EMPLOYERS audience) are not among "
            "your results yet: your employer's verification request is waiting for staff.",
        )
    return AudienceNotice(
        AudienceNoticeReason.EMPLOYER_NOT_VERIFIED,
        "Resumes shown to verified employers only (the EMPLOYERS audience) are not among "
        "your results: your employer is not verified. Its owners and admins can ask for it "
        "with requestEmployerVerification.",
    )

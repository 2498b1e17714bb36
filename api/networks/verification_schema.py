"""The employer verification part of the GraphQL schema: requestEmployerVerification and the
staff's queue of requests (staff verify with `verifyEmployer`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay

from api.core.context import Info
from api.core.pagination import After, Connection, First
from api.networks import tables, verification
from api.networks.loaders import OrganizationByIdLoader
from api.networks.schema import organization_id
from api.networks.types import Organization, OrganizationError, OrganizationIdInput
from api.people.loaders import PersonByIdLoader
from api.people.types import Person, UnlistedNode

VerificationRequestStatus = strawberry.enum(
    tables.VerificationRequestStatus,
    description="PENDING: waiting for staff. VERIFIED: staff verified the employer.",
)
AudienceNoticeReason = strawberry.enum(
    verification.AudienceNoticeReason,
    description="Why resumes shown to verified employers are not among your candidates. "
    "NOT_SIGNED_IN; NOT_AN_EMPLOYER: you act for no employer; EMPLOYER_NOT_VERIFIED: your "
    "employer is not verified; VERIFICATION_PENDING: its request is waiting for staff.",
)


@strawberry.type(
    description="Why a candidate search leaves out resumes shown to verified employers only "
    "(the EMPLOYERS audience), and what would change that."
)
class CandidateAudienceNotice:
    reason: AudienceNoticeReason
    message: str

    @classmethod
    def from_notice(cls, notice: verification.AudienceNotice) -> CandidateAudienceNotice:
        return cls(reason=notice.reason, message=notice.message)


@strawberry.type(description="An employer's request to be verified by staff.")
class EmployerVerificationRequest(UnlistedNode, relay.Node):
    id: relay.NodeID[int]
    status: VerificationRequestStatus
    requested_at: datetime
    decided_at: datetime | None = strawberry.field(description="When staff verified it.")
    organization_id: strawberry.Private[int]
    requested_by_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> EmployerVerificationRequest:
        return cls(
            id=row["id"],
            status=tables.VerificationRequestStatus(row["status"]),
            requested_at=row["requested_at"],
            decided_at=row["decided_at"],
            organization_id=row["organization"],
            requested_by_id=row["requested_by"],
        )

    @strawberry.field(description="The employer asking to be verified.")
    async def organization(self, info: Info) -> Organization | None:
        row = await info.context.loaders.get(OrganizationByIdLoader).load(self.organization_id)
        return Organization.from_row(row) if row else None

    @strawberry.field(description="Who asked; null when their profile is not visible to you.")
    async def requested_by(self, info: Info) -> Person | None:
        if self.requested_by_id is None:
            return None
        view = await info.context.loaders.get(PersonByIdLoader).load(self.requested_by_id)
        return Person.from_view(view) if view else None


@strawberry.type
class RequestEmployerVerificationPayload:
    verification_request: EmployerVerificationRequest | None = None
    what_verification_changes: str = strawberry.field(
        default=verification.WHAT_VERIFICATION_CHANGES,
        description="What verification unlocks for the employer's people.",
    )
    user_errors: list[OrganizationError] = strawberry.field(default_factory=list)


@strawberry.type
class VerificationQuery:
    @strawberry.field(
        description="Staff: employers' verification requests, oldest first (PENDING ones "
        "unless asked otherwise; null: all). Verify with `verifyEmployer`."
    )
    async def employer_verification_requests(
        self,
        info: Info,
        status: Annotated[
            VerificationRequestStatus | None,
            strawberry.argument(description="Only requests in this state; null for all."),
        ] = tables.VerificationRequestStatus.PENDING,
        first: First = None,
        after: After = None,
    ) -> Connection[EmployerVerificationRequest]:
        page = await verification.verification_requests(
            info.context.viewer,
            tables.VerificationRequestStatus(status.value) if status else None,
            first=first,
            after=after,
        )
        return Connection.from_page(page, EmployerVerificationRequest.from_row)


@strawberry.type
class VerificationMutation:
    @strawberry.mutation(
        description="Owners and admins of an EMPLOYER: ask staff to verify it. "
        + verification.WHAT_VERIFICATION_CHANGES
        + " One request at a time: a second one while the first is pending is a user error."
    )
    async def request_employer_verification(
        self,
        info: Info,
        input: Annotated[
            OrganizationIdInput,
            strawberry.argument(description="The employer to have verified."),
        ],
    ) -> RequestEmployerVerificationPayload:
        row = await verification.request_employer_verification(
            info.context.viewer, organization_id(input.organization_id)
        )
        return RequestEmployerVerificationPayload(
            verification_request=EmployerVerificationRequest.from_row(row)
        )

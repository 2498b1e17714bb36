"""Who may start a conversation with whom: decided here, once.

- A connection, always.
- A fellow member of an organization (both active, non-guest), unless the recipient chose
  CONNECTIONS_ONLY; anyone signed in, when the recipient chose EVERYONE.
- Otherwise, an owner or admin of a verified employer, to a candidate with a resume that
  employer may see (the resumes' own audience rules, exclusion lists included): as a message
  request, which the candidate accepts or declines, within the employer's weekly quota.
- Nobody on either side of a block.

Every refusal reads the same as "no such person" (NOT_FOUND): the sender learns nothing
about whether the person exists, blocked them, excluded their organization or keeps to
their connections.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from api.core.errors import FieldError, InvalidInput
from api.core.viewer import Viewer
from api.messaging.tables import MessagingAudience, MessagingPreference
from api.people.audience import circle_of, reach_to
from api.people.tables import Account, Visibility
from api.resumes.service import owner_access
from api.resumes.tables import Resume

DEFAULT_AUDIENCE = MessagingAudience.CONNECTIONS_AND_MEMBERS


class MessagingErrorCode(Enum):
    NOT_FOUND = "NOT_FOUND"
    INVALID_CHARACTERS = "INVALID_CHARACTERS"
    EMAIL_NOT_VERIFIED = "EMAIL_NOT_VERIFIED"
    CANNOT_MESSAGE_SELF = "CANNOT_MESSAGE_SELF"
    NO_PARTICIPANTS = "NO_PARTICIPANTS"
    TOO_MANY_PARTICIPANTS = "TOO_MANY_PARTICIPANTS"
    EMPTY_MESSAGE = "EMPTY_MESSAGE"
    MESSAGE_TOO_LONG = "MESSAGE_TOO_LONG"
    ORGANIZATION_REQUIRED = "ORGANIZATION_REQUIRED"
    REQUEST_IN_GROUP = "REQUEST_IN_GROUP"
    QUOTA_EXCEEDED = "QUOTA_EXCEEDED"
    REQUEST_PENDING = "REQUEST_PENDING"
    REQUEST_DECLINED = "REQUEST_DECLINED"
    NOT_AUTHOR = "NOT_AUTHOR"
    EDIT_WINDOW_PASSED = "EDIT_WINDOW_PASSED"
    MESSAGE_DELETED = "MESSAGE_DELETED"
    ILLEGAL_TRANSITION = "ILLEGAL_TRANSITION"
    TOO_MANY_MESSAGES = "TOO_MANY_MESSAGES"
    MESSAGING_SUSPENDED = "MESSAGING_SUSPENDED"


UNREACHABLE = "No person you may message has this id."


def unreachable(field: str = "participantIds") -> InvalidInput:
    """The one refusal for a person the viewer may not message, whatever the reason."""
    return InvalidInput(FieldError(field, MessagingErrorCode.NOT_FOUND, UNREACHABLE))


@dataclass(frozen=True)
class Permission:
    """How the viewer may reach one person: directly, or by a request for `organization`."""

    account_id: int
    request_from: int | None = None
    """The verified employer a message request goes out for; None: a direct conversation."""


async def audiences_of(account_ids: list[int]) -> dict[int, MessagingAudience]:
    """Each account's choice of who may message them (the default where none is stored)."""
    rows = await MessagingPreference.select(
        MessagingPreference.account, MessagingPreference.audience
    ).where(MessagingPreference.account.is_in(account_ids or [0]))
    chosen = {row["account"]: MessagingAudience(row["audience"]) for row in rows}
    return {account_id: chosen.get(account_id, DEFAULT_AUDIENCE) for account_id in account_ids}


async def may_message(
    viewer: Viewer, account_ids: list[int], *, organization_id: int | None = None
) -> list[Permission]:
    """How the viewer may start a conversation with each of `account_ids` (one person: a
    request may be needed; several: every one must be reachable directly). Raises the same
    NOT_FOUND for anyone unreachable, whatever the reason."""
    me = viewer.require_account()
    if me in account_ids:
        raise InvalidInput(
            FieldError(
                "participantIds",
                MessagingErrorCode.CANNOT_MESSAGE_SELF,
                "Leave yourself out: you take part in every conversation you start.",
            )
        )
    existing = {
        row["id"] for row in await Account.select(Account.id).where(Account.id.is_in(account_ids))
    }
    if existing != set(account_ids):
        raise unreachable()
    circle = await circle_of(viewer)
    reach = await reach_to(viewer, account_ids)
    audiences = await audiences_of(account_ids)
    permissions = []
    for account_id in account_ids:
        if account_id in circle.blocked_either_way:
            raise unreachable()
        person = reach[account_id]
        audience = audiences[account_id]
        if (
            person.is_connection
            or audience is MessagingAudience.EVERYONE
            or (
                audience is MessagingAudience.CONNECTIONS_AND_MEMBERS and person.shares_organization
            )
        ):
            permissions.append(Permission(account_id))
            continue
        if len(account_ids) > 1:
            raise unreachable()
        permissions.append(
            Permission(account_id, await _request_from(viewer, account_id, organization_id))
        )
    return permissions


async def _request_from(viewer: Viewer, candidate: int, organization_id: int | None) -> int:
    """The verified employer the viewer may send a message request for: one they own or
    administer, to a candidate with a resume they may see and whose exclusion list names
    none of the viewer's organizations."""
    circle = await circle_of(viewer)
    employers = sorted(circle.verified_employer_ids & circle.administered_ids)
    if not employers:
        raise unreachable()
    access = (await owner_access(viewer, [candidate]))[candidate]
    resumes = await Resume.select(Resume.visibility).where(Resume.owner == candidate)
    if not any(access.sees(Visibility(row["visibility"])) for row in resumes):
        raise unreachable()
    if organization_id is not None:
        if organization_id not in employers:
            raise InvalidInput(
                FieldError(
                    "organizationId",
                    MessagingErrorCode.NOT_FOUND,
                    "You own or administer no verified employer with this id.",
                )
            )
        return organization_id
    if len(employers) > 1:
        raise InvalidInput(
            FieldError(
                "organizationId",
                MessagingErrorCode.ORGANIZATION_REQUIRED,
                "You act for several verified employers: name the one this request is from.",
            )
        )
    return employers[0]

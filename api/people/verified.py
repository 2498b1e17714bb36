"""What an account whose email is not verified may not do (`Settings.require_verified_email`).

Everything that reaches beyond the person's own circle, or sends mail on their behalf, waits
for the link mailed at registration: showing a resume to EMPLOYERS or the PUBLIC, creating
or publishing job postings, inviting people by email (`inviteMember`, `importRoster` with
`inviteUnmatched`) and asking strangers to connect (messaging, when it comes, too).
Everything else (private, connections' and members' resumes, joining, RSVPs, group posts)
is open from the start. Each of those services calls `require_verified_email` once.
"""

from __future__ import annotations

from api.core.errors import CommonErrorCode, FieldError, InvalidInput
from api.core.viewer import Viewer
from api.people.tables import Account, Visibility

#: The audiences beyond one's circle: who may not yet be shown anything by an unverified account.
BEYOND_CIRCLE = frozenset({Visibility.EMPLOYERS, Visibility.PUBLIC})

MESSAGE = (
    "Verify your email first: follow the link we mailed you when you registered, or ask "
    "for a new one with `resendVerification`."
)


async def require_verified_email(viewer: Viewer, field: str | None = None) -> None:
    """EMAIL_NOT_VERIFIED (on `field`) unless the viewer may reach beyond their circle.

    The viewer knows from the request's session read whether verification is still owed;
    only then is the account read again, for a `verifyEmail` earlier in the same request.
    """
    if not viewer.must_verify_email or viewer.account_id is None:
        return
    verified = await Account.exists().where(
        (Account.id == viewer.account_id) & Account.email_verified_at.is_not_null()
    )
    if not verified:
        raise InvalidInput(FieldError(field, CommonErrorCode.EMAIL_NOT_VERIFIED, MESSAGE))


async def require_verified_for(viewer: Viewer, visibility: Visibility, field: str) -> None:
    """EMAIL_NOT_VERIFIED (on `field`) when `visibility` reaches beyond the viewer's circle
    and they may not reach there yet."""
    if visibility in BEYOND_CIRCLE:
        await require_verified_email(viewer, field)

"""The messages accounts receive: verification and password-reset links, and the notice that
a password changed. Each is queued in the caller's write transaction (`api.mail`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from api.core.settings import Settings
from api.mail.compose import compose
from api.mail.service import send
from api.people import tokens
from api.people.tables import TokenPurpose
from api.people.throttle import Limit

#: How long a verification link works.
VERIFICATION_VALID_FOR = timedelta(days=3)
#: How long a password-reset link works.
RESET_VALID_FOR = timedelta(hours=1)

#: Messages one address may be sent on request (verification, reset) per hour, then delays.
MAILS_PER_ADDRESS = 5
#: Verification messages one account may ask for per hour, then delays.
MAILS_PER_ACCOUNT = 5
#: Password resets one client address may ask for per hour, over every address.
RESETS_PER_CLIENT = 20
MAIL_WINDOW = timedelta(hours=1)


def address_limit(email: str) -> Limit:
    return Limit(f"mail-to|{email}", MAILS_PER_ADDRESS, MAIL_WINDOW)


def account_limit(account_id: int) -> Limit:
    return Limit(f"mail-account|{account_id}", MAILS_PER_ACCOUNT, MAIL_WINDOW)


def reset_client_limit(client_address: str) -> Limit:
    return Limit(f"reset-client|{client_address or 'unknown'}", RESETS_PER_CLIENT, MAIL_WINDOW)


def _words(period: timedelta) -> str:
    hours = int(period.total_seconds() // 3600)
    if hours % 24 == 0 and hours >= 24:
        days = hours // 24
        return f"{days} day" if days == 1 else f"{days} days"
    return f"{hours} hour" if hours == 1 else f"{hours} hours"


def link(settings: Settings, page: str, token: str) -> str:
    """A page of the site with the token as its `token` query parameter."""
    return f"{settings.site_url}account/{page}/?{urlencode({'token': token})}"


async def _queue_link(
    settings: Settings,
    account: dict[str, Any],
    purpose: TokenPurpose,
    *,
    to_address: str,
    template: str,
    subject: str,
    page: str,
    valid_for: timedelta,
) -> None:
    """Issue a token of `purpose` for `to_address` and mail its link to that address."""
    token = await tokens.issue(
        settings.resolved_secret_key(), purpose, account["id"], to_address, valid_for
    )
    await send(
        compose(
            settings,
            template,
            to_address=to_address,
            to_name=account["name"],
            subject=subject,
            context={
                "email": to_address,
                "link": link(settings, page, token),
                "valid_for": _words(valid_for),
            },
        )
    )


async def queue_verification(settings: Settings, account: dict[str, Any]) -> None:
    """Mail a verification link to the account's address."""
    await _queue_link(
        settings,
        account,
        TokenPurpose.VERIFY_EMAIL,
        to_address=account["email"],
        template="verify_email",
        subject="Confirm your email address",
        page="verify-email",
        valid_for=VERIFICATION_VALID_FOR,
    )


async def queue_email_change(settings: Settings, account: dict[str, Any], new_email: str) -> None:
    """Mail a link to the new address; following it moves the account there."""
    await _queue_link(
        settings,
        account,
        TokenPurpose.CHANGE_EMAIL,
        to_address=new_email,
        template="confirm_email_change",
        subject="Confirm your new email address",
        page="verify-email",
        valid_for=VERIFICATION_VALID_FOR,
    )


async def queue_email_changed(
    settings: Settings, account: dict[str, Any], old_email: str, new_email: str
) -> None:
    """Tell the old address that the account moved, with the way back if it was not them."""
    await send(
        compose(
            settings,
            "email_changed",
            to_address=old_email,
            to_name=account["name"],
            subject="Your email address was changed",
            context={"email": old_email, "new_email": new_email},
        )
    )


async def queue_password_reset(settings: Settings, account: dict[str, Any]) -> None:
    """Mail a password-reset link to the account's address."""
    await _queue_link(
        settings,
        account,
        TokenPurpose.RESET_PASSWORD,
        to_address=account["email"],
        template="password_reset",
        subject="Reset your password",
        page="reset-password",
        valid_for=RESET_VALID_FOR,
    )


def render_password_reset_decoy(settings: Settings, email: str) -> None:
    """Render a reset message for an address with no account, and throw it away: answering
    such a request costs about what a real one does, so timing tells little either."""
    compose(
        settings,
        "password_reset",
        to_address=email,
        to_name="",
        subject="Reset your password",
        context={
            "email": email,
            "link": link(settings, "reset-password", "x" * 45),
            "valid_for": _words(RESET_VALID_FOR),
        },
    )


async def queue_password_changed(
    settings: Settings, account: dict[str, Any], *, how: str, sessions_note: str
) -> None:
    """Tell the owner their password changed, with the way back if it was not them."""
    await send(
        compose(
            settings,
            "password_changed",
            to_address=account["email"],
            to_name=account["name"],
            subject="Your password was changed",
            context={
                "email": account["email"],
                "how": how,
                "sessions_note": sessions_note,
                "reset_link": f"{settings.site_url}account/reset-password/",
            },
        )
    )

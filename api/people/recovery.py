"""Proving an address and getting back in: email verification, password reset, and changing
a password. Every message these send is queued in the same transaction as the change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import anyio.to_thread

from api.core.auth import hash_password, verify_password
from api.core.db import is_unique_violation, write_transaction
from api.core.errors import FieldError, InvalidInput
from api.core.settings import Settings
from api.core.viewer import Viewer
from api.people import account_mail, throttle, tokens
from api.people.service import (
    AccountErrorCode,
    invalid_email,
    is_email,
    normalize_email,
    password_errors,
    too_many,
)
from api.people.tables import Account, AccountSession, TokenPurpose
from api.people.throttle import Limit, Throttled


def _now() -> datetime:
    return datetime.now(UTC)


async def _account(account_id: int) -> dict[str, Any]:
    row = await Account.select().where(Account.id == account_id).first()
    assert row is not None, "a token's or session's account exists (deletes cascade)"
    return row


def _address_changed() -> InvalidInput:
    return InvalidInput(
        FieldError(
            "token",
            tokens.TokenErrorCode.INVALID_TOKEN,
            "This link was sent to an address the account no longer uses.",
        )
    )


async def _reserve(limits: list[Limit], what: str) -> None:
    try:
        await throttle.reserve(limits)
    except Throttled as throttled:
        raise too_many(throttled, what) from None


async def verify_email(settings: Settings, token: str) -> dict[str, Any]:
    """Mark the address the token was mailed to as verified; the account, as it is now.

    A token from `change_email` moves the account to the new address it was mailed to
    (verified), and the old address is told."""
    secret = settings.resolved_secret_key()
    if tokens.read(secret, TokenPurpose.CHANGE_EMAIL, token) is not None:
        return await _confirm_email_change(settings, token)
    async with write_transaction():
        redeemed = await tokens.redeem(secret, TokenPurpose.VERIFY_EMAIL, token)
        account = await _account(redeemed.account_id)
        if account["email"] != redeemed.email:
            raise _address_changed()
        if account["email_verified_at"] is None:
            now = _now()
            await Account.update({Account.email_verified_at: now}).where(
                Account.id == account["id"]
            )
            account["email_verified_at"] = now
    return account


async def _confirm_email_change(settings: Settings, token: str) -> dict[str, Any]:
    now = _now()
    try:
        async with write_transaction():
            redeemed = await tokens.redeem(
                settings.resolved_secret_key(), TokenPurpose.CHANGE_EMAIL, token
            )
            account = await _account(redeemed.account_id)
            old_email = account["email"]
            if old_email == redeemed.email:
                return account  # another link of the same change was followed first
            await Account.update(
                {Account.email: redeemed.email, Account.email_verified_at: now}
            ).where(Account.id == account["id"])
            # Links mailed to the old address must not act on the account any more.
            for purpose in TokenPurpose:
                await tokens.spend_all(account["id"], purpose)
            await account_mail.queue_email_changed(settings, account, old_email, redeemed.email)
    except Exception as error:
        # Someone registered (or moved to) the address since the link was mailed.
        if is_unique_violation(error):
            raise _email_taken() from None
        raise
    account |= {"email": redeemed.email, "email_verified_at": now}
    return account


def _email_taken() -> InvalidInput:
    return InvalidInput(
        FieldError("newEmail", AccountErrorCode.EMAIL_TAKEN, "An account with this email exists.")
    )


async def change_email(
    settings: Settings, viewer: Viewer, new_email: str, current_password: str
) -> str:
    """Mail a confirmation link to `new_email`; the account moves there only when it is
    followed (`verify_email`). Needs the current password; throttled like `change_password`
    for wrong ones, and per new address like every requested message. Returns the address."""
    account = await _account(viewer.require_account())
    new_email = normalize_email(new_email)
    if not is_email(new_email):
        raise InvalidInput(
            FieldError("newEmail", AccountErrorCode.INVALID_EMAIL, invalid_email().message)
        )
    if new_email == account["email"]:
        raise InvalidInput(
            FieldError("newEmail", AccountErrorCode.INVALID_EMAIL, "This is your address already.")
        )
    limit = await _check_current_password(settings, account, current_password)
    await throttle.forgive([limit.key], clear=[limit.key])
    if await Account.exists().where(Account.email == new_email):
        raise _email_taken()
    await _reserve(
        [account_mail.account_limit(account["id"]), account_mail.address_limit(new_email)],
        "messages to that address",
    )
    async with write_transaction():
        await account_mail.queue_email_change(settings, account, new_email)
    return new_email


async def resend_verification(settings: Settings, viewer: Viewer) -> dict[str, Any]:
    """Mail the viewer a new verification link (the older ones keep working until they
    expire). Throttled per account and per address."""
    account = await _account(viewer.require_account())
    if account["email_verified_at"] is not None:
        raise InvalidInput(
            FieldError(None, AccountErrorCode.ALREADY_VERIFIED, "Your address is verified.")
        )
    await _reserve(
        [account_mail.account_limit(account["id"]), account_mail.address_limit(account["email"])],
        "messages to your address",
    )
    async with write_transaction():
        await account_mail.queue_verification(settings, account)
    return account


async def request_password_reset(settings: Settings, email: str, client_address: str) -> None:
    """Mail a reset link if an account uses `email`; answers the same way when none does.

    The throttles count per address (whether or not an account has it) and per client, and
    an address with no account costs about what one with an account does: the message is
    rendered either way, and a write transaction runs either way.
    """
    email = normalize_email(email)
    if not is_email(email):
        raise InvalidInput(invalid_email())
    await _reserve(
        [account_mail.address_limit(email), account_mail.reset_client_limit(client_address)],
        "password resets asked for",
    )
    account = await Account.select().where(Account.email == email).first()
    async with write_transaction():
        if account is not None:
            await account_mail.queue_password_reset(settings, account)
        else:
            account_mail.render_password_reset_decoy(settings, email)


async def _new_password_hash(new_password: str) -> str:
    errors = password_errors(new_password, "newPassword")
    if errors:
        raise InvalidInput(*errors)
    # argon2 is deliberately slow: off the event loop, before taking the write lock.
    return await anyio.to_thread.run_sync(hash_password, new_password)


async def _set_password(account: dict[str, Any], password_hash: str, now: datetime) -> None:
    await Account.update({Account.password_hash: password_hash, Account.updated_at: now}).where(
        Account.id == account["id"]
    )
    # Older reset links must not change it again.
    await tokens.spend_all(account["id"], TokenPurpose.RESET_PASSWORD)


async def reset_password(settings: Settings, token: str, new_password: str) -> int:
    """Set a new password with a mailed reset token and sign every session out; returns
    how many sessions were revoked. Following the link also proves the address."""
    password_hash = await _new_password_hash(new_password)
    now = _now()
    async with write_transaction():
        redeemed = await tokens.redeem(
            settings.resolved_secret_key(), TokenPurpose.RESET_PASSWORD, token
        )
        account = await _account(redeemed.account_id)
        if account["email"] != redeemed.email:
            raise _address_changed()
        await _set_password(account, password_hash, now)
        if account["email_verified_at"] is None:
            await Account.update({Account.email_verified_at: now}).where(
                Account.id == account["id"]
            )
        revoked = (
            await AccountSession.update({AccountSession.revoked_at: now})
            .where((AccountSession.account == account["id"]) & AccountSession.revoked_at.is_null())
            .returning(AccountSession.id)
        )
        await account_mail.queue_password_changed(
            settings,
            account,
            how="with a reset link mailed to this address",
            sessions_note="Every device that was signed in has been signed out.",
        )
    return len(revoked)


def change_password_limit(settings: Settings, account_id: int) -> Limit:
    """Wrong current passwords count like failed logins of the account."""
    return Limit(
        f"change-password|{account_id}",
        settings.login_failures_allowed,
        timedelta(seconds=settings.login_throttle_seconds),
    )


async def _check_current_password(
    settings: Settings, account: dict[str, Any], current_password: str
) -> Limit:
    """`INVALID_CREDENTIALS` unless `current_password` is the account's; wrong ones are
    throttled like failed logins. The limit, for the caller to forgive after its change."""
    limit = change_password_limit(settings, account["id"])
    await _reserve([limit], "wrong passwords")
    matches = await anyio.to_thread.run_sync(
        verify_password, account["password_hash"], current_password
    )
    if not matches:
        raise InvalidInput(
            FieldError(
                "currentPassword",
                AccountErrorCode.INVALID_CREDENTIALS,
                "Your current password is wrong.",
            )
        )
    return limit


async def change_password(
    settings: Settings, viewer: Viewer, current_password: str, new_password: str
) -> int:
    """Replace the viewer's password, given the current one; every other session is signed
    out (this one stays). Returns how many were revoked."""
    account = await _account(viewer.require_account())
    limit = await _check_current_password(settings, account, current_password)
    password_hash = await _new_password_hash(new_password)
    now = _now()
    async with write_transaction():
        await _set_password(account, password_hash, now)
        others = (AccountSession.account == account["id"]) & AccountSession.revoked_at.is_null()
        if viewer.session_token_id is not None:
            others &= AccountSession.token_id != viewer.session_token_id
        revoked = (
            await AccountSession.update({AccountSession.revoked_at: now})
            .where(others)
            .returning(AccountSession.id)
        )
        await account_mail.queue_password_changed(
            settings,
            account,
            how="by someone signed in to it",
            sessions_note="Every other device that was signed in has been signed out.",
        )
    await throttle.forgive([limit.key], clear=[limit.key])
    return len(revoked)

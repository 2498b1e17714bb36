"""Accounts: registration, login with throttling, bearer tokens, logout and sign-in sessions.

Plain Python over the tables; the GraphQL schema, the CLI and the demo seeder all call here.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

import anyio.to_thread
from piccolo.query.methods.select import Select

from api.core.auth import (
    DUMMY_PASSWORD_HASH,
    InvalidToken,
    TokenClaims,
    TokenProblem,
    hash_password,
    issue_token,
    password_needs_rehash,
    read_token,
    verify_password,
)
from api.core.db import is_unique_violation, write_transaction
from api.core.errors import FieldError, Forbidden, InvalidInput
from api.core.pagination import Page, paginate
from api.core.prepared import prepared
from api.core.settings import Settings
from api.core.viewer import Viewer
from api.people import account_mail, throttle
from api.people.tables import Account, AccountSession
from api.people.throttle import Limit, Throttled

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
MAX_NAME_LENGTH = 200
MAX_EMAIL_LENGTH = 254
# Deliberately loose: one @, a dot in the domain, no spaces. Deliverability is proven by
# sending mail, not by a regular expression.
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountErrorCode(Enum):
    INVALID_EMAIL = "INVALID_EMAIL"
    EMAIL_TAKEN = "EMAIL_TAKEN"
    PASSWORD_TOO_SHORT = "PASSWORD_TOO_SHORT"
    PASSWORD_TOO_LONG = "PASSWORD_TOO_LONG"
    NAME_REQUIRED = "NAME_REQUIRED"
    NAME_TOO_LONG = "NAME_TOO_LONG"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    TOO_MANY_ATTEMPTS = "TOO_MANY_ATTEMPTS"
    SESSION_NOT_FOUND = "SESSION_NOT_FOUND"
    INVALID_CHARACTERS = "INVALID_CHARACTERS"
    INVALID_TOKEN = "INVALID_TOKEN"
    TOKEN_EXPIRED = "TOKEN_EXPIRED"
    TOKEN_USED = "TOKEN_USED"
    ALREADY_VERIFIED = "ALREADY_VERIFIED"


def normalize_email(email: str) -> str:
    return email.strip().lower()


def _now() -> datetime:
    return datetime.now(UTC)


def _validate_registration(email: str, password: str, name: str) -> list[FieldError]:
    errors = []
    if not is_email(email):
        errors.append(invalid_email())
    errors.extend(password_errors(password, "password"))
    if not name:
        errors.append(FieldError("name", AccountErrorCode.NAME_REQUIRED, "Enter your name."))
    elif len(name) > MAX_NAME_LENGTH:
        errors.append(
            FieldError(
                "name",
                AccountErrorCode.NAME_TOO_LONG,
                f"Use at most {MAX_NAME_LENGTH} characters for your name.",
            )
        )
    return errors


def is_email(email: str) -> bool:
    return len(email) <= MAX_EMAIL_LENGTH and EMAIL_PATTERN.match(email) is not None


def invalid_email() -> FieldError:
    return FieldError(
        "email", AccountErrorCode.INVALID_EMAIL, "Enter an email like ada@example.org."
    )


def password_errors(password: str, field: str) -> list[FieldError]:
    """What is wrong with a new password (nothing: an empty list)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return [
            FieldError(
                field,
                AccountErrorCode.PASSWORD_TOO_SHORT,
                f"Use a password of at least {MIN_PASSWORD_LENGTH} characters.",
            )
        ]
    if len(password) > MAX_PASSWORD_LENGTH:
        return [
            FieldError(
                field,
                AccountErrorCode.PASSWORD_TOO_LONG,
                f"Use a password of at most {MAX_PASSWORD_LENGTH} characters.",
            )
        ]
    return []


def _email_taken() -> InvalidInput:
    return InvalidInput(
        FieldError("email", AccountErrorCode.EMAIL_TAKEN, "An account with this email exists.")
    )


def too_many(throttled: Throttled, what: str) -> InvalidInput:
    return InvalidInput(
        FieldError(
            None,
            AccountErrorCode.TOO_MANY_ATTEMPTS,
            f"Too many {what}; try again in {throttled.wait_words}.",
        )
    )


async def register(
    *,
    email: str,
    password: str,
    name: str,
    is_staff: bool = False,
    settings: Settings | None = None,
    client_address: str | None = None,
    verified: bool = False,
) -> dict[str, Any]:
    """Create an account; `InvalidInput` names every field that needs fixing.

    `verified` marks the address verified from the start, for accounts whose address the
    operator vouches for (the CLI's `accounts create`, the demo seeders).

    Registrations from one client address are throttled (given `settings` and the address:
    the GraphQL mutation passes them, the CLI and the demo seeder do not), since every
    "this email is taken" answer tells whether an account exists. Given `settings`, a
    verification link is mailed to the address in the same transaction.
    """
    email = normalize_email(email)
    name = name.strip()
    errors = _validate_registration(email, password, name)
    if errors:
        raise InvalidInput(*errors)
    if settings is not None and client_address is not None:
        try:
            await throttle.reserve([registration_limit(settings, client_address)])
        except Throttled as throttled:
            raise too_many(throttled, "registrations from your address") from None
    if await Account.exists().where(Account.email == email):
        raise _email_taken()
    # argon2 is deliberately slow; hash off the event loop, before taking the write lock.
    password_hash = await anyio.to_thread.run_sync(hash_password, password)
    try:
        async with write_transaction():
            rows = await Account.insert(
                Account(
                    email=email,
                    name=name,
                    password_hash=password_hash,
                    is_staff=is_staff,
                    email_verified_at=_now() if verified else None,
                )
            ).returning(*Account.all_columns(exclude=[Account.password_hash]))
            if settings is not None:
                await account_mail.queue_verification(settings, rows[0])
    except Exception as error:
        # Two registrations of one email racing past the check above: the index decides.
        if is_unique_violation(error):
            raise _email_taken() from None
        raise
    return rows[0]


@dataclass(frozen=True)
class LoginResult:
    token: str
    account: dict[str, Any]
    expires_at: datetime


async def register_and_sign_in(
    settings: Settings,
    *,
    email: str,
    password: str,
    name: str,
    client_address: str,
    user_agent: str = "",
) -> LoginResult:
    """Create an account and open its first session at once: the same revocable session
    and bearer token `login` hands out, so a new member need not log in again. Throttled
    per client address like every registration through the API."""
    account = await register(
        email=email, password=password, name=name, settings=settings, client_address=client_address
    )
    async with write_transaction():
        return await _open_session(settings, account, user_agent, client_address)


async def _open_session(
    settings: Settings, account: dict[str, Any], user_agent: str, client_address: str
) -> LoginResult:
    """A new session row for the account and its signed token (inside a write transaction)."""
    now = _now()
    expires_at = now + timedelta(seconds=settings.token_lifetime_seconds)
    token_id = uuid.uuid4()
    await AccountSession.insert(
        AccountSession(
            token_id=token_id,
            account=account["id"],
            created_at=now,
            expires_at=expires_at,
            user_agent=user_agent[:300],
            client_address=client_address[:64],
        )
    )
    token = issue_token(
        settings.resolved_secret_key(),
        TokenClaims(account_id=account["id"], token_id=token_id, expires_at=expires_at),
    )
    account = {key: value for key, value in account.items() if key != "password_hash"}
    return LoginResult(token=token, account=account, expires_at=expires_at)


def registration_limit(settings: Settings, client_address: str) -> Limit:
    return Limit(
        f"register|{client_address or 'unknown'}",
        settings.registrations_per_client,
        timedelta(hours=1),
    )


def login_limits(
    settings: Settings, email: str, client_address: str, *, known_client: bool
) -> list[Limit]:
    """The throttles one login attempt counts against.

    - this account from this client: `login_failures_allowed`, then growing delays. Someone
      guessing elsewhere never locks the owner out;
    - this client over every account: `login_failures_per_client` (one address spraying
      many accounts). Behind a proxy, the client is the address the trusted proxy names;
    - this account from clients its owner never signed in from: `login_failures_per_account`
      (guesses spread over many addresses); the owner's own places are exempt.
    """
    client = client_address or "unknown"
    window = timedelta(seconds=settings.login_throttle_seconds)
    limits = [
        Limit(f"login|{email}|{client}", settings.login_failures_allowed, window),
        Limit(f"login-client|{client}", settings.login_failures_per_client, window),
    ]
    if not known_client:
        limits.append(Limit(f"login-account|{email}", settings.login_failures_per_account, window))
    return limits


async def _signed_in_from(account_id: int, client_address: str) -> bool:
    """Whether the owner opened a session from this client address before."""
    if not client_address:
        return False
    return await AccountSession.exists().where(
        (AccountSession.account == account_id)
        & (AccountSession.client_address == client_address[:64])
    )


async def login(
    settings: Settings,
    *,
    email: str,
    password: str,
    ip_address: str = "",
    user_agent: str = "",
) -> LoginResult:
    """Check the password and open a session; its signed token is the bearer token.

    Each attempt is reserved against the throttles (`login_limits`) before the password is
    checked, so parallel guesses cannot slip past a limit together; a throttled attempt is
    refused whatever the password, so a guesser learns nothing from the answer. A successful
    login gives its attempt back and clears its account-and-client throttle.
    """
    email = normalize_email(email)
    account = await Account.select().where(Account.email == email).first()
    known_client = account is not None and await _signed_in_from(account["id"], ip_address)
    limits = login_limits(settings, email, ip_address, known_client=known_client)
    try:
        await throttle.reserve(limits)
    except Throttled as throttled:
        raise too_many(throttled, "failed logins") from None
    password_hash = account["password_hash"] if account else DUMMY_PASSWORD_HASH
    matches = await anyio.to_thread.run_sync(verify_password, password_hash, password)
    if not account or not matches:
        raise InvalidInput(
            FieldError(
                None, AccountErrorCode.INVALID_CREDENTIALS, "The email or password is wrong."
            )
        )
    async with write_transaction():
        result = await _open_session(settings, account, user_agent, ip_address)
        if password_needs_rehash(password_hash):
            new_hash = hash_password(password)
            await Account.update({Account.password_hash: new_hash}).where(
                Account.id == account["id"]
            )
    await throttle.forgive([limit.key for limit in limits], clear=[limits[0].key])
    return result


async def authenticate(settings: Settings, token: str) -> Viewer:
    """The viewer a bearer token stands for; `InvalidToken` says why it does not."""
    claims = read_token(settings.resolved_secret_key(), token)
    return await authenticate_session(settings, claims.account_id, claims.token_id)


@prepared
def _session(token_id: uuid.UUID, account_id: int) -> Select:
    return (
        AccountSession.select(
            AccountSession.revoked_at,
            AccountSession.expires_at,
            AccountSession.account.is_staff,
            AccountSession.account.email_verified_at,
        )
        .where((AccountSession.token_id == token_id) & (AccountSession.account == account_id))
        .limit(1)
    )


async def authenticate_session(settings: Settings, account_id: int, token_id: uuid.UUID) -> Viewer:
    """The viewer of one session of an account; `InvalidToken` once it is revoked or expired
    (a WebSocket checks its session again with this before each event it sends)."""
    sessions = await _session(token_id, account_id)
    session = sessions[0] if sessions else None
    if session is None or session["revoked_at"] is not None:
        raise InvalidToken(
            TokenProblem.REVOKED, "The token has been revoked (logged out); log in again."
        )
    if session["expires_at"] <= _now():
        raise InvalidToken(TokenProblem.EXPIRED, "The token has expired; log in again.")
    return Viewer(
        account_id=account_id,
        is_staff=bool(session["account.is_staff"]),
        session_token_id=token_id,
        must_verify_email=settings.require_verified_email
        and session["account.email_verified_at"] is None,
    )


async def logout(viewer: Viewer, *, all_sessions: bool = False) -> int:
    """Revoke the viewer's token (or every session of the account); returns how many."""
    account_id = viewer.require_account()
    condition = (AccountSession.account == account_id) & AccountSession.revoked_at.is_null()
    if not all_sessions:
        condition &= AccountSession.token_id == viewer.session_token_id
    async with write_transaction():
        revoked = (
            await AccountSession.update({AccountSession.revoked_at: _now()})
            .where(condition)
            .returning(AccountSession.id)
        )
    return len(revoked)


async def revoke_session(viewer: Viewer, session_id: int) -> None:
    """Sign one of the viewer's own sessions out (a lost laptop, say)."""
    account_id = viewer.require_account()
    async with write_transaction():
        revoked = (
            await AccountSession.update({AccountSession.revoked_at: _now()})
            .where(
                (AccountSession.id == session_id)
                & (AccountSession.account == account_id)
                & AccountSession.revoked_at.is_null()
            )
            .returning(AccountSession.id)
        )
    if not revoked:
        raise InvalidInput(session_not_found())


def session_not_found() -> FieldError:
    return FieldError(
        "sessionId", AccountErrorCode.SESSION_NOT_FOUND, "No active session of yours has this id."
    )


async def active_sessions(
    viewer: Viewer, account_id: int, *, first: int | None, after: str | None
) -> Page:
    """An account's sessions that still authenticate, oldest first; its owner's eyes only."""
    if viewer.require_account() != account_id:
        raise Forbidden("Only the account's owner may list its sessions.")
    return await paginate(
        AccountSession,
        where=[
            AccountSession.account == account_id,
            AccountSession.revoked_at.is_null(),
            AccountSession.expires_at > _now(),
        ],
        first=first,
        after=after,
        columns=[
            AccountSession.id,
            AccountSession.created_at,
            AccountSession.expires_at,
            AccountSession.user_agent,
            AccountSession.token_id,
        ],
    )


async def accounts_by_ids(ids: list[int]) -> list[dict[str, Any]]:
    if not ids:
        return []
    return await Account.select(*Account.all_columns(exclude=[Account.password_hash])).where(
        Account.id.is_in(ids)
    )


def may_see_account(viewer: Viewer, account_id: int) -> bool:
    """An account (its email, its sessions) is seen by its owner and by staff only."""
    return viewer.account_id == account_id or viewer.is_staff

"""Single-use, expiring tokens for links mailed to an account's address.

A token is a random id and an HMAC of it with the secret key and its purpose: a forged or
mistyped token is recognised without a database read, and a verification token is no reset
token. The row (`AccountToken`) says whether it is still good: redeeming it is one
compare-and-set (`used_at IS NULL AND expires_at > now`), so two clicks race to one winner.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum

from api.core.db import current_engine
from api.core.errors import FieldError, InvalidInput
from api.people.tables import AccountToken, TokenPurpose

#: Bytes of the HMAC kept in a token: 128 bits, as many as the random id.
MAC_BYTES = 16


class TokenErrorCode(Enum):
    INVALID_TOKEN = "INVALID_TOKEN"
    TOKEN_EXPIRED = "TOKEN_EXPIRED"
    TOKEN_USED = "TOKEN_USED"


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    """The bytes of canonical unpadded base64url; `ValueError` for any other spelling (the
    last character's spare bits set, say), so one token has exactly one written form."""
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if _encode(raw) != text:
        raise ValueError("not canonical base64url")
    return raw


def _mac(secret: str, purpose: Enum, token_id: uuid.UUID) -> bytes:
    message = f"confrere-account-token:{purpose.value}:".encode() + token_id.bytes
    return hmac.new(secret.encode(), message, hashlib.sha256).digest()[:MAC_BYTES]


def sign(secret: str, purpose: Enum, token_id: uuid.UUID) -> str:
    """The token for `token_id`: URL-safe, 45 characters. `purpose` is a `TokenPurpose` or
    another capability's (an organization's invitation), so no token passes for another."""
    return f"{_encode(token_id.bytes)}.{_encode(_mac(secret, purpose, token_id))}"


def read(secret: str, purpose: Enum, token: str) -> uuid.UUID | None:
    """The id a token of `purpose` carries; None when this server did not sign it so."""
    identifier, _, mac = token.strip().partition(".")
    if not identifier or not mac or len(token) > 100:
        return None
    try:
        token_id = uuid.UUID(bytes=_decode(identifier))
        given = _decode(mac)
    except (ValueError, binascii.Error):
        return None
    if not hmac.compare_digest(given, _mac(secret, purpose, token_id)):
        return None
    return token_id


async def issue(
    secret: str, purpose: TokenPurpose, account_id: int, email: str, valid_for: timedelta
) -> str:
    """A new token for the account (inside the write transaction that mails it)."""
    assert current_engine().current_transaction.get() is not None, "outside a transaction"
    token_id = uuid.uuid4()
    now = datetime.now(UTC)
    await AccountToken.insert(
        AccountToken(
            token_id=token_id,
            account=account_id,
            purpose=purpose.value,
            email=email,
            created_at=now,
            expires_at=now + valid_for,
        )
    )
    return sign(secret, purpose, token_id)


@dataclass(frozen=True)
class Redeemed:
    account_id: int
    email: str


_INVALID = {
    TokenPurpose.VERIFY_EMAIL: "This link is not one we sent: copy the whole link from the "
    "email, or ask for a new one with resendVerification.",
    TokenPurpose.RESET_PASSWORD: "This link is not one we sent: copy the whole link from the "
    "email, or ask for a new one with requestPasswordReset.",
    TokenPurpose.CHANGE_EMAIL: "This link is not one we sent: copy the whole link from the "
    "email, or ask again with changeEmail.",
}
_AGAIN = {
    TokenPurpose.VERIFY_EMAIL: "ask for a new one with resendVerification",
    TokenPurpose.RESET_PASSWORD: "ask for a new one with requestPasswordReset",
    TokenPurpose.CHANGE_EMAIL: "ask again with changeEmail",
}


def _refused(code: TokenErrorCode, message: str) -> InvalidInput:
    return InvalidInput(FieldError("token", code, message))


async def redeem(secret: str, purpose: TokenPurpose, token: str) -> Redeemed:
    """Use a token up (inside a write transaction); `InvalidInput` says why it cannot be."""
    assert current_engine().current_transaction.get() is not None, "outside a transaction"
    token_id = read(secret, purpose, token)
    if token_id is None:
        raise _refused(TokenErrorCode.INVALID_TOKEN, _INVALID[purpose])
    now = datetime.now(UTC)
    rows = (
        await AccountToken.update({AccountToken.used_at: now})
        .where(
            (AccountToken.token_id == token_id)
            & (AccountToken.purpose == purpose.value)
            & AccountToken.used_at.is_null()
            & (AccountToken.expires_at > now)
        )
        .returning(AccountToken.account, AccountToken.email)
    )
    if rows:
        return Redeemed(account_id=rows[0]["account"], email=rows[0]["email"])
    row = (
        await AccountToken.select(AccountToken.used_at)
        .where(AccountToken.token_id == token_id)
        .first()
    )
    if row is None:
        raise _refused(TokenErrorCode.INVALID_TOKEN, _INVALID[purpose])
    if row["used_at"] is not None:
        raise _refused(
            TokenErrorCode.TOKEN_USED,
            f"This link was used already; each works once. If you need another, {_AGAIN[purpose]}.",
        )
    raise _refused(TokenErrorCode.TOKEN_EXPIRED, f"This link has expired; {_AGAIN[purpose]}.")


async def spend_all(account_id: int, purpose: TokenPurpose) -> None:
    """Use up every outstanding token of the account for `purpose` (a password just changed:
    older reset links must not change it again)."""
    await AccountToken.update({AccountToken.used_at: datetime.now(UTC)}).where(
        (AccountToken.account == account_id)
        & (AccountToken.purpose == purpose.value)
        & AccountToken.used_at.is_null()
    )

"""Password hashing (argon2), signed, expiring bearer tokens (JWT, HS256), and who an HTTP
request comes from."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from litestar import Request, Response

from api.core.settings import Settings
from api.core.viewer import Viewer

_hasher = PasswordHasher()

TOKEN_ALGORITHM = "HS256"
TOKEN_AUDIENCE = "confrere"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


#: Verifying against this keeps a login for an unknown email as slow as for a known one.
DUMMY_PASSWORD_HASH = _hasher.hash("confrere-timing-equaliser")


class TokenProblem(StrEnum):
    MALFORMED = "MALFORMED"
    EXPIRED = "EXPIRED"
    REVOKED = "REVOKED"


class InvalidToken(Exception):
    def __init__(self, problem: TokenProblem, message: str) -> None:
        super().__init__(message)
        self.problem = problem
        self.message = message


@dataclass(frozen=True)
class TokenClaims:
    account_id: int
    token_id: uuid.UUID
    expires_at: datetime


def issue_token(secret: str, claims: TokenClaims) -> str:
    payload = {
        "sub": str(claims.account_id),
        "jti": str(claims.token_id),
        "aud": TOKEN_AUDIENCE,
        "iat": int(datetime.now(UTC).timestamp()),
        "exp": int(claims.expires_at.timestamp()),
    }
    return jwt.encode(payload, secret, algorithm=TOKEN_ALGORITHM)


def read_token(secret: str, token: str) -> TokenClaims:
    """The claims of a token this server signed; `InvalidToken` for anything else."""
    try:
        payload = jwt.decode(
            token,
            secret,
            algorithms=[TOKEN_ALGORITHM],
            audience=TOKEN_AUDIENCE,
            options={"require": ["sub", "jti", "exp", "aud"]},
        )
    except jwt.ExpiredSignatureError:
        raise InvalidToken(
            TokenProblem.EXPIRED, "The token has expired; log in again to get a new one."
        ) from None
    except jwt.PyJWTError:
        raise InvalidToken(
            TokenProblem.MALFORMED,
            "The token is not one this server issued; send `Authorization: Bearer <token>` "
            "with the token from `login`.",
        ) from None
    try:
        return TokenClaims(
            account_id=int(payload["sub"]),
            token_id=uuid.UUID(payload["jti"]),
            expires_at=datetime.fromtimestamp(payload["exp"], UTC),
        )
    except (TypeError, ValueError):
        raise InvalidToken(TokenProblem.MALFORMED, "The token's claims are malformed.") from None


def bearer_token(request: Request[Any, Any, Any]) -> str | None:
    """The token of the request's `Authorization: Bearer <token>` header, if it has one."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken(
            TokenProblem.MALFORMED,
            "The Authorization header must read `Bearer <token>`, with the token from `login`.",
        )
    return token.strip()


#: The browser session: the same signed token as a bearer token (one revocable session row),
#: in an HttpOnly cookie that the member app's JavaScript never sees.
SESSION_COOKIE = "confrere_session"

#: The bodies a cross-site page cannot send without a CORS preflight, which this server never
#: grants: only requests with one of these may be authenticated by the cookie.
COOKIE_MEDIA_TYPES = frozenset({"application/json", "application/graphql-response+json"})


def cookie_may_authenticate(request: Request[Any, Any, Any]) -> bool:
    """Whether the session cookie may stand for its member on this request: only on a POST
    with a JSON body. A cross-site form (urlencoded, multipart or text/plain) or a link (a GET)
    reaches the server with the cookie too, and must act as nobody (cross-site request
    forgery); `SameSite=Lax` keeps the cookie off most of them as well, this keeps it off all."""
    if request.method != "POST":
        return False
    content_type = request.headers.get("content-type", "")
    return content_type.split(";", 1)[0].strip().lower() in COOKIE_MEDIA_TYPES


def set_session_cookie(
    response: Response[Any], token: str, expires_at: datetime, *, secure: bool
) -> None:
    """Sign a browser in: the session's token in an HttpOnly, `SameSite=Lax` cookie that lasts
    as long as the session (`Secure` where the site is served over HTTPS)."""
    max_age = max(0, int((expires_at - datetime.now(UTC)).total_seconds()))
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=max_age,
        path="/",
        secure=secure,
        httponly=True,
        samesite="lax",
    )


def clear_session_cookie(response: Response[Any], *, secure: bool) -> None:
    """Sign a browser out: the cookie expires at once."""
    response.set_cookie(
        SESSION_COOKIE, "", max_age=0, path="/", secure=secure, httponly=True, samesite="lax"
    )


async def request_viewer(request: Request[Any, Any, Any], settings: Settings) -> Viewer:
    """Who an HTTP request comes from (/graphql and the plain routes alike): the account of
    its `Authorization: Bearer <token>` (`InvalidToken` for a malformed, expired or revoked
    one); without that header, the account of the browser session's cookie on a JSON POST
    (`cookie_may_authenticate`; a stale cookie is anonymous, so the app signs in again); else
    a fresh anonymous viewer (its own per-request cache)."""
    # Sessions are accounts' rows, kept by people; people's service imports this module, so
    # the session lookup is imported when a request first needs it.
    from api.people.service import authenticate

    token = bearer_token(request)
    if token is not None:
        return await authenticate(settings, token)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie and cookie_may_authenticate(request):
        try:
            return await authenticate(settings, cookie)
        except InvalidToken:
            return Viewer()
    return Viewer()


async def token_viewer(token: str, settings: Settings) -> Viewer:
    """The viewer of a bearer token given outside an Authorization header (a WebSocket's
    connection_init payload); `InvalidToken` when it does not authenticate."""
    from api.people.service import authenticate

    return await authenticate(settings, token)


async def viewer_again(viewer: Viewer, settings: Settings) -> Viewer:
    """`viewer` read afresh for a long-lived connection: a new per-request world, and
    `InvalidToken` once its session has been revoked (logged out) or has expired."""
    from api.people.service import authenticate_session

    if viewer.account_id is None or viewer.session_token_id is None:
        return Viewer()
    return await authenticate_session(settings, viewer.account_id, viewer.session_token_id)

"""The tables behind accounts and their sign-in sessions."""

from piccolo.columns import (
    UUID,
    Boolean,
    ForeignKey,
    OnDelete,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Account(Table):
    """Someone who signs in: a job seeker, an employer's recruiter, an association's admin."""

    email = Varchar(length=254, unique=True, index=True)
    name = Varchar(length=200)
    password_hash = Varchar(length=255, secret=True)
    is_staff = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class AccountSession(Table, tablename="account_session"):
    """One bearer token handed out by `login`; revoking the session revokes the token."""

    token_id = UUID(unique=True, index=True)
    account = ForeignKey(references=Account, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)
    user_agent = Varchar(length=300, default="")


class LoginFailure(Table, tablename="login_failure"):
    """A failed login, kept for the throttle window; shared by every app node."""

    email = Varchar(length=254, index=True)
    ip_address = Varchar(length=64, default="")
    failed_at = Timestamptz(default=TimestamptzNow(), index=True)

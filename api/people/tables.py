"""The tables behind accounts, sign-in sessions, profiles and connections."""

from enum import Enum

from piccolo.columns import (
    JSON,
    UUID,
    Boolean,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
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
    email_verified_at = Timestamptz(null=True, default=None)
    """When its owner followed a link mailed to `email` (verification or password reset)."""


class AccountSession(Table, tablename="account_session"):
    """One bearer token handed out by `login`; revoking the session revokes the token."""

    token_id = UUID(unique=True, index=True)
    account = ForeignKey(references=Account, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)
    user_agent = Varchar(length=300, default="")
    client_address = Varchar(length=64, default="")
    """Where the session was opened from: a place the owner signed in from before."""


class TokenPurpose(Enum):
    """What a mailed link lets its holder do."""

    VERIFY_EMAIL = "VERIFY_EMAIL"
    RESET_PASSWORD = "RESET_PASSWORD"
    CHANGE_EMAIL = "CHANGE_EMAIL"
    """Its `email` is the new address, which the account takes when the link is followed."""


class AccountToken(Table, tablename="account_token"):
    """One link mailed to an account's address: single use (`used_at`), expiring. The link
    carries `token_id` signed with the secret key (`api.people.tokens`)."""

    token_id = UUID(unique=True, index=True)
    account = ForeignKey(references=Account, on_delete=OnDelete.cascade, index=True)
    purpose = Varchar(length=20, choices=TokenPurpose)
    email = Varchar(length=254)
    """The address it was mailed to: it proves nothing once the account's address changed."""
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


class Throttle(Table):
    """Recent attempts under one throttle key (a login of one account from one client, say),
    shared by every app node. See `api.people.throttle`."""

    key = Varchar(length=400, unique=True, index=True)
    attempts = Integer(default=0)
    last_attempt_at = Timestamptz(default=TimestamptzNow(), index=True)
    blocked_until = Timestamptz(null=True, default=None)


class Visibility(Enum):
    """Who may see something, as nested audiences: each level includes the ones before it.

    PRIVATE: the owner only. CONNECTIONS: and their 1st-degree connections. MEMBERS: and
    people who share an active membership of an organization with the owner. EMPLOYERS: and
    accounts acting for a verified employer. PUBLIC: anyone, signed in or not.
    """

    PRIVATE = "PRIVATE"
    CONNECTIONS = "CONNECTIONS"
    MEMBERS = "MEMBERS"
    EMPLOYERS = "EMPLOYERS"
    PUBLIC = "PUBLIC"


class Profile(Table):
    """One per account: who the person is, where, and how to reach them."""

    account = ForeignKey(references=Account, on_delete=OnDelete.cascade, unique=True, index=True)
    headline = Varchar(length=200, default="")
    summary = Text(default="")
    city = Varchar(length=120, default="")
    region = Varchar(length=120, default="")
    country_code = Varchar(length=2, default="")
    industry = Varchar(length=120, default="")
    links = JSON(default="[]")
    email = Varchar(length=254, default="")
    phone = Varchar(length=50, default="")
    visibility = Varchar(length=20, choices=Visibility, default=Visibility.PUBLIC.value)
    contact_visibility = Varchar(
        length=20, choices=Visibility, default=Visibility.CONNECTIONS.value
    )
    updated_at = Timestamptz(default=TimestamptzNow())


class ConnectionStatus(Enum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    WITHDRAWN = "WITHDRAWN"
    REMOVED = "REMOVED"


class Connection(Table):
    """A request from one person to another; accepted, it connects them both ways."""

    requester = ForeignKey(references=Account, on_delete=OnDelete.cascade, index=True)
    addressee = ForeignKey(references=Account, on_delete=OnDelete.cascade, index=True)
    status = Varchar(length=20, choices=ConnectionStatus, index=True)
    note = Varchar(length=300, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    responded_at = Timestamptz(null=True, default=None)


class PersonBlock(Table, tablename="person_block"):
    """One person blocking another: it ends their connection, stops requests either way and
    hides the blocker from the blocked person. Unblocking deletes the row."""

    blocker = ForeignKey(references=Account, on_delete=OnDelete.cascade, index=True)
    blocked = ForeignKey(references=Account, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(default=TimestamptzNow())

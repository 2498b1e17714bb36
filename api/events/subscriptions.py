"""Calendar subscriptions: a member's secret address of an organization's calendar.

Calendar apps fetch `/organizations/<slug>/calendar.ics` on their own schedule and cannot
send a bearer token, so a member asks for a secret address instead:
`/organizations/<slug>/calendar.ics?token=<secret>`. It shows what that member sees
(members-only events, and the online link of events they are GOING to).

One address per member and organization. Issuing a new one replaces the old (it stops
working at once), revoking deletes it, and it works only while its owner is an active
member of the organization (leaving or being removed ends it at once).

The secret is not stored: it is an HMAC of a random per-subscription key under the server's
secret key, so the database alone (a backup, a copy) gives no working address, while the
owner can be shown their address again whenever they ask (as Google Calendar shows its
"secret address"). The database keeps the key and the secret's SHA-256, to find the
subscription an address names. Changing the server's secret key ends every address.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import UTC, datetime

from api.core.db import write_transaction
from api.core.errors import FieldError, InvalidInput
from api.core.pagination import Page, paginate
from api.core.viewer import Viewer
from api.events.records import CalendarSubscriptionRecord
from api.events.service import EventErrorCode
from api.events.tables import CalendarSubscription
from api.networks.tables import Membership, MembershipStatus, Organization

#: Longer tokens than ours are refused before any hashing.
_MAX_TOKEN_LENGTH = 100
_COLUMNS = (
    *CalendarSubscription.all_columns(),
    CalendarSubscription.organization.slug.as_alias("organization_slug"),
)


def subscription_token(secret_key: str, key: str) -> str:
    """The secret in a subscription's address, derived from its key."""
    digest = hmac.new(secret_key.encode(), f"calendar:{key}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def subscription_path(slug: str, token: str) -> str:
    """Where the subscription's calendar is served, from the site's root."""
    return f"organizations/{slug}/calendar.ics?token={token}"


async def _active_organizations(account_id: int) -> list[int]:
    rows = await Membership.select(Membership.organization).where(
        (Membership.account == account_id) & (Membership.status == MembershipStatus.ACTIVE.value)
    )
    return [row["organization"] for row in rows]


async def create_calendar_subscription(
    viewer: Viewer, organization_id: int, secret_key: str
) -> CalendarSubscriptionRecord:
    """A new secret address of the organization's calendar for the viewer, an active member;
    the address they had for it stops working."""
    account_id = viewer.require_account()
    if organization_id not in await _active_organizations(account_id):
        if not await Organization.exists().where(Organization.id == organization_id):
            raise InvalidInput(
                FieldError(
                    "organizationId",
                    EventErrorCode.NOT_FOUND,
                    "No organization has this id.",
                )
            )
        raise InvalidInput(
            FieldError(
                "organizationId",
                EventErrorCode.NOT_ALLOWED,
                "Secret calendar addresses are for the organization's members; anyone may "
                "subscribe to its public calendar without one.",
            )
        )
    key = secrets.token_hex(32)
    async with write_transaction():
        await CalendarSubscription.delete().where(
            (CalendarSubscription.account == account_id)
            & (CalendarSubscription.organization == organization_id)
        )
        [row] = await CalendarSubscription.insert(
            CalendarSubscription(
                account=account_id,
                organization=organization_id,
                key=key,
                token_hash=_token_hash(subscription_token(secret_key, key)),
                created_at=datetime.now(UTC),
            )
        ).returning(CalendarSubscription.id)
    found = await CalendarSubscription.select(*_COLUMNS).where(CalendarSubscription.id == row["id"])
    return CalendarSubscriptionRecord.from_row(found[0])


async def revoke_calendar_subscription(viewer: Viewer, subscription_id: int) -> None:
    """Delete one of the viewer's subscriptions: its address stops working at once."""
    account_id = viewer.require_account()
    async with write_transaction():
        deleted = (
            await CalendarSubscription.delete()
            .where(
                (CalendarSubscription.id == subscription_id)
                & (CalendarSubscription.account == account_id)
            )
            .returning(CalendarSubscription.id)
        )
    if not deleted:
        raise InvalidInput(
            FieldError(
                "id",
                EventErrorCode.NOT_FOUND,
                "You have no calendar subscription with this id.",
            )
        )


async def my_calendar_subscriptions(
    viewer: Viewer, *, first: int | None, after: str | None
) -> Page:
    """The viewer's working subscriptions (of organizations they are still active in)."""
    account_id = viewer.require_account()
    active = await _active_organizations(account_id)
    where = [
        (CalendarSubscription.account == account_id)
        & CalendarSubscription.organization.is_in(active or [-1])
    ]
    return await paginate(
        CalendarSubscription, where=where, first=first, after=after, columns=_COLUMNS
    )


async def subscriber(secret_key: str, token: str, organization_id: int) -> int | None:
    """The account whose working address of this organization's calendar holds `token`;
    None for an unknown, replaced or revoked token, or one of a former member."""
    if not token or len(token) > _MAX_TOKEN_LENGTH or not token.isascii():
        return None
    row = (
        await CalendarSubscription.select(
            CalendarSubscription.account,
            CalendarSubscription.organization,
            CalendarSubscription.key,
        )
        .where(CalendarSubscription.token_hash == _token_hash(token))
        .first()
    )
    if row is None or row["organization"] != organization_id:
        return None
    if not hmac.compare_digest(subscription_token(secret_key, row["key"]), token):
        return None  # the server's secret key changed since the address was made
    if organization_id not in await _active_organizations(row["account"]):
        return None
    return row["account"]

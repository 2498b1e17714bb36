"""Notification preferences: per kind, whether and when it is also emailed.

Every notification is shown in the app. Email follows the person's choice for its kind —
at once, in a daily or weekly digest, or never — or the kind's default: what a person is
waiting for (their application moved, a seat opened) comes at once; social news (a
connection request, a comment) in the daily digest. Only choices that differ from the
default are stored.

Every email carries a one-click unsubscribe link (RFC 8058) for its kind: a signed token of
the account and the kind, so it works without signing in and cannot be forged or pointed at
someone else's account.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from api.core.db import write_transaction
from api.core.errors import FieldError, InvalidInput
from api.core.viewer import Viewer
from api.notifications.tables import (
    EmailChoice,
    Notification,
    NotificationKind,
    NotificationPreference,
)

Kind = NotificationKind

#: When each kind is emailed unless the person chose otherwise.
DEFAULT_EMAIL: dict[NotificationKind, EmailChoice] = {
    Kind.CONNECTION_REQUESTED: EmailChoice.DAILY,
    Kind.CONNECTION_ACCEPTED: EmailChoice.DAILY,
    Kind.MEMBERSHIP_REQUESTED: EmailChoice.DAILY,
    Kind.MEMBERSHIP_APPROVED: EmailChoice.IMMEDIATELY,
    Kind.MEMBERSHIP_INVITED: EmailChoice.IMMEDIATELY,
    Kind.APPLICATION_RECEIVED: EmailChoice.DAILY,
    Kind.APPLICATION_STAGE_CHANGED: EmailChoice.IMMEDIATELY,
    Kind.WAITLIST_PROMOTED: EmailChoice.IMMEDIATELY,
    Kind.EVENT_CANCELLED: EmailChoice.IMMEDIATELY,
    Kind.POST_COMMENTED: EmailChoice.DAILY,
    Kind.COMMENT_REPLIED: EmailChoice.DAILY,
    Kind.EVENT_UPDATED: EmailChoice.IMMEDIATELY,
    Kind.JOB_APPROVED: EmailChoice.IMMEDIATELY,
    Kind.JOB_REJECTED: EmailChoice.IMMEDIATELY,
    Kind.POST_APPROVED: EmailChoice.IMMEDIATELY,
    Kind.POST_REJECTED: EmailChoice.IMMEDIATELY,
    Kind.PERK_APPROVED: EmailChoice.IMMEDIATELY,
    Kind.PERK_REJECTED: EmailChoice.IMMEDIATELY,
    Kind.EVENT_REMINDER: EmailChoice.IMMEDIATELY,
    Kind.JOB_EXPIRING: EmailChoice.IMMEDIATELY,
    # An alert is already a daily or weekly batch: it goes out as it is written.
    Kind.SAVED_SEARCH_MATCHES: EmailChoice.IMMEDIATELY,
    # Messages are read in the app; a mail for each would flood (an email when one stays
    # unread for a while is to come).
    # Immediately here means: once a message is still unread after
    # CONFRERE_MESSAGE_EMAIL_DELAY_MINUTES (api/notifications/mailer.py).
    Kind.MESSAGE_RECEIVED: EmailChoice.IMMEDIATELY,
}
assert set(DEFAULT_EMAIL) == set(NotificationKind), "every kind needs a default"


class PreferenceErrorCode(Enum):
    DUPLICATE_KIND = "DUPLICATE_KIND"
    INVALID_CHARACTERS = "INVALID_CHARACTERS"


@dataclass(frozen=True)
class Preference:
    kind: NotificationKind
    email: EmailChoice
    default: EmailChoice


async def email_choices(
    kind: NotificationKind, account_ids: Sequence[int]
) -> dict[int, EmailChoice]:
    """Each account's choice for `kind` (its default where they made none), in one query."""
    choices = dict.fromkeys(account_ids, DEFAULT_EMAIL[kind])
    if account_ids:
        rows = await NotificationPreference.select(
            NotificationPreference.account, NotificationPreference.email
        ).where(
            (NotificationPreference.kind == kind.value)
            & NotificationPreference.account.is_in(list(account_ids))
        )
        choices.update({row["account"]: EmailChoice(row["email"]) for row in rows})
    return choices


async def preferences(viewer: Viewer) -> list[Preference]:
    """The viewer's choice for every kind, in the kinds' order."""
    me = viewer.require_account()
    rows = await NotificationPreference.select(
        NotificationPreference.kind, NotificationPreference.email
    ).where(NotificationPreference.account == me)
    chosen = {NotificationKind(row["kind"]): EmailChoice(row["email"]) for row in rows}
    return [
        Preference(kind=kind, email=chosen.get(kind, default), default=default)
        for kind, default in DEFAULT_EMAIL.items()
    ]


async def set_preferences(
    viewer: Viewer, changes: Sequence[tuple[NotificationKind, EmailChoice]]
) -> list[Preference]:
    """Set the viewer's choice for each kind named (the others stay as they are); the
    notifications of those kinds not emailed yet follow the new choice."""
    me = viewer.require_account()
    kinds = [kind for kind, _ in changes]
    if len(set(kinds)) != len(kinds):
        raise InvalidInput(
            FieldError(
                "preferences",
                PreferenceErrorCode.DUPLICATE_KIND,
                "Name each kind once.",
            )
        )
    async with write_transaction():
        await _choose(me, changes)
    return await preferences(viewer)


async def _choose(account_id: int, changes: Iterable[tuple[NotificationKind, EmailChoice]]) -> None:
    for kind, email in changes:
        await NotificationPreference.delete().where(
            (NotificationPreference.account == account_id)
            & (NotificationPreference.kind == kind.value)
        )
        if email is not DEFAULT_EMAIL[kind]:
            await NotificationPreference.insert(
                NotificationPreference(account=account_id, kind=kind.value, email=email.value)
            )
        # What waits to be emailed follows the new choice (NEVER: it is passed over for good).
        values: dict[Any, Any] = {Notification.email_plan: email.value}
        if email is EmailChoice.NEVER:
            values[Notification.emailed_at] = datetime.now(UTC)
        await Notification.update(values).where(
            (Notification.recipient == account_id)
            & (Notification.kind == kind.value)
            & Notification.emailed_at.is_null()
        )


# --- one-click unsubscribe ----------------------------------------------------------------


def _signature(secret_key: str, message: str) -> str:
    digest = hmac.new(
        secret_key.encode(), f"unsubscribe:{message}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


#: What an unsubscribe link turns off: one kind's email, or a whole digest (every kind
#: emailed daily, or weekly).
Scope = NotificationKind | EmailChoice
_DIGESTS = (EmailChoice.DAILY, EmailChoice.WEEKLY)


def unsubscribe_token(secret_key: str, account_id: int, scope: Scope) -> str:
    """The token of an email's unsubscribe link: who, what, and a signature."""
    if isinstance(scope, EmailChoice) and scope not in _DIGESTS:
        raise ValueError(f"no unsubscribing from {scope.value} email as a whole")
    message = f"{account_id}.{scope.value}"
    return f"{message}.{_signature(secret_key, message)}"


def _scope(name: str) -> Scope | None:
    if name in NotificationKind.__members__:
        return NotificationKind(name)
    if name in (choice.value for choice in _DIGESTS):
        return EmailChoice(name)
    return None


def read_unsubscribe_token(secret_key: str, token: str) -> tuple[int, Scope] | None:
    """The account and scope a token names, or None for a token this server did not make."""
    if len(token) > 100:
        return None
    account, _, rest = token.partition(".")
    name, _, signature = rest.partition(".")
    scope = _scope(name)
    if not account.isascii() or not account.isdigit() or scope is None:
        return None
    expected = _signature(secret_key, f"{account}.{name}")
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        return None
    return int(account), scope


async def unsubscribe(secret_key: str, token: str) -> list[NotificationKind] | None:
    """Turn off the email the token names for its account: one kind, or every kind emailed
    in that digest. The kinds turned off (none, for a digest already empty), or None for a
    token this server did not make (or whose account is gone). Doing it twice is harmless."""
    named = read_unsubscribe_token(secret_key, token)
    if named is None:
        return None
    account_id, scope = named
    from api.people.tables import Account

    async with write_transaction():
        if not await Account.exists().where(Account.id == account_id):
            return None
        if isinstance(scope, NotificationKind):
            kinds = [scope]
        else:
            chosen = await preferences(Viewer(account_id=account_id))
            kinds = [preference.kind for preference in chosen if preference.email is scope]
        await _choose(account_id, [(kind, EmailChoice.NEVER) for kind in kinds])
    return kinds

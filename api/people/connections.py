"""Connections between people: the request lifecycle and blocks.

A connection request moves PENDING → ACCEPTED | DECLINED (the person asked answers) or
WITHDRAWN (the person who asked takes it back); an accepted connection ends REMOVED (either
side); a declined, withdrawn or removed one may be asked for again (→ PENDING). Each verb is
a move of `CONNECTIONS`, compare-and-set, and refuses an illegal move with ILLEGAL_TRANSITION.

A block ends any connection or pending request between the two people, refuses requests in
either direction (BLOCKED, with the same message whichever side blocked) and hides the
blocker from the blocked person; the hiding itself is decided in `api.people.audience`.

How near people are to each other (degrees, mutual connections, suggestions) is in
`api.people.degrees`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import Any

from api.core.db import is_unique_violation, write_transaction
from api.core.errors import FieldError, InvalidInput
from api.core.lifecycle import Lifecycle, Move
from api.core.pagination import Page, paginate
from api.core.viewer import Viewer
from api.notifications.service import Subject, notify
from api.notifications.tables import NotificationKind
from api.people.tables import Account, Connection, ConnectionStatus, PersonBlock
from api.people.verified import require_verified_email

MAX_NOTE_LENGTH = 300

_ACCEPTED = ConnectionStatus.ACCEPTED.value
_PENDING = ConnectionStatus.PENDING.value
_ENDED = {ConnectionStatus.DECLINED, ConnectionStatus.WITHDRAWN, ConnectionStatus.REMOVED}


class ConnectionErrorCode(Enum):
    NOT_FOUND = "NOT_FOUND"
    CANNOT_CONNECT_TO_SELF = "CANNOT_CONNECT_TO_SELF"
    CANNOT_BLOCK_SELF = "CANNOT_BLOCK_SELF"
    ALREADY_CONNECTED = "ALREADY_CONNECTED"
    ALREADY_REQUESTED = "ALREADY_REQUESTED"
    ILLEGAL_TRANSITION = "ILLEGAL_TRANSITION"
    NOTE_TOO_LONG = "NOTE_TOO_LONG"
    BLOCKED = "BLOCKED"
    INVALID_CHARACTERS = "INVALID_CHARACTERS"
    EMAIL_NOT_VERIFIED = "EMAIL_NOT_VERIFIED"


CONNECTIONS: Lifecycle[ConnectionStatus] = Lifecycle(
    Connection,
    noun="connection",
    field="connectionId",
    code=ConnectionErrorCode.ILLEGAL_TRANSITION,
    moves=[
        Move("request", _ENDED, ConnectionStatus.PENDING),
        Move("accept", {ConnectionStatus.PENDING}, ConnectionStatus.ACCEPTED),
        Move("decline", {ConnectionStatus.PENDING}, ConnectionStatus.DECLINED),
        Move("withdraw", {ConnectionStatus.PENDING}, ConnectionStatus.WITHDRAWN),
        Move("remove", {ConnectionStatus.ACCEPTED}, ConnectionStatus.REMOVED),
    ],
)


class RequestDirection(Enum):
    RECEIVED = "RECEIVED"
    SENT = "SENT"


def _now() -> datetime:
    return datetime.now(UTC)


def _pair(first: int, second: int) -> Any:
    return ((Connection.requester == first) & (Connection.addressee == second)) | (
        (Connection.requester == second) & (Connection.addressee == first)
    )


def _blocked() -> InvalidInput:
    # The same words whichever side blocked: the blocked person is not told who did.
    return InvalidInput(
        FieldError("personId", ConnectionErrorCode.BLOCKED, "This person is not available.")
    )


def _no_person() -> InvalidInput:
    return InvalidInput(
        FieldError("personId", ConnectionErrorCode.NOT_FOUND, "No person has this id.")
    )


async def _check_person(account_id: int) -> None:
    if not await Account.exists().where(Account.id == account_id):
        raise _no_person()


async def _blocked_either_way(first: int, second: int) -> bool:
    return await PersonBlock.exists().where(
        ((PersonBlock.blocker == first) & (PersonBlock.blocked == second))
        | ((PersonBlock.blocker == second) & (PersonBlock.blocked == first))
    )


async def request_connection(viewer: Viewer, account_id: int, note: str = "") -> dict[str, Any]:
    """Ask to connect. If the other person already asked, this accepts their request."""
    me = viewer.require_account()
    if account_id == me:
        raise InvalidInput(
            FieldError(
                "personId",
                ConnectionErrorCode.CANNOT_CONNECT_TO_SELF,
                "You cannot connect to yourself.",
            )
        )
    if len(note) > MAX_NOTE_LENGTH:
        raise InvalidInput(
            FieldError(
                "note",
                ConnectionErrorCode.NOTE_TOO_LONG,
                f"Keep the note to {MAX_NOTE_LENGTH} characters.",
            )
        )
    await _check_person(account_id)
    # A request (and its note) reaches a stranger: like messaging, it waits for verification.
    await require_verified_email(viewer)
    async with write_transaction():
        if await _blocked_either_way(me, account_id):
            raise _blocked()
        existing = await Connection.select().where(_pair(me, account_id)).first()
        if existing is None:
            [row] = await Connection.insert(
                Connection(
                    requester=me,
                    addressee=account_id,
                    status=_PENDING,
                    note=note.strip(),
                )
            ).returning(*Connection.all_columns())
            await _notify_requested(row)
            return row
        status = ConnectionStatus(existing["status"])
        if status is ConnectionStatus.ACCEPTED:
            raise InvalidInput(
                FieldError(
                    "personId", ConnectionErrorCode.ALREADY_CONNECTED, "You are already connected."
                )
            )
        if status is ConnectionStatus.PENDING:
            if existing["requester"] == me:
                raise InvalidInput(
                    FieldError(
                        "personId",
                        ConnectionErrorCode.ALREADY_REQUESTED,
                        "You have already asked; wait for an answer.",
                    )
                )
            return await _answer_move("accept", existing["id"], me, field="personId")
        # Declined, withdrawn or removed earlier: a fresh request from the viewer.
        renewed = await CONNECTIONS.apply(
            "request",
            existing["id"],
            values={
                Connection.requester: me,
                Connection.addressee: account_id,
                Connection.note: note.strip(),
                Connection.created_at: _now(),
                Connection.responded_at: None,
            },
            field="personId",
        )
        await _notify_requested(renewed)
        return renewed


async def _notify_requested(row: dict[str, Any]) -> None:
    await notify(
        NotificationKind.CONNECTION_REQUESTED,
        recipients=[row["addressee"]],
        actor=row["requester"],
        subject=Subject("ConnectionRequest", row["id"]),
    )


async def _answer_move(
    verb: str, connection_id: int, me: int, field: str = "connectionId"
) -> dict[str, Any]:
    """Move the request by `verb`, when `me` is the side that may (the addressee answers,
    the requester withdraws)."""
    side = Connection.requester if verb == "withdraw" else Connection.addressee
    async with write_transaction():
        row = await CONNECTIONS.apply(
            verb,
            connection_id,
            values={Connection.responded_at: _now()},
            where=side == me,
            field=field,
        )
        if verb == "accept":
            await notify(
                NotificationKind.CONNECTION_ACCEPTED,
                recipients=[row["requester"]],
                actor=me,
                subject=Subject("ConnectionRequest", row["id"]),
            )
    return row


async def _own_request(me: int, connection_id: int) -> dict[str, Any]:
    found = await Connection.select().where(Connection.id == connection_id).first()
    if found is None or me not in (found["requester"], found["addressee"]):
        raise InvalidInput(
            FieldError(
                "connectionId",
                ConnectionErrorCode.NOT_FOUND,
                "No request of yours has this id.",
            )
        )
    return found


def _illegal(field: str, message: str) -> InvalidInput:
    return InvalidInput(FieldError(field, ConnectionErrorCode.ILLEGAL_TRANSITION, message))


async def _answer(viewer: Viewer, connection_id: int, verb: str) -> dict[str, Any]:
    """The addressee accepts or declines, or the requester withdraws, a pending request."""
    me = viewer.require_account()
    found = await _own_request(me, connection_id)
    withdrawing = verb == "withdraw"
    if found["requester" if withdrawing else "addressee"] != me:
        who = "the person who asked can withdraw" if withdrawing else "the person asked can answer"
        raise CONNECTIONS.illegal(verb, found["status"], hint=f" (only {who})")
    CONNECTIONS.check(verb, found["status"])
    return await _answer_move(verb, connection_id, me)


async def accept_connection(viewer: Viewer, connection_id: int) -> dict[str, Any]:
    return await _answer(viewer, connection_id, "accept")


async def decline_connection(viewer: Viewer, connection_id: int) -> dict[str, Any]:
    return await _answer(viewer, connection_id, "decline")


async def withdraw_connection_request(viewer: Viewer, connection_id: int) -> dict[str, Any]:
    """Take back a request you sent that has not been answered yet."""
    return await _answer(viewer, connection_id, "withdraw")


async def remove_connection(viewer: Viewer, account_id: int) -> dict[str, Any]:
    """End an accepted connection, from either side; either may ask again afterwards."""
    me = viewer.require_account()
    if account_id == me:
        raise InvalidInput(
            FieldError(
                "personId",
                ConnectionErrorCode.CANNOT_CONNECT_TO_SELF,
                "You are not connected to yourself.",
            )
        )
    await _check_person(account_id)
    existing = await Connection.select().where(_pair(me, account_id)).first()
    if existing is None:
        raise _illegal("personId", "You are not connected to this person.")
    pending = existing["status"] == _PENDING
    hint = " (withdraw or decline the request instead)" if pending else ""
    CONNECTIONS.check("remove", existing["status"], "personId", hint)
    return await CONNECTIONS.apply(
        "remove", existing["id"], values={Connection.responded_at: _now()}, field="personId"
    )


async def block_person(viewer: Viewer, account_id: int) -> dict[str, Any]:
    """Block someone: ends your connection or pending request, and hides you from them."""
    me = viewer.require_account()
    if account_id == me:
        raise InvalidInput(
            FieldError(
                "personId", ConnectionErrorCode.CANNOT_BLOCK_SELF, "You cannot block yourself."
            )
        )
    await _check_person(account_id)
    already_blocked = _illegal("personId", "You have already blocked this person.")
    try:
        async with write_transaction():
            if await PersonBlock.exists().where(
                (PersonBlock.blocker == me) & (PersonBlock.blocked == account_id)
            ):
                raise already_blocked
            [block] = await PersonBlock.insert(
                PersonBlock(blocker=me, blocked=account_id)
            ).returning(*PersonBlock.all_columns())
            await _end_connection(me, account_id)
    except InvalidInput:
        raise
    except Exception as error:
        # Two blocks of one person racing past the check above: the index decides.
        if is_unique_violation(error):
            raise already_blocked from None
        raise
    return block


async def _end_connection(me: int, other: int) -> None:
    """End whatever stands between the two (inside the block's transaction): an accepted
    connection is removed, the blocker's pending request withdrawn and the other's declined.
    Each statement moves only a row still in its starting state, so nothing is read first."""
    ended = {Connection.responded_at: _now()}
    for status, to, where in (
        (_ACCEPTED, ConnectionStatus.REMOVED, _pair(me, other)),
        (_PENDING, ConnectionStatus.WITHDRAWN, _sent(me, other)),
        (_PENDING, ConnectionStatus.DECLINED, _sent(other, me)),
    ):
        await Connection.update({Connection.status: to.value, **ended}).where(
            where & (Connection.status == status)
        )


def _sent(requester: int, addressee: int) -> Any:
    return (Connection.requester == requester) & (Connection.addressee == addressee)


async def unblock_person(viewer: Viewer, account_id: int) -> None:
    """Lift your block; the connection it ended is not restored, but either may ask again."""
    me = viewer.require_account()
    await _check_person(account_id)
    async with write_transaction():
        found = (
            await PersonBlock.select(PersonBlock.id)
            .where((PersonBlock.blocker == me) & (PersonBlock.blocked == account_id))
            .first()
        )
        if found is None:
            raise _illegal("personId", "You have not blocked this person.")
        await PersonBlock.delete().where(PersonBlock.id == found["id"])


# --- Lists of the viewer's own -------------------------------------------------------------


async def connection_requests_page(
    viewer: Viewer, direction: RequestDirection, *, first: int | None, after: str | None
) -> Page:
    """Pending requests the viewer received (or sent), oldest first."""
    me = viewer.require_account()
    side = Connection.addressee if direction is RequestDirection.RECEIVED else Connection.requester
    return await paginate(
        Connection, where=[side == me, Connection.status == _PENDING], first=first, after=after
    )


async def blocks_page(viewer: Viewer, *, first: int | None, after: str | None) -> Page:
    """The people the viewer blocked, in the order they were blocked."""
    me = viewer.require_account()
    return await paginate(PersonBlock, where=[PersonBlock.blocker == me], first=first, after=after)

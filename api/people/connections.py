"""Connections between people: request, accept, decline; each move checks where it starts."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import Any

from api.core.db import write_transaction
from api.core.errors import FieldError, InvalidInput
from api.core.viewer import Viewer
from api.people.tables import Account, Connection, ConnectionStatus

MAX_NOTE_LENGTH = 300


class ConnectionErrorCode(Enum):
    NOT_FOUND = "NOT_FOUND"
    CANNOT_CONNECT_TO_SELF = "CANNOT_CONNECT_TO_SELF"
    ALREADY_CONNECTED = "ALREADY_CONNECTED"
    ALREADY_REQUESTED = "ALREADY_REQUESTED"
    ILLEGAL_TRANSITION = "ILLEGAL_TRANSITION"
    NOTE_TOO_LONG = "NOTE_TOO_LONG"


def _now() -> datetime:
    return datetime.now(UTC)


def _pair(first: int, second: int) -> Any:
    return ((Connection.requester == first) & (Connection.addressee == second)) | (
        (Connection.requester == second) & (Connection.addressee == first)
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
    if not await Account.exists().where(Account.id == account_id):
        raise InvalidInput(
            FieldError("personId", ConnectionErrorCode.NOT_FOUND, "No person has this id.")
        )
    async with write_transaction():
        existing = await Connection.select().where(_pair(me, account_id)).first()
        if existing is None:
            [row] = await Connection.insert(
                Connection(
                    requester=me,
                    addressee=account_id,
                    status=ConnectionStatus.PENDING.value,
                    note=note.strip(),
                )
            ).returning(*Connection.all_columns())
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
            return await _set_status(existing["id"], ConnectionStatus.ACCEPTED)
        # Declined, withdrawn or removed earlier: a fresh request from the viewer.
        [row] = (
            await Connection.update(
                {
                    Connection.requester: me,
                    Connection.addressee: account_id,
                    Connection.status: ConnectionStatus.PENDING.value,
                    Connection.note: note.strip(),
                    Connection.created_at: _now(),
                    Connection.responded_at: None,
                }
            )
            .where(Connection.id == existing["id"])
            .returning(*Connection.all_columns())
        )
        return row


async def _set_status(connection_id: int, status: ConnectionStatus) -> dict[str, Any]:
    [row] = (
        await Connection.update({Connection.status: status.value, Connection.responded_at: _now()})
        .where(Connection.id == connection_id)
        .returning(*Connection.all_columns())
    )
    return row


async def _answer(viewer: Viewer, connection_id: int, status: ConnectionStatus) -> dict[str, Any]:
    me = viewer.require_account()
    async with write_transaction():
        found = await Connection.select().where(Connection.id == connection_id).first()
        if found is None or me not in (found["requester"], found["addressee"]):
            raise InvalidInput(
                FieldError(
                    "connectionId",
                    ConnectionErrorCode.NOT_FOUND,
                    "No request of yours has this id.",
                )
            )
        if found["addressee"] != me or found["status"] != ConnectionStatus.PENDING.value:
            verb = "accept" if status is ConnectionStatus.ACCEPTED else "decline"
            raise InvalidInput(
                FieldError(
                    "connectionId",
                    ConnectionErrorCode.ILLEGAL_TRANSITION,
                    f"Cannot {verb} a connection that is {found['status'].lower()}"
                    + (" (only the person asked can answer)." if found["addressee"] != me else "."),
                )
            )
        return await _set_status(connection_id, status)


async def accept_connection(viewer: Viewer, connection_id: int) -> dict[str, Any]:
    return await _answer(viewer, connection_id, ConnectionStatus.ACCEPTED)


async def decline_connection(viewer: Viewer, connection_id: int) -> dict[str, Any]:
    return await _answer(viewer, connection_id, ConnectionStatus.DECLINED)

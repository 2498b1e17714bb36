"""The search outbox: writes that change searchable data record a row in the same transaction.

The indexer applies rows in `id` order and remembers the last one applied, so the database
stays the source of truth and a crash between commit and indexing loses nothing.
"""

from __future__ import annotations

from enum import Enum

from piccolo.columns import Timestamptz, Varchar
from piccolo.columns.column_types import BigInt
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from api.core.db import Queue, current_engine, queued


class OutboxAction(Enum):
    UPSERT = "UPSERT"
    DELETE = "DELETE"


class OutboxEvent(Table, tablename="outbox_event"):
    """One change to one searchable object: `kind` names the index (candidates, jobs, ...)."""

    kind = Varchar(length=40, index=True)
    object_id = BigInt()
    action = Varchar(length=10, choices=OutboxAction)
    created_at = Timestamptz(default=TimestamptzNow())


async def record_change(kind: str, object_id: int, action: OutboxAction) -> None:
    """Call inside the write transaction that made the change."""
    assert current_engine().current_transaction.get() is not None, "outside a transaction"
    await OutboxEvent.insert(OutboxEvent(kind=kind, object_id=object_id, action=action.value))
    queued(Queue.OUTBOX)


#: Rows per INSERT statement in `record_changes`.
BATCH_SIZE = 500


async def record_changes(kind: str, object_ids: list[int], action: OutboxAction) -> None:
    """`record_change` for many objects, one statement per batch (duplicates recorded once)."""
    assert current_engine().current_transaction.get() is not None, "outside a transaction"
    ids = list(dict.fromkeys(object_ids))
    if ids:
        queued(Queue.OUTBOX)
    for start in range(0, len(ids), BATCH_SIZE):
        await OutboxEvent.insert(
            *[
                OutboxEvent(kind=kind, object_id=i, action=action.value)
                for i in ids[start : start + BATCH_SIZE]
            ]
        )


#: Rows of this kind say "something about this person changed" (their name, memberships,
#: exclusion list, open-to-work signal); every index holding their documents re-reads them.
PEOPLE = "people"


async def record_person_change(account_id: int) -> None:
    await record_change(PEOPLE, account_id, OutboxAction.UPSERT)

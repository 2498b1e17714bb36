"""Keeping the search indexes in step with the database through the outbox.

The indexer is the only writer of each index. It applies outbox rows in sequence order, in
batches (a Whoosh commit and searcher refresh cost too much to pay per row), and records
the last sequence it applied in the index itself. Each batch commits as a new small segment
without merging; once caught up, the indexer merges small segments (`merge_when_idle`).
Writes wake it at commit; it also polls, for rows written by other app nodes. At start it
checks each index and rebuilds from the database when the index is missing or unreadable
(Whoosh never fsyncs).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import anyio.from_thread
import anyio.to_thread
from piccolo.columns import Serial

from api.core import db
from api.core.outbox import OutboxEvent
from search.engine import IndexCorrupt, IndexSpec, SearchIndex

logger = logging.getLogger("confrere.indexer")

#: The outbox's sequence number: the id column Piccolo adds to every table.
SEQUENCE: Serial = OutboxEvent.id  # type: ignore[attr-defined]  # declared by Piccolo

BATCH_SIZE = 500
POLL_SECONDS = 1.0
GAP_GRACE_SECONDS = 60.0


@dataclass(frozen=True)
class SearchKind:
    """A kind of searchable document: its index spec and how to read it from the database."""

    name: str
    spec: IndexSpec
    load: Callable[[list[int]], Awaitable[dict[int, dict[str, Any]]]]
    batches: Callable[[], AsyncIterator[list[dict[str, Any]]]]
    count: Callable[[], Awaitable[int]]
    follows: Mapping[str, Callable[[list[int]], Awaitable[list[int]]]] = field(default_factory=dict)
    """Other outbox kinds this index depends on, and how their ids map to this kind's ids
    (a person's change re-reads all their resumes)."""


async def latest_sequence() -> int:
    row = await OutboxEvent.select(SEQUENCE).order_by(SEQUENCE, ascending=False).first()
    return int(row["id"]) if row else 0


#: A rebuild starts indexing processes (`procs`) only for at least this many documents.
PARALLEL_FROM = 2_000


async def rebuild(
    index: SearchIndex,
    kind: SearchKind,
    *,
    procs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Rebuild one index from the database into a fresh build, swapped in atomically.

    The outbox position is read first: changes committed during the rebuild are replayed
    afterwards, and replaying is harmless (upserts and deletes are idempotent).
    """
    since = await latest_sequence()
    total = await kind.count()
    if total < PARALLEL_FROM:
        procs = 1  # starting the processes would cost more than they save
    batches = kind.batches().__aiter__()

    async def next_batch() -> list[dict[str, Any]]:
        return await batches.__anext__()

    def documents() -> Iterator[dict[str, Any]]:
        # Runs in the indexing thread, pulling batches from the event loop as it goes, so
        # the whole corpus is never in memory at once.
        done = 0
        while True:
            try:
                batch = anyio.from_thread.run(next_batch)
            except StopAsyncIteration:
                return
            done += len(batch)
            if progress:
                progress(done, total)
            yield from batch

    return await anyio.to_thread.run_sync(
        lambda: index.rebuild(documents(), last_sequence=since, procs=procs)
    )


class Indexer:
    """Applies the outbox to each index; run it as one task per process that writes."""

    def __init__(self, indexes: dict[str, tuple[SearchIndex, SearchKind]]) -> None:
        self.indexes = indexes
        self._wake = asyncio.Event()
        self._stopping = False
        self._remove_listener: Callable[[], None] | None = None
        self.applied = 0

    def wake(self) -> None:
        self._wake.set()

    async def prepare(self) -> None:
        """Make sure every index exists and reads; rebuild the ones that do not."""
        for name, (index, kind) in self.indexes.items():
            if not index.exists():
                # A new data directory starts without indexes: normal, nothing to worry about.
                count = await rebuild(index, kind)
                logger.info("created the %s search index from the database (%d documents)",
                            name, count)  # fmt: skip
            else:
                try:
                    await anyio.to_thread.run_sync(index.check)
                except IndexCorrupt as problem:
                    logger.warning("%s; rebuilding it from the database", problem)
                    count = await rebuild(index, kind)
                    logger.info("rebuilt the %s index: %d documents", name, count)
            await anyio.to_thread.run_sync(index.warm)

    async def catch_up(self) -> int:
        """Apply every pending outbox row; returns how many rows concerned an index."""
        applied = 0
        for index, kind in self.indexes.values():
            kinds = {kind.name, *kind.follows}
            while True:
                rows = await self._safe_rows(index.last_sequence())
                if not rows:
                    break
                relevant = [row for row in rows if row["kind"] in kinds]
                if relevant:
                    await self._apply(index, kind, relevant, last_sequence=rows[-1]["id"])
                else:
                    await anyio.to_thread.run_sync(index.advance, rows[-1]["id"])
                applied += len(relevant)
        self.applied += applied
        return applied

    async def merge_when_idle(self) -> int:
        """Merge each index's small segments (see `merge_small_segments`) while nothing is
        pending: batches commit without merging, so an update's way to the searchers stays
        short, and the segments they leave are merged here. Returns how many indexes merged.
        """
        merged = 0
        for index, _ in self.indexes.values():
            if self._wake.is_set():
                break  # new rows: apply them first

            def merge_and_warm(index: SearchIndex = index) -> bool:
                if not index.merge_small_segments():
                    return False
                index.warm()  # the merged segment's arrays, built here, not in a request
                return True

            if await anyio.to_thread.run_sync(merge_and_warm):
                merged += 1
        return merged

    @staticmethod
    async def _safe_rows(last: int) -> list[dict[str, Any]]:
        """Outbox rows after `last`, stopping at a gap that may still be filled.

        Sequence numbers are handed out at insert and become visible at commit: on
        PostgreSQL, row 101 can be visible while row 100's transaction is still open.
        Applying 101 and recording it as done would skip 100 for ever, so the batch stops
        before a gap, unless the rows after it are older than GAP_GRACE_SECONDS (the gap
        is then a rolled-back transaction's, never to be filled).
        """
        rows = (
            await OutboxEvent.select(
                SEQUENCE,
                OutboxEvent.kind,
                OutboxEvent.object_id,
                OutboxEvent.action,
                OutboxEvent.created_at,
            )
            .where(SEQUENCE > last)  # noqa: SIM300  # a column, not a constant: this is SQL
            .order_by(SEQUENCE)
            .limit(BATCH_SIZE)
        )
        now = datetime.now(UTC)
        safe = []
        expected = last + 1
        for row in rows:
            young = (now - row["created_at"]).total_seconds() < GAP_GRACE_SECONDS
            if row["id"] != expected and young:
                break
            safe.append(row)
            expected = row["id"] + 1
        return safe

    async def _apply(
        self,
        index: SearchIndex,
        kind: SearchKind,
        rows: list[dict[str, Any]],
        *,
        last_sequence: int,
    ) -> None:
        touched: set[int] = set()
        followed: dict[str, set[int]] = {}
        for row in rows:
            if row["kind"] == kind.name:
                touched.add(row["object_id"])
            else:
                followed.setdefault(row["kind"], set()).add(row["object_id"])
        for other, ids in followed.items():
            touched.update(await kind.follows[other](sorted(ids)))
        # Whatever happened to an object, its document now is what the database holds now;
        # an object the database no longer has is deleted from the index.
        documents = await kind.load(sorted(touched))
        upserts = [documents[i] for i in sorted(documents)]
        deletes = [str(i) for i in sorted(touched - documents.keys())]

        def apply_and_warm() -> None:
            index.apply(upserts=upserts, deletes=deletes, last_sequence=last_sequence)
            index.warm()  # new or merged segments: build their arrays here, not in a request

        await anyio.to_thread.run_sync(apply_and_warm)

    async def run(self, *, poll_seconds: float = POLL_SECONDS) -> None:
        """Catch up, then keep catching up on every wake-up (and every poll) until stopped."""
        self._remove_listener = db.add_commit_listener(self.wake, [db.Queue.OUTBOX])
        try:
            while not self._stopping:
                self._wake.clear()
                try:
                    await self.catch_up()
                    await self.merge_when_idle()
                except Exception:  # keep indexing after a bad batch; the row stays pending
                    logger.exception("applying the search outbox failed; retrying")
                    await asyncio.sleep(poll_seconds)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=poll_seconds)
        finally:
            if self._remove_listener is not None:
                self._remove_listener()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()


def open_indexes(
    index_dir: Any, kinds: list[SearchKind], cache_mb: float
) -> dict[str, tuple[SearchIndex, SearchKind]]:
    """Each kind's index; each may cache `cache_mb` megabytes of what searches read."""
    return {
        kind.name: (SearchIndex(index_dir / kind.name, kind.spec, cache_mb), kind) for kind in kinds
    }

"""Applying public changes to the served site, page by page.

The outbox says which postings changed (every write that changes one records a row in its
transaction). Each is read again through the anonymous GraphQL API, as the full build reads
it, and the renderer kept from the last full build re-renders what it touches: the posting's
page (or takes it off), the listing pages it is or was on, its employer's page, the overviews
of locations, workplaces and employers, and its sitemap part. Each file is replaced whole
(a temporary file renamed over it), so a visitor never reads half a page.

Other changes (resumes, people, events, memberships) and anything the renderer cannot place
(a posting of an organization new to the board) are left to a full build.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
from strawberry.relay import GlobalID

from api.core.graphql import MAX_ALIASES
from api.core.outbox import OutboxEvent
from api.core.settings import Settings
from api.jobs.service import SEARCH_KIND as JOBS_KIND
from api.site.board import JOB_FIELDS, Board, BoardQueryFailed, execute, with_urls
from api.site.renderer import BoardRenderer

#: Outbox rows read per round; more wait for the next round.
ROWS_PER_ROUND = 5000
#: Past this many postings changed in one round, a full build is the cheaper way.
MOST_POSTINGS_PER_ROUND = 2000


@dataclass(frozen=True)
class Changes:
    """What the outbox rows since the last round name."""

    last_sequence: int
    postings: frozenset[int]
    """Posting row ids."""
    last_other: int
    """The sequence of the last row of another kind (a full build follows them), or 0."""
    more: bool
    """More rows wait than one round reads."""


async def changes_since(sequence: int) -> Changes | None:
    """The outbox rows after `sequence` (at most ROWS_PER_ROUND), or None when there are none."""
    rows = (
        await OutboxEvent.select(OutboxEvent.id, OutboxEvent.kind, OutboxEvent.object_id)  # type: ignore[attr-defined]
        .where(OutboxEvent.id > sequence)  # type: ignore[attr-defined]
        .order_by(OutboxEvent.id)  # type: ignore[attr-defined]
        .limit(ROWS_PER_ROUND)
    )
    if not rows:
        return None
    postings = frozenset(int(row["object_id"]) for row in rows if row["kind"] == JOBS_KIND)
    others = max((int(row["id"]) for row in rows if row["kind"] != JOBS_KIND), default=0)
    return Changes(int(rows[-1]["id"]), postings, others, len(rows) == ROWS_PER_ROUND)


def _job_id(row_id: int) -> str:
    return str(GlobalID("Job", str(row_id)))


async def read_postings(
    settings: Settings, row_ids: Iterable[int]
) -> dict[str, dict[str, Any] | None]:
    """Each posting as the public sees it now, with its page address (None: no page)."""
    ids = [_job_id(row_id) for row_id in sorted(row_ids)]
    found: dict[str, dict[str, Any] | None] = {}
    for start in range(0, len(ids), MAX_ALIASES):
        batch = ids[start : start + MAX_ALIASES]
        fields = "".join(
            f"\n  j{number}: job(id: {json.dumps(job_id)}) {{ ...BoardJob }}"
            for number, job_id in enumerate(batch)
        )
        try:
            data = await execute(settings, "query BoardChanges {" + fields + "\n}" + JOB_FIELDS, {})
        except BoardQueryFailed as failure:
            raise BoardQueryFailed(f"job: {failure}") from None
        board = Board(jobs=[data[f"j{n}"] for n in range(len(batch)) if data[f"j{n}"]])
        with_urls(board, settings.site_url)
        by_id = {job["id"]: job for job in board.jobs if job["url"]}
        for job_id in batch:
            found[job_id] = by_id.get(job_id)
    return found


async def apply_posting_changes(
    settings: Settings, renderer: BoardRenderer, row_ids: Iterable[int]
) -> int:
    """Re-render what the changed postings touch in the served build; returns how many
    postings were applied. Raises `BoardOutOfDate` when only a full build can place them."""
    changed = await read_postings(settings, row_ids)

    def render() -> None:
        renderer.apply_job_changes(changed)
        renderer.pages.sitemaps.write(str(renderer.pages.output), atomic=True)

    await anyio.to_thread.run_sync(render)
    return len(changed)

"""What is new for a saved search, and the scheduled alerts that tell its owner.

"New" is asked of the index in one search: the saved search's own query, filters and the
owner's audience, plus a recency filter on the index's timestamp (when a posting was
published, when a resume was last updated or had its audience changed). Nothing is re-run
per document. An alert runs the search *as its owner at alert time*, so audiences hold then:
a resume since hidden from the recruiter's employer, or a members-only posting of an
organization the job seeker is not in, is not among its matches; the hits are checked against
the database once more before they are counted, as every search's are.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import anyio.to_thread

from api.core.db import write_transaction
from api.core.errors import InvalidInput
from api.core.outbox import OutboxEvent
from api.core.search import Window
from api.core.settings import Settings
from api.core.viewer import Viewer
from api.jobs import service as jobs
from api.jobs.saved_search import saved_job_search_request
from api.notifications.service import Subject, notify
from api.notifications.tables import NotificationKind
from api.people.tables import Account
from api.resumes import service as resumes
from api.resumes.candidate_search import (
    CandidateFilter,
    CandidateSort,
    SavedSearchRecord,
    candidate_search_request,
)
from api.resumes.tables import AlertFrequency, SavedSearch, SavedSearchKind
from search.engine import QuerySyntaxError, Range, SearchIndex, SearchRequest

logger = logging.getLogger("confrere.alerts")

#: Saved searches read per statement by a scheduled alert run.
BATCH = 200
#: Alerts written per transaction (a commit each is most of an alert's cost on SQLite; a
#: few dozen keep the write lock short).
ALERTS_PER_TRANSACTION = 25
#: Hits of one alert checked against the database (beyond them, the index's count stands).
CHECKED_HITS = 500
#: The index and its timestamp field (milliseconds since the epoch) for each kind.
INDEX = {
    SavedSearchKind.JOBS: ("jobs", "posted"),
    SavedSearchKind.CANDIDATES: ("candidates", "updated"),
}
#: The Relay type of each kind of saved search: what an alert's notification is about.
NODE_TYPE = {SavedSearchKind.JOBS: "SavedJobSearch", SavedSearchKind.CANDIDATES: "SavedSearch"}


def _milliseconds(moment: datetime) -> int:
    return round(moment.timestamp() * 1000)


async def new_matches_request(
    viewer: Viewer,
    record: SavedSearchRecord,
    *,
    since: datetime,
    until: datetime | None = None,
    limit: int = 0,
) -> SearchRequest:
    """The saved search as `viewer` would run it, narrowed to documents published or updated
    after `since` (and not after `until`); no facets, no spelling, newest first."""
    window = Window(offset=0, limit=limit)
    if record.kind is SavedSearchKind.JOBS:
        request = await saved_job_search_request(viewer, record, window)
    else:
        request = await candidate_search_request(
            viewer,
            query=record.query,
            wanted=CandidateFilter.from_json(record.filter),
            sort=CandidateSort.RECENCY,
            window=window,
        )
    field = INDEX[record.kind][1]
    recent = Range(
        field,
        _milliseconds(since) + 1,
        None if until is None else _milliseconds(until),
    )
    return replace(
        request,
        filters=(*request.filters, recent),
        sort="recency",
        facets=(),
        boost_terms=(),
        suggest=False,
        autocorrect=False,
    )


def index_name(record: SavedSearchRecord) -> str:
    return INDEX[record.kind][0]


async def count_new(
    viewer: Viewer, record: SavedSearchRecord, index: SearchIndex, since: datetime
) -> int:
    """How many results of the saved search the index has from after `since`: one search,
    counted, nothing hydrated. 0 for a search that no longer parses or validates."""
    try:
        request = await new_matches_request(viewer, record, since=since)
        result = await anyio.to_thread.run_sync(index.search, request)
    except (InvalidInput, QuerySyntaxError):
        return 0
    return result.total


async def new_visible_matches(
    viewer: Viewer, record: SavedSearchRecord, index: SearchIndex, since: datetime, until: datetime
) -> int:
    """How many results of the saved search are from after `since` (up to `until`) and
    visible to `viewer` now: one search, its hits checked against the database."""
    request = await new_matches_request(
        viewer, record, since=since, until=until, limit=CHECKED_HITS
    )
    result = await anyio.to_thread.run_sync(index.search, request)
    ids = [int(hit.id) for hit in result.hits]
    if record.kind is SavedSearchKind.JOBS:
        visible: dict[int, Any] = await jobs.jobs_by_ids(viewer, ids)
    else:
        visible = await resumes.visible_resumes(viewer, ids)
    return len(visible) + max(0, result.total - len(ids))


_opened: dict[Path, dict[str, SearchIndex]] = {}


def _indexes(settings: Settings) -> dict[str, SearchIndex]:
    """This process's readers of the indexes (the indexer writes them; searches only read)."""
    from api.indexes import indexes

    directory = Path(settings.index_dir)
    if directory not in _opened:
        _opened[directory] = {name: index for name, (index, _) in indexes(settings).items()}
    return _opened[directory]


async def _owners(settings: Settings, owner_ids: set[int]) -> dict[int, Viewer]:
    """Each owner as a viewer, as a request of theirs would see: staff or not, and held to
    their circle while the site requires a verified email they have not verified."""
    rows = await Account.select(Account.id, Account.is_staff, Account.email_verified_at).where(
        Account.id.is_in(sorted(owner_ids))
    )
    return {
        row["id"]: Viewer(
            account_id=row["id"],
            is_staff=bool(row["is_staff"]),
            must_verify_email=settings.require_verified_email and row["email_verified_at"] is None,
        )
        for row in rows
    }


async def _indexed_until(index: SearchIndex, until: datetime) -> datetime:
    """`until`, or just before the first outbox row the index has not applied yet, if that
    is earlier: what the index holds up to then is complete, so a posting published just
    before the run but not indexed yet is left to the next alert instead of lost."""
    pending = (
        await OutboxEvent.select(OutboxEvent.created_at)
        .where(OutboxEvent.id > index.last_sequence())
        .order_by(OutboxEvent.id)
        .first()
    )
    if pending is None:
        return until
    return min(until, pending["created_at"] - timedelta(milliseconds=1))


@dataclass(frozen=True)
class AlertRun:
    searches: int
    alerts: int


async def run_alerts(
    settings: Settings,
    frequency: AlertFrequency,
    now: datetime,
    search: Mapping[str, SearchIndex] | None = None,
) -> AlertRun:
    """Alert the owner of every saved search of `frequency` to its new matches since its
    last alert (or since it was saved): one notification SAVED_SEARCH_MATCHES per search
    with any, its detail the count. Matches are taken up to `now` or the clock, whichever
    is earlier (never what is published while the run goes), or up to the first change the
    index has not applied yet (`_indexed_until`); that time becomes each search's
    `last_alert_at`, compare-and-set, so no two runs alert the same matches and the next
    run picks up whatever this one could not see yet. `search`: the process's indexes
    (opened here when not given)."""
    indexes = search or _indexes(settings)
    until_of = {
        name: await _indexed_until(index, min(now, datetime.now(UTC)))
        for name, index in indexes.items()
        if name in {searched for searched, _ in INDEX.values()}
    }
    searches = alerts = 0
    after = 0
    while True:
        rows = (
            await SavedSearch.select()
            .where((SavedSearch.alert_frequency == frequency.value) & (SavedSearch.id > after))
            .order_by(SavedSearch.id)
            .limit(BATCH)
        )
        if not rows:
            break
        after = rows[-1]["id"]
        records = [SavedSearchRecord.from_row(row) for row in rows]
        owners = await _owners(settings, {record.owner for record in records})
        counted: list[tuple[SavedSearchRecord, datetime, int]] = []
        for record in records:
            viewer = owners.get(record.owner)
            since = record.last_alert_at or record.created_at
            until = until_of[index_name(record)]
            if viewer is None or since >= until:
                continue
            searches += 1
            try:
                count = await new_visible_matches(
                    viewer, record, indexes[index_name(record)], since, until
                )
            except (InvalidInput, QuerySyntaxError):
                logger.warning("saved search %d no longer runs; no alert", record.id)
                count = 0
            counted.append((record, until, count))
        for start in range(0, len(counted), ALERTS_PER_TRANSACTION):
            alerts += await _alerted(counted[start : start + ALERTS_PER_TRANSACTION])
    return AlertRun(searches=searches, alerts=alerts)


async def _alerted(counted: list[tuple[SavedSearchRecord, datetime, int]]) -> int:
    """In one transaction, for each (search, until, count): move the search's last alert to
    `until` (unless another run did) and, when there are new matches, tell its owner; how
    many notifications were written."""
    told = 0
    async with write_transaction():
        for record, until, count in counted:
            unchanged = (
                SavedSearch.last_alert_at.is_null()
                if record.last_alert_at is None
                else SavedSearch.last_alert_at == record.last_alert_at
            )
            moved = (
                await SavedSearch.update({SavedSearch.last_alert_at: until})
                .where((SavedSearch.id == record.id) & unchanged)
                .returning(SavedSearch.id)
            )
            if not moved or not count:
                continue
            told += await notify(
                NotificationKind.SAVED_SEARCH_MATCHES,
                recipients=[record.owner],
                actor=None,
                subject=Subject(NODE_TYPE[record.kind], record.id, record.name),
                detail=str(count),
                mail_again=True,
            )
    return told

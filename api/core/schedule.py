"""Scheduled runs, each claimed once in the database: a daily digest is sent by one process,
whichever nodes run the worker role.

A run is named by what it does and the period it covers (`notification digest DAILY`,
`2026-12-06`). The first process to claim it inserts its lease row; the others find the row
and skip it. A claim whose holder died before finishing (no `finished_at` after `LEASE`) may
be taken over, compare-and-set on the claim time, so the run happens after all.
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime, timedelta

from piccolo.columns import Timestamptz, Varchar
from piccolo.table import Table

from api.core.db import is_unique_violation, write_transaction

#: How long a claimed run may go unfinished before another process takes it over.
LEASE = timedelta(hours=1)


class ScheduledRun(Table, tablename="scheduled_run"):
    """One claimed run of a scheduled job for one period (unique on name and period)."""

    name = Varchar(length=80)
    period = Varchar(length=40)
    """What the run covers: `2026-12-06` for a daily one, `2026-W49` for a weekly one."""
    claimed_by = Varchar(length=200)
    """host:pid of the process that claimed it."""
    claimed_at = Timestamptz()
    finished_at = Timestamptz(null=True, default=None)


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


async def claim(name: str, period: str, *, now: datetime | None = None) -> bool:
    """Claim the run of `name` for `period`; False when another process has it (or did it)."""
    now = now or datetime.now(UTC)
    # Read first: a run done or in hand needs no write lock to say so (every minute, on
    # every node).
    seen = (
        await ScheduledRun.select(ScheduledRun.claimed_at, ScheduledRun.finished_at)
        .where((ScheduledRun.name == name) & (ScheduledRun.period == period))
        .first()
    )
    if seen is not None and (seen["finished_at"] is not None or seen["claimed_at"] > now - LEASE):
        return False
    try:
        async with write_transaction():
            row = (
                await ScheduledRun.select(ScheduledRun.claimed_at, ScheduledRun.finished_at)
                .where((ScheduledRun.name == name) & (ScheduledRun.period == period))
                .first()
            )
            if row is None:
                await ScheduledRun.insert(
                    ScheduledRun(name=name, period=period, claimed_by=_holder(), claimed_at=now)
                )
                return True
            if row["finished_at"] is not None or row["claimed_at"] > now - LEASE:
                return False
            taken = (
                await ScheduledRun.update(
                    {ScheduledRun.claimed_by: _holder(), ScheduledRun.claimed_at: now}
                )
                .where(
                    (ScheduledRun.name == name)
                    & (ScheduledRun.period == period)
                    & (ScheduledRun.claimed_at == row["claimed_at"])
                    & ScheduledRun.finished_at.is_null()
                )
                .returning(ScheduledRun._meta.primary_key)
            )
            return bool(taken)
    except Exception as error:
        if is_unique_violation(error):
            return False  # another process inserted it first
        raise


async def finish(name: str, period: str) -> None:
    """Record that the run is done: nobody takes it over."""
    async with write_transaction():
        await ScheduledRun.update({ScheduledRun.finished_at: datetime.now(UTC)}).where(
            (ScheduledRun.name == name) & (ScheduledRun.period == period)
        )

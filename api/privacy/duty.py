"""The worker role's data-export duty: prepare exports as they are asked for, and delete the
files of expired ones. Any number of processes may run it against one database: each export
is claimed by one of them (see `api.privacy.export.claim_next`)."""

from __future__ import annotations

import asyncio
import logging
import time

from api.core import db
from api.core.settings import Settings
from api.privacy.export import prepare_due_exports, prune_expired_exports

logger = logging.getLogger("confrere.privacy")

#: Seconds between looks when no commit wakes the duty (requests made on other nodes, leases
#: that ended, expiries falling due).
POLL_SECONDS = 30.0
#: Seconds between looks for expired exports (not after every commit: expiry is a matter of
#: days).
PRUNE_SECONDS = 600.0


async def prepare_exports(
    settings: Settings, stop: asyncio.Event, *, poll_seconds: float = POLL_SECONDS
) -> None:
    """Prepare, prune, then again after each commit (a request may have come) until `stop`.

    Stopped by `stop`, never cancelled: a cancellation inside a write transaction would leave
    its connection "idle in transaction".
    """
    wake = asyncio.Event()
    me = asyncio.current_task()

    def committed() -> None:
        if asyncio.current_task() is not me:  # our own commits are no news
            wake.set()

    remove_listener = db.add_commit_listener(committed, [db.Queue.EXPORTS])
    pruned_at = -PRUNE_SECONDS
    try:
        while not stop.is_set():
            wake.clear()
            try:
                prepared = await prepare_due_exports(settings)
                if prepared:
                    logger.info("prepared %d data exports", prepared)
                if time.monotonic() - pruned_at >= PRUNE_SECONDS:
                    pruned_at = time.monotonic()
                    pruned = await prune_expired_exports(settings)
                    if pruned:
                        logger.info("deleted %d expired data exports", pruned)
            except Exception:  # keep the duty alive; a claim's lease ends, it is retried
                logger.exception("preparing data exports failed")
            waits = {asyncio.create_task(stop.wait()), asyncio.create_task(wake.wait())}
            _, idle = await asyncio.wait(
                waits, timeout=poll_seconds, return_when=asyncio.FIRST_COMPLETED
            )
            for waiting in idle:
                waiting.cancel()
    finally:
        remove_listener()

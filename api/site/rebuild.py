"""The server's debounced site rebuild: after public data changes, rebuild once it is quiet.

Changes are noticed through the search outbox, which every write that changes postings,
resumes, people or memberships already records in its transaction (a posting published,
closed or expired; a resume made public or private). The site is rebuilt `delay` seconds
after the last change, or at the latest `MAX_WAIT_FACTOR * delay` after the first one while
changes keep coming, and once an hour in any case (events that have taken place leave the
board); at once when the served site was built for another address than the server's
(at start, or by a `confrere site build` run beside it).
The build runs in the server's event loop for its GraphQL reads and in a child process for
`mkdocs build`, so requests are never blocked.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from pathlib import Path

import anyio.to_thread

from api.core.indexing import latest_sequence
from api.core.settings import Settings
from api.site.build import build_site_now, built_for

logger = logging.getLogger("confrere.site")

POLL_SECONDS = 1.0
MAX_WAIT_FACTOR = 10
REFRESH_SECONDS = 3600.0


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


def _address_if_new(site_dir: Path, served: str | None) -> tuple[str, str | None]:
    """The served build's folder, and the address it was built for if it is not `served`."""
    current = os.path.realpath(site_dir)
    return current, (built_for(site_dir) if current != served else None)


async def rebuild_after_changes(
    settings: Settings, stop: asyncio.Event, *, poll_seconds: float = POLL_SECONDS
) -> None:
    """Watch for public changes and rebuild the site, debounced, until `stop` is set.

    Stopped by `stop`, never cancelled: a build stopped half-way keeps the served site.
    """
    delay = settings.site_rebuild_delay
    try:
        seen = await latest_sequence()
    except Exception:  # unknown: the first successful read counts as a change
        logger.exception("reading the outbox for site changes failed")
        seen = -1
    first_change: float | None = None
    last_change = 0.0
    last_build = time.monotonic()
    served: str | None = None
    while not stop.is_set():
        # A site built for another address (`confrere site build` for port 8000, then
        # `serve --port 9000`, or a build run beside the server) names pages this server
        # does not answer: rebuild it at once. Checked when the served build changes.
        served, built_address = await anyio.to_thread.run_sync(
            _address_if_new, settings.site_dir, served
        )
        if built_address is not None and built_address != settings.site_url:
            logger.info(
                "the site was built for %s; rebuilding it for %s", built_address, settings.site_url
            )
            first_change = last_change = time.monotonic() - delay
        await _sleep(stop, min(poll_seconds, delay))
        if stop.is_set():
            return
        now = time.monotonic()
        try:
            latest = await latest_sequence()
        except Exception:  # the database may be restarting; the next round retries
            logger.exception("reading the outbox for site changes failed")
            continue
        if latest != seen:
            seen = latest
            last_change = now
            first_change = first_change or now
        due = first_change is not None and (
            now - last_change >= delay or now - first_change >= delay * MAX_WAIT_FACTOR
        )
        if not due and now - last_build < max(REFRESH_SECONDS, delay):
            continue
        first_change = None
        last_build = now
        try:
            built = await build_site_now(settings, stop=stop)
        except Exception:  # keep the loop alive; the next change retries
            logger.exception("rebuilding the site failed")
            continue
        if built is not None:
            logger.info("rebuilt the site in %s", built.summary)

"""The server keeps the public site in step with the database.

Changes are noticed through the search outbox, which every write that changes postings,
resumes, people, events or memberships already records in its transaction; the loop wakes at
each commit (and polls, for writes of other app nodes) and reads the rows since the last
round. A posting's change is applied at once, page by page (`api.site.changes`): its page,
the listing pages it is on, its employer's page and its sitemap part, whatever the size of
the board. Everything else is a full build, debounced: `delay` seconds after the last such
change, or at the latest `MAX_WAIT_FACTOR * delay` after the first one while changes keep
coming; also once an hour in any case (events that have taken place leave the board), and at
once when the served site was built for another address than the server's (at start, or by
a `confrere site build` run beside it). The page-by-page updates start from what the last
full build rendered, which it keeps beside the build (`confrere site build` too); without
it, the first posting change after start is a full build.

The full build runs beside the rounds (postings keep reaching the served build page by page
meanwhile; once it is swapped in, the postings changed since it started are applied to it
again), in the server's event loop for its GraphQL reads, in worker threads for its writes
and in a child process for `mkdocs build` (only when the docs changed), so requests are
never blocked. Rounds never overlap, and one full build runs at a time: changes that arrive
meanwhile are batched into the next round, which keeps the CPU spent bounded however fast
they pour in.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from pathlib import Path

import anyio.to_thread

from api.core import db
from api.core.indexing import latest_sequence
from api.core.settings import Settings
from api.site.build import SiteBuild, build_site_now, built_for, load_renderer
from api.site.changes import MOST_POSTINGS_PER_ROUND, apply_posting_changes, changes_since
from api.site.renderer import BoardOutOfDate, BoardRenderer

logger = logging.getLogger("confrere.site")

POLL_SECONDS = 1.0
MAX_WAIT_FACTOR = 10
REFRESH_SECONDS = 3600.0


def _address_if_new(site_dir: Path, served: str | None) -> tuple[str, str | None]:
    """The served build's folder, and the address it was built for if it is not `served`."""
    current = os.path.realpath(site_dir)
    return current, (built_for(site_dir) if current != served else None)


async def rebuild_after_changes(
    settings: Settings, stop: asyncio.Event, *, poll_seconds: float = POLL_SECONDS
) -> None:
    """Keep the site in step with public changes until `stop` is set.

    Stopped by `stop`, never cancelled: a build stopped half-way keeps the served site.
    """
    delay = settings.site_rebuild_delay
    wake = asyncio.Event()
    remove_listener = db.add_commit_listener(wake.set, [db.Queue.OUTBOX])
    try:
        seen = await latest_sequence()
    except Exception:  # unknown: the first successful read counts as a change
        logger.exception("reading the outbox for site changes failed")
        seen = -1
    renderer: BoardRenderer | None = None
    first_change: float | None = None
    last_change = 0.0
    last_build = time.monotonic()
    served: str | None = None
    building: asyncio.Task[SiteBuild | None] | None = None
    build_from = 0  # the outbox position when the running full build started
    replay_until = 0  # rows up to here were seen before: their postings are applied again

    def full_build_wanted(now: float) -> None:
        nonlocal first_change, last_change
        last_change = now
        first_change = first_change or now

    try:
        while not stop.is_set():
            if building is not None and building.done():
                try:
                    built = building.result()
                except Exception:  # keep the loop alive; the next change retries
                    logger.exception("rebuilding the site failed")
                    built = None
                building = None
                if built is not None:
                    renderer = built.renderer
                    logger.info("rebuilt the site in %s", built.summary)
                    # Postings changed while it read the board may be missing from it:
                    # apply the rows since it started again, to the new build.
                    replay_until, seen = seen, min(seen, build_from)
            # A site built for another address (`confrere site build` for port 8000, then
            # `serve --port 9000`, or a build run beside the server) names pages this server
            # does not answer: rebuild it at once. Checked when the served build changes.
            previous = served
            served, built_address = await anyio.to_thread.run_sync(
                _address_if_new, settings.site_dir, served
            )
            if (
                served != previous
                and building is None
                and (renderer is None or str(renderer.pages.output) != served)
            ):
                # At start, or another process (`confrere site build`) swapped in its build:
                # continue from what that build rendered, if it kept it.
                renderer = await anyio.to_thread.run_sync(load_renderer, settings)
            if built_address is not None and built_address != settings.site_url:
                logger.info(
                    "the site was built for %s; rebuilding it for %s",
                    built_address,
                    settings.site_url,
                )
                first_change = last_change = time.monotonic() - delay
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), timeout=poll_seconds)
            wake.clear()
            if stop.is_set():
                return
            now = time.monotonic()
            try:
                changes = await changes_since(seen) if seen >= 0 else None
                if seen < 0:
                    seen = await latest_sequence()
                    full_build_wanted(now)
            except Exception:  # the database may be restarting; the next round retries
                logger.exception("reading the outbox for site changes failed")
                continue
            if changes is not None:
                seen = changes.last_sequence
                if changes.last_other > replay_until:
                    full_build_wanted(now)
                if changes.postings:
                    if renderer is None or len(changes.postings) > MOST_POSTINGS_PER_ROUND:
                        full_build_wanted(now)
                    else:
                        try:
                            started = time.monotonic()
                            count = await apply_posting_changes(
                                settings, renderer, changes.postings
                            )
                            logger.info(
                                "applied %d posting changes to the site in %.2f s",
                                count,
                                time.monotonic() - started,
                            )
                        except BoardOutOfDate as reason:
                            logger.info("a full build follows: %s", reason)
                            renderer = None
                            full_build_wanted(now)
                        except Exception:
                            logger.exception("applying posting changes to the site failed")
                            renderer = None
                            full_build_wanted(now)
                if changes.more:
                    wake.set()  # more rows wait: the next round takes them at once
            due = first_change is not None and (
                now - last_change >= delay or now - first_change >= delay * MAX_WAIT_FACTOR
            )
            if building is not None or (not due and now - last_build < max(REFRESH_SECONDS, delay)):
                continue
            # The full build runs beside the rounds: postings keep reaching the served
            # site page by page meanwhile.
            first_change = None
            last_build = now
            build_from = seen
            building = asyncio.create_task(build_site_now(settings, stop=stop))
            building.add_done_callback(lambda _task: wake.set())
    finally:
        remove_listener()
        if building is not None:  # `stop` is set: the build abandons itself
            with contextlib.suppress(Exception):
                await building

"""The worker role's notification work: telling crowds (`notify` of more than a request
should write), immediate emails as soon as their notifications commit, and on schedule the
saved searches' daily and weekly alerts, event reminders, expiry warnings, the daily and
weekly digests and the pruning of old read ones."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from api.alerts.service import run_alerts
from api.core import db, schedule
from api.core.settings import Settings
from api.events.service import remind_upcoming
from api.jobs.service import warn_expiring
from api.notifications.mailer import digest_period, mail_digest, mail_immediate, prune_read
from api.notifications.service import tell_waiting
from api.notifications.tables import EmailChoice
from api.resumes.tables import AlertFrequency
from search.engine import SearchIndex

logger = logging.getLogger("confrere.notifications")

#: Seconds between looks for work written by other processes (this one's wake it at once).
POLL_SECONDS = 5.0
#: Seconds between looks at the schedule.
SCHEDULE_SECONDS = 60.0


async def run_scheduled(
    settings: Settings, now: datetime, search: Mapping[str, SearchIndex] | None = None
) -> list[str]:
    """Run what is due at `now` and not yet claimed by any process; the runs done. `search`:
    the process's indexes, which the saved search alerts read."""
    due: list[tuple[str, str]] = []
    if now.hour >= settings.digest_hour:
        # Alerts first: they are emailed at once, and land before the day's digest.
        due.append(
            (
                f"saved search alerts {AlertFrequency.DAILY.value}",
                digest_period(EmailChoice.DAILY, now),
            )
        )
        if now.weekday() == 0:
            due.append(
                (
                    f"saved search alerts {AlertFrequency.WEEKLY.value}",
                    digest_period(EmailChoice.WEEKLY, now),
                )
            )
        due.append(
            (
                f"notification digest {EmailChoice.DAILY.value}",
                digest_period(EmailChoice.DAILY, now),
            )
        )
        if now.weekday() == 0:
            due.append(
                (
                    f"notification digest {EmailChoice.WEEKLY.value}",
                    digest_period(EmailChoice.WEEKLY, now),
                )
            )
    due.append(("notification pruning", now.date().isoformat()))
    # Reminders and expiry warnings claim each event or posting compare-and-set: no lease.
    done = []
    if reminded := await remind_upcoming(now):
        done.append(f"event reminders ({reminded})")
    if warned := await warn_expiring(now):
        done.append(f"job expiry warnings ({warned})")
    for name, period in due:
        if not await schedule.claim(name, period, now=now):
            continue
        if name.startswith("saved search alerts"):
            alerts = AlertFrequency(name.rpartition(" ")[2])
            run = await run_alerts(settings, alerts, now, search)
            logger.info(
                "%s saved search alerts for %s: %d searches, %d with new matches",
                alerts.value.lower(),
                period,
                run.searches,
                run.alerts,
            )
        elif name == "notification pruning":
            gone = await prune_read(timedelta(days=settings.notification_retention_days))
            logger.info(
                "deleted %d notifications read over %d days ago",
                gone,
                settings.notification_retention_days,
            )
        else:
            frequency = EmailChoice(name.rpartition(" ")[2])
            sent = await mail_digest(settings, frequency)
            logger.info(
                "sent %d %s notification digests for %s", sent, frequency.value.lower(), period
            )
        await schedule.finish(name, period)
        done.append(f"{name} {period}")
    return done


async def deliver_notifications(
    settings: Settings, stop: asyncio.Event, search: Mapping[str, SearchIndex] | None = None
) -> None:
    """Until `stop`: mail what is due at once after every commit (and every few seconds, for
    other processes' writes), and look at the schedule every minute."""
    wake = asyncio.Event()
    remove_listener = db.add_commit_listener(wake.set, [db.Queue.NOTIFICATIONS])
    last_schedule = -SCHEDULE_SECONDS
    try:
        while not stop.is_set():
            wake.clear()
            try:
                while await tell_waiting() and not stop.is_set():
                    pass  # crowds first: what they are told may be emailed at once
                while await mail_immediate(settings) and not stop.is_set():
                    pass
                if time.monotonic() - last_schedule >= SCHEDULE_SECONDS:
                    last_schedule = time.monotonic()
                    await run_scheduled(settings, datetime.now(UTC), search)
            except Exception:  # the database may be restarting: the next round retries
                logger.exception("notification email failed; retrying")
            waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wake.wait())]
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED), POLL_SECONDS
                )
            for wait in waits:
                wait.cancel()
    finally:
        remove_listener()

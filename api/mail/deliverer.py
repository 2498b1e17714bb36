"""The deliverer: claims due messages one at a time and hands each to the transport.

It runs in the server (`CONFRERE_MAIL_DELIVERY=inline`, the default) or apart
(`confrere mail worker`); any number may run against one database, since each message is
claimed by one of them. A message is marked sent only after the server accepted it, so a
deliverer killed mid-send leaves it claimed until its lease ends, and then it is sent again
with the same Message-ID: at most the messages in flight are duplicated, none is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Callable
from datetime import timedelta

from api.core import db
from api.core.settings import Settings
from api.mail import service
from api.mail.transport import (
    DeliveryError,
    EmlDirectoryTransport,
    SmtpTransport,
    Transport,
    transport_for,
)

logger = logging.getLogger("confrere.mail")

#: Seconds between looks at the queue when no commit wakes the deliverer (retries falling
#: due, messages queued by other processes).
POLL_SECONDS = 5.0


def _lease_for(transport: Transport) -> timedelta:
    """How long a claim holds: longer than one message can take, so a live deliverer never
    loses its claim; short enough that a dead one's messages go out again soon."""
    if isinstance(transport, SmtpTransport):
        # One message is given 80% of the lease in all (see `_deliver`), so the lease need
        # not cover every SMTP step at its full timeout: three of them and a margin.
        return timedelta(seconds=transport.server.timeout * 3 + 5)
    return timedelta(seconds=30)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Deliverer:
    def __init__(self, settings: Settings, transport: Transport | None = None) -> None:
        self.transport = transport or transport_for(settings.smtp_url, settings.mail_dir)
        self.lease = _lease_for(self.transport)
        self.worker = worker_name()
        self.sent = 0
        self.failed = 0
        self._wake = asyncio.Event()
        self._stopping = False
        self._remove_listener: Callable[[], None] | None = None
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        """A transaction committed: there may be new mail. The deliverer's own commits (its
        claims, what it marks) are no news."""
        if self._task is None or asyncio.current_task() is not self._task:
            self._wake.set()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()

    async def deliver_due(self) -> int:
        """Send every message due now, one claim at a time; returns how many were tried."""
        tried = 0
        abandoned = await service.give_up_abandoned()
        if abandoned:
            logger.warning("gave up on %d messages whose attempts never finished", abandoned)
        while not self._stopping:
            claimed = await service.claim_next(self.worker, self.lease)
            if claimed is None:
                break
            tried += 1
            await self._deliver(claimed)
        return tried

    async def _deliver(self, claimed: service.Claimed) -> None:
        name = f"{claimed.id:08d}-{claimed.kind}"
        try:
            async with asyncio.timeout(self.lease.total_seconds() * 0.8):
                reply = await self.transport.deliver(
                    claimed.sender, claimed.recipient, claimed.content, name
                )
        except DeliveryError as error:
            status = await service.mark_failed(claimed, error.detail, permanent=error.permanent)
            self.failed += 1
            logger.warning(
                "mail %s to %s not delivered (%s): %s",
                claimed.message_id,
                claimed.recipient,
                "given up" if status.value == "FAILED" else "will retry",
                error.detail,
            )
            return
        except Exception as error:  # a timeout, or a bug: counted, so it cannot loop for ever
            logger.exception(
                "mail %s to %s: the attempt failed", claimed.message_id, claimed.recipient
            )
            await self.transport.close()
            detail = "timed out" if isinstance(error, TimeoutError) else repr(error)
            await service.mark_failed(claimed, detail, permanent=False)
            self.failed += 1
            return
        await service.mark_sent(claimed, reply)
        self.sent += 1
        if not isinstance(self.transport, EmlDirectoryTransport):
            logger.info("mail %s sent to %s", claimed.message_id, claimed.recipient)

    async def run(self, *, poll_seconds: float = POLL_SECONDS) -> None:
        """Deliver, then deliver again on every commit (and every poll) until stopped."""
        self._task = asyncio.current_task()
        self._remove_listener = db.add_commit_listener(self.wake, [db.Queue.MAIL])
        try:
            while not self._stopping:
                self._wake.clear()
                try:
                    await self.deliver_due()
                except Exception:  # keep delivering; the claim's lease ends, it is retried
                    logger.exception("delivering mail failed; retrying")
                if not self._stopping:
                    # Nothing more is due: let an idle connection go rather than time out.
                    await self.transport.close()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=poll_seconds)
        finally:
            if self._remove_listener is not None:
                self._remove_listener()
            await self.transport.close()

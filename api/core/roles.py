"""The worker role: the one process of a node that does the node's background work.

`confrere serve --workers N` runs N app processes on one port. They all answer requests, but
the work that must not run in a request and must run once per node — applying the search
outbox to this node's Whoosh indexes (one writer per index), rebuilding this node's built
site, expiring job postings, delivering mail — is done only by the process that holds an OS
file lock (`flock`) in the data dir. The others only read the indexes; their searchers reopen
when the holder commits.

The lock is per node, not per cluster, because what it guards is per node: every node has its
own indexes and built site, fed from the shared database. The work that is cluster-wide is
already safe when every node runs it (job expiry moves rows with a compare-and-set; mail is
claimed row by row), so nodes need not agree on anything but the database.

A `flock` dies with its process, so when the holder exits or is killed (even `kill -9`) the
lock is free at once, and the first process to retry takes the role over within
`RETRY_SECONDS`.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import functools
import logging
import os
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import IO, Any

logger = logging.getLogger("confrere.role")

ROLE_LOCK_FILE = "worker-role.lock"
#: How often a process without the role tries to take it (how long a node may go without).
RETRY_SECONDS = 1.0

#: One part of the role's work, started on entry and stopped on exit (the indexer, …).
Duty = Callable[[], AbstractAsyncContextManager[None]]
#: Background work that runs until its event is set.
Work = Callable[[asyncio.Event], Coroutine[Any, Any, None]]


@contextlib.asynccontextmanager
async def running(name: str, work: Work) -> AsyncIterator[None]:
    """`work(stop)` runs as the task `name` while the block runs; on leaving, `stop` is set
    and the task awaited. Stopped, never cancelled: a cancellation inside a write
    transaction would leave its connection "idle in transaction" and the pool could not
    close."""
    stop = asyncio.Event()
    task = asyncio.create_task(work(stop), name=name)
    try:
        yield
    finally:
        stop.set()
        await task


def stoppable(name: str, work: Work) -> Duty:
    """A duty that runs `work` until the role ends (see `running`)."""
    return functools.partial(running, name, work)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


class WorkerRole:
    """This process's claim on its node's worker role, and the duties it runs while held."""

    def __init__(
        self,
        data_dir: Path,
        duties: Sequence[Duty],
        *,
        description: str = "",
        retry_seconds: float = RETRY_SECONDS,
    ) -> None:
        self.lock_path = Path(data_dir) / ROLE_LOCK_FILE
        self.duties = list(duties)
        self.description = description
        self.retry_seconds = retry_seconds
        self._handle: IO[str] | None = None

    @property
    def held(self) -> bool:
        """Whether this process holds the role now."""
        return self._handle is not None

    def holder(self) -> int | None:
        """The process id of the role's holder on this node; None while nobody holds it
        (between a holder's death and the takeover)."""
        if self.held:
            return os.getpid()
        try:
            written = self.lock_path.read_text().strip()
        except FileNotFoundError:
            return None
        if not written.isdigit() or not _alive(int(written)):
            return None
        return int(written)

    def try_take(self) -> bool:
        """Take the role if no process of this node holds it; never waits."""
        if self.held:
            return True
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.lock_path, "a+")  # noqa: SIM115  # kept open while the role is held
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        except BaseException:
            handle.close()
            raise
        # Who holds it, for `holder()` in the other processes (and for people reading it).
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._handle = handle
        return True

    def release(self) -> None:
        handle, self._handle = self._handle, None
        if handle is None:
            return
        with contextlib.suppress(OSError):
            handle.seek(0)
            handle.truncate()
            handle.flush()
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        handle.close()

    @contextlib.asynccontextmanager
    async def _duties(self) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as running:
            for duty in self.duties:
                await running.enter_async_context(duty())
            yield

    @contextlib.asynccontextmanager
    async def serving(self) -> AsyncIterator[None]:
        """Hold the role while the app serves.

        When the role is free at start, it is taken and its duties start before the first
        request (a failure to start them fails the start, as it would with one process).
        Otherwise the process serves requests and keeps trying in the background, taking the
        role over when its holder dies.
        """
        pid = os.getpid()
        if self.try_take():
            try:
                logger.info("process %d holds the worker role (%s)", pid, self.description)
                async with self._duties():
                    yield
            finally:
                self.release()
            return
        logger.info(
            "process %d stands by: process %s holds the worker role",
            pid,
            self.holder() or "(unknown)",
        )
        async with running("confrere-worker-role", self._take_over):
            yield

    async def _take_over(self, stop: asyncio.Event) -> None:
        """Retry until the role is free, then run its duties until `stop`."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.retry_seconds)
            if stop.is_set() or not self.try_take():
                continue
            logger.info("process %d took over the worker role (%s)", os.getpid(), self.description)
            try:
                async with self._duties():
                    await stop.wait()
                return
            except Exception:  # give the role back; this or another process retries
                logger.exception("process %d could not start the worker role", os.getpid())
            finally:
                self.release()

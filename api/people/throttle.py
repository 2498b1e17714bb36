"""Throttles kept in the database, so every app node counts the same attempts.

A throttle key names who is trying what ("login of ada@example.org from 203.0.113.7"). Each
attempt is *reserved* before the work it guards runs (before a password is verified, say),
inside one write transaction that holds the key's row: concurrent attempts queue on the row
and each sees the ones before it, so thirty parallel guesses cannot all slip under a limit of
five. Once a key has used its allowed attempts, each further attempt must wait a delay that
doubles every time (30 s, 60 s, 2 min, ... up to the window); attempts older than the window
are forgotten. An attempt that turns out well can be given back (`forgive`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from piccolo.engine.postgres import PostgresEngine

from api.core.db import current_engine, write_transaction
from api.people.tables import Throttle

#: The first delay once a key has used its allowed attempts; each further attempt doubles it.
FIRST_DELAY = timedelta(seconds=30)


@dataclass(frozen=True)
class Limit:
    """`allowed` attempts under `key` within `window`, then growing delays."""

    key: str
    allowed: int
    window: timedelta


class Throttled(Exception):
    """Too many attempts under one of the keys: try again after `retry_after`."""

    def __init__(self, limit: Limit, retry_after: timedelta) -> None:
        super().__init__(f"{limit.key} is throttled for {retry_after}")
        self.limit = limit
        self.retry_after = retry_after

    @property
    def wait_words(self) -> str:
        """The wait in words for a message: "30 seconds", "4 minutes"."""
        seconds = max(1, math.ceil(self.retry_after.total_seconds()))
        if seconds < 90:
            return f"{seconds} seconds"
        return f"{math.ceil(seconds / 60)} minutes"


def _delay(limit: Limit, attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th attempt (none before the limit is used)."""
    beyond = attempts - limit.allowed
    if beyond < 0:
        return timedelta(0)
    return min(limit.window, FIRST_DELAY * (2 ** min(beyond, 20)))


async def _locked_rows(keys: list[str], now: datetime) -> dict[str, dict]:
    """The keys' rows, created when missing and locked until the transaction ends."""
    # Raw, because Piccolo's `on_conflict` asks SQLite for its version through a connection
    # of its own on every call. Both engines read this statement the same way.
    # Only placeholders are spliced in; every value is a bound parameter.
    placeholders = ", ".join("({}, 0, {})" for _ in keys)
    await Throttle.raw(
        f"INSERT INTO throttle (key, attempts, last_attempt_at) VALUES {placeholders} "  # noqa: S608
        "ON CONFLICT (key) DO NOTHING",
        *[value for key in keys for value in (key, now)],
    )
    query = Throttle.select().where(Throttle.key.is_in(keys))
    if isinstance(current_engine(), PostgresEngine):
        # SQLite needs nothing more: `write_transaction` is IMMEDIATE, one writer at a time.
        query = query.lock_rows(of=(Throttle,))
    return {row["key"]: row for row in await query}


async def reserve(limits: Sequence[Limit], *, now: datetime | None = None) -> None:
    """Count one attempt under every limit, or raise `Throttled` and count none.

    Every key is checked before any is counted, so a refused attempt costs nothing and a
    refusal under one key does not make the others wait longer.
    """
    if not limits:
        return
    now = now or datetime.now(UTC)
    async with write_transaction():
        rows = await _locked_rows(sorted({limit.key for limit in limits}), now)
        counted: list[tuple[Limit, int]] = []
        for limit in limits:
            row = rows[limit.key]
            attempts = row["attempts"]
            if row["last_attempt_at"] < now - limit.window:
                attempts = 0  # everything it counted is older than the window
            elif row["blocked_until"] is not None and row["blocked_until"] > now:
                raise Throttled(limit, row["blocked_until"] - now)
            counted.append((limit, attempts + 1))
        for limit, attempts in counted:
            delay = _delay(limit, attempts)
            await Throttle.update(
                {
                    Throttle.attempts: attempts,
                    Throttle.last_attempt_at: now,
                    Throttle.blocked_until: now + delay if delay else None,
                }
            ).where(Throttle.key == limit.key)
        # Keys quiet for a day count nothing any more; forget them as we go.
        await Throttle.delete().where(Throttle.last_attempt_at < now - timedelta(days=1))


async def forgive(keys: Sequence[str], *, clear: Sequence[str] = ()) -> None:
    """Give back one reserved attempt under each of `keys` (it went well), and forget
    `clear` altogether (a successful login clears its account-and-client key)."""
    async with write_transaction():
        if clear:
            await Throttle.delete().where(Throttle.key.is_in(list(clear)))
        rest = [key for key in keys if key not in clear]
        if rest:
            # Only the attempt is given back; a running delay stays (else one good login to
            # an account of one's own would reset a client's delay between guesses).
            await Throttle.update({Throttle.attempts: Throttle.attempts - 1}).where(
                Throttle.key.is_in(rest) & (Throttle.attempts > 0)
            )

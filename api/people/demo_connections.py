"""Demo data for the rest of the connection lifecycle: requests waiting for Ada, ones she
sent, a withdrawn request, a removed connection and blocks (one of them hers), all through the
services."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from api.core.errors import InvalidInput
from api.core.viewer import Viewer
from api.people import connections
from api.people.tables import ConnectionStatus


@dataclass(frozen=True)
class ConnectionsDemoSummary:
    received: int
    sent: int
    withdrawn: int
    removed: int
    blocks: int


async def _ask(asker: Viewer, asked: Viewer, note: str) -> dict[str, Any] | None:
    """A fresh pending request, or None when the pair already has one or is connected."""
    try:
        row = await connections.request_connection(asker, asked.account_id or 0, note)
    except InvalidInput:
        return None
    return row if row["status"] == ConnectionStatus.PENDING.value else None


async def seed_connections_demo(
    members: list[Viewer], *, seed: int = 20261127
) -> ConnectionsDemoSummary:
    """Run after the demo's connections exist; `members[0]` is Ada, the demo member.

    Deterministic for a given list of members and seed; pairs that are already connected or
    asked are skipped, so it never fails on the demo's own random connections.
    """
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    ada, others = members[0], members[1:]
    if len(others) < 13:
        return ConnectionsDemoSummary(0, 0, 0, 0, 0)
    chosen = rng.sample(others, 13)
    received = sent = withdrawn = removed = blocks = 0

    # Three people ask Ada (her inbox is not empty); she asks two.
    for person in chosen[0:3]:
        if await _ask(person, ada, "I saw your talk at the meetup; let's stay in touch."):
            received += 1
    for person in chosen[3:5]:
        if await _ask(ada, person, "Good to meet you."):
            sent += 1

    # One request taken back, one connection made and ended again.
    request = await _ask(chosen[5], chosen[6], "")
    if request:
        await connections.withdraw_connection_request(chosen[5], request["id"])
        withdrawn += 1
    request = await _ask(chosen[7], chosen[8], "")
    if request:
        await connections.accept_connection(chosen[8], request["id"])
        await connections.remove_connection(chosen[7], chosen[8].account_id or 0)
        removed += 1

    # Two blocks between other members, and one of Ada's own (so the
    # connections guide's list of blocks has something to show).
    for blocker, blocked in ((chosen[9], chosen[10]), (chosen[11], chosen[9]), (ada, chosen[12])):
        try:
            await connections.block_person(blocker, blocked.account_id or 0)
        except InvalidInput:
            continue
        blocks += 1
    return ConnectionsDemoSummary(received, sent, withdrawn, removed, blocks)

"""Two verbs sent at once over HTTP, and the one that moved a row told apart from the other."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

Payload = dict[str, Any]


def race(act: Callable[[str], Payload], *verbs: str) -> tuple[Payload, Payload]:
    """Send `act(verb)` for each verb at once; the payload that moved the row and the one
    refused (asserting exactly one of each, the refusal an ILLEGAL_TRANSITION)."""
    with ThreadPoolExecutor(max_workers=len(verbs)) as pool:
        answers = list(pool.map(act, verbs))
    moved = [answer for answer in answers if answer["userErrors"] == []]
    refused = [answer for answer in answers if answer["userErrors"]]
    assert len(moved) == 1 and len(refused) == 1, answers
    assert refused[0]["userErrors"][0]["code"] == "ILLEGAL_TRANSITION", refused
    return moved[0], refused[0]

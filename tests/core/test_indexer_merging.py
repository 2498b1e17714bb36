"""The indexer merges small segments once caught up, and not while rows wait."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

from api.core.indexing import Indexer
from search.candidates import CANDIDATES
from search.engine import SearchIndex, SearchRequest
from search.storage import MERGE_SEGMENTS_OVER

BATCHES = MERGE_SEGMENTS_OVER + 4


def person(number: int) -> dict[str, Any]:
    return {
        "id": str(number),
        "owner": str(1000 + number),
        "audience": "PUBLIC",
        "name": f"Person {number}",
        "title": "Engineer",
        "skills": ["Python"],
        "updated": time.time(),
    }


@pytest.fixture
def index(tmp_path: Path) -> SearchIndex:
    """An index fed batch by batch, as the outbox does: one small segment each."""
    built = SearchIndex(tmp_path / "candidates", CANDIDATES)
    built.create_empty()
    for batch in range(BATCHES):
        built.apply(upserts=[person(batch * 2), person(batch * 2 + 1)], last_sequence=batch + 1)
    return built


def test_the_idle_indexer_merges_small_segments(index: SearchIndex) -> None:
    indexer = Indexer({"candidates": (index, None)})  # type: ignore[dict-item]  # not read

    merged = asyncio.run(indexer.merge_when_idle())

    assert merged == 1
    assert index.segment_count() <= MERGE_SEGMENTS_OVER
    assert index.search(SearchRequest(query="python")).total == BATCHES * 2
    assert index.last_sequence() == BATCHES  # merging applies nothing


def test_no_merge_while_rows_wait(index: SearchIndex) -> None:
    indexer = Indexer({"candidates": (index, None)})  # type: ignore[dict-item]  # not read

    async def woken_then_merge() -> int:
        indexer.wake()  # a commit just happened: its rows come first
        return await indexer.merge_when_idle()

    assert asyncio.run(woken_then_merge()) == 0
    assert index.segment_count() == BATCHES

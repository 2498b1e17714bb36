"""The segments' cache is bounded in bytes: it never holds more than its budget, evicted
entries come back equal, and a budget of 0 caches nothing and still answers."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from api.core.settings import Settings, SettingsError
from search.cache import ByteBudgetCache, size_of
from search.candidates import CANDIDATES
from search.engine import AnyOf, SearchIndex, SearchRequest, SearchResult, Terms

NOW = time.time()
# Letters only: the analyzer keeps each whole and unstemmed.
WORDS = [f"zq{a}{b}x" for a in "abcdefgh" for b in "abcdefgh"]  # 64 distinct words


def person(number: int) -> dict[str, object]:
    """Person `number` is the only one whose summary holds WORDS[number]; all are engineers."""
    return {
        "id": str(number),
        "owner": str(1000 + number),
        "audience": "PUBLIC" if number % 3 else "EMPLOYERS",
        "owner_organizations": [f"org{number % 7}"],
        "name": f"Person {number}",
        "title": "Engineer",
        "summary": f"{WORDS[number]} engineer " + "python " * (number % 4),
        "skills": ["Python"] if number % 2 else ["Go"],
        "updated": NOW - number * 86400,
    }


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    built = SearchIndex(tmp_path / "candidates", CANDIDATES)
    built.create_empty()
    built.apply(upserts=[person(n) for n in range(32)], last_sequence=1)
    built.apply(upserts=[person(n) for n in range(32, 64)], last_sequence=2)  # two segments
    return built.directory


def requests() -> list[SearchRequest]:
    """A distinct word each, some ORed with a common word, each with its own filter."""
    return [
        SearchRequest(
            query=word if number % 2 else f"{word} OR python",
            filters=[
                AnyOf((Terms("audience", ("PUBLIC",)), Terms("owner_orgs", (f"org{number % 5}",))))
            ],
            facets=("skills",),
            limit=10,
            suggest=False,  # "did you mean" would read every near word again
        )
        for number, word in enumerate(WORDS)
    ]


def answer(result: SearchResult) -> tuple[object, ...]:
    return (
        result.total,
        [(hit.id, round(hit.score, 6), hit.highlights) for hit in result.hits],
        result.facets,
    )


def test_the_cache_never_holds_more_than_its_budget(directory: Path) -> None:
    small = SearchIndex(directory, CANDIDATES, cache_mb=0.02)  # about 20 KB

    for request in requests():
        small.search(request)
        assert 0 < small.cache.used_bytes <= small.cache.budget_bytes

    # what it accounts is what it holds, and the first words' entries have left
    held = [size_of(small.cache.get(key, lambda: None)) for key in small.cache.held()]
    assert sum(held) == small.cache.used_bytes
    first_word = {key[3] for key in small.cache.held() if key[1] == "terms"}
    assert WORDS[0] not in first_word and WORDS[-1] in first_word


def test_evicted_entries_are_read_again_equal(directory: Path) -> None:
    small = SearchIndex(directory, CANDIDATES, cache_mb=0.02)
    roomy = SearchIndex(directory, CANDIDATES, cache_mb=64)

    for _ in range(2):  # the second round reads back what the small cache evicted
        for request in requests():
            assert answer(small.search(request)) == answer(roomy.search(request))


def test_a_budget_of_zero_caches_nothing_and_still_answers(directory: Path) -> None:
    uncached = SearchIndex(directory, CANDIDATES, cache_mb=0)
    uncached.warm()

    for number, word in enumerate(WORDS):
        visible_to_employers = uncached.search(SearchRequest(query=word, limit=5))
        assert [hit.id for hit in visible_to_employers.hits] == [str(number)]
    python = uncached.search(SearchRequest(query="python", facets=("skills",), limit=100))
    assert python.total == sum(1 for n in range(64) if n % 4 or n % 2)
    assert len(uncached.cache) == 0 and uncached.cache.used_bytes == 0


def test_the_least_recently_used_entry_leaves_first() -> None:
    entry = np.zeros(100, dtype=np.int32)  # 400 bytes of documents
    cache = ByteBudgetCache(3 * size_of(entry))

    for key in ("a", "b", "c"):
        cache.get((key,), entry.copy)
    cache.get(("a",), entry.copy)  # "a" is used again: "b" is now the oldest
    cache.get(("d",), entry.copy)

    assert cache.held() == [("c",), ("a",), ("d",)]
    assert cache.used_bytes == 3 * size_of(entry)
    too_big = np.zeros(1000, dtype=np.int32)
    assert cache.get(("e",), too_big.copy).nbytes == too_big.nbytes
    assert ("e",) not in cache.held()


def test_the_server_setting_is_megabytes_and_validated() -> None:
    assert Settings.from_environment({}).search_cache_mb == 256
    assert Settings.from_environment({"CONFRERE_SEARCH_CACHE_MB": "0"}).search_cache_mb == 0
    assert Settings.from_environment({"CONFRERE_SEARCH_CACHE_MB": "64.5"}).search_cache_mb == 64.5
    for wrong in ("-1", "lots", "nan", "inf"):
        with pytest.raises(SettingsError, match="CONFRERE_SEARCH_CACHE_MB"):
            Settings.from_environment({"CONFRERE_SEARCH_CACHE_MB": wrong})

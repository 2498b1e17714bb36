"""How updates reach the index: batches commit as small non-compound segments without
merging, the indexer merges small segments when idle, and a deletion in an old segment is
honoured by filters and facets whose sets were cached before it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from search import storage
from search.bulk_writer import BYTES_PER_POSTING
from search.candidates import CANDIDATES
from search.engine import SearchIndex, SearchRequest, Terms
from search.storage import MERGE_SEGMENTS_OVER
from search.whoosh_internals import live_segment_ids, live_segment_sizes

NOW = time.time()
CITIES = ("Berlin", "Toronto", "Zurich")
COUNTRIES = {"Berlin": "DE", "Toronto": "CA", "Zurich": "CH"}
IN_GERMANY = Terms("country", ("DE",))
LOCATIONS = "locations"


def person(number: int, city: str | None = None) -> dict[str, object]:
    """Person `number`: the only one whose name is `zqNUMBERx`; all know Python."""
    city = city or CITIES[number % 3]
    return {
        "id": str(number),
        "owner": str(1000 + number),
        "audience": "PUBLIC",
        "name": f"zq{''.join('abcdefghij'[int(d)] for d in str(number))}x",
        "title": "Engineer",
        "skills": ["Python"],
        "summary": "engineer",
        "city": city,
        "country": COUNTRIES[city],
        "updated": NOW - number * 60,
    }


def name_of(number: int) -> str:
    return str(person(number)["name"])


@pytest.fixture
def index(tmp_path: Path) -> SearchIndex:
    built = SearchIndex(tmp_path / "candidates", CANDIDATES)
    built.create_empty()
    return built


def in_batches(index: SearchIndex, batches: int, size: int = 3) -> list[int]:
    """`batches` outbox batches of `size` new people each; returns their numbers."""
    numbers = []
    for batch in range(batches):
        people = [person(batch * size + n) for n in range(size)]
        index.apply(upserts=people, last_sequence=batch + 1)
        numbers += [batch * size + n for n in range(size)]
    return numbers


def found(index: SearchIndex, query: str | None = None, **options: object) -> set[str]:
    result = index.search(SearchRequest(query=query, limit=200, **options))
    assert result.total == len(result.hits)
    return {hit.id for hit in result.hits}


def german_locations(index: SearchIndex) -> tuple[int, dict[str, int]]:
    result = index.search(SearchRequest(filters=(IN_GERMANY,), facets=(LOCATIONS,)))
    return result.total, dict(result.facets[0].values)


def test_writers_write_no_compound_segment_files(index: SearchIndex) -> None:
    in_batches(index, 2)
    assert not list(Path(index.directory).resolve().glob("*.seg"))
    assert index.segment_count() == 2

    index.rebuild([person(n) for n in range(40)], last_sequence=3)
    assert not list(Path(index.directory).resolve().glob("*.seg"))
    assert found(index, "python") == {str(n) for n in range(40)}


def test_a_rebuild_with_worker_processes_writes_no_compound_segment_files(
    index: SearchIndex,
) -> None:
    index.rebuild([person(n) for n in range(300)], last_sequence=1, procs=2)

    assert not list(Path(index.directory).resolve().glob("*.seg"))
    assert 1 <= index.segment_count() <= 2  # at most one per process
    assert index.search(SearchRequest(query="engineer")).total == 300


def test_a_rebuilds_large_segments_are_never_merged_when_idle(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a rebuild written as several large segments (room for some 60 people each)...
    monkeypatch.setattr(storage, "MERGE_LARGE_DOCS", 40)
    monkeypatch.setattr(storage, "REBUILD_LIMIT_MB", 2_500 * BYTES_PER_POSTING / 1024 / 1024)
    index.rebuild([person(n) for n in range(1000, 1600)], last_sequence=1)
    large = live_segment_sizes(index._open())
    assert len(large) >= 2 and min(large.values()) >= 40
    # ...then batches, with a deletion in a large segment
    in_batches(index, MERGE_SEGMENTS_OVER)
    index.apply(deletes=["1000"], last_sequence=50)
    assert index.merge_small_segments() is False  # the large ones do not count

    # when one more batch makes too many small segments
    in_batches(index, 1)

    # then the small ones merge into one; the large ones stay, the deleted person stays gone
    assert index.merge_small_segments() is True
    after = live_segment_sizes(index._open())
    assert set(large) <= set(after)
    assert len(after) == len(large) + 1
    assert found(index, name_of(1000)) == set()
    assert found(index, name_of(1001)) == {"1001"}
    assert index.doc_count() == 600 - 1 + 3 * MERGE_SEGMENTS_OVER


def test_batches_commit_without_merging(index: SearchIndex) -> None:
    in_batches(index, MERGE_SEGMENTS_OVER + 3)

    # Whoosh's default commit would have merged the small segments on the way.
    assert index.segment_count() == MERGE_SEGMENTS_OVER + 3


def test_small_segments_merge_only_over_the_threshold(index: SearchIndex) -> None:
    in_batches(index, MERGE_SEGMENTS_OVER)

    assert index.merge_small_segments() is False
    assert index.segment_count() == MERGE_SEGMENTS_OVER


def test_merging_keeps_every_document_findable_and_deleted_ones_gone(
    index: SearchIndex,
) -> None:
    numbers = in_batches(index, MERGE_SEGMENTS_OVER + 4)
    # deletions and a change in old segments, recorded beside them (no merge)
    index.apply(deletes=["0", "7"], last_sequence=100)
    index.apply(upserts=[person(4, city="Berlin")], last_sequence=101)
    kept = [n for n in numbers if n not in (0, 7)]
    before = index.segment_count()
    index.warm()
    cached_segments = {key[0] for key in index.cache.held()}

    assert index.merge_small_segments() is True

    assert index.segment_count() < before
    assert index.segment_count() <= MERGE_SEGMENTS_OVER
    assert found(index, "python") == {str(n) for n in kept}
    for number in kept:
        assert found(index, name_of(number)) == {str(number)}
    assert found(index, name_of(0)) == set() and found(index, name_of(7)) == set()
    assert index.doc_count() == len(kept)
    berlin = {str(n) for n in kept if person(n)["city"] == "Berlin"} | {"4"}
    assert found(index, filters=(IN_GERMANY,)) == berlin
    # the merged segments' cached arrays are gone with them
    retired = cached_segments - live_segment_ids(index._open())
    assert retired
    assert not [key for key in index.cache.held() if key[0] in retired]


def test_a_deletion_in_an_old_segment_is_not_counted_by_cached_filters_and_facets(
    index: SearchIndex,
) -> None:
    in_batches(index, 3)  # people 0..8; Berlin: 0, 3, 6
    total, locations = german_locations(index)  # caches the filter's sets
    assert (total, locations) == (3, {"Berlin, DE": 3})
    filter_keys = {key for key in index.cache.held() if key[1] == "filter"}

    index.apply(deletes=["3"], last_sequence=10)  # in the second segment, left unmerged

    assert german_locations(index) == (2, {"Berlin, DE": 2})
    assert found(index, filters=(IN_GERMANY,)) == {"0", "6"}
    # the sets cached before the deletion still serve (nothing to recompute) ...
    assert {key for key in index.cache.held() if key[1] == "filter"} == filter_keys
    # ... and never bring the deleted document back, nor does a later batch elsewhere
    index.apply(upserts=[person(20)], last_sequence=11)
    assert german_locations(index) == (2, {"Berlin, DE": 2})


def test_a_changed_document_leaves_its_old_segment_filters(index: SearchIndex) -> None:
    in_batches(index, 3)
    assert german_locations(index) == (3, {"Berlin, DE": 3})

    index.apply(upserts=[person(3, city="Toronto")], last_sequence=10)

    assert german_locations(index) == (2, {"Berlin, DE": 2})
    assert found(index, filters=(Terms("country", ("CA",)),)) == {"1", "3", "4", "7"}
    assert found(index, name_of(3)) == {"3"}


def test_a_search_that_began_before_a_merge_runs_again_on_the_merged_index(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whoosh opens a segment's stored fields only when first read, and the merge's commit
    deletes the merged segments' files at once: a search whose searcher was current when
    it began must not fail when a merge lands before it reads its hits."""
    from whoosh.searching import Searcher

    numbers = in_batches(index, MERGE_SEGMENTS_OVER + 1)
    assert index.doc_count() == len(numbers)  # this thread's searcher: no stored field read
    assert index.merge_small_segments() is True
    # The race's window: the searcher passed its up-to-date check just before the merge.
    checks = iter([True])
    real_up_to_date = Searcher.up_to_date
    monkeypatch.setattr(
        Searcher, "up_to_date", lambda searcher: next(checks, None) or real_up_to_date(searcher)
    )

    found = index.search(SearchRequest(query="python", limit=len(numbers)))

    assert found.total == len(numbers)
    assert sorted(hit.id for hit in found.hits) == sorted(str(n) for n in numbers)

"""Each fast path through Whoosh's private parts answers what Whoosh's public API answers, on a
real index with several segments, deletions, multi-block postings and empty fields; and the
start-up self-check refuses internals that are not the ones read."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh.codec import whoosh3
from whoosh.reading import IndexReader, ReaderClosed

from search import whoosh_internals
from search.cache import ByteBudgetCache
from search.candidates import CANDIDATES
from search.engine import SearchIndex, SearchRequest
from search.segments import Segment, leaves
from search.whoosh_internals import (
    WhooshInternalsChanged,
    check_internals,
    field_lengths,
    field_lengths_public,
    live_segment_ids,
    live_segment_sizes,
    live_segment_sizes_public,
    term_frequencies,
    term_frequencies_public,
)

#: More postings than the codec writes to one block (128), so reads span several blocks.
COMMON = 300
WORDS = ["python", "rust", "go", "kotlin", "scala", "elixir", "haskell"]


def person(number: int, **fields: object) -> dict[str, object]:
    document: dict[str, object] = {
        "id": str(number),
        "owner": str(10_000 + number),
        "audience": "PUBLIC",
        "name": f"Person {number}",
        "title": "Engineer" if number % 2 else "Senior Software Engineer",
        # repeated words give frequencies above 1; some documents have no summary at all
        "summary": " ".join(["python"] * (1 + number % 4) + [WORDS[number % len(WORDS)]])
        if number % 5
        else "",
        "skills": [WORDS[number % len(WORDS)], WORDS[(number * 3) % len(WORDS)]],
        "work": [],
        "updated": time.time(),
    }
    document.update(fields)
    return document


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    search_index = SearchIndex(tmp_path_factory.mktemp("internals") / "candidates", CANDIDATES)
    search_index.create_empty()
    search_index.apply(upserts=[person(n) for n in range(COMMON)], last_sequence=1)
    search_index.apply(upserts=[person(n) for n in range(COMMON, COMMON + 20)], last_sequence=2)
    search_index.apply(deletes=["3", "4", "150", str(COMMON + 1)], last_sequence=3)
    return search_index


@pytest.fixture
def readers(built: SearchIndex) -> Iterator[list[IndexReader]]:
    opened = whoosh_index.open_dir(str(built.directory))
    with opened.reader() as reader:
        yield [leaf for leaf, _ in reader.leaf_readers()]


def _live(reader: IndexReader) -> np.ndarray:
    return np.array([not reader.is_deleted(d) for d in range(reader.doc_count_all())])


def _scorable_terms(reader: IndexReader) -> Iterator[tuple[str, str]]:
    for fieldname in reader.schema.scorable_names():
        for term in reader.lexicon(fieldname):
            yield fieldname, term.decode("utf8")


def test_the_index_has_what_the_comparisons_need(readers: list[IndexReader]) -> None:
    assert len(readers) >= 2
    assert any(reader.has_deletions() for reader in readers)
    assert max(reader.doc_frequency("summary", "python") for reader in readers) > 128


def test_field_lengths_equal_whooshs_and_an_empty_field_is_zero_not_nan(
    readers: list[IndexReader],
) -> None:
    for reader in readers:
        size = reader.doc_count_all()
        for fieldname in reader.schema.scorable_names():
            fast = field_lengths(reader, fieldname, size)
            public = field_lengths_public(reader, fieldname, size)

            assert not np.isnan(public).any(), fieldname
            np.testing.assert_array_equal(fast, public, err_msg=fieldname)
        # Whoosh answers None for an empty field: a length of 0 (NaN would poison BM25)
        empty = [d for d in range(size) if reader.stored_fields(d).get("summary") == ""]
        assert empty
        assert reader.doc_field_length(empty[0], "summary", 0) is None
        assert field_lengths_public(reader, "summary", size)[empty].tolist() == [0.0] * len(empty)


def test_term_frequencies_and_document_frequencies_equal_whooshs(
    readers: list[IndexReader],
) -> None:
    compared = 0
    for reader in readers:
        size = reader.doc_count_all()
        live = _live(reader)
        for fieldname, text in _scorable_terms(reader):
            fast = term_frequencies(reader, fieldname, text, size)
            public = term_frequencies_public(reader, fieldname, text, size)
            postings = list(reader.postings(fieldname, text).all_ids())

            np.testing.assert_array_equal(fast[live], public[live], err_msg=f"{fieldname}:{text}")
            assert np.count_nonzero(fast[live]) == len(postings)
            compared += 1
        if not reader.has_deletions():
            assert np.count_nonzero(term_frequencies(reader, "summary", "python", size)) == (
                reader.doc_frequency("summary", "python")
            )
    assert compared > 20
    # repeated words weigh more than one (the weight also carries the field's boost)
    assert max(
        term_frequencies(r, "summary", "python", r.doc_count_all()).max() for r in readers
    ) > (max(term_frequencies(r, "summary", "go", r.doc_count_all()).max() for r in readers))


def test_an_absent_term_has_no_postings_but_other_reader_errors_surface(
    built: SearchIndex, readers: list[IndexReader]
) -> None:
    reader = readers[0]
    size = reader.doc_count_all()

    assert not term_frequencies(reader, "summary", "cobol", size).any()
    assert not term_frequencies(reader, "no_such_field", "python", size).any()

    # a reader error is not "no match": it propagates
    opened = whoosh_index.open_dir(str(built.directory))
    searcher = opened.searcher()
    [(leaf, offset), *_] = leaves(searcher)
    segment = Segment(CANDIDATES, ByteBudgetCache(1 << 20), leaf, offset)
    assert len(segment.term_set("summary", "cobol")) == 0
    searcher.close()
    with pytest.raises(ReaderClosed):
        term_frequencies(leaf.reader(), "summary", "python", size)
    with pytest.raises(ReaderClosed):
        segment.term_set("summary", "python")


def test_live_segment_ids_equal_the_readers(built: SearchIndex) -> None:
    opened = whoosh_index.open_dir(str(built.directory))

    assert live_segment_sizes(opened) == live_segment_sizes_public(opened)
    assert len(live_segment_ids(opened)) >= 2


def test_the_self_check_passes_on_whoosh_2_7_4(built: SearchIndex) -> None:
    check_internals(whoosh_index.open_dir(str(built.directory)))

    assert built.check() == COMMON + 20 - 4


@pytest.mark.parametrize(
    ("owner", "name", "named"),
    [
        (whoosh3.W3LeafMatcher, "_read_weights", "_read_weights"),
        (whoosh3.W3PerDocReader, "_cached_reader", "_cached_reader"),
        (whoosh3, "_lenfield", "_lenfield"),
        (whoosh_index.FileIndex, "_segments", "_segments"),
    ],
)
def test_the_self_check_names_a_missing_private_part(
    built: SearchIndex, monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, named: str
) -> None:
    # given a Whoosh without one of the private parts the fast paths read
    monkeypatch.delattr(owner, name)
    fresh = SearchIndex(built.directory, CANDIDATES)

    # when an index is opened, then it refuses, naming the part (a rebuild would not help)
    with pytest.raises(WhooshInternalsChanged, match=named):
        fresh.check()
    with pytest.raises(WhooshInternalsChanged, match=named):
        fresh.search(SearchRequest(query="python"))


def test_the_self_check_notices_another_whoosh_version(
    built: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(whoosh_internals.whoosh, "__version__", (2, 7, 5))

    with pytest.raises(WhooshInternalsChanged, match=r"whoosh 2\.7\.5 is installed"):
        check_internals(whoosh_index.open_dir(str(built.directory)))


def _segment_files(directory: Any, codec: Any) -> dict[str, bytes]:
    """Write one segment of the same documents with `codec`; its files by extension."""
    opened = whoosh_index.create_in(str(directory), CANDIDATES.schema)
    writer = opened.writer(compound=False, **({"codec": codec} if codec else {}))
    for number in range(COMMON + 20):
        writer.add_document(**CANDIDATES.to_fields(person(number, updated=1.0)))
    writer.commit()
    [segment] = opened._segments()
    name = segment.segment_id()
    return {
        path.name[len(name) :]: path.read_bytes()
        for path in directory.iterdir()
        if path.name.startswith(name)
    }


def test_the_writing_codec_writes_the_bytes_whoosh_s_own_codec_writes(tmp_path: Any) -> None:
    # given the same documents written through Whoosh's codec and ours, encoding as Whoosh
    (tmp_path / "plain").mkdir()
    (tmp_path / "fast").mkdir()
    plain = _segment_files(tmp_path / "plain", None)
    fast = _segment_files(tmp_path / "fast", whoosh_internals.WritingCodec(whoosh_bytes=True))

    # then every file of the segment is the same, byte for byte (postings, with each block's
    # shortest and longest document, terms, lengths, stored fields, columns)
    assert sorted(fast) == sorted(plain)
    assert {".trm", ".pst", "._title_len.col", "._stored.col"} <= set(plain)
    for suffix, content in plain.items():
        assert fast[suffix] == content, suffix


def _everything_read(directory: Any) -> tuple[dict[Any, Any], list[dict[str, Any]]]:
    """Every term's postings (document, weight, value) and statistics, and every stored
    document, through Whoosh's public reader."""
    postings: dict[Any, Any] = {}
    with whoosh_index.open_dir(str(directory)).reader() as reader:
        for fieldname, term in reader.all_terms():
            matcher = reader.postings(fieldname, term)
            found = []
            while matcher.is_active():
                found.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            info = reader.term_info(fieldname, term)
            postings[(fieldname, term)] = (found, info.weight(), info.max_weight())
        return postings, [stored for _, stored in reader.iter_docs()]


def test_the_writing_codec_s_own_encoding_reads_as_whoosh_s(tmp_path: Any) -> None:
    # given the same documents written through Whoosh's codec and ours (blocks pickled with
    # protocol 4, blocks and stored fields deflated by ISA-L)
    (tmp_path / "plain").mkdir()
    (tmp_path / "fast").mkdir()
    plain = _segment_files(tmp_path / "plain", None)
    fast = _segment_files(tmp_path / "fast", whoosh_internals.WritingCodec())

    # then Whoosh reads the same postings, positions, statistics and stored fields from both
    assert _everything_read(tmp_path / "fast") == _everything_read(tmp_path / "plain")
    # and only the encoded files differ, the postings smaller
    encoded = {".trm", ".pst", "._stored.col"}
    for suffix, content in plain.items():
        assert (fast[suffix] == content) is (suffix not in encoded), suffix
    assert len(fast[".pst"]) < len(plain[".pst"])


def test_the_self_check_notices_a_whoosh_whose_writer_changed(
    built: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a Whoosh whose posting block writer is not the one the writing codec copies
    monkeypatch.setitem(whoosh_internals._COPIED, "W3PostingsWriter._write_block", "0" * 12)

    # then opening an index refuses, naming it
    with pytest.raises(WhooshInternalsChanged, match=r"W3PostingsWriter\._write_block"):
        check_internals(whoosh_index.open_dir(str(built.directory)))


def test_segments_written_with_the_writing_codec_name_whoosh_s_codec(built: SearchIndex) -> None:
    # (an index on disk never depends on a class of ours)
    opened = whoosh_index.open_dir(str(built.directory))
    assert {type(segment.codec()) for segment in opened._segments()} == {whoosh3.W3Codec}


def test_a_length_column_shorter_than_its_segment_reads_zeros_after_its_end(
    tmp_path: Any,
) -> None:
    # given a segment whose last documents have no summary (its column stops after the 4th)
    opened = whoosh_index.create_in(str(tmp_path), CANDIDATES.schema)
    writer = opened.writer()
    for number in range(10):
        writer.add_document(
            **CANDIDATES.to_fields(person(number, summary="" if number > 3 else "python rust"))
        )
    writer.commit()

    # then the column read in one piece answers what Whoosh answers a document at a time
    with opened.reader() as reader:
        [(leaf, _)] = list(reader.leaf_readers())
        fast = field_lengths(leaf, "summary", 10)
        assert fast.tolist() == field_lengths_public(leaf, "summary", 10).tolist()
        assert fast.tolist() == [2.0] * 4 + [0.0] * 6

"""Segments and their caches: term sets, value arrays, frequencies and lengths, per segment.

Whoosh segments never change once written (only their deletion lists do, and those are
applied at use), so what is read from one is cached until a merge retires it, and shared by
every thread's searcher.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh import query
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher

from search import filters, whoosh_internals
from search.analysis import normalize
from search.interface import IndexSpec

_MAX_FILTER_CACHE = 512
_MAX_TERM_CACHE = 50_000
_MAX_FREQUENCY_CACHE = 256  # dense float32 arrays: 400 KB each per 100k documents
#: How many terms a prefix ("pyth*") may stand for when matching.
MAX_PREFIX_TERMS_MATCHED = 500

ValueArrays = tuple[npt.NDArray[np.int64], npt.NDArray[np.int32], list[str]]


@dataclass
class SegmentCache:
    """What has been read from one segment, by field (and term)."""

    size: int
    term_sets: dict[tuple[str, str], frozenset[int]] = field(default_factory=dict)
    values: dict[str, ValueArrays] = field(default_factory=dict)
    numbers: dict[str, npt.NDArray[np.float64]] = field(default_factory=dict)
    frequencies: dict[tuple[str, str], npt.NDArray[np.float32]] = field(default_factory=dict)
    lengths: dict[str, npt.NDArray[np.float32]] = field(default_factory=dict)
    folded: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    filtered: dict[tuple[filters.Filter, int], frozenset[int]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


_caches: dict[tuple[str, str], SegmentCache] = {}
_caches_lock = threading.Lock()


def _cache_of(index_key: str, reader: Any) -> SegmentCache:
    key = (index_key, reader.segment().segment_id())
    with _caches_lock:
        cache = _caches.get(key)
        if cache is None:
            cache = _caches[key] = SegmentCache(size=reader.doc_count_all())
        return cache


def segment_caches(index_key: str) -> list[SegmentCache]:
    """The caches of an index's segments (those read since their last merge)."""
    with _caches_lock:
        return [cache for (key, _), cache in _caches.items() if key == index_key]


def forget_segments(index_key: str, keep: set[str]) -> None:
    """Drop the caches of an index's segments, except those whose ids are in `keep`."""
    with _caches_lock:
        for key in [k for k in _caches if k[0] == index_key and k[1] not in keep]:
            del _caches[key]


def leaves(searcher: Searcher) -> list[tuple[Searcher, int]]:
    """Each segment's searcher and the offset of its first document in the whole index."""
    # An empty index has one reader with no segment behind it: nothing to search.
    return [
        (leaf, offset)
        for leaf, offset in searcher.leaf_searchers()
        if leaf.reader().segment() is not None
    ]


def _text(term: bytes | str) -> str:
    return term.decode("utf8") if isinstance(term, bytes) else term


class Segment:
    """One segment of one searcher generation: its reader, caches and deletions."""

    def __init__(self, spec: IndexSpec, index_key: str, searcher: Searcher, offset: int) -> None:
        self.spec = spec
        self.searcher = searcher
        self.reader = searcher.reader()
        self.offset = offset
        self.cache = _cache_of(index_key, self.reader)
        self.deleted: frozenset[int] = (
            frozenset(self.reader.segment().deleted_docs())
            if self.reader.has_deletions()
            else frozenset()
        )
        self.generation_key = len(self.deleted)
        self._live: frozenset[int] | None = None

    @property
    def size(self) -> int:
        """Documents in the segment, deleted ones included (document numbers run below it)."""
        return self.cache.size

    def live(self) -> frozenset[int]:
        if self._live is None:
            self._live = frozenset(range(self.size)) - self.deleted
        return self._live

    # terms

    def term_set(self, fieldname: str, text: str) -> frozenset[int]:
        key = (fieldname, text)
        found = self.cache.term_sets.get(key)
        if found is None:
            try:
                found = frozenset(self.reader.postings(fieldname, text).all_ids())
            except TermNotFound:
                found = frozenset()
            if len(self.cache.term_sets) > _MAX_TERM_CACHE:
                self.cache.term_sets.clear()
            self.cache.term_sets[key] = found
        return found

    def prefix_set(self, fieldname: str, prefix: str) -> frozenset[int]:
        key = (fieldname, prefix + "\x00*")
        found = self.cache.term_sets.get(key)
        if found is None:
            result: set[int] = set()
            for term in self.expand_prefix(fieldname, prefix, MAX_PREFIX_TERMS_MATCHED):
                result |= self.term_set(fieldname, term)
            found = self.cache.term_sets[key] = frozenset(result)
        return found

    def expand_prefix(self, fieldname: str, prefix: str, limit: int) -> list[str]:
        terms = []
        for term in self.reader.expand_prefix(fieldname, prefix):
            terms.append(_text(term))
            if len(terms) >= limit:
                break
        return terms

    def phrase_set(self, fieldname: str, words: tuple[str, ...]) -> frozenset[int]:
        key = (fieldname, "\x00phrase:" + " ".join(words))
        found = self.cache.term_sets.get(key)
        if found is None:
            phrase = query.Phrase(fieldname, list(words))
            found = frozenset(phrase.docs(self.searcher))
            self.cache.term_sets[key] = found
        return found

    def folded_terms(self, fieldname: str, value: str) -> list[str]:
        """Terms of a keyword field equal to `value` once case and accents are folded."""
        table = self.cache.folded.get(fieldname)
        if table is None:
            table = {}
            for term in self.reader.lexicon(fieldname):
                text = _text(term)
                table.setdefault(normalize(text), []).append(text)
            self.cache.folded[fieldname] = table
        return table.get(normalize(value), [])

    # arrays

    def numbers(self, fieldname: str) -> npt.NDArray[np.float64]:
        values = self.cache.numbers.get(fieldname)
        if values is None:
            with self.cache.lock:
                values = self.cache.numbers.get(fieldname)
                if values is None:
                    column = self.reader.column_reader(fieldname)
                    values = np.fromiter(
                        (v or 0 for v in column), dtype=np.float64, count=self.size
                    )
                    self.cache.numbers[fieldname] = values
        return values

    def value_arrays(self, fieldname: str) -> ValueArrays:
        """A keyword field as arrays: how many values each document has, their term ids in
        document order, and the terms."""
        found = self.cache.values.get(fieldname)
        if found is None:
            with self.cache.lock:
                found = self.cache.values.get(fieldname)
                if found is None:
                    found = self.cache.values[fieldname] = self._read_values(fieldname)
        return found

    def _read_values(self, fieldname: str) -> ValueArrays:
        terms: list[str] = []
        documents: list[npt.NDArray[np.int64]] = []
        term_ids: list[npt.NDArray[np.int32]] = []
        for term in self.reader.lexicon(fieldname):
            text = _text(term)
            ids = np.fromiter(self.reader.postings(fieldname, text).all_ids(), dtype=np.int64)
            documents.append(ids)
            term_ids.append(np.full(len(ids), len(terms), dtype=np.int32))
            terms.append(text)
        if not documents:
            return np.zeros(self.size, dtype=np.int64), np.zeros(0, dtype=np.int32), terms
        docs = np.concatenate(documents)
        order = np.argsort(docs, kind="stable")
        counts = np.bincount(docs, minlength=self.size).astype(np.int64)
        return counts, np.concatenate(term_ids)[order], terms

    def frequencies(self, fieldname: str, text: str) -> npt.NDArray[np.float32]:
        """The term's frequency in each document of the segment (a dense float32 array)."""
        key = (fieldname, text)
        found = self.cache.frequencies.get(key)
        if found is None:
            found = whoosh_internals.term_frequencies(self.reader, fieldname, text, self.size)
            if len(self.cache.frequencies) > _MAX_FREQUENCY_CACHE:
                self.cache.frequencies.clear()
            self.cache.frequencies[key] = found
        return found

    def field_lengths(self, fieldname: str) -> npt.NDArray[np.float32]:
        found = self.cache.lengths.get(fieldname)
        if found is None:
            found = whoosh_internals.field_lengths(self.reader, fieldname, self.size)
            self.cache.lengths[fieldname] = found
        return found

    # filters

    def filter_set(self, spec_filter: filters.Filter) -> frozenset[int]:
        """The live documents a filter admits, cached per deletion generation."""
        key = (spec_filter, self.generation_key)
        found = self.cache.filtered.get(key)
        if found is None:
            found = filters.evaluate(self, spec_filter) - self.deleted
            if len(self.cache.filtered) > _MAX_FILTER_CACHE:
                self.cache.filtered.clear()
            self.cache.filtered[key] = found
        return found

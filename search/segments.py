"""Segments and what is read from them: term sets, value arrays, postings and lengths.

Whoosh segments never change once written (only their deletion lists do: a deletion in an
old segment is recorded beside it, the segment keeps its id and files), so what is read from
one is cached, keyed by the segment's id, in its index's `ByteBudgetCache`, shared by every
thread's searcher; least recently used entries leave when the index's byte budget is spent,
and a merge's retired segments leave at once. Every cached set holds deleted documents too,
and each search drops the deletions its searcher sees: a new deletion neither invalidates a
cached set nor is undone by one.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh import query
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher

from search import docsets, filters, whoosh_internals
from search.analysis import normalize
from search.cache import ByteBudgetCache
from search.docsets import Docs
from search.interface import IndexSpec

#: How many terms a prefix ("pyth*") may stand for when matching.
MAX_PREFIX_TERMS_MATCHED = 500

ValueArrays = tuple[npt.NDArray[np.int64], npt.NDArray[np.int32], list[str]]


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
    """One segment of one searcher generation: its reader, cache and deletions."""

    def __init__(
        self, spec: IndexSpec, cache: ByteBudgetCache, searcher: Searcher, offset: int
    ) -> None:
        self.spec = spec
        self.searcher = searcher
        self.reader = searcher.reader()
        self.offset = offset
        self.cache = cache
        self.segment_id = str(self.reader.segment().segment_id())
        self.size: int = self.reader.doc_count_all()
        """Documents in the segment, deleted ones included (document numbers run below it)."""
        self.deleted: Docs = (
            docsets.from_ids(self.reader.segment().deleted_docs())
            if self.reader.has_deletions()
            else docsets.EMPTY
        )
        self._every: Docs | None = None
        self._live: Docs | None = None

    def _cached(self, key: tuple[Hashable, ...], compute: Any) -> Any:
        return self.cache.get((self.segment_id, *key), compute)

    def every(self) -> Docs:
        """Every document number of the segment, deleted ones included."""
        if self._every is None:
            self._every = docsets.every(self.size)
        return self._every

    def live(self) -> Docs:
        """The documents this searcher generation sees (its deletions dropped)."""
        if self._live is None:
            self._live = docsets.difference(self.size, self.every(), self.deleted)
        return self._live

    # set algebra within the segment

    def union(self, parts: list[Docs]) -> Docs:
        return docsets.union(self.size, parts)

    def intersect(self, first: Docs, second: Docs) -> Docs:
        return docsets.intersect(self.size, first, second)

    def difference(self, kept: Docs, removed: Docs) -> Docs:
        return docsets.difference(self.size, kept, removed)

    # terms

    def term_set(self, fieldname: str, text: str) -> Docs:
        def read() -> Docs:
            try:
                return docsets.from_ids(self.reader.postings(fieldname, text).all_ids())
            except TermNotFound:
                return docsets.EMPTY

        found: Docs = self._cached(("terms", fieldname, text), read)
        return found

    def prefix_set(self, fieldname: str, prefix: str) -> Docs:
        def read() -> Docs:
            terms = self.expand_prefix(fieldname, prefix, MAX_PREFIX_TERMS_MATCHED)
            return self.union([self.term_set(fieldname, term) for term in terms])

        found: Docs = self._cached(("prefix", fieldname, prefix), read)
        return found

    def expand_prefix(self, fieldname: str, prefix: str, limit: int) -> list[str]:
        terms = []
        for term in self.reader.expand_prefix(fieldname, prefix):
            terms.append(_text(term))
            if len(terms) >= limit:
                break
        return terms

    def phrase_set(self, fieldname: str, words: tuple[str, ...]) -> Docs:
        def read() -> Docs:
            return docsets.from_ids(query.Phrase(fieldname, list(words)).docs(self.searcher))

        found: Docs = self._cached(("phrase", fieldname, words), read)
        return found

    def folded_terms(self, fieldname: str, value: str) -> list[str]:
        """Terms of a keyword field equal to `value` once case and accents are folded."""

        def read() -> dict[str, list[str]]:
            table: dict[str, list[str]] = {}
            for term in self.reader.lexicon(fieldname):
                text = _text(term)
                table.setdefault(normalize(text), []).append(text)
            return table

        table: dict[str, list[str]] = self._cached(("folded", fieldname), read)
        return table.get(normalize(value), [])

    # arrays

    def numbers(self, fieldname: str) -> npt.NDArray[np.float64]:
        def read() -> npt.NDArray[np.float64]:
            column = self.reader.column_reader(fieldname)
            return np.fromiter((v or 0 for v in column), dtype=np.float64, count=self.size)

        values: npt.NDArray[np.float64] = self._cached(("numbers", fieldname), read)
        return values

    def value_arrays(self, fieldname: str) -> ValueArrays:
        """A keyword field as arrays: how many values each document has, their term ids in
        document order, and the terms."""
        found: ValueArrays = self._cached(
            ("values", fieldname), lambda: self._read_values(fieldname)
        )
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

    def frequencies(
        self, fieldname: str, text: str, docs: npt.NDArray[np.integer]
    ) -> npt.NDArray[np.float32]:
        """The term's frequency in each of `docs` (0 where absent)."""
        ids, weights = self._cached(
            ("postings", fieldname, text),
            lambda: whoosh_internals.term_postings(self.reader, fieldname, text),
        )
        found = np.zeros(len(docs), dtype=np.float32)
        if len(ids):
            at = np.minimum(np.searchsorted(ids, docs), len(ids) - 1)
            hit = ids[at] == docs
            found[hit] = weights[at[hit]]
        return found

    def field_lengths(self, fieldname: str) -> npt.NDArray[np.float32]:
        found: npt.NDArray[np.float32] = self._cached(
            ("lengths", fieldname),
            lambda: whoosh_internals.field_lengths(self.reader, fieldname, self.size),
        )
        return found

    # filters

    def filter_set_with_deleted(self, spec_filter: filters.Filter) -> Docs:
        """The documents a filter admits, deleted ones included: cached per segment for as
        long as the segment lives, whatever is deleted from it meanwhile."""
        found: Docs = self._cached(
            ("filter", spec_filter), lambda: filters.evaluate(self, spec_filter)
        )
        return found

    def filter_set(self, spec_filter: filters.Filter) -> Docs:
        """The live documents a filter admits: the cached set less this generation's
        deletions."""
        return self.difference(self.filter_set_with_deleted(spec_filter), self.deleted)

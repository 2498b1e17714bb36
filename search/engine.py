"""The engine: one Whoosh index per document kind behind a small interface.

    index = SearchIndex(directory, CANDIDATES)
    index.apply(upserts=[document, ...], deletes=[id, ...], last_sequence=41)
    result = index.search(SearchRequest(query="python AND k8s", filters=[...], limit=20))

How it stays fast on Whoosh 2.7.4 (pure Python), module by module:

- `matching`: matching, counting and faceting never score; the query tree is set algebra
  over per-segment posting sets, which `segments` caches per segment and term (segments
  are immutable, so an entry lives until a merge retires its segment or the index's
  byte budget, `cache_mb`, needs its room: see `cache`).
- `filters`: filters (visibility included) are evaluated the same way and cached per
  segment, deleted documents included (each search drops the deletions it sees), so the
  viewer's audience filter costs a few set operations, even right after an update.
- `facets`: values counted with numpy over per-segment value arrays, matches only.
- `scoring`: BM25 per field with boosts, times a bounded recency factor, with numpy over
  the matched documents only, from arrays `whoosh_internals` reads a block at a time.
- `highlighting`: only the returned page, only in fields the document matched.
- `suggestions`: "did you mean", from the words of documents the viewer may see.
- `storage`: opening, the single-writer lock, batches (each a new small segment, merged
  when the indexer idles), rebuilds and the atomic swap; segments are not compound files.
- `bulk_writer`: a rebuild's segments, each term's postings gathered in memory and written
  whole in Whoosh's own format, by several processes where the rebuild asks for them.

Searchers are not thread-safe: each thread keeps its own, reopened after each commit.
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import replace
from pathlib import Path

from whoosh.reading import ReaderClosed
from whoosh.searching import Searcher

from search.cache import DEFAULT_CACHE_MB
from search.docsets import Docs
from search.facets import count_facet
from search.filters import AllOf, AnyOf, Filter, NoneOf, Range, Terms
from search.highlighting import make_hit
from search.interface import MAX_OFFSET, Facet, Hit, IndexSpec, SearchRequest, SearchResult
from search.matching import ALL, analyze, match, split_range_words
from search.query import QuerySyntaxError, parse_query
from search.scoring import Relevance, page_by_recency
from search.segments import Segment, leaves
from search.storage import STATE_FILE, IndexBusy, IndexCorrupt, IndexStorage
from search.suggestions import suggest

__all__ = [
    "MAX_OFFSET",
    "STATE_FILE",
    "AllOf",
    "AnyOf",
    "Facet",
    "Filter",
    "Hit",
    "IndexBusy",
    "IndexCorrupt",
    "IndexSpec",
    "NoneOf",
    "QuerySyntaxError",
    "Range",
    "SearchIndex",
    "SearchRequest",
    "SearchResult",
    "Terms",
]


class SearchIndex(IndexStorage):
    """One index directory (a symlink to the current build) and its searchers."""

    def __init__(
        self, directory: Path, spec: IndexSpec, cache_mb: float = DEFAULT_CACHE_MB
    ) -> None:
        super().__init__(directory, spec, cache_mb)
        self._local = threading.local()

    def version(self) -> tuple[str, int]:
        """Which build of the index, and which generation of it, a search would read now:
        every commit, merge and rebuild changes it (IndexCorrupt while there is no index)."""
        opened = self._open()
        generation: int = opened.latest_generation()
        return (self._index_target or "", generation)

    def doc_count(self) -> int:
        count: int = self._searcher().doc_count()
        return count

    def _moved_on(self, searcher: Searcher) -> bool:
        """Whether a commit, merge or rebuild came after `searcher` opened."""
        if getattr(self._local, "target", None) != self.build_target():
            return True
        try:
            return not searcher.up_to_date()
        except Exception:
            return True

    def _searcher(self) -> Searcher:
        opened = self._open()
        searcher: Searcher | None = getattr(self._local, "searcher", None)
        if searcher is not None and getattr(self._local, "target", None) != self._index_target:
            searcher.close()
            searcher = None
        if searcher is None:
            searcher = opened.searcher()
            self._local.searcher = searcher
            self._local.target = self._index_target
        elif not searcher.up_to_date():
            try:
                searcher = searcher.refresh()
            except (ReaderClosed, OSError):
                # A segment went away under the refresh (a rebuild swapped in, a merge): Whoosh
                # then closes readers it reused and says so. Open the index afresh instead.
                with contextlib.suppress(ReaderClosed, OSError):
                    searcher.close()
                searcher = self._open().searcher()
            self._local.searcher = searcher
        return searcher

    def _segments_of(self, searcher: Searcher) -> list[Segment]:
        return [Segment(self.spec, self.cache, leaf, offset) for leaf, offset in leaves(searcher)]

    def warm(self) -> None:
        """Build the per-segment arrays facets, ranges and recency read, ahead of the first
        search (a few hundred milliseconds per 100k documents, once per segment)."""
        for segment in self._segments_of(self._searcher()):
            for fieldname in self.spec.facet_fields.values():
                segment.value_arrays(fieldname)
            segment.numbers(self.spec.recency_field)
            for fieldname in self.spec.default_fields:
                segment.field_lengths(fieldname)

    def search(self, request: SearchRequest) -> SearchResult:
        if not 0 <= request.offset <= MAX_OFFSET:
            raise ValueError(f"offset must be between 0 and {MAX_OFFSET}")
        searcher = self._searcher()
        try:
            return self._search(searcher, request)
        except Exception:
            # Whoosh opens some of a segment's files only when first read, and a commit
            # deletes the files of the segments it retires (a merge) at once: a search that
            # began just before such a commit can find them gone. Once more, afresh.
            if not self._moved_on(searcher):
                raise
            return self._search(self._searcher(), request)

    def _search(self, searcher: Searcher, request: SearchRequest) -> SearchResult:
        started = time.perf_counter()
        tree = parse_query(request.query or "", self.spec.field_aliases)
        # Range words ("senior") score but do not filter: `required` is what must match.
        required, ranges = split_range_words(self.spec, tree)
        analyzed = analyze(self.spec, tree)
        segments = self._segments_of(searcher)
        filters = AllOf(tuple(request.filters)) if request.filters else None
        # What the viewer's filters admit, per segment: matching, counting, faceting and
        # spelling suggestions all stay inside it, so a hidden document leaks nothing.
        admitted = [
            segment.filter_set(filters) if filters is not None else segment.live()
            for segment in segments
        ]
        matched: list[Docs] = []
        for segment, allowed in zip(segments, admitted, strict=True):
            docs = match(segment, required, analyzed)
            matched.append(allowed if docs is ALL else segment.intersect(docs, allowed))
        total = sum(len(docs) for docs in matched)

        wanted = request.offset + request.limit
        relevance = None
        if not analyzed.scoring or request.sort == "recency":
            page = page_by_recency(self.spec, segments, matched, wanted)
        else:
            relevance = Relevance(self.spec, searcher, analyzed, request.boost_terms, ranges)
            page = relevance.page(segments, matched, wanted)
        hits = tuple(
            make_hit(
                self.spec,
                searcher,
                segments,
                docnum,
                score,
                analyzed,
                request,
                relevance.explain(docnum) if relevance is not None else None,
            )
            for docnum, score in page[request.offset : wanted]
        )
        facets = tuple(
            count_facet(self.spec, name, segments, matched, request.facet_limit)
            for name in request.facets
        )
        suggestion = None
        if (request.suggest or request.autocorrect) and tree is not None and total < 3:
            suggestion = suggest(self.spec, segments, admitted, tree, request.query or "")
        if request.autocorrect and total == 0 and suggestion is not None:
            corrected = self.search(replace(request, query=suggestion, autocorrect=False))
            if corrected.total:
                return replace(
                    corrected,
                    suggestion=suggestion if request.suggest else None,
                    corrected_query=suggestion,
                    took_ms=(time.perf_counter() - started) * 1000,
                )
        if not request.suggest:
            suggestion = None
        return SearchResult(
            hits=hits,
            total=total,
            facets=facets,
            suggestion=suggestion,
            took_ms=(time.perf_counter() - started) * 1000,
        )

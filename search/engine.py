"""The engine: one Whoosh index per document kind behind a small interface.

    index = SearchIndex(directory, CANDIDATES)
    index.apply(upserts=[document, ...], deletes=[id, ...], last_sequence=41)
    result = index.search(SearchRequest(query="python AND k8s", filters=[...], limit=20))

How it stays fast on Whoosh 2.7.4 (pure Python):

- Matching, counting and faceting never score. The query tree is evaluated as set algebra
  over per-segment posting sets (C-speed set operations), cached per segment and term:
  segments are immutable, so a cache entry lives until a merge retires its segment.
- Filters (visibility included) are evaluated the same way and cached per segment
  generation, so the viewer's audience filter costs a few set operations.
- Facets count values with numpy over per-segment value arrays (built once per segment),
  over the filtered matches only.
- Ranking is BM25 per field with field boosts (as Whoosh's BM25F), times a bounded recency
  factor, computed with numpy over the matched documents only, from per-segment term
  frequency and field length arrays read once from Whoosh's postings and length columns.
  Whoosh's own scorer steps through every posting in Python, which costs seconds for a
  common word on 100k documents.
- Only the returned page is highlighted, and only in fields the document matched.

Searchers are not thread-safe: each thread keeps its own, reopened after each commit.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import math
import os
import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import highlight, index, query
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.fields import Schema
from whoosh.searching import Searcher
from whoosh.support.levenshtein import distance as edit_distance
from whoosh.util.numeric import byte_to_length

from search.query import And, Node, Not, Or, Phrase, QuerySyntaxError, Word, parse_query, words_of

__all__ = [
    "AllOf",
    "AnyOf",
    "Facet",
    "Hit",
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

STATE_FILE = "confrere-state.json"
WRITER_LOCK_FILE = "confrere-writer.lock"
MAX_OFFSET = 1000
BM25_K1 = 1.2
BM25_B = 0.75
NICE_TO_HAVE_BONUS = 2.0
MAX_PREFIX_TERMS_SCORED = 20
MAX_HIGHLIGHT_CHARS = 4000
RECENCY_FLOOR = 0.85
RECENCY_HALF_LIFE_DAYS = 365.0
SUGGEST_MAX_EDITS = 2
SHORT_TEXT = 240  # highlighted whole; longer text is cut into fragments around matches


class IndexCorrupt(RuntimeError):
    """The index cannot be opened or read: rebuild it from the database."""


class IndexBusy(RuntimeError):
    """Another process holds this index's writer lock."""


# Filters: plain data the caller builds; the engine evaluates them per segment.


@dataclass(frozen=True)
class Terms:
    """Documents whose `field` holds any (mode="any") or all (mode="all") of `values`."""

    field: str
    values: tuple[str, ...]
    mode: str = "any"


@dataclass(frozen=True)
class Range:
    """Documents whose numeric `field` lies within [low, high] (None: unbounded)."""

    field: str
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class AllOf:
    filters: tuple[Filter, ...]


@dataclass(frozen=True)
class AnyOf:
    filters: tuple[Filter, ...]


@dataclass(frozen=True)
class NoneOf:
    filters: tuple[Filter, ...]


Filter = Terms | Range | AllOf | AnyOf | NoneOf


@dataclass(frozen=True)
class IndexSpec:
    """What one kind of document looks like in its index, and how it is searched."""

    name: str
    schema: Schema
    to_fields: Callable[[Mapping[str, Any]], dict[str, Any]]
    default_fields: Mapping[str, float]
    """Fields an unprefixed word searches, with their boosts."""
    field_aliases: Mapping[str, tuple[str, ...]]
    """Query prefixes (`title:`) and the index fields each searches."""
    facet_fields: Mapping[str, str]
    """Facet names and the keyword fields counted for them."""
    keyword_fields: frozenset[str]
    """Fields whose terms filters compare case-insensitively (display forms kept)."""
    highlight_fields: tuple[str, ...]
    spelling_field: str
    recency_field: str
    recency_unit_seconds: float = 1.0
    """What one unit of the recency field is, in seconds (0.001 for milliseconds)."""
    skill_field: str | None = None
    unique_field: str = "id"


@dataclass(frozen=True)
class SearchRequest:
    query: str | None = None
    filters: tuple[Filter, ...] = ()
    sort: str = "relevance"  # or "recency"
    offset: int = 0
    limit: int = 20
    facets: tuple[str, ...] = ()
    facet_limit: int = 10
    highlight: bool = True
    suggest: bool = True
    boost_terms: tuple[tuple[str, str], ...] = ()
    """(field, value) pairs that raise a match's score without being required."""


@dataclass(frozen=True)
class Hit:
    id: str
    score: float
    highlights: dict[str, str]
    matched_skills: tuple[str, ...] = ()


@dataclass(frozen=True)
class Facet:
    name: str
    values: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class SearchResult:
    hits: tuple[Hit, ...]
    total: int
    facets: tuple[Facet, ...]
    suggestion: str | None
    took_ms: float


# Per-segment caches, shared by every thread's searcher: segments never change once written
# (only their deletion lists do, and those are applied at use).

_ALL = object()  # the neutral match: a word made only of stop words


@dataclass
class _SegmentData:
    size: int
    term_sets: dict[tuple[str, str], frozenset[int]] = field(default_factory=dict)
    values: dict[str, tuple[np.ndarray, np.ndarray, list[str]]] = field(default_factory=dict)
    numbers: dict[str, np.ndarray] = field(default_factory=dict)
    frequencies: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    lengths: dict[str, np.ndarray] = field(default_factory=dict)
    folded: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    filtered: dict[tuple[Any, int], frozenset[int]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


_segments: dict[tuple[str, str], _SegmentData] = {}
_segments_lock = threading.Lock()
_MAX_FILTER_CACHE = 512
_MAX_TERM_CACHE = 50_000
_MAX_FREQUENCY_CACHE = 256  # dense float32 arrays: 400 KB each per 100k documents


def _segment_data(index_key: str, reader: Any) -> _SegmentData:
    key = (index_key, reader.segment().segment_id())
    with _segments_lock:
        data = _segments.get(key)
        if data is None:
            data = _segments[key] = _SegmentData(size=reader.doc_count_all())
        return data


def _forget_segments(index_key: str, keep: set[str]) -> None:
    with _segments_lock:
        for key in [k for k in _segments if k[0] == index_key and k[1] not in keep]:
            del _segments[key]


class _Segment:
    """One segment of one searcher generation: its reader, caches and deletions."""

    def __init__(self, spec: IndexSpec, index_key: str, searcher: Searcher, offset: int) -> None:
        self.spec = spec
        self.searcher = searcher
        self.reader = searcher.reader()
        self.offset = offset
        self.data = _segment_data(index_key, self.reader)
        self.deleted = (
            frozenset(self.reader.segment().deleted_docs())
            if self.reader.has_deletions()
            else frozenset()
        )
        self.generation_key = len(self.deleted)
        self.all_docs: frozenset[int] | None = None

    def live(self) -> frozenset[int]:
        if self.all_docs is None:
            self.all_docs = frozenset(range(self.data.size)) - self.deleted
        return self.all_docs

    # terms

    def term_set(self, fieldname: str, text: str) -> frozenset[int]:
        key = (fieldname, text)
        found = self.data.term_sets.get(key)
        if found is None:
            try:
                found = frozenset(self.reader.postings(fieldname, text).all_ids())
            except Exception:  # whoosh raises TermNotFound (a KeyError) for absent terms
                found = frozenset()
            if len(self.data.term_sets) > _MAX_TERM_CACHE:
                self.data.term_sets.clear()
            self.data.term_sets[key] = found
        return found

    def prefix_set(self, fieldname: str, prefix: str) -> frozenset[int]:
        key = (fieldname, prefix + "\x00*")
        found = self.data.term_sets.get(key)
        if found is None:
            result: set[int] = set()
            for count, term in enumerate(self.reader.expand_prefix(fieldname, prefix)):
                if count >= 500:
                    break
                text = term.decode("utf8") if isinstance(term, bytes) else term
                result |= self.term_set(fieldname, text)
            found = self.data.term_sets[key] = frozenset(result)
        return found

    def expand_prefix(self, fieldname: str, prefix: str, limit: int) -> list[str]:
        terms = []
        for term in self.reader.expand_prefix(fieldname, prefix):
            terms.append(term.decode("utf8") if isinstance(term, bytes) else term)
            if len(terms) >= limit:
                break
        return terms

    def phrase_set(self, fieldname: str, words: tuple[str, ...]) -> frozenset[int]:
        key = (fieldname, "\x00phrase:" + " ".join(words))
        found = self.data.term_sets.get(key)
        if found is None:
            phrase = query.Phrase(fieldname, list(words))
            found = frozenset(phrase.docs(self.searcher))
            self.data.term_sets[key] = found
        return found

    def folded_terms(self, fieldname: str, value: str) -> list[str]:
        """Terms of a keyword field equal to `value` once case and accents are folded."""
        from search.analysis import normalize

        table = self.data.folded.get(fieldname)
        if table is None:
            table = {}
            for term in self.reader.lexicon(fieldname):
                text = term.decode("utf8")
                table.setdefault(normalize(text), []).append(text)
            self.data.folded[fieldname] = table
        return table.get(normalize(value), [])

    def numbers(self, fieldname: str) -> np.ndarray:
        values = self.data.numbers.get(fieldname)
        if values is None:
            with self.data.lock:
                values = self.data.numbers.get(fieldname)
                if values is None:
                    column = self.reader.column_reader(fieldname)
                    values = np.fromiter(
                        (v or 0 for v in column), dtype=np.float64, count=self.data.size
                    )
                    self.data.numbers[fieldname] = values
        return values

    def value_arrays(self, fieldname: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """A keyword field as arrays: values per document, their term ids, the terms."""
        found = self.data.values.get(fieldname)
        if found is None:
            with self.data.lock:
                found = self.data.values.get(fieldname)
                if found is None:
                    terms: list[str] = []
                    documents: list[np.ndarray] = []
                    term_ids: list[np.ndarray] = []
                    for term in self.reader.lexicon(fieldname):
                        ids = np.fromiter(
                            self.reader.postings(fieldname, term.decode("utf8")).all_ids(),
                            dtype=np.int64,
                        )
                        documents.append(ids)
                        term_ids.append(np.full(len(ids), len(terms), dtype=np.int32))
                        terms.append(term.decode("utf8"))
                    if documents:
                        docs = np.concatenate(documents)
                        order = np.argsort(docs, kind="stable")
                        counts = np.bincount(docs, minlength=self.data.size)
                        values = np.concatenate(term_ids)[order]
                    else:
                        counts = np.zeros(self.data.size, dtype=np.int64)
                        values = np.zeros(0, dtype=np.int32)
                    found = self.data.values[fieldname] = (counts, values, terms)
        return found

    def frequencies(self, fieldname: str, text: str) -> np.ndarray:
        """The term's frequency in each document of the segment (a dense float32 array)."""
        key = (fieldname, text)
        found = self.data.frequencies.get(key)
        if found is None:
            found = np.zeros(self.data.size, dtype=np.float32)
            try:
                matcher = self.reader.postings(fieldname, text)
            except Exception:  # TermNotFound
                matcher = None
            if matcher is not None:
                ids, weights = _postings_with_weights(matcher)
                found[np.asarray(ids, dtype=np.int64)] = weights
            if len(self.data.frequencies) > _MAX_FREQUENCY_CACHE:
                self.data.frequencies.clear()
            self.data.frequencies[key] = found
        return found

    def field_lengths(self, fieldname: str) -> np.ndarray:
        found = self.data.lengths.get(fieldname)
        if found is None:
            found = self.data.lengths[fieldname] = _field_lengths(
                self.reader, fieldname, self.data.size
            )
        return found

    # filters

    def filter_set(self, spec_filter: Filter) -> frozenset[int]:
        key = (spec_filter, self.generation_key)
        found = self.data.filtered.get(key)
        if found is None:
            found = self._evaluate_filter(spec_filter) - self.deleted
            if len(self.data.filtered) > _MAX_FILTER_CACHE:
                self.data.filtered.clear()
            self.data.filtered[key] = found
        return found

    def _values(self, fieldname: str, values: Iterable[str]) -> list[str]:
        if fieldname in self.spec.keyword_fields:
            return [t for v in values for t in self.folded_terms(fieldname, v)]
        return list(values)

    def _evaluate_filter(self, spec_filter: Filter) -> frozenset[int]:
        if isinstance(spec_filter, Terms):
            if spec_filter.mode == "all":
                result: frozenset[int] | None = None
                for value in spec_filter.values:
                    matched: set[int] = set()
                    for term in self._values(spec_filter.field, [value]):
                        matched |= self.term_set(spec_filter.field, term)
                    result = frozenset(matched) if result is None else result & matched
                return result if result is not None else self.live()
            union: set[int] = set()
            for term in self._values(spec_filter.field, spec_filter.values):
                union |= self.term_set(spec_filter.field, term)
            return frozenset(union)
        if isinstance(spec_filter, Range):
            values = self.numbers(spec_filter.field)
            low = -math.inf if spec_filter.low is None else spec_filter.low
            high = math.inf if spec_filter.high is None else spec_filter.high
            return frozenset(np.nonzero((values >= low) & (values <= high))[0].tolist())
        if isinstance(spec_filter, AllOf):
            result = self.live()
            for item in spec_filter.filters:
                result = result & self.filter_set(item)
                if not result:
                    break
            return result
        if isinstance(spec_filter, AnyOf):
            union = set()
            for item in spec_filter.filters:
                union |= self.filter_set(item)
            return frozenset(union)
        if isinstance(spec_filter, NoneOf):
            excluded: set[int] = set()
            for item in spec_filter.filters:
                excluded |= self.filter_set(item)
            return self.live() - excluded
        raise TypeError(f"not a filter: {spec_filter!r}")  # pragma: no cover

    # the query tree

    def match(self, node: Node | None, analyzed: _AnalyzedQuery) -> Any:
        """The documents matching `node` (a set), or _ALL for a neutral node."""
        if node is None:
            return _ALL
        if isinstance(node, Word):
            sets = []
            for fieldname, tokens in analyzed.word_terms[node]:
                if not tokens:
                    continue
                if node.prefix:
                    sets.append(self.prefix_set(fieldname, tokens[-1]))
                elif len(tokens) == 1:
                    sets.append(self.term_set(fieldname, tokens[0]))
                else:
                    sets.append(self.phrase_set(fieldname, tuple(tokens)))
            if not sets:
                return _ALL
            return frozenset().union(*sets)
        if isinstance(node, Phrase):
            sets = []
            for fieldname, tokens in analyzed.word_terms[node]:
                if len(tokens) == 1:
                    sets.append(self.term_set(fieldname, tokens[0]))
                elif tokens:
                    sets.append(self.phrase_set(fieldname, tuple(tokens)))
            return frozenset().union(*sets) if sets else _ALL
        if isinstance(node, And):
            result: Any = _ALL
            excluded: list[frozenset[int]] = []
            for item in node.items:
                if isinstance(item, Not):
                    inner = self.match(item.item, analyzed)
                    if inner is not _ALL:
                        excluded.append(inner)
                    continue
                matched = self.match(item, analyzed)
                if matched is _ALL:
                    continue
                result = matched if result is _ALL else result & matched
            if result is _ALL:
                result = self.live()
            for item in excluded:
                result = result - item
            return result
        if isinstance(node, Or):
            union: set[int] = set()
            for item in node.items:
                matched = self.match(item, analyzed)
                if matched is _ALL:
                    return _ALL
                union |= matched
            return frozenset(union)
        if isinstance(node, Not):  # a lone NOT inside OR: everything but
            inner = self.match(node.item, analyzed)
            return frozenset() if inner is _ALL else self.live() - inner
        raise TypeError(node)  # pragma: no cover


@dataclass
class _AnalyzedQuery:
    """Each word and phrase of the query, as the terms of each field it searches."""

    tree: Node | None
    word_terms: dict[Node, list[tuple[str, list[str]]]]
    scoring: list[tuple[str, str, float, bool]]
    """(field, term or prefix, boost, is_prefix) for every positive word: what ranks."""
    field_terms: dict[str, set[str]]
    """Positive terms by field: what highlights mark."""


class _MarkFormatter(highlight.HtmlFormatter):
    """Snippets with <mark>…</mark> around matches and the rest HTML-escaped."""

    def __init__(self) -> None:
        super().__init__(tagname="mark", between=" … ")

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"<mark>{self._text(highlight.get_text(text, token, replace))}</mark>"


class SearchIndex:
    """One index directory (a symlink to the current build) and its searchers."""

    def __init__(self, directory: Path, spec: IndexSpec) -> None:
        self.directory = Path(directory)
        self.spec = spec
        self._local = threading.local()
        self._open_lock = threading.Lock()
        self._index: index.Index | None = None
        self._index_target: str | None = None

    # opening and checking

    def exists(self) -> bool:
        """Whether an index was ever written here (readable or not: see `check`)."""
        return self.directory.is_dir() and any(self.directory.glob("_MAIN_*.toc"))

    def _open(self) -> index.Index:
        target = os.path.realpath(self.directory)
        with self._open_lock:
            if self._index is None or self._index_target != target:
                if not self.exists():
                    raise IndexCorrupt(f"no {self.spec.name} index in {self.directory}")
                try:
                    self._index = index.open_dir(str(self.directory))
                except Exception as error:
                    raise IndexCorrupt(f"cannot open {self.directory}: {error}") from error
                self._index_target = target
            return self._index

    def create_empty(self) -> None:
        """Make an empty index (and its directory), replacing nothing that exists."""
        if self.exists():
            return
        build = self._new_build_dir()
        index.create_in(str(build), self.spec.schema)
        self._write_state(build, 0)
        self._swap_in(build)

    def check(self) -> int:
        """Open the index and read every segment's basics; returns the document count.

        Whoosh never fsyncs, so after an OS crash an index may be unreadable: callers
        rebuild from the database when this raises IndexCorrupt.
        """
        try:
            opened = self._open()
            with opened.searcher() as searcher:
                count = searcher.doc_count()
                for reader, _ in searcher.reader().leaf_readers():
                    reader.doc_count_all()
            json.loads((self.directory / STATE_FILE).read_text())
            return count
        except IndexCorrupt:
            raise
        except Exception as error:
            self._index = None
            raise IndexCorrupt(f"{self.spec.name} index is unreadable: {error}") from error

    def last_sequence(self) -> int:
        """The last outbox sequence number applied to this index."""
        try:
            return int(json.loads((self.directory / STATE_FILE).read_text())["last_sequence"])
        except FileNotFoundError:
            return 0

    def doc_count(self) -> int:
        return self._searcher().doc_count()

    # writing

    @contextlib.contextmanager
    def writer_lock(self) -> Iterator[None]:
        """The single-writer lock. A crashed writer's lock dies with its process (flock)."""
        self.directory.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.directory.parent / f"{self.spec.name}.{WRITER_LOCK_FILE}"
        with open(lock_path, "a+") as handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                raise IndexBusy(
                    f"another process ({handle.read().strip() or 'unknown'}) is writing the "
                    f"{self.spec.name} index"
                ) from None
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def apply(
        self,
        *,
        upserts: Sequence[Mapping[str, Any]] = (),
        deletes: Sequence[str] = (),
        last_sequence: int,
    ) -> None:
        """Apply one batch in one commit, then record the batch's last outbox sequence.

        Upserts replace by unique id and deletes are by id, so replaying a batch after a
        crash between the commit and the state write leaves every document present once.
        """
        opened = self._open()
        writer = opened.writer(limitmb=128)
        try:
            unique = self.spec.unique_field
            for document_id in deletes:
                writer.delete_by_term(unique, str(document_id))
            for document in upserts:
                writer.update_document(**self.spec.to_fields(document))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        self._write_state(self.directory, last_sequence)
        self._forget_retired_segments(opened)

    def advance(self, last_sequence: int) -> None:
        """Record that every outbox row up to `last_sequence` is applied (none concerned us)."""
        self._write_state(self.directory, last_sequence)

    def rebuild(
        self,
        documents: Iterable[Mapping[str, Any]],
        *,
        last_sequence: int,
        procs: int = 1,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Index every document into a fresh build and swap it in atomically.

        `procs` > 1 forks worker processes: only ever in the `confrere index rebuild`
        process, never inside the threaded server.
        """
        build = self._new_build_dir()
        fresh = index.create_in(str(build), self.spec.schema)
        options: dict[str, Any] = {"limitmb": 1024}
        if procs > 1:
            options.update(procs=procs, multisegment=True)
        writer = fresh.writer(**options)
        count = 0
        try:
            for document in documents:
                writer.add_document(**self.spec.to_fields(document))
                count += 1
                if progress and count % 500 == 0:
                    progress(count)
        except BaseException:
            writer.cancel()
            shutil.rmtree(build, ignore_errors=True)
            raise
        writer.commit()
        if progress:
            progress(count)
        self._write_state(build, last_sequence)
        self._swap_in(build)
        return count

    def _new_build_dir(self) -> Path:
        self.directory.parent.mkdir(parents=True, exist_ok=True)
        stamp = f"{time.strftime('%Y%m%dT%H%M%S')}-{time.monotonic_ns() % 1_000_000_000}"
        build = self.directory.parent / f"{self.directory.name}-{stamp}"
        build.mkdir()
        return build

    def _swap_in(self, build: Path) -> None:
        link = self.directory
        if link.exists() and not link.is_symlink():
            link.rename(link.with_name(f"{link.name}.replaced-{int(time.time())}"))
        previous = os.path.realpath(link) if link.is_symlink() else None
        temporary = link.with_name(f".{link.name}.link-{os.getpid()}")
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(build.name, target_is_directory=True)
        os.replace(temporary, link)
        with self._open_lock:
            self._index = None
        _forget_segments(str(self.directory), keep=set())
        if previous and previous != os.path.realpath(build):
            # Searchers still open on the old build keep their files (POSIX unlink semantics).
            shutil.rmtree(previous, ignore_errors=True)

    @staticmethod
    def _write_state(directory: Path, last_sequence: int) -> None:
        temporary = directory / f".{STATE_FILE}.tmp"
        temporary.write_text(json.dumps({"last_sequence": last_sequence}))
        os.replace(temporary, directory / STATE_FILE)

    def _forget_retired_segments(self, opened: index.Index) -> None:
        live = {segment.segment_id() for segment in opened._segments()}
        _forget_segments(str(self.directory), live)

    # searching

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
            searcher = searcher.refresh()
            self._local.searcher = searcher
        return searcher

    def warm(self) -> None:
        """Build the per-segment arrays facets, ranges and recency read, ahead of the first
        search (a few hundred milliseconds per 100k documents, once per segment)."""
        searcher = self._searcher()
        fields = {*self.spec.facet_fields.values()}
        for leaf, offset in self._leaves(searcher):
            segment = _Segment(self.spec, str(self.directory), leaf, offset)
            for fieldname in fields:
                segment.value_arrays(fieldname)
            segment.numbers(self.spec.recency_field)
            for fieldname in self.spec.default_fields:
                segment.field_lengths(fieldname)

    def _analyze(self, tree: Node | None) -> _AnalyzedQuery:
        schema = self.spec.schema
        word_terms: dict[Node, list[tuple[str, list[str]]]] = {}
        field_terms: dict[str, set[str]] = {}
        scoring: dict[tuple[str, str, bool], float] = {}

        def fields_for(node: Word | Phrase) -> list[tuple[str, float]]:
            if node.field is None:
                return list(self.spec.default_fields.items())
            return [(name, 1.0) for name in self.spec.field_aliases[node.field]]

        def tokens(fieldname: str, text: str) -> list[str]:
            analyzer = schema[fieldname].analyzer
            return [t.text for t in analyzer(text, mode="query")]

        def visit(node: Node, positive: bool) -> None:
            if isinstance(node, (Word, Phrase)):
                text = node.text if isinstance(node, Word) else " ".join(node.words)
                prefix = isinstance(node, Word) and node.prefix
                per_field = []
                for fieldname, boost in fields_for(node):
                    analyzed = tokens(fieldname, text)
                    if prefix and analyzed:
                        # a prefix is matched unstemmed: "engin*" must not become "engin"
                        analyzed = [text.lower()]
                    per_field.append((fieldname, analyzed, boost))
                if node.field is None and any(not terms for _, terms, _ in per_field):
                    # A stop word ("the", "and"): one prose field drops it, so it constrains
                    # nothing anywhere (as in every search engine), instead of matching only
                    # the names and companies that happen to contain it.
                    word_terms[node] = []
                    return
                word_terms[node] = [(f, terms) for f, terms, _ in per_field]
                if positive:
                    for fieldname, terms, boost in per_field:
                        field_terms.setdefault(fieldname, set()).update(terms)
                        for term in terms:
                            key = (fieldname, term, prefix)
                            scoring[key] = max(scoring.get(key, 0.0), boost)
                return
            if isinstance(node, Not):
                visit(node.item, not positive)
                return
            for item in node.items:
                visit(item, positive)

        if tree is not None:
            visit(tree, True)
        return _AnalyzedQuery(
            tree=tree,
            word_terms=word_terms,
            scoring=[(f, t, boost, prefix) for (f, t, prefix), boost in scoring.items()],
            field_terms=field_terms,
        )

    def search(self, request: SearchRequest) -> SearchResult:
        started = time.perf_counter()
        if not 0 <= request.offset <= MAX_OFFSET:
            raise ValueError(f"offset must be between 0 and {MAX_OFFSET}")
        tree = parse_query(request.query or "", self.spec.field_aliases)
        analyzed = self._analyze(tree)
        searcher = self._searcher()
        segments = [
            _Segment(self.spec, str(self.directory), leaf, offset)
            for leaf, offset in self._leaves(searcher)
        ]
        filters = AllOf(tuple(request.filters)) if request.filters else None
        # What the viewer's filters admit, per segment: matching, counting, faceting and
        # spelling suggestions all stay inside it, so a hidden document leaks nothing.
        admitted = [
            segment.filter_set(filters) if filters is not None else segment.live()
            for segment in segments
        ]
        matched: list[frozenset[int]] = []
        for segment, allowed in zip(segments, admitted, strict=True):
            docs = segment.match(tree, analyzed)
            docs = allowed if docs is _ALL else docs & allowed
            matched.append(docs)
        total = sum(len(docs) for docs in matched)

        wanted = request.offset + request.limit
        if not analyzed.scoring or request.sort == "recency":
            page = self._page_by_recency(segments, matched, wanted)
        else:
            page = self._page_by_relevance(searcher, segments, matched, analyzed, wanted, request)
        page = page[request.offset : wanted]

        hits = tuple(
            self._hit(searcher, segments, docnum, score, analyzed, request)
            for docnum, score in page
        )
        facets = tuple(
            self._facet(name, segments, matched, request.facet_limit) for name in request.facets
        )
        suggestion = None
        if request.suggest and tree is not None and total < 3:
            suggestion = self._suggest(segments, admitted, tree, request.query or "")
        return SearchResult(
            hits=hits,
            total=total,
            facets=facets,
            suggestion=suggestion,
            took_ms=(time.perf_counter() - started) * 1000,
        )

    @staticmethod
    def _leaves(searcher: Searcher) -> list[tuple[Searcher, int]]:
        # An empty index has one reader with no segment behind it: nothing to search.
        return [
            (leaf, offset)
            for leaf, offset in searcher.leaf_searchers()
            if leaf.reader().segment() is not None
        ]

    def _page_by_recency(
        self, segments: list[_Segment], matched: list[frozenset[int]], wanted: int
    ) -> list[tuple[int, float]]:
        candidates: list[tuple[float, int]] = []
        for segment, docs in zip(segments, matched, strict=True):
            if not docs:
                continue
            recency = segment.numbers(self.spec.recency_field)
            local = np.fromiter(docs, dtype=np.int64, count=len(docs))
            best = _top(recency[local], wanted)
            candidates.extend(
                (float(recency[local[i]]), segment.offset + int(local[i])) for i in best
            )
        candidates.sort(key=lambda item: (-item[0], item[1]))
        return [(docnum, 0.0) for _, docnum in candidates[:wanted]]

    def _page_by_relevance(
        self,
        searcher: Searcher,
        segments: list[_Segment],
        matched: list[frozenset[int]],
        analyzed: _AnalyzedQuery,
        wanted: int,
        request: SearchRequest,
    ) -> list[tuple[int, float]]:
        """BM25 per field with boosts, summed, times the recency factor: numpy over matches.

        Statistics (document frequency, average field length) are the whole index's, as in
        Whoosh's BM25F, so a document scores the same whichever segment holds it.
        """
        total_docs = max(1, searcher.doc_count_all())
        average_length = {
            fieldname: max(1.0, searcher.field_length(fieldname) / total_docs)
            for fieldname in {f for f, _, _, _ in analyzed.scoring}
        }
        idf_cache: dict[tuple[str, str], float] = {}

        def idf(fieldname: str, term: str) -> float:
            key = (fieldname, term)
            if key not in idf_cache:
                frequency = searcher.doc_frequency(fieldname, term)
                idf_cache[key] = math.log(1 + (total_docs - frequency + 0.5) / (frequency + 0.5))
            return idf_cache[key]

        now = time.time()
        candidates: list[tuple[float, int]] = []
        for segment, docs in zip(segments, matched, strict=True):
            if not docs:
                continue
            local = np.fromiter(docs, dtype=np.int64, count=len(docs))
            scores = np.zeros(len(local), dtype=np.float64)
            for fieldname, text, boost, prefix in analyzed.scoring:
                terms = (
                    segment.expand_prefix(fieldname, text, MAX_PREFIX_TERMS_SCORED)
                    if prefix
                    else [text]
                )
                lengths = None
                for term in terms:
                    frequency = segment.frequencies(fieldname, term)[local]
                    if not frequency.any():
                        continue
                    if lengths is None:
                        norm = (
                            1
                            - BM25_B
                            + BM25_B
                            * segment.field_lengths(fieldname)[local]
                            / (average_length[fieldname])
                        )
                        lengths = BM25_K1 * norm
                    scores += (
                        boost
                        * idf(fieldname, term)
                        * frequency
                        * (BM25_K1 + 1)
                        / (frequency + lengths)
                    )
            for fieldname, value in request.boost_terms:
                bonus = segment.term_set(fieldname, value)
                if bonus:
                    scores += NICE_TO_HAVE_BONUS * np.fromiter(
                        (d in bonus for d in local), dtype=bool, count=len(local)
                    )
            updated = segment.numbers(self.spec.recency_field)[local]
            age_days = np.maximum(0.0, now - updated * self.spec.recency_unit_seconds) / 86400
            scores *= RECENCY_FLOOR + (1 - RECENCY_FLOOR) * np.power(
                0.5, age_days / RECENCY_HALF_LIFE_DAYS
            )
            for i in _top(scores, wanted):
                candidates.append((float(scores[i]), segment.offset + int(local[i])))
        candidates.sort(key=lambda item: (-item[0], item[1]))
        return [(docnum, score) for score, docnum in candidates[:wanted]]

    def _hit(
        self,
        searcher: Searcher,
        segments: list[_Segment],
        docnum: int,
        score: float,
        analyzed: _AnalyzedQuery,
        request: SearchRequest,
    ) -> Hit:
        stored = searcher.stored_fields(docnum)
        highlights: dict[str, str] = {}
        if request.highlight and analyzed.field_terms:
            segment = next(s for s in reversed(segments) if s.offset <= docnum)
            local = docnum - segment.offset
            for fieldname in self.spec.highlight_fields:
                text = stored.get(fieldname)
                terms = analyzed.field_terms.get(fieldname)
                if not text or not terms:
                    continue
                if not any(local in segment.term_set(fieldname, term) for term in terms):
                    continue  # nothing to mark here: skip re-analysing the text
                text = text[:MAX_HIGHLIGHT_CHARS]
                fragmenter = (
                    highlight.WholeFragmenter()
                    if len(text) <= SHORT_TEXT
                    else highlight.ContextFragmenter(maxchars=200, surround=60)
                )
                snippet = highlight.highlight(
                    text,
                    terms,
                    self.spec.schema[fieldname].analyzer,
                    fragmenter,
                    _MarkFormatter(),
                    top=2,
                )
                if snippet:
                    highlights[fieldname] = snippet
        matched_skills: tuple[str, ...] = ()
        skill_field = self.spec.skill_field
        if skill_field and skill_field in analyzed.field_terms:
            terms = analyzed.field_terms[skill_field]
            analyzer = self.spec.schema[skill_field].analyzer
            matched_skills = tuple(
                skill
                for skill in stored.get(skill_field, "").split("\n")
                if skill and {t.text for t in analyzer(skill)} & terms
            )
        return Hit(
            id=stored[self.spec.unique_field],
            score=round(score, 4),
            highlights=highlights,
            matched_skills=matched_skills,
        )

    def _facet(
        self, name: str, segments: list[_Segment], matched: list[frozenset[int]], limit: int
    ) -> Facet:
        from search.analysis import normalize

        fieldname = self.spec.facet_fields[name]
        counts: Counter[str] = Counter()
        for segment, docs in zip(segments, matched, strict=True):
            if not docs:
                continue
            per_document, values, terms = segment.value_arrays(fieldname)
            if not terms:
                continue
            selected = np.zeros(segment.data.size, dtype=bool)
            selected[np.fromiter(docs, dtype=np.int64, count=len(docs))] = True
            tallies = np.bincount(values[np.repeat(selected, per_document)], minlength=len(terms))
            for term_id in np.nonzero(tallies)[0]:
                counts[terms[term_id]] += int(tallies[term_id])
        # "Django" and "django" are one value: count them together, show the commonest form.
        merged: dict[str, list[tuple[int, str]]] = {}
        for value, count in counts.items():
            merged.setdefault(normalize(value), []).append((count, value))
        totals = [
            (sum(count for count, _ in forms), max(forms, key=lambda f: (f[0], f[1]))[1])
            for forms in merged.values()
        ]
        top = sorted(totals, key=lambda item: (-item[0], item[1]))[:limit]
        return Facet(name=name, values=tuple((value, count) for count, value in top))

    def _suggest(
        self,
        segments: list[_Segment],
        admitted: list[frozenset[int]],
        tree: Node,
        text: str,
    ) -> str | None:
        """The query with misspelled words replaced by the closest words of the documents the
        viewer may see.

        Whoosh's own corrector reads the whole field's lexicon, which would make "did you
        mean" an oracle for words that exist only in hidden documents (a private resume, a
        members-only posting). Here a word counts as known, and a correction as available,
        only through documents the viewer's filters admit; corrections rank by edit
        distance, then by how many of those documents hold them.
        """
        spelling = self.spec.spelling_field
        analyzer = self.spec.schema[spelling].analyzer

        def admitted_frequency(word: str) -> int:
            return sum(
                len(segment.term_set(spelling, word) & allowed)
                for segment, allowed in zip(segments, admitted, strict=True)
                if allowed
            )

        replacements: list[tuple[int, int, str]] = []
        for word in words_of(tree):
            tokens = [t.text for t in analyzer(word.text)]
            if len(tokens) != 1 or admitted_frequency(tokens[0]) > 0:
                continue
            correction = self._closest_admitted(segments, admitted, tokens[0], admitted_frequency)
            if correction:
                start = text.find(word.text, word.position)
                replacements.append((start, start + len(word.text), correction))
        if not replacements:
            return None
        corrected = text
        for start, end, replacement in sorted(replacements, reverse=True):
            corrected = corrected[:start] + replacement + corrected[end:]
        return corrected

    def _closest_admitted(
        self,
        segments: list[_Segment],
        admitted: list[frozenset[int]],
        token: str,
        admitted_frequency: Callable[[str], int],
    ) -> str | None:
        spelling = self.spec.spelling_field
        candidates: set[str] = set()
        for segment, allowed in zip(segments, admitted, strict=True):
            if allowed:
                candidates.update(
                    segment.reader.terms_within(spelling, token, SUGGEST_MAX_EDITS, prefix=1)
                )
        candidates.discard(token)
        ranked = []
        for candidate in candidates:
            frequency = admitted_frequency(candidate)
            if frequency:
                ranked.append((edit_distance(candidate, token), -frequency, candidate))
        return min(ranked)[2] if ranked else None


def _postings_with_weights(matcher: Any) -> tuple[list[int], list[float]]:
    """Every (docnum, term frequency) of a term in one segment.

    Reads whole posting blocks through the whoosh 2.7.4 codec's block attributes (the
    version is pinned): stepping posting by posting through the public matcher API costs
    a Python call per posting, tens of milliseconds for a common word. Deleted documents
    may be included; the caller only looks up documents it matched.
    """
    leaf = getattr(matcher, "child", matcher)  # unwrap the deletion filter
    ids: list[int] = []
    weights: list[float] = []
    if all(hasattr(leaf, name) for name in ("_read_ids", "_read_weights", "_next_block")):
        while leaf.is_active():
            leaf._read_ids()
            leaf._read_weights()
            ids.extend(leaf._ids)
            weights.extend(leaf._weights)
            leaf._next_block()
        return ids, weights
    while matcher.is_active():  # any other matcher: the public, slower way
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return ids, weights


_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)


def _field_lengths(reader: Any, fieldname: str, size: int) -> np.ndarray:
    """Every document's length in a field, read as one column (whoosh 2.7.4 codec)."""
    try:
        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is not None:
            codes = np.fromiter(column, dtype=np.uint8, count=size)
            return _LENGTH_OF_BYTE[codes]
    except (AttributeError, TypeError, ValueError):
        pass
    return np.fromiter(  # any other codec: the public, slower way
        (reader.doc_field_length(d, fieldname, 0) for d in range(size)),
        dtype=np.float32,
        count=size,
    )


def _top(values: np.ndarray, count: int) -> np.ndarray:
    """Indexes of the `count` largest values, largest first (stable for equal values)."""
    if len(values) > count:
        candidates = np.argpartition(-values, count - 1)[:count]
    else:
        candidates = np.arange(len(values))
    return candidates[np.argsort(-values[candidates], kind="stable")]

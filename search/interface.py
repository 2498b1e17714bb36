"""The engine's small interface: what an index holds, what a search asks, what it answers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from whoosh.fields import Schema

from search.filters import Filter

#: How deep into a ranking a search may page: past it, a query should be narrowed.
MAX_OFFSET = 1000


@dataclass(frozen=True)
class RangeWord:
    """A query word that speaks of a number rather than the text ("senior": years of
    experience): it stops being required, still scores where the text holds it, and a
    document whose `field` lies in [low, high] ranks higher."""

    field: str
    low: float | None = None
    high: float | None = None


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
    range_words: Mapping[str, RangeWord] = field(default_factory=dict)
    """Words (lower case) that rank by a numeric column instead of matching: see `RangeWord`."""


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
    autocorrect: bool = False
    """When nothing matches and a spelling suggestion does, search the suggestion instead
    (the result says so in `corrected_query`)."""


@dataclass(frozen=True)
class ScoreParts:
    """Why a document scored what it did."""

    fields: tuple[tuple[str, float], ...]
    """Each field that matched and its BM25 share, boost included."""
    nice_to_have: float
    """What nice-to-have terms (`SearchRequest.boost_terms`) added."""
    range_fits: bool | None
    """Whether the document fits the query's range words; None when it has none."""
    recency_factor: float


@dataclass(frozen=True)
class Hit:
    id: str
    score: float
    highlights: dict[str, str]
    matched_skills: tuple[str, ...] = ()
    matched_fields: tuple[str, ...] = ()
    """The fields holding a word of the query (whether or not they scored)."""
    score_parts: ScoreParts | None = None
    """Why it scored so; None when the results are not ranked by relevance."""


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
    corrected_query: str | None = None
    """The query searched instead of the one given, which matched nothing (autocorrect)."""

"""The engine's small interface: what an index holds, what a search asks, what it answers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from whoosh.fields import Schema

from search.filters import Filter

#: How deep into a ranking a search may page: past it, a query should be narrowed.
MAX_OFFSET = 1000


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

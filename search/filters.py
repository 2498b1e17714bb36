"""Filters: plain data the caller builds, evaluated per segment as sets of document numbers."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from search.segments import Segment


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


def evaluate(segment: Segment, spec_filter: Filter) -> frozenset[int]:
    """The segment's documents the filter admits (deleted ones included: the caller drops
    them); nested filters go through the segment's cache."""
    if isinstance(spec_filter, Terms):
        return _terms(segment, spec_filter)
    if isinstance(spec_filter, Range):
        values = segment.numbers(spec_filter.field)
        low = -math.inf if spec_filter.low is None else spec_filter.low
        high = math.inf if spec_filter.high is None else spec_filter.high
        return frozenset(np.nonzero((values >= low) & (values <= high))[0].tolist())
    if isinstance(spec_filter, AllOf):
        result = segment.live()
        for item in spec_filter.filters:
            result = result & segment.filter_set(item)
            if not result:
                break
        return result
    if isinstance(spec_filter, AnyOf):
        union: set[int] = set()
        for item in spec_filter.filters:
            union |= segment.filter_set(item)
        return frozenset(union)
    if isinstance(spec_filter, NoneOf):
        excluded: set[int] = set()
        for item in spec_filter.filters:
            excluded |= segment.filter_set(item)
        return segment.live() - excluded
    raise TypeError(f"not a filter: {spec_filter!r}")  # pragma: no cover


def _terms(segment: Segment, spec_filter: Terms) -> frozenset[int]:
    if spec_filter.mode == "all":
        result: frozenset[int] | None = None
        for value in spec_filter.values:
            matched: set[int] = set()
            for term in _index_terms(segment, spec_filter.field, [value]):
                matched |= segment.term_set(spec_filter.field, term)
            result = frozenset(matched) if result is None else result & matched
        return result if result is not None else segment.live()
    union: set[int] = set()
    for term in _index_terms(segment, spec_filter.field, spec_filter.values):
        union |= segment.term_set(spec_filter.field, term)
    return frozenset(union)


def _index_terms(segment: Segment, fieldname: str, values: Iterable[str]) -> list[str]:
    """The terms a filter's values stand for: keyword fields compare case-folded."""
    if fieldname in segment.spec.keyword_fields:
        return [t for v in values for t in segment.folded_terms(fieldname, v)]
    return list(values)

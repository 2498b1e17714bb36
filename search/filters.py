"""Filters: plain data the caller builds, evaluated per segment as sets of document numbers."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from search.docsets import Docs

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


def evaluate(segment: Segment, spec_filter: Filter) -> Docs:
    """The segment's documents the filter admits, deleted ones included (the caller drops
    them, see `Segment.filter_set`); nested filters go through the segment's cache."""
    if isinstance(spec_filter, Terms):
        return _terms(segment, spec_filter)
    if isinstance(spec_filter, Range):
        values = segment.numbers(spec_filter.field)
        low = -math.inf if spec_filter.low is None else spec_filter.low
        high = math.inf if spec_filter.high is None else spec_filter.high
        return np.flatnonzero((values >= low) & (values <= high)).astype(np.int32)
    if isinstance(spec_filter, AllOf):
        result = segment.every()
        for item in spec_filter.filters:
            result = segment.intersect(result, segment.filter_set_with_deleted(item))
            if not len(result):
                break
        return result
    if isinstance(spec_filter, AnyOf):
        return segment.union(
            [segment.filter_set_with_deleted(item) for item in spec_filter.filters]
        )
    if isinstance(spec_filter, NoneOf):
        excluded = segment.union(
            [segment.filter_set_with_deleted(item) for item in spec_filter.filters]
        )
        return segment.difference(segment.every(), excluded)
    raise TypeError(f"not a filter: {spec_filter!r}")  # pragma: no cover


def _terms(segment: Segment, spec_filter: Terms) -> Docs:
    def holding(values: Iterable[str]) -> Docs:
        terms = _index_terms(segment, spec_filter.field, values)
        return segment.union([segment.term_set(spec_filter.field, term) for term in terms])

    if spec_filter.mode == "all":
        result: Docs | None = None
        for value in spec_filter.values:
            matched = holding([value])
            result = matched if result is None else segment.intersect(result, matched)
        return result if result is not None else segment.every()
    return holding(spec_filter.values)


def _index_terms(segment: Segment, fieldname: str, values: Iterable[str]) -> list[str]:
    """The terms a filter's values stand for: keyword fields compare case-folded."""
    if fieldname in segment.spec.keyword_fields:
        return [t for v in values for t in segment.folded_terms(fieldname, v)]
    return list(values)

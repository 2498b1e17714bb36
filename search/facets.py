"""Facets: values counted with numpy over per-segment value arrays, matches only."""

from __future__ import annotations

from collections import Counter

import numpy as np

from search.analysis import normalize
from search.docsets import Docs
from search.interface import Facet, IndexSpec
from search.segments import Segment


def count_facet(
    spec: IndexSpec, name: str, segments: list[Segment], matched: list[Docs], limit: int
) -> Facet:
    """The `limit` commonest values of a facet among the matched documents."""
    fieldname = spec.facet_fields[name]
    counts: Counter[str] = Counter()
    for segment, docs in zip(segments, matched, strict=True):
        if not len(docs):
            continue
        per_document, values, terms = segment.value_arrays(fieldname)
        if not terms:
            continue
        selected = np.zeros(segment.size, dtype=bool)
        selected[docs] = True
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
    best = sorted(totals, key=lambda item: (-item[0], item[1]))[:limit]
    return Facet(name=name, values=tuple((value, count) for count, value in best))

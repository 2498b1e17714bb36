"""Ranking: BM25 per field with field boosts (as Whoosh's BM25F), times a bounded recency
factor, computed with numpy over the matched documents only.

Term frequencies and field lengths come from per-segment arrays (see `segments`); Whoosh's
own scorer steps through every posting in Python, which costs seconds for a common word on
100k documents.
"""

from __future__ import annotations

import math
import time

import numpy as np
import numpy.typing as npt
from whoosh.searching import Searcher

from search.docsets import Docs, contains
from search.interface import IndexSpec
from search.matching import AnalyzedQuery
from search.segments import Segment

BM25_K1 = 1.2
BM25_B = 0.75
#: What a nice-to-have term (`SearchRequest.boost_terms`) adds to a document holding it.
NICE_TO_HAVE_BONUS = 2.0
MAX_PREFIX_TERMS_SCORED = 20
#: The oldest document keeps this share of its score; a fresh one keeps all of it.
RECENCY_FLOOR = 0.85
RECENCY_HALF_LIFE_DAYS = 365.0

#: (global document number, score), best first.
Page = list[tuple[int, float]]


def page_by_recency(
    spec: IndexSpec, segments: list[Segment], matched: list[Docs], wanted: int
) -> Page:
    """The `wanted` most recent matches (score 0: recency is no relevance)."""
    candidates: list[tuple[float, int]] = []
    for segment, docs in zip(segments, matched, strict=True):
        if not len(docs):
            continue
        recency = segment.numbers(spec.recency_field)
        local = docs
        best = top(recency[local], wanted)
        candidates.extend((float(recency[local[i]]), segment.offset + int(local[i])) for i in best)
    candidates.sort(key=lambda item: (-item[0], item[1]))
    return [(docnum, 0.0) for _, docnum in candidates[:wanted]]


def page_by_relevance(
    spec: IndexSpec,
    searcher: Searcher,
    segments: list[Segment],
    matched: list[Docs],
    analyzed: AnalyzedQuery,
    wanted: int,
    boost_terms: tuple[tuple[str, str], ...] = (),
) -> Page:
    """BM25 per field with boosts, summed, plus nice-to-have bonuses, times the recency
    factor: the `wanted` best matches.

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
        if not len(docs):
            continue
        local = docs
        scores = np.zeros(len(local), dtype=np.float64)
        for fieldname, text, boost, prefix in analyzed.scoring:
            terms = (
                segment.expand_prefix(fieldname, text, MAX_PREFIX_TERMS_SCORED)
                if prefix
                else [text]
            )
            saturation = None
            for term in terms:
                frequency = segment.frequencies(fieldname, term, local)
                if not frequency.any():
                    continue
                if saturation is None:
                    lengths = segment.field_lengths(fieldname)[local]
                    norm = 1 - BM25_B + BM25_B * lengths / average_length[fieldname]
                    saturation = BM25_K1 * norm
                scores += (
                    boost
                    * idf(fieldname, term)
                    * frequency
                    * (BM25_K1 + 1)
                    / (frequency + saturation)
                )
        for fieldname, value in boost_terms:
            bonus = segment.term_set(fieldname, value)
            scores += NICE_TO_HAVE_BONUS * contains(bonus, local)
        scores *= recency_factor(spec, segment.numbers(spec.recency_field)[local], now)
        for i in top(scores, wanted):
            candidates.append((float(scores[i]), segment.offset + int(local[i])))
    candidates.sort(key=lambda item: (-item[0], item[1]))
    return [(docnum, score) for score, docnum in candidates[:wanted]]


def recency_factor(
    spec: IndexSpec, updated: npt.NDArray[np.float64], now: float
) -> npt.NDArray[np.float64]:
    """Between RECENCY_FLOOR (long ago) and 1 (now), halving the distance every half-life."""
    age_days = np.maximum(0.0, now - updated * spec.recency_unit_seconds) / 86400
    factor: npt.NDArray[np.float64] = RECENCY_FLOOR + (1 - RECENCY_FLOOR) * np.power(
        0.5, age_days / RECENCY_HALF_LIFE_DAYS
    )
    return factor


def top(values: npt.NDArray[np.float64], count: int) -> npt.NDArray[np.intp]:
    """Indexes of the `count` largest values, largest first (stable for equal values)."""
    if len(values) > count:
        candidates = np.argpartition(-values, count - 1)[:count]
    else:
        candidates = np.arange(len(values))
    order: npt.NDArray[np.intp] = candidates[np.argsort(-values[candidates], kind="stable")]
    return order

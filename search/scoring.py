"""Ranking: BM25 per field with field boosts (as Whoosh's BM25F), times a bounded recency
factor, computed with numpy over the matched documents only.

Term frequencies and field lengths come from per-segment arrays (see `segments`); Whoosh's
own scorer steps through every posting in Python, which costs seconds for a common word on
100k documents.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from whoosh.searching import Searcher

from search.docsets import Docs, contains
from search.interface import IndexSpec, RangeWord, ScoreParts
from search.matching import AnalyzedQuery
from search.segments import Segment

BM25_K1 = 1.2
BM25_B = 0.75
#: What a nice-to-have term (`SearchRequest.boost_terms`) adds to a document holding it.
NICE_TO_HAVE_BONUS = 2.0
MAX_PREFIX_TERMS_SCORED = 20
#: A document whose number fits a query's range word ("senior": years) scores this much more.
RANGE_WORD_FACTOR = 1.3
#: ... and at least this much more, so a query of range words alone ("senior") ranks by them.
RANGE_WORD_FLOOR = 0.01
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


class Relevance:
    """How relevant the matches of one query are: BM25 per field with boosts, summed, plus
    nice-to-have bonuses, times the range words' factor and the recency factor.

    Statistics (document frequency, average field length) are the whole index's, as in
    Whoosh's BM25F, so a document scores the same whichever segment holds it.
    """

    def __init__(
        self,
        spec: IndexSpec,
        searcher: Searcher,
        analyzed: AnalyzedQuery,
        boost_terms: tuple[tuple[str, str], ...] = (),
        ranges: Sequence[RangeWord] = (),
    ) -> None:
        self.spec = spec
        self.searcher = searcher
        self.analyzed = analyzed
        self.boost_terms = boost_terms
        self.ranges = ranges
        self.now = time.time()
        self.total_docs = max(1, searcher.doc_count_all())
        self.average_length = {
            fieldname: max(1.0, searcher.field_length(fieldname) / self.total_docs)
            for fieldname in {f for f, _, _, _ in analyzed.scoring}
        }
        self._idf: dict[tuple[str, str], float] = {}
        self._explained: dict[int, ScoreParts] = {}

    def idf(self, fieldname: str, term: str) -> float:
        key = (fieldname, term)
        if key not in self._idf:
            frequency = self.searcher.doc_frequency(fieldname, term)
            self._idf[key] = math.log(1 + (self.total_docs - frequency + 0.5) / (frequency + 0.5))
        return self._idf[key]

    def parts(self, segment: Segment, local: Docs) -> ScoreArrays:
        """Each part of the score of the segment's documents `local`."""
        fields: dict[str, npt.NDArray[np.float64]] = {}
        for fieldname, text, boost, prefix in self.analyzed.scoring:
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
                    norm = 1 - BM25_B + BM25_B * lengths / self.average_length[fieldname]
                    saturation = BM25_K1 * norm
                part = (
                    boost
                    * self.idf(fieldname, term)
                    * frequency
                    * (BM25_K1 + 1)
                    / (frequency + saturation)
                )
                fields[fieldname] = fields[fieldname] + part if fieldname in fields else part
        bonus = np.zeros(len(local), dtype=np.float64)
        for fieldname, value in self.boost_terms:
            bonus += NICE_TO_HAVE_BONUS * contains(segment.term_set(fieldname, value), local)
        fits = None
        for wanted_range in self.ranges:
            values = segment.numbers(wanted_range.field)[local]
            inside = np.ones(len(local), dtype=bool)
            if wanted_range.low is not None:
                inside &= values >= wanted_range.low
            if wanted_range.high is not None:
                inside &= values <= wanted_range.high
            fits = inside if fits is None else fits & inside
        recency = recency_factor(
            self.spec, segment.numbers(self.spec.recency_field)[local], self.now
        )
        return ScoreArrays(fields, bonus, fits, recency)

    def page(self, segments: list[Segment], matched: list[Docs], wanted: int) -> Page:
        """The `wanted` best matches; `explain` then tells each one's parts."""
        candidates: list[tuple[float, int, ScoreArrays, int]] = []
        for segment, docs in zip(segments, matched, strict=True):
            if not len(docs):
                continue
            arrays = self.parts(segment, docs)
            scores = arrays.total()
            for i in top(scores, wanted):
                candidates.append((float(scores[i]), segment.offset + int(docs[i]), arrays, int(i)))
        candidates.sort(key=lambda item: (-item[0], item[1]))
        kept = candidates[:wanted]
        self._explained = {docnum: arrays.at(i) for _, docnum, arrays, i in kept}
        return [(docnum, score) for score, docnum, _, _ in kept]

    def explain(self, docnum: int) -> ScoreParts:
        """The parts of the score of a document `page` returned."""
        return self._explained[docnum]


@dataclass
class ScoreArrays:
    """The parts of the scores of some documents of one segment, aligned with them."""

    fields: dict[str, npt.NDArray[np.float64]]
    """BM25 of each field that scored, boost included."""
    bonus: npt.NDArray[np.float64]
    """Nice-to-have bonuses."""
    fits: npt.NDArray[np.bool_] | None
    """Whether each fits every range word; None when the query has none."""
    recency: npt.NDArray[np.float64]

    def at(self, i: int) -> ScoreParts:
        """The parts of the `i`th document's score, for a reader."""
        return ScoreParts(
            fields=tuple(
                (name, round(float(values[i]), 4))
                for name, values in self.fields.items()
                if values[i] > 0
            ),
            nice_to_have=round(float(self.bonus[i]), 4),
            range_fits=None if self.fits is None else bool(self.fits[i]),
            recency_factor=round(float(self.recency[i]), 4),
        )

    def total(self) -> npt.NDArray[np.float64]:
        scores = self.bonus.copy()
        for values in self.fields.values():
            scores += values
        if self.fits is not None:
            # times the factor, plus a little so that it ranks even where no word scored
            scores = np.where(self.fits, scores * RANGE_WORD_FACTOR + RANGE_WORD_FLOOR, scores)
        result: npt.NDArray[np.float64] = scores * self.recency
        return result


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

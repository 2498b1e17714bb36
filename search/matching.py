"""A parsed query as each field's terms, and the documents it matches in a segment.

Matching never scores: the query tree is evaluated as set algebra over per-segment posting
sets (sorted document-number arrays, see `docsets`), which the segment caches per term.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Literal

from search import docsets
from search.docsets import Docs
from search.interface import IndexSpec, RangeWord
from search.query import And, Node, Not, Or, Phrase, Word
from search.segments import Segment


class Neutral(enum.Enum):
    """What a word made only of stop words matches: it constrains nothing."""

    ALL = "all"


ALL = Neutral.ALL
Matched = Docs | Literal[Neutral.ALL]


@dataclass
class AnalyzedQuery:
    """Each word and phrase of the query, as the terms of each field it searches."""

    tree: Node | None
    word_terms: dict[Node, list[tuple[str, list[str]]]]
    scoring: list[tuple[str, str, float, bool]]
    """(field, term or prefix, boost, is_prefix) for every positive word: what ranks."""
    field_terms: dict[str, set[str]]
    """Positive terms by field: what highlights mark."""


def analyze(spec: IndexSpec, tree: Node | None) -> AnalyzedQuery:
    """Run each word and phrase through the analyzer of every field it searches."""
    word_terms: dict[Node, list[tuple[str, list[str]]]] = {}
    field_terms: dict[str, set[str]] = {}
    scoring: dict[tuple[str, str, bool], float] = {}

    def fields_for(node: Word | Phrase) -> list[tuple[str, float]]:
        if node.field is None:
            return list(spec.default_fields.items())
        return [(name, 1.0) for name in spec.field_aliases[node.field]]

    def tokens(fieldname: str, text: str) -> list[str]:
        analyzer = spec.schema[fieldname].analyzer
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
    return AnalyzedQuery(
        tree=tree,
        word_terms=word_terms,
        scoring=[(f, t, boost, prefix) for (f, t, prefix), boost in scoring.items()],
        field_terms=field_terms,
    )


def split_range_words(spec: IndexSpec, tree: Node | None) -> tuple[Node | None, list[RangeWord]]:
    """The query minus its top-level range words ("senior"), which stop being required, and
    those words' ranges. A query of range words alone matches everything, ranked by them."""
    if tree is None or not spec.range_words:
        return tree, []
    items = tree.items if isinstance(tree, And) else (tree,)
    kept: list[Node] = []
    ranges: list[RangeWord] = []
    for item in items:
        found = None
        if isinstance(item, Word) and item.field is None and not item.prefix:
            found = spec.range_words.get(item.text.lower())
        if found is None:
            kept.append(item)
        else:
            ranges.append(found)
    if not ranges:
        return tree, []
    if not kept:
        return None, ranges
    return (kept[0] if len(kept) == 1 else And(tuple(kept))), ranges


def match(segment: Segment, node: Node | None, analyzed: AnalyzedQuery) -> Matched:
    """The segment's documents matching `node` (deleted ones included), or ALL."""
    if node is None:
        return ALL
    if isinstance(node, Word):
        sets = []
        for fieldname, tokens in analyzed.word_terms[node]:
            if not tokens:
                continue
            if node.prefix:
                sets.append(segment.prefix_set(fieldname, tokens[-1]))
            elif len(tokens) == 1:
                sets.append(segment.term_set(fieldname, tokens[0]))
            else:
                sets.append(segment.phrase_set(fieldname, tuple(tokens)))
        return segment.union(sets) if sets else ALL
    if isinstance(node, Phrase):
        sets = []
        for fieldname, tokens in analyzed.word_terms[node]:
            if len(tokens) == 1:
                sets.append(segment.term_set(fieldname, tokens[0]))
            elif tokens:
                sets.append(segment.phrase_set(fieldname, tuple(tokens)))
        return segment.union(sets) if sets else ALL
    if isinstance(node, And):
        result: Matched = ALL
        excluded: list[Docs] = []
        for item in node.items:
            if isinstance(item, Not):
                inner = match(segment, item.item, analyzed)
                if inner is not ALL:
                    excluded.append(inner)
                continue
            matched = match(segment, item, analyzed)
            if matched is ALL:
                continue
            result = matched if result is ALL else segment.intersect(result, matched)
        if result is ALL:
            result = segment.live()
        return segment.difference(result, segment.union(excluded)) if excluded else result
    if isinstance(node, Or):
        parts = []
        for item in node.items:
            matched = match(segment, item, analyzed)
            if matched is ALL:
                return ALL
            parts.append(matched)
        return segment.union(parts)
    if isinstance(node, Not):  # a lone NOT inside OR: everything but
        inner = match(segment, node.item, analyzed)
        return docsets.EMPTY if inner is ALL else segment.difference(segment.live(), inner)
    raise TypeError(node)  # pragma: no cover

"""Hits: stored fields of one page of results, with highlights and the skills that matched.

Only the returned page is highlighted, and only in fields the document matched.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from whoosh import highlight
from whoosh.searching import Searcher

from search.docsets import holds
from search.interface import Hit, IndexSpec, ScoreParts, SearchRequest
from search.matching import AnalyzedQuery
from search.segments import Segment
from search.terms import index_terms

MAX_HIGHLIGHT_CHARS = 4000
SHORT_TEXT = 240  # highlighted whole; longer text is cut into fragments around matches


class MarkFormatter(highlight.HtmlFormatter):  # type: ignore[misc]  # whoosh is untyped
    """Snippets with <mark>…</mark> around matches and the rest HTML-escaped."""

    def __init__(self) -> None:
        super().__init__(tagname="mark", between=" … ")

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        marked = html.escape(highlight.get_text(text, token, replace), quote=False)
        return f"<mark>{marked}</mark>"


def make_hit(
    spec: IndexSpec,
    searcher: Searcher,
    segments: list[Segment],
    docnum: int,
    score: float,
    analyzed: AnalyzedQuery,
    request: SearchRequest,
    score_parts: ScoreParts | None = None,
) -> Hit:
    """One result: its id, score, highlights, matched skills and fields, and why it scored."""
    stored = searcher.stored_fields(docnum)
    segment = next(s for s in reversed(segments) if s.offset <= docnum)
    local = docnum - segment.offset
    highlights: dict[str, str] = {}
    if request.highlight and analyzed.field_terms:
        highlights = _highlights(spec, segment, local, stored, analyzed)
    if score_parts is not None:  # the fields that scored are the fields that matched
        matched_fields = tuple(fieldname for fieldname, _ in score_parts.fields)
    else:
        matched_fields = tuple(
            fieldname
            for fieldname, terms in analyzed.field_terms.items()
            if any(holds(segment.term_set(fieldname, term), local) for term in terms)
        )
    matched_skills: tuple[str, ...] = ()
    skill_field = spec.skill_field
    if skill_field and skill_field in analyzed.field_terms:
        terms = analyzed.field_terms[skill_field]
        matched_skills = tuple(
            skill
            for skill in stored.get(skill_field, "").split("\n")
            if skill and _skill_terms(spec, skill_field, skill) & terms
        )
    return Hit(
        id=stored[spec.unique_field],
        score=round(score, 4),
        highlights=highlights,
        matched_skills=matched_skills,
        matched_fields=matched_fields,
        score_parts=score_parts,
    )


#: Each written skill's terms, by index and field: hits repeat the same few thousand skills.
_SKILL_TERMS: dict[tuple[str, str, str], frozenset[str]] = {}
_SKILL_TERMS_KEPT = 50_000


def _skill_terms(spec: IndexSpec, fieldname: str, skill: str) -> frozenset[str]:
    key = (spec.name, fieldname, skill)
    found = _SKILL_TERMS.get(key)
    if found is None:
        if len(_SKILL_TERMS) >= _SKILL_TERMS_KEPT:
            _SKILL_TERMS.clear()
        found = frozenset(t.text for t in spec.schema[fieldname].analyzer(skill))
        _SKILL_TERMS[key] = found
    return found


def _highlights(
    spec: IndexSpec,
    segment: Segment,
    local: int,
    stored: dict[str, Any],
    analyzed: AnalyzedQuery,
) -> dict[str, str]:
    highlights: dict[str, str] = {}
    for fieldname in spec.highlight_fields:
        text = stored.get(fieldname)
        terms = analyzed.field_terms.get(fieldname)
        if not text or not terms:
            continue
        if not any(holds(segment.term_set(fieldname, term), local) for term in terms):
            continue  # nothing to mark here: skip re-analysing the text
        text = text[:MAX_HIGHLIGHT_CHARS]
        fragmenter = (
            highlight.WholeFragmenter()
            if len(text) <= SHORT_TEXT
            else highlight.ContextFragmenter(maxchars=200, surround=60)
        )
        snippet = _highlight(text, terms, spec.schema[fieldname].analyzer, fragmenter)
        if snippet:
            highlights[fieldname] = snippet
    return highlights


def _highlight(text: str, terms: set[str], analyzer: Any, fragmenter: highlight.Fragmenter) -> str:
    """`text`'s two best fragments with `terms` marked: Whoosh's `highlight.highlight`,
    except that its tokens are read a word at a time (`IndexTerms.highlight_tokens`) where
    the analyzer allows (its chain of generators per token was most of a search's time for
    a page of twenty long postings), a long text's fragments are made without a token per
    word (`IndexTerms.context_fragments`: half the time for a 4,000-character text with a
    few matches), and ties go to the earlier fragment."""
    termset = frozenset(terms)
    words = index_terms(analyzer)
    if (
        words is not None
        and type(fragmenter) is highlight.ContextFragmenter
        and (not fragmenter.charlimit or len(text) <= fragmenter.charlimit)
    ):
        fragments = words.context_fragments(
            text, termset, maxchars=fragmenter.maxchars, surround=fragmenter.surround
        )
        return str(MarkFormatter()(text, _best_fragments(fragments)))
    tokens = (
        words.highlight_tokens(text, termset)
        if words is not None
        else highlight.set_matched_filter(
            analyzer(text, chars=True, mode="query", removestops=False), termset
        )
    )
    marked: str = MarkFormatter()(text, _best_fragments(fragmenter.fragment_tokens(text, tokens)))
    return marked


def _best_fragments(fragments: Iterable[Any], count: int = 2) -> list[Any]:
    """Whoosh's `top_fragments` with its basic scorer: the `count` best scored fragments
    with at least one match, in text order. Whoosh breaks ties between equal scores by the
    fragments' memory addresses, so one document could show different snippets from one
    search to the next; here the earlier fragment wins."""
    scorer = highlight.BasicFragmentScorer()
    scored = sorted(
        ((scorer(fragment), fragment) for fragment in fragments),
        key=lambda pair: (-pair[0], pair[1].startchar),
    )
    best = [fragment for score, fragment in scored[:count] if score >= 1]
    best.sort(key=highlight.FIRST)
    return best

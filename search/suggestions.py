""" "Did you mean": misspelled words replaced by the closest words the viewer may see."""

from __future__ import annotations

from collections.abc import Callable

from whoosh.support.levenshtein import distance as edit_distance

from search.docsets import Docs
from search.interface import IndexSpec
from search.query import Node, words_of
from search.segments import Segment

SUGGEST_MAX_EDITS = 2


def suggest(
    spec: IndexSpec,
    segments: list[Segment],
    admitted: list[Docs],
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
    spelling = spec.spelling_field
    analyzer = spec.schema[spelling].analyzer

    def admitted_frequency(word: str) -> int:
        return sum(
            len(segment.intersect(segment.term_set(spelling, word), allowed))
            for segment, allowed in zip(segments, admitted, strict=True)
            if len(allowed)
        )

    replacements: list[tuple[int, int, str]] = []
    for word in words_of(tree):
        tokens = [t.text for t in analyzer(word.text)]
        if len(tokens) != 1 or admitted_frequency(tokens[0]) > 0:
            continue
        correction = _closest_admitted(spec, segments, admitted, tokens[0], admitted_frequency)
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
    spec: IndexSpec,
    segments: list[Segment],
    admitted: list[Docs],
    token: str,
    admitted_frequency: Callable[[str], int],
) -> str | None:
    spelling = spec.spelling_field
    candidates: set[str] = set()
    for segment, allowed in zip(segments, admitted, strict=True):
        if len(allowed):
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

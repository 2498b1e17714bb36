"""A text field's index terms worked out a word at a time, instead of a token stream per text.

Whoosh indexes a text by running every token through its analyzer's chain of generators
(tokenizer, lower case, accents, stop words, stemmer, synonyms) and then through its format's
own loop: a third of a rebuild's time for our resumes. The filters our analyzers use change
each token alone, so the term a word becomes depends on the word only: `IndexTerms` runs the
real chain once per distinct word, remembers the answer, and reproduces the positions Whoosh
would give (dropped words leave a gap, except where a renumbering StopFilter closes it).
`Text` is Whoosh's TEXT field with that path for indexing, and highlights read their tokens
the same way (`highlight_tokens`, and `context_fragments` for a long text's fragments);
queries still run the analyzer itself. tests/search/test_terms.py checks both paths give the
same postings, and tests/search/test_highlighting.py the same highlighting tokens and
fragments. (`Text` is named in the schema
pickled into every index's table of contents: moving or renaming it makes existing indexes
unreadable, and the indexer then rebuilds them.)
"""

from __future__ import annotations

import pickle
import re
import threading
import weakref
from collections.abc import Iterable, Iterator
from operator import sub
from pickle import dumps
from typing import Any, cast

from whoosh import fields, formats
from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    CompositeAnalyzer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.analysis.acore import Token
from whoosh.highlight import mkfrag
from whoosh.system import pack_uint

from search.analysis import SkillSynonymFilter

#: Filters whose output for a token depends on that token's text alone.
_PER_WORD = (LowercaseFilter, CharsetFilter, StemFilter, StopFilter, SkillSynonymFilter)
#: Of those, the ones that may drop a word.
_DROPPING = (StopFilter, SkillSynonymFilter)

#: Words remembered per analyzer before the memory starts afresh (a few tens of megabytes at
#: most: a server indexing for months must not grow with every word it has ever seen).
CACHE_WORDS = 200_000
#: What `IndexTerms.shown` has not seen yet (compared by identity).
_UNSEEN: tuple[str, bool] = ("", False)


class IndexTerms:
    """What an analyzer makes of a text when indexing: each term and its positions."""

    def __init__(self, analyzer: CompositeAnalyzer) -> None:
        tokenizer, *filters = analyzer.items
        self.expression = tokenizer.expression
        #: The same expression without capturing groups, for `findall` (which returns a
        #: pattern's groups instead of its matches when it has any); None when unknown.
        self.words = without_groups(tokenizer.expression)
        self.filters = filters
        self.renumber = any(isinstance(f, StopFilter) and f.renumber for f in filters)
        self._terms: dict[str, str | None] = {}
        self._shown: dict[str, tuple[str, bool] | None] = {}
        self._lock = threading.Lock()

    @staticmethod
    def supports(analyzer: Analyzer) -> bool:
        """Whether this path gives exactly what `analyzer` gives: a plain regex tokenizer, then
        only per-word filters, at most one of which drops words."""
        if not isinstance(analyzer, CompositeAnalyzer) or not analyzer.items:
            return False
        tokenizer, *filters = analyzer.items
        return (
            type(tokenizer) is RegexTokenizer
            and not tokenizer.gaps
            and all(type(f) in _PER_WORD for f in filters)
            and sum(isinstance(f, _DROPPING) for f in filters) <= 1
        )

    def term(self, word: str) -> str | None:
        """The term `word` becomes, or None when the chain drops it."""
        known = self._terms.get(word, "")
        if known != "" or word in self._terms:
            return known
        token = Token(positions=True, removestops=True, mode="index")
        token.text, token.pos, token.boost, token.stopped = word, 0, 1.0, False
        kept = [t.text for t in self._filtered(token) if not t.stopped]
        term = kept[0] if kept else None
        self._remember(self._terms, word, term)
        return term

    def shown(self, word: str) -> tuple[str, bool] | None:
        """What `word`'s token becomes where Whoosh's highlighter analyzes (query mode, stop
        words kept and marked): its text and whether it is a stop word; None when the chain
        drops it."""
        known = self._shown.get(word, _UNSEEN)
        if known is not _UNSEEN:
            return known
        token = Token(chars=True, removestops=False, mode="query")
        token.text, token.boost, token.stopped = word, 1.0, False
        token.startchar, token.endchar = 0, len(word)
        kept = [(t.text, t.stopped) for t in self._filtered(token)]
        shown = kept[0] if kept else None
        self._remember(self._shown, word, shown)
        return shown

    def _filtered(self, token: Token) -> Iterator[Token]:
        """One word's token through the analyzer's filters (the real chain, run once)."""
        stream: Iterator[Token] = iter((token,))
        for each in self.filters:
            stream = each(stream)
        return stream

    def _remember(self, memory: dict[str, Any], word: str, value: Any) -> None:
        with self._lock:
            if len(memory) >= CACHE_WORDS:
                memory.clear()  # bounded: a server running for months sees every word
            memory[word] = value

    def highlight_tokens(self, text: str, terms: frozenset[str]) -> Iterator[Token]:
        """The token stream Whoosh's `highlight` reads from the analyzer, each token marked
        `matched` when its text is one of `terms` (its `set_matched_filter`): one reused
        token, as Whoosh's tokenizer yields, so a reader copies the ones it keeps."""
        token = Token(chars=True, removestops=False, mode="query")
        token.boost = 1.0
        known = self._shown.get
        shown = self.shown
        for match in self.expression.finditer(text):
            word = match.group(0)
            analyzed = known(word, _UNSEEN)
            if analyzed is _UNSEEN:
                analyzed = shown(word)
            if analyzed is None:
                continue
            token.text, token.stopped = analyzed
            token.startchar, token.endchar = match.span()
            token.matched = token.text in terms
            yield token

    def context_fragments(
        self, text: str, terms: frozenset[str], *, maxchars: int, surround: int
    ) -> list[Any]:
        """The fragments Whoosh's `ContextFragmenter(maxchars, surround)` makes of
        `highlight_tokens(text, terms)`, for a text within its character limit, without a token
        per word: words are matched and looked up in bulk, and the fragmenter's steps run only
        for the words in and just before a fragment. Between fragments the fragmenter only
        remembers where the words of the last `surround` characters start, which is known
        from the word before the next match. tests/search/test_highlighting.py holds it to
        Whoosh's fragmenter."""
        found = list(self.expression.finditer(text))
        words = [match.group(0) for match in found]
        analyzed = list(map(self._shown.get, words, [_UNSEEN] * len(words)))
        for n, shown in enumerate(analyzed):
            if shown is _UNSEEN:
                analyzed[n] = self.shown(words[n])
        if None in analyzed:  # dropped words are no tokens
            found = [match for match, shown in zip(found, analyzed, strict=True) if shown]
            analyzed = [shown for shown in analyzed if shown]
        shown_words = cast(list[tuple[str, bool]], analyzed)
        matched = [n for n, (word, _) in enumerate(shown_words) if word in terms]
        spans = [match.span() for match in found]
        fragments: list[Any] = []
        first: int | None = None  # where the fragment being made starts
        before: int | None = None  # where the words of the last `surround` characters start
        countdown = -1  # < 0: between fragments; else the characters the fragment has left
        tokens: list[Token] = []
        currentlen = 0
        endchar = 0
        n = 0
        upcoming = iter(matched)
        count = len(spans)
        while n < count:
            if countdown < 0:
                # Between fragments the fragmenter only keeps where the words within
                # `surround` characters of the last word's end start (`firsts`): skip to the
                # next match and work that out from the words before it.
                following = next(upcoming, count)
                while following < n:  # a match a fragment took
                    following = next(upcoming, count)
                if following == count:
                    break
                before = None
                limit = spans[following - 1][1] - surround if following > n else 0
                for k in range(following - 1, n - 1, -1):
                    if spans[k][0] < limit:
                        break
                    before = spans[k][0]
                n = following
            startchar, endchar = spans[n]
            length = endchar - startchar
            if currentlen + length > maxchars:
                countdown = 0
            elif shown_words[n][0] in terms:
                countdown = surround
                if first is None:
                    if before is not None:
                        first = before
                    else:
                        first = startchar
                        countdown += surround
                token = Token(chars=True, removestops=False, mode="query")
                token.text, token.stopped = shown_words[n]
                token.boost, token.matched = 1.0, True
                token.startchar, token.endchar = startchar, endchar
                tokens.append(token)
            if countdown >= 0:
                currentlen += length
                countdown -= length
                if countdown <= 0:
                    fragments.append(mkfrag(text, tokens, startchar=first, endchar=endchar))
                    tokens = []
                    before = first = None
                    currentlen = 0
            n += 1
        if tokens:
            fragments.append(mkfrag(text, tokens, startchar=first, endchar=endchar))
        return fragments

    def positions(self, text: str) -> dict[str, list[int]]:
        """Each term of `text` with the positions Whoosh's analyzer would give it."""
        if self.words is None:
            words: Iterable[str] = (match.group(0) for match in self.expression.finditer(text))
        else:
            words = self.words.findall(text)
        found: dict[str, list[int]] = {}
        known = self._terms.get
        term_of = self.term
        renumber = self.renumber
        kept = -1
        for position, word in enumerate(words):
            term = known(word, "")
            if term == "":
                term = term_of(word)
            if term is None:
                continue
            if renumber:
                # StopFilter(renumber=True): the first kept word keeps its place, each later
                # one follows the one before.
                kept = position if kept < 0 else kept + 1
                position = kept
            places = found.get(term)
            if places is None:
                found[term] = [position]
            else:
                places.append(position)
        return found


#: Tokenizer patterns with capturing groups, and a pattern without groups that matches the
#: same words. Whoosh's default word pattern (`whoosh.analysis.tokenizers.default_pattern`):
#: after a greedy run of word characters, a repetition without its dot can never match (the
#: next character is not one), so the dot is never optional in effect; the pattern that
#: says so runs a tenth faster (tests/search/test_terms.py compares the two).
_NON_CAPTURING = {r"\w+(\.?\w+)*": r"\w+(?:\.\w+)*"}


def without_groups(expression: re.Pattern[str]) -> re.Pattern[str] | None:
    if not expression.groups:
        return expression
    plain = _NON_CAPTURING.get(expression.pattern)
    return None if plain is None else re.compile(plain, expression.flags)


#: The IndexTerms of each analyzer object alive, and of each distinct analyzer: a writer's
#: schema is unpickled from the index's table of contents each time one opens, so equal
#: analyzers arrive as new objects, and must share one memory of words.
_by_analyzer: dict[int, IndexTerms | None] = {}
_by_signature: dict[bytes, IndexTerms | None] = {}
_SIGNATURES = 64


def index_terms(analyzer: Analyzer) -> IndexTerms | None:
    """The shared `IndexTerms` of an analyzer, or None when it needs Whoosh's own path."""
    key = id(analyzer)
    try:
        return _by_analyzer[key]
    except KeyError:
        pass
    signature = pickle.dumps(analyzer, protocol=pickle.HIGHEST_PROTOCOL)
    if signature not in _by_signature:
        if len(_by_signature) >= _SIGNATURES:
            _by_signature.clear()
        _by_signature[signature] = IndexTerms(analyzer) if IndexTerms.supports(analyzer) else None
    terms = _by_signature[signature]
    _by_analyzer[key] = terms
    # the entry goes with its object, before another object can take its id
    weakref.finalize(analyzer, _by_analyzer.pop, key, None)
    return terms


#: Positions.encode([n]) for the first few thousand positions (the same for every field).
_ONE_PLACE: dict[int, bytes] = {}
_ONE_PLACE_LIMIT = range(4096)


def _encode_positions(places: list[int]) -> bytes:
    """`formats.Positions.encode`: the count, then the pickled gaps between positions."""
    count: bytes = pack_uint(len(places))
    return count + dumps(list(map(sub, places, [0, *places[:-1]])), 2)


class Text(fields.TEXT):  # type: ignore[misc]  # whoosh is untyped
    """Whoosh's TEXT, indexing through `IndexTerms` where its analyzer and format allow."""

    def postings(self, value: Any) -> list[tuple[str, int, float, bytes]] | None:
        """Each term of `value` with its frequency, weight and encoded value, as Whoosh's
        format would index them; None where only Whoosh's own path applies."""
        terms = index_terms(self.analyzer)
        format_ = self.format
        kind = type(format_)
        if terms is None or not isinstance(value, str):
            return None
        boost = format_.field_boost
        found: list[tuple[str, int, float, bytes]] = []
        add = found.append
        once = boost * 1.0  # one object shared by the postings of words that occur once
        if kind is formats.Positions:
            encode = _encode_positions
            for term, places in terms.positions(value).items():
                count = len(places)
                if count == 1:
                    # most words occur once: their encoding depends on the position alone
                    encoded = _ONE_PLACE.get(places[0])
                    if encoded is None:
                        encoded = encode(places)
                        if places[0] in _ONE_PLACE_LIMIT:
                            _ONE_PLACE[places[0]] = encoded
                    add((term, 1, once, encoded))
                else:
                    add((term, count, count * 1.0 * boost, encode(places)))
        elif kind is formats.Frequency:
            for term, places in terms.positions(value).items():
                count = len(places)
                add((term, count, count * 1.0 * boost, pack_uint(count)))
        else:
            return None
        return found

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        found = None if kwargs else self.postings(value)
        if found is None:
            yield from super().index(value, **kwargs)
            return
        for term, count, weight, encoded in found:
            yield term.encode("utf-8"), count, weight, encoded

"""Highlights read their tokens a word at a time (`IndexTerms.highlight_tokens`): for every
highlighted field of the three indexes, any text and any terms, the tokens Whoosh's
`highlight.highlight` reads through the analyzer's chain of generators, so the same
snippets; and of fragments that score alike, the earlier ones are shown, every time."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import highlight
from whoosh.analysis import LowercaseFilter, RegexTokenizer

from search import highlighting
from search.candidates import CANDIDATES
from search.directory import DIRECTORY
from search.highlighting import SHORT_TEXT, MarkFormatter, _highlight
from search.interface import IndexSpec
from search.jobs import JOBS
from search.terms import index_terms
from tests.search.test_terms import EDGES, sample_texts


def fragmenter_for(text: str) -> Any:
    """The fragmenters `search.highlighting` uses: whole short texts, context in long ones."""
    if len(text) <= SHORT_TEXT:
        return highlight.WholeFragmenter()
    return highlight.ContextFragmenter(maxchars=200, surround=60)


def whoosh_tokens(text: str, terms: set[str], analyzer: Any) -> list[tuple[Any, ...]]:
    """The tokens Whoosh's `highlight.highlight` reads, marked as it marks them."""
    stream = analyzer(text, chars=True, mode="query", removestops=False)
    return [
        (t.text, t.startchar, t.endchar, t.matched, t.stopped, t.boost)
        for t in highlight.set_matched_filter(stream, frozenset(terms))
    ]


def word_tokens(text: str, terms: set[str], analyzer: Any) -> list[tuple[Any, ...]]:
    words = index_terms(analyzer)
    assert words is not None
    return [
        (t.text, t.startchar, t.endchar, t.matched, t.stopped, t.boost)
        for t in words.highlight_tokens(text, frozenset(terms))
    ]


def both_snippets(
    text: str, terms: set[str], analyzer: Any, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, str]:
    """The snippet from the word path, and from Whoosh's token stream (the fallback)."""
    words = _highlight(text, terms, analyzer, fragmenter_for(text))
    with monkeypatch.context() as patched:
        patched.setattr(highlighting, "index_terms", lambda analyzer: None)
        whoosh = _highlight(text, terms, analyzer, fragmenter_for(text))
    return words, whoosh


def query_terms(analyzer: Any, text: str) -> set[str]:
    """Terms a query would look for: the analyzed words of `text`, stop words out."""
    return {token.text for token in analyzer(text, mode="query")}


def highlighted_fields() -> list[tuple[str, Any]]:
    specs: list[IndexSpec] = [CANDIDATES, JOBS, DIRECTORY]
    return [
        (f"{spec.name}.{name}", spec.schema[name].analyzer)
        for spec in specs
        for name in spec.highlight_fields
    ]


FIELDS = highlighted_fields()
LONG = " ".join(
    f"Worked on {word} systems, then the {word} team. Led engineers building Python services."
    for word in ("payments", "search", "python", "the", "C++", "Zoë", "node.js")
)


@pytest.mark.parametrize(("name", "analyzer"), FIELDS, ids=[name for name, _ in FIELDS])
def test_every_highlighted_field_reads_whoosh_s_tokens_a_word_at_a_time(
    name: str, analyzer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert index_terms(analyzer) is not None, f"{name} would fall back to Whoosh's path"
    for text in [*EDGES[:-1], *sample_texts(), LONG, LONG * 3]:
        for query in ("python", "engineering engineers", "the", "C++ node.js", "zoe", "work"):
            terms = query_terms(analyzer, query) | {query.split()[0].lower()}
            assert word_tokens(text, terms, analyzer) == whoosh_tokens(text, terms, analyzer)
            words, whoosh = both_snippets(text, terms, analyzer, monkeypatch)
            assert words == whoosh, (name, query, text[:80])


WORDS = st.sampled_from(
    ["the", "and", "of", "a", "I", "engineering", "Engineers", "engineer", "C++", "c#", ".net",
     "node.js", "K8S", "js", "Zoë", "ÅNGSTRÖM", "v1.2", "x_y", "42", "", " ", ".", ",", "-",
     "\n", "née", "Python", "pythonic"]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(st.one_of(WORDS, st.text(max_size=12)), max_size=120),
    separators=st.lists(st.sampled_from([" ", "  ", ", ", ". ", "\n", "-", ""]), max_size=120),
    query=st.lists(st.one_of(WORDS, st.text(max_size=8)), min_size=1, max_size=4),
)
def test_any_text_and_terms_give_whoosh_s_tokens(
    words: list[str], separators: list[str], query: list[str]
) -> None:
    text = "".join(w + (separators[i] if i < len(separators) else " ") for i, w in enumerate(words))
    for _, analyzer in FIELDS:
        terms = query_terms(analyzer, " ".join(query)) | {query[0].lower()}
        assert word_tokens(text, terms, analyzer) == whoosh_tokens(text, terms, analyzer), text


def test_a_snippet_is_whoosh_s_where_no_two_fragments_tie() -> None:
    analyzer = JOBS.schema["description"].analyzer
    text = LONG.replace("search systems", "search and python systems")  # one best fragment
    terms = query_terms(analyzer, "python search")
    whoosh = highlight.highlight(
        text, terms, analyzer, fragmenter_for(text), MarkFormatter(), top=2
    )
    assert _highlight(text, terms, analyzer, fragmenter_for(text)) == whoosh
    assert "<mark>search</mark> and <mark>python</mark>" in whoosh


def test_of_fragments_that_tie_the_earlier_ones_are_shown_every_time() -> None:
    analyzer = JOBS.schema["description"].analyzer
    filler = " ".join(["lorem ipsum dolor sit amet"] * 12)
    text = " ".join(f"Chapter {n} mentions python once. {filler}" for n in range(1, 6))
    terms = query_terms(analyzer, "python")

    snippets = {_highlight(text, terms, analyzer, fragmenter_for(text)) for _ in range(20)}

    assert len(snippets) == 1
    (snippet,) = snippets
    assert "Chapter 1 mentions <mark>python</mark>" in snippet
    assert "Chapter 2 mentions <mark>python</mark>" in snippet
    assert "Chapter 3" not in snippet


def test_an_analyzer_the_word_path_cannot_reproduce_keeps_whoosh_s_tokens() -> None:
    analyzer = RegexTokenizer(r"\s+", gaps=True) | LowercaseFilter()  # the text between matches
    assert index_terms(analyzer) is None
    text = "Python, engineers"
    terms = {"python,"}
    whoosh = highlight.highlight(text, terms, analyzer, fragmenter_for(text), MarkFormatter())
    assert _highlight(text, terms, analyzer, fragmenter_for(text)) == whoosh
    assert whoosh == "<mark>Python,</mark> engineers"


def fragments(found: list[Any]) -> list[tuple[Any, ...]]:
    return [
        (
            f.startchar,
            f.endchar,
            [(t.text, t.startchar, t.endchar, t.matched, t.stopped, t.boost) for t in f.matches],
        )
        for f in found
    ]


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.one_of(WORDS, st.text(max_size=30)), max_size=150),
    separators=st.lists(st.sampled_from([" ", "  ", ", ", ". ", "\n", "-", ""]), max_size=150),
    query=st.lists(st.one_of(WORDS, st.text(max_size=8)), min_size=1, max_size=4),
    maxchars=st.integers(min_value=1, max_value=250),
    surround=st.integers(min_value=0, max_value=80),
)
def test_context_fragments_are_whoosh_s_for_any_text_terms_and_sizes(
    words: list[str],
    separators: list[str],
    query: list[str],
    maxchars: int,
    surround: int,
) -> None:
    """Whoosh's fragmenter over the words' tokens and the fragments made without them agree
    on every fragment (its bounds and matches), whatever the fragments' sizes: tokens longer
    than a fragment, a countdown that ends exactly on a word, matches back to back."""
    text = "".join(w + (separators[i] if i < len(separators) else " ") for i, w in enumerate(words))
    fragmenter = highlight.ContextFragmenter(maxchars=maxchars, surround=surround)
    for _, analyzer in FIELDS:
        terms = frozenset(query_terms(analyzer, " ".join(query)) | {query[0].lower()})
        words_path = index_terms(analyzer)
        assert words_path is not None
        whoosh = fragmenter.fragment_tokens(text, words_path.highlight_tokens(text, terms))
        made = words_path.context_fragments(text, terms, maxchars=maxchars, surround=surround)
        assert fragments(made) == fragments(whoosh), (text, terms, maxchars, surround)


@pytest.mark.parametrize("text", [LONG, LONG * 3, "python " * 300, "x" * 500 + " python"])
@pytest.mark.parametrize(("maxchars", "surround"), [(200, 60), (20, 5), (7, 0), (1, 80)])
def test_context_fragments_of_long_texts_are_whoosh_s(
    text: str, maxchars: int, surround: int
) -> None:
    analyzer = JOBS.schema["description"].analyzer
    words_path = index_terms(analyzer)
    assert words_path is not None
    fragmenter = highlight.ContextFragmenter(maxchars=maxchars, surround=surround)
    for query in ("python", "engineers search", "zoe", "missing"):
        terms = frozenset(query_terms(analyzer, query))
        whoosh = fragmenter.fragment_tokens(text, words_path.highlight_tokens(text, terms))
        made = words_path.context_fragments(text, terms, maxchars=maxchars, surround=surround)
        assert fragments(made) == fragments(whoosh), query


def test_a_fragment_ending_exactly_on_a_word_starts_the_next_at_its_match() -> None:
    """Whoosh's fragmenter takes the word after a fragment whose countdown ends exactly at
    zero as part of a fragment: a match there starts the next one at itself, whatever came
    before the last fragment."""
    analyzer = JOBS.schema["description"].analyzer
    words_path = index_terms(analyzer)
    assert words_path is not None
    text = "go python to python"
    terms = frozenset({"python"})
    fragmenter = highlight.ContextFragmenter(maxchars=200, surround=8)
    whoosh = fragmenter.fragment_tokens(text, words_path.highlight_tokens(text, terms))
    made = words_path.context_fragments(text, terms, maxchars=200, surround=8)
    assert fragments(made) == fragments(whoosh)
    assert [(f.startchar, f.endchar) for f in made] == [(0, 12), (13, 19)]

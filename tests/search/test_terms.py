"""search.terms: indexing a word at a time gives exactly the postings Whoosh's analyzers give."""

from __future__ import annotations

import gc
import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import fields
from whoosh.analysis import NgramFilter, RegexTokenizer, StemFilter, StopFilter

from search import terms
from search.analysis import SkillSynonymFilter, plain_analyzer, prose_analyzer, skill_analyzer
from search.candidates import CANDIDATES
from search.directory import DIRECTORY
from search.jobs import JOBS
from search.terms import IndexTerms, Text, index_terms, without_groups

SAMPLE = Path(__file__).parents[2] / "api" / "resumes" / "jsonresume" / "sample.resume.json"

EDGES = [
    "",
    "   ",
    "the",
    "The engineer and the builder",  # a stop word first: the first kept word keeps its place
    "a b c engineering engineers engineered",  # one-letter words are below StopFilter's minsize
    "C++ C# .NET node.js Node.JS k8s JS js Postgres postgres PostgreSQL",
    "Zoë Ångström façade naïve résumé ÆSIR straße İstanbul",
    "x86_64 v1.2.3 3.14 2026 ½ ² ٣ 東京 données",
    "...leading. trailing... .js. ..",
    "Python, python; PYTHON! python? pythonic pythonista",
    "e-mail co-operate re-use state-of-the-art",
    "one\ntwo\tthree\x1ffour",
    " ".join(f"word{n} the word{n % 7}" for n in range(3000)),  # positions past 4096
]


def sample_texts() -> list[str]:
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for each in value.values():
                walk(each)
        elif isinstance(value, list):
            found.append(" ".join(v for v in value if isinstance(v, str)))
            for each in value:
                walk(each)

    walk(json.loads(SAMPLE.read_text()))
    return found


def whoosh_postings(field: fields.TEXT, text: str) -> list[tuple[bytes, int, float, bytes]]:
    return sorted(fields.TEXT.index(field, text))


def text_fields() -> list[tuple[str, Text]]:
    return [
        (f"{spec.name}.{name}", field)
        for spec in (CANDIDATES, JOBS, DIRECTORY)
        for name, field in spec.schema.items()
        if isinstance(field, fields.TEXT)
    ]


@pytest.mark.parametrize(("name", "field"), text_fields(), ids=[n for n, _ in text_fields()])
def test_every_text_field_of_the_three_indexes_takes_the_fast_path_with_the_same_postings(
    name: str, field: Text
) -> None:
    # given a field of a real index schema
    assert isinstance(field, Text), f"{name} is a plain TEXT field"
    assert index_terms(field.analyzer) is not None

    # then for real resume text and edge cases, the postings equal Whoosh's own
    for text in [*EDGES, *sample_texts()]:
        assert sorted(field.index(text)) == whoosh_postings(field, text), (name, text)


WORDS = st.sampled_from(
    ["the", "and", "of", "a", "I", "engineering", "Engineers", "C++", "c#", ".net", "node.js",
     "K8S", "js", "Zoë", "ÅNGSTRÖM", "v1.2", "x_y", "42", "", " ", ".", ",", "-", "\n", "née"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.one_of(WORDS, st.text(max_size=12)), max_size=40),
    separators=st.lists(st.sampled_from([" ", "  ", ", ", ".", "\n", "-", ""]), max_size=40),
)
def test_any_text_gives_the_same_postings_on_both_paths(
    words: list[str], separators: list[str]
) -> None:
    text = "".join(w + (separators[i] if i < len(separators) else " ") for i, w in enumerate(words))
    for analyzer in (prose_analyzer(), plain_analyzer(), skill_analyzer()):
        for phrase in (True, False):
            field = Text(analyzer=analyzer, phrase=phrase, field_boost=1.5)
            assert sorted(field.index(text)) == whoosh_postings(field, text), text


@pytest.mark.parametrize(
    ("analyzer", "supported"),
    [
        (RegexTokenizer() | StemFilter() | StopFilter(), True),  # stop words after the stemmer
        (RegexTokenizer(r"\s+", gaps=True) | StopFilter(), False),  # text between matches
        (RegexTokenizer() | NgramFilter(2, 3), False),  # several terms from one word
        (RegexTokenizer() | StopFilter() | SkillSynonymFilter(), False),  # two that drop words
    ],
    ids=["stop-after-stem", "gaps", "ngrams", "two-droppers"],
)
def test_only_analyzers_it_reproduces_take_the_fast_path(analyzer: Any, supported: bool) -> None:
    field = Text(analyzer=analyzer)
    assert (index_terms(analyzer) is not None) is supported
    for text in EDGES:
        assert sorted(field.index(text)) == whoosh_postings(field, text), text


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab9_é.. ,-\n東") | st.characters(), max_size=60))
def test_the_word_pattern_without_groups_finds_the_same_words(text: str) -> None:
    # given Whoosh's default word pattern (one capturing group) and the one findall uses
    default = RegexTokenizer().expression
    plain = without_groups(default)
    assert plain is not None and plain.groups == 0

    # then both find the same words
    assert plain.findall(text) == [m.group(0) for m in default.finditer(text)]


def test_the_word_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    # given a memory of a few words
    monkeypatch.setattr(terms, "CACHE_WORDS", 10)
    indexed = IndexTerms(prose_analyzer())

    # when more distinct words than that pass
    found = indexed.positions(" ".join(f"word{n}" for n in range(25)))

    # then every word is still indexed and at most that many are remembered
    assert len(found) == 25
    assert len(indexed._terms) <= 10


def test_equal_analyzers_share_one_memory_and_leave_none_behind() -> None:
    # given the analyzer of a schema unpickled twice, as each writer reads it from the index
    pickled = pickle.dumps(CANDIDATES.schema)
    copies = [pickle.loads(pickled)["summary"] for _ in range(2)]  # noqa: S301  # our own bytes
    first, second = (index_terms(copy.analyzer) for copy in copies)

    # then both copies share one memory of words
    assert first is not None and first is second

    # and when the copies go, so do their entries (other dead analyzers may go with them)
    keys = [id(copy.analyzer) for copy in copies]
    assert all(key in terms._by_analyzer for key in keys)
    del copies
    gc.collect()
    assert not any(key in terms._by_analyzer for key in keys)

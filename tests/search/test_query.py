"""The query language: what parses to what, and where malformed queries break."""

from __future__ import annotations

import pytest

from search.query import (
    And,
    Not,
    Or,
    Phrase,
    QuerySyntaxError,
    Word,
    parse_query,
    words_of,
)

FIELDS = ("title", "skill", "company", "school", "name")


def test_words_next_to_each_other_must_all_match() -> None:
    assert parse_query("python django", FIELDS) == And(
        (Word("python", None, 0), Word("django", None, 7))
    )


def test_operators_groups_phrases_fields_and_prefixes() -> None:
    tree = parse_query('title:engineer AND (skill:k8s OR "site reliability") NOT php', FIELDS)

    assert tree == And(
        (
            Word("engineer", "title", 6),
            Or((Word("k8s", "skill", 26), Phrase(("site", "reliability"), None, 33))),
            Not(Word("php", None, 57)),
        )
    )
    assert parse_query("pyth*", FIELDS) == Word("pyth", None, 0, prefix=True)
    assert parse_query("data -junior", FIELDS) == And(
        (Word("data", None, 0), Not(Word("junior", None, 6)))
    )


def test_a_field_applies_to_a_whole_group() -> None:
    assert parse_query('school:(mit OR "eth zurich")', FIELDS) == Or(
        (Word("mit", "school", 8), Phrase(("eth", "zurich"), "school", 15))
    )


def test_lowercase_operators_are_words() -> None:
    assert parse_query("research and development", FIELDS) == And(
        (Word("research", None, 0), Word("and", None, 9), Word("development", None, 13))
    )


def test_empty_query_is_none() -> None:
    assert parse_query("   ", FIELDS) is None


@pytest.mark.parametrize(
    ("text", "position", "needle"),
    [
        ("(python", 0, "never closed"),
        ("python)", 6, "no matching ("),
        ('"site reliability', 0, "never closed"),
        ("AND python", 0, "on its left"),
        ("python AND", 7, "on its right"),
        ("python OR", 7, "on its right"),
        ("python AND OR java", 7, "on its right"),
        ("NOT", 0, "to exclude"),
        ("python NOT", 7, "to exclude"),
        ("-python", 0, "only exclude"),
        ("NOT python", 0, "only exclude"),
        ("()", 0, "empty parentheses"),
        ('""', 0, "empty quotes"),
        ("title:", 0, "needs a word"),
        ("salary:100k", 0, "unknown field"),
        ("title:skill:python", 6, "another field"),
        ("py*thon", 0, "wildcards only at the end"),
        ("p*", 0, "two letters"),
        ("x" * 1001, 0, "longer than"),
        (" ".join(["word"] * 65), 320, "more than 64 terms"),
    ],
)
def test_malformed_queries_say_where_they_broke(text: str, position: int, needle: str) -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        parse_query(text, FIELDS)

    assert raised.value.position == position
    assert needle in raised.value.message


def test_words_of_lists_positive_plain_words_only() -> None:
    tree = parse_query('pythn AND "exact phrase" NOT jaav skill:rust pref*', FIELDS)

    assert [w.text for w in words_of(tree)] == ["pythn", "rust"]


@pytest.mark.parametrize(
    ("query", "position"),
    [("(" * 250 + "python" + ")" * 250, 10), ("NOT " * 200 + "python", 40)],
    ids=["parentheses", "nots"],
)
def test_nesting_deeper_than_the_limit_is_a_syntax_error(query: str, position: int) -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        parse_query(query, FIELDS)

    assert raised.value.message == "parentheses and NOTs nest at most 10 deep"
    assert raised.value.position == position


def test_nesting_up_to_the_limit_parses() -> None:
    query = "(" * 9 + "python AND NOT rust" + ")" * 9

    tree = parse_query(query, FIELDS)

    assert tree == And((Word("python", None, 9), Not(Word("rust", None, 24))))

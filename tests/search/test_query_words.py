"""Words that rank instead of matching ("senior": years of experience); autocorrect (a query
that matches nothing searches its spelling suggestion instead, and says so); and each hit's
explanation of its rank."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from search.candidates import CANDIDATES
from search.engine import SearchIndex, SearchRequest, Terms
from search.interface import RangeWord
from search.matching import split_range_words
from search.query import And, Word, parse_query
from search.scoring import RANGE_WORD_FACTOR, RANGE_WORD_FLOOR

NOW = time.time()


def candidate(identifier: int, title: str, years: float, **fields: object) -> dict:
    return {
        "id": str(identifier),
        "owner": str(100 + identifier),
        "audience": "PUBLIC",
        "name": f"Person {identifier}",
        "title": title,
        "skills": ["Python"],
        "summary": f"{title} who ships.",
        "years": years,
        "updated": NOW,
        **fields,
    }


PEOPLE = [
    candidate(1, "Data Engineer", 1),
    candidate(2, "Data Engineer", 4),
    candidate(3, "Data Engineer", 12),
    candidate(4, "Marketing Manager", 15),
    candidate(5, "Senior Data Engineer", 2),
]


@pytest.fixture
def index(tmp_path: Path) -> SearchIndex:
    built = SearchIndex(tmp_path / "candidates", CANDIDATES)
    built.create_empty()
    built.apply(upserts=PEOPLE, last_sequence=1)
    return built


def ids(index: SearchIndex, query: str, **options: object) -> list[str]:
    return [hit.id for hit in index.search(SearchRequest(query=query, **options)).hits]


def test_range_words_leave_the_required_part_of_the_query() -> None:
    # given a query with a seniority word among others
    tree = parse_query("senior data engineer", CANDIDATES.field_aliases)

    # when its range words are split off
    required, ranges = split_range_words(CANDIDATES, tree)

    # then the rest must match and the word ranks by months of experience
    assert required == And((Word("data", None, 7), Word("engineer", None, 12)))
    assert ranges == [RangeWord("months", low=72)]
    # a field-prefixed, quoted or prefix word is what the user asked the text to hold
    for query in ("title:senior engineer", '"senior" engineer', "senio* engineer"):
        parsed = parse_query(query, CANDIDATES.field_aliases)
        assert split_range_words(CANDIDATES, parsed) == (parsed, [])


def test_a_seniority_word_ranks_by_years_and_requires_nothing(index: SearchIndex) -> None:
    # when a recruiter asks for a senior, then for a junior, data engineer
    senior = ids(index, "senior data engineer")
    junior = ids(index, "junior data engineer")

    # then every data engineer matches, whether their resume says "senior" or not
    assert set(senior) == set(junior) == {"1", "2", "3", "5"}
    # and of those whose text does not say, the twelve-year one ranks first for a senior,
    # the one-year one first for a junior
    assert senior.index("3") < senior.index("2") and senior.index("3") < senior.index("1")
    assert junior.index("1") < junior.index("2") and junior.index("1") < junior.index("3")


def test_a_seniority_word_still_scores_where_the_text_holds_it(index: SearchIndex) -> None:
    # given two data engineers of two and one years, one titled "Senior"
    # when "senior data engineer" is searched
    ranked = ids(index, "senior data engineer")

    # then the one whose title says it ranks above the other junior one
    assert ranked.index("5") < ranked.index("1")


def test_a_query_of_seniority_words_alone_ranks_everyone_by_them(index: SearchIndex) -> None:
    result = index.search(SearchRequest(query="senior"))

    # then everyone matches: the one whose title says it and the two with over six years
    # first, the others after
    assert result.total == len(PEOPLE)
    assert {hit.id for hit in result.hits[:3]} == {"3", "4", "5"}


def test_autocorrect_searches_the_suggestion_when_nothing_matches(index: SearchIndex) -> None:
    # when a misspelled query is searched with autocorrect
    result = index.search(SearchRequest(query="pythn", autocorrect=True))

    # then the corrected query's hits come back, and the result names it
    assert result.corrected_query == "python"
    assert result.suggestion == "python"
    assert result.total == len(PEOPLE)

    # without autocorrect nothing matches and only the suggestion is offered
    plain = index.search(SearchRequest(query="pythn"))
    assert (plain.total, plain.suggestion, plain.corrected_query) == (0, "python", None)

    # a query that matches is searched as given
    assert index.search(SearchRequest(query="python", autocorrect=True)).corrected_query is None


def test_autocorrect_stays_inside_what_the_filters_admit(tmp_path: Path) -> None:
    # given the only "kubernetes" resume is private
    built = SearchIndex(tmp_path / "candidates", CANDIDATES)
    built.create_empty()
    hidden = candidate(1, "Platform Engineer", 3, audience="PRIVATE", skills=["Kubernetes"])
    built.apply(upserts=[hidden, candidate(2, "Designer", 3)], last_sequence=1)

    # when someone who may see only public resumes misspells it
    public = (Terms("audience", ("PUBLIC",)),)
    result = built.search(SearchRequest(query="kubernetis", filters=public, autocorrect=True))

    # then nothing is corrected towards the hidden resume, and nothing is found
    assert (result.total, result.corrected_query, result.suggestion) == (0, None, None)


def test_each_hit_says_why_it_ranked(index: SearchIndex) -> None:
    # when "senior python" is searched by relevance
    result = index.search(SearchRequest(query="senior python"))

    # then each hit names the fields holding a word of the query, and its score's parts add
    # up to its score
    by_id = {hit.id: hit for hit in result.hits}
    twelve_years = by_id["3"]
    assert set(twelve_years.matched_fields) == {"skills"}
    assert "title" in by_id["5"].matched_fields  # "Senior Data Engineer"
    parts = twelve_years.score_parts
    assert parts is not None
    assert dict(parts.fields).keys() == {"skills"}
    assert parts.range_fits is True
    assert by_id["1"].score_parts is not None and by_id["1"].score_parts.range_fits is False
    for hit in result.hits:
        assert hit.score_parts is not None
        text = sum(score for _, score in hit.score_parts.fields) + hit.score_parts.nice_to_have
        if hit.score_parts.range_fits:
            text = text * RANGE_WORD_FACTOR + RANGE_WORD_FLOOR
        assert hit.score == pytest.approx(text * hit.score_parts.recency_factor, abs=1e-3)

    # results in recency order are not scored, so they carry no parts
    recent = index.search(SearchRequest(query="python", sort="recency"))
    assert all(hit.score_parts is None and hit.matched_fields for hit in recent.hits)
    # and a query without range words says nothing about fitting one
    plain = index.search(SearchRequest(query="python")).hits[0].score_parts
    assert plain is not None and plain.range_fits is None

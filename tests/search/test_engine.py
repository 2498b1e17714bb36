"""The search package directly: analysis, matching, filters, facets, highlights, sorts,
suggestions, pagination, writes, rebuilds and corruption."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from search.analysis import parse_skill_table, skill_table
from search.candidates import CANDIDATES
from search.engine import (
    AllOf,
    AnyOf,
    IndexBusy,
    IndexCorrupt,
    NoneOf,
    QuerySyntaxError,
    Range,
    SearchIndex,
    SearchRequest,
    Terms,
)

NOW = time.time()
DAY = 86400.0


def candidate(identifier: int, **fields: object) -> dict:
    document = {
        "id": str(identifier),
        "owner": str(100 + identifier),
        "audience": "PUBLIC",
        "name": f"Person {identifier}",
        "title": "",
        "skills": [],
        "summary": "",
        "work": [],
        "updated": NOW,
    }
    document.update(fields)
    return document


PEOPLE = [
    candidate(
        1,
        name="Ada Lovelace",
        title="Data Engineer",
        skills=["Python", "Postgres", "K8s", "Machine Learning"],
        summary="Builds data pipelines for engineering teams.",
        work=[{"position": "Data Engineer", "name": "Globex", "summary": "Streaming in Python"}],
        companies=["Globex", "Initech"],
        schools=["ETH Zurich"],
        degrees=["Master"],
        graduation_years=[2012],
        languages=["English", "German"],
        city="Berlin",
        country="DE",
        years=9.0,
        open_to_work="EMPLOYERS",
        workplace_types=["REMOTE"],
        updated=NOW - 30 * DAY,
    ),
    candidate(
        2,
        name="Grace Hopper",
        title="Backend Developer",
        skills=["Python", "Django", "PostgreSQL"],
        summary="Site reliability and backend services.",
        companies=["Hooli"],
        schools=["University of Toronto"],
        degrees=["Bachelor"],
        graduation_years=[2019],
        languages=["English"],
        city="Toronto",
        country="CA",
        years=4.0,
        updated=NOW - 2 * DAY,
    ),
    candidate(
        3,
        name="Linus Frontend",
        title="Frontend Developer",
        skills=["JavaScript", "React", "TypeScript"],
        summary="Interfaces people enjoy; some PHP long ago.",
        companies=["Initech"],
        city="Berlin",
        country="DE",
        years=1.5,
        audience="EMPLOYERS",
        updated=NOW - 400 * DAY,
    ),
    candidate(
        4,
        name="Margaret Ops",
        title="Site Reliability Engineer",
        skills=["Kubernetes", "Go", "Terraform"],
        summary="Keeps the lights on. Python for tooling.",
        companies=["Globex"],
        schools=["ETH Zurich"],
        degrees=["PhD"],
        graduation_years=[2008],
        city="Zurich",
        country="CH",
        years=16.0,
        excluded_organizations=["7"],
        owner_organizations=["5"],
        audience="MEMBERS",
        updated=NOW - 10 * DAY,
    ),
]


@pytest.fixture
def index(tmp_path: Path) -> SearchIndex:
    built = SearchIndex(tmp_path / "candidates", CANDIDATES)
    built.create_empty()
    built.apply(upserts=PEOPLE[:2], last_sequence=1)
    built.apply(upserts=PEOPLE[2:], last_sequence=2)  # two segments
    return built


def ids(index: SearchIndex, query: str | None = None, **options: object) -> list[str]:
    return [hit.id for hit in index.search(SearchRequest(query=query, **options)).hits]


def matched(index: SearchIndex, query: str | None = None, **options: object) -> set[str]:
    return set(ids(index, query, limit=100, **options))


def test_skill_synonyms_fold_case_punctuation_and_aliases() -> None:
    table = skill_table()
    assert table.canonical("JS") == "javascript"
    assert table.canonical(" k8s ") == "kubernetes"
    assert table.canonical("Postgres") == "postgresql"
    assert table.canonical("NodeJS") == "node.js"
    assert table.display(table.canonical("c sharp")) == "C#"
    assert table.canonical("Underwater Basket Weaving") == "underwater basket weaving"


def test_the_synonym_table_is_data_and_is_checked() -> None:
    table = parse_skill_table("# comment\nErlang/OTP: otp, beam\nC#: csharp\n")
    assert table.canonical("BEAM") == "erlang otp"
    assert table.display(table.canonical("otp")) == "Erlang/OTP"
    assert table.display("c#") == "C#"
    with pytest.raises(ValueError, match="line 1"):
        parse_skill_table("no colon here")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("python", {"1", "2", "4"}),
        ("python AND django", {"2"}),
        ("python django", {"2"}),
        ("django OR react", {"2", "3"}),
        ("python NOT django", {"1", "4"}),
        ("python -django", {"1", "4"}),
        ("(django OR react) AND postgresql", {"2"}),
        ('"site reliability"', {"2", "4"}),
        ('"reliability site"', set()),
        ("title:developer", {"2", "3"}),
        ("title:(site reliability)", {"4"}),
        ("skill:k8s", {"1", "4"}),
        ("skill:kubernetes", {"1", "4"}),
        ("skill:postgres", {"1", "2"}),
        ("js", {"3"}),
        ("company:globex", {"1", "4"}),
        ("company:initech NOT skill:react", {"1"}),
        ('school:"eth zurich"', {"1", "4"}),
        ("name:grace", {"2"}),
        ("engineering", {"1", "4"}),
        ("engineers", {"1", "4"}),
        ("pipelin*", {"1"}),
        ("typescr*", {"3"}),
        ('skill:"machine learning"', {"1"}),
        ("the", {"1", "2", "3", "4"}),
        ("python the", {"1", "2", "4"}),
    ],
)
def test_query_syntax(index: SearchIndex, query: str, expected: set[str]) -> None:
    assert matched(index, query) == expected


def test_a_stop_word_alone_matches_everything(index: SearchIndex) -> None:
    assert index.search(SearchRequest(query="the")).total == 4


@pytest.mark.parametrize(
    ("query", "position"),
    [("(python", 0), ("python AND", 7), ('title:"x', 6), ("salary:1", 0), ("-python", 0)],
)
def test_malformed_queries_raise_with_a_position(
    index: SearchIndex, query: str, position: int
) -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        index.search(SearchRequest(query=query))

    assert raised.value.position == position


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ((Terms("skill_keys", ("python",)),), {"1", "2"}),  # only the skills listed
        ((Terms("skill_keys", ("Python", "PostgreSQL"), mode="all"),), {"1", "2"}),
        ((Terms("skill_keys", ("Python", "Django"), mode="all"),), {"2"}),
        ((NoneOf((Terms("skill_keys", ("Django",)),)),), {"1", "3", "4"}),
        ((Terms("city", ("berlin",)),), {"1", "3"}),
        ((Terms("country", ("DE", "CH")),), {"1", "3", "4"}),
        ((Range("months", 48, None),), {"1", "2", "4"}),
        ((Range("months", None, 24),), {"3"}),
        ((Range("months", 5 * 12, 10 * 12),), {"1"}),
        ((Terms("title_key", ("frontend developer",)),), {"3"}),
        ((Terms("company_keys", ("INITECH",)),), {"1", "3"}),
        ((Terms("school_keys", ("eth zurich",)),), {"1", "4"}),
        ((Terms("degrees", ("phd", "master")),), {"1", "4"}),
        ((Terms("graduation_years", tuple(str(y) for y in range(2010, 2020))),), {"1", "2"}),
        ((Terms("languages", ("german",)),), {"1"}),
        ((Terms("open_to_work", ("EMPLOYERS",)),), {"1"}),
        ((Terms("workplace", ("REMOTE",)),), {"1"}),
        ((Range("updated", (NOW - 15 * DAY) * 1000, None),), {"2", "4"}),
        ((Terms("audience", ("PUBLIC",)), Terms("has_exclusions", ("0",))), {"1", "2"}),
        (
            (
                AnyOf(
                    (
                        Terms("audience", ("PUBLIC",)),
                        AllOf((Terms("audience", ("MEMBERS",)), Terms("owner_orgs", ("5",)))),
                    )
                ),
                NoneOf((Terms("excluded_orgs", ("7",)),)),
            ),
            {"1", "2"},
        ),
        (
            (
                AnyOf(
                    (
                        Terms("audience", ("PUBLIC",)),
                        AllOf((Terms("audience", ("MEMBERS",)), Terms("owner_orgs", ("5",)))),
                    )
                ),
            ),
            {"1", "2", "4"},
        ),
    ],
)
def test_filters(index: SearchIndex, filters: tuple, expected: set[str]) -> None:
    result = index.search(SearchRequest(filters=filters, limit=100))

    assert {hit.id for hit in result.hits} == expected
    assert result.total == len(expected)


def test_facets_count_the_filtered_matches(index: SearchIndex) -> None:
    result = index.search(
        SearchRequest(
            query="python",
            filters=(Terms("country", ("DE", "CA")),),
            facets=("skills", "locations", "schools", "titles", "experience"),
        )
    )
    facets = {facet.name: dict(facet.values) for facet in result.facets}

    assert result.total == 2
    assert facets["skills"] == {
        "Python": 2,
        "PostgreSQL": 2,
        "Kubernetes": 1,
        "Machine Learning": 1,
        "Django": 1,
    }
    assert facets["locations"] == {"Berlin, DE": 1, "Toronto, CA": 1}
    assert facets["schools"] == {"ETH Zurich": 1, "University of Toronto": 1}
    assert facets["titles"] == {"Data Engineer": 1, "Backend Developer": 1}
    assert facets["experience"] == {"6-10": 1, "3-5": 1}


def test_facet_values_are_ordered_by_count_and_limited(index: SearchIndex) -> None:
    result = index.search(SearchRequest(facets=("locations",), facet_limit=1))

    assert result.facets[0].values == (("Berlin, DE", 2),)


def test_highlights_mark_matches_and_escape_the_rest(tmp_path: Path) -> None:
    built = SearchIndex(tmp_path / "c", CANDIDATES)
    built.create_empty()
    hostile = candidate(9, summary="<script>alert(1)</script> loves Python & Rust")
    built.apply(upserts=[hostile], last_sequence=1)

    [hit] = built.search(SearchRequest(query="python")).hits

    assert hit.highlights["summary"] == (
        "&lt;script&gt;alert(1)&lt;/script&gt; loves <mark>Python</mark> &amp; Rust"
    )


def test_highlights_and_matched_skills(index: SearchIndex) -> None:
    result = index.search(SearchRequest(query="skill:postgres engineer"))
    [hit] = result.hits

    assert hit.id == "1"
    assert hit.matched_skills == ("Postgres",)
    assert "<mark>Postgres</mark>" in hit.highlights["skills"]
    assert "<mark>Engineer</mark>" in hit.highlights["title"]


def test_relevance_ranks_title_and_skills_above_prose(index: SearchIndex) -> None:
    # 4 has Python only in its summary; 1 and 2 have it as a skill
    assert ids(index, "python")[-1] == "4"


def test_recency_sort_and_the_recency_factor(index: SearchIndex) -> None:
    assert ids(index, sort="recency") == ["2", "4", "1", "3"]
    assert ids(index, "python", sort="recency") == ["2", "4", "1"]
    # equal text relevance: the fresher document wins
    twins = [
        candidate(20, title="Welder", updated=NOW - 900 * DAY),
        candidate(21, title="Welder", updated=NOW),
    ]
    index.apply(upserts=twins, last_sequence=3)
    assert ids(index, "welder") == ["21", "20"]


def scores(index: SearchIndex, query: str, **options: object) -> dict[str, float]:
    return {hit.id: hit.score for hit in index.search(SearchRequest(query=query, **options)).hits}


def test_nice_to_have_terms_raise_without_requiring(index: SearchIndex) -> None:
    plain = scores(index, "python")
    boosted = scores(index, "python", boost_terms=(("skill_keys", "Kubernetes"),))

    # the same matches: nothing is required
    assert boosted.keys() == plain.keys() == {"1", "2", "4"}
    # 1 (K8s) and 4 (Kubernetes) gain; 2 has no Kubernetes and keeps its score
    assert boosted["1"] > plain["1"]
    assert boosted["4"] > plain["4"]
    assert boosted["2"] == plain["2"]


def test_pagination_pages_do_not_overlap(index: SearchIndex) -> None:
    first = index.search(SearchRequest(sort="recency", offset=0, limit=3))
    second = index.search(SearchRequest(sort="recency", offset=3, limit=3))

    assert first.total == second.total == 4
    assert [h.id for h in first.hits] + [h.id for h in second.hits] == ["2", "4", "1", "3"]


def test_did_you_mean_reads_unstemmed_words(index: SearchIndex) -> None:
    assert index.search(SearchRequest(query="pythn")).suggestion == "python"
    assert index.search(SearchRequest(query="pythn pipelnes")).suggestion == "python pipelines"
    assert index.search(SearchRequest(query="python")).suggestion is None


def test_did_you_mean_suggests_only_words_of_documents_the_filters_admit(
    tmp_path: Path,
) -> None:
    # given a public document and a private one holding a word nobody else has
    index = SearchIndex(tmp_path / "hidden", CANDIDATES)
    index.create_empty()
    public = candidate(1, summary="Builds pipelines", audience="PUBLIC")
    private = candidate(2, summary="glorbnoviun pipelines", audience="PRIVATE")
    index.apply(upserts=[public, private], deletes=[], last_sequence=1)
    only_public = (Terms("audience", ("PUBLIC",)),)

    # when a viewer who may see only the public one misspells the hidden word, or types it
    hidden_misspelled = index.search(SearchRequest(query="glorbnoviux", filters=only_public))
    hidden_exact = index.search(SearchRequest(query="glorbnoviun", filters=only_public))
    owner_view = index.search(SearchRequest(query="glorbnoviux"))

    # then nothing suggests the hidden word, and the exact word reads as unknown like any
    # other word without a visible document (no suggestion either way)
    assert hidden_misspelled.total == 0 and hidden_misspelled.suggestion is None
    assert hidden_exact.total == 0 and hidden_exact.suggestion is None
    # while a viewer the filters admit it for is helped as before
    assert owner_view.suggestion == "glorbnoviun"
    # and a visible word is still suggested to the restricted viewer
    visible = index.search(SearchRequest(query="pipelnes", filters=only_public))
    assert visible.suggestion == "pipelines"


def test_did_you_mean_prefers_the_closest_then_the_commonest_visible_word(
    tmp_path: Path,
) -> None:
    index = SearchIndex(tmp_path / "closest", CANDIDATES)
    index.create_empty()
    index.apply(
        upserts=[
            candidate(1, summary="golang"),
            candidate(2, summary="golang"),
            candidate(3, summary="gulang"),
        ],
        deletes=[],
        last_sequence=1,
    )

    assert index.search(SearchRequest(query="golanx")).suggestion == "golang"
    assert index.search(SearchRequest(query="gulanx")).suggestion == "gulang"


def test_updates_replace_and_deletes_remove(index: SearchIndex) -> None:
    changed = dict(PEOPLE[1], skills=["Rust"], title="Systems Programmer")
    index.apply(upserts=[changed], deletes=["3"], last_sequence=9)

    assert matched(index, "django") == set()
    assert matched(index, "rust") == {"2"}
    assert matched(index, "react") == set()
    assert index.doc_count() == 3
    assert index.last_sequence() == 9
    # replaying the same batch (a crash before the state was written) changes nothing
    index.apply(upserts=[changed], deletes=["3"], last_sequence=9)
    assert index.doc_count() == 3
    assert matched(index, "rust") == {"2"}


def test_rebuild_swaps_in_a_fresh_index(index: SearchIndex) -> None:
    before = Path(index.directory).resolve()

    count = index.rebuild(PEOPLE[:1], last_sequence=42)

    assert count == 1
    assert Path(index.directory).resolve() != before
    assert not before.exists()
    assert index.last_sequence() == 42
    assert matched(index) == {"1"}


def test_a_corrupt_index_is_reported(tmp_path: Path) -> None:
    built = SearchIndex(tmp_path / "c", CANDIDATES)
    built.create_empty()
    built.apply(upserts=PEOPLE, last_sequence=1)
    for toc in Path(built.directory).resolve().glob("_MAIN_*.toc"):
        toc.write_bytes(b"garbage")

    fresh = SearchIndex(tmp_path / "c", CANDIDATES)
    with pytest.raises(IndexCorrupt):
        fresh.check()


def test_one_writer_at_a_time(index: SearchIndex) -> None:
    with index.writer_lock(), pytest.raises(IndexBusy), index.writer_lock():
        pass
    with index.writer_lock():  # released when the holder is done
        pass


def test_an_empty_index_answers_with_nothing(tmp_path: Path) -> None:
    built = SearchIndex(tmp_path / "empty", CANDIDATES)
    built.create_empty()

    result = built.search(SearchRequest(query="python", facets=("skills",)))

    assert result.total == 0 and result.hits == ()
    assert result.facets[0].values == ()


def test_warming_builds_the_arrays_searches_read(index: SearchIndex) -> None:
    index.warm()

    warmed = {(what, fieldname) for _, what, fieldname, *_ in index.cache.held()}
    assert {("values", name) for name in CANDIDATES.facet_fields.values()} <= warmed
    assert ("numbers", CANDIDATES.recency_field) in warmed
    assert {("lengths", name) for name in CANDIDATES.default_fields} <= warmed
    # and searching afterwards gives the same answers
    assert matched(index, "python") == {"1", "2", "4"}

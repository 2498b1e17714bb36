"""The directory people index spec, directly: fields, filters, facets, ranges, highlights."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from search.directory import DIRECTORY, PUBLIC_DIRECTORY, to_fields
from search.engine import QuerySyntaxError, Range, SearchIndex, SearchRequest, Terms

NOW = time.time()


def alumnus(identifier: int, organization: int = 1, **fields: object) -> dict:
    document = {
        "id": str(identifier),
        "organization": str(organization),
        "verified": False,
        "name": f"Person {identifier}",
        "joined": NOW - identifier * 86400,
    }
    document.update(fields)
    return document


PEOPLE = [
    alumnus(1, name="Ada Lovelace", school="ETH Zurich", degree="MSc",
            field_of_study="Computer Science", class_year=2012, location="Zurich, CH",
            employer="Globex", title="Data Engineer", industry="Software", verified=True),
    alumnus(2, name="Bob Meier", school="ETH Zurich", degree="BSc", field_of_study="Physics",
            class_year=2015, location="Basel, CH", employer="Initech", title="Physicist",
            industry="Research"),
    alumnus(3, name="Cleo Roth", school="EPFL", degree="msc", field_of_study="Computer Science",
            class_year=2018, location="Zurich, CH", employer="globex", title="Data Scientist",
            industry="Software"),
    # Education hidden from this audience: blank fields, class year 0.
    alumnus(4, name="Dan Wolf", employer="Umbrella", title="Chemist", industry="Pharma"),
    alumnus(5, organization=2, name="Eve Other", school="ETH Zurich", degree="MSc",
            class_year=2012, employer="Globex"),
]  # fmt: skip


@pytest.fixture
def index(tmp_path: Path) -> SearchIndex:
    built = SearchIndex(tmp_path / "directory", DIRECTORY)
    built.create_empty()
    built.apply(upserts=PEOPLE, deletes=[], last_sequence=1)
    return built


def search(index: SearchIndex, query: str | None = None, *filters, organization: int = 1):
    return index.search(
        SearchRequest(
            query=query,
            filters=(Terms("organization", (str(organization),)), *filters),
            facets=tuple(DIRECTORY.facet_fields),
            limit=20,
        )
    )


def ids(result) -> list[str]:
    return sorted(hit.id for hit in result.hits)


def facet(result, name: str) -> dict[str, int]:
    """A facet's counts by value, case folded ("MSc" and "msc" count as one value)."""
    [found] = [f for f in result.facets if f.name == name]
    return {value.casefold(): count for value, count in found.values}


def test_documents_stay_within_their_organization(index: SearchIndex) -> None:
    assert ids(search(index)) == ["1", "2", "3", "4"]
    assert ids(search(index, organization=2)) == ["5"]
    assert ids(search(index, "Eve")) == []


def test_facets_fold_case_and_leave_out_blank_fields(index: SearchIndex) -> None:
    result = search(index)

    assert facet(result, "classYears") == {"2012": 1, "2015": 1, "2018": 1}
    assert facet(result, "degrees") == {"msc": 2, "bsc": 1}
    assert facet(result, "employers") == {"globex": 2, "initech": 1, "umbrella": 1}
    assert facet(result, "locations") == {"zurich, ch": 2, "basel, ch": 1}
    assert facet(result, "industries") == {"software": 2, "research": 1, "pharma": 1}
    assert facet(result, "fieldsOfStudy") == {"computer science": 2, "physics": 1}
    assert facet(result, "schools") == {"eth zurich": 2, "epfl": 1}


def test_class_year_ranges_never_match_a_missing_year(index: SearchIndex) -> None:
    assert ids(search(index, None, Range("class_year", 2013, 2018))) == ["2", "3"]
    assert ids(search(index, None, Range("class_year", 1, 2014))) == ["1"]


def test_keyword_filters_are_case_insensitive(index: SearchIndex) -> None:
    assert ids(search(index, None, Terms("degree_key", ("MSC",)))) == ["1", "3"]
    assert ids(search(index, None, Terms("employer_key", ("GLOBEX",)))) == ["1", "3"]
    assert ids(search(index, None, Terms("verified", ("1",)))) == ["1"]


def test_text_search_fields_aliases_and_highlights(index: SearchIndex) -> None:
    assert ids(search(index, "computer science")) == ["1", "3"]
    assert ids(search(index, "company:globex")) == ["1", "3"]
    assert ids(search(index, "school:epfl")) == ["3"]
    assert ids(search(index, "location:basel")) == ["2"]
    assert ids(search(index, "industry:pharma")) == ["4"]
    found = search(index, "lovelace")
    assert found.hits[0].highlights["name"] == "Ada <mark>Lovelace</mark>"
    with pytest.raises(QuerySyntaxError):
        search(index, '"unclosed')


def test_without_a_query_the_newest_members_come_first(index: SearchIndex) -> None:
    assert [hit.id for hit in search(index).hits] == ["1", "2", "3", "4"]


def test_both_audiences_share_one_schema() -> None:
    assert DIRECTORY.schema is PUBLIC_DIRECTORY.schema
    assert (DIRECTORY.name, PUBLIC_DIRECTORY.name) == ("directory", "directory_public")
    fields = to_fields(alumnus(9, class_year=None, school="A\x1fB"))
    assert fields["class_year"] == 0
    assert fields["class_year_key"] == ""
    assert fields["school_key"] == "A B"  # the keyword separator never splits a value

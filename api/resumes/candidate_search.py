"""Candidate search: the viewer's audience as an index filter, recruiter filters, hydration.

The index answers with ids, counts, facets and highlights for only the documents the
viewer's audience filter admits; every hit is then re-checked against the database
(`visible_resumes`), so an index that lags a change can never show what it should not.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from api.core.db import write_transaction
from api.core.errors import FieldError, InvalidInput, query_error
from api.core.pagination import Page, paginate
from api.core.records import Record
from api.core.search import Window
from api.core.viewer import Viewer
from api.people.audience import Circle, circle_of
from api.resumes.tables import AlertFrequency, SavedSearch, SavedSearchKind
from search.analysis import skill_table
from search.engine import (
    AllOf,
    AnyOf,
    Filter,
    NoneOf,
    QuerySyntaxError,
    Range,
    SearchRequest,
    Terms,
)

FACETS = ("skills", "locations", "schools", "titles", "experience")
MAX_FILTER_VALUES = 50
MAX_FILTER_VALUE_LENGTH = 200
MAX_SAVED_SEARCH_NAME_LENGTH = 200
#: Longer careers than this are not worth filtering for; larger numbers are mistakes.
MAX_YEARS_OF_EXPERIENCE = 80


class SearchErrorCode(Enum):
    INVALID_QUERY = "INVALID_QUERY"
    INVALID_FILTER = "INVALID_FILTER"
    NOT_FOUND = "NOT_FOUND"
    NAME_REQUIRED = "NAME_REQUIRED"
    NAME_TOO_LONG = "NAME_TOO_LONG"
    INVALID_CHARACTERS = "INVALID_CHARACTERS"


class CandidateSort(Enum):
    RELEVANCE = "RELEVANCE"
    RECENCY = "RECENCY"


@dataclass(frozen=True)
class SavedSearchRecord(Record):
    """A search kept to rerun: candidates, or job postings (`kind`), with its alert."""

    id: int
    owner: int
    name: str
    query: str
    filter: dict[str, Any]
    sort: CandidateSort
    created_at: datetime
    last_run_at: datetime | None
    kind: SavedSearchKind = SavedSearchKind.CANDIDATES
    alert_frequency: AlertFrequency = AlertFrequency.OFF
    last_alert_at: datetime | None = None


@dataclass(frozen=True)
class CandidateFilter:
    """Recruiter filters; every list is matched case- and accent-insensitively."""

    skills: tuple[str, ...] = ()
    nice_to_have_skills: tuple[str, ...] = ()
    excluded_skills: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    workplace_types: tuple[str, ...] = ()
    min_years: float | None = None
    max_years: float | None = None
    current_titles: tuple[str, ...] = ()
    past_employers: tuple[str, ...] = ()
    schools: tuple[str, ...] = ()
    degrees: tuple[str, ...] = ()
    graduation_year_min: int | None = None
    graduation_year_max: int | None = None
    languages: tuple[str, ...] = ()
    open_to_work_only: bool = False
    updated_since: datetime | None = None

    def as_json(self) -> dict[str, Any]:
        values = {}
        for name, value in self.__dict__.items():
            if value in ((), None, False):
                continue
            values[name] = value.isoformat() if isinstance(value, datetime) else value
        return values

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CandidateFilter:
        values: dict[str, Any] = {}
        for name, value in data.items():
            if name not in cls.__dataclass_fields__:
                continue
            if isinstance(value, list):
                value = tuple(value)
            if name == "updated_since" and isinstance(value, str):
                value = datetime.fromisoformat(value)
            values[name] = value
        return cls(**values)


def audience_filter(circle: Circle) -> Filter:
    """The index-side twin of `resumes.service.OwnerAccess.sees`, for one viewer."""
    if circle.account_id is None:
        return AllOf((Terms("audience", ("PUBLIC",)), Terms("has_exclusions", ("0",))))
    reach: list[Filter] = [Terms("audience", ("PUBLIC",))]
    if circle.verified_employer_ids:
        reach.append(Terms("audience", ("EMPLOYERS",)))
    organizations = tuple(str(o) for o in sorted(circle.organization_ids))
    if organizations:
        reach.append(
            AllOf((Terms("audience", ("MEMBERS", "EMPLOYERS")), Terms("owner_orgs", organizations)))
        )
    if circle.connection_ids:
        connections = tuple(str(c) for c in sorted(circle.connection_ids))
        reach.append(
            AllOf(
                (
                    Terms("audience", ("CONNECTIONS", "MEMBERS", "EMPLOYERS")),
                    Terms("owner", connections),
                )
            )
        )
    visible: Filter = AnyOf(tuple(reach))
    if organizations:
        visible = AllOf((visible, NoneOf((Terms("excluded_orgs", organizations),))))
    if circle.blocked_by_ids:
        # Whoever blocked the viewer is out of every audience: not even counted.
        blockers = tuple(str(b) for b in sorted(circle.blocked_by_ids))
        visible = AllOf((visible, NoneOf((Terms("owner", blockers),))))
    return AnyOf((Terms("owner", (str(circle.account_id),)), visible))


def _signal_audiences(circle: Circle) -> tuple[str, ...]:
    """Open-to-work audiences the viewer may see (the owner's own is added separately)."""
    return ("PUBLIC", "EMPLOYERS") if circle.verified_employer_ids else ("PUBLIC",)


def check_list(name: str, values: tuple[str, ...]) -> tuple[str, ...]:
    """A filter's list of values, blanks dropped; INVALID_FILTER past the count or length
    limits (a search may be saved, and what is kept stays small)."""
    cleaned = tuple(v.strip() for v in values if v and v.strip())
    if len(cleaned) > MAX_FILTER_VALUES:
        raise InvalidInput(
            FieldError(
                f"filter.{name}",
                SearchErrorCode.INVALID_FILTER,
                f"Give at most {MAX_FILTER_VALUES} values.",
            )
        )
    for index, value in enumerate(cleaned):
        if len(value) > MAX_FILTER_VALUE_LENGTH:
            raise InvalidInput(
                FieldError(
                    f"filter.{name}[{index}]",
                    SearchErrorCode.INVALID_FILTER,
                    f"Use at most {MAX_FILTER_VALUE_LENGTH} characters for a value.",
                )
            )
    return cleaned


def _skills(values: tuple[str, ...]) -> tuple[str, ...]:
    table = skill_table()
    return tuple(dict.fromkeys(table.display(table.canonical(v)) for v in values))


def _check_range(
    name: str,
    low: float | None,
    high: float | None,
    *,
    ends: tuple[str, str],
    lowest: float | None = None,
    highest: float | None = None,
) -> None:
    """A range filter: each end finite and within [lowest, highest], the low end first."""
    for end, value in zip(ends, (low, high), strict=True):
        if value is None:
            continue
        if not math.isfinite(value) or (
            lowest is not None and highest is not None and not lowest <= value <= highest
        ):
            raise InvalidInput(
                FieldError(
                    f"filter.{end}",
                    SearchErrorCode.INVALID_FILTER,
                    f"Give a number from {lowest:g} to {highest:g}."
                    if lowest is not None and highest is not None
                    else "Give a finite number.",
                )
            )
    if low is not None and high is not None and low > high:
        raise InvalidInput(
            FieldError(
                f"filter.{name}",
                SearchErrorCode.INVALID_FILTER,
                "The minimum is above the maximum.",
            )
        )


def index_filters(viewer: Viewer, circle: Circle, wanted: CandidateFilter) -> list[Filter]:
    """The viewer's audience plus the recruiter's filters, as index filters."""
    filters: list[Filter] = [audience_filter(circle)]
    check_list("niceToHaveSkills", wanted.nice_to_have_skills)  # boosts, not filters
    terms = [
        ("skill_keys", _skills(check_list("skills", wanted.skills)), "all"),
        ("city", check_list("cities", wanted.cities), "any"),
        ("region", check_list("regions", wanted.regions), "any"),
        ("country", check_list("countries", wanted.countries), "any"),
        ("title_key", check_list("currentTitles", wanted.current_titles), "any"),
        ("company_keys", check_list("pastEmployers", wanted.past_employers), "any"),
        ("school_keys", check_list("schools", wanted.schools), "any"),
        ("degrees", check_list("degrees", wanted.degrees), "any"),
        ("languages", check_list("languages", wanted.languages), "any"),
    ]
    for fieldname, values, mode in terms:
        if values:
            filters.append(Terms(fieldname, values, mode))
    excluded = _skills(check_list("excludedSkills", wanted.excluded_skills))
    if excluded:
        filters.append(NoneOf((Terms("skill_keys", excluded),)))
    # Workplace preferences and "open to work" are part of the signal, which has its own
    # audience: filtering on them must not reveal a signal the viewer may not see.
    signal = AnyOf(
        (
            Terms("open_to_work", _signal_audiences(circle)),
            Terms("owner", (str(circle.account_id),)),
        )
    )
    if wanted.open_to_work_only or wanted.workplace_types:
        filters.append(signal)
    if wanted.workplace_types:
        filters.append(Terms("workplace", tuple(wanted.workplace_types)))
    _check_range(
        "YearsOfExperience",
        wanted.min_years,
        wanted.max_years,
        ends=("minYearsOfExperience", "maxYearsOfExperience"),
        lowest=0,
        highest=MAX_YEARS_OF_EXPERIENCE,
    )
    if wanted.min_years is not None or wanted.max_years is not None:
        filters.append(
            Range(
                "months",
                None if wanted.min_years is None else round(wanted.min_years * 12),
                None if wanted.max_years is None else round(wanted.max_years * 12),
            )
        )
    _check_range(
        "graduationYear",
        wanted.graduation_year_min,
        wanted.graduation_year_max,
        ends=("graduationYearMin", "graduationYearMax"),
    )
    if wanted.graduation_year_min is not None or wanted.graduation_year_max is not None:
        low = wanted.graduation_year_min or 1900
        high = wanted.graduation_year_max or datetime.now(UTC).year + 10
        if high - low > 200:
            raise InvalidInput(
                FieldError(
                    "filter.graduationYearMin",
                    SearchErrorCode.INVALID_FILTER,
                    "Give a graduation year range of at most 200 years.",
                )
            )
        filters.append(Terms("graduation_years", tuple(str(y) for y in range(low, high + 1))))
    if wanted.updated_since is not None:
        filters.append(Range("updated", wanted.updated_since.timestamp() * 1000, None))
    return filters


async def candidate_search_request(
    viewer: Viewer,
    *,
    query: str | None,
    wanted: CandidateFilter,
    sort: CandidateSort | None,
    window: Window,
) -> SearchRequest:
    """What the candidates index is asked: the query, the viewer's audience and filters,
    the order; `InvalidInput` for a filter that cannot be."""
    circle = await circle_of(viewer)
    filters = index_filters(viewer, circle, wanted)
    query = (query or "").strip() or None
    order = sort or (CandidateSort.RELEVANCE if query else CandidateSort.RECENCY)
    return SearchRequest(
        query=query,
        filters=tuple(filters),
        sort="recency" if order is CandidateSort.RECENCY else "relevance",
        offset=window.offset,
        limit=window.limit,
        facets=FACETS,
        boost_terms=tuple(("skill_keys", s) for s in _skills(wanted.nice_to_have_skills)),
        autocorrect=True,
    )


def validate_query(query: str | None) -> None:
    from search.candidates import CANDIDATES
    from search.query import parse_query

    try:
        parse_query(query or "", CANDIDATES.field_aliases)
    except QuerySyntaxError as error:
        raise query_error(error, SearchErrorCode.INVALID_QUERY) from None


def check_name(name: str) -> str:
    """A saved search's name, trimmed; NAME_REQUIRED or NAME_TOO_LONG otherwise."""
    name = name.strip()
    if not name:
        raise InvalidInput(
            FieldError("name", SearchErrorCode.NAME_REQUIRED, "Name the saved search.")
        )
    if len(name) > MAX_SAVED_SEARCH_NAME_LENGTH:
        raise InvalidInput(
            FieldError(
                "name",
                SearchErrorCode.NAME_TOO_LONG,
                f"Use at most {MAX_SAVED_SEARCH_NAME_LENGTH} characters for the name.",
            )
        )
    return name


async def insert_saved_search(
    owner_id: int,
    *,
    kind: SavedSearchKind,
    name: str,
    query: str | None,
    filter: dict[str, Any],
    sort: CandidateSort = CandidateSort.RELEVANCE,
    alert_frequency: AlertFrequency = AlertFrequency.OFF,
) -> SavedSearchRecord:
    """Keep a search whose name, query and filters were checked."""
    async with write_transaction():
        [row] = await SavedSearch.insert(
            SavedSearch(
                owner=owner_id,
                kind=kind.value,
                name=name,
                query=(query or "").strip(),
                filter=json.dumps(filter),
                sort=sort.value,
                alert_frequency=alert_frequency.value,
            )
        ).returning(*SavedSearch.all_columns())
    return SavedSearchRecord.from_row(row)


async def save_search(
    viewer: Viewer,
    *,
    name: str,
    query: str | None,
    wanted: CandidateFilter,
    sort: CandidateSort,
    alert_frequency: AlertFrequency = AlertFrequency.OFF,
) -> SavedSearchRecord:
    owner_id = viewer.require_account()
    name = check_name(name)
    validate_query(query)
    index_filters(viewer, await circle_of(viewer), wanted)  # the same checks as a search
    return await insert_saved_search(
        owner_id,
        kind=SavedSearchKind.CANDIDATES,
        name=name,
        query=query,
        filter=wanted.as_json(),
        sort=sort,
        alert_frequency=alert_frequency,
    )


async def saved_search(
    viewer: Viewer, search_id: int, kind: SavedSearchKind | None = SavedSearchKind.CANDIDATES
) -> SavedSearchRecord:
    """The viewer's saved search of this id (and `kind`; None: of either kind)."""
    owner_id = viewer.require_account()
    condition = (SavedSearch.id == search_id) & (SavedSearch.owner == owner_id)
    if kind is not None:
        condition &= SavedSearch.kind == kind.value
    row = await SavedSearch.select().where(condition).first()
    if row is None:
        raise InvalidInput(
            FieldError("id", SearchErrorCode.NOT_FOUND, "You have no saved search with this id.")
        )
    return SavedSearchRecord.from_row(row)


async def saved_searches(
    viewer: Viewer,
    *,
    first: int | None,
    after: str | None,
    kind: SavedSearchKind = SavedSearchKind.CANDIDATES,
) -> tuple[Page, list[SavedSearchRecord]]:
    """A page of the viewer's saved searches of `kind`, oldest first, and their records."""
    owner_id = viewer.require_account()
    page = await paginate(
        SavedSearch,
        where=[SavedSearch.owner == owner_id, SavedSearch.kind == kind.value],
        first=first,
        after=after,
    )
    return page, [SavedSearchRecord.from_row(row) for row in page.rows]


async def delete_saved_search(viewer: Viewer, search_id: int) -> None:
    """Forget a saved search of the viewer's, of either kind."""
    owner_id = viewer.require_account()
    async with write_transaction():
        gone = (
            await SavedSearch.delete()
            .where((SavedSearch.id == search_id) & (SavedSearch.owner == owner_id))
            .returning(SavedSearch.id)
        )
    if not gone:
        raise InvalidInput(
            FieldError("id", SearchErrorCode.NOT_FOUND, "You have no saved search with this id.")
        )


async def set_alert_frequency(
    viewer: Viewer, search_id: int, frequency: AlertFrequency
) -> SavedSearchRecord:
    """How often the viewer's saved search (of either kind) alerts them to new matches."""
    owner_id = viewer.require_account()
    async with write_transaction():
        rows = (
            await SavedSearch.update({SavedSearch.alert_frequency: frequency.value})
            .where((SavedSearch.id == search_id) & (SavedSearch.owner == owner_id))
            .returning(*SavedSearch.all_columns())
        )
    if not rows:
        raise InvalidInput(
            FieldError("id", SearchErrorCode.NOT_FOUND, "You have no saved search with this id.")
        )
    return SavedSearchRecord.from_row(rows[0])


async def mark_saved_searches_run(search_ids: list[int]) -> datetime:
    """Record that these saved searches ran now (one statement); returns the time."""
    ran_at = datetime.now(UTC)
    async with write_transaction():
        await SavedSearch.update({SavedSearch.last_run_at: ran_at}).where(
            SavedSearch.id.is_in(search_ids)
        )
    return ran_at

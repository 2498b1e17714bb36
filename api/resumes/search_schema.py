"""The candidate search part of the GraphQL schema: searchCandidates and saved searches."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Annotated, ClassVar, Self

import strawberry
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.types.nodes import SelectedField, Selection

from api.alerts.service import count_new, index_name
from api.core.context import Info
from api.core.errors import InvalidInput
from api.core.pagination import (
    MAX_PAGE_SIZE,
    After,
    Connection,
    First,
    empty_page_info,
)
from api.core.records import build, mutation
from api.core.search import CORRECTED_QUERY, Window, index_of, search_page
from api.core.types import Facet, Highlight, UserError, database_id, given, row_id
from api.core.viewer import Viewer
from api.networks import verification
from api.networks.verification_schema import CandidateAudienceNotice
from api.people.audience import circle_of
from api.resumes import candidate_search as service
from api.resumes.loaders import ResumeByIdLoader
from api.resumes.tables import AlertFrequency as AlertFrequencyEnum
from api.resumes.tables import SavedSearchKind
from api.resumes.types import Resume, WorkplaceType, empty_list
from search.engine import MAX_OFFSET, Hit
from search.scoring import RANGE_WORD_FACTOR

SearchErrorCode = strawberry.enum(service.SearchErrorCode, description="Why a search failed.")
CandidateSort = strawberry.enum(
    service.CandidateSort,
    description="RELEVANCE: BM25F with field boosts and a recency factor (needs a query); "
    "RECENCY: most recently updated first.",
)


AlertFrequency = strawberry.enum(
    AlertFrequencyEnum,
    name="AlertFrequency",
    description="How often a saved search tells you of its new matches (a notification "
    "SAVED_SEARCH_MATCHES, emailed at once by default): DAILY after the digest hour, WEEKLY "
    "on Mondays, or OFF.",
)

NEW_SINCE_LAST_RUN = (
    "How many of its results are new since it last ran (`lastRunAt`; since it was saved, "
    "before its first run): {what}, counted by the index in one search. When this request "
    "runs it (asks for `results`), new since the run before."
)
LAST_ALERT_AT = (
    "When its alert last ran (whether or not it found anything new); null before the first. "
    "The next alert tells of what is new since then."
)


async def new_since(info: Info, record: service.SavedSearchRecord, since: datetime) -> int:
    """`newSinceLastRun` of a saved search of either kind, from this process's index."""
    index = index_of(info.context.search, index_name(record))
    return await count_new(info.context.viewer, record, index, since)


@strawberry.type(description="A problem with a search or saved search a user can fix.")
class SearchError(UserError):
    code: SearchErrorCode


@strawberry.input(description="Filters for candidate search; lists match case-insensitively.")
class CandidateFilterInput:
    skills: list[str] = empty_list("Must have all (synonyms fold: JS = JavaScript).")
    nice_to_have_skills: list[str] = empty_list("Rank higher, not required.")
    excluded_skills: list[str] = empty_list("Leave out candidates with any of these skills.")
    cities: list[str] = empty_list("Candidates living in any of these cities.")
    regions: list[str] = empty_list("Candidates living in any of these regions.")
    countries: list[str] = empty_list("ISO 3166 codes, like DE.")
    workplace_types: list[WorkplaceType] = empty_list(
        "From open-to-work preferences the viewer may see."
    )
    min_years_of_experience: float | None = strawberry.field(
        default=None,
        description=("At least this many years of work, counted from the resume's work history."),
    )
    max_years_of_experience: float | None = strawberry.field(
        default=None, description="At most this many years of work."
    )
    current_titles: list[str] = empty_list(
        "Candidates whose current position has any of these titles."
    )
    past_employers: list[str] = empty_list("Candidates who worked at any of these employers.")
    schools: list[str] = empty_list("Candidates who studied at any of these schools.")
    degrees: list[str] = empty_list(
        "Candidates with any of these degrees (the study type, like Master)."
    )
    graduation_year_min: int | None = strawberry.field(
        default=None, description="Graduated in this year or later."
    )
    graduation_year_max: int | None = strawberry.field(
        default=None, description="Graduated in this year or earlier."
    )
    languages: list[str] = empty_list("Candidates who speak any of these languages.")
    open_to_work_only: bool = strawberry.field(
        default=False,
        description=("Only candidates who say they are open to work, where you may see that."),
    )
    updated_since: datetime | None = strawberry.field(
        default=None, description="Only resumes updated at or after this time."
    )

    def to_filter(self) -> service.CandidateFilter:
        return service.CandidateFilter(
            skills=tuple(self.skills),
            nice_to_have_skills=tuple(self.nice_to_have_skills),
            excluded_skills=tuple(self.excluded_skills),
            cities=tuple(self.cities),
            regions=tuple(self.regions),
            countries=tuple(self.countries),
            workplace_types=tuple(w.value for w in self.workplace_types),
            min_years=self.min_years_of_experience,
            max_years=self.max_years_of_experience,
            current_titles=tuple(self.current_titles),
            past_employers=tuple(self.past_employers),
            schools=tuple(self.schools),
            degrees=tuple(self.degrees),
            graduation_year_min=self.graduation_year_min,
            graduation_year_max=self.graduation_year_max,
            languages=tuple(self.languages),
            open_to_work_only=self.open_to_work_only,
            updated_since=self.updated_since,
        )


@strawberry.type(description="One part of a relevance score.")
class ScorePart:
    part: str = strawberry.field(
        description="A field's name (its BM25 share, boost included), niceToHave (what "
        "niceToHaveSkills added), seniorityFactor (what the query's seniority words multiplied "
        "by) or recencyFactor (what the resume's age multiplied by)."
    )
    value: float


@strawberry.type(description="Why a candidate ranked where it did.")
class CandidateExplanation:
    matched_skills: list[str] = strawberry.field(
        description="Listed skills of the resume that the query names."
    )
    matched_fields: list[str] = strawberry.field(
        description="Fields holding a word of the query: title, skills, name, summary, work, "
        "companies, schools."
    )
    title_match: bool = strawberry.field(description="Whether the current title matched.")
    experience_fits: bool | None = strawberry.field(
        description="Whether the years of experience fit the query's seniority words (senior, "
        "junior…); null when it has none."
    )
    score_parts: list[ScorePart] | None = strawberry.field(
        description="The score's parts, for staff and the resume's owner; null for everyone "
        "else and when results are not ranked by relevance."
    )

    @classmethod
    def from_hit(cls, hit: Hit, *, show_parts: bool) -> CandidateExplanation:
        parts = hit.score_parts
        shown = None
        if parts is not None and show_parts:
            shown = [ScorePart(part=name, value=value) for name, value in parts.fields]
            shown.append(ScorePart(part="niceToHave", value=parts.nice_to_have))
            if parts.range_fits is not None:
                factor = RANGE_WORD_FACTOR if parts.range_fits else 1.0
                shown.append(ScorePart(part="seniorityFactor", value=factor))
            shown.append(ScorePart(part="recencyFactor", value=parts.recency_factor))
        return cls(
            matched_skills=list(hit.matched_skills),
            matched_fields=list(hit.matched_fields),
            title_match="title" in hit.matched_fields,
            experience_fits=None if parts is None else parts.range_fits,
            score_parts=shown,
        )


@strawberry.type
class CandidateEdge:
    cursor: str
    node: Resume
    score: float
    highlights: list[Highlight]
    matched_skills: list[str]
    explanation: CandidateExplanation


@strawberry.type(description="One page of candidates, with counts, facets and a suggestion.")
class CandidateSearchResult:
    total_count: int = 0
    edges: list[CandidateEdge] = strawberry.field(default_factory=list)
    page_info: relay.PageInfo = strawberry.field(default_factory=empty_page_info)
    facets: list[Facet] = strawberry.field(default_factory=list)
    suggestion: str | None = strawberry.field(
        default=None,
        description="The query with misspelled words corrected, when it found little.",
    )
    corrected_query: str | None = strawberry.field(default=None, description=CORRECTED_QUERY)
    user_errors: list[SearchError] = strawberry.field(default_factory=list)

    @strawberry.field(
        description="Why resumes shown to verified employers only (the EMPLOYERS audience) "
        "are not among these candidates, and what would change it; null when you act for a "
        "verified employer and see them."
    )
    async def audience_notice(self, info: Info) -> CandidateAudienceNotice | None:
        viewer = info.context.viewer
        circle = await circle_of(viewer)
        notice = await verification.audience_notice(viewer, circle.verified_employer_ids)
        return CandidateAudienceNotice.from_notice(notice) if notice else None


async def run_search(
    info: Info,
    *,
    query: str | None,
    wanted: service.CandidateFilter,
    sort: service.CandidateSort | None,
    first: int | None,
    after: str | None,
) -> CandidateSearchResult:
    viewer = info.context.viewer
    request = await service.candidate_search_request(
        viewer, query=query, wanted=wanted, sort=sort, window=Window.of(first, after)
    )
    page = await search_page(
        index_of(info.context.search, "candidates"),
        request,
        info.context.loaders.get(ResumeByIdLoader).load_many,
        syntax_code=service.SearchErrorCode.INVALID_QUERY,
    )
    edges = [
        CandidateEdge(
            cursor=ranked.cursor,
            node=Resume.from_record(ranked.item),
            score=ranked.hit.score,
            highlights=Highlight.from_hit(ranked.hit),
            matched_skills=list(ranked.hit.matched_skills),
            explanation=CandidateExplanation.from_hit(
                ranked.hit, show_parts=viewer.is_staff or ranked.item.is_owner
            ),
        )
        for ranked in page.ranked
    ]
    return CandidateSearchResult(**page.fields(edges))


def selected_fields(selections: list[Selection]) -> list[SelectedField]:
    """The fields of a selection set, its fragments flattened."""
    found: list[SelectedField] = []
    for selection in selections:
        if isinstance(selection, SelectedField):
            found.append(selection)
        else:
            found.extend(selected_fields(selection.selections))
    return found


def child_fields(fields: list[SelectedField], name: str) -> list[SelectedField]:
    return [
        child
        for field in fields
        if field.name == name
        for child in selected_fields(field.selections)
    ]


def runs_results(fields: list[SelectedField]) -> bool:
    """Whether a selection of SavedSearch fields asks for `results`: the search runs."""
    return any(field.name == "results" for field in fields)


class SavedSearchNode:
    """What the two kinds of saved search share: built from their records, with the run
    recorded first when a query asks for their `results`, and found by node id among the
    viewer's own saved searches of `kind`."""

    kind: ClassVar[SavedSearchKind]

    @classmethod
    def from_record(cls, record: service.SavedSearchRecord, *, recorded: bool = False) -> Self:
        raise NotImplementedError

    @classmethod
    async def from_records(
        cls, records: list[service.SavedSearchRecord], fields: list[SelectedField]
    ) -> list[Self]:
        """The saved searches a resolver answers with; when the query asks for their
        `results`, the run is recorded first, so `lastRunAt` in the same answer is this run."""
        if not (runs_results(fields) and records):
            return [cls.from_record(record) for record in records]
        ran_at = await service.mark_saved_searches_run([record.id for record in records])
        # `record` keeps the run before this one: what `newSinceLastRun` counts from.
        return [
            replace(cls.from_record(record, recorded=True), last_run_at=ran_at)
            for record in records
        ]

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[Self | None]:
        records: list[service.SavedSearchRecord] = []
        for node_id in node_ids:
            number = row_id(node_id)
            if number is None:
                continue
            try:
                records.append(await service.saved_search(info.context.viewer, number, cls.kind))
            except InvalidInput:
                continue
        fields = selected_fields([s for field in info.selected_fields for s in field.selections])
        built = await cls.from_records(records, fields)
        by_id = {str(search.id): search for search in built}
        return [by_id.get(node_id) for node_id in node_ids]


@strawberry.type(description="A candidate search kept to rerun.")
class SavedSearch(SavedSearchNode, relay.Node):
    id: relay.NodeID[int]
    name: str
    query: str | None = strawberry.field(description="The query; null for filters only.")
    filter: JSON
    sort: CandidateSort
    created_at: datetime
    last_run_at: datetime | None = strawberry.field(
        description="When the search last ran (`results` asked for); a request that asks for "
        "`results` is that run, so it shows the run's own time."
    )
    alert_frequency: AlertFrequency = strawberry.field(
        description="How often it alerts you of new matches (setSavedSearchAlert)."
    )
    last_alert_at: datetime | None = strawberry.field(description=LAST_ALERT_AT)
    record: strawberry.Private[service.SavedSearchRecord]
    recorded: strawberry.Private[bool] = False
    kind: ClassVar[SavedSearchKind] = SavedSearchKind.CANDIDATES

    @classmethod
    def from_record(
        cls, record: service.SavedSearchRecord, *, recorded: bool = False
    ) -> SavedSearch:
        return build(cls, record, query=given(record.query), recorded=recorded, record=record)

    @strawberry.field(
        description=NEW_SINCE_LAST_RUN.format(
            what="resumes you may see that were updated, or had their audience changed, since"
        )
    )
    async def new_since_last_run(self, info: Info) -> int:
        return await new_since(info, self.record, self.record.last_run_at or self.created_at)

    @strawberry.field(description="Run the saved search now, with its query, filters and sort.")
    async def results(
        self, info: Info, first: First = None, after: After = None
    ) -> CandidateSearchResult:
        if not self.recorded:
            await service.mark_saved_searches_run([self.id])
        return await run_search(
            info,
            query=self.query or "",
            wanted=service.CandidateFilter.from_json(self.filter),
            sort=self.sort,
            first=first,
            after=after,
        )


@strawberry.input
class SaveCandidateSearchInput:
    name: str = strawberry.field(description="A name to know the search by.")
    query: str | None = strawberry.field(
        default=None, description="The query, in the search query language."
    )
    filter: CandidateFilterInput | None = strawberry.field(default=None, description="The filters.")
    sort: CandidateSort = strawberry.field(
        default=service.CandidateSort.RELEVANCE, description="The order of its results."
    )
    alert_frequency: AlertFrequency = strawberry.field(
        default=AlertFrequencyEnum.OFF, description="How often to be told of new matches."
    )


@strawberry.type
class SavedSearchPayload:
    saved_search: SavedSearch | None = None
    user_errors: list[SearchError] = strawberry.field(default_factory=list)


@strawberry.input
class DeleteSavedSearchInput:
    id: relay.GlobalID = strawberry.field(
        description="The saved search to forget (a SavedSearch or a SavedJobSearch)."
    )


@strawberry.type
class DeleteSavedSearchPayload:
    deleted_saved_search_id: relay.GlobalID | None = None
    user_errors: list[SearchError] = strawberry.field(default_factory=list)


def saved_search_id(global_id: relay.GlobalID) -> int:
    """The row behind a saved search's id, of either kind (SavedSearch or SavedJobSearch)."""
    type_name = "SavedJobSearch" if global_id.type_name == "SavedJobSearch" else "SavedSearch"
    return database_id(global_id, type_name, field="id", code=service.SearchErrorCode.NOT_FOUND)


@strawberry.type
class CandidateSearchQuery:
    @strawberry.field(
        description="Search the candidates the viewer may see: the query language "
        '(AND, OR, NOT, "phrases", parentheses, title:, skill:, company:, school:, name:, '
        f"trailing *), filters, facets and highlights. Pages of at most {MAX_PAGE_SIZE}; "
        f"the first {MAX_OFFSET} results can be paged through."
    )
    async def search_candidates(
        self,
        info: Info,
        query: Annotated[
            str | None,
            strawberry.argument(
                description=(
                    "What to look for, in the query language (like `python AND "
                    '"data pipelines" NOT title:intern`); null lists every '
                    "candidate you may see."
                )
            ),
        ] = None,
        filter: Annotated[
            CandidateFilterInput | None,
            strawberry.argument(
                description=(
                    "Narrow the candidates by skills, place, experience, titles, "
                    "employers, education, languages and open-to-work."
                )
            ),
        ] = None,
        sort: Annotated[
            CandidateSort | None,
            strawberry.argument(
                description=(
                    "The order of the results; RELEVANCE with a query and RECENCY"
                    " without when left out."
                )
            ),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> CandidateSearchResult:
        wanted = filter.to_filter() if filter else service.CandidateFilter()
        return await run_search(
            info,
            query=query,
            wanted=wanted,
            sort=sort,
            first=first,
            after=after,
        )

    @strawberry.field(description="Your saved candidate searches, oldest first.")
    async def saved_searches(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[SavedSearch]:
        page, records = await service.saved_searches(info.context.viewer, first=first, after=after)
        connection = selected_fields(
            [s for field in info.selected_fields for s in field.selections]
        )
        node_fields = child_fields(child_fields(connection, "edges"), "node")
        searches = await SavedSearch.from_records(records, node_fields)
        by_id = {search.id: search for search in searches}
        return Connection.from_page(page, lambda row: by_id[row["id"]])


def _saved_search_payload(record: service.SavedSearchRecord) -> SavedSearchPayload:
    return SavedSearchPayload(saved_search=SavedSearch.from_record(record))


async def _delete_saved_search(viewer: Viewer, input: DeleteSavedSearchInput) -> relay.GlobalID:
    await service.delete_saved_search(viewer, saved_search_id(input.id))
    return input.id


def _deleted_payload(deleted: relay.GlobalID) -> DeleteSavedSearchPayload:
    return DeleteSavedSearchPayload(deleted_saved_search_id=deleted)


@strawberry.type
class CandidateSearchMutation:
    save_candidate_search = mutation(
        "Keep a candidate search (query, filters, sort) to rerun.",
        SaveCandidateSearchInput,
        "A name, and the query, filters and sort to keep.",
        lambda viewer, input: service.save_search(
            viewer,
            name=input.name,
            query=input.query,
            wanted=input.filter.to_filter() if input.filter else service.CandidateFilter(),
            sort=input.sort,
            alert_frequency=input.alert_frequency,
        ),
        _saved_search_payload,
    )

    delete_saved_search = mutation(
        "Forget a saved search, of candidates or of jobs.",
        DeleteSavedSearchInput,
        "The saved search to forget.",
        _delete_saved_search,
        _deleted_payload,
    )

"""One search pipeline for every ranked list of documents: jobs, candidates, directories.

A capability's service turns the viewer's query and filters into a `SearchRequest` (its
audience inside the filters); `search_page` runs it off the event loop, maps a query that does
not parse to a user error, hydrates the hits through the request's DataLoaders (which check
every document against the database again: a hit the viewer may no longer see is dropped, and
counted out of the total), and gives the cursors and page info the API returns.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, TypeVar

import anyio.to_thread
from strawberry import relay

from api.core.errors import query_error
from api.core.pagination import page_size, search_cursor, search_offset, search_page_info
from api.core.types import Facet
from search.engine import MAX_OFFSET, Hit, QuerySyntaxError, SearchIndex, SearchRequest

T = TypeVar("T")


@dataclass(frozen=True)
class Window:
    """Which slice of the ranking a page asks for (`first`/`after` as offset and limit)."""

    offset: int
    limit: int

    @classmethod
    def of(cls, first: int | None, after: str | None) -> Window:
        return cls(offset=search_offset(after, MAX_OFFSET), limit=page_size(first))


#: How every search result type describes `correctedQuery`.
CORRECTED_QUERY = (
    "The query searched instead of the one given, which matched nothing: its misspelled "
    "words corrected (the hits are the corrected query's). Null when the given query was "
    "searched."
)


@dataclass(frozen=True)
class Ranked(Generic[T]):
    """One hydrated hit: the item, how it matched, and its cursor."""

    item: T
    hit: Hit
    cursor: str


@dataclass(frozen=True)
class SearchPage(Generic[T]):
    """A page of ranked results the viewer may see, with what the whole search found."""

    ranked: list[Ranked[T]]
    total: int
    facets: list[Facet]
    suggestion: str | None
    page_info: relay.PageInfo
    corrected_query: str | None = None

    def fields(self, edges: Sequence[Any]) -> dict[str, Any]:
        """The shared fields of every search result type, around its own `edges`."""
        return {
            "total_count": self.total,
            "edges": list(edges),
            "page_info": self.page_info,
            "facets": self.facets,
            "suggestion": self.suggestion,
            "corrected_query": self.corrected_query,
        }


async def search_page(
    index: SearchIndex,
    request: SearchRequest,
    load: Callable[[list[int]], Awaitable[Sequence[T | None]]],
    *,
    syntax_code: Enum,
) -> SearchPage[T]:
    """Run `request`, then `load` the hits (a DataLoader's `load_many`: None for a document
    the viewer may not see); `syntax_code` is the capability's INVALID_QUERY."""
    try:
        result = await anyio.to_thread.run_sync(index.search, request)
    except QuerySyntaxError as error:
        raise query_error(error, syntax_code) from None
    items = await load([int(hit.id) for hit in result.hits])
    kept = [(item, hit) for item, hit in zip(items, result.hits, strict=True) if item is not None]
    hidden = len(result.hits) - len(kept)  # the index lagged a change: trust the database
    ranked = [
        Ranked(item=item, hit=hit, cursor=search_cursor(request.offset + position))
        for position, (item, hit) in enumerate(kept)
    ]
    has_next = request.offset + request.limit < result.total
    return SearchPage(
        ranked=ranked,
        total=max(0, result.total - hidden),
        facets=[Facet.from_counts({facet.name: list(facet.values)})[0] for facet in result.facets],
        suggestion=result.suggestion,
        page_info=search_page_info(request.offset, [r.cursor for r in ranked], has_next),
        corrected_query=result.corrected_query,
    )


def index_of(indexes: Any, kind: str) -> SearchIndex:
    """This process's index of `kind`; a missing one is a set-up fault, not the client's."""
    index = (indexes or {}).get(kind)
    if not isinstance(index, SearchIndex):
        raise RuntimeError(f"the {kind} index is not configured")
    return index

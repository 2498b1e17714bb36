"""Cursor pagination (Relay connections) with a hard page cap.

Cursors are opaque and keyset-based: they hold the last row's id, so a page is one indexed
range query whatever its depth, and rows inserted meanwhile never shift a page.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable, Generator, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar, cast

import strawberry
from piccolo.columns import Column
from piccolo.columns.combination import Where, WhereRaw
from piccolo.query.functions.aggregate import Count
from piccolo.table import Table
from strawberry import relay

from api.core.errors import BadUserInput
from api.core.types import row_id

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
_CURSOR_PREFIX = "cursor:"

Row = dict[str, Any]
NodeType = TypeVar("NodeType", bound=relay.Node)

#: The two arguments of every connection field, described once.
First = Annotated[
    int | None,
    strawberry.argument(
        description=f"How many items to return: 0 to {MAX_PAGE_SIZE}; {DEFAULT_PAGE_SIZE} when "
        "left out."
    ),
]
After = Annotated[
    str | None,
    strawberry.argument(
        description="Start after this cursor: the `pageInfo.endCursor` of the page before; "
        "leave out for the first page."
    ),
]


def encode_cursor(row_id: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{row_id}".encode()).decode()


def not_a_cursor() -> BadUserInput:
    return BadUserInput(
        "`after` is not a cursor from this connection; pass an `endCursor` you received.",
        argument="after",
    )


def cursor_text(cursor: str, prefix: str) -> str:
    """What a cursor made by `prefix` holds after its prefix; `not_a_cursor()` for any
    other text. Each codec then reads its parts (ids through `row_id`, never `int`)."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise not_a_cursor() from None
    if not text.startswith(prefix):
        raise not_a_cursor()
    return text.removeprefix(prefix)


def decode_cursor(cursor: str) -> int:
    number = row_id(cursor_text(cursor, _CURSOR_PREFIX))
    if number is None:
        raise not_a_cursor()
    return number


def page_size(first: int | None) -> int:
    if first is None:
        return DEFAULT_PAGE_SIZE
    if not 0 <= first <= MAX_PAGE_SIZE:
        raise BadUserInput(
            f"`first` must be between 0 and {MAX_PAGE_SIZE}; ask for the next page with `after`.",
            argument="first",
            maximum=MAX_PAGE_SIZE,
        )
    return first


class DeferredCount:
    """A row count run only when it is awaited, once. A connection's `totalCount` resolves
    it, so a page asked for without `totalCount` costs one query instead of two (the site's
    board pages through every posting and never asks: at 100,000 postings that was a
    thousand counts over the whole table)."""

    def __init__(self, count: Callable[[], Awaitable[Any]]) -> None:
        """`count`: runs the count (a Piccolo count query's `run`, a prepared read)."""
        self._count = count
        self._value: int | None = None

    def __await__(self) -> Generator[Any, None, int]:
        return self._result().__await__()

    async def _result(self) -> int:
        if self._value is None:
            self._value = int(await self._count())
        return self._value


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    total_count: int | DeferredCount
    """A number, or a count run when `totalCount` is read (GraphQL awaits it)."""
    has_next_page: bool
    has_previous_page: bool


async def paginate(
    table: type[Table],
    *,
    where: Sequence[Where | WhereRaw] = (),
    first: int | None,
    after: str | None,
    columns: Sequence[Any] = (),
) -> Page:
    """One page of `table` rows in id order: one query, and one more for the count only
    when `totalCount` is read."""
    size = page_size(first)
    after_id = decode_cursor(after) if after else None
    id_column = table._meta.primary_key
    query = table.select(*columns).order_by(id_column).limit(size + 1)
    count = table.count()
    for condition in where:
        query = query.where(condition)
        count = count.where(condition)
    if after_id is not None:
        query = query.where(id_column > after_id)
    rows = await query.run() if size else []
    return keyset_page(rows, size, after=after_id is not None, count=count.run)


def keyset_page(
    rows: list[Row], size: int, *, after: bool, count: Callable[[], Awaitable[Any]]
) -> Page:
    """The page of `rows` read for a page of `size` (one more than `size` when there is a
    next page), after a cursor or not; `count` runs when `totalCount` is read."""
    return Page(
        rows=rows[:size],
        total_count=DeferredCount(count),
        has_next_page=len(rows) > size,
        has_previous_page=after,
    )


async def first_pages(
    table: type[Table],
    parent: Column,
    parent_ids: list[int],
    size: int,
    *,
    status: Column,
    value: Any,
    order_by: Sequence[Column] = (),
    columns: Sequence[Any] = (),
) -> dict[int, Page]:
    """The first page of each parent's `table` rows whose `status` is `value`, ordered by
    `order_by` then id, in three queries for all the parents (a page of posts showing their
    comments must not cost a query per post). `value` may be a list: rows whose `status` is
    any of them. The pages start where `paginate` would; rows come back as `columns` (all by
    default)."""
    ids = sorted(set(parent_ids))
    if not ids:
        return {}
    values = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
    id_column = table._meta.primary_key
    parent_name = parent._meta.db_column_name
    order = ", ".join(c._meta.db_column_name for c in (*order_by, id_column))
    placeholders = ", ".join("{}" for _ in ids)
    # Only table and column names are spliced in; every value is a bound parameter.
    ranked = await table.raw(
        f"SELECT {id_column._meta.db_column_name} AS id, position FROM (SELECT "  # noqa: S608
        f"{id_column._meta.db_column_name}, ROW_NUMBER() OVER (PARTITION BY {parent_name} "
        f"ORDER BY {order}) AS position FROM {table._meta.tablename} WHERE "
        f"{status._meta.db_column_name} IN ({', '.join('{}' for _ in values)}) AND "
        f"{parent_name} IN ({placeholders})) AS ranked WHERE position <= {{}}",
        *values,
        *ids,
        size + 1,
    )
    rows: list[Row] = []
    if ranked and size:
        rows = await table.select(*columns).where(id_column.is_in([r["id"] for r in ranked]))
    position = {r["id"]: r["position"] for r in ranked}
    totals = (
        await table.select(parent, Count(alias="total"))
        .where(parent.is_in(ids) & status.is_in(values))
        .group_by(parent)
    )
    total_by_parent = {row[parent._meta.name]: int(row["total"]) for row in totals}
    by_parent: dict[int, list[Row]] = {}
    for row in sorted(rows, key=lambda r: position[r[id_column._meta.name]]):
        by_parent.setdefault(row[parent._meta.name], []).append(row)
    return {
        parent_id: Page(
            rows=by_parent.get(parent_id, [])[:size],
            total_count=total_by_parent.get(parent_id, 0),
            has_next_page=len(by_parent.get(parent_id, [])) > size,
            has_previous_page=False,
        )
        for parent_id in ids
    }


@strawberry.type(description="A page of items, with the total and cursors to move on.")
class Connection(relay.Connection[NodeType], Generic[NodeType]):
    # A `DeferredCount` may stand here: graphql-core awaits any awaitable a field holds.
    total_count: int = strawberry.field(description="How many items match, over all pages.")

    @classmethod
    def from_page(
        cls,
        page: Page,
        to_node: Callable[[Any], NodeType],
        cursor: Callable[[Any], str] | None = None,
    ) -> Connection[NodeType]:
        """The connection of a page of rows or records, keyed by id (or by `cursor`)."""
        edges = [
            relay.Edge(cursor=(cursor or _id_cursor)(item), node=to_node(item))
            for item in page.rows
        ]
        return cls(
            edges=edges,
            total_count=cast(int, page.total_count),
            page_info=page_info(
                [edge.cursor for edge in edges],
                has_next_page=page.has_next_page,
                has_previous_page=page.has_previous_page,
            ),
        )


def _id_cursor(item: Any) -> str:
    return encode_cursor(item["id"] if isinstance(item, dict) else item.id)


def page_info(
    cursors: Sequence[str], *, has_next_page: bool, has_previous_page: bool
) -> relay.PageInfo:
    """Relay's page info for a page whose edges carry `cursors`."""
    return relay.PageInfo(
        has_next_page=has_next_page,
        has_previous_page=has_previous_page,
        start_cursor=cursors[0] if cursors else None,
        end_cursor=cursors[-1] if cursors else None,
    )


def search_cursor(position: int) -> str:
    """Ranked lists (search results, people you may know) are not keyed: their cursors are
    positions."""
    return base64.urlsafe_b64encode(f"search:{position}".encode()).decode()


#: How far any ranked list pages (people you may know, connections); searches stop sooner.
MAX_RANKED_OFFSET = 100_000


def search_offset(after: str | None, maximum: int = MAX_RANKED_OFFSET) -> int:
    """The offset of the item after the cursor `after`; ranked lists stop at `maximum`."""
    if not after:
        return 0
    text = cursor_text(after, "search:")
    if not (text.isascii() and text.isdigit() and len(text) <= 19):
        raise not_a_cursor()  # a position is never negative, nor past 64 bits
    position = int(text) + 1
    if position > maximum:
        raise BadUserInput(
            f"Search pages reach the first {maximum} results; narrow the search.",
            argument="after",
        )
    return position


def empty_page_info() -> relay.PageInfo:
    return page_info([], has_next_page=False, has_previous_page=False)


def search_page_info(offset: int, cursors: list[str], has_next_page: bool) -> relay.PageInfo:
    """Page info for a page of ranked results that starts at `offset`."""
    return page_info(cursors, has_next_page=has_next_page, has_previous_page=offset > 0)

"""Cursor pagination (Relay connections) with a hard page cap.

Cursors are opaque and keyset-based: they hold the last row's id, so a page is one indexed
range query whatever its depth, and rows inserted meanwhile never shift a page.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import strawberry
from piccolo.columns.combination import Where, WhereRaw
from piccolo.table import Table
from strawberry import relay

from api.core.errors import BadUserInput

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
_CURSOR_PREFIX = "cursor:"

Row = dict[str, Any]
NodeType = TypeVar("NodeType")


def encode_cursor(row_id: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{row_id}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not text.startswith(_CURSOR_PREFIX):
            raise ValueError(text)
        return int(text.removeprefix(_CURSOR_PREFIX))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadUserInput(
            "`after` is not a cursor from this connection; pass an `endCursor` you received.",
            argument="after",
        ) from None


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


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    total_count: int
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
    """One page of `table` rows in id order: two queries (the page and the count)."""
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
    total = await count.run()
    return Page(
        rows=rows[:size],
        total_count=total,
        has_next_page=len(rows) > size,
        has_previous_page=after_id is not None,
    )


@strawberry.type(description="A page of items, with the total and cursors to move on.")
class Connection(relay.Connection[NodeType], Generic[NodeType]):
    total_count: int = strawberry.field(description="How many items match, over all pages.")

    @classmethod
    def from_page(cls, page: Page, to_node: Callable[[Row], NodeType]) -> Connection[NodeType]:
        edges = [
            relay.Edge(cursor=encode_cursor(row["id"]), node=to_node(row)) for row in page.rows
        ]
        return cls(
            edges=edges,
            total_count=page.total_count,
            page_info=relay.PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=page.has_previous_page,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )


def search_cursor(position: int) -> str:
    """Search results are ranked, not keyed: their cursors are positions."""
    return base64.urlsafe_b64encode(f"search:{position}".encode()).decode()


def search_offset(after: str | None, maximum: int) -> int:
    if not after:
        return 0
    try:
        text = base64.urlsafe_b64decode(after.encode()).decode()
        if not text.startswith("search:"):
            raise ValueError(text)
        position = int(text.removeprefix("search:")) + 1
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadUserInput("`after` is not a cursor from this search.", argument="after") from None
    if position > maximum:
        raise BadUserInput(
            f"Search pages reach the first {maximum} results; narrow the search.",
            argument="after",
        )
    return position


def search_page_info(offset: int, cursors: list[str], has_next_page: bool) -> relay.PageInfo:
    """Page info for a page of ranked results that starts at `offset`."""
    return relay.PageInfo(
        has_next_page=has_next_page,
        has_previous_page=offset > 0,
        start_cursor=cursors[0] if cursors else None,
        end_cursor=cursors[-1] if cursors else None,
    )

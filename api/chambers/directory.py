"""The business directory: a chamber's active member businesses, by name, with category counts.

Pages are keyset pages on (lowercased name, organization id), so a page costs the same at any
depth and a business joining meanwhile never shifts one. Counts by category cover every match
of the text query, whatever the category filter, so a client can show the other categories'
counts beside a filtered list.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from piccolo.columns.combination import Where, WhereRaw
from piccolo.query import OrderByRaw
from piccolo.query.functions.aggregate import Count
from piccolo.query.functions.string import Lower

from api.chambers import service
from api.chambers.records import BusinessMembershipRecord
from api.chambers.tables import BusinessCategory, BusinessMembership, BusinessMembershipStatus
from api.core.errors import BadUserInput
from api.core.pagination import cursor_text, not_a_cursor, page_size
from api.core.types import row_id
from api.core.viewer import Viewer
from api.networks.tables import Organization

_CURSOR_PREFIX = "directory:"
_NAME = 'LOWER("organization"."name")'
MAX_QUERY_WORDS = 8
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class DirectoryEntry:
    cursor: str
    membership: BusinessMembershipRecord


@dataclass(frozen=True)
class DirectoryPage:
    entries: list[DirectoryEntry]
    total_count: int
    has_next_page: bool
    has_previous_page: bool
    category_counts: list[tuple[BusinessCategory, int]]


def _encode_cursor(sort_name: str, organization_id: int) -> str:
    text = _CURSOR_PREFIX + json.dumps([sort_name, organization_id], ensure_ascii=False)
    return base64.urlsafe_b64encode(text.encode()).decode()


def _decode_cursor(cursor: str) -> tuple[str, int]:
    try:
        sort_name, organization_id = json.loads(cursor_text(cursor, _CURSOR_PREFIX))
    except (ValueError, TypeError, RecursionError):
        raise not_a_cursor() from None
    number = row_id(str(organization_id)) if isinstance(organization_id, int) else None
    if not isinstance(sort_name, str) or number is None:
        raise not_a_cursor()
    return sort_name, number


def _like_pattern(word: str) -> str:
    escaped = word.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _words(query: str | None) -> list[str]:
    if len(query or "") > MAX_QUERY_LENGTH:
        raise BadUserInput(
            f"Search the directory with at most {MAX_QUERY_LENGTH} characters.", argument="query"
        )
    words = (query or "").split()
    if len(words) > MAX_QUERY_WORDS:
        raise BadUserInput(
            f"Search the directory with at most {MAX_QUERY_WORDS} words.", argument="query"
        )
    return words


def _active_in(chamber_id: int) -> Where:
    return (BusinessMembership.chamber == chamber_id) & (
        BusinessMembership.status == BusinessMembershipStatus.ACTIVE.value
    )


def _matching_businesses(chamber_id: int, words: list[str]) -> list[Any]:
    """Conditions on Organization rows: every word in the business's name or its blurb."""
    conditions: list[Any] = []
    for word in words:
        pattern = _like_pattern(word)
        blurb_matches = BusinessMembership.select(BusinessMembership.business).where(
            _active_in(chamber_id),
            WhereRaw('LOWER("business_membership"."blurb") LIKE {} ESCAPE \'\\\'', pattern),
        )
        conditions.append(
            WhereRaw(f"{_NAME} LIKE {{}} ESCAPE '\\'", pattern)
            | Organization.id.is_in(blurb_matches)
        )
    return conditions


async def business_directory(
    viewer: Viewer,
    chamber_id: int,
    *,
    category: BusinessCategory | None = None,
    query: str | None = None,
    first: int | None = None,
    after: str | None = None,
) -> DirectoryPage:
    """One page of a chamber's active member businesses, ordered by name."""
    await service.visible_chamber(viewer, chamber_id)
    size = page_size(first)
    words = _words(query)
    listed = BusinessMembership.select(BusinessMembership.business).where(_active_in(chamber_id))
    if category is not None:
        listed = listed.where(BusinessMembership.category == category.value)
    conditions = [Organization.id.is_in(listed), *_matching_businesses(chamber_id, words)]

    page_query = (
        Organization.select(Organization.id, Lower(Organization.name, alias="sort_name"))
        .where(*conditions)
        .order_by(OrderByRaw(_NAME))
        .order_by(Organization.id)
        .limit(size + 1)
    )
    if after:
        sort_name, organization_id = _decode_cursor(after)
        page_query = page_query.where(
            WhereRaw(
                f'({_NAME} > {{}} OR ({_NAME} = {{}} AND "organization"."id" > {{}}))',
                sort_name,
                sort_name,
                organization_id,
            )
        )
    found = await page_query.run() if size else []
    total = await Organization.count().where(*conditions).run()
    page = found[:size]

    found_memberships = await service.business_memberships_by_pairs(
        [(chamber_id, row["id"]) for row in page]
    )
    memberships = {business: found for (_, business), found in found_memberships.items()}

    return DirectoryPage(
        entries=[
            DirectoryEntry(
                cursor=_encode_cursor(row["sort_name"], row["id"]),
                membership=memberships[row["id"]],
            )
            for row in page
            if row["id"] in memberships
        ],
        total_count=total,
        has_next_page=len(found) > size,
        has_previous_page=after is not None,
        category_counts=await _category_counts(chamber_id, words),
    )


async def _category_counts(chamber_id: int, words: list[str]) -> list[tuple[BusinessCategory, int]]:
    """How many active member businesses match the text query, by category (all categories)."""
    query = BusinessMembership.select(BusinessMembership.category, Count(alias="count")).where(
        _active_in(chamber_id)
    )
    if words:
        matching = Organization.select(Organization.id).where(
            *_matching_businesses(chamber_id, words)
        )
        query = query.where(BusinessMembership.business.is_in(matching))
    rows = await query.group_by(BusinessMembership.category)
    counts = {row["category"]: row["count"] for row in rows}
    return [(category, counts.get(category.value, 0)) for category in BusinessCategory]

"""Who is near whom: the viewer's connections, degrees, mutual connections and people
they may know. Each is a few SQL statements for a whole page of people, never one per
person; visibility comes from `api.people.audience` (`audiences_reached`), as everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from api.core.pagination import page_size, search_offset
from api.core.viewer import Viewer
from api.networks.tables import MembershipRole, MembershipStatus
from api.people.audience import (
    Circle,
    Reach,
    active_organization_ids,
    audiences_reached,
    circle_of,
)
from api.people.tables import Account, ConnectionStatus, Visibility

#: People you may know: how much each reason weighs in the score.
MUTUAL_CONNECTION_WEIGHT = 2
SHARED_ORGANIZATION_WEIGHT = 1

_ACCEPTED = ConnectionStatus.ACCEPTED.value
_PENDING = ConnectionStatus.PENDING.value


class Degree(Enum):
    """How close a person is to the viewer; the closest that applies wins."""

    SELF = "SELF"
    FIRST = "FIRST"
    SECOND = "SECOND"
    FELLOW_MEMBER = "FELLOW_MEMBER"
    NONE = "NONE"


# --- Ranked pages: cursors are positions (api.core.pagination.search_cursor) ----------------


@dataclass(frozen=True)
class RankedPage:
    """A page of a ranked list: its rows, where it starts and how many there are in all."""

    rows: list[dict[str, Any]]
    offset: int
    total_count: int
    has_next_page: bool


async def _ranked(sql: str, args: list[Any], first: int | None, after: str | None) -> RankedPage:
    """Run `sql` (ordered, with a `total` column from COUNT(*) OVER ()) for one page."""
    size = page_size(first)
    offset = search_offset(after)
    rows = await Account.raw(f"{sql} LIMIT {{}} OFFSET {{}}", *args, size + 1, offset)
    if rows:
        total = int(rows[0]["total"])
    else:  # past the end (or an empty page asked for): count without a page
        counted = await Account.raw(f"{sql} LIMIT 1", *args)
        total = int(counted[0]["total"]) if counted else 0
    return RankedPage(
        rows=rows[:size] if size else [],
        offset=offset,
        total_count=total,
        has_next_page=len(rows) > size,
    )


def _placeholders(values: list[Any]) -> str:
    return ", ".join("{}" for _ in values)


# The viewer's accepted connections, as a CTE named `mine` (one column, `friend`, and when the
# two were connected); {} is the viewer's account id, three times.
_MINE = f"""
mine AS (
    SELECT addressee AS friend, responded_at AS connected_at FROM connection
    WHERE requester = {{}} AND status = '{_ACCEPTED}'
    UNION ALL
    SELECT requester AS friend, responded_at AS connected_at FROM connection
    WHERE addressee = {{}} AND status = '{_ACCEPTED}'
)"""  # noqa: S608 (constants and placeholders only: values travel as parameters)


def _audiences(
    circle: Circle, *, is_connection: bool = False, shares_organization: bool = False
) -> list[str]:
    """The profile visibilities the viewer reaches in someone they are connected to (or
    share an organization with, or neither), as SQL parameters."""
    reach = Reach(
        signed_in=True,
        is_connection=is_connection,
        shares_organization=shares_organization,
        acts_for_employer=bool(circle.verified_employer_ids),
    )
    return [visibility.value for visibility in audiences_reached(reach)]


async def connections_page(viewer: Viewer, *, first: int | None, after: str | None) -> RankedPage:
    """The viewer's connections whose profiles they may see, most recently connected first."""
    me = viewer.require_account()
    circle = await circle_of(viewer)
    audiences = _audiences(circle, is_connection=True)
    sql = f"""
WITH {_MINE}
SELECT mine.friend AS id, COUNT(*) OVER () AS total
FROM mine LEFT JOIN profile p ON p.account = mine.friend
WHERE COALESCE(p.visibility, '{Visibility.PUBLIC.value}') IN ({_placeholders(audiences)})
ORDER BY mine.connected_at DESC, mine.friend"""  # noqa: S608
    return await _ranked(sql, [me, me, *audiences], first, after)


async def people_you_may_know(
    viewer: Viewer, *, first: int | None, after: str | None
) -> RankedPage:
    """People the viewer is not connected to, ranked by what they share with the viewer.

    Score = 2 * mutual connections + 1 * shared organizations (active, non-guest
    memberships). Excluded: the viewer, their connections, anyone with a pending request
    either way, anyone blocked either way, and anyone whose profile the viewer may not see.
    Ordered by score, then account id, so pages are stable. Each row carries `id`,
    `mutual_connections`, `shared_organizations`, `score` and `shared_organization_ids`.
    """
    me = viewer.require_account()
    circle = await circle_of(viewer)
    stranger = _audiences(circle)
    fellow = _audiences(circle, shares_organization=True)
    active, guest = MembershipStatus.ACTIVE.value, MembershipRole.GUEST.value
    sql = f"""
WITH {_MINE},
my_organizations AS (
    SELECT organization FROM membership
    WHERE account = {{}} AND status = '{active}' AND role <> '{guest}'
),
reasons AS (
    SELECT c.addressee AS candidate, COUNT(*) AS mutuals, 0 AS shared
    FROM connection c JOIN mine ON mine.friend = c.requester
    WHERE c.status = '{_ACCEPTED}' GROUP BY c.addressee
    UNION ALL
    SELECT c.requester AS candidate, COUNT(*) AS mutuals, 0 AS shared
    FROM connection c JOIN mine ON mine.friend = c.addressee
    WHERE c.status = '{_ACCEPTED}' GROUP BY c.requester
    UNION ALL
    SELECT m.account AS candidate, 0 AS mutuals, COUNT(DISTINCT m.organization) AS shared
    FROM membership m JOIN my_organizations o ON o.organization = m.organization
    WHERE m.status = '{active}' AND m.role <> '{guest}' GROUP BY m.account
),
scored AS (
    SELECT candidate, CAST(SUM(mutuals) AS INTEGER) AS mutuals,
           CAST(SUM(shared) AS INTEGER) AS shared
    FROM reasons GROUP BY candidate
)
SELECT s.candidate AS id, s.mutuals AS mutual_connections, s.shared AS shared_organizations,
       {MUTUAL_CONNECTION_WEIGHT} * s.mutuals + {SHARED_ORGANIZATION_WEIGHT} * s.shared AS score,
       COUNT(*) OVER () AS total
FROM scored s LEFT JOIN profile p ON p.account = s.candidate
WHERE s.candidate <> {{}}
  AND s.candidate NOT IN (SELECT friend FROM mine)
  AND NOT EXISTS (
      SELECT 1 FROM connection r WHERE r.status = '{_PENDING}'
      AND ((r.requester = {{}} AND r.addressee = s.candidate)
           OR (r.requester = s.candidate AND r.addressee = {{}})))
  AND NOT EXISTS (
      SELECT 1 FROM person_block b
      WHERE (b.blocker = {{}} AND b.blocked = s.candidate)
         OR (b.blocker = s.candidate AND b.blocked = {{}}))
  AND (COALESCE(p.visibility, '{Visibility.PUBLIC.value}') IN ({_placeholders(stranger)})
       OR (s.shared > 0
           AND COALESCE(p.visibility, '{Visibility.PUBLIC.value}') IN ({_placeholders(fellow)})))
ORDER BY score DESC, s.candidate"""  # noqa: S608
    args = [me, me, me, me, me, me, me, me, *stranger, *fellow]
    page = await _ranked(sql, args, first, after)
    organizations = await active_organization_ids([row["id"] for row in page.rows])
    for row in page.rows:
        row["shared_organization_ids"] = sorted(organizations[row["id"]] & circle.organization_ids)
    return page


# --- Degrees and mutual connections of many people at once -----------------------------------


async def _mutual_pairs(
    me: int, account_ids: list[int], audiences: list[str] | None = None
) -> list[dict[str, Any]]:
    """(person, mutual) for each accepted connection between a person in `account_ids` and
    one of the viewer's connections; with `audiences`, only mutuals whose profile is in one."""
    keys = _placeholders(account_ids)
    visible = ""
    visible_args: list[Any] = []
    if audiences is not None:
        visible = (
            f" AND COALESCE(p.visibility, '{Visibility.PUBLIC.value}') "
            f"IN ({_placeholders(audiences)})"
        )
        visible_args = audiences
    sql = f"""
WITH {_MINE}
SELECT c.requester AS person, c.addressee AS mutual
FROM connection c JOIN mine ON mine.friend = c.addressee
LEFT JOIN profile p ON p.account = c.addressee
WHERE c.status = '{_ACCEPTED}' AND c.requester IN ({keys}){visible}
UNION ALL
SELECT c.addressee AS person, c.requester AS mutual
FROM connection c JOIN mine ON mine.friend = c.requester
LEFT JOIN profile p ON p.account = c.requester
WHERE c.status = '{_ACCEPTED}' AND c.addressee IN ({keys}){visible}"""  # noqa: S608
    return await Account.raw(sql, me, me, *account_ids, *visible_args, *account_ids, *visible_args)


async def mutual_connection_ids(viewer: Viewer, account_ids: list[int]) -> dict[int, list[int]]:
    """For each person, the viewer's connections who are theirs too and whose profiles the
    viewer may see, in account id order: one query for all of them."""
    result: dict[int, list[int]] = {account_id: [] for account_id in account_ids}
    circle = await circle_of(viewer)
    others = [a for a in account_ids if a != circle.account_id]
    if circle.account_id is None or not circle.connection_ids or not others:
        return result
    audiences = _audiences(circle, is_connection=True)
    for row in await _mutual_pairs(circle.account_id, others, audiences):
        if row["mutual"] not in circle.blocked_either_way:
            result[row["person"]].append(row["mutual"])
    return {account_id: sorted(set(ids)) for account_id, ids in result.items()}


async def degrees(viewer: Viewer, account_ids: list[int]) -> dict[int, Degree | None]:
    """Each person's degree relative to the viewer (None for an anonymous viewer): at most
    two queries beyond the viewer's circle, whatever the number of people."""
    circle = await circle_of(viewer)
    me = circle.account_id
    if me is None:
        return {account_id: None for account_id in account_ids}
    result: dict[int, Degree | None] = {}
    for account_id in account_ids:
        if account_id == me:
            result[account_id] = Degree.SELF
        elif account_id in circle.connection_ids:
            result[account_id] = Degree.FIRST
    rest = [a for a in account_ids if a not in result]
    if rest and circle.connection_ids:
        for row in await _mutual_pairs(me, rest):
            result[row["person"]] = Degree.SECOND
        rest = [a for a in rest if a not in result]
    if rest and circle.organization_ids:
        organizations = await active_organization_ids(rest)
        for account_id in rest:
            if organizations[account_id] & circle.organization_ids:
                result[account_id] = Degree.FELLOW_MEMBER
    for account_id in account_ids:
        result.setdefault(account_id, Degree.NONE)
    return result

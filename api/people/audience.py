"""Who may see what: the one place audiences are decided.

A viewer's *circle* (their connections, organizations, verified employers and blocks) is
loaded once per request; the *reach* of a viewer to an owner says which of the nested
audiences of `Visibility` the viewer belongs to. Services ask `reaches(visibility, reach)`.
A person who blocked the viewer is out of every audience, PUBLIC included: that is how a
block hides the blocker's profile and resumes from the person they blocked.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from api.core.viewer import Viewer
from api.networks import service as networks
from api.people.tables import Connection, ConnectionStatus, PersonBlock, Visibility

_RANK = {
    Visibility.PRIVATE: 0,
    Visibility.CONNECTIONS: 1,
    Visibility.MEMBERS: 2,
    Visibility.EMPLOYERS: 3,
    Visibility.PUBLIC: 4,
}


def narrower(first: Visibility, second: Visibility) -> Visibility:
    return first if _RANK[first] <= _RANK[second] else second


@dataclass(frozen=True)
class Circle:
    account_id: int | None
    connection_ids: frozenset[int]
    organization_ids: frozenset[int]
    employer_ids: frozenset[int]
    blocked_ids: frozenset[int] = frozenset()
    """People the viewer blocked."""
    blocked_by_ids: frozenset[int] = frozenset()
    """People who blocked the viewer: hidden from the viewer everywhere."""

    @property
    def blocked_either_way(self) -> frozenset[int]:
        return self.blocked_ids | self.blocked_by_ids


ANONYMOUS_CIRCLE = Circle(None, frozenset(), frozenset(), frozenset())


async def connection_ids(account_id: int) -> set[int]:
    rows = await Connection.select(Connection.requester, Connection.addressee).where(
        (Connection.status == ConnectionStatus.ACCEPTED.value)
        & ((Connection.requester == account_id) | (Connection.addressee == account_id))
    )
    return {
        row["addressee"] if row["requester"] == account_id else row["requester"] for row in rows
    }


async def blocks_of(account_id: int) -> tuple[set[int], set[int]]:
    """Whom the account blocked, and who blocked the account: one query."""
    rows = await PersonBlock.select(PersonBlock.blocker, PersonBlock.blocked).where(
        (PersonBlock.blocker == account_id) | (PersonBlock.blocked == account_id)
    )
    blocked = {row["blocked"] for row in rows if row["blocker"] == account_id}
    blocked_by = {row["blocker"] for row in rows if row["blocked"] == account_id}
    return blocked, blocked_by


async def circle_of(viewer: Viewer) -> Circle:
    """The viewer's circle, read once per request. Resolvers run concurrently, so the cache
    holds the pending read itself: every caller awaits the same one."""
    if viewer.account_id is None:
        return ANONYMOUS_CIRCLE
    pending = viewer.cache.get("circle")
    if pending is None:
        pending = viewer.cache["circle"] = asyncio.ensure_future(_read_circle(viewer.account_id))
    return await pending


async def _read_circle(account_id: int) -> Circle:
    organizations = await networks.active_organization_ids([account_id])
    blocked, blocked_by = await blocks_of(account_id)
    return Circle(
        account_id=account_id,
        connection_ids=frozenset(await connection_ids(account_id)),
        organization_ids=frozenset(organizations[account_id]),
        employer_ids=frozenset(await networks.verified_employer_ids(account_id)),
        blocked_ids=frozenset(blocked),
        blocked_by_ids=frozenset(blocked_by),
    )


def forget_circle(viewer: Viewer) -> None:
    """Drop the viewer's cached circle: a write in this request changed it."""
    viewer.cache.pop("circle", None)


@dataclass(frozen=True)
class Reach:
    """What the viewer is to one owner."""

    is_owner: bool = False
    signed_in: bool = False
    is_connection: bool = False
    shares_organization: bool = False
    acts_for_employer: bool = False
    blocked_by_owner: bool = False
    """The owner blocked the viewer: the viewer is in none of the owner's audiences."""


def reaches(visibility: Visibility, reach: Reach) -> bool:
    """Whether the viewer belongs to the audience; audiences nest, PRIVATE < ... < PUBLIC."""
    if reach.is_owner:
        return True
    if reach.blocked_by_owner:
        return False
    if visibility is Visibility.PUBLIC:
        return True
    if visibility is Visibility.EMPLOYERS and reach.acts_for_employer:
        return True
    if visibility in (Visibility.EMPLOYERS, Visibility.MEMBERS) and reach.shares_organization:
        return True
    return visibility is not Visibility.PRIVATE and reach.is_connection


def audiences_reached(reach: Reach) -> list[Visibility]:
    """The visibilities `reach` reaches, for SQL that filters by `visibility IN (...)`."""
    return [visibility for visibility in Visibility if reaches(visibility, reach)]


async def reach_to(viewer: Viewer, owner_ids: list[int]) -> dict[int, Reach]:
    """The viewer's reach to each owner, in at most one query beyond the viewer's circle."""
    circle = await circle_of(viewer)
    if circle.account_id is None:
        return {owner_id: Reach() for owner_id in owner_ids}
    owners_organizations: dict[int, set[int]] = {}
    if circle.organization_ids:
        others = [owner_id for owner_id in owner_ids if owner_id != circle.account_id]
        owners_organizations = await networks.active_organization_ids(others)
    return {
        owner_id: Reach(
            is_owner=owner_id == circle.account_id,
            signed_in=True,
            is_connection=owner_id in circle.connection_ids,
            shares_organization=bool(
                owners_organizations.get(owner_id, set()) & circle.organization_ids
            ),
            acts_for_employer=bool(circle.employer_ids),
            blocked_by_owner=owner_id in circle.blocked_by_ids,
        )
        for owner_id in owner_ids
    }

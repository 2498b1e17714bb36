"""Who may see what: the one place audiences are decided.

A viewer's *circle* (their connections, organizations, verified employers and blocks) is
loaded once per request; the *reach* of a viewer to an owner says which of the nested
audiences of `Visibility` the viewer belongs to. Services ask `reaches(visibility, reach)`.
A person who blocked the viewer is out of every audience, PUBLIC included: that is how a
block hides the blocker's profile and resumes from the person they blocked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from piccolo.query.methods.select import Select

from api.core.prepared import prepared
from api.core.viewer import Viewer
from api.networks.tables import Membership, MembershipRole, MembershipStatus, OrganizationKind
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
class MembershipFact:
    """The viewer's membership row in one organization, with what the organization is."""

    organization_id: int
    role: MembershipRole
    status: MembershipStatus
    kind: OrganizationKind
    verified_employer: bool

    @property
    def is_active(self) -> bool:
        return self.status is MembershipStatus.ACTIVE


ADMIN_ROLES = frozenset({MembershipRole.OWNER, MembershipRole.ADMIN})


@dataclass(frozen=True)
class Circle:
    """What the viewer is to the world, read once per request: every membership (any status,
    with the organization's kind), connections and blocks, with named predicates. Every
    capability asks this object; none keeps its own copy."""

    account_id: int | None
    connection_ids: frozenset[int] = frozenset()
    memberships: Mapping[int, MembershipFact] = field(default_factory=dict)
    blocked_ids: frozenset[int] = frozenset()
    """People the viewer blocked."""
    blocked_by_ids: frozenset[int] = frozenset()
    """People who blocked the viewer: hidden from the viewer everywhere."""

    @property
    def blocked_either_way(self) -> frozenset[int]:
        return self.blocked_ids | self.blocked_by_ids

    def membership(self, organization_id: int) -> MembershipFact | None:
        return self.memberships.get(organization_id)

    def is_member_of(self, organization_id: int) -> bool:
        """An active owner, admin or member of the organization (a guest is not)."""
        fact = self.memberships.get(organization_id)
        return fact is not None and fact.is_active and fact.role is not MembershipRole.GUEST

    def is_admin_of(self, organization_id: int) -> bool:
        """An active owner or admin of the organization."""
        fact = self.memberships.get(organization_id)
        return fact is not None and fact.is_active and fact.role in ADMIN_ROLES

    def is_guest_of(self, organization_id: int) -> bool:
        fact = self.memberships.get(organization_id)
        return fact is not None and fact.is_active and fact.role is MembershipRole.GUEST

    def has_asked_to_join(self, organization_id: int) -> bool:
        fact = self.memberships.get(organization_id)
        return fact is not None and fact.status is MembershipStatus.REQUESTED

    @cached_property
    def active_ids(self) -> frozenset[int]:
        """Organizations the viewer has an active membership in, guests' included."""
        return frozenset(o for o, fact in self.memberships.items() if fact.is_active)

    @cached_property
    def organization_ids(self) -> frozenset[int]:
        """Organizations the viewer is an active, non-guest member of."""
        return frozenset(o for o in self.memberships if self.is_member_of(o))

    @cached_property
    def administered_ids(self) -> frozenset[int]:
        """Organizations the viewer is an active owner or admin of."""
        return frozenset(o for o in self.memberships if self.is_admin_of(o))

    @cached_property
    def employer_ids(self) -> frozenset[int]:
        """Employers the viewer acts for (an active, non-guest membership), verified or not:
        whose postings and applicants they manage."""
        return frozenset(
            o
            for o, fact in self.memberships.items()
            if fact.kind is OrganizationKind.EMPLOYER and self.is_member_of(o)
        )

    @cached_property
    def verified_employer_ids(self) -> frozenset[int]:
        """Verified employers the viewer acts for: what reaches the EMPLOYERS audience."""
        return frozenset(o for o in self.employer_ids if self.memberships[o].verified_employer)


ANONYMOUS_CIRCLE = Circle(None)


@prepared
def _accepted_connections(account_id: int) -> Select:
    return Connection.select(Connection.requester, Connection.addressee).where(
        (Connection.status == ConnectionStatus.ACCEPTED.value)
        & ((Connection.requester == account_id) | (Connection.addressee == account_id))
    )


async def connection_ids(account_id: int) -> set[int]:
    rows = await _accepted_connections(account_id)
    return {
        row["addressee"] if row["requester"] == account_id else row["requester"] for row in rows
    }


@prepared
def _blocks(account_id: int) -> Select:
    return PersonBlock.select(PersonBlock.blocker, PersonBlock.blocked).where(
        (PersonBlock.blocker == account_id) | (PersonBlock.blocked == account_id)
    )


async def blocks_of(account_id: int) -> tuple[set[int], set[int]]:
    """Whom the account blocked, and who blocked the account: one query."""
    rows = await _blocks(account_id)
    blocked = {row["blocked"] for row in rows if row["blocker"] == account_id}
    blocked_by = {row["blocker"] for row in rows if row["blocked"] == account_id}
    return blocked, blocked_by


@prepared
def _memberships(account_id: int) -> Select:
    return Membership.select(
        Membership.organization,
        Membership.role,
        Membership.status,
        Membership.organization.kind.as_alias("kind"),
        Membership.organization.verified_at.as_alias("verified_at"),
    ).where(Membership.account == account_id)


async def memberships_of(account_id: int) -> dict[int, MembershipFact]:
    """Every membership row of the account, with each organization's kind: one query."""
    rows = await _memberships(account_id)
    return {
        row["organization"]: MembershipFact(
            organization_id=row["organization"],
            role=MembershipRole(row["role"]),
            status=MembershipStatus(row["status"]),
            kind=OrganizationKind(row["kind"]),
            verified_employer=row["verified_at"] is not None,
        )
        for row in rows
    }


async def circle_of(viewer: Viewer) -> Circle:
    """The viewer's circle: read once per request, and again after a write it committed."""
    if viewer.account_id is None:
        return ANONYMOUS_CIRCLE
    account_id = viewer.account_id
    circle: Circle = await viewer.circle.get(lambda: _read_circle(account_id))
    return circle


async def _read_circle(account_id: int) -> Circle:
    blocked, blocked_by = await blocks_of(account_id)
    return Circle(
        account_id=account_id,
        connection_ids=frozenset(await connection_ids(account_id)),
        memberships=await memberships_of(account_id),
        blocked_ids=frozenset(blocked),
        blocked_by_ids=frozenset(blocked_by),
    )


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
        owners_organizations = await viewer.organizations_of.get_many(
            others, active_organization_ids
        )
    return {
        owner_id: Reach(
            is_owner=owner_id == circle.account_id,
            signed_in=True,
            is_connection=owner_id in circle.connection_ids,
            shares_organization=bool(
                owners_organizations.get(owner_id, set()) & circle.organization_ids
            ),
            acts_for_employer=bool(circle.verified_employer_ids),
            blocked_by_owner=owner_id in circle.blocked_by_ids,
        )
        for owner_id in owner_ids
    }


@prepared
def _active_memberships(account_ids: list[int]) -> Select:
    return Membership.select(Membership.account, Membership.organization).where(
        Membership.account.is_in(account_ids)
        & (Membership.status == MembershipStatus.ACTIVE.value)
        & (Membership.role != MembershipRole.GUEST.value)
    )


async def active_organization_ids(account_ids: list[int]) -> dict[int, set[int]]:
    """Each account's organizations with an active, non-guest membership."""
    result: dict[int, set[int]] = {account_id: set() for account_id in account_ids}
    if not account_ids:
        return result
    for row in await _active_memberships(account_ids):
        result[row["account"]].add(row["organization"])
    return result

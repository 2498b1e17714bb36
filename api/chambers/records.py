"""What the chambers services hand on: business memberships, perks, and listed organizations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from api.chambers.tables import BusinessCategory, BusinessMembershipStatus, PerkStatus
from api.core.records import Record


@dataclass(frozen=True)
class BusinessMembershipRecord(Record):
    """A business in a chamber (or asking to be), with its directory listing."""

    id: int
    chamber: int
    business: int
    category: BusinessCategory
    blurb: str
    status: BusinessMembershipStatus
    requested_by: int | None
    decided_by: int | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class PerkRecord(Record):
    """A deal offered to a chamber's members, in whatever state of its review."""

    id: int
    chamber: int
    offered_by: int
    submitted_by: int | None
    title: str
    description: str
    description_html: str
    discount: str
    code: str
    redemption_url: str
    valid_from: date | None
    valid_until: date | None
    status: PerkStatus
    rejection_reason: str
    decided_by: int | None
    decided_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @property
    def chamber_and_offerer(self) -> tuple[int, int]:
        """The key of what the viewer is to this perk (see the perks' loaders)."""
        return (self.chamber, self.offered_by)

    def runs_on(self, day: date) -> bool:
        """Whether the day is inside the perk's validity window (an open end is no limit)."""
        starts, ends = self.valid_from, self.valid_until
        return (starts is None or starts <= day) and (ends is None or ends >= day)


@dataclass(frozen=True)
class ListedOrganization(Record):
    """What a chamber's directory shows of an organization listed in it."""

    id: int
    name: str
    slug: str
    website: str
    location: str

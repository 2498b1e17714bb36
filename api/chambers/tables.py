"""The tables behind chambers: businesses that belong to a chamber, and the perks they offer."""

from enum import Enum

from piccolo.columns import Date, ForeignKey, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from api.networks.tables import Organization
from api.people.tables import Account


class BusinessCategory(Enum):
    """What a member business does: a top level in the spirit of NAICS sectors."""

    RETAIL = "RETAIL"
    FOOD_AND_DRINK = "FOOD_AND_DRINK"
    PROFESSIONAL_SERVICES = "PROFESSIONAL_SERVICES"
    HEALTH = "HEALTH"
    CONSTRUCTION = "CONSTRUCTION"
    MANUFACTURING = "MANUFACTURING"
    TECHNOLOGY = "TECHNOLOGY"
    FINANCE = "FINANCE"
    REAL_ESTATE = "REAL_ESTATE"
    HOSPITALITY = "HOSPITALITY"
    NONPROFIT = "NONPROFIT"
    EDUCATION = "EDUCATION"
    ARTS_AND_ENTERTAINMENT = "ARTS_AND_ENTERTAINMENT"
    OTHER = "OTHER"


class BusinessMembershipStatus(Enum):
    REQUESTED = "REQUESTED"
    ACTIVE = "ACTIVE"
    DECLINED = "DECLINED"
    LEFT = "LEFT"
    REMOVED = "REMOVED"


class PerkStatus(Enum):
    SUBMITTED = "SUBMITTED"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"


class BusinessMembership(Table, tablename="business_membership"):
    """A business (itself an organization) in a chamber, with its directory listing."""

    chamber = ForeignKey(references=Organization, on_delete=OnDelete.cascade, index=True)
    business = ForeignKey(references=Organization, on_delete=OnDelete.cascade, index=True)
    category = Varchar(length=40, choices=BusinessCategory, index=True)
    blurb = Varchar(length=280, default="")
    status = Varchar(length=20, choices=BusinessMembershipStatus, index=True)
    requested_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    decided_by = ForeignKey(
        references=Account, on_delete=OnDelete.set_null, null=True, default=None
    )
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class Perk(Table):
    """A deal a member business (or the chamber itself) offers the chamber's members."""

    chamber = ForeignKey(references=Organization, on_delete=OnDelete.cascade, index=True)
    offered_by = ForeignKey(references=Organization, on_delete=OnDelete.cascade, index=True)
    submitted_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    title = Varchar(length=200)
    description = Text(default="")
    description_html = Text(default="")
    discount = Varchar(length=200, default="")
    code = Varchar(length=100, default="")
    redemption_url = Varchar(length=1000, default="")
    valid_from = Date(null=True, default=None)
    valid_until = Date(null=True, default=None)
    status = Varchar(length=20, choices=PerkStatus, index=True)
    rejection_reason = Varchar(length=500, default="")
    decided_by = ForeignKey(
        references=Account, on_delete=OnDelete.set_null, null=True, default=None
    )
    decided_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())

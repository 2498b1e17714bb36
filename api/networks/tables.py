"""The tables behind organizations and memberships."""

from enum import Enum

from piccolo.columns import Boolean, ForeignKey, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from api.people.tables import Account


class OrganizationKind(Enum):
    EMPLOYER = "EMPLOYER"
    ALUMNI_ASSOCIATION = "ALUMNI_ASSOCIATION"
    PROFESSIONAL_ASSOCIATION = "PROFESSIONAL_ASSOCIATION"
    CHAMBER_OF_COMMERCE = "CHAMBER_OF_COMMERCE"
    CLUB = "CLUB"
    MEETUP_GROUP = "MEETUP_GROUP"


class JoinPolicy(Enum):
    OPEN = "OPEN"
    APPROVAL = "APPROVAL"
    INVITE_ONLY = "INVITE_ONLY"


class MembershipRole(Enum):
    OWNER = "OWNER"
    ADMIN = "ADMIN"
    MEMBER = "MEMBER"
    GUEST = "GUEST"


class MembershipStatus(Enum):
    REQUESTED = "REQUESTED"
    INVITED = "INVITED"
    ACTIVE = "ACTIVE"
    DECLINED = "DECLINED"
    LEFT = "LEFT"
    REMOVED = "REMOVED"


class Organization(Table):
    """An employer, an association, a chamber, a club or a meetup group."""

    name = Varchar(length=200)
    slug = Varchar(length=120, unique=True, index=True)
    kind = Varchar(length=40, choices=OrganizationKind, index=True)
    join_policy = Varchar(length=20, choices=JoinPolicy, default=JoinPolicy.APPROVAL.value)
    interest = Varchar(length=200, default="")
    description = Text(default="")
    website = Varchar(length=500, default="")
    is_public = Boolean(default=True)
    verified_at = Timestamptz(null=True, default=None)
    created_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    created_at = Timestamptz(default=TimestamptzNow())


class Membership(Table):
    """A person's place in an organization: a role and where the membership stands."""

    organization = ForeignKey(references=Organization, on_delete=OnDelete.cascade, index=True)
    account = ForeignKey(references=Account, on_delete=OnDelete.cascade, index=True)
    role = Varchar(length=20, choices=MembershipRole, default=MembershipRole.MEMBER.value)
    status = Varchar(length=20, choices=MembershipStatus, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())

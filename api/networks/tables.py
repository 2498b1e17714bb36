"""The tables behind organizations and memberships."""

from enum import Enum

from piccolo.columns import (
    UUID,
    Boolean,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
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


class DirectoryVisibility(Enum):
    """Who may browse an organization's member directory."""

    MEMBERS = "MEMBERS"
    PUBLIC = "PUBLIC"


class Verification(Enum):
    """Whether an admin (or a roster import) confirmed a member's alumni facts."""

    UNVERIFIED = "UNVERIFIED"
    VERIFIED = "VERIFIED"


class FieldVisibility(Enum):
    """Who sees one directory field: HIDDEN (the member only), MEMBERS, PUBLIC (anyone who
    may browse the directory)."""

    HIDDEN = "HIDDEN"
    MEMBERS = "MEMBERS"
    PUBLIC = "PUBLIC"


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
    location = Varchar(length=200, default="")
    directory_visibility = Varchar(
        length=20, choices=DirectoryVisibility, default=DirectoryVisibility.MEMBERS.value
    )
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
    # Alumni facts, given by the member and confirmed by an admin or a roster.
    school = Varchar(length=200, default="")
    degree = Varchar(length=120, default="")
    field_of_study = Varchar(length=200, default="")
    class_year = Integer(null=True, default=None)
    verification = Varchar(length=20, choices=Verification, default=Verification.UNVERIFIED.value)
    verified_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    verified_at = Timestamptz(null=True, default=None)
    # The directory listing choice and who sees each group of fields.
    listed = Boolean(default=True)
    email_visibility = Varchar(
        length=20, choices=FieldVisibility, default=FieldVisibility.HIDDEN.value
    )
    phone_visibility = Varchar(
        length=20, choices=FieldVisibility, default=FieldVisibility.HIDDEN.value
    )
    location_visibility = Varchar(
        length=20, choices=FieldVisibility, default=FieldVisibility.MEMBERS.value
    )
    employment_visibility = Varchar(
        length=20, choices=FieldVisibility, default=FieldVisibility.MEMBERS.value
    )
    education_visibility = Varchar(
        length=20, choices=FieldVisibility, default=FieldVisibility.MEMBERS.value
    )


class VerificationRequestStatus(Enum):
    PENDING = "PENDING"
    VERIFIED = "VERIFIED"


class EmployerVerificationRequest(Table, tablename="employer_verification_request"):
    """An employer's owner or admin asking staff to verify it; `verifyEmployer` settles it.
    At most one PENDING request per organization (a partial unique index)."""

    organization = ForeignKey(references=Organization, on_delete=OnDelete.cascade, index=True)
    requested_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    requested_at = Timestamptz(default=TimestamptzNow())
    status = Varchar(
        length=20,
        choices=VerificationRequestStatus,
        default=VerificationRequestStatus.PENDING.value,
        index=True,
    )
    decided_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    decided_at = Timestamptz(null=True, default=None)


class InvitationStatus(Enum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    REVOKED = "REVOKED"


class Invitation(Table):
    """An invitation mailed to an address with no account yet: a role and, from a roster, the
    alumni facts the membership starts with. One row per organization and address (a unique
    index); re-sending it rotates `token_id`, so only the newest link works."""

    organization = ForeignKey(references=Organization, on_delete=OnDelete.cascade, index=True)
    email = Varchar(length=254, index=True)
    role = Varchar(length=20, choices=MembershipRole, default=MembershipRole.MEMBER.value)
    school = Varchar(length=200, default="")
    degree = Varchar(length=120, default="")
    field_of_study = Varchar(length=200, default="")
    class_year = Integer(null=True, default=None)
    status = Varchar(
        length=20, choices=InvitationStatus, default=InvitationStatus.PENDING.value, index=True
    )
    token_id = UUID(unique=True, index=True)
    from_roster = Boolean(default=False)
    """Sent by a roster import: accepting it makes a VERIFIED membership (by `invited_by`)."""
    invited_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    created_at = Timestamptz(default=TimestamptzNow())
    sent_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    accepted_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    accepted_at = Timestamptz(null=True, default=None)

"""The tables behind resumes, open-to-work preferences and exclusion lists."""

from enum import Enum

from piccolo.columns import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from api.networks.tables import Organization
from api.people.tables import Account, Visibility


class Resume(Table):
    """A JSON Resume document and the facts derived from it on every save.

    `document` keeps the document as imported or edited, key order included (a `json`
    column, not `jsonb`, on PostgreSQL), so export round-trips it.
    """

    owner = ForeignKey(references=Account, on_delete=OnDelete.cascade, index=True)
    title = Varchar(length=200, default="")
    is_primary = Boolean(default=False)
    visibility = Varchar(length=20, choices=Visibility, default=Visibility.PRIVATE.value)
    document = JSON()
    experience_days = Integer(default=0)
    current_title = Varchar(length=300, default="")
    current_employer = Varchar(length=300, default="")
    skill_keywords = JSON(default="[]")
    city = Varchar(length=120, default="")
    region = Varchar(length=120, default="")
    country_code = Varchar(length=2, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow(), index=True)


class WorkplaceType(Enum):
    ON_SITE = "ON_SITE"
    HYBRID = "HYBRID"
    REMOTE = "REMOTE"


class EmploymentType(Enum):
    FULL_TIME = "FULL_TIME"
    PART_TIME = "PART_TIME"
    CONTRACTOR = "CONTRACTOR"
    TEMPORARY = "TEMPORARY"
    INTERN = "INTERN"
    VOLUNTEER = "VOLUNTEER"
    PER_DIEM = "PER_DIEM"
    OTHER = "OTHER"


class OpenToWorkAudience(Enum):
    PUBLIC = "PUBLIC"
    EMPLOYERS = "EMPLOYERS"


class OpenToWork(Table, tablename="open_to_work"):
    """A person's signal that they are looking, and for what."""

    account = ForeignKey(references=Account, on_delete=OnDelete.cascade, unique=True, index=True)
    titles = JSON(default="[]")
    locations = JSON(default="[]")
    workplace_types = JSON(default="[]")
    employment_types = JSON(default="[]")
    earliest_start = Date(null=True, default=None)
    audience = Varchar(
        length=20, choices=OpenToWorkAudience, default=OpenToWorkAudience.EMPLOYERS.value
    )
    updated_at = Timestamptz(default=TimestamptzNow())


class ResumeExclusion(Table, tablename="resume_exclusion"):
    """An organization whose people must not see the person's resumes or open-to-work signal."""

    account = ForeignKey(references=Account, on_delete=OnDelete.cascade, index=True)
    organization = ForeignKey(references=Organization, on_delete=OnDelete.cascade, index=True)


class SavedSearchKind(Enum):
    """What a saved search looks for: candidates (resumes) or job postings."""

    CANDIDATES = "CANDIDATES"
    JOBS = "JOBS"


class AlertFrequency(Enum):
    """How often a saved search's new matches are sent to its owner as a notification."""

    DAILY = "DAILY"
    WEEKLY = "WEEKLY"
    OFF = "OFF"


class SavedSearch(Table, tablename="saved_search"):
    """A search kept to rerun, with its alert: a recruiter's candidate search or a job
    seeker's job search (`kind`), its query, filters and sort."""

    owner = ForeignKey(references=Account, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=200)
    query = Varchar(length=1000, default="")
    filter = JSON(default="{}")
    sort = Varchar(length=20, default="RELEVANCE")
    created_at = Timestamptz(default=TimestamptzNow())
    last_run_at = Timestamptz(null=True, default=None)
    kind = Varchar(length=20, default=SavedSearchKind.CANDIDATES.value, choices=SavedSearchKind)
    alert_frequency = Varchar(
        length=10, default=AlertFrequency.OFF.value, choices=AlertFrequency, index=True
    )
    last_alert_at = Timestamptz(null=True, default=None)
    """When the last alert ran for it (new matches are those published or updated since,
    or since `created_at` before the first)."""

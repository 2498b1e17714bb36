"""The tables behind job postings, reports and applications."""

from enum import Enum

from piccolo.columns import (
    JSON,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from api.networks.tables import Organization
from api.people.tables import Account
from api.resumes.tables import Resume


class JobStatus(Enum):
    DRAFT = "DRAFT"
    PENDING_REVIEW = "PENDING_REVIEW"
    PUBLISHED = "PUBLISHED"
    CLOSED = "CLOSED"
    EXPIRED = "EXPIRED"
    REJECTED = "REJECTED"


class SalaryUnit(Enum):
    HOUR = "HOUR"
    DAY = "DAY"
    WEEK = "WEEK"
    MONTH = "MONTH"
    YEAR = "YEAR"


class ApplicationStage(Enum):
    SUBMITTED = "SUBMITTED"
    REVIEWING = "REVIEWING"
    INTERVIEW = "INTERVIEW"
    OFFER = "OFFER"
    HIRED = "HIRED"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"


class JobPosting(Table, tablename="job_posting"):
    """A job, in schema.org JobPosting's terms, and where it stands in its lifecycle."""

    organization = ForeignKey(references=Organization, on_delete=OnDelete.cascade, index=True)
    created_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    slug = Varchar(length=160, unique=True, index=True)
    title = Varchar(length=200)
    description = Text(default="")
    description_html = Text(default="")
    status = Varchar(length=20, choices=JobStatus, default=JobStatus.DRAFT.value, index=True)
    rejection_reason = Varchar(length=500, default="")
    date_posted = Timestamptz(null=True, default=None)
    valid_through = Timestamptz(null=True, default=None, index=True)
    expiry_warned_for = Timestamptz(null=True, default=None)
    """The `valid_through` the employer was warned of (JOB_EXPIRING, 3 days before): a new
    one, after a reopen, is warned of again."""
    employment_types = JSON(default="[]")
    workplace_type = Varchar(length=20, default="ON_SITE")
    applicant_countries = JSON(default="[]")
    locations = JSON(default="[]")
    salary_currency = Varchar(length=3, default="")
    salary_min = Integer(null=True, default=None)
    salary_max = Integer(null=True, default=None)
    salary_unit = Varchar(length=10, default="")
    skills = JSON(default="[]")
    experience_months = Integer(null=True, default=None)
    education_level = Varchar(length=120, default="")
    identifier = Varchar(length=120, default="")
    apply_url = Varchar(length=1000, default="")
    members_only = ForeignKey(
        references=Organization, on_delete=OnDelete.set_null, null=True, default=None
    )
    extra = JSON(default="{}")
    """JSON Resume job fields with no column of their own (responsibilities, ...)."""
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow(), index=True)


class JobReport(Table, tablename="job_report"):
    """Someone flagged a posting (spam, a scam, discrimination); staff review reports."""

    job = ForeignKey(references=JobPosting, on_delete=OnDelete.cascade, index=True)
    reporter = ForeignKey(references=Account, on_delete=OnDelete.cascade)
    reason = Varchar(length=500)
    created_at = Timestamptz(default=TimestamptzNow())


class Application(Table):
    """A person's application to a job, with the resume they chose to share."""

    job = ForeignKey(references=JobPosting, on_delete=OnDelete.cascade, index=True)
    applicant = ForeignKey(references=Account, on_delete=OnDelete.cascade, index=True)
    resume = ForeignKey(references=Resume, on_delete=OnDelete.set_null, null=True)
    resume_snapshot = JSON(null=True, default=None)
    """The resume as it was when the person applied: what they shared, and all the employer
    reads (never the live document, which may have changed or been hidden since)."""
    note = Text(default="")
    stage = Varchar(length=20, choices=ApplicationStage, default=ApplicationStage.SUBMITTED.value)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class ApplicationStageChange(Table, tablename="application_stage_change"):
    """One move of an application from a stage to another: who made it, and when. The
    first row of every application is its submission (from no stage to SUBMITTED)."""

    application = ForeignKey(references=Application, on_delete=OnDelete.cascade, index=True)
    from_stage = Varchar(length=20, default="")
    stage = Varchar(length=20, choices=ApplicationStage)
    moved_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    moved_at = Timestamptz(default=TimestamptzNow())

"""Postings, applications and their moves as the jobs services hand them on (typed records)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from api.core.records import Record
from api.jobs.tables import ApplicationStage, JobStatus
from api.resumes.tables import WorkplaceType


@dataclass(frozen=True)
class JobRecord(Record):
    """A job posting, its JSON columns decoded."""

    id: int
    organization: int
    created_by: int | None
    slug: str
    title: str
    description: str
    description_html: str
    status: JobStatus
    rejection_reason: str
    date_posted: datetime | None
    valid_through: datetime | None
    employment_types: list[str]
    workplace_type: WorkplaceType
    applicant_countries: list[str]
    locations: list[dict[str, str]]
    salary_currency: str
    salary_min: int | None
    salary_max: int | None
    salary_unit: str
    """A `SalaryUnit` name, or "" when the posting shows no salary."""
    skills: list[str]
    experience_months: int | None
    education_level: str
    identifier: str
    apply_url: str
    members_only: int | None
    """The organization whose members alone may see the posting."""
    extra: dict[str, Any]
    """JSON Resume job fields with no column of their own (responsibilities, ...)."""
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ApplicationRecord(Record):
    """An application, with the employer whose posting it answers."""

    id: int
    job: int
    applicant: int
    resume: int | None
    resume_snapshot: dict[str, Any] | None
    """The resume as shared when the person applied; None when none was, or it was
    taken back by withdrawing."""
    note: str
    stage: ApplicationStage
    created_at: datetime
    updated_at: datetime
    organization: int
    """The employer of the posting applied to."""


@dataclass(frozen=True)
class StageChangeRecord(Record):
    """One move of an application; `moved_by` is None where the viewer may not know who."""

    application: int
    from_stage: ApplicationStage | None
    stage: ApplicationStage
    moved_by: int | None
    moved_at: datetime

"""Job postings: drafting, the lifecycle with moderation, expiry, visibility, reports.

Lifecycle (`POSTINGS`: each arrow one verb; anything else is ILLEGAL_TRANSITION naming the
state the posting is in):

    DRAFT --publish--> PENDING_REVIEW --approve--> PUBLISHED --close--> CLOSED
          \\--publish (no review due)------------->/   \\--expire (validThrough passes)--> EXPIRED
    PENDING_REVIEW, PUBLISHED --reject (staff)--> REJECTED --publish--> (review again)
    CLOSED, EXPIRED --reopen--> PUBLISHED

Staff may reject a PUBLISHED posting too: taking a live posting down, with a reason the
employer sees, after reports say it breaks the rules. A posting is *live* (`is_live`) while
PUBLISHED and before its validThrough; the API, the feed and the site all ask `is_live`.

Who sees a posting: its employer's people and staff see every state; everyone else sees
PUBLISHED postings, and a members-only posting only if they are an active member of the
organization it is reserved for.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

from piccolo.query.methods.count import Count
from piccolo.query.methods.select import Select

from api.core.db import write_transaction
from api.core.errors import FieldError, Forbidden, InvalidInput
from api.core.lifecycle import Lifecycle, Move
from api.core.markup import MAX_MARKDOWN_LENGTH, is_web_address, render_markdown_off_loop
from api.core.outbox import OutboxAction, record_change, record_changes
from api.core.pagination import Page, decode_cursor, keyset_page, page_size, paginate
from api.core.prepared import prepared
from api.core.settings import Settings
from api.core.types import as_utc
from api.core.viewer import Viewer
from api.jobs.records import JobRecord
from api.jobs.tables import JobPosting, JobReport, JobStatus, SalaryUnit
from api.networks.service import admin_ids, slugify
from api.networks.service import organization as find_organization
from api.networks.tables import OrganizationKind
from api.notifications.service import Subject, notify
from api.notifications.tables import NotificationKind
from api.people.audience import circle_of
from api.people.verified import require_verified_email
from api.resumes.tables import EmploymentType, WorkplaceType

SEARCH_KIND = "jobs"
DEFAULT_VALIDITY = timedelta(days=30)
MAX_VALIDITY = timedelta(days=365)
_COUNTRY = re.compile(r"^[A-Z]{2}$")
MAX_EDUCATION_LEVEL_LENGTH = 100
MAX_IDENTIFIER_LENGTH = 100
MAX_URL_LENGTH = 1000
MAX_SKILL_LENGTH = 100
MAX_REASON_LENGTH = 500
#: The longest each part of a job's address may be.
LOCATION_LIMITS = {"address": 300, "city": 120, "region": 120, "postalCode": 20}
_CURRENCY = re.compile(r"^[A-Z]{3}$")


class JobErrorCode(Enum):
    NOT_FOUND = "NOT_FOUND"
    NOT_AN_EMPLOYER = "NOT_AN_EMPLOYER"
    ILLEGAL_TRANSITION = "ILLEGAL_TRANSITION"
    INVALID = "INVALID"
    RATE_LIMITED = "RATE_LIMITED"
    ALREADY_REPORTED = "ALREADY_REPORTED"
    INVALID_DOCUMENT = "INVALID_DOCUMENT"
    INVALID_QUERY = "INVALID_QUERY"
    INVALID_CHARACTERS = "INVALID_CHARACTERS"
    EMAIL_NOT_VERIFIED = "EMAIL_NOT_VERIFIED"


def _now() -> datetime:
    return datetime.now(UTC)


def _not_found(field: str = "id") -> InvalidInput:
    return InvalidInput(FieldError(field, JobErrorCode.NOT_FOUND, "No job posting has this id."))


@dataclass(frozen=True)
class JobFields:
    """What an employer writes; validated together, every problem reported at once."""

    title: str
    description: str = ""
    employment_types: tuple[str, ...] = ()
    workplace_type: str = WorkplaceType.ON_SITE.value
    applicant_countries: tuple[str, ...] = ()
    locations: tuple[dict[str, str], ...] = ()
    salary_currency: str = ""
    salary_min: int | None = None
    salary_max: int | None = None
    salary_unit: str = ""
    skills: tuple[str, ...] = ()
    experience_months: int | None = None
    education_level: str = ""
    identifier: str = ""
    apply_url: str = ""
    valid_through: datetime | None = None
    members_only_organization_id: int | None = None
    extra: dict[str, Any] | None = None
    #: The company an imported document names; it must be the organization's own name.
    company: str = ""


def closing_problem(valid_through: datetime) -> str | None:
    """What is wrong with a posting's closing time, if anything."""
    if valid_through.utcoffset() is None:
        return "Give the closing time with its UTC offset, like 2027-03-01T00:00:00Z."
    closing = as_utc(valid_through)
    if closing <= _now():
        return "The closing date must be in the future."
    if closing > _now() + MAX_VALIDITY:
        return "Postings run for at most a year."
    return None


def _validate(fields: JobFields) -> list[FieldError]:
    errors: list[FieldError] = []

    def invalid(field: str, message: str) -> None:
        errors.append(FieldError(field, JobErrorCode.INVALID, message))

    if not fields.title.strip():
        invalid("title", "Give the job a title.")
    elif len(fields.title) > 200:
        invalid("title", "Use at most 200 characters for the title.")
    if len(fields.description) > MAX_MARKDOWN_LENGTH:
        invalid("description", f"Keep the description under {MAX_MARKDOWN_LENGTH} characters.")
    for value in fields.employment_types:
        if value not in EmploymentType.__members__:
            invalid("employmentTypes", f"{value!r} is not an employment type.")
    if fields.workplace_type not in WorkplaceType.__members__:
        invalid("workplaceType", "Use ON_SITE, HYBRID or REMOTE.")
    for index, code in enumerate(fields.applicant_countries):
        if not _COUNTRY.match(code):
            invalid(f"applicantCountries[{index}]", "Use two-letter ISO 3166 codes, like DE.")
    if fields.workplace_type != WorkplaceType.REMOTE.value and not fields.locations:
        invalid("locations", "Say where the job is, or make it REMOTE.")
    for index, location in enumerate(fields.locations):
        if not _COUNTRY.match(location.get("countryCode") or ""):
            invalid(f"locations[{index}].countryCode", "Give the country as an ISO code, like DE.")
        for key, limit in LOCATION_LIMITS.items():
            if len(location.get(key) or "") > limit:
                invalid(f"locations[{index}].{key}", f"Use at most {limit} characters.")
    for name, value, limit in (
        ("educationLevel", fields.education_level, MAX_EDUCATION_LEVEL_LENGTH),
        ("identifier", fields.identifier, MAX_IDENTIFIER_LENGTH),
        ("applyUrl", fields.apply_url, MAX_URL_LENGTH),
    ):
        if len(value) > limit:
            invalid(name, f"Use at most {limit} characters.")
    for index, skill in enumerate(fields.skills[:50]):
        if len(skill) > MAX_SKILL_LENGTH:
            invalid(f"skills[{index}]", f"Name a skill in at most {MAX_SKILL_LENGTH} characters.")
    has_salary = fields.salary_min is not None or fields.salary_max is not None
    if fields.salary_currency and not _CURRENCY.match(fields.salary_currency):
        invalid("salary.currency", "Give the currency as an ISO 4217 code, like EUR.")
    if has_salary:
        if not fields.salary_currency:
            invalid("salary.currency", "Give the currency as an ISO 4217 code, like EUR.")
        if fields.salary_unit not in SalaryUnit.__members__:
            invalid("salary.unit", "Use HOUR, DAY, WEEK, MONTH or YEAR.")
        low, high = fields.salary_min, fields.salary_max
        if (low is not None and low < 0) or (high is not None and high < 0):
            invalid("salary", "Salaries cannot be negative.")
        if low is not None and high is not None and low > high:
            invalid("salary", "The minimum salary is above the maximum.")
    if fields.experience_months is not None and not 0 <= fields.experience_months <= 600:
        invalid("experienceMonths", "Give experience in months, between 0 and 600.")
    if fields.apply_url and not is_web_address(fields.apply_url):
        invalid("applyUrl", "Give a full web address starting with https://.")
    if fields.valid_through is not None:
        problem = closing_problem(fields.valid_through)
        if problem:
            invalid("validThrough", problem)
    if len(fields.skills) > 50:
        invalid("skills", "List at most 50 skills.")
    return errors


def _comparable(name: str) -> str:
    return "".join(character for character in name.casefold() if character.isalnum())


def _company_errors(company: str, organization_name: str) -> list[FieldError]:
    """An imported document's company must name the organization it is posted under (or a
    longer form of its name, "Globex Corporation" for "Globex"): a posting is never
    published under another name than the one its document gives, silently."""
    wanted, own = _comparable(company), _comparable(organization_name)
    if not wanted or wanted in own or own in wanted:
        return []
    return [
        FieldError(
            "company",
            JobErrorCode.INVALID_DOCUMENT,
            f"The document is for {company!r}, but it would be posted under "
            f"{organization_name!r}: import it into that organization, or correct `company`.",
        )
    ]


async def _columns(fields: JobFields) -> dict[str, Any]:
    return {
        "title": fields.title.strip(),
        "description": fields.description,
        "description_html": await render_markdown_off_loop(fields.description),
        "employment_types": json.dumps(list(dict.fromkeys(fields.employment_types))),
        "workplace_type": fields.workplace_type,
        "applicant_countries": json.dumps(list(fields.applicant_countries)),
        "locations": json.dumps(list(fields.locations), ensure_ascii=False),
        "salary_currency": fields.salary_currency,
        "salary_min": fields.salary_min,
        "salary_max": fields.salary_max,
        "salary_unit": fields.salary_unit,
        "skills": json.dumps(list(dict.fromkeys(s.strip() for s in fields.skills if s.strip()))),
        "experience_months": fields.experience_months,
        "education_level": fields.education_level.strip(),
        "identifier": fields.identifier.strip(),
        "apply_url": fields.apply_url.strip(),
        "valid_through": fields.valid_through,
        "members_only": fields.members_only_organization_id,
        "extra": json.dumps(fields.extra or {}, ensure_ascii=False),
    }


async def posting_organizations(viewer: Viewer) -> frozenset[int]:
    """Employers the viewer posts for: those they own or administer."""
    circle = await circle_of(viewer)
    return circle.employer_ids & circle.administered_ids


async def viewer_employers(viewer: Viewer) -> frozenset[int]:
    """Employers whose postings and applicants the viewer manages (from their circle)."""
    return (await circle_of(viewer)).employer_ids


async def create_job(
    viewer: Viewer, settings: Settings, organization_id: int, fields: JobFields
) -> JobRecord:
    """A DRAFT posting for an employer the viewer owns or administers."""
    account_id = viewer.require_account()
    organization = await find_organization(organization_id)
    if organization is None:
        raise InvalidInput(
            FieldError("organizationId", JobErrorCode.NOT_FOUND, "No organization has this id.")
        )
    if organization["kind"] != OrganizationKind.EMPLOYER.value:
        raise InvalidInput(
            FieldError("organizationId", JobErrorCode.NOT_AN_EMPLOYER, "Only employers post jobs.")
        )
    if organization_id not in await posting_organizations(viewer):
        raise Forbidden("Only the employer's owners and admins post its jobs.")
    await require_verified_email(viewer)
    errors = _validate(fields) + _company_errors(fields.company, organization["name"])
    if errors:
        raise InvalidInput(*errors)
    await _check_rate(settings, account_id)
    columns = await _columns(fields)
    async with write_transaction():
        [row] = await JobPosting.insert(
            JobPosting(
                organization=organization_id,
                created_by=account_id,
                slug=f"{slugify(fields.title)[:100]}-{secrets.token_hex(4)}",
                status=JobStatus.DRAFT.value,
                **columns,
            )
        ).returning(*JobPosting.all_columns())
    return JobRecord.from_row(row)


async def _check_rate(settings: Settings, account_id: int) -> None:
    since = _now() - timedelta(days=1)
    recent = await JobPosting.count().where(
        (JobPosting.created_by == account_id) & (JobPosting.created_at > since)
    )
    if recent >= settings.job_posts_per_day:
        raise InvalidInput(
            FieldError(
                None,
                JobErrorCode.RATE_LIMITED,
                f"You have created {recent} postings in the last 24 hours; the limit is "
                f"{settings.job_posts_per_day}. Try again tomorrow.",
            )
        )


async def _job(job_id: int) -> JobRecord:
    """The posting by id, whoever may see it; NOT_FOUND when there is none."""
    row = await JobPosting.select().where(JobPosting.id == job_id).first()
    if row is None:
        raise _not_found()
    return JobRecord.from_row(row)


async def _manageable(viewer: Viewer, job_id: int) -> JobRecord:
    """The posting, if the viewer may manage it; NOT_FOUND otherwise (nothing leaks)."""
    viewer.require_account()
    job = await _job(job_id)
    if job.organization not in await posting_organizations(viewer):
        if await _visible(viewer, job):
            raise Forbidden("Only the employer's owners and admins manage this posting.")
        raise _not_found()
    return job


async def update_job(viewer: Viewer, job_id: int, fields: JobFields) -> JobRecord:
    job = await _manageable(viewer, job_id)
    errors = _validate(fields)
    if errors:
        raise InvalidInput(*errors)
    columns = await _columns(fields)
    async with write_transaction():
        [updated] = (
            await JobPosting.update({**columns, "updated_at": _now()})
            .where(JobPosting.id == job_id)
            .returning(*JobPosting.all_columns())
        )
        if job.status is JobStatus.PUBLISHED:
            await record_change(SEARCH_KIND, job_id, OutboxAction.UPSERT)
    return JobRecord.from_row(updated)


POSTINGS: Lifecycle[JobStatus] = Lifecycle(
    JobPosting,
    noun="posting",
    field="id",
    code=JobErrorCode.ILLEGAL_TRANSITION,
    moves=[
        Move("publish", {JobStatus.DRAFT, JobStatus.REJECTED}),  # to review, or live
        Move("approve", {JobStatus.PENDING_REVIEW}, JobStatus.PUBLISHED),
        Move("reject", {JobStatus.PENDING_REVIEW, JobStatus.PUBLISHED}, JobStatus.REJECTED),
        Move("close", {JobStatus.PUBLISHED}, JobStatus.CLOSED),
        Move("reopen", {JobStatus.CLOSED, JobStatus.EXPIRED}, JobStatus.PUBLISHED),
        Move("expire", {JobStatus.PUBLISHED}, JobStatus.EXPIRED),
    ],
)


def is_live(row: dict[str, Any], now: datetime | None = None) -> bool:
    """Published and not past its validThrough (the expiry task catches up within a
    minute; until then a posting past it is already not live)."""
    valid_through = row["valid_through"]
    return row["status"] == JobStatus.PUBLISHED.value and (
        valid_through is None or valid_through > (now or _now())
    )


async def _needs_review(settings: Settings, job: JobRecord) -> bool:
    if settings.job_review == "all":
        return True
    if settings.job_review == "none":
        return False
    # "first": an employer's first posting waits for staff; later ones go straight out.
    published_before = await JobPosting.exists().where(
        (JobPosting.organization == job.organization)
        & (JobPosting.date_posted.is_not_null())
        & (JobPosting.id != job.id)
    )
    return not published_before


async def _move(
    verb: str,
    job_id: int,
    to: JobStatus | None = None,
    extra: dict[str, Any] | None = None,
) -> JobRecord:
    """Move the posting by `verb` (compare-and-set) and tell the search index."""
    values = {
        JobPosting.updated_at: _now(),
        **{getattr(JobPosting, k): v for k, v in (extra or {}).items()},
    }
    async with write_transaction():
        moved = JobRecord.from_row(await POSTINGS.apply(verb, job_id, to=to, values=values))
        action = OutboxAction.UPSERT if moved.status is JobStatus.PUBLISHED else OutboxAction.DELETE
        await record_change(SEARCH_KIND, job_id, action)
    return moved


def _going_live(job: JobRecord) -> dict[str, Any]:
    now = _now()
    valid_through = job.valid_through
    if valid_through is None or valid_through <= now:
        valid_through = now + DEFAULT_VALIDITY
    return {"date_posted": now, "valid_through": valid_through}


async def publish_job(viewer: Viewer, settings: Settings, job_id: int) -> JobRecord:
    """DRAFT or REJECTED -> PUBLISHED, or PENDING_REVIEW when staff must look first."""
    job = await _manageable(viewer, job_id)
    POSTINGS.check("publish", job.status.value, hint="; reopen a closed or expired one instead")
    await require_verified_email(viewer)
    if await _needs_review(settings, job):
        return await _move("publish", job_id, JobStatus.PENDING_REVIEW, {"rejection_reason": ""})
    return await _move(
        "publish", job_id, JobStatus.PUBLISHED, {**_going_live(job), "rejection_reason": ""}
    )


async def approve_job(viewer: Viewer, job_id: int) -> JobRecord:
    viewer.require_staff()
    job = await _job(job_id)
    POSTINGS.check("approve", job.status.value)
    async with write_transaction():
        moved = await _move("approve", job_id, extra=_going_live(job))
        await _tell_employer(NotificationKind.JOB_APPROVED, moved)
    return moved


async def _tell_employer(kind: NotificationKind, job: JobRecord, detail: str = "") -> None:
    """Staff's decision on a posting, to the employer's owners and admins (from nobody in
    particular: staff act for the site)."""
    await notify(
        kind,
        recipients=await admin_ids(job.organization),
        actor=None,
        subject=Subject("Job", job.id, job.title),
        detail=detail,
    )


def _reason(reason: str, missing: str) -> str:
    """The reason given, trimmed; `missing` says what to write when there is none."""
    if len(reason.strip()) > MAX_REASON_LENGTH:
        raise InvalidInput(
            FieldError(
                "reason",
                JobErrorCode.INVALID,
                f"Keep the reason to {MAX_REASON_LENGTH} characters.",
            )
        )
    if not reason.strip():
        raise InvalidInput(FieldError("reason", JobErrorCode.INVALID, missing))
    return reason.strip()


async def reject_job(viewer: Viewer, job_id: int, reason: str) -> JobRecord:
    viewer.require_staff()
    job = await _job(job_id)
    POSTINGS.check("reject", job.status.value)
    why = _reason(reason, "Say why, so the employer can fix it.")
    async with write_transaction():
        moved = await _move("reject", job_id, extra={"rejection_reason": why})
        await _tell_employer(NotificationKind.JOB_REJECTED, moved, why)
    return moved


async def close_job(viewer: Viewer, job_id: int) -> JobRecord:
    job = await _manageable(viewer, job_id)
    POSTINGS.check("close", job.status.value)
    return await _move("close", job_id)


async def reopen_job(
    viewer: Viewer, job_id: int, valid_through: datetime | None = None
) -> JobRecord:
    job = await _manageable(viewer, job_id)
    POSTINGS.check("reopen", job.status.value)
    await require_verified_email(viewer)
    now = _now()
    problem = closing_problem(valid_through) if valid_through is not None else None
    if problem:
        raise InvalidInput(FieldError("validThrough", JobErrorCode.INVALID, problem))
    until = (as_utc(valid_through) if valid_through is not None else None) or (
        job.valid_through
        if job.valid_through and job.valid_through > now
        else now + DEFAULT_VALIDITY
    )
    return await _move("reopen", job_id, extra={"valid_through": until})


async def expire_jobs(now: datetime | None = None) -> int:
    """PUBLISHED postings past their validThrough become EXPIRED; returns how many."""
    now = now or _now()
    async with write_transaction():
        expired = (
            await JobPosting.update(
                {JobPosting.status: JobStatus.EXPIRED.value, JobPosting.updated_at: now}
            )
            .where(
                (JobPosting.status == JobStatus.PUBLISHED.value) & (JobPosting.valid_through < now)
            )
            .returning(JobPosting.id)
        )
        await record_changes(SEARCH_KIND, [row["id"] for row in expired], OutboxAction.DELETE)
    return len(expired)


#: How long before a posting's validThrough its employer is warned.
WARN_BEFORE_EXPIRY = timedelta(days=3)


async def warn_expiring(now: datetime | None = None) -> int:
    """Warn the employers of published postings whose validThrough is within
    WARN_BEFORE_EXPIRY (JOB_EXPIRING), once per validThrough; how many postings. Each is
    claimed compare-and-set in the transaction that tells the employer's admins."""
    now = now or _now()
    candidates = await JobPosting.select(
        JobPosting.id,
        JobPosting.organization,
        JobPosting.title,
        JobPosting.valid_through,
        JobPosting.expiry_warned_for,
    ).where(
        (JobPosting.status == JobStatus.PUBLISHED.value)
        & (JobPosting.valid_through > now)
        & (JobPosting.valid_through <= now + WARN_BEFORE_EXPIRY)
    )
    warned = 0
    for row in candidates:
        if row["expiry_warned_for"] == row["valid_through"]:
            continue  # warned of this date already
        previous = row["expiry_warned_for"]
        async with write_transaction():
            claimed = (
                await JobPosting.update({JobPosting.expiry_warned_for: row["valid_through"]})
                .where(
                    (JobPosting.id == row["id"])
                    & (JobPosting.valid_through == row["valid_through"])
                    & (
                        JobPosting.expiry_warned_for.is_null()
                        if previous is None
                        else JobPosting.expiry_warned_for == previous
                    )
                )
                .returning(JobPosting.id)
            )
            if not claimed:
                continue  # another node warned them, or the posting changed meanwhile
            await notify(
                NotificationKind.JOB_EXPIRING,
                recipients=await admin_ids(row["organization"]),
                actor=None,
                subject=Subject("Job", row["id"], row["title"]),
            )
        warned += 1
    return warned


async def report_job(viewer: Viewer, job_id: int, reason: str) -> None:
    account_id = viewer.require_account()
    job = await _job(job_id)
    if not await _visible(viewer, job):
        raise _not_found()
    why = _reason(reason, "Say what is wrong with the posting.")
    if await JobReport.exists().where(
        (JobReport.job == job_id) & (JobReport.reporter == account_id)
    ):
        raise InvalidInput(
            FieldError("id", JobErrorCode.ALREADY_REPORTED, "You have reported this posting.")
        )
    async with write_transaction():
        await JobReport.insert(JobReport(job=job_id, reporter=account_id, reason=why))


async def _visible(viewer: Viewer, job: JobRecord) -> bool:
    return (await visible_jobs(viewer, [job]))[0]


async def visible_jobs(viewer: Viewer, jobs: list[JobRecord]) -> list[bool]:
    """For each posting, whether the viewer may see it."""
    if viewer.is_staff:
        return [True for _ in jobs]
    circle = await circle_of(viewer)
    employers = await viewer_employers(viewer)
    return [
        job.organization in employers
        or (
            job.status is JobStatus.PUBLISHED
            and (job.members_only is None or job.members_only in circle.organization_ids)
        )
        for job in jobs
    ]


@prepared
def _jobs(ids: list[int]) -> Select:
    return JobPosting.select().where(JobPosting.id.is_in(ids))


async def jobs_by_ids(viewer: Viewer, ids: list[int]) -> dict[int, JobRecord]:
    """The postings the viewer may see, by id."""
    if not ids:
        return {}
    jobs = [JobRecord.from_row(row) for row in await _jobs(ids)]
    allowed = await visible_jobs(viewer, jobs)
    return {job.id: job for job, ok in zip(jobs, allowed, strict=True) if ok}


@dataclass(frozen=True)
class JobFilter:
    organization_ids: tuple[int, ...] = ()
    statuses: tuple[str, ...] = ()
    workplace_types: tuple[str, ...] = ()
    posted_since: datetime | None = None


async def list_jobs(
    viewer: Viewer, wanted: JobFilter, *, first: int | None, after: str | None
) -> Page:
    """A page of the postings the viewer may see, in id order, as table rows (`JobRecord`
    reads each); employers also see their own drafts, staff every posting.

    Location, employment type, salary and skill filters are `searchJobs`' (the index).
    """
    filters = (
        list(wanted.organization_ids),
        list(wanted.statuses),
        list(wanted.workplace_types),
        [wanted.posted_since] if wanted.posted_since else [],
    )
    if viewer.is_staff:
        return await paginate(JobPosting, where=_filtered(*filters), first=first, after=after)
    # Everyone else's page (the public board's, each request) is a prepared read.
    size = page_size(first)
    after_id = decode_cursor(after) if after else 0  # ids start at 1
    circle = sorted((await circle_of(viewer)).organization_ids) or [-1]
    employers = sorted(await viewer_employers(viewer))
    rows = await _listed_jobs(circle, employers, *filters, after_id, size=size) if size else []
    return keyset_page(
        rows,
        size,
        after=after is not None,
        count=lambda: _listed_jobs(circle, employers, *filters, 0, count=True),
    )


def _filtered(
    organization_ids: list[int],
    statuses: list[str],
    workplace_types: list[str],
    posted_since: list[datetime],
) -> list[Any]:
    """The conditions of `list_jobs`' filters (each list empty when not given)."""
    conditions: list[Any] = []
    if organization_ids:
        conditions.append(JobPosting.organization.is_in(organization_ids))
    if statuses:
        conditions.append(JobPosting.status.is_in(statuses))
    if workplace_types:
        conditions.append(JobPosting.workplace_type.is_in(workplace_types))
    if posted_since:
        conditions.append(JobPosting.date_posted >= posted_since[0])
    return conditions


@prepared
def _listed_jobs(
    circle: list[int],
    employers: list[int],
    organization_ids: list[int],
    statuses: list[str],
    workplace_types: list[str],
    posted_since: list[datetime],
    after: int,
    *,
    size: int = 0,
    count: bool = False,
) -> Select | Count:
    """What a viewer who is not staff may list, after the posting `after` (0: from the
    first), filtered: a page of `size` and one more, or with `count` how many there are.

    They may list the published postings open to all or to one of their `circle`'s
    organizations (never empty: [-1] for none), and whatever their `employers` posted.
    """
    public = (JobPosting.status == JobStatus.PUBLISHED.value) & (
        JobPosting.members_only.is_null() | JobPosting.members_only.is_in(circle)
    )
    visible = public | JobPosting.organization.is_in(employers) if employers else public
    filters = _filtered(organization_ids, statuses, workplace_types, posted_since)
    conditions = [visible, *filters, JobPosting.id > after]
    if count:
        return JobPosting.count().where(*conditions)
    return JobPosting.select().where(*conditions).order_by(JobPosting.id).limit(size + 1)


async def staff_review_queue(viewer: Viewer, *, first: int | None, after: str | None) -> Page:
    """A page of the postings waiting for review, as table rows, oldest first."""
    viewer.require_staff()
    return await paginate(
        JobPosting,
        where=[JobPosting.status == JobStatus.PENDING_REVIEW.value],
        first=first,
        after=after,
    )


async def may_manage(viewer: Viewer, organization_id: int) -> bool:
    return organization_id in await viewer_employers(viewer)

"""JSON Resume's job format in and out (jsonresume/job-schema.json, MIT).

Fields with a column of their own (title, description, location, remote, type) are mapped
both ways; `salary` (text, like `"90000-110000"`) is read into the salary range (see
`api.jobs.salary`, a userError when it cannot be read) and `experience` into months when
it is a duration (`"3+ years"`). Everything else in the document (salary and experience as
the author wrote them, responsibilities, qualifications, skills with levels, meta,
`$schema`, and keys the schema does not name) is kept as written, so nothing is dropped
and an imported posting exports back to an equivalent document. `company` must name the
organization the posting is imported into (a userError otherwise), whose name the export
writes.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft4Validator

from api.core.errors import FieldError, InvalidInput
from api.jobs.records import JobRecord
from api.jobs.salary import ParsedSalary, experience_months, parse_salary
from api.jobs.service import JobErrorCode, JobFields
from api.resumes.document import describe_error, format_checker, json_path, with_date_format

TYPES = {
    "full-time": "FULL_TIME",
    "full time": "FULL_TIME",
    "part-time": "PART_TIME",
    "part time": "PART_TIME",
    "contract": "CONTRACTOR",
    "contractor": "CONTRACTOR",
    "temporary": "TEMPORARY",
    "internship": "INTERN",
    "intern": "INTERN",
    "volunteer": "VOLUNTEER",
    "per diem": "PER_DIEM",
}
TYPE_NAMES = {
    "FULL_TIME": "Full-time",
    "PART_TIME": "Part-time",
    "CONTRACTOR": "Contract",
    "TEMPORARY": "Temporary",
    "INTERN": "Internship",
    "VOLUNTEER": "Volunteer",
    "PER_DIEM": "Per diem",
    "OTHER": "Other",
}
REMOTE = {"Full": "REMOTE", "Hybrid": "HYBRID", "None": "ON_SITE"}
REMOTE_NAMES = {value: key for key, value in REMOTE.items()}
#: Keys with a column of their own; every other key is kept as written (`extra`).
MAPPED = ("title", "company", "description", "location", "remote")
MAX_DOCUMENT_BYTES = 256 * 1024
ORDER = (
    "$schema", "title", "company", "type", "date", "description", "location", "remote",
    "salary", "experience", "responsibilities", "qualifications", "skills", "meta",
)  # fmt: skip


@cache
def _validator() -> Draft4Validator:
    text = resources.files("api.resumes").joinpath("jsonresume/job-schema.json").read_text()
    return Draft4Validator(with_date_format(json.loads(text)), format_checker=format_checker)


def job_fields(document: Any) -> JobFields:
    """The posting a JSON Resume job document describes; `InvalidInput` names bad paths."""
    errors = [
        FieldError(
            json_path(error.absolute_path) or "document",
            JobErrorCode.INVALID_DOCUMENT,
            describe_error(error),
        )
        for error in sorted(
            _validator().iter_errors(document), key=lambda e: list(map(str, e.path))
        )
    ]
    if errors:
        raise InvalidInput(*errors[:50])
    size = len(json.dumps(document, ensure_ascii=False).encode())
    if size > MAX_DOCUMENT_BYTES:
        raise InvalidInput(
            FieldError(
                "document",
                JobErrorCode.INVALID_DOCUMENT,
                f"The document is {size // 1024} KiB; the limit is "
                f"{MAX_DOCUMENT_BYTES // 1024} KiB.",
            )
        )
    kind = str(document.get("type") or "")
    location = document.get("location") or {}
    salary = _salary(document.get("salary") or "", str(location.get("countryCode") or ""))
    skills: list[str] = []
    for skill in document.get("skills") or []:
        if isinstance(skill, dict):
            skills.extend(
                s for s in [skill.get("name"), *(skill.get("keywords") or [])] if isinstance(s, str)
            )
    extra = {key: value for key, value in document.items() if key not in MAPPED}
    return JobFields(
        title=str(document.get("title") or ""),
        description=str(document.get("description") or ""),
        employment_types=(TYPES.get(kind.strip().lower(), "OTHER"),) if kind else (),
        workplace_type=REMOTE.get(str(document.get("remote") or "None"), "ON_SITE"),
        locations=(dict(location),) if location else (),
        salary_currency=salary.currency if salary else "",
        salary_min=salary.min if salary else None,
        salary_max=salary.max if salary else None,
        salary_unit=salary.unit if salary else "",
        skills=tuple(skills),
        experience_months=experience_months(str(document.get("experience") or "")),
        extra=extra,
        company=str(document.get("company") or ""),
    )


def _salary(text: str, country: str) -> ParsedSalary | None:
    if not text.strip():
        return None
    try:
        return parse_salary(text, country.strip().upper())
    except ValueError as problem:
        raise InvalidInput(
            FieldError("salary", JobErrorCode.INVALID_DOCUMENT, f"salary: {problem}")
        ) from None


def json_resume_job(job: JobRecord, company: str) -> dict[str, Any]:
    """A posting as a JSON Resume job document (valid against the job schema)."""
    extra = job.extra
    document: dict[str, Any] = {**{k: v for k, v in extra.items() if k != "type"}}
    document["title"] = job.title
    document["company"] = company
    if job.employment_types:
        document["type"] = extra.get("type") or TYPE_NAMES.get(job.employment_types[0], "Other")
    if "date" not in document and job.date_posted:
        document["date"] = job.date_posted.date().isoformat()
    if job.description:
        document["description"] = job.description
    if job.locations:
        document["location"] = job.locations[0]
    document["remote"] = REMOTE_NAMES.get(job.workplace_type.value, "None")
    if "salary" not in document and job.salary_max is not None:
        document["salary"] = str(job.salary_max)
    if "skills" not in document and job.skills:
        document["skills"] = [{"name": skill} for skill in job.skills]
    ordered = {key: document[key] for key in ORDER if key in document}
    ordered.update({k: v for k, v in document.items() if k not in ordered})
    return ordered

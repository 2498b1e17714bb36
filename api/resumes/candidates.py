"""Candidate documents for the search index, built from the database (the source of truth).

One document per resume, carrying what search matches, filters and facets on, and the
audience facts the index filters by: the resume's visibility, its owner, the owner's
organizations and exclusion list, and the open-to-work signal's audience.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from api.people.audience import active_organization_ids, narrower
from api.people.tables import Account, Profile, Visibility
from api.resumes.records import OpenToWorkRecord, ResumeRecord
from api.resumes.service import excluded_organizations, open_to_work_signals
from api.resumes.tables import Resume

BATCH_SIZE = 500


def _strings(values: Any) -> list[str]:
    return [text for v in values or [] if isinstance(v, str | int) and (text := str(v).strip())]


def _year(text: Any) -> int | None:
    if isinstance(text, str) and len(text) >= 4 and text[:4].isdigit():
        return int(text[:4])
    return None


def candidate_document(
    resume: ResumeRecord,
    *,
    name: str,
    headline: str,
    organizations: set[int],
    exclusions: set[int],
    open_to_work: OpenToWorkRecord | None,
) -> dict[str, Any]:
    document = resume.document
    basics = document.get("basics") or {}
    work = [w for w in document.get("work") or [] if isinstance(w, dict)]
    education = [e for e in document.get("education") or [] if isinstance(e, dict)]
    skills: list[str] = []
    for skill in document.get("skills") or []:
        if isinstance(skill, dict):
            skills.extend(_strings([skill.get("name")]))
            skills.extend(_strings(skill.get("keywords")))
    return {
        "id": str(resume.id),
        "owner": str(resume.owner),
        "audience": resume.visibility.value,
        "owner_organizations": [str(o) for o in sorted(organizations)],
        "excluded_organizations": [str(o) for o in sorted(exclusions)],
        "open_to_work": open_to_work.audience.value if open_to_work else "",
        "workplace_types": [w.value for w in open_to_work.workplace_types] if open_to_work else [],
        "name": str(basics.get("name") or name),
        "title": resume.current_title or str(basics.get("label") or ""),
        "headline": headline,
        "summary": str(basics.get("summary") or ""),
        "work": work,
        "companies": list(dict.fromkeys(_strings(w.get("name") for w in work))),
        "schools": list(dict.fromkeys(_strings(e.get("institution") for e in education))),
        "degrees": list(dict.fromkeys(_strings(e.get("studyType") for e in education))),
        "graduation_years": sorted(
            {y for e in education if (y := _year(e.get("endDate"))) is not None}
        ),
        "languages": _strings(
            lang.get("language")
            for lang in document.get("languages") or []
            if isinstance(lang, dict)
        ),
        "skills": skills,
        "city": resume.city,
        "region": resume.region,
        "country": resume.country_code,
        "years": round(resume.experience_days / 365.25, 1),
        "updated": resume.updated_at.timestamp(),
    }


def _headline_for(resume: ResumeRecord, profile: dict[str, Any] | None) -> str:
    """The profile headline, when everyone the resume reaches may also read the profile.

    The headline belongs to the profile and has the profile's audience; the document is
    matched and highlighted for the resume's audience. A headline narrower than the resume
    stays out of the index altogether (else a word from a private profile would match, and
    be highlighted, for every viewer of a public resume).
    """
    if profile is None or not profile["headline"]:
        return ""
    profile_audience = Visibility(profile["visibility"])
    resume_audience = resume.visibility
    if narrower(profile_audience, resume_audience) is not resume_audience:
        return ""
    return profile["headline"]


async def candidate_documents(resume_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Documents for the resumes that still exist, keyed by resume id (a few queries)."""
    if not resume_ids:
        return {}
    resumes = [
        ResumeRecord.from_row(row)
        for row in await Resume.select().where(Resume.id.is_in(resume_ids))
    ]
    owners = sorted({resume.owner for resume in resumes})
    if not owners:
        return {}
    names = {
        row["id"]: row["name"]
        for row in await Account.select(Account.id, Account.name).where(Account.id.is_in(owners))
    }
    profiles = {
        row["account"]: row
        for row in await Profile.select(
            Profile.account, Profile.headline, Profile.visibility
        ).where(Profile.account.is_in(owners))
    }
    organizations = await active_organization_ids(owners)
    exclusions = await excluded_organizations(owners)
    signals = await open_to_work_signals(owners)
    return {
        resume.id: candidate_document(
            resume,
            name=names.get(resume.owner, ""),
            headline=_headline_for(resume, profiles.get(resume.owner)),
            organizations=organizations.get(resume.owner, set()),
            exclusions=exclusions.get(resume.owner, set()),
            open_to_work=signals.get(resume.owner),
        )
        for resume in resumes
    }


async def all_candidate_batches() -> AsyncIterator[list[dict[str, Any]]]:
    """Every candidate document, in batches, for a rebuild."""
    last_id = 0
    while True:
        ids = [
            row["id"]
            for row in await Resume.select(Resume.id)
            .where(Resume.id > last_id)
            .order_by(Resume.id)
            .limit(BATCH_SIZE)
        ]
        if not ids:
            return
        documents = await candidate_documents(ids)
        yield [documents[i] for i in ids if i in documents]
        last_id = ids[-1]


async def candidate_count() -> int:
    return await Resume.count()


async def resume_ids_of_owners(account_ids: list[int]) -> list[int]:
    """The resumes a person's change touches (their documents carry the person's facts)."""
    rows = await Resume.select(Resume.id).where(Resume.owner.is_in(account_ids))
    return [row["id"] for row in rows]

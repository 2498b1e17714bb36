"""Applications: apply once, withdraw, and the employer's pipeline of stages.

    SUBMITTED -> REVIEWING -> INTERVIEW -> OFFER -> HIRED, and REJECTED

The employer moves an application to any other stage, forward (skipping stages, as real
pipelines do) or back (a rejection reconsidered, an offer withdrawn), by naming it;
WITHDRAWN is the applicant's own move, from any open stage, and final. Every move, the
submission first, is recorded with who made it and when (`ApplicationStageChange`).

Employers see applicants of their own postings only. The resume attached to an application
is shared as a snapshot taken when the person applied: the employer reads that copy through
the application, whatever the resume's audience, and never the live document (which may
change or be hidden since). Withdrawing takes it back: the snapshot is erased and the
employer sees no resume at all.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from piccolo.columns.combination import Where

from api.core.db import write_transaction
from api.core.errors import FieldError, InvalidInput
from api.core.lifecycle import Lifecycle, Move
from api.core.pagination import Page, paginate
from api.core.viewer import Viewer
from api.jobs import service as jobs
from api.jobs.records import ApplicationRecord, StageChangeRecord
from api.jobs.tables import (
    Application,
    ApplicationStage,
    ApplicationStageChange,
    JobPosting,
    JobStatus,
)
from api.networks.service import admin_ids
from api.notifications.service import Subject, notify
from api.notifications.tables import NotificationKind
from api.resumes.records import ResumeRecord
from api.resumes.service import ResumeView, load_resume_row
from api.resumes.tables import Resume

MAX_NOTE_LENGTH = 2000
OPEN_STAGES = (
    ApplicationStage.SUBMITTED,
    ApplicationStage.REVIEWING,
    ApplicationStage.INTERVIEW,
    ApplicationStage.OFFER,
)
#: The stages an employer may move an application to (never WITHDRAWN: the applicant's).
EMPLOYER_STAGES = tuple(
    stage for stage in ApplicationStage if stage is not ApplicationStage.WITHDRAWN
)


class ApplicationErrorCode(Enum):
    NOT_FOUND = "NOT_FOUND"
    ALREADY_APPLIED = "ALREADY_APPLIED"
    NOT_OPEN = "NOT_OPEN"
    APPLY_ELSEWHERE = "APPLY_ELSEWHERE"
    RESUME_NOT_FOUND = "RESUME_NOT_FOUND"
    ILLEGAL_TRANSITION = "ILLEGAL_TRANSITION"
    NOTE_TOO_LONG = "NOTE_TOO_LONG"
    INVALID_CHARACTERS = "INVALID_CHARACTERS"


def _not_found(field: str = "applicationId") -> InvalidInput:
    return InvalidInput(
        FieldError(field, ApplicationErrorCode.NOT_FOUND, "No application of yours has this id.")
    )


async def apply_to_job(
    viewer: Viewer, job_id: int, resume_id: int | None, note: str = ""
) -> ApplicationRecord:
    account_id = viewer.require_account()
    job = (await jobs.jobs_by_ids(viewer, [job_id])).get(job_id)
    if job is None:
        raise InvalidInput(
            FieldError("jobId", ApplicationErrorCode.NOT_FOUND, "No job posting has this id.")
        )
    if job.status is not JobStatus.PUBLISHED:
        raise InvalidInput(
            FieldError(
                "jobId",
                ApplicationErrorCode.NOT_OPEN,
                f"This posting is {job.status.value.lower().replace('_', ' ')}, not open.",
            )
        )
    if job.apply_url:
        raise InvalidInput(
            FieldError(
                "jobId",
                ApplicationErrorCode.APPLY_ELSEWHERE,
                f"Apply on the employer's site: {job.apply_url}",
            )
        )
    if len(note) > MAX_NOTE_LENGTH:
        raise InvalidInput(
            FieldError(
                "note",
                ApplicationErrorCode.NOTE_TOO_LONG,
                f"Keep the note to {MAX_NOTE_LENGTH} characters.",
            )
        )
    if resume_id is not None and not await Resume.exists().where(
        (Resume.id == resume_id) & (Resume.owner == account_id)
    ):
        raise InvalidInput(
            FieldError(
                "resumeId",
                ApplicationErrorCode.RESUME_NOT_FOUND,
                "You have no resume with this id.",
            )
        )
    async with write_transaction():
        if await Application.exists().where(
            (Application.job == job_id) & (Application.applicant == account_id)
        ):
            raise InvalidInput(
                FieldError(
                    "jobId", ApplicationErrorCode.ALREADY_APPLIED, "You have applied to this job."
                )
            )
        snapshot = None
        if resume_id is not None:
            resume = await Resume.select().where(Resume.id == resume_id).first()
            snapshot = resume_snapshot(load_resume_row(resume)) if resume else None
        [row] = await Application.insert(
            Application(
                job=job_id,
                applicant=account_id,
                resume=resume_id,
                resume_snapshot=snapshot,
                note=note.strip(),
            )
        ).returning(*Application.all_columns())
        await _record_move(row["id"], None, ApplicationStage.SUBMITTED, account_id)
        await notify(
            NotificationKind.APPLICATION_RECEIVED,
            recipients=await admin_ids(job.organization),
            actor=account_id,
            subject=Subject("Job", job_id, job.title),
        )
    return ApplicationRecord.from_row(row, organization=job.organization)


_SNAPSHOT_TIMES = ("created_at", "updated_at", "taken_at")


def resume_snapshot(resume: dict[str, Any]) -> dict[str, Any]:
    """A resume row as JSON, frozen at the moment it was shared."""
    snapshot = {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, value in resume.items()
    }
    snapshot["taken_at"] = datetime.now(UTC).isoformat()
    return snapshot


def snapshot_row(snapshot: dict[str, Any] | str) -> dict[str, Any]:
    """The resume row a snapshot froze, as the resume types read rows."""
    row = json.loads(snapshot) if isinstance(snapshot, str) else dict(snapshot)
    for key in _SNAPSHOT_TIMES:
        if isinstance(row.get(key), str):
            row[key] = datetime.fromisoformat(row[key])
    return load_resume_row(row)


#: An application's columns, and the employer of the posting it answers (`organization`).
WITH_EMPLOYER = (
    *Application.all_columns(),
    Application.job.organization.as_alias("organization"),
)


async def _application(application_id: int) -> ApplicationRecord | None:
    row = await Application.select(*WITH_EMPLOYER).where(Application.id == application_id).first()
    return ApplicationRecord.from_row(row) if row else None


async def withdraw_application(viewer: Viewer, application_id: int) -> ApplicationRecord:
    account_id = viewer.require_account()
    application = await _application(application_id)
    if application is None or application.applicant != account_id:
        raise _not_found()
    # Withdrawing takes the shared resume back: the employer's copy is erased with the move.
    return await _move(
        application,
        "withdraw",
        account_id,
        field="applicationId",
        values={Application.resume_snapshot: None},
    )


async def move_application(
    viewer: Viewer, application_id: int, stage: ApplicationStage
) -> ApplicationRecord:
    """The employer moves an applicant to any other stage, forward or back; the move is
    recorded with who made it and when."""
    application = await _application(application_id)
    if application is None or not await jobs.may_manage(viewer, application.organization):
        viewer.require_account()
        raise _not_found()
    if stage is ApplicationStage.WITHDRAWN:
        raise InvalidInput(
            FieldError(
                "stage",
                ApplicationErrorCode.ILLEGAL_TRANSITION,
                "Only the applicant withdraws an application; reject it instead.",
            )
        )
    return await _move(application, _moving_to(stage), viewer.require_account(), field="stage")


def _moving_to(stage: ApplicationStage) -> str:
    return f"move to {stage.value.lower()}"


#: Withdrawing is the applicant's move, from any open stage; the employer moves an
#: application from any stage but WITHDRAWN to any other (one verb per target stage).
APPLICATIONS: Lifecycle[ApplicationStage] = Lifecycle(
    Application,
    noun="application",
    field="applicationId",
    code=ApplicationErrorCode.ILLEGAL_TRANSITION,
    status_column="stage",
    moves=[
        Move("withdraw", OPEN_STAGES, ApplicationStage.WITHDRAWN),
        *(
            Move(_moving_to(stage), [s for s in EMPLOYER_STAGES if s is not stage], stage)
            for stage in EMPLOYER_STAGES
        ),
    ],
)


async def _move(
    application: ApplicationRecord,
    verb: str,
    moved_by: int,
    *,
    field: str,
    values: dict[Any, Any] | None = None,
) -> ApplicationRecord:
    """Move the application by `verb`, compare-and-set, and record the move in the same
    transaction: of two racing moves exactly one succeeds, and the history names the stage
    the application really left."""
    async with write_transaction():
        before = (
            await Application.select(Application.stage)
            .where(Application.id == application.id)
            .first()
        )
        if before is None:
            raise _not_found()
        row = await APPLICATIONS.apply(
            verb,
            application.id,
            values={Application.updated_at: datetime.now(UTC), **(values or {})},
            where=Application.stage == before["stage"],
            field=field,
        )
        moved = ApplicationRecord.from_row(row, organization=application.organization)
        await _record_move(application.id, ApplicationStage(before["stage"]), moved.stage, moved_by)
        posting = (
            await JobPosting.select(JobPosting.title).where(JobPosting.id == moved.job).first()
        )
        await notify(  # the applicant's own move (withdrawing) tells nobody
            NotificationKind.APPLICATION_STAGE_CHANGED,
            recipients=[moved.applicant],
            actor=moved_by,
            subject=Subject("Application", moved.id, posting["title"] if posting else ""),
            detail=moved.stage.value,
        )
    return moved


async def _record_move(
    application_id: int,
    from_stage: ApplicationStage | None,
    stage: ApplicationStage,
    moved_by: int,
) -> None:
    await ApplicationStageChange.insert(
        ApplicationStageChange(
            application=application_id,
            from_stage=from_stage.value if from_stage else "",
            stage=stage.value,
            moved_by=moved_by,
            moved_at=datetime.now(UTC),
        )
    )


async def stage_history(
    viewer: Viewer, application_ids: list[int]
) -> dict[int, list[StageChangeRecord]]:
    """Each visible application's moves, oldest first. The employer's people see who made
    every move; the applicant sees when each happened, and who only for their own moves
    (their employer-side reviewers stay anonymous to them: `moved_by` is None)."""
    visible = await visible_applications(viewer, application_ids)
    history: dict[int, list[StageChangeRecord]] = {application_id: [] for application_id in visible}
    if not visible:
        return history
    employers = await jobs.viewer_employers(viewer)
    rows = (
        await ApplicationStageChange.select()
        .where(ApplicationStageChange.application.is_in(sorted(visible)))
        .order_by(ApplicationStageChange.moved_at)
        .order_by(ApplicationStageChange.id)
    )
    for row in rows:
        employer = visible[row["application"]].organization in employers
        known = employer or row["moved_by"] == viewer.account_id
        history[row["application"]].append(
            StageChangeRecord.from_row(
                row,
                from_stage=ApplicationStage(row["from_stage"]) if row["from_stage"] else None,
                moved_by=row["moved_by"] if known else None,
            )
        )
    return history


async def applications_for_job(
    viewer: Viewer, job_id: int, *, first: int | None, after: str | None
) -> Page:
    """A page of one posting's applications as rows (`ApplicationRecord` reads each), for
    its employer's people only."""
    job = await JobPosting.select(JobPosting.organization).where(JobPosting.id == job_id).first()
    if job is None or not await jobs.may_manage(viewer, job["organization"]):
        return Page(rows=[], total_count=0, has_next_page=False, has_previous_page=False)
    return await _page(Application.job == job_id, first, after)


async def my_applications(viewer: Viewer, *, first: int | None, after: str | None) -> Page:
    """A page of the viewer's own applications as rows, oldest first."""
    return await _page(Application.applicant == viewer.require_account(), first, after)


async def _page(where: Where, first: int | None, after: str | None) -> Page:
    return await paginate(
        Application, where=[where], first=first, after=after, columns=WITH_EMPLOYER
    )


async def visible_applications(viewer: Viewer, ids: list[int]) -> dict[int, ApplicationRecord]:
    """Applications the viewer may see: their own, or those to their employer's postings."""
    if not ids or viewer.account_id is None:
        return {}
    rows = await Application.select(*WITH_EMPLOYER).where(Application.id.is_in(ids))
    employers = await jobs.viewer_employers(viewer)
    applications = [ApplicationRecord.from_row(row) for row in rows]
    return {
        application.id: application
        for application in applications
        if application.applicant == viewer.account_id or application.organization in employers
    }


async def shared_resume(viewer: Viewer, application: ApplicationRecord) -> ResumeView | None:
    """The resume attached to an application, as its applicant shared it with the employer:
    the snapshot taken when they applied, to the employer and to the applicant alike.

    Only through the application: the same viewer asking for the resume by id gets only
    what its audience allows. A withdrawn application shares nothing any more.
    """
    snapshot = application.resume_snapshot
    if snapshot is None or application.stage is ApplicationStage.WITHDRAWN:
        return None
    is_applicant = viewer.account_id == application.applicant
    if not is_applicant and not await jobs.may_manage(viewer, application.organization):
        return None
    return ResumeView(
        ResumeRecord.from_row(snapshot_row(snapshot)), show_contact=True, is_owner=is_applicant
    )

"""The resumes part of the GraphQL schema: import, edit, audiences, open-to-work, exclusions."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from api.core.context import Info
from api.core.pagination import After, Connection, First
from api.core.records import build, mutation
from api.core.types import database_id, row_id
from api.core.viewer import Viewer
from api.networks.schema import organization_id
from api.resumes import service
from api.resumes.document import ResumeErrorCode
from api.resumes.loaders import ResumeByIdLoader
from api.resumes.records import OpenToWorkRecord, ResumeView
from api.resumes.types import (
    DeleteResumeInput,
    DeleteResumePayload,
    ImportResumeInput,
    OpenToWork,
    OpenToWorkPayload,
    Resume,
    ResumeExclusionsPayload,
    ResumePayload,
    SetOpenToWorkInput,
    SetResumeExclusionsInput,
    SetResumeVisibilityInput,
    UpdateResumeInput,
    public_resumes,
)


def resume_id(global_id: relay.GlobalID) -> int:
    return database_id(global_id, "Resume", field="id", code=ResumeErrorCode.NOT_FOUND)


@strawberry.type
class ResumesQuery:
    @strawberry.field(description="A resume by id; null when it does not exist or is hidden.")
    async def resume(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="The resume's global id.")],
    ) -> Resume | None:
        if id.type_name != "Resume" or row_id(id.node_id) is None:
            return None
        view = await info.context.loaders.get(ResumeByIdLoader).load(row_id(id.node_id))
        return Resume.from_record(view) if view else None

    @strawberry.field(
        description="The resumes anyone may see (PUBLIC ones), in the order they were "
        "imported: the public site's list. Contact details follow each owner's setting."
    )
    async def public_resumes(self, first: First = None, after: After = None) -> Connection[Resume]:
        return await public_resumes(first, after)


def _resume_payload(view: ResumeView) -> ResumePayload:
    return ResumePayload(resume=Resume.from_record(view))


def _open_to_work_payload(signal: OpenToWorkRecord) -> OpenToWorkPayload:
    return OpenToWorkPayload(open_to_work=build(OpenToWork, signal))


def _exclusions_payload(organization_ids: list[int]) -> ResumeExclusionsPayload:
    return ResumeExclusionsPayload(
        organization_ids=[relay.GlobalID("Organization", str(i)) for i in organization_ids]
    )


async def _delete_resume(viewer: Viewer, input: DeleteResumeInput) -> relay.GlobalID:
    await service.delete_resume(viewer, resume_id(input.id))
    return input.id


def _deleted_payload(deleted: relay.GlobalID) -> DeleteResumePayload:
    return DeleteResumePayload(deleted_resume_id=deleted)


@strawberry.type
class ResumesMutation:
    import_resume = mutation(
        "Store a JSON Resume document as a new resume. An invalid document is stored not at "
        "all; each problem comes back with its JSON path as `field`.",
        ImportResumeInput,
        "The JSON Resume document and who may see it.",
        lambda viewer, input: service.import_resume(
            viewer,
            input.document,
            visibility=input.visibility,
            title=input.title,
            is_primary=input.is_primary,
        ),
        _resume_payload,
    )

    update_resume = mutation(
        "Replace sections of one of your resumes, or retitle it.",
        UpdateResumeInput,
        "The resume, and the sections, title or primary flag to change.",
        lambda viewer, input: service.update_resume(
            viewer,
            resume_id(input.id),
            sections=input.sections,
            title=input.title,
            is_primary=input.is_primary,
        ),
        _resume_payload,
    )

    set_resume_visibility = mutation(
        "Choose who may see one of your resumes.",
        SetResumeVisibilityInput,
        "The resume and its new audience.",
        lambda viewer, input: service.set_visibility(viewer, resume_id(input.id), input.visibility),
        _resume_payload,
    )

    delete_resume = mutation(
        "Delete one of your resumes, from search too.",
        DeleteResumeInput,
        "The resume to delete.",
        _delete_resume,
        _deleted_payload,
    )

    set_open_to_work = mutation(
        "Say you are open to work, for what, and who may see it.",
        SetOpenToWorkInput,
        "The work you are open to and who may see it (replaces what you said before).",
        lambda viewer, input: service.set_open_to_work(
            viewer,
            titles=input.titles,
            locations=input.locations,
            workplace_types=[v.value for v in input.workplace_types],
            employment_types=[v.value for v in input.employment_types],
            earliest_start=input.earliest_start,
            audience=input.audience,
        ),
        _open_to_work_payload,
    )

    @strawberry.mutation(description="Stop showing that you are open to work.")
    async def clear_open_to_work(self, info: Info) -> OpenToWorkPayload:
        await service.clear_open_to_work(info.context.viewer)
        return OpenToWorkPayload()

    set_resume_exclusions = mutation(
        "Replace the list of organizations whose people must not see your resumes or that "
        "you are open to work (your current employer, say).",
        SetResumeExclusionsInput,
        "Every organization to exclude; an empty list excludes none.",
        lambda viewer, input: service.set_exclusions(
            viewer, [organization_id(gid, "organizationIds") for gid in input.organization_ids]
        ),
        _exclusions_payload,
    )

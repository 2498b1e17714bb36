"""The resumes part of the GraphQL schema: import, edit, audiences, open-to-work, exclusions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

import strawberry
from strawberry import relay

from api.core.context import Info
from api.core.pagination import After, Connection, First
from api.core.types import database_id, row_id
from api.networks.schema import organization_id
from api.people.tables import Visibility
from api.resumes import service
from api.resumes.document import ResumeErrorCode
from api.resumes.types import (
    DeleteResumeInput,
    DeleteResumePayload,
    ImportResumeInput,
    OpenToWork,
    OpenToWorkPayload,
    Resume,
    ResumeByIdLoader,
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


async def _resume_move(move: Callable[[], Awaitable[service.ResumeView]]) -> ResumePayload:
    view = await move()
    return ResumePayload(resume=Resume.from_view(view))


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
        return Resume.from_view(view) if view else None

    @strawberry.field(
        description="The resumes anyone may see (PUBLIC ones), in the order they were "
        "imported: the public site's list. Contact details follow each owner's setting."
    )
    async def public_resumes(self, first: First = None, after: After = None) -> Connection[Resume]:
        return await public_resumes(first, after)


@strawberry.type
class ResumesMutation:
    @strawberry.mutation(
        description="Store a JSON Resume document as a new resume. An invalid document is "
        "stored not at all; each problem comes back with its JSON path as `field`."
    )
    async def import_resume(
        self,
        info: Info,
        input: Annotated[
            ImportResumeInput,
            strawberry.argument(description="The JSON Resume document and who may see it."),
        ],
    ) -> ResumePayload:
        return await _resume_move(
            lambda: service.import_resume(
                info.context.viewer,
                input.document,
                visibility=Visibility(input.visibility.value),
                title=input.title,
                is_primary=input.is_primary,
            )
        )

    @strawberry.mutation(description="Replace sections of one of your resumes, or retitle it.")
    async def update_resume(
        self,
        info: Info,
        input: Annotated[
            UpdateResumeInput,
            strawberry.argument(
                description=("The resume, and the sections, title or primary flag to change.")
            ),
        ],
    ) -> ResumePayload:
        return await _resume_move(
            lambda: service.update_resume(
                info.context.viewer,
                resume_id(input.id),
                sections=input.sections,
                title=input.title,
                is_primary=input.is_primary,
            )
        )

    @strawberry.mutation(description="Choose who may see one of your resumes.")
    async def set_resume_visibility(
        self,
        info: Info,
        input: Annotated[
            SetResumeVisibilityInput,
            strawberry.argument(description="The resume and its new audience."),
        ],
    ) -> ResumePayload:
        return await _resume_move(
            lambda: service.set_visibility(
                info.context.viewer, resume_id(input.id), Visibility(input.visibility.value)
            )
        )

    @strawberry.mutation(description="Delete one of your resumes, from search too.")
    async def delete_resume(
        self,
        info: Info,
        input: Annotated[
            DeleteResumeInput, strawberry.argument(description="The resume to delete.")
        ],
    ) -> DeleteResumePayload:
        await service.delete_resume(info.context.viewer, resume_id(input.id))
        return DeleteResumePayload(deleted_resume_id=input.id)

    @strawberry.mutation(description="Say you are open to work, for what, and who may see it.")
    async def set_open_to_work(
        self,
        info: Info,
        input: Annotated[
            SetOpenToWorkInput,
            strawberry.argument(
                description=(
                    "The work you are open to and who may see it (replaces what you said before)."
                )
            ),
        ],
    ) -> OpenToWorkPayload:
        row = await service.set_open_to_work(
            info.context.viewer,
            titles=input.titles,
            locations=input.locations,
            workplace_types=[v.value for v in input.workplace_types],
            employment_types=[v.value for v in input.employment_types],
            earliest_start=input.earliest_start,
            audience=input.audience,
        )
        return OpenToWorkPayload(open_to_work=OpenToWork.from_row(row))

    @strawberry.mutation(description="Stop showing that you are open to work.")
    async def clear_open_to_work(self, info: Info) -> OpenToWorkPayload:
        await service.clear_open_to_work(info.context.viewer)
        return OpenToWorkPayload()

    @strawberry.mutation(
        description="Replace the list of organizations whose people must not see your resumes "
        "or that you are open to work (your current employer, say)."
    )
    async def set_resume_exclusions(
        self,
        info: Info,
        input: Annotated[
            SetResumeExclusionsInput,
            strawberry.argument(
                description="Every organization to exclude; an empty list excludes none."
            ),
        ],
    ) -> ResumeExclusionsPayload:
        ids = [organization_id(gid, "organizationIds") for gid in input.organization_ids]
        saved = await service.set_exclusions(info.context.viewer, ids)
        return ResumeExclusionsPayload(
            organization_ids=[relay.GlobalID("Organization", str(i)) for i in saved]
        )

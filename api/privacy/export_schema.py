"""Data export in the GraphQL schema: `requestDataExport` and its payload."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.core.context import Info
from api.core.types import UserError
from api.privacy import export
from api.privacy.tables import ExportStatus as ExportStatusEnum

ExportErrorCode = strawberry.enum(
    export.ExportErrorCode,
    description="EXPORT_PENDING: an export asked for earlier is still being prepared. "
    "TOO_MANY_EXPORTS: the daily number of exports was reached.",
)
DataExportStatus = strawberry.enum(
    ExportStatusEnum,
    name="DataExportStatus",
    description="PENDING: being prepared; its link is mailed when READY. EXPIRED: the link "
    "ended (or a newer export replaced it) and the file was deleted. FAILED: it could not be "
    "prepared; ask again.",
)


@strawberry.type(description="A problem with a data-export request.")
class ExportError(UserError):
    code: ExportErrorCode


@strawberry.type(description="A copy of all of an account's data, prepared to be downloaded.")
class DataExport:
    status: DataExportStatus
    requested_at: datetime
    ready_at: datetime | None = strawberry.field(
        description="When the archive was written and its link mailed."
    )
    expires_at: datetime | None = strawberry.field(
        description="When the download link stops working and the file is deleted."
    )

    @classmethod
    def from_record(cls, record: export.ExportRecord) -> DataExport:
        return cls(
            status=record.status,
            requested_at=record.requested_at,
            ready_at=record.ready_at,
            expires_at=record.expires_at,
        )


@strawberry.type
class RequestDataExportPayload:
    export: DataExport | None = None
    user_errors: list[ExportError] = strawberry.field(default_factory=list)


@strawberry.type
class DataExportMutation:
    @strawberry.mutation(
        description="Ask for a copy of all your data (account, profile, resumes as JSON "
        "Resume, applications, memberships, connections, RSVPs, posts, comments, saved "
        "searches) as one JSON file. It is prepared in the background and a download link, "
        "valid for 7 days, is mailed to your address. One at a time, 3 a day."
    )
    async def request_data_export(self, info: Info) -> RequestDataExportPayload:
        record = await export.request_export(info.context.viewer)
        return RequestDataExportPayload(export=DataExport.from_record(record))

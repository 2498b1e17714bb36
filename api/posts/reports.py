"""Reports: anyone signed in who can see a published post or comment may flag it once to
the organization's admins, who dismiss the reports about it or remove it.

Lifecycle (`REPORTS`; compare-and-set): OPEN -> DISMISSED or CONTENT_REMOVED by resolve,
which settles the other open reports about the same item with it.
"""

from __future__ import annotations

from enum import Enum

from piccolo.columns.combination import Where

from api.core.db import is_unique_violation, write_transaction
from api.core.errors import FieldError, InvalidInput
from api.core.lifecycle import Lifecycle, Move
from api.core.pagination import Page, paginate
from api.core.viewer import Viewer
from api.networks import service as networks
from api.people.audience import circle_of
from api.posts.comments import comment_records, take_down_comment, visible_comment
from api.posts.records import CommentRecord, PostRecord, ReportRecord, read
from api.posts.service import (
    PostErrorCode,
    checked_text,
    close_reports,
    now,
    post_records,
    take_down_post,
    visible_post,
)
from api.posts.tables import (
    CommentStatus,
    PostReport,
    PostStatus,
    ReportReason,
    ReportStatus,
)

MAX_DETAILS_LENGTH = 1000
REPORTS: Lifecycle[ReportStatus] = Lifecycle(
    PostReport,
    noun="report",
    field="reportId",
    code=PostErrorCode.ILLEGAL_TRANSITION,
    moves=[Move("resolve", {ReportStatus.OPEN})],  # to DISMISSED or CONTENT_REMOVED
)


class ReportAction(Enum):
    DISMISS = "DISMISS"
    REMOVE_CONTENT = "REMOVE_CONTENT"


def _details(reason: ReportReason, details: str) -> str:
    required = (PostErrorCode.DETAILS_REQUIRED, "Say what is wrong with it.")
    return checked_text(
        "details",
        details.strip(),
        MAX_DETAILS_LENGTH,
        PostErrorCode.DETAILS_TOO_LONG,
        required if reason is ReportReason.OTHER else None,
    )


def _already_reported(field: str) -> InvalidInput:
    return InvalidInput(
        FieldError(field, PostErrorCode.ALREADY_REPORTED, "You have already reported this.")
    )


def _about(post_id: int | None, comment_id: int | None) -> Where:
    """The reports about one item: a post, or else a comment."""
    return PostReport.post == post_id if post_id is not None else PostReport.comment == comment_id


async def _file(
    viewer: Viewer,
    item: str,
    reported: PostRecord | CommentRecord,
    reason: ReportReason,
    details: str,
) -> ReportRecord:
    """A new report about `reported`, a post or a comment as `item` says, unless it is not
    published or the viewer has reported it before."""
    field = f"{item}Id"
    if not reported.published:
        raise InvalidInput(
            FieldError(field, PostErrorCode.NOT_PUBLISHED, f"Only published {item}s are reported.")
        )
    values = {
        "organization": reported.organization,
        item: reported.id,
        "reporter": viewer.require_account(),
        "reason": reason.value,
        "details": _details(reason, details),
    }
    about = _about(values.get("post"), values.get("comment"))
    try:
        async with write_transaction():
            if await PostReport.exists().where(about & (PostReport.reporter == values["reporter"])):
                raise _already_reported(field)
            [row] = await PostReport.insert(PostReport(**values)).returning(
                *PostReport.all_columns()
            )
    except InvalidInput:
        raise
    except Exception as error:
        # A report made at the same moment by the same person: the index decides.
        if is_unique_violation(error):
            raise _already_reported(field) from None
        raise
    return ReportRecord.from_row(row)


async def report_post(
    viewer: Viewer, post_id: int, reason: ReportReason, details: str
) -> ReportRecord:
    return await _file(viewer, "post", await visible_post(viewer, post_id), reason, details)


async def report_comment(
    viewer: Viewer, comment_id: int, reason: ReportReason, details: str
) -> ReportRecord:
    comment = await visible_comment(viewer, comment_id)
    return await _file(viewer, "comment", comment, reason, details)


async def list_reports(
    viewer: Viewer,
    organization_id: int,
    *,
    status: ReportStatus = ReportStatus.OPEN,
    first: int | None,
    after: str | None,
) -> Page:
    """Owners and admins: reports about the organization's posts and comments, oldest first,
    as rows (`ReportRecord.from_row` reads them)."""
    await networks.require_admin(viewer, organization_id)
    return await paginate(
        PostReport,
        where=[(PostReport.organization == organization_id) & (PostReport.status == status.value)],
        first=first,
        after=after,
    )


async def reports_by_ids(viewer: Viewer, ids: list[int]) -> dict[int, ReportRecord]:
    """The reports among `ids` about organizations the viewer administers."""
    reports = await read(ReportRecord, PostReport, ids)
    access = await circle_of(viewer)
    return {report.id: report for report in reports if access.is_admin_of(report.organization)}


async def resolve_report(viewer: Viewer, report_id: int, action: ReportAction) -> ReportRecord:
    """Settle every open report about the same item: dismiss them, or remove the item."""
    account_id = viewer.require_account()
    [report] = await read(ReportRecord, PostReport, [report_id]) or [None]
    if report is None:
        raise InvalidInput(
            FieldError("reportId", PostErrorCode.NOT_FOUND, "No report has this id.")
        )
    await networks.require_admin(viewer, report.organization)
    REPORTS.check("resolve", report.status.value)
    settled = (
        ReportStatus.DISMISSED if action is ReportAction.DISMISS else ReportStatus.CONTENT_REMOVED
    )
    values = {PostReport.resolved_by: account_id, PostReport.resolved_at: now()}
    async with write_transaction():
        # This report first: of two admins settling it at once, one does, the other is told.
        resolved = await REPORTS.apply("resolve", report_id, to=settled, values=values)
        if action is ReportAction.REMOVE_CONTENT:
            await _remove_reported(report, account_id)
        await close_reports(_about(report.post, report.comment), account_id, settled)
    return ReportRecord.from_row(resolved)


async def _remove_reported(report: ReportRecord, account_id: int) -> None:
    """Remove the item `report` is about, unless it is removed already."""
    if report.post is not None:
        [post] = await post_records([report.post])
        if post.status is not PostStatus.REMOVED:
            await take_down_post(post, account_id, field="reportId")
    else:
        [comment] = await comment_records([report.comment])
        if comment.status is not CommentStatus.REMOVED:
            await take_down_comment(comment, account_id, field="reportId")

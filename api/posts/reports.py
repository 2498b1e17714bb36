"""Reports: anyone signed in who can see a published post or comment may flag it once to
the organization's admins, who dismiss the reports about it or remove it."""

from __future__ import annotations

from enum import Enum
from typing import Any

from api.core.db import is_unique_violation, write_transaction
from api.core.errors import FieldError, InvalidInput
from api.core.pagination import Page, paginate
from api.core.viewer import Viewer
from api.networks import service as networks
from api.people.audience import circle_of
from api.posts.comments import take_down_comment, visible_comment
from api.posts.service import (
    PostErrorCode,
    close_reports,
    illegal,
    post_rows,
    take_down_post,
    visible_post,
)
from api.posts.tables import (
    Comment,
    CommentStatus,
    PostReport,
    PostStatus,
    ReportReason,
    ReportStatus,
)

MAX_DETAILS_LENGTH = 1000


class ReportAction(Enum):
    DISMISS = "DISMISS"
    REMOVE_CONTENT = "REMOVE_CONTENT"


def _details(reason: ReportReason, details: str) -> str:
    details = details.strip()
    if reason is ReportReason.OTHER and not details:
        raise InvalidInput(
            FieldError("details", PostErrorCode.DETAILS_REQUIRED, "Say what is wrong with it.")
        )
    if len(details) > MAX_DETAILS_LENGTH:
        raise InvalidInput(
            FieldError(
                "details",
                PostErrorCode.DETAILS_TOO_LONG,
                f"Use at most {MAX_DETAILS_LENGTH} characters.",
            )
        )
    return details


def _already_reported(field: str) -> InvalidInput:
    return InvalidInput(
        FieldError(field, PostErrorCode.ALREADY_REPORTED, "You have already reported this.")
    )


async def _file(values: dict[str, Any], field: str) -> dict[str, Any]:
    item = (
        PostReport.post == values["post"]
        if values.get("post") is not None
        else PostReport.comment == values["comment"]
    )
    try:
        async with write_transaction():
            if await PostReport.exists().where(item & (PostReport.reporter == values["reporter"])):
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
    return row


async def report_post(
    viewer: Viewer, post_id: int, reason: ReportReason, details: str
) -> dict[str, Any]:
    account_id = viewer.require_account()
    post = await visible_post(viewer, post_id)
    if post["status"] != PostStatus.PUBLISHED.value:
        raise InvalidInput(
            FieldError("postId", PostErrorCode.NOT_PUBLISHED, "Only published posts are reported.")
        )
    values = {
        "organization": post["organization"],
        "post": post_id,
        "reporter": account_id,
        "reason": reason.value,
        "details": _details(reason, details),
    }
    return await _file(values, "postId")


async def report_comment(
    viewer: Viewer, comment_id: int, reason: ReportReason, details: str
) -> dict[str, Any]:
    account_id = viewer.require_account()
    comment = await visible_comment(viewer, comment_id)
    if comment["status"] != CommentStatus.PUBLISHED.value:
        raise InvalidInput(
            FieldError(
                "commentId", PostErrorCode.NOT_PUBLISHED, "Only published comments are reported."
            )
        )
    values = {
        "organization": comment["organization"],
        "comment": comment_id,
        "reporter": account_id,
        "reason": reason.value,
        "details": _details(reason, details),
    }
    return await _file(values, "commentId")


async def list_reports(
    viewer: Viewer,
    organization_id: int,
    *,
    status: ReportStatus = ReportStatus.OPEN,
    first: int | None,
    after: str | None,
) -> Page:
    """Owners and admins: reports about the organization's posts and comments, oldest first."""
    await networks.require_admin(viewer, organization_id)
    return await paginate(
        PostReport,
        where=[(PostReport.organization == organization_id) & (PostReport.status == status.value)],
        first=first,
        after=after,
    )


async def reports_by_ids(viewer: Viewer, ids: list[int]) -> dict[int, dict[str, Any]]:
    """The reports among `ids` about organizations the viewer administers."""
    if not ids:
        return {}
    access = await circle_of(viewer)
    rows = await PostReport.select().where(PostReport.id.is_in(sorted(set(ids))))
    return {row["id"]: row for row in rows if access.is_admin_of(row["organization"])}


async def resolve_report(viewer: Viewer, report_id: int, action: ReportAction) -> dict[str, Any]:
    """Settle every open report about the same item: dismiss them, or remove the item."""
    account_id = viewer.require_account()
    report = await PostReport.select().where(PostReport.id == report_id).first()
    if report is None:
        raise InvalidInput(
            FieldError("reportId", PostErrorCode.NOT_FOUND, "No report has this id.")
        )
    await networks.require_admin(viewer, report["organization"])
    if report["status"] != ReportStatus.OPEN.value:
        raise illegal("resolve", report["status"], "reportId", "report")
    item = (
        PostReport.post == report["post"]
        if report["post"] is not None
        else PostReport.comment == report["comment"]
    )
    if action is ReportAction.DISMISS:
        async with write_transaction():
            await close_reports(item, account_id, ReportStatus.DISMISSED)
    elif report["post"] is not None:
        [post] = await post_rows([report["post"]])
        if post["status"] == PostStatus.REMOVED.value:
            async with write_transaction():
                await close_reports(item, account_id)
        else:
            await take_down_post(post, account_id)
    else:
        comment = (
            await Comment.select(Comment.id, Comment.status)
            .where(Comment.id == report["comment"])
            .first()
        )
        comment = {**comment, "organization": report["organization"]}
        if comment["status"] == CommentStatus.REMOVED.value:
            async with write_transaction():
                await close_reports(item, account_id)
        else:
            await take_down_comment(comment, account_id)
    return await PostReport.select().where(PostReport.id == report_id).first()

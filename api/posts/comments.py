"""Comments on posts: members reply to published posts they may see; authors edit and
delete theirs, admins remove any. A comment is seen by whoever sees its post (a removed
one by the organization's admins only).

Lifecycle (`COMMENTS`; compare-and-set): PUBLISHED -> REMOVED by delete (its author) or
remove (an admin); only a PUBLISHED comment is edited.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from piccolo.query.functions.aggregate import Count

from api.core.db import write_transaction
from api.core.errors import FieldError, Forbidden, InvalidInput
from api.core.lifecycle import Lifecycle, Move
from api.core.markup import render_markdown_off_loop
from api.core.pagination import Page, first_pages, paginate
from api.core.viewer import Viewer
from api.notifications.service import Subject, notify
from api.notifications.tables import NotificationKind
from api.people.audience import Circle, circle_of
from api.posts.records import CommentRecord, PostRecord, read
from api.posts.service import (
    PostErrorCode,
    checked_text,
    close_reports,
    may_moderate,
    may_see_post,
    now,
    post_records,
    visible_post,
)
from api.posts.tables import Comment, CommentStatus, PostReport

MAX_COMMENT_LENGTH = 10_000
COMMENT_COLUMNS = (*Comment.all_columns(), Comment.post.organization.as_alias("organization"))
COMMENTS: Lifecycle[CommentStatus] = Lifecycle(
    Comment,
    noun="comment",
    field="commentId",
    code=PostErrorCode.ILLEGAL_TRANSITION,
    moves=[
        Move("edit", {CommentStatus.PUBLISHED}, CommentStatus.PUBLISHED),
        Move("delete", {CommentStatus.PUBLISHED}, CommentStatus.REMOVED),
        Move("remove", {CommentStatus.PUBLISHED}, CommentStatus.REMOVED),
    ],
)


def may_see_comment(access: Circle, comment: CommentRecord, post: PostRecord) -> bool:
    if not may_see_post(access, post):
        return False
    return comment.published or access.is_admin_of(comment.organization)


def may_edit_comment(access: Circle, comment: CommentRecord) -> bool:
    return (
        access.account_id == comment.author
        and access.is_member_of(comment.organization)
        and comment.published
    )


def may_delete_comment(access: Circle, comment: CommentRecord) -> bool:
    return access.account_id == comment.author and comment.published


async def comment_records(ids: Iterable[int]) -> list[CommentRecord]:
    return await read(CommentRecord, Comment, ids, COMMENT_COLUMNS)


async def comments_by_ids(viewer: Viewer, ids: list[int]) -> dict[int, CommentRecord]:
    """The comments among `ids` the viewer may see."""
    comments = await comment_records(ids)
    posts = {post.id: post for post in await post_records(c.post for c in comments)}
    access = await circle_of(viewer)
    return {
        comment.id: comment
        for comment in comments
        if comment.post in posts and may_see_comment(access, comment, posts[comment.post])
    }


def comment_not_found() -> InvalidInput:
    return InvalidInput(FieldError("commentId", PostErrorCode.NOT_FOUND, "No comment has this id."))


async def visible_comment(viewer: Viewer, comment_id: int) -> CommentRecord:
    viewer.require_account()
    found = await comments_by_ids(viewer, [comment_id])
    if comment_id not in found:
        raise comment_not_found()
    return found[comment_id]


async def comment_counts(post_ids: list[int]) -> dict[int, int]:
    """How many published comments each post has."""
    if not post_ids:
        return {}
    rows = (
        await Comment.select(Comment.post, Count(Comment.id, alias="count"))
        .where(
            Comment.post.is_in(sorted(set(post_ids)))
            & (Comment.status == CommentStatus.PUBLISHED.value)
        )
        .group_by(Comment.post)
    )
    return {row["post"]: row["count"] for row in rows}


async def list_comments(post_id: int, *, first: int | None, after: str | None) -> Page:
    """A post's published comments, oldest first, as rows (`CommentRecord.from_row` reads
    them); the caller has checked the post is visible."""
    return await paginate(
        Comment,
        where=[(Comment.post == post_id) & (Comment.status == CommentStatus.PUBLISHED.value)],
        first=first,
        after=after,
        columns=COMMENT_COLUMNS,
    )


async def first_comment_pages(post_ids: list[int], size: int) -> dict[int, Page]:
    """The first page of published comments of each post, in three queries for them all."""
    return await first_pages(
        Comment,
        Comment.post,
        post_ids,
        size,
        status=Comment.status,
        value=CommentStatus.PUBLISHED.value,
        columns=COMMENT_COLUMNS,
    )


def _checked(body: str) -> str:
    required = (PostErrorCode.BODY_REQUIRED, "Write something to comment.")
    return checked_text("body", body, MAX_COMMENT_LENGTH, PostErrorCode.BODY_TOO_LONG, required)


async def add_comment(
    viewer: Viewer, post_id: int, body: str, reply_to: int | None = None
) -> CommentRecord:
    """The viewer's comment on a published post of their organization; `reply_to`: a
    published comment on the same post it answers (its author is told, COMMENT_REPLIED)."""
    account_id = viewer.require_account()
    post = await visible_post(viewer, post_id)
    access = await circle_of(viewer)
    if not access.is_member_of(post.organization):
        raise Forbidden("Only the organization's members (not its guests) comment here.")
    if not post.published:
        raise InvalidInput(
            FieldError(
                "postId",
                PostErrorCode.NOT_PUBLISHED,
                "Comments open once the post is published.",
            )
        )
    answered = None
    if reply_to is not None:
        found = await comment_records([reply_to])
        if not found or found[0].post != post_id or not found[0].published:
            raise InvalidInput(
                FieldError(
                    "replyToCommentId",
                    PostErrorCode.NOT_FOUND,
                    "No published comment on this post has this id.",
                )
            )
        answered = found[0]
    body_html = await render_markdown_off_loop(_checked(body))
    moment = now()
    subject = Subject("Post", post_id, post.title)
    async with write_transaction():
        [row] = await Comment.insert(
            Comment(
                post=post_id,
                author=account_id,
                body=body,
                body_html=body_html,
                reply_to=reply_to,
                created_at=moment,
                updated_at=moment,
            )
        ).returning(*Comment.all_columns())
        if answered is not None:
            await notify(
                NotificationKind.COMMENT_REPLIED,
                recipients=[answered.author],
                actor=account_id,
                subject=subject,
            )
        if answered is None or answered.author != post.author:
            await notify(
                NotificationKind.POST_COMMENTED,
                recipients=[post.author],
                actor=account_id,
                subject=subject,
            )
    return CommentRecord.from_row(row, organization=post.organization)


async def _move(
    verb: str, comment: CommentRecord, values: dict[str, Any], field: str | None = None
) -> CommentRecord:
    """Move `comment` by `verb` (compare-and-set), writing `values` too."""
    values = {**values, "updated_at": now()}
    moved = await COMMENTS.apply(verb, comment.id, values=values, field=field)
    return CommentRecord.from_row(moved, organization=comment.organization)


async def update_comment(viewer: Viewer, comment_id: int, body: str) -> CommentRecord:
    comment = await visible_comment(viewer, comment_id)
    COMMENTS.check("edit", comment.status.value)
    if not may_edit_comment(await circle_of(viewer), comment):
        raise Forbidden("Only its author, while a member, edits a comment.")
    body_html = await render_markdown_off_loop(_checked(body))
    return await _move("edit", comment, {"body": body, "body_html": body_html})


async def take_down_comment(
    comment: CommentRecord, account_id: int, verb: str = "remove", field: str | None = None
) -> CommentRecord:
    """Mark a comment REMOVED by `verb` and settle the open reports about it."""
    async with write_transaction():
        removed = await _move(verb, comment, {"removed_by": account_id}, field)
        await close_reports(PostReport.comment == comment.id, account_id)
    return removed


async def delete_comment(viewer: Viewer, comment_id: int) -> CommentRecord:
    comment = await visible_comment(viewer, comment_id)
    COMMENTS.check("delete", comment.status.value)
    if not may_delete_comment(await circle_of(viewer), comment):
        raise Forbidden("Only its author deletes a comment; admins remove comments instead.")
    return await take_down_comment(comment, viewer.require_account(), "delete")


async def remove_comment(viewer: Viewer, comment_id: int) -> CommentRecord:
    comment = await visible_comment(viewer, comment_id)
    if not may_moderate(await circle_of(viewer), comment.organization):
        raise Forbidden("Only the organization's owners and admins remove comments.")
    COMMENTS.check("remove", comment.status.value)
    return await take_down_comment(comment, viewer.require_account())

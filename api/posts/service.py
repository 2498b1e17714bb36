"""Posts in organizations: who may post, who sees what, the review lifecycle, pinning.

Visibility is decided here, once (`may_see_post` for one row, `_visible_where` for a page,
which must agree):

- an organization's OWNERs and ADMINs see every post of it, in every status;
- a PUBLISHED post is seen by the organization's active members (GUESTs excluded), and by
  everyone, signed in or not, when its audience is PUBLIC and the organization is public;
- a PENDING_REVIEW or REJECTED post is seen by its author (and the admins);
- a REMOVED post is seen by the admins only.

Lifecycle (`POSTS`; each move compare-and-set, anything else is ILLEGAL_TRANSITION): a post
starts PUBLISHED, or PENDING_REVIEW when the organization pre-moderates (`PostModeration`)
and its author is not an admin. approve: PENDING_REVIEW -> PUBLISHED; reject: PENDING_REVIEW
-> REJECTED (editing a rejected post submits it again); pin and unpin: a PUBLISHED post;
delete (its author) and remove (an admin): any status but REMOVED -> REMOVED. Rows are
never deleted.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from piccolo.columns.combination import Where

from api.core.db import write_transaction
from api.core.errors import FieldError, Forbidden, InvalidInput
from api.core.lifecycle import Lifecycle, Move
from api.core.markup import MAX_MARKDOWN_LENGTH, render_markdown_off_loop
from api.core.pagination import Page, cursor_text, not_a_cursor, page_size
from api.core.types import row_id
from api.core.viewer import Viewer
from api.networks import service as networks
from api.notifications.service import Subject, notify
from api.notifications.tables import NotificationKind
from api.people.audience import Circle, circle_of
from api.posts.records import PostRecord, PostSettingsRecord, read
from api.posts.tables import (
    Post,
    PostAudience,
    PostKind,
    PostModeration,
    PostReport,
    PostSettings,
    PostStatus,
    ReportStatus,
)

MAX_TITLE_LENGTH = 200
MAX_REASON_LENGTH = 500
TITLED_KINDS = frozenset({PostKind.BLOG, PostKind.ANNOUNCEMENT})
PUBLIC_KINDS = TITLED_KINDS
"""Kinds of post an admin may open to the public (a discussion stays among members)."""


class PostErrorCode(Enum):
    NOT_FOUND = "NOT_FOUND"
    TITLE_REQUIRED = "TITLE_REQUIRED"
    TITLE_TOO_LONG = "TITLE_TOO_LONG"
    BODY_REQUIRED = "BODY_REQUIRED"
    BODY_TOO_LONG = "BODY_TOO_LONG"
    INVALID_AUDIENCE = "INVALID_AUDIENCE"
    ILLEGAL_TRANSITION = "ILLEGAL_TRANSITION"
    NOT_PUBLISHED = "NOT_PUBLISHED"
    REASON_REQUIRED = "REASON_REQUIRED"
    REASON_TOO_LONG = "REASON_TOO_LONG"
    DETAILS_REQUIRED = "DETAILS_REQUIRED"
    DETAILS_TOO_LONG = "DETAILS_TOO_LONG"
    ALREADY_REPORTED = "ALREADY_REPORTED"
    INVALID_CHARACTERS = "INVALID_CHARACTERS"


NOT_REMOVED = (PostStatus.PUBLISHED, PostStatus.PENDING_REVIEW, PostStatus.REJECTED)
POSTS: Lifecycle[PostStatus] = Lifecycle(
    Post,
    noun="post",
    field="postId",
    code=PostErrorCode.ILLEGAL_TRANSITION,
    moves=[
        # An edit keeps the status, or submits a rejected post again (to review, or live).
        Move("edit", NOT_REMOVED),
        Move("approve", {PostStatus.PENDING_REVIEW}, PostStatus.PUBLISHED),
        Move("reject", {PostStatus.PENDING_REVIEW}, PostStatus.REJECTED),
        Move("pin", {PostStatus.PUBLISHED}, PostStatus.PUBLISHED),
        Move("unpin", {PostStatus.PUBLISHED}, PostStatus.PUBLISHED),
        Move("delete", NOT_REMOVED, PostStatus.REMOVED),
        Move("remove", NOT_REMOVED, PostStatus.REMOVED),
    ],
)


def now() -> datetime:
    return datetime.now(UTC)


def checked_text(
    field: str,
    text: str,
    limit: int,
    too_long: PostErrorCode,
    required: tuple[PostErrorCode, str] | None = None,
) -> str:
    """`text`, if it is at most `limit` characters and, when `required` (its code and what
    to tell the user), not blank."""
    if required is not None and not text.strip():
        code, message = required
        raise InvalidInput(FieldError(field, code, message))
    if len(text) > limit:
        raise InvalidInput(FieldError(field, too_long, f"Use at most {limit} characters."))
    return text


# --- visibility and the viewer's permissions, decided once -----------------------------


def may_see_post(access: Circle, post: PostRecord) -> bool:
    if access.is_admin_of(post.organization):
        return True
    if post.published:
        if post.audience is PostAudience.PUBLIC and post.organization_is_public:
            return True
        return access.is_member_of(post.organization)
    if post.status in (PostStatus.PENDING_REVIEW, PostStatus.REJECTED):
        return access.account_id is not None and post.author == access.account_id
    return False


def may_edit_post(access: Circle, post: PostRecord) -> bool:
    return (
        access.account_id == post.author
        and access.is_member_of(post.organization)
        and post.status is not PostStatus.REMOVED
    )


def may_delete_post(access: Circle, post: PostRecord) -> bool:
    """Authors may take down their own posts even after leaving the organization."""
    return access.account_id == post.author and post.status is not PostStatus.REMOVED


def may_moderate(access: Circle, organization_id: int) -> bool:
    return access.is_admin_of(organization_id)


def may_comment(access: Circle, post: PostRecord) -> bool:
    return access.is_member_of(post.organization) and post.published


def _visible_where(access: Circle, organization: dict[str, Any]) -> Where | None:
    """The posts of `organization` the viewer may see, as a condition (None: none at all)."""
    organization_id = organization["id"]
    if access.is_admin_of(organization_id):
        return Post.organization == organization_id
    published = Post.status == PostStatus.PUBLISHED.value
    visible = None
    if access.is_member_of(organization_id):
        visible = published
    elif organization["is_public"]:
        visible = published & (Post.audience == PostAudience.PUBLIC.value)
    if access.account_id is not None:
        own = (Post.author == access.account_id) & Post.status.is_in(
            [PostStatus.PENDING_REVIEW.value, PostStatus.REJECTED.value]
        )
        visible = own if visible is None else (visible | own)
    if visible is None:
        return None
    return (Post.organization == organization_id) & visible


# --- reading posts ----------------------------------------------------------------------

POST_COLUMNS = (
    *Post.all_columns(),
    Post.organization.is_public.as_alias("organization_is_public"),
)


async def post_records(ids: Iterable[int]) -> list[PostRecord]:
    return await read(PostRecord, Post, ids, POST_COLUMNS)


async def posts_by_ids(viewer: Viewer, ids: list[int]) -> dict[int, PostRecord]:
    """The posts among `ids` the viewer may see."""
    posts = await post_records(ids)
    access = await circle_of(viewer)
    return {post.id: post for post in posts if may_see_post(access, post)}


def post_not_found(field: str = "postId") -> InvalidInput:
    return InvalidInput(FieldError(field, PostErrorCode.NOT_FOUND, "No post has this id."))


async def visible_post(viewer: Viewer, post_id: int, field: str = "postId") -> PostRecord:
    """The post if the viewer may see it; NOT_FOUND otherwise (nothing about it leaks)."""
    viewer.require_account()
    found = await posts_by_ids(viewer, [post_id])
    if post_id not in found:
        raise post_not_found(field)
    return found[post_id]


_CURSOR_PREFIX = "post:"


def encode_post_cursor(post: PostRecord) -> str:
    text = f"{_CURSOR_PREFIX}{int(bool(post.pinned))}:{post.id}"
    return base64.urlsafe_b64encode(text.encode()).decode()


def _decode_post_cursor(cursor: str) -> tuple[bool, int]:
    pinned, _, last_id = cursor_text(cursor, _CURSOR_PREFIX).partition(":")
    number = row_id(last_id)
    if pinned not in ("0", "1") or number is None:
        raise not_a_cursor()
    return pinned == "1", number


async def list_posts(
    viewer: Viewer,
    organization_id: int,
    *,
    kind: PostKind | None = None,
    status: PostStatus = PostStatus.PUBLISHED,
    first: int | None,
    after: str | None,
) -> Page:
    """The organization's posts the viewer may see (as `PostRecord`s): pinned first, then
    newest first."""
    size = page_size(first)
    cursor = _decode_post_cursor(after) if after else None
    empty = Page(rows=[], total_count=0, has_next_page=False, has_previous_page=after is not None)
    organization = await networks.organization(organization_id)
    if organization is None:
        return empty
    visible = _visible_where(await circle_of(viewer), organization)
    if visible is None:
        return empty
    where = visible & (Post.status == status.value)
    if kind is not None:
        where = where & (Post.kind == kind.value)
    query = Post.select(*POST_COLUMNS).where(where)
    if cursor is not None:
        pinned, after_id = cursor
        later = (Post.pinned == pinned) & (Post.id < after_id)
        if pinned:
            later = later | (Post.pinned == False)  # noqa: E712 (a SQL comparison)
        query = query.where(later)
    query = query.order_by(Post.pinned, Post.id, ascending=False).limit(size + 1)
    rows = await query.run() if size else []
    total = await Post.count().where(where)
    return Page(
        rows=[PostRecord.from_row(row) for row in rows[:size]],
        total_count=total,
        has_next_page=len(rows) > size,
        has_previous_page=after is not None,
    )


# --- writing posts ------------------------------------------------------------------------


@dataclass(frozen=True)
class PostFields:
    title: str = ""
    body: str = ""
    audience: PostAudience = PostAudience.MEMBERS


def _validate(kind: PostKind, fields: PostFields, organization_is_public: bool) -> None:
    errors = []
    title = fields.title.strip()
    if kind in TITLED_KINDS and not title:
        errors.append(
            FieldError(
                "title",
                PostErrorCode.TITLE_REQUIRED,
                f"Give the {kind.value.lower()} post a title.",
            )
        )
    elif len(title) > MAX_TITLE_LENGTH:
        errors.append(
            FieldError(
                "title",
                PostErrorCode.TITLE_TOO_LONG,
                f"Use at most {MAX_TITLE_LENGTH} characters for the title.",
            )
        )
    if not fields.body.strip():
        errors.append(FieldError("body", PostErrorCode.BODY_REQUIRED, "Write something to post."))
    elif len(fields.body) > MAX_MARKDOWN_LENGTH:
        errors.append(
            FieldError(
                "body",
                PostErrorCode.BODY_TOO_LONG,
                f"Use at most {MAX_MARKDOWN_LENGTH} characters.",
            )
        )
    if fields.audience is PostAudience.PUBLIC:
        if kind not in PUBLIC_KINDS:
            errors.append(
                FieldError(
                    "audience",
                    PostErrorCode.INVALID_AUDIENCE,
                    "Only announcements and blog posts can be public; discussions stay "
                    "among members.",
                )
            )
        elif not organization_is_public:
            errors.append(
                FieldError(
                    "audience",
                    PostErrorCode.INVALID_AUDIENCE,
                    "The organization is not public, so its posts cannot be either.",
                )
            )
    if errors:
        raise InvalidInput(*errors)


async def _content(fields: PostFields) -> dict[str, Any]:
    return {
        "title": " ".join(fields.title.split()),
        "body": fields.body,
        "body_html": await render_markdown_off_loop(fields.body),
        "audience": fields.audience.value,
    }


async def moderation_of(organization_id: int) -> PostModeration:
    row = (
        await PostSettings.select(PostSettings.moderation)
        .where(PostSettings.organization == organization_id)
        .first()
    )
    return PostModeration(row["moderation"]) if row else PostModeration.NONE


async def _needs_review(access: Circle, organization_id: int, author_id: int) -> bool:
    if access.is_admin_of(organization_id):
        return False
    moderation = await moderation_of(organization_id)
    if moderation is PostModeration.NONE:
        return False
    if moderation is PostModeration.ALL:
        return True
    # FIRST_POST: a member's posts go out unreviewed once one of them has been published.
    published_before = await Post.exists().where(
        (Post.organization == organization_id)
        & (Post.author == author_id)
        & Post.published_at.is_not_null()
    )
    return not published_before


def _organization_not_found() -> InvalidInput:
    return InvalidInput(
        FieldError("organizationId", PostErrorCode.NOT_FOUND, "No organization has this id.")
    )


def _public_only_by_admins(access: Circle, organization_id: int, fields: PostFields) -> None:
    if fields.audience is PostAudience.PUBLIC and not access.is_admin_of(organization_id):
        raise Forbidden("Only the organization's owners and admins make posts public.")


async def create_post(
    viewer: Viewer, organization_id: int, kind: PostKind, fields: PostFields
) -> PostRecord:
    """A new post, published at once or waiting for the admins' review."""
    account_id = viewer.require_account()
    organization = await networks.organization(organization_id)
    access = await circle_of(viewer)
    if organization is None or not networks.may_see_organization(organization, access.active_ids):
        raise _organization_not_found()
    if not access.is_member_of(organization_id):
        raise Forbidden("Only the organization's members (not its guests) post here.")
    if kind is PostKind.ANNOUNCEMENT and not access.is_admin_of(organization_id):
        raise Forbidden("Only the organization's owners and admins post announcements.")
    _public_only_by_admins(access, organization_id, fields)
    _validate(kind, fields, organization["is_public"])
    content = await _content(fields)
    async with write_transaction():
        review = await _needs_review(access, organization_id, account_id)
        moment = now()
        [row] = await Post.insert(
            Post(
                organization=organization_id,
                author=account_id,
                kind=kind.value,
                status=(PostStatus.PENDING_REVIEW if review else PostStatus.PUBLISHED).value,
                published_at=None if review else moment,
                created_at=moment,
                updated_at=moment,
                **content,
            )
        ).returning(*Post.all_columns())
    return PostRecord.from_row(row, organization_is_public=organization["is_public"])


async def _move(
    verb: str,
    post: PostRecord,
    values: dict[str, Any],
    *,
    to: PostStatus | None = None,
    where: Where | None = None,
    field: str | None = None,
) -> PostRecord:
    """Move `post` by `verb` (compare-and-set), writing `values` too; the post as it is now."""
    moved = await POSTS.apply(verb, post.id, to=to, values=values, where=where, field=field)
    return PostRecord.from_row(moved, organization_is_public=post.organization_is_public)


@dataclass(frozen=True)
class PostEdit:
    """The fields an edit changes; None keeps what the post has."""

    title: str | None = None
    body: str | None = None
    audience: PostAudience | None = None

    def applied_to(self, post: PostRecord) -> PostFields:
        return PostFields(
            title=post.title if self.title is None else self.title,
            body=post.body if self.body is None else self.body,
            audience=post.audience if self.audience is None else self.audience,
        )


async def update_post(viewer: Viewer, post_id: int, edit: PostEdit) -> PostRecord:
    """The author changes their post; the body is rendered again. A rejected post is
    submitted again (and published at once if the organization no longer reviews it)."""
    post = await visible_post(viewer, post_id)
    fields = edit.applied_to(post)
    access = await circle_of(viewer)
    POSTS.check("edit", post.status.value)
    if not may_edit_post(access, post):
        raise Forbidden("Only its author, while a member, edits a post; admins may remove it.")
    if edit.audience is not None:
        _public_only_by_admins(access, post.organization, fields)
    _validate(post.kind, fields, post.organization_is_public)
    values: dict[str, Any] = {**(await _content(fields)), "updated_at": now()}
    to = post.status
    async with write_transaction():
        if post.status is PostStatus.REJECTED:
            if await _needs_review(access, post.organization, post.author):
                to = PostStatus.PENDING_REVIEW
            else:
                to = PostStatus.PUBLISHED
                values["published_at"] = now()
            values["rejection_reason"] = ""
        # Only from the status it was read in: an edit meant for a post waiting for review
        # must not land on one approved meanwhile.
        return await _move("edit", post, values, to=to, where=Post.status == post.status.value)


async def close_reports(
    item: Where, account_id: int, status: ReportStatus = ReportStatus.CONTENT_REMOVED
) -> None:
    """Settle the open reports matching `item`; call inside the write transaction."""
    await PostReport.update(
        {
            PostReport.status: status.value,
            PostReport.resolved_by: account_id,
            PostReport.resolved_at: now(),
        }
    ).where(item & (PostReport.status == ReportStatus.OPEN.value))


async def take_down_post(
    post: PostRecord, account_id: int, verb: str = "remove", field: str | None = None
) -> PostRecord:
    """Mark a post REMOVED (never deleted) by `verb` and settle the open reports about it."""
    values = {"pinned": False, "removed_by": account_id, "updated_at": now()}
    async with write_transaction():
        removed = await _move(verb, post, values, field=field)
        await close_reports(PostReport.post == post.id, account_id)
    return removed


async def delete_post(viewer: Viewer, post_id: int) -> PostRecord:
    """The author takes their post down; it is kept as REMOVED, seen only by the admins.

    An author who has left the organization no longer sees their members' posts, but may
    still take them down.
    """
    account_id = viewer.require_account()
    access = await circle_of(viewer)
    [post] = await post_records([post_id]) or [None]
    if post is None or not (may_see_post(access, post) or may_delete_post(access, post)):
        raise post_not_found()
    POSTS.check("delete", post.status.value)
    if not may_delete_post(access, post):
        raise Forbidden("Only its author deletes a post; admins remove posts instead.")
    return await take_down_post(post, account_id, "delete")


async def moderated_post(viewer: Viewer, post_id: int) -> PostRecord:
    """The post, if the viewer administers its organization; NOT_FOUND when it is hidden."""
    post = await visible_post(viewer, post_id)
    if not may_moderate(await circle_of(viewer), post.organization):
        raise Forbidden("Only the organization's owners and admins moderate its posts.")
    return post


async def remove_post(viewer: Viewer, post_id: int) -> PostRecord:
    post = await moderated_post(viewer, post_id)
    POSTS.check("remove", post.status.value)
    return await take_down_post(post, viewer.require_account())


async def approve_post(viewer: Viewer, post_id: int) -> PostRecord:
    """PENDING_REVIEW -> PUBLISHED."""
    post = await moderated_post(viewer, post_id)
    POSTS.check("approve", post.status.value)
    moment = now()
    values = {"published_at": moment, "updated_at": moment, "rejection_reason": ""}
    async with write_transaction():
        moved = await _move("approve", post, values)
        await _tell_author(NotificationKind.POST_APPROVED, moved)
    return moved


async def _tell_author(kind: NotificationKind, post: PostRecord, detail: str = "") -> None:
    """The moderators' decision, to the post's author (from nobody in particular)."""
    await notify(
        kind,
        recipients=[post.author],
        actor=None,
        subject=Subject("Post", post.id, post.title),
        detail=detail,
    )


async def reject_post(viewer: Viewer, post_id: int, reason: str) -> PostRecord:
    """PENDING_REVIEW -> REJECTED, saying why so the author can fix it."""
    post = await moderated_post(viewer, post_id)
    POSTS.check("reject", post.status.value)
    required = (PostErrorCode.REASON_REQUIRED, "Say why, so the author can fix it.")
    reason = checked_text(
        "reason", reason.strip(), MAX_REASON_LENGTH, PostErrorCode.REASON_TOO_LONG, required
    )
    values = {"rejection_reason": reason, "updated_at": now()}
    async with write_transaction():
        moved = await _move("reject", post, values)
        await _tell_author(NotificationKind.POST_REJECTED, moved, reason)
    return moved


def _pinning(message: str) -> InvalidInput:
    return InvalidInput(FieldError("postId", PostErrorCode.ILLEGAL_TRANSITION, message))


async def pin_post(viewer: Viewer, post_id: int) -> PostRecord:
    """Keep a published post at the top of the organization's list."""
    post = await moderated_post(viewer, post_id)
    POSTS.check("pin", post.status.value)
    if post.pinned:
        raise _pinning("The post is already pinned.")
    return await _move("pin", post, {"pinned": True}, where=Post.pinned == False)  # noqa: E712


async def unpin_post(viewer: Viewer, post_id: int) -> PostRecord:
    post = await moderated_post(viewer, post_id)
    if not post.pinned:  # only a published post is ever pinned
        raise _pinning("The post is not pinned.")
    return await _move("unpin", post, {"pinned": False}, where=Post.pinned == True)  # noqa: E712


# --- each organization's post settings -------------------------------------------------


async def post_settings(viewer: Viewer, organization_id: int) -> PostSettingsRecord | None:
    """The organization's settings, for anyone who may see the organization."""
    organization = await networks.organization(organization_id)
    access = await circle_of(viewer)
    if organization is None or not networks.may_see_organization(organization, access.active_ids):
        return None
    return PostSettingsRecord(organization_id, await moderation_of(organization_id))


async def set_post_moderation(
    viewer: Viewer, organization_id: int, moderation: PostModeration
) -> PostSettingsRecord:
    """Owners and admins choose which posts wait for their review."""
    viewer.require_account()
    if await networks.organization(organization_id) is None:
        raise _organization_not_found()
    await networks.require_admin(viewer, organization_id)
    async with write_transaction():
        exists = await PostSettings.exists().where(PostSettings.organization == organization_id)
        values = {"moderation": moderation.value, "updated_at": now()}
        if exists:
            await PostSettings.update(values).where(PostSettings.organization == organization_id)
        else:
            await PostSettings.insert(PostSettings(organization=organization_id, **values))
    return PostSettingsRecord(organization_id, moderation)

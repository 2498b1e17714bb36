"""GraphQL types for posts, comments, reports and post settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay

from api.core.context import Info
from api.core.pagination import After, Connection, First, Page, page_size
from api.core.records import LoadedNode, build
from api.core.types import UserError, given
from api.networks.loaders import OrganizationByIdLoader
from api.networks.types import Organization
from api.people.audience import circle_of
from api.people.loaders import PersonByIdLoader
from api.people.types import Person
from api.posts import comments as comments_service
from api.posts import reports as reports_service
from api.posts import service, tables
from api.posts.loaders import (
    CommentByIdLoader,
    CommentCountByPostLoader,
    FirstCommentsPageLoader,
    PostByIdLoader,
    PostReportByIdLoader,
    ViewerReportedCommentLoader,
    ViewerReportedPostLoader,
)
from api.posts.records import CommentRecord, PostRecord, PostSettingsRecord, ReportRecord

PostKind = strawberry.enum(tables.PostKind)
PostStatus = strawberry.enum(tables.PostStatus)
PostAudience = strawberry.enum(
    tables.PostAudience,
    description="MEMBERS: the organization's members (not guests); PUBLIC: anyone, when the "
    "organization is public (announcements and blog posts only, set by admins).",
)
PostModeration = strawberry.enum(
    tables.PostModeration,
    description="Which members' posts wait for an admin's review: NONE, each member's "
    "FIRST_POST, or ALL. Admins' own posts never wait.",
)
CommentStatus = strawberry.enum(tables.CommentStatus)
ReportReason = strawberry.enum(tables.ReportReason)
ReportStatus = strawberry.enum(tables.ReportStatus)
ReportAction = strawberry.enum(reports_service.ReportAction)
PostErrorCode = strawberry.enum(service.PostErrorCode)


@strawberry.type
class PostError(UserError):
    code: PostErrorCode


async def _person(info: Info, account_id: int | None) -> Person | None:
    if account_id is None:
        return None
    view = await info.context.loaders.get(PersonByIdLoader).load(account_id)
    return Person.from_view(view) if view else None


async def _organization(info: Info, organization_id: int) -> Organization | None:
    row = await info.context.loaders.get(OrganizationByIdLoader).load(organization_id)
    return Organization.from_row(row) if row else None


async def _post(info: Info, post_id: int | None) -> Post | None:
    if post_id is None:
        return None
    post = await info.context.loaders.get(PostByIdLoader).load(post_id)
    return Post.from_record(post) if post else None


async def _viewer_may(info: Info, decide: Callable[..., bool], *about: Any) -> bool:
    """`decide(circle, *about)`: what the viewer may do, from who they are to the world."""
    return decide(await circle_of(info.context.viewer), *about)


@strawberry.type(
    description="An announcement, a discussion or a blog post in an organization. Its body "
    "is Markdown, rendered to sanitized HTML once, when saved."
)
class Post(LoadedNode, relay.Node):
    loader = PostByIdLoader

    id: relay.NodeID[int]
    kind: PostKind
    title: str | None = strawberry.field(description="Null for a discussion posted without one.")
    body: str = strawberry.field(description="The body as its author wrote it (Markdown).")
    body_html: str = strawberry.field(
        description="The body rendered to sanitized HTML when it was saved."
    )
    status: PostStatus
    audience: PostAudience
    pinned: bool = strawberry.field(
        description="Pinned posts come first in the organization's list."
    )
    rejection_reason: str | None = strawberry.field(
        description="Why an admin rejected the post (seen by its author)."
    )
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None = strawberry.field(
        description="When the post went out; null while it waits for review."
    )
    stored: strawberry.Private[PostRecord]
    """The record the type is built from, for the fields it computes."""

    @classmethod
    def from_record(cls, record: PostRecord) -> Post:
        return build(
            cls,
            record,
            title=given(record.title),
            pinned=bool(record.pinned),
            rejection_reason=given(record.rejection_reason),
            stored=record,
        )

    @strawberry.field(description="Null when the author's profile is hidden from the viewer.")
    async def author(self, info: Info) -> Person | None:
        return await _person(info, self.stored.author)

    @strawberry.field
    async def organization(self, info: Info) -> Organization | None:
        return await _organization(info, self.stored.organization)

    @strawberry.field(description="How many published comments the post has.")
    async def comment_count(self, info: Info) -> int:
        return await info.context.loaders.get(CommentCountByPostLoader).load(self.id) or 0

    @strawberry.field(description="The post's published comments, oldest first.")
    async def comments(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[Comment]:
        if not await _viewer_may(info, service.may_see_post, self.stored):
            # A payload may hand back a post its viewer no longer sees (one they deleted).
            empty = Page(rows=[], total_count=0, has_next_page=False, has_previous_page=False)
            return Connection.from_page(empty, Comment.from_row)
        if after is None:  # the first page: batched across a page of posts
            loader = info.context.loaders.get(FirstCommentsPageLoader)
            page = await loader.load((self.id, page_size(first)))
        else:
            page = await comments_service.list_comments(self.id, first=first, after=after)
        return Connection.from_page(page, Comment.from_row)

    @strawberry.field(description="Whether you may edit the post (you wrote it).")
    async def viewer_can_edit(self, info: Info) -> bool:
        return await _viewer_may(info, service.may_edit_post, self.stored)

    @strawberry.field(description="Whether you may delete the post (you wrote it).")
    async def viewer_can_delete(self, info: Info) -> bool:
        return await _viewer_may(info, service.may_delete_post, self.stored)

    @strawberry.field(
        description="Whether you may approve, reject, pin or remove the post (an admin)."
    )
    async def viewer_can_moderate(self, info: Info) -> bool:
        return await _viewer_may(info, service.may_moderate, self.stored.organization)

    @strawberry.field(description="Whether you may comment on the post.")
    async def viewer_can_comment(self, info: Info) -> bool:
        return await _viewer_may(info, service.may_comment, self.stored)

    @strawberry.field(description="Whether you have reported the post.")
    async def viewer_has_reported(self, info: Info) -> bool:
        return bool(await info.context.loaders.get(ViewerReportedPostLoader).load(self.id))


def post_connection(page: Page) -> Connection[Post]:
    """A page of posts; their cursors carry the pinned flag, as the list is ordered by it."""
    return Connection.from_page(page, Post.from_record, service.encode_post_cursor)


@strawberry.type(description="A member's reply to a post, in Markdown rendered on save.")
class Comment(LoadedNode, relay.Node):
    loader = CommentByIdLoader

    id: relay.NodeID[int]
    body: str = strawberry.field(description="The comment as its author wrote it (Markdown).")
    body_html: str = strawberry.field(
        description="The comment rendered to sanitized HTML when it was saved."
    )
    status: CommentStatus
    created_at: datetime
    updated_at: datetime
    stored: strawberry.Private[CommentRecord]
    """The record the type is built from, for the fields it computes."""

    @classmethod
    def from_record(cls, record: CommentRecord) -> Comment:
        return build(cls, record, stored=record)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Comment:
        """A comment from a page of them (pages hold rows)."""
        return cls.from_record(CommentRecord.from_row(row))

    @strawberry.field
    async def author(self, info: Info) -> Person | None:
        return await _person(info, self.stored.author)

    @strawberry.field
    async def post(self, info: Info) -> Post | None:
        return await _post(info, self.stored.post)

    @strawberry.field(
        description="The comment this one answers; null when it answers none, or that one was "
        "deleted or removed."
    )
    async def reply_to(self, info: Info) -> Comment | None:
        if self.stored.reply_to is None:
            return None
        record = await info.context.loaders.get(CommentByIdLoader).load(self.stored.reply_to)
        if record is None or not record.published:
            return None
        return Comment.from_record(record)

    @strawberry.field
    async def viewer_can_edit(self, info: Info) -> bool:
        return await _viewer_may(info, comments_service.may_edit_comment, self.stored)

    @strawberry.field
    async def viewer_can_delete(self, info: Info) -> bool:
        return await _viewer_may(info, comments_service.may_delete_comment, self.stored)

    @strawberry.field(description="Whether you may remove the comment (an admin).")
    async def viewer_can_moderate(self, info: Info) -> bool:
        return await _viewer_may(info, service.may_moderate, self.stored.organization)

    @strawberry.field
    async def viewer_has_reported(self, info: Info) -> bool:
        return bool(await info.context.loaders.get(ViewerReportedCommentLoader).load(self.id))


@strawberry.type(description="A post or a comment someone flagged to the organization's admins.")
class PostReport(LoadedNode, relay.Node):
    loader = PostReportByIdLoader

    id: relay.NodeID[int]
    reason: ReportReason
    details: str | None = strawberry.field(
        description="What the reporter added; null when they added nothing."
    )
    status: ReportStatus
    created_at: datetime
    resolved_at: datetime | None
    stored: strawberry.Private[ReportRecord]
    """The record the type is built from, for the fields it computes."""

    @classmethod
    def from_record(cls, record: ReportRecord) -> PostReport:
        return build(cls, record, details=given(record.details), stored=record)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> PostReport:
        """A report from a page of them (pages hold rows)."""
        return cls.from_record(ReportRecord.from_row(row))

    @strawberry.field(description="The reported post; null when a comment was reported.")
    async def post(self, info: Info) -> Post | None:
        return await _post(info, self.stored.post)

    @strawberry.field(description="The reported comment; null when a post was reported.")
    async def comment(self, info: Info) -> Comment | None:
        if self.stored.comment is None:
            return None
        comment = await info.context.loaders.get(CommentByIdLoader).load(self.stored.comment)
        return Comment.from_record(comment) if comment else None

    @strawberry.field
    async def reporter(self, info: Info) -> Person | None:
        return await _person(info, self.stored.reporter)

    @strawberry.field
    async def organization(self, info: Info) -> Organization | None:
        return await _organization(info, self.stored.organization)


@strawberry.type(description="How an organization handles its posts.")
class PostSettings:
    organization_id: strawberry.Private[int]
    moderation: PostModeration

    @classmethod
    def from_record(cls, record: PostSettingsRecord) -> PostSettings:
        return cls(organization_id=record.organization, moderation=record.moderation)

    @strawberry.field
    async def organization(self, info: Info) -> Organization | None:
        return await _organization(info, self.organization_id)


@strawberry.type
class PostPayload:
    post: Post | None = None
    user_errors: list[PostError] = strawberry.field(default_factory=list)


@strawberry.type
class CommentPayload:
    comment: Comment | None = None
    user_errors: list[PostError] = strawberry.field(default_factory=list)


@strawberry.type
class PostReportPayload:
    report: PostReport | None = None
    user_errors: list[PostError] = strawberry.field(default_factory=list)


@strawberry.type
class PostSettingsPayload:
    settings: PostSettings | None = None
    user_errors: list[PostError] = strawberry.field(default_factory=list)

"""GraphQL types for posts, comments, reports and post settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay

from api.core.context import Info
from api.core.loaders import load_nodes
from api.core.pagination import After, Connection, First, Page, page_size
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


@strawberry.type(
    description="An announcement, a discussion or a blog post in an organization. Its body "
    "is Markdown, rendered to sanitized HTML once, when saved."
)
class Post(relay.Node):
    id: relay.NodeID[int]
    row: strawberry.Private[dict[str, Any]]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Post:
        return cls(id=row["id"], row=row)

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[Post | None]:
        rows = await load_nodes(info.context.loaders.get(PostByIdLoader), node_ids)
        return [cls.from_row(row) if row else None for row in rows]

    @strawberry.field
    def kind(self) -> PostKind:
        return tables.PostKind(self.row["kind"])

    @strawberry.field(description="Null for a discussion posted without one.")
    def title(self) -> str | None:
        return given(self.row["title"])

    @strawberry.field(description="The body as its author wrote it (Markdown).")
    def body(self) -> str:
        return self.row["body"]

    @strawberry.field(description="The body rendered to sanitized HTML when it was saved.")
    def body_html(self) -> str:
        return self.row["body_html"]

    @strawberry.field
    def status(self) -> PostStatus:
        return tables.PostStatus(self.row["status"])

    @strawberry.field
    def audience(self) -> PostAudience:
        return tables.PostAudience(self.row["audience"])

    @strawberry.field(description="Pinned posts come first in the organization's list.")
    def pinned(self) -> bool:
        return bool(self.row["pinned"])

    @strawberry.field(description="Why an admin rejected the post (seen by its author).")
    def rejection_reason(self) -> str | None:
        return given(self.row["rejection_reason"])

    @strawberry.field
    def created_at(self) -> datetime:
        return self.row["created_at"]

    @strawberry.field
    def updated_at(self) -> datetime:
        return self.row["updated_at"]

    @strawberry.field(description="When the post went out; null while it waits for review.")
    def published_at(self) -> datetime | None:
        return self.row["published_at"]

    @strawberry.field(description="Null when the author's profile is hidden from the viewer.")
    async def author(self, info: Info) -> Person | None:
        return await _person(info, self.row["author"])

    @strawberry.field
    async def organization(self, info: Info) -> Organization | None:
        return await _organization(info, self.row["organization"])

    @strawberry.field(description="How many published comments the post has.")
    async def comment_count(self, info: Info) -> int:
        return await info.context.loaders.get(CommentCountByPostLoader).load(self.id) or 0

    @strawberry.field(description="The post's published comments, oldest first.")
    async def comments(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[Comment]:
        access = await circle_of(info.context.viewer)
        if not service.may_see_post(access, self.row):
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
        return service.may_edit_post(await circle_of(info.context.viewer), self.row)

    @strawberry.field(description="Whether you may delete the post (you wrote it).")
    async def viewer_can_delete(self, info: Info) -> bool:
        return service.may_delete_post(await circle_of(info.context.viewer), self.row)

    @strawberry.field(
        description="Whether you may approve, reject, pin or remove the post (an admin)."
    )
    async def viewer_can_moderate(self, info: Info) -> bool:
        access = await circle_of(info.context.viewer)
        return service.may_moderate(access, self.row["organization"])

    @strawberry.field(description="Whether you may comment on the post.")
    async def viewer_can_comment(self, info: Info) -> bool:
        return service.may_comment(await circle_of(info.context.viewer), self.row)

    @strawberry.field(description="Whether you have reported the post.")
    async def viewer_has_reported(self, info: Info) -> bool:
        return bool(await info.context.loaders.get(ViewerReportedPostLoader).load(self.id))


def post_connection(page: Page) -> Connection[Post]:
    """A page of posts; their cursors carry the pinned flag, as the list is ordered by it."""
    edges = [
        relay.Edge(cursor=service.encode_post_cursor(row), node=Post.from_row(row))
        for row in page.rows
    ]
    return Connection(
        edges=edges,
        total_count=page.total_count,
        page_info=relay.PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )


@strawberry.type(description="A member's reply to a post, in Markdown rendered on save.")
class Comment(relay.Node):
    id: relay.NodeID[int]
    row: strawberry.Private[dict[str, Any]]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Comment:
        return cls(id=row["id"], row=row)

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[Comment | None]:
        rows = await load_nodes(info.context.loaders.get(CommentByIdLoader), node_ids)
        return [cls.from_row(row) if row else None for row in rows]

    @strawberry.field(description="The comment as its author wrote it (Markdown).")
    def body(self) -> str:
        return self.row["body"]

    @strawberry.field(description="The comment rendered to sanitized HTML when it was saved.")
    def body_html(self) -> str:
        return self.row["body_html"]

    @strawberry.field
    def status(self) -> CommentStatus:
        return tables.CommentStatus(self.row["status"])

    @strawberry.field
    def created_at(self) -> datetime:
        return self.row["created_at"]

    @strawberry.field
    def updated_at(self) -> datetime:
        return self.row["updated_at"]

    @strawberry.field
    async def author(self, info: Info) -> Person | None:
        return await _person(info, self.row["author"])

    @strawberry.field
    async def post(self, info: Info) -> Post | None:
        row = await info.context.loaders.get(PostByIdLoader).load(self.row["post"])
        return Post.from_row(row) if row else None

    @strawberry.field
    async def viewer_can_edit(self, info: Info) -> bool:
        access = await circle_of(info.context.viewer)
        return comments_service.may_edit_comment(access, self.row)

    @strawberry.field
    async def viewer_can_delete(self, info: Info) -> bool:
        access = await circle_of(info.context.viewer)
        return comments_service.may_delete_comment(access, self.row)

    @strawberry.field(description="Whether you may remove the comment (an admin).")
    async def viewer_can_moderate(self, info: Info) -> bool:
        access = await circle_of(info.context.viewer)
        return service.may_moderate(access, self.row["organization"])

    @strawberry.field
    async def viewer_has_reported(self, info: Info) -> bool:
        return bool(await info.context.loaders.get(ViewerReportedCommentLoader).load(self.id))


@strawberry.type(description="A post or a comment someone flagged to the organization's admins.")
class PostReport(relay.Node):
    id: relay.NodeID[int]
    row: strawberry.Private[dict[str, Any]]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> PostReport:
        return cls(id=row["id"], row=row)

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[PostReport | None]:
        rows = await load_nodes(info.context.loaders.get(PostReportByIdLoader), node_ids)
        return [cls.from_row(row) if row else None for row in rows]

    @strawberry.field
    def reason(self) -> ReportReason:
        return tables.ReportReason(self.row["reason"])

    @strawberry.field(description="What the reporter added; null when they added nothing.")
    def details(self) -> str | None:
        return given(self.row["details"])

    @strawberry.field
    def status(self) -> ReportStatus:
        return tables.ReportStatus(self.row["status"])

    @strawberry.field
    def created_at(self) -> datetime:
        return self.row["created_at"]

    @strawberry.field
    def resolved_at(self) -> datetime | None:
        return self.row["resolved_at"]

    @strawberry.field(description="The reported post; null when a comment was reported.")
    async def post(self, info: Info) -> Post | None:
        if self.row["post"] is None:
            return None
        row = await info.context.loaders.get(PostByIdLoader).load(self.row["post"])
        return Post.from_row(row) if row else None

    @strawberry.field(description="The reported comment; null when a post was reported.")
    async def comment(self, info: Info) -> Comment | None:
        if self.row["comment"] is None:
            return None
        row = await info.context.loaders.get(CommentByIdLoader).load(self.row["comment"])
        return Comment.from_row(row) if row else None

    @strawberry.field
    async def reporter(self, info: Info) -> Person | None:
        return await _person(info, self.row["reporter"])

    @strawberry.field
    async def organization(self, info: Info) -> Organization | None:
        return await _organization(info, self.row["organization"])


@strawberry.type(description="How an organization handles its posts.")
class PostSettings:
    organization_id: strawberry.Private[int]
    moderation: PostModeration

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> PostSettings:
        return cls(
            organization_id=row["organization"],
            moderation=tables.PostModeration(row["moderation"]),
        )

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

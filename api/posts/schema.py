"""The posts part of the GraphQL schema: posts, their review, comments, reports, settings."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry import relay

from api.core.context import Info
from api.core.pagination import After, Connection, First
from api.core.records import mutation
from api.core.types import argument_id, database_id, row_id
from api.posts import comments as comments_service
from api.posts import reports as reports_service
from api.posts import service, tables
from api.posts.loaders import PostByIdLoader
from api.posts.types import (
    Comment,
    CommentPayload,
    Post,
    PostAudience,
    PostKind,
    PostModeration,
    PostPayload,
    PostReport,
    PostReportPayload,
    PostSettings,
    PostSettingsPayload,
    PostStatus,
    ReportAction,
    ReportReason,
    ReportStatus,
    post_connection,
)


def _post_payload(row: dict[str, Any]) -> PostPayload:
    return PostPayload(post=Post.from_row(row))


def _id(global_id: relay.GlobalID, type_name: str, field: str) -> int:
    return database_id(global_id, type_name, field=field, code=service.PostErrorCode.NOT_FOUND)


@strawberry.input(description="A new post in an organization you belong to.")
class CreatePostInput:
    organization_id: relay.GlobalID = strawberry.field(description="The organization to post in.")
    kind: PostKind = strawberry.field(
        description=("A discussion, a blog post, or (owners and admins) an announcement.")
    )
    title: str = strawberry.field(
        default="", description="Required for BLOG and ANNOUNCEMENT posts."
    )
    body: str = strawberry.field(default="", description="Markdown.")
    audience: PostAudience = strawberry.field(
        default=tables.PostAudience.MEMBERS,
        description="PUBLIC is for admins' announcements and blog posts in public organizations.",
    )


@strawberry.input(
    description="New content for your post (its kind stays); omitted fields keep their value."
)
class UpdatePostInput:
    post_id: relay.GlobalID = strawberry.field(description="Your post.")
    title: str | None = strawberry.field(default=None, description="Null keeps the title.")
    body: str | None = strawberry.field(default=None, description="Markdown; null keeps the body.")
    audience: PostAudience | None = strawberry.field(
        default=None, description="Null keeps the audience."
    )


@strawberry.input
class PostIdInput:
    post_id: relay.GlobalID = strawberry.field(description="The post.")


@strawberry.input
class RejectPostInput:
    post_id: relay.GlobalID = strawberry.field(description="The post to turn down.")
    reason: str = strawberry.field(description="Why, for its author.")


@strawberry.input
class SetPostModerationInput:
    organization_id: relay.GlobalID = strawberry.field(description="The organization.")
    moderation: PostModeration = strawberry.field(
        description="Which members' posts wait for an admin's review."
    )


@strawberry.input
class AddCommentInput:
    post_id: relay.GlobalID = strawberry.field(description="The published post to comment on.")
    body: str = strawberry.field(description="Markdown.")


@strawberry.input
class UpdateCommentInput:
    comment_id: relay.GlobalID = strawberry.field(description="Your comment.")
    body: str = strawberry.field(description="Markdown.")


@strawberry.input
class CommentIdInput:
    comment_id: relay.GlobalID = strawberry.field(description="The comment.")


@strawberry.input
class ReportPostInput:
    post_id: relay.GlobalID = strawberry.field(description="The post to report.")
    reason: ReportReason = strawberry.field(description="What is wrong with it.")
    details: str = strawberry.field(default="", description="Required when the reason is OTHER.")


@strawberry.input
class ReportCommentInput:
    comment_id: relay.GlobalID = strawberry.field(description="The comment to report.")
    reason: ReportReason = strawberry.field(description="What is wrong with it.")
    details: str = strawberry.field(default="", description="Required when the reason is OTHER.")


@strawberry.input
class ResolvePostReportInput:
    report_id: relay.GlobalID = strawberry.field(
        description="One of the open reports about the post or comment."
    )
    action: ReportAction = strawberry.field(
        description="DISMISS the open reports about the item, or REMOVE_CONTENT: remove it."
    )


def _fields(input: CreatePostInput) -> service.PostFields:
    return service.PostFields(
        title=input.title,
        body=input.body,
        audience=tables.PostAudience(input.audience.value),
    )


def _edit(input: UpdatePostInput) -> service.PostEdit:
    return service.PostEdit(
        title=input.title,
        body=input.body,
        audience=tables.PostAudience(input.audience.value) if input.audience else None,
    )


@strawberry.type
class PostsQuery:
    @strawberry.field(description="A post by id; null when it does not exist or is hidden.")
    async def post(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="The post's global id.")],
    ) -> Post | None:
        if id.type_name != "Post" or row_id(id.node_id) is None:
            return None
        row = await info.context.loaders.get(PostByIdLoader).load(row_id(id.node_id))
        return Post.from_row(row) if row else None

    @strawberry.field(
        description="An organization's posts you may see, pinned first, then newest first. "
        "`status` other than PUBLISHED lists your own posts in it, or all of them for admins."
    )
    async def posts(
        self,
        info: Info,
        organization_id: Annotated[
            relay.GlobalID, strawberry.argument(description="The organization whose posts to list.")
        ],
        kind: Annotated[
            PostKind | None,
            strawberry.argument(description="Only posts of this kind; null for every kind."),
        ] = None,
        status: Annotated[
            PostStatus,
            strawberry.argument(
                description=(
                    "PUBLISHED for the feed; PENDING_REVIEW, REJECTED or REMOVED "
                    "for your own posts in that state (every post, for owners and"
                    " admins)."
                )
            ),
        ] = tables.PostStatus.PUBLISHED,
        first: First = None,
        after: After = None,
    ) -> Connection[Post]:
        page = await service.list_posts(
            info.context.viewer,
            argument_id(organization_id, "Organization", "organizationId"),
            kind=tables.PostKind(kind.value) if kind else None,
            status=tables.PostStatus(status.value),
            first=first,
            after=after,
        )
        return post_connection(page)

    @strawberry.field(
        description="Owners and admins: reports about the organization's posts and comments, "
        "oldest first."
    )
    async def post_reports(
        self,
        info: Info,
        organization_id: Annotated[
            relay.GlobalID,
            strawberry.argument(description="The organization whose reports to list."),
        ],
        status: Annotated[
            ReportStatus,
            strawberry.argument(
                description=("OPEN for reports waiting for a decision, or those already settled.")
            ),
        ] = tables.ReportStatus.OPEN,
        first: First = None,
        after: After = None,
    ) -> Connection[PostReport]:
        page = await reports_service.list_reports(
            info.context.viewer,
            argument_id(organization_id, "Organization", "organizationId"),
            status=tables.ReportStatus(status.value),
            first=first,
            after=after,
        )
        return Connection.from_page(page, PostReport.from_row)

    @strawberry.field(description="How an organization handles posts; null if it is hidden.")
    async def post_settings(
        self,
        info: Info,
        organization_id: Annotated[
            relay.GlobalID,
            strawberry.argument(description="The organization whose post settings to read."),
        ],
    ) -> PostSettings | None:
        row = await service.post_settings(
            info.context.viewer, argument_id(organization_id, "Organization", "organizationId")
        )
        return PostSettings.from_row(row) if row else None


@strawberry.type
class PostsMutation:
    @strawberry.mutation(
        description="Post in an organization you belong to (announcements: owners and admins). "
        "It goes out at once, or waits for review when the organization moderates posts."
    )
    async def create_post(
        self,
        info: Info,
        input: Annotated[
            CreatePostInput,
            strawberry.argument(
                description="The organization, the kind of post, its text and audience."
            ),
        ],
    ) -> PostPayload:
        return PostPayload(
            post=Post.from_row(
                await service.create_post(
                    info.context.viewer,
                    _id(input.organization_id, "Organization", "organizationId"),
                    tables.PostKind(input.kind.value),
                    _fields(input),
                )
            )
        )

    @strawberry.mutation(description="Change your post; a rejected post is submitted again.")
    async def update_post(
        self,
        info: Info,
        input: Annotated[
            UpdatePostInput, strawberry.argument(description="The post and the fields to change.")
        ],
    ) -> PostPayload:
        return PostPayload(
            post=Post.from_row(
                await service.update_post(
                    info.context.viewer, _id(input.post_id, "Post", "postId"), _edit(input)
                )
            )
        )

    @strawberry.mutation(description="Delete your post (it is kept, REMOVED, for the admins).")
    async def delete_post(
        self,
        info: Info,
        input: Annotated[PostIdInput, strawberry.argument(description="Your post to delete.")],
    ) -> PostPayload:
        return PostPayload(
            post=Post.from_row(
                await service.delete_post(info.context.viewer, _id(input.post_id, "Post", "postId"))
            )
        )

    @strawberry.mutation(description="Owners and admins: remove a post.")
    async def remove_post(
        self,
        info: Info,
        input: Annotated[PostIdInput, strawberry.argument(description="The post to remove.")],
    ) -> PostPayload:
        return PostPayload(
            post=Post.from_row(
                await service.remove_post(info.context.viewer, _id(input.post_id, "Post", "postId"))
            )
        )

    @strawberry.mutation(description="Owners and admins: publish a post waiting for review.")
    async def approve_post(
        self,
        info: Info,
        input: Annotated[PostIdInput, strawberry.argument(description="The post to publish.")],
    ) -> PostPayload:
        return PostPayload(
            post=Post.from_row(
                await service.approve_post(
                    info.context.viewer, _id(input.post_id, "Post", "postId")
                )
            )
        )

    @strawberry.mutation(description="Owners and admins: turn down a post, saying why.")
    async def reject_post(
        self,
        info: Info,
        input: Annotated[
            RejectPostInput,
            strawberry.argument(
                description="The post and why it is turned down (its author reads this)."
            ),
        ],
    ) -> PostPayload:
        return PostPayload(
            post=Post.from_row(
                await service.reject_post(
                    info.context.viewer, _id(input.post_id, "Post", "postId"), input.reason
                )
            )
        )

    pin_post = mutation(
        "Owners and admins: keep a published post on top.",
        PostIdInput,
        "The post to pin.",
        lambda viewer, input: service.pin_post(viewer, _id(input.post_id, "Post", "postId")),
        _post_payload,
    )

    unpin_post = mutation(
        "Owners and admins: let a pinned post take its place.",
        PostIdInput,
        "The post to unpin.",
        lambda viewer, input: service.unpin_post(viewer, _id(input.post_id, "Post", "postId")),
        _post_payload,
    )

    @strawberry.mutation(description="Owners and admins: choose which posts wait for review.")
    async def set_post_moderation(
        self,
        info: Info,
        input: Annotated[
            SetPostModerationInput,
            strawberry.argument(description="The organization and which posts wait for review."),
        ],
    ) -> PostSettingsPayload:
        row = await service.set_post_moderation(
            info.context.viewer,
            _id(input.organization_id, "Organization", "organizationId"),
            tables.PostModeration(input.moderation.value),
        )
        return PostSettingsPayload(settings=PostSettings.from_row(row))

    @strawberry.mutation(description="Comment on a published post of your organization.")
    async def add_comment(
        self,
        info: Info,
        input: Annotated[
            AddCommentInput, strawberry.argument(description="The post and your comment.")
        ],
    ) -> CommentPayload:
        return CommentPayload(
            comment=Comment.from_row(
                await comments_service.add_comment(
                    info.context.viewer, _id(input.post_id, "Post", "postId"), input.body
                )
            )
        )

    @strawberry.mutation(description="Change your comment.")
    async def update_comment(
        self,
        info: Info,
        input: Annotated[
            UpdateCommentInput, strawberry.argument(description="Your comment and its new text.")
        ],
    ) -> CommentPayload:
        return CommentPayload(
            comment=Comment.from_row(
                await comments_service.update_comment(
                    info.context.viewer, _id(input.comment_id, "Comment", "commentId"), input.body
                )
            )
        )

    @strawberry.mutation(description="Delete your comment.")
    async def delete_comment(
        self,
        info: Info,
        input: Annotated[
            CommentIdInput, strawberry.argument(description="Your comment to delete.")
        ],
    ) -> CommentPayload:
        return CommentPayload(
            comment=Comment.from_row(
                await comments_service.delete_comment(
                    info.context.viewer, _id(input.comment_id, "Comment", "commentId")
                )
            )
        )

    @strawberry.mutation(description="Owners and admins: remove a comment.")
    async def remove_comment(
        self,
        info: Info,
        input: Annotated[CommentIdInput, strawberry.argument(description="The comment to remove.")],
    ) -> CommentPayload:
        return CommentPayload(
            comment=Comment.from_row(
                await comments_service.remove_comment(
                    info.context.viewer, _id(input.comment_id, "Comment", "commentId")
                )
            )
        )

    @strawberry.mutation(description="Flag a post to the organization's admins, once.")
    async def report_post(
        self,
        info: Info,
        input: Annotated[
            ReportPostInput, strawberry.argument(description="The post and what is wrong with it.")
        ],
    ) -> PostReportPayload:
        return PostReportPayload(
            report=PostReport.from_row(
                await reports_service.report_post(
                    info.context.viewer,
                    _id(input.post_id, "Post", "postId"),
                    tables.ReportReason(input.reason.value),
                    input.details,
                )
            )
        )

    @strawberry.mutation(description="Flag a comment to the organization's admins, once.")
    async def report_comment(
        self,
        info: Info,
        input: Annotated[
            ReportCommentInput,
            strawberry.argument(description="The comment and what is wrong with it."),
        ],
    ) -> PostReportPayload:
        return PostReportPayload(
            report=PostReport.from_row(
                await reports_service.report_comment(
                    info.context.viewer,
                    _id(input.comment_id, "Comment", "commentId"),
                    tables.ReportReason(input.reason.value),
                    input.details,
                )
            )
        )

    @strawberry.mutation(
        description="Owners and admins: settle the open reports about a post or comment by "
        "dismissing them or removing it."
    )
    async def resolve_post_report(
        self,
        info: Info,
        input: Annotated[
            ResolvePostReportInput,
            strawberry.argument(description="A report about the post or comment, and what to do."),
        ],
    ) -> PostReportPayload:
        return PostReportPayload(
            report=PostReport.from_row(
                await reports_service.resolve_report(
                    info.context.viewer,
                    _id(input.report_id, "PostReport", "reportId"),
                    reports_service.ReportAction(input.action.value),
                )
            )
        )

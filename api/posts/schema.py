"""The posts part of the GraphQL schema: posts, their review, comments, reports, settings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import strawberry
from strawberry import relay

from api.core.context import Info
from api.core.pagination import After, Connection, First
from api.core.records import mutation
from api.core.types import argument_id, database_id, row_id
from api.core.viewer import Viewer
from api.posts import comments as comments_service
from api.posts import reports as reports_service
from api.posts import service, tables
from api.posts.loaders import PostByIdLoader
from api.posts.records import CommentRecord, PostRecord, PostSettingsRecord, ReportRecord
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


def _post_id(input: Any) -> int:
    return database_id(input.post_id, "Post", field="postId")


def _comment_id(input: Any) -> int:
    return database_id(input.comment_id, "Comment", field="commentId")


def _reply_to(input: Any) -> int | None:
    if input.reply_to_comment_id is None:
        return None
    return database_id(input.reply_to_comment_id, "Comment", field="replyToCommentId")


def _organization_id(input: Any) -> int:
    return database_id(input.organization_id, "Organization", field="organizationId")


def _on_post(verb: Callable[[Viewer, int], Awaitable[Any]]) -> Callable[[Viewer, Any], Any]:
    """A mutation's `perform` for a verb that needs only the post."""
    return lambda viewer, input: verb(viewer, _post_id(input))


def _on_comment(verb: Callable[[Viewer, int], Awaitable[Any]]) -> Callable[[Viewer, Any], Any]:
    """A mutation's `perform` for a verb that needs only the comment."""
    return lambda viewer, input: verb(viewer, _comment_id(input))


def _post_payload(post: PostRecord) -> PostPayload:
    return PostPayload(post=Post.from_record(post))


def _comment_payload(comment: CommentRecord) -> CommentPayload:
    return CommentPayload(comment=Comment.from_record(comment))


def _report_payload(report: ReportRecord) -> PostReportPayload:
    return PostReportPayload(report=PostReport.from_record(report))


def _settings_payload(settings: PostSettingsRecord) -> PostSettingsPayload:
    return PostSettingsPayload(settings=PostSettings.from_record(settings))


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
    reply_to_comment_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="A published comment on the same post that yours answers: its author is "
        "told (COMMENT_REPLIED).",
    )


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
        audience=input.audience,
    )


def _edit(input: UpdatePostInput) -> service.PostEdit:
    return service.PostEdit(
        title=input.title,
        body=input.body,
        audience=input.audience,
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
        post = await info.context.loaders.get(PostByIdLoader).load(row_id(id.node_id))
        return Post.from_record(post) if post else None

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
            kind=kind,
            status=status,
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
            status=status,
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
        settings = await service.post_settings(
            info.context.viewer, argument_id(organization_id, "Organization", "organizationId")
        )
        return PostSettings.from_record(settings) if settings else None


@strawberry.type
class PostsMutation:
    create_post = mutation(
        "Post in an organization you belong to (announcements: owners and admins). It goes "
        "out at once, or waits for review when the organization moderates posts.",
        CreatePostInput,
        "The organization, the kind of post, its text and audience.",
        lambda viewer, input: service.create_post(
            viewer, _organization_id(input), input.kind, _fields(input)
        ),
        _post_payload,
    )
    update_post = mutation(
        "Change your post; a rejected post is submitted again.",
        UpdatePostInput,
        "The post and the fields to change.",
        lambda viewer, input: service.update_post(viewer, _post_id(input), _edit(input)),
        _post_payload,
    )
    delete_post = mutation(
        "Delete your post (it is kept, REMOVED, for the admins).",
        PostIdInput,
        "Your post to delete.",
        _on_post(service.delete_post),
        _post_payload,
    )
    remove_post = mutation(
        "Owners and admins: remove a post.",
        PostIdInput,
        "The post to remove.",
        _on_post(service.remove_post),
        _post_payload,
    )
    approve_post = mutation(
        "Owners and admins: publish a post waiting for review.",
        PostIdInput,
        "The post to publish.",
        _on_post(service.approve_post),
        _post_payload,
    )
    reject_post = mutation(
        "Owners and admins: turn down a post, saying why.",
        RejectPostInput,
        "The post and why it is turned down (its author reads this).",
        lambda viewer, input: service.reject_post(viewer, _post_id(input), input.reason),
        _post_payload,
    )
    pin_post = mutation(
        "Owners and admins: keep a published post on top.",
        PostIdInput,
        "The post to pin.",
        _on_post(service.pin_post),
        _post_payload,
    )
    unpin_post = mutation(
        "Owners and admins: let a pinned post take its place.",
        PostIdInput,
        "The post to unpin.",
        _on_post(service.unpin_post),
        _post_payload,
    )
    set_post_moderation = mutation(
        "Owners and admins: choose which posts wait for review.",
        SetPostModerationInput,
        "The organization and which posts wait for review.",
        lambda viewer, input: service.set_post_moderation(
            viewer, _organization_id(input), input.moderation
        ),
        _settings_payload,
    )
    add_comment = mutation(
        "Comment on a published post of your organization.",
        AddCommentInput,
        "The post and your comment.",
        lambda viewer, input: comments_service.add_comment(
            viewer, _post_id(input), input.body, _reply_to(input)
        ),
        _comment_payload,
    )
    update_comment = mutation(
        "Change your comment.",
        UpdateCommentInput,
        "Your comment and its new text.",
        lambda viewer, input: comments_service.update_comment(
            viewer, _comment_id(input), input.body
        ),
        _comment_payload,
    )
    delete_comment = mutation(
        "Delete your comment.",
        CommentIdInput,
        "Your comment to delete.",
        _on_comment(comments_service.delete_comment),
        _comment_payload,
    )
    remove_comment = mutation(
        "Owners and admins: remove a comment.",
        CommentIdInput,
        "The comment to remove.",
        _on_comment(comments_service.remove_comment),
        _comment_payload,
    )
    report_post = mutation(
        "Flag a post to the organization's admins, once.",
        ReportPostInput,
        "The post and what is wrong with it.",
        lambda viewer, input: reports_service.report_post(
            viewer, _post_id(input), input.reason, input.details
        ),
        _report_payload,
    )
    report_comment = mutation(
        "Flag a comment to the organization's admins, once.",
        ReportCommentInput,
        "The comment and what is wrong with it.",
        lambda viewer, input: reports_service.report_comment(
            viewer, _comment_id(input), input.reason, input.details
        ),
        _report_payload,
    )
    resolve_post_report = mutation(
        "Owners and admins: settle the open reports about a post or comment by dismissing "
        "them or removing it.",
        ResolvePostReportInput,
        "A report about the post or comment, and what to do.",
        lambda viewer, input: reports_service.resolve_report(
            viewer, database_id(input.report_id, "PostReport", field="reportId"), input.action
        ),
        _report_payload,
    )

"""The tables behind posts, their comments, reports about them and each organization's
post settings."""

from enum import Enum

from piccolo.columns import Boolean, ForeignKey, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from api.networks.tables import Organization
from api.people.tables import Account


class PostKind(Enum):
    BLOG = "BLOG"
    DISCUSSION = "DISCUSSION"
    ANNOUNCEMENT = "ANNOUNCEMENT"


class PostStatus(Enum):
    PUBLISHED = "PUBLISHED"
    PENDING_REVIEW = "PENDING_REVIEW"
    REJECTED = "REJECTED"
    REMOVED = "REMOVED"


class PostAudience(Enum):
    MEMBERS = "MEMBERS"
    PUBLIC = "PUBLIC"


class PostModeration(Enum):
    NONE = "NONE"
    FIRST_POST = "FIRST_POST"
    ALL = "ALL"


class CommentStatus(Enum):
    PUBLISHED = "PUBLISHED"
    REMOVED = "REMOVED"


class ReportReason(Enum):
    SPAM = "SPAM"
    HARASSMENT = "HARASSMENT"
    HATE = "HATE"
    MISINFORMATION = "MISINFORMATION"
    OFF_TOPIC = "OFF_TOPIC"
    OTHER = "OTHER"


class ReportStatus(Enum):
    OPEN = "OPEN"
    DISMISSED = "DISMISSED"
    CONTENT_REMOVED = "CONTENT_REMOVED"


class Post(Table):
    """An announcement, a discussion or a blog post in an organization."""

    organization = ForeignKey(references=Organization, on_delete=OnDelete.cascade, index=True)
    author = ForeignKey(references=Account, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=20, choices=PostKind)
    title = Varchar(length=200, default="")
    body = Text(default="")
    """The author's Markdown, as written."""
    body_html = Text(default="")
    """`body` rendered to sanitized HTML when it was saved."""
    status = Varchar(length=20, choices=PostStatus, index=True)
    audience = Varchar(length=20, choices=PostAudience, default=PostAudience.MEMBERS.value)
    pinned = Boolean(default=False)
    rejection_reason = Varchar(length=500, default="")
    removed_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    published_at = Timestamptz(null=True, default=None)


class Comment(Table, tablename="post_comment"):
    """A member's reply to a published post."""

    post = ForeignKey(references=Post, on_delete=OnDelete.cascade, index=True)
    author = ForeignKey(references=Account, on_delete=OnDelete.cascade, index=True)
    body = Text(default="")
    body_html = Text(default="")
    reply_to = ForeignKey(references="self", on_delete=OnDelete.set_null, null=True, default=None)
    """The comment on the same post this one answers (its author is told), if any."""
    status = Varchar(length=20, choices=CommentStatus, default=CommentStatus.PUBLISHED.value)
    removed_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class PostReport(Table, tablename="post_report"):
    """Someone flagged a post or a comment to the organization's admins (one of the two)."""

    organization = ForeignKey(references=Organization, on_delete=OnDelete.cascade, index=True)
    post = ForeignKey(references=Post, on_delete=OnDelete.cascade, null=True, default=None)
    comment = ForeignKey(references=Comment, on_delete=OnDelete.cascade, null=True, default=None)
    reporter = ForeignKey(references=Account, on_delete=OnDelete.cascade)
    reason = Varchar(length=20, choices=ReportReason)
    details = Varchar(length=1000, default="")
    status = Varchar(length=20, choices=ReportStatus, default=ReportStatus.OPEN.value, index=True)
    resolved_by = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    resolved_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class PostSettings(Table, tablename="post_settings"):
    """How an organization moderates its posts; no row means no pre-moderation."""

    organization = ForeignKey(
        references=Organization, on_delete=OnDelete.cascade, unique=True, index=True
    )
    moderation = Varchar(length=20, choices=PostModeration, default=PostModeration.NONE.value)
    updated_at = Timestamptz(default=TimestamptzNow())

"""Posts, comments, reports and post settings as the posts services hand them on."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from piccolo.table import Table

from api.core.records import Record
from api.posts.tables import (
    CommentStatus,
    PostAudience,
    PostKind,
    PostModeration,
    PostStatus,
    ReportReason,
    ReportStatus,
)

R = TypeVar("R", bound=Record)


async def read(
    record: type[R], table: type[Table], ids: Iterable[int], columns: Sequence[Any] = ()
) -> list[R]:
    """The rows of `table` with these ids (`columns`, or all of them) as `record`s; no query
    when no id is asked for."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    rows = await table.select(*columns).where(table._meta.primary_key.is_in(wanted))
    return [record.from_row(row) for row in rows]


@dataclass(frozen=True)
class PostRecord(Record):
    id: int
    organization: int
    author: int
    kind: PostKind
    title: str
    body: str
    body_html: str
    status: PostStatus
    audience: PostAudience
    pinned: bool
    rejection_reason: str
    removed_by: int | None
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    organization_is_public: bool
    """Whether the post's organization is public (a PUBLIC post is seen by all only then)."""

    @property
    def published(self) -> bool:
        return self.status is PostStatus.PUBLISHED


@dataclass(frozen=True)
class CommentRecord(Record):
    id: int
    post: int
    author: int
    body: str
    body_html: str
    reply_to: int | None
    status: CommentStatus
    removed_by: int | None
    created_at: datetime
    updated_at: datetime
    organization: int
    """The organization of the comment's post, whose admins moderate it."""

    @property
    def published(self) -> bool:
        return self.status is CommentStatus.PUBLISHED


@dataclass(frozen=True)
class ReportRecord(Record):
    id: int
    organization: int
    post: int | None
    comment: int | None
    reporter: int
    reason: ReportReason
    details: str
    status: ReportStatus
    resolved_by: int | None
    resolved_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class PostSettingsRecord(Record):
    organization: int
    moderation: PostModeration

"""DataLoaders for posts, comments and reports: each batches one page's worth of lookups."""

from __future__ import annotations

from api.core.loaders import KeyLoader
from api.core.pagination import Page
from api.posts import comments, reports, service
from api.posts.records import CommentRecord, PostRecord, ReportRecord
from api.posts.tables import PostReport


class PostByIdLoader(KeyLoader[int, PostRecord]):
    """Posts the viewer may see; None for the rest."""

    async def load_batch(self, keys: list[int]) -> list[PostRecord | None]:
        found = await service.posts_by_ids(self.viewer, keys)
        return [found.get(key) for key in keys]


class CommentByIdLoader(KeyLoader[int, CommentRecord]):
    """Comments the viewer may see; None for the rest."""

    async def load_batch(self, keys: list[int]) -> list[CommentRecord | None]:
        found = await comments.comments_by_ids(self.viewer, keys)
        return [found.get(key) for key in keys]


class FirstCommentsPageLoader(KeyLoader[tuple[int, int], Page]):
    """The first page of a post's published comments, keyed (post id, page size).

    Callers check the viewer may see the post first; this loader only batches.
    """

    async def load_batch(self, keys: list[tuple[int, int]]) -> list[Page | None]:
        pages: dict[tuple[int, int], Page] = {}
        for size in {size for _, size in keys}:
            wanted = [post_id for post_id, n in keys if n == size]
            found = await comments.first_comment_pages(wanted, size)
            pages.update({(post_id, size): page for post_id, page in found.items()})
        return [pages.get(key) for key in keys]


class CommentCountByPostLoader(KeyLoader[int, int]):
    async def load_batch(self, keys: list[int]) -> list[int | None]:
        counts = await comments.comment_counts(keys)
        return [counts.get(key, 0) for key in keys]


class PostReportByIdLoader(KeyLoader[int, ReportRecord]):
    """Reports about organizations the viewer administers; None for the rest."""

    async def load_batch(self, keys: list[int]) -> list[ReportRecord | None]:
        found = await reports.reports_by_ids(self.viewer, keys)
        return [found.get(key) for key in keys]


class _ReportedByViewerLoader(KeyLoader[int, bool]):
    item = ""
    """The report column naming the reported thing: `post` or `comment`."""

    async def load_batch(self, keys: list[int]) -> list[bool | None]:
        if self.viewer.account_id is None:
            return [False for _ in keys]
        column = getattr(PostReport, self.item)
        rows = await PostReport.select(column).where(
            (PostReport.reporter == self.viewer.account_id) & column.is_in(sorted(set(keys)))
        )
        reported = {row[self.item] for row in rows}
        return [key in reported for key in keys]


class ViewerReportedPostLoader(_ReportedByViewerLoader):
    """Whether the viewer has reported each post."""

    item = "post"


class ViewerReportedCommentLoader(_ReportedByViewerLoader):
    """Whether the viewer has reported each comment."""

    item = "comment"

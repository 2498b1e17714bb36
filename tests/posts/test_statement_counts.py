"""A page of posts costs the same number of SQL statements at 10 posts as at 100: authors,
organizations, comment counts, reports and the viewer's permissions load in batches."""

from __future__ import annotations

import pytest

from api.core.viewer import Viewer
from api.posts import comments, reports
from api.posts import service as posts
from api.posts.service import PostFields
from api.posts.tables import PostKind, ReportReason
from tests.conftest import GraphQLClient
from tests.factories import database_id, join, member, settle
from tests.posts.helpers import community

PAGE = """
query ($org: ID!, $first: Int) {
  posts(organizationId: $org, first: $first) {
    totalCount
    edges {
      node {
        id kind title bodyHtml status pinned
        author { name headline }
        organization { name isPublic }
        commentCount
        comments(first: 3) { totalCount edges { node { bodyHtml author { name } } } }
        viewerCanEdit viewerCanDelete viewerCanModerate viewerCanComment viewerHasReported
      }
    }
  }
}
"""


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_a_post_page_costs_the_same_at_10_and_100(
    graphql: GraphQLClient,
    count_statements: list[str],
) -> None:
    club = community(graphql)
    authors = [club.member, club.admin, club.owner]
    for n in range(4):
        writer = member(graphql, f"Writer {n}")
        join(graphql, writer, club.id)
        authors.append(writer)
    org = database_id(club.id)

    async def fill() -> None:
        for n in range(110):
            author = Viewer(account_id=authors[n % len(authors)].account_id)
            created = await posts.create_post(
                author, org, PostKind.DISCUSSION, PostFields(body=f"Post number {n}")
            )
            for reply in range(n % 5):  # none to four replies
                replier = Viewer(account_id=authors[(n + reply + 1) % len(authors)].account_id)
                await comments.add_comment(replier, created.id, f"Reply {reply} to {n}")
            if n % 5 == 0:
                reporter = Viewer(account_id=club.member.account_id)
                await reports.report_post(reporter, created.id, ReportReason.SPAM, "")

    graphql.http.blocking_portal.call(fill)
    settle(graphql)  # the indexer's work on the outbox is not the page's

    def cost(first: int) -> int:
        count_statements.clear()
        page = graphql.data(PAGE, {"org": club.id, "first": first}, token=club.member.token)
        assert len(page["posts"]["edges"]) == first
        assert page["posts"]["totalCount"] == 110
        nodes = [edge["node"] for edge in page["posts"]["edges"]]
        shown = [(n["comments"]["totalCount"], len(n["comments"]["edges"])) for n in nodes]
        assert shown == [(n["commentCount"], min(3, n["commentCount"])) for n in nodes]
        assert any(n["commentCount"] > 3 for n in nodes)
        # The search indexer polls its outbox in the background; those are not the page's.
        return len([sql for sql in count_statements if "outbox_event" not in sql])

    small, large = cost(10), cost(100)

    assert small == large, (small, large)

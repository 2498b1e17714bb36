"""Operations and helpers the notifications tests share."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from tests.conftest import GraphQLClient
from tests.factories import Member

NOTIFICATIONS = """
query ($first: Int, $after: String, $unreadOnly: Boolean! = false) {
  viewer {
    unreadNotificationCount
    notifications(first: $first, after: $after, unreadOnly: $unreadOnly) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id kind read count message subjectId url createdAt actor { name } } }
    }
  }
}
"""
MARK_READ = """
mutation ($input: MarkNotificationsReadInput!) {
  markNotificationsRead(input: $input) {
    marked unreadNotificationCount userErrors { field code message }
  }
}
"""


#: The tests' set-up invites people into organizations (`tests.posts.helpers.invite`); those
#: invitations are left out of what a test looks at unless it asks for them.
SET_UP = ("MEMBERSHIP_INVITED",)


def inbox(
    graphql: GraphQLClient, who: Member, *, leave_out: tuple[str, ...] = SET_UP, **variables: Any
) -> list[dict[str, Any]]:
    """The first page of `who`'s notifications, newest first, but those of `leave_out`."""
    viewer = graphql.data(NOTIFICATIONS, {"first": 50, **variables}, token=who.token)["viewer"]
    nodes = [edge["node"] for edge in viewer["notifications"]["edges"]]
    return [node for node in nodes if node["kind"] not in leave_out]


def kinds(graphql: GraphQLClient, who: Member) -> list[str]:
    return [node["kind"] for node in inbox(graphql, who)]


def unread(graphql: GraphQLClient, who: Member) -> int:
    return graphql.data(NOTIFICATIONS, {"first": 0}, token=who.token)["viewer"][
        "unreadNotificationCount"
    ]


def mark_read(graphql: GraphQLClient, who: Member, **input: Any) -> dict[str, Any]:
    return graphql.data(MARK_READ, {"input": input}, token=who.token)["markNotificationsRead"]


def schedule_settled(graphql: GraphQLClient, timeout: float = 60.0) -> None:
    """Wait until the app's own first look at the schedule, made when it starts (for today),
    has finished: a test that runs the schedule itself for another day must not have today's
    digests or alerts, run by the app meanwhile, take what the test set up."""
    from api.core.schedule import ScheduledRun

    today = datetime.now(UTC).date().isoformat()

    async def finished() -> bool:
        return await ScheduledRun.exists().where(
            (ScheduledRun.name == "notification pruning")
            & (ScheduledRun.period == today)
            & ScheduledRun.finished_at.is_not_null()
        )

    deadline = time.monotonic() + timeout
    while not graphql.http.blocking_portal.call(finished):
        assert time.monotonic() < deadline, "the app did not look at its schedule"
        time.sleep(0.05)

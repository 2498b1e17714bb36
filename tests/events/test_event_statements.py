"""A page of events costs the same number of SQL statements at 10 and at 100 rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import GraphQLClient
from tests.events.helpers import make_admin
from tests.factories import database_id, join, member, organization, settle

EVENTS = """
query ($first: Int) {
  events(first: $first) {
    totalCount
    edges {
      node {
        id title startsAt timeZone onlineUrl capacity goingCount waitlistCount spotsLeft
        organization { name slug }
        createdBy { name headline }
        viewerRsvp { status guests event { id title } }
        attendees(first: 3) { totalCount edges { node { status person { name } } } }
      }
    }
  }
}
"""


def _cost(graphql: GraphQLClient, statements: list[str], first: int, token: str) -> int:
    statements.clear()
    events = graphql.data(EVENTS, {"first": first}, token=token)["events"]
    assert len(events["edges"]) == first
    # The indexer polls its outbox in the background, through the same engine: not ours.
    return sum("outbox_event" not in statement for statement in statements)


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_event_page_cost_does_not_grow_with_page_size(
    graphql: GraphQLClient,
    count_statements: list[str],
) -> None:
    owner = member(graphql, "Owner")
    admin = member(graphql, "Admin")
    attendee = member(graphql, "Attendee")
    clubs = [organization(graphql, owner, f"Club {n}", "MEETUP_GROUP") for n in range(3)]
    for club in clubs:
        make_admin(graphql, owner, admin, club)
        join(graphql, attendee, club)
    from api.core.viewer import Viewer
    from api.events import service
    from api.events.tables import EventAudience, EventFormat, EventKind, RsvpStatus

    async def seed() -> None:
        start = datetime.now(UTC) + timedelta(days=1)
        for n in range(110):
            organizer = admin if n % 3 == 1 else owner
            row = await service.create_event(
                Viewer(account_id=organizer.account_id),
                database_id(clubs[n % 3]),
                service.EventFields(
                    title=f"Event {n}",
                    kind=list(EventKind)[n % 5],
                    format=list(EventFormat)[n % 3],
                    starts_at=start + timedelta(hours=n),
                    ends_at=start + timedelta(hours=n + 2),
                    time_zone=("Europe/Berlin", "America/New_York", "Asia/Tokyo")[n % 3],
                    capacity=None if n % 4 else 10,
                    online_url="https://meet.example.org/x" if n % 3 else "",
                    audience=list(EventAudience)[n % 2],
                ),
            )
            if n % 2:
                await service.rsvp(
                    Viewer(account_id=attendee.account_id), row.id, RsvpStatus.GOING, n % 3
                )

    graphql.http.blocking_portal.call(seed)
    settle(graphql)  # let the indexer apply the outbox (its statements would be counted)

    costs = {
        name: (
            _cost(graphql, count_statements, 10, viewer.token),
            _cost(graphql, count_statements, 100, viewer.token),
        )
        for name, viewer in (("attendee", attendee), ("admin", admin))
    }
    assert [name for name, (small, large) in costs.items() if small != large] == [], costs
    assert min(small for small, _ in costs.values()) > 0, costs  # the counter is wired in

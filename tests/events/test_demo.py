"""The events demo seeder: deterministic, through the services, with a full event."""

from __future__ import annotations

from tests.conftest import GraphQLClient
from tests.factories import database_id, join, member, organization

UPCOMING = """
query ($organizationId: ID!) {
  events(organizationId: $organizationId, from: "2000-01-01T00:00:00Z", first: 50) {
    totalCount
    edges { node { title timeZone capacity goingCount waitlistCount spotsLeft status } }
  }
}
"""


def test_the_demo_seeds_a_series_with_a_waitlist(graphql: GraphQLClient) -> None:
    owner = member(graphql, "Organizer")
    club = organization(graphql, owner, "Demo Pythonistas", "MEETUP_GROUP")
    people = [member(graphql, f"Demo {n}") for n in range(14)]
    for person in people[:10]:
        join(graphql, person, club)
    from api.core.viewer import Viewer
    from api.events.demo import SERIES, seed_events_demo

    async def seed() -> object:
        return await seed_events_demo(
            database_id(club),
            Viewer(account_id=owner.account_id),
            [Viewer(account_id=p.account_id) for p in people],
        )

    summary = graphql.http.blocking_portal.call(seed)

    assert summary.events == len(SERIES)
    assert summary.rsvps > 30
    assert summary.waitlisted >= 1
    seen = graphql.data(UPCOMING, {"organizationId": club}, token=owner.token)["events"]
    titles = [edge["node"]["title"] for edge in seen["edges"]]
    assert len(titles) == len(SERIES) - 1  # the cancelled one is left out
    full = next(e["node"] for e in seen["edges"] if e["node"]["title"] == "Data pipelines night")
    assert full["spotsLeft"] == 0 or full["waitlistCount"] == 0
    assert {e["node"]["timeZone"] for e in seen["edges"]} >= {"Europe/Berlin", "Asia/Tokyo"}
    for edge in seen["edges"]:
        node = edge["node"]
        if node["capacity"] is not None:
            assert node["goingCount"] <= node["capacity"]

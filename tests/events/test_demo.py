"""The events demo seeder: deterministic, through the services, with a full event, and every
group's events in its own city and time zone."""

from __future__ import annotations

from tests.conftest import GraphQLClient
from tests.factories import database_id, join, member, organization

EVENTS = """
query ($organizationId: ID!) {
  events(organizationId: $organizationId, from: "2000-01-01T00:00:00Z", first: 50) {
    totalCount
    edges {
      node {
        title timeZone address capacity goingCount waitlistCount spotsLeft status
        viewerRsvp { status }
      }
    }
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
    from api.events.demo import BERLIN, seed_events_demo

    async def seed() -> object:
        return await seed_events_demo(
            database_id(club),
            Viewer(account_id=owner.account_id),
            [Viewer(account_id=p.account_id) for p in people],
        )

    summary = graphql.http.blocking_portal.call(seed)

    assert summary.events == len(BERLIN.series)
    assert summary.rsvps > 30
    assert summary.waitlisted >= 1
    seen = graphql.data(EVENTS, {"organizationId": club}, token=owner.token)["events"]
    nodes = [edge["node"] for edge in seen["edges"]]
    assert len(nodes) == len(BERLIN.series) - 1  # the cancelled one is left out
    full = next(n for n in nodes if n["title"] == BERLIN.series[0].title)
    assert full["waitlistCount"] > 0
    assert full["spotsLeft"] < 3  # the next in line brings guests: a seat or two stays free
    for node in nodes:
        if node["capacity"] is not None:
            assert node["goingCount"] <= node["capacity"]
    # the first person answers every upcoming event she may see
    first = graphql.data(EVENTS, {"organizationId": club}, token=people[0].token)["events"]
    assert any(e["node"]["viewerRsvp"] for e in first["edges"])


def test_each_demo_group_meets_in_its_own_city_and_time_zone(graphql: GraphQLClient) -> None:
    from api.core.viewer import Viewer
    from api.events.demo import GROUPS, seed_events_demo

    owner = member(graphql, "Organizer")
    people = [Viewer(account_id=member(graphql, f"Demo {n}").account_id) for n in range(4)]
    zones = set()
    for group in GROUPS:
        club = organization(graphql, owner, group.name, "MEETUP_GROUP")

        async def seed(club: str = club, group: object = group) -> object:
            return await seed_events_demo(
                database_id(club), Viewer(account_id=owner.account_id), people, group=group
            )

        graphql.http.blocking_portal.call(seed)
        nodes = [
            edge["node"]
            for edge in graphql.data(EVENTS, {"organizationId": club}, token=owner.token)["events"][
                "edges"
            ]
        ]

        assert {node["timeZone"] for node in nodes} == {group.time_zone}
        city = group.location.split(",")[0]
        assert all(city in node["address"] for node in nodes if node["address"])
        zones.add(group.time_zone)
    assert len(zones) == len(GROUPS) >= 2

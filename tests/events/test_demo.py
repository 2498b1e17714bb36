"""The events demo seeder: deterministic, through the services, with a full event, and every
group's events in its own city and time zone."""

from __future__ import annotations

import pytest

from api.core.viewer import Viewer
from api.events.demo import BERLIN, GROUPS, DemoGroup, EventsDemoSummary, seed_events_demo
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

    async def seed() -> object:
        return await seed_events_demo(
            database_id(club),
            Viewer(account_id=owner.account_id),
            [Viewer(account_id=p.account_id) for p in people],
        )

    summary = graphql.http.blocking_portal.call(seed)

    # The seeder is deterministic: the same people answer the same way every run.
    assert summary == EventsDemoSummary(events=len(BERLIN.series), rsvps=88, waitlisted=12)
    seen = graphql.data(EVENTS, {"organizationId": club}, token=owner.token)["events"]
    seats = {
        edge["node"]["title"]: (
            edge["node"]["capacity"],
            edge["node"]["goingCount"],
            edge["node"]["waitlistCount"],
            edge["node"]["spotsLeft"],
        )
        for edge in seen["edges"]
    }
    # (capacity, going, waitlisted, free) of each event but the cancelled one; the full
    # workshop keeps a seat free: the next in line brings guests
    assert seats == {
        "Lightning talks: what we shipped": (60, 15, 0, 45),
        "Intro to async Python": (200, 15, 0, 185),
        "Members' mixer": (None, 14, 0, None),
        "Hands-on workshop: testing data pipelines": (6, 5, 18, 1),
        "Members' annual meeting": (None, 12, 0, None),
        "Python in production: a one-day conference": (250, 18, 0, 232),
        "Careers evening: Python teams hiring": (120, 18, 0, 102),
    }
    # the first person answers GOING to every upcoming event, and to no past one
    first = graphql.data(EVENTS, {"organizationId": club}, token=people[0].token)["events"]
    assert {edge["node"]["title"]: edge["node"]["viewerRsvp"] for edge in first["edges"]} == {
        "Lightning talks: what we shipped": None,
        "Intro to async Python": None,
        "Members' mixer": None,
        "Hands-on workshop: testing data pipelines": {"status": "GOING"},
        "Members' annual meeting": {"status": "GOING"},
        "Python in production: a one-day conference": {"status": "GOING"},
        "Careers evening: Python teams hiring": {"status": "GOING"},
    }


@pytest.mark.parametrize("group", GROUPS, ids=[group.name for group in GROUPS])
def test_each_demo_group_meets_in_its_own_city_and_time_zone(
    graphql: GraphQLClient, group: DemoGroup
) -> None:
    owner = member(graphql, "Organizer")
    people = [Viewer(account_id=member(graphql, f"Demo {n}").account_id) for n in range(4)]
    club = organization(graphql, owner, group.name, "MEETUP_GROUP")

    async def seed() -> object:
        return await seed_events_demo(
            database_id(club), Viewer(account_id=owner.account_id), people, group=group
        )

    graphql.http.blocking_portal.call(seed)

    events = graphql.data(EVENTS, {"organizationId": club}, token=owner.token)["events"]
    nodes = [edge["node"] for edge in events["edges"]]
    assert {node["timeZone"] for node in nodes} == {group.time_zone}
    addresses = {node["address"] for node in nodes if node["address"]}
    assert addresses == {spec.address for spec in group.series if spec.address}
    city = group.location.split(",")[0]
    assert [address for address in addresses if city not in address] == []


def test_the_demo_groups_are_in_different_zones() -> None:
    assert len({group.time_zone for group in GROUPS}) == len(GROUPS) == 2

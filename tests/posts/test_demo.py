"""The posts demo seeds a believable, deterministic organization feed through the services."""

from __future__ import annotations

from functools import partial

import pytest

from api.core.viewer import Viewer
from api.posts.demo import PostsDemoSummary, seed_posts_demo
from tests.conftest import GraphQLClient
from tests.factories import database_id, join, member
from tests.posts.helpers import POSTS, community

FEED = """
query ($org: ID!) {
  posts(organizationId: $org, first: 100) {
    edges { node { kind title pinned audience commentCount status } }
  }
}
"""


def _seeded(graphql: GraphQLClient, name: str) -> tuple[PostsDemoSummary, list[dict], int]:
    """A club seeded with the demo: its summary, its feed and how many posts wait."""
    club = community(graphql, name)
    people = [club.member]
    for n in range(4):
        person = member(graphql, f"Demo {n}")
        join(graphql, person, club.id)
        people.append(person)
    admin = Viewer(account_id=club.admin.account_id)
    members = [Viewer(account_id=p.account_id) for p in people]

    seed = partial(seed_posts_demo, database_id(club.id), admin, members, seed=7)
    summary = graphql.http.blocking_portal.call(seed)
    feed = graphql.data(FEED, {"org": club.id}, token=club.owner.token)["posts"]["edges"]
    pending = graphql.data(
        POSTS, {"org": club.id, "status": "PENDING_REVIEW"}, token=club.owner.token
    )["posts"]
    return summary, [edge["node"] for edge in feed], pending["totalCount"]


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_the_demo_seeds_every_kind_of_post(graphql: GraphQLClient) -> None:
    summary, nodes, pending = first = _seeded(graphql, "First Club")

    assert summary.posts == len(nodes) + pending
    assert pending == 1
    assert nodes[0]["pinned"] and nodes[0]["kind"] == "ANNOUNCEMENT"
    assert nodes[0]["audience"] == "PUBLIC"
    assert {node["kind"] for node in nodes} == {"ANNOUNCEMENT", "DISCUSSION", "BLOG"}
    assert sum(node["commentCount"] for node in nodes) == summary.comments > 0
    assert _seeded(graphql, "Second Club") == first  # the same seed, the same feed

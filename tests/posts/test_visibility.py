"""Who sees which post, as a matrix: (author, admin, member, guest, non-member, anonymous)
by (published members' post, public post, pending post, removed post), through every way of
reading a post (by id, as a node, in the organization's list) so they cannot disagree."""

from __future__ import annotations

from typing import Any

import pytest

from api.networks.tables import Organization
from tests.conftest import GraphQLClient
from tests.factories import Member, database_id, join, member
from tests.posts.helpers import POST, POSTS, comment, community, moderate, move, post

NODE = "query ($id: ID!) { node(id: $id) { id ... on Post { status } ... on Comment { id } } }"
VIEWERS = ("author", "admin", "member", "guest", "non-member", "anonymous")
POSTS_SEEN_BY = {
    #               author admin  member guest  non-member anonymous
    "members":     (True,  True,  True,  False, False,      False),
    "public":      (True,  True,  True,  True,  True,       True),
    "pending":     (True,  True,  False, False, False,      False),
    "removed":     (False, True,  False, False, False,      False),
}  # fmt: skip


def _sees(graphql: GraphQLClient, viewer: Member | None, created: dict[str, Any], org: str) -> bool:
    token = viewer.token if viewer else None
    by_id = graphql.data(POST, {"id": created["id"]}, token=token)["post"] is not None
    as_node = graphql.data(NODE, {"id": created["id"]}, token=token)["node"] is not None
    status = created["status"]
    listed = graphql.data(POSTS, {"org": org, "status": status, "first": 100}, token=token)
    in_list = created["id"] in {edge["node"]["id"] for edge in listed["posts"]["edges"]}
    assert by_id == as_node == in_list, (by_id, as_node, in_list)
    return by_id


@pytest.fixture
def matrix(graphql: GraphQLClient) -> dict[str, Any]:
    club = community(graphql)
    writer = member(graphql, "Wanda Writer")
    join(graphql, writer, club.id)
    members_post = post(graphql, writer, club.id)
    public_post = post(
        graphql, club.owner, club.id, kind="ANNOUNCEMENT", title="Open day", audience="PUBLIC"
    )
    removed_post = post(graphql, writer, club.id, body="oops")
    removed = move(graphql, "deletePost", writer, removed_post["id"])["data"]["deletePost"]
    removed_post = {**removed_post, "status": removed["post"]["status"]}
    moderate(graphql, club.owner, club.id, "ALL")
    pending_post = post(graphql, writer, club.id, body="please approve")
    assert pending_post["status"] == "PENDING_REVIEW"
    return {
        "club": club,
        "posts": {
            "members": (writer, members_post),
            "public": (club.owner, public_post),
            "pending": (writer, pending_post),
            "removed": (writer, removed_post),
        },
    }


def test_the_visibility_matrix(graphql: GraphQLClient, matrix: dict[str, Any]) -> None:
    club = matrix["club"]

    seen = {
        name: tuple(
            _sees(graphql, viewer, created, club.id)
            for viewer in (author, club.admin, club.member, club.guest, club.outsider, None)
        )
        for name, (author, created) in matrix["posts"].items()
    }

    assert seen == POSTS_SEEN_BY


def test_a_public_post_of_an_organization_gone_private_is_for_members_only(
    graphql: GraphQLClient, matrix: dict[str, Any]
) -> None:
    club = matrix["club"]
    _, public_post = matrix["posts"]["public"]

    async def make_private() -> None:
        await Organization.update({Organization.is_public: False}).where(
            Organization.id == database_id(club.id)
        )

    graphql.http.blocking_portal.call(make_private)

    assert not _sees(graphql, None, public_post, club.id)
    assert not _sees(graphql, club.outsider, public_post, club.id)
    assert not _sees(graphql, club.guest, public_post, club.id)
    assert _sees(graphql, club.member, public_post, club.id)


def test_comments_are_seen_by_whoever_sees_their_post(
    graphql: GraphQLClient, matrix: dict[str, Any]
) -> None:
    club = matrix["club"]
    _, members_post = matrix["posts"]["members"]
    _, public_post = matrix["posts"]["public"]
    on_members = comment(graphql, club.member, members_post["id"], "members only")
    on_public = comment(graphql, club.member, public_post["id"], "for all")

    def sees(viewer: Member | None, comment_id: str) -> bool:
        token = viewer.token if viewer else None
        return graphql.data(NODE, {"id": comment_id}, token=token)["node"] is not None

    assert [sees(v, on_members["id"]) for v in (club.admin, club.guest, None)] == [
        True,
        False,
        False,
    ]
    assert [sees(v, on_public["id"]) for v in (club.admin, club.guest, None)] == [True] * 3


def test_viewer_permissions_follow_the_role(graphql: GraphQLClient, matrix: dict[str, Any]) -> None:
    club = matrix["club"]
    writer, members_post = matrix["posts"]["members"]
    _, public_post = matrix["posts"]["public"]
    fields = ("viewerCanEdit", "viewerCanDelete", "viewerCanModerate", "viewerCanComment")

    def permissions(viewer: Member | None, created: dict[str, Any]) -> tuple[bool, ...]:
        token = viewer.token if viewer else None
        found = graphql.data(POST, {"id": created["id"]}, token=token)["post"]
        return tuple(found[name] for name in fields)

    assert permissions(writer, members_post) == (True, True, False, True)
    assert permissions(club.admin, members_post) == (False, False, True, True)
    assert permissions(club.member, members_post) == (False, False, False, True)
    assert permissions(club.guest, public_post) == (False, False, False, False)
    assert permissions(None, public_post) == (False, False, False, False)
    assert permissions(club.owner, public_post) == (True, True, True, True)

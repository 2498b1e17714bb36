"""What the viewer is to the world is read once per request and again after the request's
own writes: fields of one document see what the fields before them changed."""

from __future__ import annotations

import asyncio

from api.core.viewer import KeyedRequestMemo, begin_request, note_write
from tests.conftest import GraphQLClient
from tests.factories import join, member, organization

POST_JOIN_POST = """
mutation ($inA: CreatePostInput!, $join: OrganizationIdInput!, $inB: CreatePostInput!) {
  first: createPost(input: $inA) { post { id } userErrors { code } }
  joined: joinOrganization(input: $join) { membership { status } userErrors { code } }
  second: createPost(input: $inB) { post { id } userErrors { code } }
}
"""
POST_LEAVE_POST = """
mutation ($post: CreatePostInput!, $leave: OrganizationIdInput!) {
  first: createPost(input: $post) { post { id } userErrors { code } }
  left: leaveOrganization(input: $leave) { membership { status } userErrors { code } }
  second: createPost(input: $post) { post { id } userErrors { code } }
}
"""
POSTS = "query ($organizationId: ID!) { posts(organizationId: $organizationId) { totalCount } }"


def post_in(organization_id: str) -> dict:
    return {"organizationId": organization_id, "kind": "DISCUSSION", "body": "Hello"}


def test_joining_in_one_field_lets_the_next_field_post_as_a_member(
    graphql: GraphQLClient,
) -> None:
    # given a member of group A, and an open group B they have not joined
    owner = member(graphql, "Olga")
    group_a = organization(graphql, owner, "Group A")
    group_b = organization(graphql, owner, "Group B")
    person = member(graphql, "Pat")
    join(graphql, person, group_a)

    # when one document posts in A, joins B, then posts in B
    variables = {
        "inA": post_in(group_a),
        "join": {"organizationId": group_b},
        "inB": post_in(group_b),
    }
    body = graphql.execute(POST_JOIN_POST, variables, token=person.token)

    # then every field succeeds: the third sees the membership the second made
    assert "errors" not in body, body["errors"]
    data = body["data"]
    assert data["first"]["post"]["id"]
    assert data["joined"]["membership"]["status"] == "ACTIVE"
    assert data["second"]["userErrors"] == []
    assert data["second"]["post"]["id"]


def test_leaving_in_one_field_stops_the_next_field_from_posting(graphql: GraphQLClient) -> None:
    owner = member(graphql, "Olga")
    group = organization(graphql, owner, "Group")
    person = member(graphql, "Pat")
    join(graphql, person, group)

    # when one document posts (as a member), leaves, then posts again
    body = graphql.execute(
        POST_LEAVE_POST,
        {"leave": {"organizationId": group}, "post": post_in(group)},
        token=person.token,
    )

    # then the last post is refused: the viewer is no member any more (a non-null payload,
    # so the error takes `data` with it), while the first post and the leave stand
    [error] = body["errors"]
    assert error["path"] == ["second"]
    assert error["extensions"]["code"] == "FORBIDDEN"
    posts = graphql.data(POSTS, {"organizationId": group}, token=owner.token)["posts"]
    assert posts["totalCount"] == 1


def test_other_accounts_values_are_read_once_per_request_and_again_after_its_writes() -> None:
    reads: list[list[int]] = []

    async def read(keys: list[int]) -> dict[int, int]:
        reads.append(keys)
        return {key: key * 10 for key in keys}

    async def slow_read_with_a_write(keys: list[int]) -> dict[int, int]:
        note_write()  # the request committed a write while this was being read
        return await read(keys)

    async def one_request() -> None:
        begin_request()
        memo: KeyedRequestMemo[int, int] = KeyedRequestMemo()
        # each key read once, repeated keys asked once
        assert await memo.get_many([1, 2], read) == {1: 10, 2: 20}
        assert await memo.get_many([2, 3, 2], read) == {2: 20, 3: 30}
        assert reads == [[1, 2], [3]]
        # after a write of the request's own, read again
        note_write()
        assert await memo.get_many([1], read) == {1: 10}
        assert reads[-1] == [1]
        # what was read across a write is answered, not kept
        assert await memo.get_many([4], slow_read_with_a_write) == {4: 40}
        assert await memo.get_many([4], read) == {4: 40}
        assert reads[-2:] == [[4], [4]]

    asyncio.run(one_request())

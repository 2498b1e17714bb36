"""Comments over HTTP: members comment on published posts they see, oldest first; authors
edit and delete theirs, admins remove any; the post counts them."""

from __future__ import annotations

from tests.conftest import GraphQLClient
from tests.factories import global_id
from tests.posts.helpers import (
    ADD_COMMENT,
    COMMENT_MOVE,
    POST,
    UPDATE_COMMENT,
    answer,
    comment,
    community,
    error_code,
    moderate,
    move,
    pages,
    post,
)

COMMENTS = """
query ($id: ID!, $first: Int, $after: String) {
  post(id: $id) {
    commentCount
    comments(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id body author { name } } }
    }
  }
}
"""


def _add(graphql: GraphQLClient, who, post_id: str, body: str = "Count me in") -> dict:
    variables = {"input": {"postId": post_id, "body": body}}
    return graphql.execute(ADD_COMMENT, variables, token=who.token if who else None)


def _comment_move(graphql: GraphQLClient, verb: str, who, comment_id: str) -> dict:
    return graphql.execute(
        COMMENT_MOVE.format(verb=verb), {"input": {"commentId": comment_id}}, token=who.token
    )


def test_members_comment_and_read_comments_oldest_first(graphql: GraphQLClient) -> None:
    club = community(graphql)
    created = post(graphql, club.member, club.id)

    first = comment(graphql, club.admin, created["id"], "I'll bring *clocks*")
    bodies = [f"reply {n}" for n in range(4)]
    for body in bodies:
        comment(graphql, club.member, created["id"], body)

    assert first["bodyHtml"] == "<p>I'll bring <em>clocks</em></p>"
    assert first["author"] == {"name": "Adam Admin"}
    assert first["post"] == {"id": created["id"]}
    counts = []

    def page(after: str | None) -> dict:
        variables = {"id": created["id"], "first": 2, "after": after}
        found = graphql.data(COMMENTS, variables, token=club.owner.token)["post"]
        counts.append(found["commentCount"])
        return found["comments"]

    walked = pages(page)
    assert counts == [5, 5, 5]
    assert [connection["totalCount"] for connection in walked] == [5, 5, 5]
    assert [edge["node"]["body"] for connection in walked for edge in connection["edges"]] == [
        "I'll bring *clocks*",
        *bodies,
    ]


def test_who_may_comment(graphql: GraphQLClient) -> None:
    club = community(graphql)
    members_post = post(graphql, club.member, club.id)
    public_post = post(
        graphql, club.admin, club.id, kind="BLOG", title="Open letter", audience="PUBLIC"
    )

    assert error_code(_add(graphql, club.guest, public_post["id"])) == "FORBIDDEN"
    assert error_code(_add(graphql, club.outsider, public_post["id"])) == "FORBIDDEN"
    assert error_code(_add(graphql, None, public_post["id"])) == "UNAUTHENTICATED"
    hidden = _add(graphql, club.outsider, members_post["id"])["data"]["addComment"]
    assert [(e["field"], e["code"]) for e in hidden["userErrors"]] == [("postId", "NOT_FOUND")]
    wrong = _add(graphql, club.member, global_id("Comment", 1))["data"]["addComment"]
    assert wrong["userErrors"][0]["code"] == "NOT_FOUND"
    blank = _add(graphql, club.member, members_post["id"], " ")["data"]["addComment"]
    assert [(e["field"], e["code"]) for e in blank["userErrors"]] == [("body", "BODY_REQUIRED")]
    long = _add(graphql, club.member, members_post["id"], "x" * 10_001)["data"]["addComment"]
    assert long["userErrors"][0]["code"] == "BODY_TOO_LONG"
    count = graphql.data(POST, {"id": members_post["id"]}, token=club.member.token)["post"]
    assert count["commentCount"] == 0


def test_no_comments_on_a_post_waiting_for_review_or_removed(graphql: GraphQLClient) -> None:
    club = community(graphql)
    published = post(graphql, club.member, club.id)
    moderate(graphql, club.owner, club.id, "ALL")
    pending = post(graphql, club.member, club.id)

    waiting = _add(graphql, club.member, pending["id"])["data"]["addComment"]
    assert [(e["field"], e["code"]) for e in waiting["userErrors"]] == [("postId", "NOT_PUBLISHED")]
    assert (
        _add(graphql, club.admin, pending["id"])["data"]["addComment"]["userErrors"][0]["code"]
        == "NOT_PUBLISHED"
    )
    move(graphql, "removePost", club.admin, published["id"])
    gone = _add(graphql, club.member, published["id"])["data"]["addComment"]
    assert gone["userErrors"][0]["code"] == "NOT_FOUND"
    by_admin = _add(graphql, club.admin, published["id"])["data"]["addComment"]
    assert by_admin["userErrors"][0]["code"] == "NOT_PUBLISHED"


def test_authors_edit_and_delete_their_comments(graphql: GraphQLClient) -> None:
    club = community(graphql)
    created = post(graphql, club.member, club.id)
    mine = comment(graphql, club.member, created["id"], "first")
    edit = {"commentId": mine["id"], "body": "**second**"}

    refused = [
        answer(graphql.execute(UPDATE_COMMENT, {"input": edit}, token=other.token), "updateComment")
        for other in (club.admin, club.owner)
    ]
    assert refused == ["FORBIDDEN", "FORBIDDEN"]
    hidden = graphql.data(UPDATE_COMMENT, {"input": edit}, token=club.outsider.token)
    assert hidden["updateComment"]["userErrors"][0]["code"] == "NOT_FOUND"
    blank = graphql.data(UPDATE_COMMENT, {"input": {**edit, "body": ""}}, token=club.member.token)[
        "updateComment"
    ]
    assert blank["userErrors"][0]["code"] == "BODY_REQUIRED"
    updated = graphql.data(UPDATE_COMMENT, {"input": edit}, token=club.member.token)
    assert updated["updateComment"]["comment"]["bodyHtml"] == "<p><strong>second</strong></p>"
    assert updated["updateComment"]["comment"]["viewerCanEdit"] is True

    assert error_code(_comment_move(graphql, "deleteComment", club.admin, mine["id"])) == (
        "FORBIDDEN"
    )
    deleted = _comment_move(graphql, "deleteComment", club.member, mine["id"])["data"]
    assert deleted["deleteComment"]["comment"]["status"] == "REMOVED"
    again = _comment_move(graphql, "deleteComment", club.member, mine["id"])["data"]
    assert again["deleteComment"]["userErrors"][0]["code"] == "NOT_FOUND"
    found = graphql.data(COMMENTS, {"id": created["id"]}, token=club.admin.token)["post"]
    assert (found["commentCount"], found["comments"]["totalCount"]) == (0, 0)
    edited_by_admin_view = graphql.data(UPDATE_COMMENT, {"input": edit}, token=club.admin.token)[
        "updateComment"
    ]
    assert edited_by_admin_view["userErrors"][0]["code"] == "ILLEGAL_TRANSITION"


def test_admins_remove_comments_but_not_twice(graphql: GraphQLClient) -> None:
    club = community(graphql)
    created = post(graphql, club.member, club.id)
    rude = comment(graphql, club.member, created["id"], "rude")

    assert error_code(_comment_move(graphql, "removeComment", club.member, rude["id"])) == (
        "FORBIDDEN"
    )
    removed = _comment_move(graphql, "removeComment", club.admin, rude["id"])["data"]
    assert removed["removeComment"]["comment"]["status"] == "REMOVED"
    twice = _comment_move(graphql, "removeComment", club.owner, rude["id"])["data"]
    assert [(e["field"], e["code"]) for e in twice["removeComment"]["userErrors"]] == [
        ("commentId", "ILLEGAL_TRANSITION")
    ]
    assert (
        graphql.data(COMMENTS, {"id": created["id"]}, token=club.member.token)["post"][
            "commentCount"
        ]
        == 0
    )

"""Posts over HTTP: who may post what, validation, editing and deleting, pre-moderation
(approve/reject and their illegal moves), pinning, and the newest-first list."""

from __future__ import annotations

import pytest

from tests.conftest import GraphQLClient
from tests.factories import global_id, join, member, organization
from tests.posts.helpers import (
    POST,
    POSTS,
    REJECT_POST,
    SET_MODERATION,
    UPDATE_POST,
    answer,
    comment,
    community,
    create_post,
    error_code,
    moderate,
    move,
    pages,
    post,
)

POST_INPUT = """
mutation ($input: CreatePostInput!) {
  createPost(input: $input) { post { id } userErrors { field code message } }
}
"""
DELETE_WITH_COMMENTS = """
mutation ($input: PostIdInput!) {
  deletePost(input: $input) { post { status comments { totalCount } } }
}
"""
LEAVE = """
mutation ($input: OrganizationIdInput!) {
  leaveOrganization(input: $input) { membership { status } userErrors { code } }
}
"""
SETTINGS = "query ($org: ID!) { postSettings(organizationId: $org) { moderation } }"
#: (who, kind of post) -> what createPost answers
WHO_MAY_POST = {
    ("owner", "ANNOUNCEMENT"): "ok",
    ("admin", "ANNOUNCEMENT"): "ok",
    ("member", "BLOG"): "ok",
    ("member", "ANNOUNCEMENT"): "FORBIDDEN",
    ("guest", "DISCUSSION"): "FORBIDDEN",
    ("outsider", "DISCUSSION"): "FORBIDDEN",
    ("anonymous", "DISCUSSION"): "UNAUTHENTICATED",
}


def test_a_member_starts_a_discussion_rendered_once_to_html(graphql: GraphQLClient) -> None:
    club = community(graphql)

    created = post(
        graphql, club.member, club.id, body="Bring **boards**, see [rules](https://fide.com)"
    )

    assert created["kind"] == "DISCUSSION"
    assert created["status"] == "PUBLISHED"
    assert created["audience"] == "MEMBERS"
    assert created["title"] is None
    assert created["body"] == "Bring **boards**, see [rules](https://fide.com)"
    assert created["bodyHtml"] == (
        '<p>Bring <strong>boards</strong>, see <a href="https://fide.com" '
        'rel="nofollow noopener ugc">rules</a></p>'
    )
    assert created["publishedAt"] is not None
    assert created["author"] == {"name": "Mia Member"}
    assert created["organization"] == {"name": "Chess Club"}
    assert created["commentCount"] == 0
    assert (created["viewerCanEdit"], created["viewerCanDelete"]) == (True, True)
    assert (created["viewerCanModerate"], created["viewerCanComment"]) == (False, True)


def test_who_may_post_which_kind(graphql: GraphQLClient) -> None:
    club = community(graphql)

    def create(who: str, kind: str) -> str:
        author = getattr(club, who, None)
        variables = {"input": {"organizationId": club.id, "kind": kind, "title": "T", "body": "x"}}
        body = graphql.execute(POST_INPUT, variables, token=author.token if author else None)
        return answer(body, "createPost")

    assert {case: create(*case) for case in WHO_MAY_POST} == WHO_MAY_POST


@pytest.mark.parametrize("organization_id", ["hidden", "unknown", "not an organization"])
def test_a_hidden_or_unknown_organization_is_not_found(
    graphql: GraphQLClient, organization_id: str
) -> None:
    owner = member(graphql)
    stranger = member(graphql)
    ids = {
        "hidden": organization(graphql, owner, "Secret Society", isPublic=False),
        "unknown": global_id("Organization", 999),
        "not an organization": global_id("Post", 1),
    }

    payload = create_post(graphql, stranger, ids[organization_id])

    assert payload["post"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
        ("organizationId", "NOT_FOUND")
    ]


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"kind": "BLOG", "title": "  "}, [("title", "TITLE_REQUIRED")]),
        ({"kind": "ANNOUNCEMENT"}, [("title", "TITLE_REQUIRED")]),
        ({"kind": "DISCUSSION", "title": "x" * 201}, [("title", "TITLE_TOO_LONG")]),
        ({"kind": "DISCUSSION", "body": " \n "}, [("body", "BODY_REQUIRED")]),
        ({"kind": "BLOG", "title": "T", "body": "x" * 50_001}, [("body", "BODY_TOO_LONG")]),
        (
            {"kind": "DISCUSSION", "audience": "PUBLIC", "body": ""},
            [("body", "BODY_REQUIRED"), ("audience", "INVALID_AUDIENCE")],
        ),
    ],
)
def test_post_input_is_validated_and_nothing_is_saved(
    graphql: GraphQLClient, fields: dict, errors: list
) -> None:
    club = community(graphql)

    payload = create_post(graphql, club.admin, club.id, **fields)

    assert payload["post"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == errors
    assert all(e["message"] for e in payload["userErrors"])
    listed = graphql.data(POSTS, {"org": club.id}, token=club.admin.token)["posts"]
    assert listed["totalCount"] == 0


def test_only_admins_make_announcements_and_blog_posts_public(graphql: GraphQLClient) -> None:
    club = community(graphql)
    private_owner = member(graphql)
    private = organization(graphql, private_owner, "Quiet Club", isPublic=False)

    public = post(graphql, club.admin, club.id, kind="BLOG", title="Open", audience="PUBLIC")
    assert public["audience"] == "PUBLIC"
    refused = graphql.execute(
        POST_INPUT,
        {
            "input": {
                "organizationId": club.id,
                "kind": "BLOG",
                "title": "Mine",
                "body": "x",
                "audience": "PUBLIC",
            }
        },
        token=club.member.token,
    )
    assert error_code(refused) == "FORBIDDEN"
    in_private = create_post(
        graphql, private_owner, private, kind="ANNOUNCEMENT", title="Hi", audience="PUBLIC"
    )
    assert [(e["field"], e["code"]) for e in in_private["userErrors"]] == [
        ("audience", "INVALID_AUDIENCE")
    ]


def test_the_author_edits_and_the_body_is_rendered_again(graphql: GraphQLClient) -> None:
    club = community(graphql)
    created = post(graphql, club.member, club.id, kind="BLOG", title="Opening", body="*one*")
    edit = {"postId": created["id"], "title": "Openings", "body": "**two**"}

    updated = graphql.data(UPDATE_POST, {"input": edit}, token=club.member.token)["updatePost"]

    assert updated["userErrors"] == []
    assert updated["post"]["title"] == "Openings"
    assert updated["post"]["body"] == "**two**"
    assert updated["post"]["bodyHtml"] == "<p><strong>two</strong></p>"
    refused = [
        answer(graphql.execute(UPDATE_POST, {"input": edit}, token=other.token), "updatePost")
        for other in (club.admin, club.owner)
    ]
    assert refused == ["FORBIDDEN", "FORBIDDEN"]
    hidden = graphql.data(UPDATE_POST, {"input": edit}, token=club.outsider.token)["updatePost"]
    assert hidden["userErrors"][0]["code"] == "NOT_FOUND"
    invalid = graphql.data(UPDATE_POST, {"input": {**edit, "title": ""}}, token=club.member.token)[
        "updatePost"
    ]
    assert invalid["userErrors"][0]["code"] == "TITLE_REQUIRED"
    public = graphql.execute(
        UPDATE_POST, {"input": {**edit, "audience": "PUBLIC"}}, token=club.member.token
    )
    assert error_code(public) == "FORBIDDEN"
    kept = graphql.data(POST, {"id": created["id"]}, token=club.member.token)["post"]
    assert (kept["title"], kept["audience"]) == ("Openings", "MEMBERS")


def test_deleting_keeps_the_post_removed_for_the_admins(graphql: GraphQLClient) -> None:
    club = community(graphql)
    created = post(graphql, club.member, club.id)

    assert error_code(move(graphql, "deletePost", club.admin, created["id"])) == "FORBIDDEN"
    deleted = move(graphql, "deletePost", club.member, created["id"])["data"]["deletePost"]

    assert deleted == {"post": {"id": created["id"], "status": "REMOVED", "pinned": False},
                       "userErrors": []}  # fmt: skip
    assert graphql.data(POST, {"id": created["id"]}, token=club.member.token)["post"] is None
    seen = graphql.data(POST, {"id": created["id"]}, token=club.admin.token)["post"]
    assert seen["status"] == "REMOVED"
    again = move(graphql, "deletePost", club.member, created["id"])["data"]["deletePost"]
    assert again["userErrors"][0]["code"] == "NOT_FOUND"
    edit = {"postId": created["id"], "body": "back"}
    assert (
        graphql.data(UPDATE_POST, {"input": edit}, token=club.member.token)["updatePost"][
            "userErrors"
        ][0]["code"]
        == "NOT_FOUND"
    )


def test_admins_remove_any_post_but_not_twice(graphql: GraphQLClient) -> None:
    club = community(graphql)
    created = post(graphql, club.member, club.id)

    assert error_code(move(graphql, "removePost", club.member, created["id"])) == "FORBIDDEN"
    removed = move(graphql, "removePost", club.admin, created["id"])["data"]["removePost"]
    assert removed["post"]["status"] == "REMOVED"
    twice = move(graphql, "removePost", club.owner, created["id"])["data"]["removePost"]
    assert [(e["field"], e["code"]) for e in twice["userErrors"]] == [
        ("postId", "ILLEGAL_TRANSITION")
    ]
    assert error_code(move(graphql, "removePost", None, created["id"])) == "UNAUTHENTICATED"


def test_moderation_all_holds_members_posts_for_review(graphql: GraphQLClient) -> None:
    club = community(graphql)
    moderate(graphql, club.owner, club.id, "ALL")

    pending = post(graphql, club.member, club.id)
    from_admin = post(graphql, club.admin, club.id, kind="ANNOUNCEMENT", title="Rules")

    assert (pending["status"], pending["publishedAt"]) == ("PENDING_REVIEW", None)
    assert from_admin["status"] == "PUBLISHED"
    visible = graphql.data(POSTS, {"org": club.id}, token=club.outsider.token)["posts"]
    assert visible["totalCount"] == 0
    queue = graphql.data(
        POSTS, {"org": club.id, "status": "PENDING_REVIEW"}, token=club.admin.token
    )
    assert [e["node"]["id"] for e in queue["posts"]["edges"]] == [pending["id"]]
    mine = graphql.data(
        POSTS, {"org": club.id, "status": "PENDING_REVIEW"}, token=club.member.token
    )
    assert mine["posts"]["totalCount"] == 1
    second = post(graphql, club.member, club.id)
    assert second["status"] == "PENDING_REVIEW"

    assert error_code(move(graphql, "approvePost", club.member, pending["id"])) == "FORBIDDEN"
    approved = move(graphql, "approvePost", club.admin, pending["id"])["data"]["approvePost"]
    assert approved["post"]["status"] == "PUBLISHED"
    twice = move(graphql, "approvePost", club.admin, pending["id"])["data"]["approvePost"]
    assert twice["userErrors"][0]["code"] == "ILLEGAL_TRANSITION"
    assert "published" in twice["userErrors"][0]["message"]
    listed = graphql.data(POSTS, {"org": club.id}, token=club.member.token)["posts"]
    assert {e["node"]["id"] for e in listed["edges"]} == {pending["id"], from_admin["id"]}


def test_first_post_moderation_reviews_only_a_members_first_post(graphql: GraphQLClient) -> None:
    club = community(graphql)
    moderate(graphql, club.admin, club.id, "FIRST_POST")

    first = post(graphql, club.member, club.id)
    assert first["status"] == "PENDING_REVIEW"
    assert post(graphql, club.member, club.id)["status"] == "PENDING_REVIEW"
    move(graphql, "approvePost", club.owner, first["id"])

    assert post(graphql, club.member, club.id)["status"] == "PUBLISHED"
    moderate(graphql, club.admin, club.id, "NONE")
    other = member(graphql)
    join(graphql, other, club.id)
    assert post(graphql, other, club.id)["status"] == "PUBLISHED"


def test_rejecting_says_why_and_editing_submits_again(graphql: GraphQLClient) -> None:
    club = community(graphql)
    moderate(graphql, club.owner, club.id, "ALL")
    pending = post(graphql, club.member, club.id, body="buy my stuff")

    def reject(who, reason: str) -> dict:
        variables = {"input": {"postId": pending["id"], "reason": reason}}
        return graphql.execute(REJECT_POST, variables, token=who.token)

    assert error_code(reject(club.member, "no")) == "FORBIDDEN"
    blank = reject(club.admin, "  ")["data"]["rejectPost"]
    assert [(e["field"], e["code"]) for e in blank["userErrors"]] == [("reason", "REASON_REQUIRED")]
    too_long = reject(club.admin, "x" * 501)["data"]["rejectPost"]
    assert too_long["userErrors"][0]["code"] == "REASON_TOO_LONG"
    rejected = reject(club.admin, "No selling here.")["data"]["rejectPost"]
    assert rejected["post"] == {
        "id": pending["id"],
        "status": "REJECTED",
        "rejectionReason": "No selling here.",
    }
    seen = graphql.data(POST, {"id": pending["id"]}, token=club.member.token)["post"]
    assert seen["rejectionReason"] == "No selling here."
    assert graphql.data(POST, {"id": pending["id"]}, token=club.guest.token)["post"] is None
    again = reject(club.admin, "twice")["data"]["rejectPost"]
    assert again["userErrors"][0]["code"] == "ILLEGAL_TRANSITION"
    approve = move(graphql, "approvePost", club.admin, pending["id"])["data"]["approvePost"]
    assert approve["userErrors"][0]["code"] == "ILLEGAL_TRANSITION"

    edit = {"postId": pending["id"], "body": "Anyone want to swap books?"}
    resubmitted = graphql.data(UPDATE_POST, {"input": edit}, token=club.member.token)
    assert resubmitted["updatePost"]["post"]["status"] == "PENDING_REVIEW"
    assert resubmitted["updatePost"]["post"]["rejectionReason"] is None


def test_setting_moderation_is_for_admins(graphql: GraphQLClient) -> None:
    club = community(graphql)
    variables = {"input": {"organizationId": club.id, "moderation": "ALL"}}

    assert graphql.data(SETTINGS, {"org": club.id})["postSettings"] == {"moderation": "NONE"}
    refused = [
        answer(graphql.execute(SET_MODERATION, variables, token=who.token), "setPostModeration")
        for who in (club.member, club.guest, club.outsider)
    ]
    assert refused == ["FORBIDDEN"] * 3
    assert error_code(graphql.execute(SET_MODERATION, variables)) == "UNAUTHENTICATED"
    unknown = {"input": {"organizationId": global_id("Organization", 999), "moderation": "ALL"}}
    payload = graphql.data(SET_MODERATION, unknown, token=club.owner.token)["setPostModeration"]
    assert payload["userErrors"][0]["code"] == "NOT_FOUND"
    done = graphql.data(SET_MODERATION, variables, token=club.admin.token)["setPostModeration"]
    assert done == {
        "settings": {"moderation": "ALL", "organization": {"name": "Chess Club"}},
        "userErrors": [],
    }
    moderate(graphql, club.admin, club.id, "FIRST_POST")
    assert graphql.data(SETTINGS, {"org": club.id})["postSettings"] == {"moderation": "FIRST_POST"}


def test_pinned_posts_come_first_then_newest_over_pages(graphql: GraphQLClient) -> None:
    club = community(graphql)
    ids = [post(graphql, club.member, club.id, body=f"post {n}")["id"] for n in range(5)]
    announcement = post(graphql, club.admin, club.id, kind="ANNOUNCEMENT", title="Read me")

    assert error_code(move(graphql, "pinPost", club.member, ids[1])) == "FORBIDDEN"
    assert move(graphql, "pinPost", club.admin, ids[1])["data"]["pinPost"]["post"]["pinned"]
    again = move(graphql, "pinPost", club.admin, ids[1])["data"]["pinPost"]
    assert again["userErrors"][0]["code"] == "ILLEGAL_TRANSITION"
    move(graphql, "pinPost", club.admin, ids[3])
    expected = [ids[3], ids[1], announcement["id"], ids[4], ids[2], ids[0]]

    walked = pages(
        lambda after: graphql.data(
            POSTS, {"org": club.id, "first": 2, "after": after}, token=club.member.token
        )["posts"]
    )
    assert [page["totalCount"] for page in walked] == [6, 6, 6]
    assert [edge["node"]["id"] for page in walked for edge in page["edges"]] == expected
    announcements = graphql.data(
        POSTS, {"org": club.id, "kind": "ANNOUNCEMENT"}, token=club.member.token
    )["posts"]
    assert [e["node"]["id"] for e in announcements["edges"]] == [announcement["id"]]

    unpinned = move(graphql, "unpinPost", club.owner, ids[3])["data"]["unpinPost"]
    assert unpinned["post"]["pinned"] is False
    assert (
        move(graphql, "unpinPost", club.owner, ids[3])["data"]["unpinPost"]["userErrors"][0]["code"]
        == "ILLEGAL_TRANSITION"
    )
    move(graphql, "removePost", club.admin, ids[1])
    listed = graphql.data(POSTS, {"org": club.id}, token=club.member.token)["posts"]
    assert [e["node"]["id"] for e in listed["edges"]] == [
        announcement["id"], ids[4], ids[3], ids[2], ids[0]
    ]  # fmt: skip


def test_a_pending_post_cannot_be_pinned(graphql: GraphQLClient) -> None:
    club = community(graphql)
    moderate(graphql, club.owner, club.id, "ALL")
    pending = post(graphql, club.member, club.id)

    refused = move(graphql, "pinPost", club.admin, pending["id"])["data"]["pinPost"]

    assert refused["userErrors"][0]["code"] == "ILLEGAL_TRANSITION"


def test_bad_arguments_are_client_errors(graphql: GraphQLClient) -> None:
    club = community(graphql)

    wrong_type = graphql.execute(POSTS, {"org": global_id("Post", 1)}, token=club.member.token)
    assert error_code(wrong_type) == "BAD_USER_INPUT"
    bad_cursor = graphql.execute(POSTS, {"org": club.id, "after": "nope"}, token=club.member.token)
    assert error_code(bad_cursor) == "BAD_USER_INPUT"
    too_many = graphql.execute(POSTS, {"org": club.id, "first": 101}, token=club.member.token)
    assert error_code(too_many) == "BAD_USER_INPUT"
    wrong_id = move(graphql, "deletePost", club.member, global_id("Comment", 1))
    assert wrong_id["data"]["deletePost"]["userErrors"][0]["code"] == "NOT_FOUND"
    unknown = graphql.data(POSTS, {"org": global_id("Organization", 999)})["posts"]
    assert unknown["totalCount"] == 0


def test_an_edit_keeps_what_it_does_not_mention(graphql: GraphQLClient) -> None:
    club = community(graphql)
    public = post(graphql, club.admin, club.id, kind="BLOG", title="Open", audience="PUBLIC")

    edited = graphql.data(
        UPDATE_POST, {"input": {"postId": public["id"], "body": "_new_"}}, token=club.admin.token
    )["updatePost"]["post"]

    assert (edited["title"], edited["audience"], edited["bodyHtml"]) == (
        "Open",
        "PUBLIC",
        "<p><em>new</em></p>",
    )
    private = graphql.data(
        UPDATE_POST,
        {"input": {"postId": public["id"], "audience": "MEMBERS"}},
        token=club.admin.token,
    )["updatePost"]["post"]
    assert (private["audience"], private["body"]) == ("MEMBERS", "_new_")
    assert graphql.data(POST, {"id": public["id"]})["post"] is None


def test_an_author_who_left_may_still_delete_but_not_edit(graphql: GraphQLClient) -> None:
    club = community(graphql)
    created = post(graphql, club.member, club.id)
    comment(graphql, club.admin, created["id"], "for members only")
    left = graphql.data(LEAVE, {"input": {"organizationId": club.id}}, token=club.member.token)
    assert left["leaveOrganization"]["membership"]["status"] == "LEFT"

    assert graphql.data(POST, {"id": created["id"]}, token=club.member.token)["post"] is None
    edit = {"postId": created["id"], "body": "changed"}
    edited = graphql.data(UPDATE_POST, {"input": edit}, token=club.member.token)["updatePost"]
    assert edited["userErrors"][0]["code"] == "NOT_FOUND"
    other = move(graphql, "deletePost", club.outsider, created["id"])["data"]["deletePost"]
    assert other["userErrors"][0]["code"] == "NOT_FOUND"

    deleted = graphql.data(
        DELETE_WITH_COMMENTS, {"input": {"postId": created["id"]}}, token=club.member.token
    )["deletePost"]

    assert deleted["post"] == {"status": "REMOVED", "comments": {"totalCount": 0}}

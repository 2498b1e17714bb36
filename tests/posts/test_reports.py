"""Reports over HTTP: anyone signed in who sees a post or comment flags it once; the
organization's admins list open reports and dismiss them or remove the item."""

from __future__ import annotations

from tests.conftest import GraphQLClient
from tests.factories import global_id
from tests.posts.helpers import (
    POST,
    REPORT_COMMENT,
    REPORT_POST,
    REPORTS,
    RESOLVE_REPORT,
    comment,
    community,
    error_code,
    move,
    post,
)


def _report_post(graphql: GraphQLClient, who, post_id: str, reason: str = "SPAM", **extra):
    variables = {"input": {"postId": post_id, "reason": reason, **extra}}
    return graphql.execute(REPORT_POST, variables, token=who.token if who else None)


def _resolve(graphql: GraphQLClient, who, report_id: str, action: str) -> dict:
    variables = {"input": {"reportId": report_id, "action": action}}
    return graphql.execute(RESOLVE_REPORT, variables, token=who.token)


def test_a_post_is_reported_once_per_person(graphql: GraphQLClient) -> None:
    club = community(graphql)
    created = post(graphql, club.member, club.id)

    reported = _report_post(graphql, club.admin, created["id"], details=" buy now links ")
    assert reported["data"]["reportPost"]["report"] == {
        "id": reported["data"]["reportPost"]["report"]["id"],
        "reason": "SPAM",
        "details": "buy now links",
        "status": "OPEN",
    }
    again = _report_post(graphql, club.admin, created["id"], "HATE")["data"]["reportPost"]
    assert [(e["field"], e["code"]) for e in again["userErrors"]] == [
        ("postId", "ALREADY_REPORTED")
    ]
    seen = graphql.data(POST, {"id": created["id"]}, token=club.admin.token)["post"]
    assert seen["viewerHasReported"] is True
    other = graphql.data(POST, {"id": created["id"]}, token=club.owner.token)["post"]
    assert other["viewerHasReported"] is False
    report_id = reported["data"]["reportPost"]["report"]["id"]
    node = "query ($id: ID!) { node(id: $id) { ... on PostReport { reason } } }"
    assert graphql.data(node, {"id": report_id}, token=club.owner.token)["node"] == {
        "reason": "SPAM"
    }
    hidden = [
        graphql.data(node, {"id": report_id}, token=who.token)["node"]
        for who in (club.member, club.outsider)
    ]
    assert hidden == [None, None]


def test_report_input_and_who_may_report(graphql: GraphQLClient) -> None:
    club = community(graphql)
    members_post = post(graphql, club.member, club.id)
    public_post = post(graphql, club.admin, club.id, kind="BLOG", title="T", audience="PUBLIC")

    other = _report_post(graphql, club.owner, members_post["id"], "OTHER")["data"]["reportPost"]
    assert [(e["field"], e["code"]) for e in other["userErrors"]] == [
        ("details", "DETAILS_REQUIRED")
    ]
    long = _report_post(graphql, club.owner, members_post["id"], details="x" * 1001)
    assert long["data"]["reportPost"]["userErrors"][0]["code"] == "DETAILS_TOO_LONG"
    hidden = _report_post(graphql, club.guest, members_post["id"])["data"]["reportPost"]
    assert hidden["userErrors"][0]["code"] == "NOT_FOUND"
    unknown = _report_post(graphql, club.owner, global_id("Post", 999))["data"]["reportPost"]
    assert unknown["userErrors"][0]["code"] == "NOT_FOUND"
    assert error_code(_report_post(graphql, None, public_post["id"])) == "UNAUTHENTICATED"
    by_outsider = _report_post(graphql, club.outsider, public_post["id"])["data"]["reportPost"]
    assert by_outsider["userErrors"] == []
    reports = graphql.data(REPORTS, {"org": club.id}, token=club.admin.token)["postReports"]
    assert reports["totalCount"] == 1


def test_admins_list_open_reports_and_remove_the_post(graphql: GraphQLClient) -> None:
    club = community(graphql)
    spam = post(graphql, club.member, club.id, body="cheap watches")
    first = _report_post(graphql, club.owner, spam["id"])["data"]["reportPost"]["report"]
    second = _report_post(graphql, club.admin, spam["id"], "OFF_TOPIC")["data"]["reportPost"]

    refused = [
        error_code(graphql.execute(REPORTS, {"org": club.id}, token=who.token))
        for who in (club.member, club.guest, club.outsider)
    ]
    assert refused == ["FORBIDDEN"] * 3
    assert error_code(graphql.execute(REPORTS, {"org": club.id})) == "UNAUTHENTICATED"
    listed = graphql.data(REPORTS, {"org": club.id, "first": 1}, token=club.admin.token)
    page = listed["postReports"]
    assert page["totalCount"] == 2
    assert page["pageInfo"]["hasNextPage"] is True
    node = page["edges"][0]["node"]
    assert node["id"] == first["id"]
    assert node["reporter"] == {"name": "Olga Owner"}
    assert node["post"] == {"id": spam["id"], "status": "PUBLISHED"}
    assert node["comment"] is None
    assert error_code(_resolve(graphql, club.member, first["id"], "REMOVE_CONTENT")) == (
        "FORBIDDEN"
    )

    resolved = _resolve(graphql, club.admin, first["id"], "REMOVE_CONTENT")["data"]
    report = resolved["resolvePostReport"]["report"]
    assert report["status"] == "CONTENT_REMOVED"
    assert report["resolvedAt"] is not None
    assert report["post"] == {"id": spam["id"], "status": "REMOVED"}
    assert graphql.data(POST, {"id": spam["id"]}, token=club.member.token)["post"] is None
    still_open = graphql.data(REPORTS, {"org": club.id}, token=club.admin.token)["postReports"]
    assert still_open["totalCount"] == 0
    closed = graphql.data(
        REPORTS, {"org": club.id, "status": "CONTENT_REMOVED"}, token=club.admin.token
    )["postReports"]
    assert {e["node"]["id"] for e in closed["edges"]} == {first["id"], second["report"]["id"]}
    twice = _resolve(graphql, club.admin, second["report"]["id"], "DISMISS")["data"]
    assert [(e["field"], e["code"]) for e in twice["resolvePostReport"]["userErrors"]] == [
        ("reportId", "ILLEGAL_TRANSITION")
    ]


def test_dismissing_keeps_the_item_and_closes_its_reports(graphql: GraphQLClient) -> None:
    club = community(graphql)
    fine = post(graphql, club.member, club.id)
    report = _report_post(graphql, club.owner, fine["id"], "HARASSMENT")["data"]["reportPost"]

    dismissed = _resolve(graphql, club.admin, report["report"]["id"], "DISMISS")["data"]

    assert dismissed["resolvePostReport"]["report"]["status"] == "DISMISSED"
    assert graphql.data(POST, {"id": fine["id"]}, token=club.member.token)["post"] is not None
    unknown = _resolve(graphql, club.admin, global_id("PostReport", 999), "DISMISS")["data"]
    assert unknown["resolvePostReport"]["userErrors"][0]["code"] == "NOT_FOUND"


def test_comments_are_reported_and_removed_through_their_reports(graphql: GraphQLClient) -> None:
    club = community(graphql)
    created = post(graphql, club.member, club.id)
    rude = comment(graphql, club.member, created["id"], "rude words")
    variables = {"input": {"commentId": rude["id"], "reason": "HARASSMENT"}}

    reported = graphql.data(REPORT_COMMENT, variables, token=club.owner.token)["reportComment"]
    assert reported["userErrors"] == []
    again = graphql.data(REPORT_COMMENT, variables, token=club.owner.token)["reportComment"]
    assert [(e["field"], e["code"]) for e in again["userErrors"]] == [
        ("commentId", "ALREADY_REPORTED")
    ]
    hidden = graphql.data(REPORT_COMMENT, variables, token=club.outsider.token)["reportComment"]
    assert hidden["userErrors"][0]["code"] == "NOT_FOUND"
    post_report = _report_post(graphql, club.owner, created["id"])["data"]["reportPost"]
    assert post_report["userErrors"] == []  # a post and a comment in it are different items

    listed = graphql.data(REPORTS, {"org": club.id}, token=club.admin.token)["postReports"]
    comment_report = next(e["node"] for e in listed["edges"] if e["node"]["comment"])
    assert comment_report["comment"] == {"id": rude["id"], "status": "PUBLISHED"}
    assert comment_report["post"] is None
    resolved = _resolve(graphql, club.admin, comment_report["id"], "REMOVE_CONTENT")["data"]
    assert resolved["resolvePostReport"]["report"]["comment"]["status"] == "REMOVED"
    found = graphql.data(POST, {"id": created["id"]}, token=club.member.token)["post"]
    assert found["commentCount"] == 0
    gone = graphql.data(REPORT_COMMENT, variables, token=club.admin.token)["reportComment"]
    assert gone["userErrors"][0]["code"] == "NOT_PUBLISHED"


def test_removing_a_post_directly_settles_its_open_reports(graphql: GraphQLClient) -> None:
    club = community(graphql)
    created = post(graphql, club.member, club.id)
    _report_post(graphql, club.owner, created["id"])

    move(graphql, "deletePost", club.member, created["id"])

    still_open = graphql.data(REPORTS, {"org": club.id}, token=club.admin.token)["postReports"]
    assert still_open["totalCount"] == 0
    pending_report = _report_post(graphql, club.admin, created["id"])["data"]["reportPost"]
    assert pending_report["userErrors"][0]["code"] == "NOT_PUBLISHED"

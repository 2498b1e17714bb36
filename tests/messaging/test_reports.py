"""Abuse reports: a participant reports someone in a conversation; staff see the latest
messages as they were when reported, and dismiss the report or suspend the person's
messaging, which they may lift again."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQLClient
from tests.factories import Member, connect, member
from tests.messaging.helpers import send, start, started

REPORT = """
mutation ($input: ReportConversationInput!) {
  reportConversation(input: $input) { report { id status } userErrors { field code message } }
}
"""
REPORTS = """
query ($status: ConversationReportStatus) {
  conversationReports(status: $status, first: 10) {
    totalCount
    edges {
      node {
        id reason details status reportedId reportedName
        excerpt { authorName body }
      }
    }
  }
}
"""
RESOLVE = """
mutation ($input: ResolveConversationReportInput!) {
  resolveConversationReport(input: $input) { report { status } userErrors { field code } }
}
"""
LIFT = """
mutation ($input: LiftMessagingSuspensionInput!) {
  liftMessagingSuspension(input: $input) { lifted userErrors { code } }
}
"""


def _report(graphql: GraphQLClient, who: Member, conversation: str, about: Member) -> Any:
    variables = {
        "input": {
            "conversationId": conversation,
            "personId": about.person_id,
            "reason": "HARASSMENT",
            "details": "Rude.",
        }
    }
    return graphql.data(REPORT, variables, token=who.token)["reportConversation"]


def test_staff_see_the_report_and_suspend_messaging(graphql: GraphQLClient) -> None:
    # given Sam writes something rude to Rae, who reports him
    staff = member(graphql, "Staff", staff=True)
    sam, rae, friend = member(graphql, "Sam"), member(graphql, "Rae"), member(graphql, "Fay")
    connect(graphql, sam, rae)
    connect(graphql, sam, friend)
    conversation = started(graphql, sam, rae, message="Hello")
    assert send(graphql, sam, conversation, "Something rude")["userErrors"] == []
    reported = _report(graphql, rae, conversation, sam)
    assert reported["userErrors"] == []
    assert reported["report"]["status"] == "OPEN"
    # then only staff see it, with the messages as they were
    refused = graphql.execute(REPORTS, token=rae.token)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    listed = graphql.data(REPORTS, token=staff.token)["conversationReports"]
    assert listed["totalCount"] == 1
    node = listed["edges"][0]["node"]
    assert (node["reason"], node["details"], node["reportedName"]) == ("HARASSMENT", "Rude.", "Sam")
    assert node["reportedId"] == sam.person_id
    assert [(m["authorName"], m["body"]) for m in node["excerpt"]] == [
        ("Sam", "Hello"),
        ("Sam", "Something rude"),
    ]
    # when staff suspend Sam's messaging
    decided = graphql.data(
        RESOLVE, {"input": {"reportId": node["id"], "suspendMessaging": True}}, token=staff.token
    )["resolveConversationReport"]
    assert decided == {"report": {"status": "SUSPENDED"}, "userErrors": []}
    # then Sam can neither write nor start a conversation; Rae still can
    assert [e["code"] for e in send(graphql, sam, conversation, "Again")["userErrors"]] == [
        "MESSAGING_SUSPENDED"
    ]
    assert [e["code"] for e in start(graphql, sam, friend)["userErrors"]] == ["MESSAGING_SUSPENDED"]
    assert send(graphql, rae, conversation, "Bye")["userErrors"] == []
    # a decided report is decided once
    again = graphql.data(
        RESOLVE, {"input": {"reportId": node["id"], "suspendMessaging": False}}, token=staff.token
    )["resolveConversationReport"]
    assert [e["code"] for e in again["userErrors"]] == ["ILLEGAL_TRANSITION"]
    assert graphql.data(REPORTS, token=staff.token)["conversationReports"]["totalCount"] == 0
    # when staff lift the suspension, Sam writes again
    lifted = graphql.data(LIFT, {"input": {"personId": sam.person_id}}, token=staff.token)
    assert lifted["liftMessagingSuspension"] == {"lifted": True, "userErrors": []}
    assert send(graphql, sam, conversation, "Sorry")["userErrors"] == []


def test_a_dismissed_report_changes_nothing(graphql: GraphQLClient) -> None:
    staff = member(graphql, "Staff", staff=True)
    sam, rae = member(graphql, "Sam"), member(graphql, "Rae")
    connect(graphql, sam, rae)
    conversation = started(graphql, sam, rae)
    report = _report(graphql, rae, conversation, sam)["report"]
    decided = graphql.data(
        RESOLVE, {"input": {"reportId": report["id"], "suspendMessaging": False}}, token=staff.token
    )["resolveConversationReport"]
    assert decided == {"report": {"status": "DISMISSED"}, "userErrors": []}
    assert send(graphql, sam, conversation, "Still here")["userErrors"] == []


def test_only_participants_report_and_only_about_another_participant(
    graphql: GraphQLClient,
) -> None:
    sam, rae, eve = member(graphql, "Sam"), member(graphql, "Rae"), member(graphql, "Eve")
    connect(graphql, sam, rae)
    conversation = started(graphql, sam, rae)
    outsider = _report(graphql, eve, conversation, sam)
    assert [(e["field"], e["code"]) for e in outsider["userErrors"]] == [
        ("conversationId", "NOT_FOUND")
    ]
    about_an_outsider = _report(graphql, rae, conversation, eve)
    assert [(e["field"], e["code"]) for e in about_an_outsider["userErrors"]] == [
        ("personId", "NOT_FOUND")
    ]
    about_herself = _report(graphql, rae, conversation, rae)
    assert [e["code"] for e in about_herself["userErrors"]] == ["NOT_FOUND"]

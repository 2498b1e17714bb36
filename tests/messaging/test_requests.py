"""Message requests from verified employers: the candidate sees who wrote for which
employer and the first message, accepts or declines; until accepted the employer writes no
more; each employer has a weekly quota, shown in the API."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from api.core.settings import Settings
from tests.conftest import GraphQLClient
from tests.factories import Employer, Member, employer, import_resume, member
from tests.messaging.helpers import conversations, resume, send, start, started

REQUEST_SEEN = """
query ($id: ID!) {
  conversation(id: $id) {
    isRequest requestStatus viewerRequestStatus
    organization { name }
    participants { name role requestStatus }
    messages(first: 5) { edges { node { body authorName } } }
  }
}
"""
ACCEPT = """
mutation ($input: ConversationInput!) {
  acceptMessageRequest(input: $input) {
    conversation { requestStatus viewerRequestStatus } userErrors { field code message }
  }
}
"""
DECLINE = """
mutation ($input: ConversationInput!) {
  declineMessageRequest(input: $input) {
    conversation { requestStatus } userErrors { field code message }
  }
}
"""
QUOTAS = "{ viewer { messageRequestQuotas { organizationId limit used remaining } } }"


def _company_and_candidate(graphql: GraphQLClient) -> tuple[Employer, Member]:
    staff = member(graphql, "Staff", staff=True)
    company = employer(graphql, "Globex", recruiter="Rita", staff=staff)
    candidate = member(graphql, "Cara")
    import_resume(graphql, candidate, resume("Cara"), "EMPLOYERS")
    return company, candidate


def _answer(graphql: GraphQLClient, operation: str, who: Member, conversation_id: str) -> Any:
    body = graphql.data(operation, {"input": {"conversationId": conversation_id}}, token=who.token)
    return next(iter(body.values()))


def test_the_candidate_sees_the_request_and_accepts(graphql: GraphQLClient) -> None:
    # given a message request from Globex's recruiter
    company, candidate = _company_and_candidate(graphql)
    conversation = started(graphql, company.recruiter, candidate, message="We are hiring!")
    # then the candidate sees the sender, the employer and the first message
    seen = graphql.data(REQUEST_SEEN, {"id": conversation}, token=candidate.token)["conversation"]
    assert seen["isRequest"] is True
    assert seen["requestStatus"] == seen["viewerRequestStatus"] == "PENDING"
    assert seen["organization"] == {"name": "Globex"}
    assert [(p["name"], p["requestStatus"]) for p in seen["participants"]] == [
        ("Rita", "ACCEPTED"),
        ("Cara", "PENDING"),
    ]
    assert seen["messages"]["edges"] == [{"node": {"body": "We are hiring!", "authorName": "Rita"}}]
    # and until it is answered the recruiter cannot write more, nor the candidate reply
    assert [
        e["code"] for e in send(graphql, company.recruiter, conversation, "?")["userErrors"]
    ] == ["REQUEST_PENDING"]
    assert [e["code"] for e in send(graphql, candidate, conversation, "Hi")["userErrors"]] == [
        "REQUEST_PENDING"
    ]
    # the recruiter cannot accept their own request
    refused = _answer(graphql, ACCEPT, company.recruiter, conversation)
    assert [e["code"] for e in refused["userErrors"]] == ["ILLEGAL_TRANSITION"]
    # when the candidate accepts
    accepted = _answer(graphql, ACCEPT, candidate, conversation)
    assert accepted["conversation"] == {
        "requestStatus": "ACCEPTED",
        "viewerRequestStatus": "ACCEPTED",
    }
    # then both write
    assert send(graphql, company.recruiter, conversation, "Great")["userErrors"] == []
    assert send(graphql, candidate, conversation, "Hello")["userErrors"] == []
    # and accepting twice is an illegal move
    again = _answer(graphql, ACCEPT, candidate, conversation)
    assert [e["code"] for e in again["userErrors"]] == ["ILLEGAL_TRANSITION"]


def test_a_declined_request_stops_the_employer_and_leaves_the_list(graphql: GraphQLClient) -> None:
    company, candidate = _company_and_candidate(graphql)
    conversation = started(graphql, company.recruiter, candidate)
    declined = _answer(graphql, DECLINE, candidate, conversation)
    assert declined == {"conversation": {"requestStatus": "DECLINED"}, "userErrors": []}
    # the employer can neither write in it nor start it again
    assert [
        e["code"] for e in send(graphql, company.recruiter, conversation, "?")["userErrors"]
    ] == ["REQUEST_DECLINED"]
    again = start(graphql, company.recruiter, candidate)
    assert [e["code"] for e in again["userErrors"]] == ["REQUEST_DECLINED"]
    # the candidate no longer lists it; the employer sees it declined
    assert conversations(graphql, candidate)["conversations"]["edges"] == []
    assert conversations(graphql, candidate)["unreadMessageCount"] == 0
    assert len(conversations(graphql, company.recruiter)["conversations"]["edges"]) == 1


def test_a_conversation_that_is_no_request_cannot_be_answered(graphql: GraphQLClient) -> None:
    sender, recipient = member(graphql, "Sam"), member(graphql, "Rae")
    from tests.factories import connect

    connect(graphql, sender, recipient)
    conversation = started(graphql, sender, recipient)
    answered = _answer(graphql, ACCEPT, recipient, conversation)
    assert [e["code"] for e in answered["userErrors"]] == ["ILLEGAL_TRANSITION"]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """A small weekly quota of message requests, to reach it."""
    return replace(settings, message_requests_per_week=2)


def test_the_weekly_quota(graphql: GraphQLClient) -> None:
    staff = member(graphql, "Staff", staff=True)
    company = employer(graphql, "Globex", staff=staff)
    candidates = [member(graphql, f"Cara {n}") for n in range(3)]
    for candidate in candidates:
        import_resume(graphql, candidate, resume(candidate.email), "EMPLOYERS")
    quota = graphql.data(QUOTAS, token=company.recruiter.token)["viewer"]["messageRequestQuotas"]
    assert quota == [{"organizationId": company.id, "limit": 2, "used": 0, "remaining": 2}]
    # two requests go out, the third is over the quota
    started(graphql, company.recruiter, candidates[0])
    started(graphql, company.recruiter, candidates[1])
    over = start(graphql, company.recruiter, candidates[2])
    assert over["conversation"] is None
    assert [e["code"] for e in over["userErrors"]] == ["QUOTA_EXCEEDED"]
    quota = graphql.data(QUOTAS, token=company.recruiter.token)["viewer"]["messageRequestQuotas"]
    assert quota == [{"organizationId": company.id, "limit": 2, "used": 2, "remaining": 0}]
    # a conversation with a connection is no request, and not counted
    from tests.factories import connect

    friend = member(graphql, "Friend")
    connect(graphql, company.recruiter, friend)
    assert start(graphql, company.recruiter, friend)["userErrors"] == []

"""Applications over HTTP: applying once, the shared resume, withdrawing, the employer's
pipeline (any forward move, explicit moves back), racing moves, and the history of every move
with who made it and when, as the employer and as the applicant see it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest

from tests.conftest import GraphQLClient
from tests.factories import Employer, Member, import_resume, job, member

APPLY = """
mutation ($input: ApplyToJobInput!) {
  applyToJob(input: $input) {
    application { id stage resume { id } }
    userErrors { field code message }
  }
}
"""
MOVE = """
mutation ($input: MoveApplicationInput!) {
  moveApplication(input: $input) { application { stage } userErrors { field code message } }
}
"""
WITHDRAW = """
mutation ($input: ApplicationIdInput!) {
  withdrawApplication(input: $input) { application { stage } userErrors { field code message } }
}
"""
HISTORY = """
query ($id: ID!) {
  node(id: $id) {
    ... on Application { stage history { fromStage stage movedAt movedBy { id name } } }
  }
}
"""
APPLICATION = """
query ($id: ID!) {
  node(id: $id) {
    ... on Application { stage applicant { name } resume { id basics { name email } } }
  }
}
"""
RESUME = "query ($id: ID!) { resume(id: $id) { id } }"
UPDATE_RESUME = """
mutation ($input: UpdateResumeInput!) { updateResume(input: $input) { userErrors { code } } }
"""
APPLICANTS = """
query ($job: ID!, $first: Int) {
  job(id: $job) {
    applications(first: $first) { edges { node { history { stage movedBy { name } } } } }
  }
}
"""


def apply(graphql: GraphQLClient, globex: Employer, seeker: Member) -> str:
    job_id = job(graphql, globex, "PUBLISHED")
    payload = graphql.data(APPLY, {"input": {"jobId": job_id}}, token=seeker.token)["applyToJob"]
    assert payload["userErrors"] == []
    return payload["application"]["id"]


def move(graphql: GraphQLClient, application: str, stage: str, token: str) -> dict:
    variables = {"input": {"applicationId": application, "stage": stage}}
    return graphql.data(MOVE, variables, token=token)["moveApplication"]


def history(graphql: GraphQLClient, application: str, token: str) -> list[dict]:
    return graphql.data(HISTORY, {"id": application}, token=token)["node"]["history"]


def test_applications_once_withdraw_and_stages(
    graphql: GraphQLClient, globex: Employer, initech: Employer
) -> None:
    job_id = job(graphql, globex, "PUBLISHED")
    seeker = member(graphql, "Sam")
    resume_id = import_resume(
        graphql,
        seeker,
        {"basics": {"name": "Sam Seeker", "email": "sam@example.org"}},
        visibility="PRIVATE",
    )

    applied = graphql.data(
        APPLY, {"input": {"jobId": job_id, "resumeId": resume_id, "note": "Hi!"}},
        token=seeker.token,
    )["applyToJob"]  # fmt: skip
    assert applied["userErrors"] == []
    application = applied["application"]["id"]
    assert applied["application"]["stage"] == "SUBMITTED"
    twice = graphql.data(APPLY, {"input": {"jobId": job_id}}, token=seeker.token)["applyToJob"]
    assert twice["userErrors"][0]["code"] == "ALREADY_APPLIED"

    # the employer sees the private resume through the application, contact included...
    seen = graphql.data(APPLICATION, {"id": application}, token=globex.recruiter.token)["node"]
    assert seen["resume"]["basics"] == {"name": "Sam Seeker", "email": "sam@example.org"}
    # ...and only there
    assert graphql.data(RESUME, {"id": resume_id}, token=globex.recruiter.token) == {"resume": None}
    assert graphql.data(APPLICATION, {"id": application}, token=initech.recruiter.token) == {
        "node": None
    }

    # skipping stages is allowed (below); standing still is not
    still = move(graphql, application, "SUBMITTED", globex.recruiter.token)
    assert still["userErrors"][0]["code"] == "ILLEGAL_TRANSITION"
    assert "submitted" in still["userErrors"][0]["message"]
    assert (
        move(graphql, application, "REVIEWING", initech.recruiter.token)["userErrors"][0]["code"]
        == "NOT_FOUND"
    )
    assert move(graphql, application, "REVIEWING", globex.recruiter.token)["application"] == {
        "stage": "REVIEWING"
    }
    assert move(graphql, application, "INTERVIEW", globex.recruiter.token)["application"] == {
        "stage": "INTERVIEW"
    }

    withdrawn = graphql.data(WITHDRAW, {"input": {"applicationId": application}},
                             token=seeker.token)["withdrawApplication"]  # fmt: skip
    assert withdrawn["application"] == {"stage": "WITHDRAWN"}
    assert (
        move(graphql, application, "OFFER", globex.recruiter.token)["userErrors"][0]["code"]
        == "ILLEGAL_TRANSITION"
    )


def test_the_employer_reads_the_resume_as_shared_and_loses_it_on_withdrawal(
    graphql: GraphQLClient, globex: Employer
) -> None:
    # given a private resume shared with an application
    job_id = job(graphql, globex, "PUBLISHED")
    seeker = member(graphql, "Sam")
    shared = {"name": "Sam Seeker", "email": "sam@example.org", "phone": "+49 30 1234"}
    resume_id = import_resume(graphql, seeker, {"basics": shared}, visibility="PRIVATE")
    applied = graphql.data(
        APPLY, {"input": {"jobId": job_id, "resumeId": resume_id}}, token=seeker.token
    )["applyToJob"]
    application = applied["application"]["id"]

    # when the applicant edits the resume afterwards
    edited = {"basics": {"name": "Sam Seeker", "email": "new@example.org"}}
    changed = graphql.data(
        UPDATE_RESUME, {"input": {"id": resume_id, "sections": edited}}, token=seeker.token
    )["updateResume"]
    assert changed["userErrors"] == []

    # then the employer reads what was shared, not the live document
    seen = graphql.data(APPLICATION, {"id": application}, token=globex.recruiter.token)["node"]
    assert seen["resume"]["basics"] == {"name": "Sam Seeker", "email": "sam@example.org"}
    assert seen["resume"]["id"] == resume_id

    # when the applicant withdraws
    graphql.data(WITHDRAW, {"input": {"applicationId": application}}, token=seeker.token)

    # then the employer reads no resume at all, neither the copy nor the live one
    seen = graphql.data(APPLICATION, {"id": application}, token=globex.recruiter.token)["node"]
    assert seen["stage"] == "WITHDRAWN"
    assert seen["resume"] is None
    assert graphql.data(RESUME, {"id": resume_id}, token=globex.recruiter.token) == {"resume": None}


def test_apply_by_url_postings_send_applicants_away(
    graphql: GraphQLClient, globex: Employer
) -> None:
    job_id = job(graphql, globex, "PUBLISHED", applyUrl="https://careers.globex.example/42")
    seeker = member(graphql)

    payload = graphql.data(APPLY, {"input": {"jobId": job_id}}, token=seeker.token)["applyToJob"]

    assert payload["userErrors"][0]["code"] == "APPLY_ELSEWHERE"


def test_an_employer_skips_forward_and_moves_back_explicitly(
    graphql: GraphQLClient, globex: Employer
) -> None:
    application = apply(graphql, globex, member(graphql, "Sam Seeker"))

    # real pipelines skip: straight from SUBMITTED to INTERVIEW
    skipped = move(graphql, application, "INTERVIEW", globex.recruiter.token)
    assert skipped == {"application": {"stage": "INTERVIEW"}, "userErrors": []}
    # and back, by naming the earlier stage
    back = move(graphql, application, "REVIEWING", globex.recruiter.token)
    assert back["application"] == {"stage": "REVIEWING"}
    # a rejection can be reconsidered
    move(graphql, application, "REJECTED", globex.recruiter.token)
    assert move(graphql, application, "OFFER", globex.recruiter.token)["application"] == {
        "stage": "OFFER"
    }


def test_every_move_is_recorded_with_who_and_when(
    graphql: GraphQLClient, globex: Employer, initech: Employer
) -> None:
    seeker = member(graphql, "Sam Seeker")
    application = apply(graphql, globex, seeker)
    move(graphql, application, "INTERVIEW", globex.recruiter.token)
    move(graphql, application, "REVIEWING", globex.recruiter.token)

    # the employer sees every move and who made it, the submission first
    seen = history(graphql, application, globex.recruiter.token)
    assert [(h["fromStage"], h["stage"]) for h in seen] == [
        (None, "SUBMITTED"),
        ("SUBMITTED", "INTERVIEW"),
        ("INTERVIEW", "REVIEWING"),
    ]
    assert [h["movedBy"]["id"] for h in seen] == [
        seeker.person_id,
        globex.recruiter.person_id,
        globex.recruiter.person_id,
    ]
    times = [datetime.fromisoformat(h["movedAt"]) for h in seen]
    assert times == sorted(times)

    # the applicant sees the same moves, but not which recruiter made them
    own = history(graphql, application, seeker.token)
    assert [h["stage"] for h in own] == ["SUBMITTED", "INTERVIEW", "REVIEWING"]
    assert [h["movedBy"] and h["movedBy"]["id"] for h in own] == [seeker.person_id, None, None]
    # and nobody else sees the application at all
    assert graphql.data(HISTORY, {"id": application}, token=initech.recruiter.token) == {
        "node": None
    }


def test_a_withdrawal_is_recorded_and_final_for_the_employer(
    graphql: GraphQLClient, globex: Employer
) -> None:
    seeker = member(graphql, "Sam Seeker")
    application = apply(graphql, globex, seeker)

    withdrawn = graphql.data(
        WITHDRAW, {"input": {"applicationId": application}}, token=seeker.token
    )["withdrawApplication"]
    assert withdrawn["application"] == {"stage": "WITHDRAWN"}

    refused = move(graphql, application, "REVIEWING", globex.recruiter.token)
    assert [e["code"] for e in refused["userErrors"]] == ["ILLEGAL_TRANSITION"]
    assert "withdrawn" in refused["userErrors"][0]["message"]
    assert [h["stage"] for h in history(graphql, application, globex.recruiter.token)] == [
        "SUBMITTED",
        "WITHDRAWN",
    ]


def test_the_employer_cannot_withdraw_for_the_applicant(
    graphql: GraphQLClient, globex: Employer
) -> None:
    application = apply(graphql, globex, member(graphql))

    refused = move(graphql, application, "WITHDRAWN", globex.recruiter.token)

    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
        ("stage", "ILLEGAL_TRANSITION")
    ]
    assert len(history(graphql, application, globex.recruiter.token)) == 1


#: The two moves that race, each by whom it is made: the applicant withdraws, the
#: employer moves to a stage.
RACES = [
    ("withdraw", "REJECTED"),
    ("REJECTED", "withdraw"),
    ("INTERVIEW", "INTERVIEW"),
    ("withdraw", "withdraw"),
]


@pytest.mark.parametrize(("first", "second"), RACES)
def test_two_racing_moves_move_an_application_once(
    graphql: GraphQLClient, globex: Employer, first: str, second: str
) -> None:
    # given a submitted application
    seeker = member(graphql, "Sam Seeker")
    application = apply(graphql, globex, seeker)

    def act(verb: str) -> dict:
        if verb == "withdraw":
            variables = {"input": {"applicationId": application}}
            return graphql.data(WITHDRAW, variables, token=seeker.token)["withdrawApplication"]
        return move(graphql, application, verb, globex.recruiter.token)

    # when two moves arrive at once
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(act, (first, second)))

    # then exactly one moved it, the other was told what it is now, and only one move
    # follows the submission in its history
    moved = [a for a in answers if a["userErrors"] == []]
    refused = [a for a in answers if a["userErrors"]]
    assert len(moved) == 1 and len(refused) == 1, answers
    assert refused[0]["userErrors"][0]["code"] == "ILLEGAL_TRANSITION"
    stages = [h["stage"] for h in history(graphql, application, globex.recruiter.token)]
    assert stages == ["SUBMITTED", moved[0]["application"]["stage"]]


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_the_history_of_a_page_of_applicants_costs_the_same_for_any_page_size(
    graphql: GraphQLClient, globex: Employer, count_statements: list[str]
) -> None:
    job_id = job(graphql, globex, "PUBLISHED")
    for number in range(6):
        seeker = member(graphql, f"Seeker {number}")
        applied = graphql.data(APPLY, {"input": {"jobId": job_id}}, token=seeker.token)
        move(
            graphql, applied["applyToJob"]["application"]["id"], "INTERVIEW", globex.recruiter.token
        )

    def cost(first: int) -> int:
        count_statements.clear()
        page = graphql.data(
            APPLICANTS, {"job": job_id, "first": first}, token=globex.recruiter.token
        )
        assert len(page["job"]["applications"]["edges"]) == first
        return len(count_statements)

    assert cost(2) == cost(6)

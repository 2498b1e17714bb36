"""The postings' lifecycle as a whole: every verb from every state, and racing verbs."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.core.settings import Settings
from tests.conftest import GraphQLClient
from tests.factories import Member, database_id, member, organization, verify_employer

STATES = ("DRAFT", "PENDING_REVIEW", "PUBLISHED", "REJECTED", "CLOSED", "EXPIRED")
#: verb -> (who acts, the mutation's input beyond the id)
VERBS: dict[str, tuple[str, dict[str, Any]]] = {
    "publishJob": ("recruiter", {}),
    "approveJob": ("staff", {}),
    "rejectJob": ("staff", {"reason": "Breaks the posting rules."}),
    "closeJob": ("recruiter", {}),
    "reopenJob": ("recruiter", {}),
}
#: The whole table: (verb, starting state) -> state after, for the legal moves only. With
#: review off, publishing goes live at once.
LEGAL = {
    ("publishJob", "DRAFT"): "PUBLISHED",
    ("publishJob", "REJECTED"): "PUBLISHED",
    ("approveJob", "PENDING_REVIEW"): "PUBLISHED",
    ("rejectJob", "PENDING_REVIEW"): "REJECTED",
    # staff take a live posting down, saying why
    ("rejectJob", "PUBLISHED"): "REJECTED",
    ("closeJob", "PUBLISHED"): "CLOSED",
    ("reopenJob", "CLOSED"): "PUBLISHED",
    ("reopenJob", "EXPIRED"): "PUBLISHED",
}
INPUT_TYPES = {"rejectJob": "RejectJobInput", "reopenJob": "ReopenJobInput"}
CREATE = """
mutation ($input: CreateJobInput!) { createJob(input: $input) { job { id } userErrors { code } } }
"""
JOB = "query ($id: ID!) { job(id: $id) { status } }"


def verb_document(verb: str) -> str:
    input_type = INPUT_TYPES.get(verb, "JobIdInput")
    return (
        f"mutation ($input: {input_type}!) {{ {verb}(input: $input) {{ "
        "job { status } userErrors { field code message } } }"
    )


@dataclasses.dataclass
class Employer:
    graphql: GraphQLClient
    staff: Member
    recruiter: Member
    organization_id: str

    def posting_in(self, state: str) -> str:
        """A posting put into `state` directly (set-up; the moves under test go over HTTP)."""
        variables = {
            "input": {
                "organizationId": self.organization_id,
                "title": f"Deckhand ({state})",
                "workplaceType": "REMOTE",
            }
        }
        created = self.graphql.data(CREATE, variables, token=self.recruiter.token)["createJob"]
        job_id = created["job"]["id"]
        if state != "DRAFT":
            from datetime import UTC, datetime, timedelta

            from api.jobs.tables import JobPosting

            now = datetime.now(UTC)
            valid_through = now - timedelta(days=1) if state == "EXPIRED" else now + timedelta(30)

            async def put() -> None:
                await JobPosting.update(
                    {
                        JobPosting.status: state,
                        JobPosting.date_posted: now - timedelta(days=2),
                        JobPosting.valid_through: valid_through,
                    }
                ).where(JobPosting.id == database_id(job_id))

            self.graphql.http.blocking_portal.call(put)
        return job_id

    def act(self, verb: str, job_id: str) -> dict[str, Any]:
        who, extra = VERBS[verb]
        token = (self.staff if who == "staff" else self.recruiter).token
        variables = {"input": {"id": job_id, **extra}}
        return self.graphql.data(verb_document(verb), variables, token=token)[verb]

    def status(self, job_id: str) -> str:
        return self.graphql.data(JOB, {"id": job_id}, token=self.recruiter.token)["job"]["status"]


@pytest.fixture
def employer(settings: Settings) -> Iterator[Employer]:
    no_review = dataclasses.replace(settings, job_review="none", job_posts_per_day=1000)
    with TestClient(app=create_app(no_review)) as client:
        graphql = GraphQLClient(client)
        staff = member(graphql, "Staff", staff=True)
        recruiter = member(graphql, "Rita")
        organization_id = organization(graphql, recruiter, "Globex", "EMPLOYER")
        verify_employer(graphql, staff, organization_id)
        yield Employer(graphql, staff, recruiter, organization_id)


def test_every_verb_from_every_state(employer: Employer) -> None:
    # given one posting in each state for each verb
    cases = [(verb, state) for verb in VERBS for state in STATES]
    postings = {case: employer.posting_in(case[1]) for case in cases}

    outcomes = {}
    for (verb, state), job_id in postings.items():
        # when the verb is tried
        payload = employer.act(verb, job_id)
        # then a legal move lands where the table says; an illegal one changes nothing and
        # names the state the posting is in
        if (verb, state) in LEGAL:
            assert payload["userErrors"] == [], (verb, state, payload)
            outcomes[(verb, state)] = payload["job"]["status"]
        else:
            [error] = payload["userErrors"]
            assert error["code"] == "ILLEGAL_TRANSITION", (verb, state, error)
            assert state.lower().replace("_", " ") in error["message"], error
            assert employer.status(job_id) == state
    assert outcomes == LEGAL


@pytest.mark.parametrize(("first", "second"), [("closeJob", "rejectJob"), ("closeJob", "closeJob")])
def test_two_racing_verbs_move_a_posting_once(employer: Employer, first: str, second: str) -> None:
    # given a published posting
    job_id = employer.posting_in("PUBLISHED")

    # when two verbs arrive at once
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(lambda verb: employer.act(verb, job_id), (first, second)))

    # then exactly one moved it, and the other was told what it is now
    moved = [a for a in answers if a["userErrors"] == []]
    refused = [a for a in answers if a["userErrors"]]
    assert len(moved) == 1 and len(refused) == 1, answers
    assert refused[0]["userErrors"][0]["code"] == "ILLEGAL_TRANSITION"
    assert employer.status(job_id) == moved[0]["job"]["status"]

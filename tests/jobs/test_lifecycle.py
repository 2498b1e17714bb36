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
from tests.factories import Employer, Member, employer, job, member

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
JOB = "query ($id: ID!) { job(id: $id) { status } }"


def verb_document(verb: str) -> str:
    input_type = INPUT_TYPES.get(verb, "JobIdInput")
    return (
        f"mutation ($input: {input_type}!) {{ {verb}(input: $input) {{ "
        "job { status } userErrors { field code message } } }"
    )


@dataclasses.dataclass
class Board:
    """A deployment that reviews no postings (publishing goes live at once), its staff and
    one verified employer."""

    graphql: GraphQLClient
    staff: Member
    employer: Employer

    def act(self, verb: str, job_id: str) -> dict[str, Any]:
        who, extra = VERBS[verb]
        token = (self.staff if who == "staff" else self.employer.recruiter).token
        variables = {"input": {"id": job_id, **extra}}
        return self.graphql.data(verb_document(verb), variables, token=token)[verb]

    def status(self, job_id: str) -> str:
        token = self.employer.recruiter.token
        return self.graphql.data(JOB, {"id": job_id}, token=token)["job"]["status"]


@pytest.fixture
def board(settings: Settings) -> Iterator[Board]:
    no_review = dataclasses.replace(settings, job_review="none", job_posts_per_day=1000)
    with TestClient(app=create_app(no_review)) as client:
        graphql = GraphQLClient(client)
        staff = member(graphql, "Staff", staff=True)
        yield Board(graphql, staff, employer(graphql, staff=staff))


@pytest.mark.parametrize(("verb", "state"), [(verb, state) for verb in VERBS for state in STATES])
def test_every_verb_from_every_state(board: Board, verb: str, state: str) -> None:
    # given a posting in the state
    job_id = job(board.graphql, board.employer, state, title=f"Deckhand ({state})")

    # when the verb is tried
    payload = board.act(verb, job_id)

    # then a legal move lands where the table says; an illegal one changes nothing and
    # names the state the posting is in
    if (verb, state) in LEGAL:
        assert payload["userErrors"] == [], payload
        assert payload["job"]["status"] == LEGAL[(verb, state)]
    else:
        [error] = payload["userErrors"]
        assert error["code"] == "ILLEGAL_TRANSITION", error
        verb_word = verb.removesuffix("Job")
        assert error["message"].startswith(
            f"Cannot {verb_word} a posting that is {state.lower().replace('_', ' ')}"
        ), error
        assert board.status(job_id) == state


@pytest.mark.parametrize(("first", "second"), [("closeJob", "rejectJob"), ("closeJob", "closeJob")])
def test_two_racing_verbs_move_a_posting_once(board: Board, first: str, second: str) -> None:
    # given a published posting
    job_id = job(board.graphql, board.employer, "PUBLISHED")

    # when two verbs arrive at once
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(lambda verb: board.act(verb, job_id), (first, second)))

    # then exactly one moved it, and the other was told what it is now
    moved = [a for a in answers if a["userErrors"] == []]
    refused = [a for a in answers if a["userErrors"]]
    assert len(moved) == 1 and len(refused) == 1, answers
    assert refused[0]["userErrors"][0]["code"] == "ILLEGAL_TRANSITION"
    assert board.status(job_id) == moved[0]["job"]["status"]

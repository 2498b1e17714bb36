"""The lifecycles of posts, comments and reports as a whole: every post verb from every
state, and two verbs racing for one post, comment or report."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest

from api.posts.tables import Post
from tests.conftest import GraphQLClient
from tests.factories import Member, database_id, join, member, organization
from tests.posts.helpers import (
    COMMENT_MOVE,
    REPORT_POST,
    RESOLVE_REPORT,
    comment,
    post,
)

#: A post's states as its admins see them; PINNED is a PUBLISHED post kept on top.
STATES = ("PUBLISHED", "PINNED", "PENDING_REVIEW", "REJECTED", "REMOVED")
#: verb -> (who acts, the mutation's input beyond the post's id)
VERBS: dict[str, tuple[str, dict[str, Any]]] = {
    "updatePost": ("author", {"body": "Edited."}),
    "approvePost": ("admin", {}),
    "rejectPost": ("admin", {"reason": "Off topic."}),
    "pinPost": ("admin", {}),
    "unpinPost": ("admin", {}),
    "deletePost": ("author", {}),
    "removePost": ("admin", {}),
}
#: The whole table: (verb, starting state) -> state after, for the legal moves only. The
#: organization does not review posts, so an edited rejected post goes out at once.
LEGAL = {
    ("updatePost", "PUBLISHED"): "PUBLISHED",
    ("updatePost", "PINNED"): "PINNED",
    ("updatePost", "PENDING_REVIEW"): "PENDING_REVIEW",
    ("updatePost", "REJECTED"): "PUBLISHED",
    ("approvePost", "PENDING_REVIEW"): "PUBLISHED",
    ("rejectPost", "PENDING_REVIEW"): "REJECTED",
    ("pinPost", "PUBLISHED"): "PINNED",
    ("unpinPost", "PINNED"): "PUBLISHED",
    ("deletePost", "PUBLISHED"): "REMOVED",
    ("deletePost", "PINNED"): "REMOVED",
    ("deletePost", "PENDING_REVIEW"): "REMOVED",
    ("deletePost", "REJECTED"): "REMOVED",
    ("removePost", "PUBLISHED"): "REMOVED",
    ("removePost", "PINNED"): "REMOVED",
    ("removePost", "PENDING_REVIEW"): "REMOVED",
    ("removePost", "REJECTED"): "REMOVED",
}
#: A removed post is seen by the admins only: to its author it is gone.
NOT_FOUND = {("updatePost", "REMOVED"), ("deletePost", "REMOVED")}
INPUT_TYPES = {"updatePost": "UpdatePostInput", "rejectPost": "RejectPostInput"}
STATE = "query ($id: ID!) { post(id: $id) { status pinned } }"


def verb_document(verb: str) -> str:
    input_type = INPUT_TYPES.get(verb, "PostIdInput")
    return (
        f"mutation ($input: {input_type}!) {{ {verb}(input: $input) {{ "
        "post { status pinned } userErrors { field code message } } }"
    )


def outcome(verb: str, state: str) -> tuple[list[str], str]:
    """The error codes a verb answers from a state, and the state the post is left in."""
    if (verb, state) in LEGAL:
        return [], LEGAL[(verb, state)]
    return ["NOT_FOUND" if (verb, state) in NOT_FOUND else "ILLEGAL_TRANSITION"], state


@dataclass
class Club:
    """An organization, its owner (an admin) and a member who writes."""

    graphql: GraphQLClient
    admin: Member
    author: Member
    id: str

    def post_in(self, state: str) -> str:
        """A post put into `state` directly (set-up; the moves under test go over HTTP)."""
        post_id = post(self.graphql, self.author, self.id)["id"]
        status, pinned = ("PUBLISHED", True) if state == "PINNED" else (state, False)

        async def put() -> None:
            await Post.update({Post.status: status, Post.pinned: pinned}).where(
                Post.id == database_id(post_id)
            )

        self.graphql.http.blocking_portal.call(put)
        return post_id

    def act(self, verb: str, post_id: str) -> dict[str, Any]:
        who, extra = VERBS[verb]
        token = (self.admin if who == "admin" else self.author).token
        variables = {"input": {"postId": post_id, **extra}}
        return self.graphql.data(verb_document(verb), variables, token=token)[verb]

    def state(self, post_id: str) -> str:
        found = self.graphql.data(STATE, {"id": post_id}, token=self.admin.token)["post"]
        return "PINNED" if found["pinned"] else found["status"]

    def race(self, act: Callable[[str], dict[str, Any]], verbs: tuple[str, str]) -> list[Any]:
        """Both verbs sent at once; their answers."""
        with ThreadPoolExecutor(max_workers=2) as pool:
            return list(pool.map(act, verbs))


@pytest.fixture
def club(graphql: GraphQLClient) -> Club:
    admin = member(graphql, "Olga Owner")
    org = organization(graphql, admin, "Chess Club")
    author = member(graphql, "Mia Member")
    join(graphql, author, org)
    return Club(graphql, admin, author, org)


@pytest.mark.parametrize("verb", VERBS)
def test_every_verb_from_every_state(club: Club, verb: str) -> None:
    # given one post in each state
    posts = {state: club.post_in(state) for state in STATES}

    # when the verb is tried on each
    answers = {state: club.act(verb, post_id) for state, post_id in posts.items()}

    # then a legal move lands where the table says; any other changes nothing
    seen = {
        state: ([error["code"] for error in answers[state]["userErrors"]], club.state(post_id))
        for state, post_id in posts.items()
    }
    assert seen == {state: outcome(verb, state) for state in STATES}


def test_an_illegal_move_names_the_state_the_post_is_in(club: Club) -> None:
    post_id = club.post_in("REJECTED")

    [error] = club.act("approvePost", post_id)["userErrors"]

    assert error == {
        "field": "postId",
        "code": "ILLEGAL_TRANSITION",
        "message": "Cannot approve a post that is rejected.",
    }


def _one_moved(answers: list[dict[str, Any]]) -> dict[str, Any]:
    """The one answer that moved the row; the other must have been told it could not."""
    moved = [a for a in answers if a["userErrors"] == []]
    refused = [a for a in answers if a["userErrors"]]
    assert len(moved) == 1 and len(refused) == 1, answers
    assert [e["code"] for e in refused[0]["userErrors"]] == ["ILLEGAL_TRANSITION"], refused
    return moved[0]


@pytest.mark.parametrize(
    ("state", "verbs"),
    [
        ("PENDING_REVIEW", ("approvePost", "rejectPost")),
        ("PUBLISHED", ("removePost", "removePost")),
        ("PUBLISHED", ("pinPost", "pinPost")),
    ],
)
def test_two_racing_verbs_move_a_post_once(club: Club, state: str, verbs: tuple[str, str]) -> None:
    # given a post
    post_id = club.post_in(state)

    # when two verbs arrive at once
    answers = club.race(lambda verb: club.act(verb, post_id), verbs)

    # then exactly one moved it, and the other was told what it is now
    won = _one_moved(answers)
    assert club.state(post_id) == ("PINNED" if won["post"]["pinned"] else won["post"]["status"])


def test_two_admins_removing_one_comment_remove_it_once(club: Club) -> None:
    # given a comment
    post_id = club.post_in("PUBLISHED")
    comment_id = comment(club.graphql, club.author, post_id, "rude")["id"]
    document = COMMENT_MOVE.format(verb="removeComment")

    def remove(_: str) -> dict[str, Any]:
        variables = {"input": {"commentId": comment_id}}
        return club.graphql.data(document, variables, token=club.admin.token)["removeComment"]

    # when two removals arrive at once
    answers = club.race(remove, ("first", "second"))

    # then one removed it and the other was told it is removed already
    assert _one_moved(answers)["comment"]["status"] == "REMOVED"


@pytest.mark.parametrize("actions", [("DISMISS", "REMOVE_CONTENT"), ("DISMISS", "DISMISS")])
def test_two_racing_resolutions_settle_a_report_once(club: Club, actions: tuple[str, str]) -> None:
    # given an open report about a post
    post_id = club.post_in("PUBLISHED")
    variables = {"input": {"postId": post_id, "reason": "SPAM"}}
    filed = club.graphql.data(REPORT_POST, variables, token=club.author.token)["reportPost"]
    report_id = filed["report"]["id"]

    def resolve(action: str) -> dict[str, Any]:
        variables = {"input": {"reportId": report_id, "action": action}}
        answer = club.graphql.data(RESOLVE_REPORT, variables, token=club.admin.token)
        return answer["resolvePostReport"]

    # when two resolutions arrive at once
    answers = club.race(resolve, actions)

    # then one settled it, and the post is removed only if that one said so
    won = _one_moved(answers)["report"]
    removed = won["status"] == "CONTENT_REMOVED"
    assert club.state(post_id) == ("REMOVED" if removed else "PUBLISHED")

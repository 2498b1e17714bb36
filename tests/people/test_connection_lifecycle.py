"""Connection requests' verbs racing each other over HTTP: exactly one moves the request."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.conftest import GraphQLClient
from tests.factories import REQUEST_CONNECTION, member

#: verb -> (who acts: the person who asked or the person asked, the input type)
VERBS = {
    "acceptConnection": ("addressee", "AnswerConnectionInput"),
    "declineConnection": ("addressee", "AnswerConnectionInput"),
    "withdrawConnectionRequest": ("requester", "WithdrawConnectionRequestInput"),
}


def verb_document(verb: str) -> str:
    _, input_type = VERBS[verb]
    return (
        f"mutation ($input: {input_type}!) {{ {verb}(input: $input) {{ "
        "connection { status } userErrors { field code message } } }"
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("acceptConnection", "withdrawConnectionRequest"),
        ("declineConnection", "withdrawConnectionRequest"),
        ("acceptConnection", "acceptConnection"),
    ],
)
def test_two_racing_verbs_move_a_request_once(
    graphql: GraphQLClient, first: str, second: str
) -> None:
    # given a pending request from Ada to Bob
    ada, bob = member(graphql, "Ada"), member(graphql, "Bob")
    asked = graphql.data(
        REQUEST_CONNECTION, {"input": {"personId": bob.person_id}}, token=ada.token
    )
    connection_id = asked["requestConnection"]["connection"]["id"]

    def act(verb: str) -> dict[str, Any]:
        who, _ = VERBS[verb]
        token = (bob if who == "addressee" else ada).token
        variables = {"input": {"connectionId": connection_id}}
        return graphql.data(verb_document(verb), variables, token=token)[verb]

    # when two verbs arrive at once
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(act, (first, second)))

    # then exactly one moved it, and the other was told what it is now
    moved = [a for a in answers if a["userErrors"] == []]
    refused = [a for a in answers if a["userErrors"]]
    assert len(moved) == 1 and len(refused) == 1, answers
    assert refused[0]["userErrors"][0]["code"] == "ILLEGAL_TRANSITION"
    now = moved[0]["connection"]["status"].lower()
    assert f"that is {now}" in refused[0]["userErrors"][0]["message"]

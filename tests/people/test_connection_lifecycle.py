"""Connection requests' verbs, and blocks, racing each other over HTTP: exactly one wins."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import GraphQLClient
from tests.factories import REQUEST_CONNECTION, member
from tests.people.racing import race

BLOCK = """
mutation ($input: PersonIdInput!) {
  blockPerson(input: $input) { blockedPerson { personId } userErrors { field code message } }
}
"""

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
    moved, refused = race(act, first, second)

    # then exactly one moved it, and the other was told what it is now
    now = moved["connection"]["status"].lower()
    assert f"that is {now}" in refused["userErrors"][0]["message"]


def test_two_racing_blocks_of_one_person_block_once(graphql: GraphQLClient) -> None:
    # given two people
    ada, bob = member(graphql, "Ada"), member(graphql, "Bob")

    def block(_: str) -> dict[str, Any]:
        variables = {"input": {"personId": bob.person_id}}
        return graphql.data(BLOCK, variables, token=ada.token)["blockPerson"]

    # when Ada blocks Bob twice at once
    moved, refused = race(block, "first", "second")

    # then one block stands and the other is told it is there already
    assert moved["blockedPerson"] == {"personId": bob.person_id}
    assert "already blocked" in refused["userErrors"][0]["message"]

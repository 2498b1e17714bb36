"""Memberships' verbs racing each other over HTTP: exactly one moves the membership."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import GraphQLClient
from tests.factories import join, member, organization
from tests.people.racing import race

#: verb -> (who acts, the input type, the id the input names)
VERBS = {
    "approveMembership": ("owner", "MembershipIdInput", "membershipId"),
    "declineMembership": ("owner", "MembershipIdInput", "membershipId"),
    "removeMember": ("owner", "MembershipIdInput", "membershipId"),
    "leaveOrganization": ("member", "OrganizationIdInput", "organizationId"),
}


def verb_document(verb: str) -> str:
    _, input_type, _ = VERBS[verb]
    return (
        f"mutation ($input: {input_type}!) {{ {verb}(input: $input) {{ "
        "membership { status } userErrors { field code message } } }"
    )


@pytest.mark.parametrize(
    ("join_policy", "first", "second"),
    [
        ("APPROVAL", "approveMembership", "declineMembership"),
        ("APPROVAL", "approveMembership", "approveMembership"),
        ("OPEN", "removeMember", "leaveOrganization"),
    ],
)
def test_two_racing_verbs_move_a_membership_once(
    graphql: GraphQLClient, join_policy: str, first: str, second: str
) -> None:
    # given a request to join (APPROVAL) or an active membership (OPEN)
    owner, person = member(graphql, "Olga"), member(graphql, "Pat")
    organization_id = organization(graphql, owner, "Chess club", joinPolicy=join_policy)
    joined = join(graphql, person, organization_id)
    assert joined["userErrors"] == [], joined
    ids = {"membershipId": joined["membership"]["id"], "organizationId": organization_id}

    def act(verb: str) -> dict[str, Any]:
        who, _, id_field = VERBS[verb]
        token = (owner if who == "owner" else person).token
        variables = {"input": {id_field: ids[id_field]}}
        return graphql.data(verb_document(verb), variables, token=token)[verb]

    # when two verbs arrive at once
    moved, refused = race(act, first, second)

    # then exactly one moved it, and the other was told what it is now
    now = moved["membership"]["status"].lower()
    assert f"that is {now}" in refused["userErrors"][0]["message"]

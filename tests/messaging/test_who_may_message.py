"""Who may start a conversation with whom, as a matrix over HTTP: connections, fellow members
under each preference, verified and unverified employers, exclusion lists, blocks both ways;
every refusal reads exactly as an unknown id does."""

from __future__ import annotations

import pytest

from tests.conftest import GraphQLClient
from tests.factories import (
    Member,
    connect,
    employer,
    global_id,
    import_resume,
    join,
    member,
    organization,
)
from tests.messaging.helpers import block, exclude, prefer, resume, start

NO_SUCH_PERSON = {
    "field": "participantIds",
    "code": "NOT_FOUND",
    "message": "No person you may message has this id.",
}


def _refused(payload: dict) -> bool:
    return payload["conversation"] is None and payload["userErrors"] == [NO_SUCH_PERSON]


def _fellow_members(graphql: GraphQLClient) -> tuple[Member, Member]:
    owner = member(graphql, "Owner")
    club = organization(graphql, owner, "Alumni", "ALUMNI_ASSOCIATION")
    sender, recipient = member(graphql, "Sam"), member(graphql, "Rae")
    join(graphql, sender, club)
    join(graphql, recipient, club)
    return sender, recipient


def test_a_connection_may_always_write(graphql: GraphQLClient) -> None:
    # given two connected people, the recipient keeping to connections
    sender, recipient = member(graphql, "Sam"), member(graphql, "Rae")
    connect(graphql, sender, recipient)
    prefer(graphql, recipient, "CONNECTIONS_ONLY")
    # when one writes
    payload = start(graphql, sender, recipient)
    # then a direct conversation starts
    assert payload["userErrors"] == []
    assert payload["conversation"]["kind"] == "DIRECT"
    assert payload["conversation"]["isRequest"] is False


@pytest.mark.parametrize(
    ("audience", "allowed"),
    [("EVERYONE", True), ("CONNECTIONS_AND_MEMBERS", True), ("CONNECTIONS_ONLY", False)],
)
def test_fellow_members_by_the_recipients_preference(
    graphql: GraphQLClient, audience: str, allowed: bool
) -> None:
    sender, recipient = _fellow_members(graphql)
    prefer(graphql, recipient, audience)
    payload = start(graphql, sender, recipient)
    assert (payload["userErrors"] == []) is allowed
    if not allowed:
        assert _refused(payload)


def test_members_may_write_by_default(graphql: GraphQLClient) -> None:
    sender, recipient = _fellow_members(graphql)
    assert start(graphql, sender, recipient)["userErrors"] == []


@pytest.mark.parametrize(
    ("audience", "allowed"), [("EVERYONE", True), ("CONNECTIONS_AND_MEMBERS", False)]
)
def test_strangers_only_when_the_recipient_allows_everyone(
    graphql: GraphQLClient, audience: str, allowed: bool
) -> None:
    sender, recipient = member(graphql, "Sam"), member(graphql, "Rae")
    prefer(graphql, recipient, audience)
    payload = start(graphql, sender, recipient)
    assert (payload["userErrors"] == []) is allowed
    if not allowed:
        assert _refused(payload)


@pytest.mark.parametrize("who_blocks", ["sender", "recipient"])
def test_nobody_across_a_block(graphql: GraphQLClient, who_blocks: str) -> None:
    # given connected people, one of whom blocks the other (a block ends the connection:
    # so the recipient allows everyone, and the block alone must refuse)
    sender, recipient = member(graphql, "Sam"), member(graphql, "Rae")
    prefer(graphql, recipient, "EVERYONE")
    if who_blocks == "sender":
        block(graphql, sender, recipient)
    else:
        block(graphql, recipient, sender)
    assert _refused(start(graphql, sender, recipient))


def test_an_unknown_id_reads_the_same(graphql: GraphQLClient) -> None:
    sender = member(graphql, "Sam")
    variables = {"input": {"participantIds": [global_id("Person", 999_999)], "message": "Hi"}}
    from tests.messaging.helpers import START

    payload = graphql.data(START, variables, token=sender.token)["startConversation"]
    assert _refused(payload)


@pytest.mark.parametrize(
    ("verified", "visibility", "excluded", "outcome"),
    [
        (True, "EMPLOYERS", False, "request"),
        (True, "PUBLIC", False, "request"),
        (True, "PRIVATE", False, "refused"),
        (False, "EMPLOYERS", False, "refused"),
        (False, "PUBLIC", False, "refused"),
        (True, "EMPLOYERS", True, "refused"),
    ],
)
def test_employers_to_candidates(
    graphql: GraphQLClient, verified: bool, visibility: str, excluded: bool, outcome: str
) -> None:
    # given an employer (verified or not) and a candidate whose resume has `visibility`
    staff = member(graphql, "Staff", staff=True)
    company = employer(graphql, "Globex", staff=staff if verified else None)
    candidate = member(graphql, "Cara")
    import_resume(graphql, candidate, resume("Cara"), visibility)
    if excluded:
        exclude(graphql, candidate, company.id)
    # when its recruiter writes to the candidate
    payload = start(graphql, company.recruiter, candidate)
    # then a message request goes out, or the same refusal as for nobody at all
    if outcome == "request":
        assert payload["userErrors"] == []
        assert payload["conversation"]["isRequest"] is True
        assert payload["conversation"]["requestStatus"] == "PENDING"
    else:
        assert _refused(payload)


def test_an_excluded_employer_cannot_tell_exclusion_from_nobody(graphql: GraphQLClient) -> None:
    staff = member(graphql, "Staff", staff=True)
    company = employer(graphql, "Globex", staff=staff)
    candidate = member(graphql, "Cara")
    import_resume(graphql, candidate, resume("Cara"), "EMPLOYERS")
    exclude(graphql, candidate, company.id)
    excluded = start(graphql, company.recruiter, candidate)
    variables = {"input": {"participantIds": [global_id("Person", 999_999)], "message": "Hi"}}
    from tests.messaging.helpers import START

    nobody = graphql.data(START, variables, token=company.recruiter.token)["startConversation"]
    assert excluded == nobody


def test_a_blocked_employer_sends_no_request(graphql: GraphQLClient) -> None:
    staff = member(graphql, "Staff", staff=True)
    company = employer(graphql, "Globex", staff=staff)
    candidate = member(graphql, "Cara")
    import_resume(graphql, candidate, resume("Cara"), "PUBLIC")
    block(graphql, candidate, company.recruiter)
    assert _refused(start(graphql, company.recruiter, candidate))


def test_groups_need_everyone_reachable_and_hold_twenty(graphql: GraphQLClient) -> None:
    sender = member(graphql, "Sam")
    friends = [member(graphql, f"Friend {n}") for n in range(2)]
    for friend in friends:
        connect(graphql, sender, friend)
    stranger = member(graphql, "Stranger")
    # a group of connections starts
    payload = start(graphql, sender, *friends)
    assert payload["userErrors"] == []
    assert payload["conversation"]["kind"] == "GROUP"
    # one unreachable person refuses the whole group
    assert _refused(start(graphql, sender, *friends, stranger))
    # more than twenty people, the sender included, is too many
    crowd = [member(graphql, f"Crowd {n}") for n in range(20)]
    too_many = start(graphql, sender, *crowd)
    assert [e["code"] for e in too_many["userErrors"]] == ["TOO_MANY_PARTICIPANTS"]


def test_nobody_writes_to_themselves(graphql: GraphQLClient) -> None:
    sender = member(graphql, "Sam")
    payload = start(graphql, sender, sender)
    assert [e["code"] for e in payload["userErrors"]] == ["CANNOT_MESSAGE_SELF"]

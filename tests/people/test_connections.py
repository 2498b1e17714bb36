"""Connections over HTTP: every verb and its illegal moves, blocks, degrees, mutual
connections, people you may know, and what a page of them costs in SQL statements."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import GraphQLClient
from tests.factories import (
    Member,
    connect,
    global_id,
    import_resume,
    join,
    member,
    organization,
)

REQUEST = """
mutation ($input: RequestConnectionInput!) {
  requestConnection(input: $input) {
    connection { id status requester { name } addressee { name } }
    userErrors { field code message }
  }
}
"""
ACCEPT = """
mutation ($input: AnswerConnectionInput!) {
  acceptConnection(input: $input) { connection { status } userErrors { field code message } }
}
"""
WITHDRAW = """
mutation ($input: WithdrawConnectionRequestInput!) {
  withdrawConnectionRequest(input: $input) {
    connection { id status }
    userErrors { field code message }
  }
}
"""
REMOVE = """
mutation ($input: PersonIdInput!) {
  removeConnection(input: $input) { connection { status } userErrors { field code message } }
}
"""
BLOCK = """
mutation ($input: PersonIdInput!) {
  blockPerson(input: $input) {
    blockedPerson { personId person { name } }
    userErrors { field code message }
  }
}
"""
UNBLOCK = """
mutation ($input: PersonIdInput!) {
  unblockPerson(input: $input) { unblockedPersonId userErrors { field code message } }
}
"""
UPDATE_PROFILE = """
mutation ($input: UpdateProfileInput!) { updateProfile(input: $input) { userErrors { code } } }
"""
MY_NETWORK = """
{
  viewer {
    connections { totalCount edges { node { name } } }
    received: connectionRequests { totalCount edges { node { id requester { name } } } }
    sent: connectionRequests(direction: SENT) {
      totalCount edges { node { id addressee { name } } }
    }
    blockedPeople { totalCount edges { node { personId person { name } } } }
  }
}
"""
PERSON = """
query ($id: ID!) { node(id: $id) { ... on Person { name degree } } }
"""
RESUME = """
query ($id: ID!) { node(id: $id) { ... on Resume { title } } }
"""
MUTUALS = """
query ($id: ID!, $first: Int, $after: String) {
  node(id: $id) {
    ... on Person {
      mutualConnections(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { name } }
      }
    }
  }
}
"""
SUGGESTIONS = """
query ($first: Int, $after: String) {
  viewer {
    peopleYouMayKnow(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage endCursor }
      edges {
        node {
          person { name degree }
          score
          mutualConnectionCount
          sharedOrganizationCount
          sharedOrganizations { name }
        }
      }
    }
  }
}
"""


def _request(graphql: GraphQLClient, asker: Member, asked: Member) -> dict[str, Any]:
    return graphql.data(REQUEST, {"input": {"personId": asked.person_id}}, token=asker.token)[
        "requestConnection"
    ]


def _move(graphql: GraphQLClient, mutation: str, token: str, **input: Any) -> dict[str, Any]:
    return next(iter(graphql.data(mutation, {"input": input}, token=token).values()))


def _codes(payload: dict[str, Any]) -> list[str]:
    return [error["code"] for error in payload["userErrors"]]


def _network(graphql: GraphQLClient, person: Member) -> dict[str, Any]:
    viewer = graphql.data(MY_NETWORK, token=person.token)["viewer"]
    return {
        "connections": [edge["node"]["name"] for edge in viewer["connections"]["edges"]],
        "received": [edge["node"]["requester"]["name"] for edge in viewer["received"]["edges"]],
        "sent": [edge["node"]["addressee"]["name"] for edge in viewer["sent"]["edges"]],
        "blocked": [edge["node"]["personId"] for edge in viewer["blockedPeople"]["edges"]],
    }


def _names(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["name"] for edge in connection["edges"]]


def _suggestions(graphql: GraphQLClient, person: Member, first: int = 20) -> list[Any]:
    page = graphql.data(SUGGESTIONS, {"first": first}, token=person.token)["viewer"]
    return [
        (
            edge["node"]["person"]["name"],
            edge["node"]["score"],
            edge["node"]["mutualConnectionCount"],
            edge["node"]["sharedOrganizationCount"],
        )
        for edge in page["peopleYouMayKnow"]["edges"]
    ]


# --- The lifecycle ----------------------------------------------------------------------------


def test_a_pending_request_can_be_withdrawn_by_its_sender_only(graphql: GraphQLClient) -> None:
    ada, bob, eve = member(graphql, "Ada"), member(graphql, "Bob"), member(graphql, "Eve")
    asked = _request(graphql, ada, bob)["connection"]
    assert _network(graphql, ada)["sent"] == ["Bob"]
    assert _network(graphql, bob)["received"] == ["Ada"]

    by_addressee = _move(graphql, WITHDRAW, bob.token, connectionId=asked["id"])
    assert _codes(by_addressee) == ["ILLEGAL_TRANSITION"]
    assert "only the person who asked" in by_addressee["userErrors"][0]["message"]
    by_stranger = _move(graphql, WITHDRAW, eve.token, connectionId=asked["id"])
    assert _codes(by_stranger) == ["NOT_FOUND"]

    withdrawn = _move(graphql, WITHDRAW, ada.token, connectionId=asked["id"])
    assert withdrawn == {"connection": {"id": asked["id"], "status": "WITHDRAWN"}, "userErrors": []}
    assert _network(graphql, ada)["sent"] == []
    assert _network(graphql, bob)["received"] == []

    twice = _move(graphql, WITHDRAW, ada.token, connectionId=asked["id"])
    assert _codes(twice) == ["ILLEGAL_TRANSITION"]
    assert "withdrawn" in twice["userErrors"][0]["message"]
    late = _move(graphql, ACCEPT, bob.token, connectionId=asked["id"])
    assert _codes(late) == ["ILLEGAL_TRANSITION"]

    # asking again after withdrawing is a fresh request
    assert _request(graphql, ada, bob)["connection"]["status"] == "PENDING"
    accepted = _move(graphql, ACCEPT, bob.token, connectionId=asked["id"])
    assert accepted == {"connection": {"status": "ACCEPTED"}, "userErrors": []}
    after_accept = _move(graphql, WITHDRAW, ada.token, connectionId=asked["id"])
    assert _codes(after_accept) == ["ILLEGAL_TRANSITION"]


def test_a_connection_can_be_removed_by_either_side_and_asked_for_again(
    graphql: GraphQLClient,
) -> None:
    ada, bob, cy = member(graphql, "Ada"), member(graphql, "Bob"), member(graphql, "Cy")
    connect(graphql, ada, bob)
    assert _network(graphql, ada)["connections"] == ["Bob"]

    not_connected = _move(graphql, REMOVE, cy.token, personId=ada.person_id)
    assert _codes(not_connected) == ["ILLEGAL_TRANSITION"]
    oneself = _move(graphql, REMOVE, ada.token, personId=ada.person_id)
    assert _codes(oneself) == ["CANNOT_CONNECT_TO_SELF"]
    nobody = _move(graphql, REMOVE, ada.token, personId=global_id("Person", 999999))
    assert _codes(nobody) == ["NOT_FOUND"]

    removed = _move(graphql, REMOVE, bob.token, personId=ada.person_id)
    assert removed == {"connection": {"status": "REMOVED"}, "userErrors": []}
    assert _network(graphql, ada)["connections"] == []
    assert _network(graphql, bob)["connections"] == []
    again = _move(graphql, REMOVE, ada.token, personId=bob.person_id)
    assert _codes(again) == ["ILLEGAL_TRANSITION"]
    assert "removed" in again["userErrors"][0]["message"]

    # either may ask again; a pending request is not removed but withdrawn or declined
    assert _request(graphql, ada, bob)["connection"]["status"] == "PENDING"
    pending = _move(graphql, REMOVE, ada.token, personId=bob.person_id)
    assert _codes(pending) == ["ILLEGAL_TRANSITION"]
    assert "withdraw or decline" in pending["userErrors"][0]["message"]
    assert _request(graphql, bob, ada)["connection"]["status"] == "ACCEPTED"
    assert _network(graphql, bob)["connections"] == ["Ada"]


@pytest.mark.parametrize(
    ("mutation", "input"),
    [
        (REMOVE, {"personId": global_id("Person", 1)}),
        (BLOCK, {"personId": global_id("Person", 1)}),
        (UNBLOCK, {"personId": global_id("Person", 1)}),
        (WITHDRAW, {"connectionId": global_id("ConnectionRequest", 1)}),
    ],
)
def test_connection_verbs_need_a_signed_in_viewer(
    graphql: GraphQLClient, mutation: str, input: dict[str, str]
) -> None:
    member(graphql, "Ada")

    body = graphql.execute(mutation, {"input": input})

    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_only_the_owner_reads_their_network(graphql: GraphQLClient) -> None:
    staff = member(graphql, "Staff", staff=True)
    ada = member(graphql, "Ada")
    query = """
    query ($id: ID!) { node(id: $id) { ... on Account { email peopleYouMayKnow { totalCount } } } }
    """

    body = graphql.execute(query, {"id": global_id("Account", ada.account_id)}, token=staff.token)

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert graphql.data(MY_NETWORK)["viewer"] is None


# --- Blocks -----------------------------------------------------------------------------------


def test_a_block_ends_the_connection_and_refuses_requests_both_ways(
    graphql: GraphQLClient,
) -> None:
    ada, bob = member(graphql, "Ada"), member(graphql, "Bob")
    connect(graphql, ada, bob)

    blocked = _move(graphql, BLOCK, ada.token, personId=bob.person_id)

    assert blocked == {
        "blockedPerson": {"personId": bob.person_id, "person": {"name": "Bob"}},
        "userErrors": [],
    }
    assert _network(graphql, ada)["connections"] == []
    assert _network(graphql, bob)["connections"] == []
    assert _network(graphql, ada)["blocked"] == [bob.person_id]
    assert _network(graphql, bob)["blocked"] == []
    from_blocked = _request(graphql, bob, ada)
    from_blocker = _request(graphql, ada, bob)
    assert _codes(from_blocked) == _codes(from_blocker) == ["BLOCKED"]
    # the same words whichever side blocked
    assert from_blocked["userErrors"] == from_blocker["userErrors"]
    assert "Ada" not in from_blocked["userErrors"][0]["message"]
    # a removed connection cannot be removed again
    assert _codes(_move(graphql, REMOVE, bob.token, personId=ada.person_id)) == [
        "ILLEGAL_TRANSITION"
    ]


def test_a_block_ends_pending_requests_either_way(graphql: GraphQLClient) -> None:
    ada, bob, cy = member(graphql, "Ada"), member(graphql, "Bob"), member(graphql, "Cy")
    incoming = _request(graphql, bob, ada)["connection"]
    _request(graphql, ada, cy)

    _move(graphql, BLOCK, ada.token, personId=bob.person_id)
    _move(graphql, BLOCK, ada.token, personId=cy.person_id)

    assert _network(graphql, ada)["received"] == []
    assert _network(graphql, ada)["sent"] == []
    assert _network(graphql, bob)["sent"] == []
    assert _network(graphql, cy)["received"] == []
    late = _move(graphql, ACCEPT, ada.token, connectionId=incoming["id"])
    assert _codes(late) == ["ILLEGAL_TRANSITION"]


def test_blocking_is_a_verb_with_legal_starting_states(graphql: GraphQLClient) -> None:
    ada, bob = member(graphql, "Ada"), member(graphql, "Bob")

    assert _codes(_move(graphql, BLOCK, ada.token, personId=ada.person_id)) == ["CANNOT_BLOCK_SELF"]
    assert _codes(_move(graphql, BLOCK, ada.token, personId=global_id("Person", 999999))) == [
        "NOT_FOUND"
    ]
    assert _codes(_move(graphql, BLOCK, ada.token, personId=global_id("Job", 1))) == ["NOT_FOUND"]
    assert _codes(_move(graphql, UNBLOCK, ada.token, personId=bob.person_id)) == [
        "ILLEGAL_TRANSITION"
    ]
    assert _move(graphql, BLOCK, ada.token, personId=bob.person_id)["userErrors"] == []
    assert _codes(_move(graphql, BLOCK, ada.token, personId=bob.person_id)) == [
        "ILLEGAL_TRANSITION"
    ]
    # the blocked person may block back; each lifts only their own block
    assert _move(graphql, BLOCK, bob.token, personId=ada.person_id)["userErrors"] == []
    unblocked = _move(graphql, UNBLOCK, ada.token, personId=bob.person_id)
    assert unblocked == {"unblockedPersonId": bob.person_id, "userErrors": []}
    assert _codes(_request(graphql, ada, bob)) == ["BLOCKED"]  # Bob's block still stands
    assert _move(graphql, UNBLOCK, bob.token, personId=ada.person_id)["userErrors"] == []
    assert _request(graphql, ada, bob)["connection"]["status"] == "PENDING"


def test_the_blocker_is_hidden_from_the_blocked_person(graphql: GraphQLClient) -> None:
    ada, bob, pat = member(graphql, "Ada"), member(graphql, "Bob"), member(graphql, "Pat")
    resume = import_resume(graphql, ada, {"basics": {"name": "Ada", "label": "Analyst"}})
    connect(graphql, ada, pat)
    connect(graphql, bob, pat)
    connect(graphql, ada, bob)
    assert _names(
        graphql.data(MUTUALS, {"id": pat.person_id}, token=bob.token)["node"]["mutualConnections"]
    ) == ["Ada"]
    assert graphql.data(PERSON, {"id": ada.person_id}, token=bob.token)["node"] == {
        "name": "Ada",
        "degree": "FIRST",
    }

    _move(graphql, BLOCK, ada.token, personId=bob.person_id)

    # Bob sees nothing of Ada: not her profile, her resume, as a mutual or a suggestion
    assert graphql.data(PERSON, {"id": ada.person_id}, token=bob.token) == {"node": None}
    assert graphql.data(RESUME, {"id": resume}, token=bob.token) == {"node": None}
    mutuals = graphql.data(MUTUALS, {"id": pat.person_id}, token=bob.token)["node"]
    assert mutuals["mutualConnections"]["totalCount"] == 0
    assert _suggestions(graphql, bob) == []
    # everyone else still does, and Ada still sees Bob (to unblock him)
    assert graphql.data(RESUME, {"id": resume}, token=pat.token)["node"] == {"title": "Analyst"}
    assert graphql.data(RESUME, {"id": resume})["node"] == {"title": "Analyst"}
    assert graphql.data(PERSON, {"id": bob.person_id}, token=ada.token)["node"] == {
        "name": "Bob",
        "degree": "SECOND",
    }
    assert _suggestions(graphql, ada) == []  # Bob shares Pat with Ada, but is blocked

    _move(graphql, UNBLOCK, ada.token, personId=bob.person_id)

    assert graphql.data(PERSON, {"id": ada.person_id}, token=bob.token)["node"] == {
        "name": "Ada",
        "degree": "SECOND",
    }
    assert _suggestions(graphql, bob) == [("Ada", 2, 1, 0)]
    assert _request(graphql, bob, ada)["connection"]["status"] == "PENDING"
    assert _suggestions(graphql, bob) == []  # pending now


# --- Degrees and mutual connections -----------------------------------------------------------


def _degrees(graphql: GraphQLClient, viewer: Member | None, people: dict[str, Member]) -> Any:
    fields = " ".join(
        f'{name}: node(id: "{person.person_id}") {{ ... on Person {{ degree }} }}'
        for name, person in people.items()
    )
    data = graphql.data(f"{{ {fields} }}", token=viewer.token if viewer else None)
    return {name: node["degree"] for name, node in data.items()}


def test_degrees_of_a_small_network(graphql: GraphQLClient) -> None:
    # A-B-C is a chain; D is in a club with A; E is a stranger
    people = {name: member(graphql, name) for name in "ABCDE"}
    a, b, c, d = people["A"], people["B"], people["C"], people["D"]
    connect(graphql, a, b)
    connect(graphql, b, c)
    club = organization(graphql, a, "Chess club")
    join(graphql, d, club)

    assert _degrees(graphql, a, people) == {
        "A": "SELF",
        "B": "FIRST",
        "C": "SECOND",
        "D": "FELLOW_MEMBER",
        "E": "NONE",
    }
    assert _degrees(graphql, c, people) == {
        "A": "SECOND",
        "B": "FIRST",
        "C": "SELF",
        "D": "NONE",
        "E": "NONE",
    }
    assert set(_degrees(graphql, None, people).values()) == {None}

    # the closest degree wins: FIRST over FELLOW_MEMBER, SECOND over FELLOW_MEMBER
    join(graphql, b, club)
    join(graphql, c, club)
    degrees = _degrees(graphql, a, people)
    assert (degrees["B"], degrees["C"], degrees["D"]) == ("FIRST", "SECOND", "FELLOW_MEMBER")


def test_mutual_connections_are_counted_and_paged(graphql: GraphQLClient) -> None:
    ada, xia, yan = member(graphql, "Ada"), member(graphql, "Xia"), member(graphql, "Yan")
    m1, m2, m3 = member(graphql, "M1"), member(graphql, "M2"), member(graphql, "M3")
    for friend in (m1, m2, m3):
        connect(graphql, ada, friend)
    connect(graphql, xia, m1)
    connect(graphql, m2, xia)
    connect(graphql, yan, m3)
    connect(graphql, xia, yan)  # Ada's other contacts' links do not count

    first = graphql.data(MUTUALS, {"id": xia.person_id, "first": 1}, token=ada.token)["node"]
    mutuals = first["mutualConnections"]
    assert (mutuals["totalCount"], _names(mutuals)) == (2, ["M1"])
    assert mutuals["pageInfo"]["hasNextPage"] is True
    after = mutuals["pageInfo"]["endCursor"]
    rest = graphql.data(
        MUTUALS, {"id": xia.person_id, "first": 1, "after": after}, token=ada.token
    )["node"]["mutualConnections"]
    assert (_names(rest), rest["pageInfo"]["hasNextPage"]) == (["M2"], False)

    yans = graphql.data(MUTUALS, {"id": yan.person_id}, token=ada.token)["node"]
    assert _names(yans["mutualConnections"]) == ["M3"]
    own = graphql.data(MUTUALS, {"id": ada.person_id}, token=ada.token)["node"]
    assert own["mutualConnections"]["totalCount"] == 0
    anonymous = graphql.data(MUTUALS, {"id": xia.person_id})["node"]
    assert anonymous["mutualConnections"]["totalCount"] == 0
    # from Xia's side the same two people are shared with Ada
    back = graphql.data(MUTUALS, {"id": ada.person_id}, token=xia.token)["node"]
    assert _names(back["mutualConnections"]) == ["M1", "M2"]

    # a connection who keeps their profile private is not listed
    graphql.data(UPDATE_PROFILE, {"input": {"visibility": "PRIVATE"}}, token=m2.token)
    hidden = graphql.data(MUTUALS, {"id": xia.person_id}, token=ada.token)["node"]
    assert (hidden["mutualConnections"]["totalCount"], _names(hidden["mutualConnections"])) == (
        1,
        ["M1"],
    )
    assert _network(graphql, ada)["connections"] == ["M3", "M1"]  # latest first, M2 hidden


# --- People you may know ----------------------------------------------------------------------


def test_people_you_may_know_are_ranked_with_their_reasons(graphql: GraphQLClient) -> None:
    ada = member(graphql, "Ada")
    f1, f2 = member(graphql, "F1"), member(graphql, "F2")
    connect(graphql, ada, f1)
    connect(graphql, f2, ada)
    connect(graphql, f1, f2)  # two of Ada's connections know each other: not suggested

    two_mutuals = member(graphql, "TwoMutuals")  # 2*2 = 4
    connect(graphql, two_mutuals, f1)
    connect(graphql, f2, two_mutuals)
    mutual_and_club = member(graphql, "MutualAndClub")  # 2*1 + 1 = 3
    connect(graphql, mutual_and_club, f1)
    one_mutual = member(graphql, "OneMutual")  # 2*1 = 2
    connect(graphql, one_mutual, f2)
    two_clubs = member(graphql, "TwoClubs")  # 1 + 1 = 2, a higher id than OneMutual
    one_club = member(graphql, "OneClub")  # 1
    chess = organization(graphql, ada, "Chess club")
    choir = organization(graphql, ada, "Choir")
    for person, clubs in (
        (mutual_and_club, [chess]),
        (two_clubs, [chess, choir]),
        (one_club, [choir]),
    ):
        for club in clubs:
            join(graphql, person, club)

    # excluded: pending requests either way, blocks either way, a profile Ada may not see
    asked = member(graphql, "Asked")
    connect(graphql, asked, f1)
    _request(graphql, ada, asked)
    asking = member(graphql, "Asking")
    connect(graphql, asking, f1)
    _request(graphql, asking, ada)
    blocked = member(graphql, "Blocked")
    connect(graphql, blocked, f1)
    _move(graphql, BLOCK, ada.token, personId=blocked.person_id)
    blocker = member(graphql, "Blocker")
    connect(graphql, blocker, f2)
    _move(graphql, BLOCK, blocker.token, personId=ada.person_id)
    private = member(graphql, "Private")
    connect(graphql, private, f1)
    graphql.data(UPDATE_PROFILE, {"input": {"visibility": "CONNECTIONS"}}, token=private.token)
    members_only = member(graphql, "MembersOnly")  # seen by Ada through the club: suggested
    join(graphql, members_only, choir)
    graphql.data(UPDATE_PROFILE, {"input": {"visibility": "MEMBERS"}}, token=members_only.token)

    assert _suggestions(graphql, ada) == [
        ("TwoMutuals", 4, 2, 0),
        ("MutualAndClub", 3, 1, 1),
        ("OneMutual", 2, 1, 0),
        ("TwoClubs", 2, 0, 2),
        ("OneClub", 1, 0, 1),
        ("MembersOnly", 1, 0, 1),
    ]
    page = graphql.data(SUGGESTIONS, {"first": 2}, token=ada.token)["viewer"]["peopleYouMayKnow"]
    assert page["totalCount"] == 6
    assert page["edges"][1]["node"]["sharedOrganizations"] == [{"name": "Chess club"}]
    assert page["edges"][0]["node"]["person"]["degree"] == "SECOND"
    assert page["pageInfo"]["hasNextPage"] is True
    rest = graphql.data(
        SUGGESTIONS, {"first": 10, "after": page["pageInfo"]["endCursor"]}, token=ada.token
    )["viewer"]["peopleYouMayKnow"]
    assert [edge["node"]["person"]["name"] for edge in rest["edges"]] == [
        "OneMutual",
        "TwoClubs",
        "OneClub",
        "MembersOnly",
    ]
    assert rest["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "endCursor": rest["pageInfo"]["endCursor"],
    }
    assert rest["totalCount"] == 6
    beyond = graphql.data(
        SUGGESTIONS, {"first": 10, "after": rest["pageInfo"]["endCursor"]}, token=ada.token
    )["viewer"]["peopleYouMayKnow"]
    assert (beyond["edges"], beyond["totalCount"]) == ([], 6)
    bad = graphql.execute(SUGGESTIONS, {"after": "nonsense"}, token=ada.token)
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"

    # once connected, a suggestion is no longer one
    connect(graphql, ada, two_mutuals)
    assert [name for name, *_ in _suggestions(graphql, ada)][:1] == ["MutualAndClub"]


def test_the_demo_seeds_every_state(graphql: GraphQLClient) -> None:
    from api.core.viewer import Viewer
    from api.people.demo_connections import ConnectionsDemoSummary, seed_connections_demo

    people = [member(graphql, f"Member {n}") for n in range(14)]
    viewers = [Viewer(account_id=person.account_id) for person in people]

    summary = graphql.http.blocking_portal.call(seed_connections_demo, viewers)

    # three blocks: two between other members, and one of Ada's own (the connections guide's
    # list of blocks shows it)
    assert summary == ConnectionsDemoSummary(received=3, sent=2, withdrawn=1, removed=1, blocks=3)
    network = _network(graphql, people[0])
    assert (len(network["received"]), len(network["sent"]), len(network["blocked"])) == (3, 2, 1)


# --- Statement counts -------------------------------------------------------------------------

CONNECTIONS_PAGE = """
query ($first: Int) {
  viewer {
    connections(first: $first) {
      totalCount
      edges {
        node { name degree mutualConnections(first: 3) { totalCount edges { node { name } } } }
      }
    }
  }
}
"""
SUGGESTIONS_PAGE = """
query ($first: Int) {
  viewer {
    peopleYouMayKnow(first: $first) {
      edges { node { score person { name degree } sharedOrganizations { name } } }
    }
  }
}
"""


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_a_page_of_people_costs_the_same_at_10_and_100(
    graphql: GraphQLClient,
    count_statements: list[str],
) -> None:
    ada = member(graphql, "Ada")
    club = organization(graphql, ada, "Club")
    from datetime import UTC, datetime

    from api.networks.tables import Membership
    from api.people.tables import Account, Connection
    from tests.factories import database_id

    async def build() -> None:
        # In bulk, for speed: 110 connections of Ada's, each connected to the next; 110 more
        # people, each knowing two of Ada's connections and in her club.
        rows = await Account.insert(
            *[
                Account(email=f"p{n}@example.org", name=f"P{n}", password_hash="-")
                for n in range(220)
            ]
        ).returning(Account.id)
        people = [row["id"] for row in rows]
        pairs = [(ada.account_id, person) for person in people[:110]]
        pairs += [(people[n - 1], people[n]) for n in range(1, 110)]
        for n, person in enumerate(people[110:]):
            pairs += [(person, people[n]), (person, people[(n + 1) % 110])]
        now = datetime.now(UTC)
        await Connection.insert(
            *[
                Connection(requester=a, addressee=b, status="ACCEPTED", responded_at=now)
                for a, b in pairs
            ]
        )
        await Membership.insert(
            *[
                Membership(organization=database_id(club), account=person, status="ACTIVE")
                for person in people[110:]
            ]
        )

    graphql.http.blocking_portal.call(build)

    def cost(query: str, first: int) -> int:
        # The indexer works through the outbox meanwhile; its statements are not the page's,
        # and only ever add to a count, so the least of a few runs is the page's own.
        counts = []
        for _ in range(3):
            count_statements.clear()
            assert graphql.data(query, {"first": first}, token=ada.token)["viewer"]
            counts.append(len([s for s in count_statements if "outbox" not in s]))
        return min(counts)

    assert cost(CONNECTIONS_PAGE, 10) == cost(CONNECTIONS_PAGE, 100)
    assert cost(SUGGESTIONS_PAGE, 10) == cost(SUGGESTIONS_PAGE, 100)
    page = graphql.data(CONNECTIONS_PAGE, {"first": 100}, token=ada.token)["viewer"]
    assert page["connections"]["totalCount"] == 110
    degrees = {edge["node"]["degree"] for edge in page["connections"]["edges"]}
    assert degrees == {"FIRST"}
    suggestions = graphql.data(SUGGESTIONS_PAGE, {"first": 100}, token=ada.token)["viewer"]
    scores = {edge["node"]["score"] for edge in suggestions["peopleYouMayKnow"]["edges"]}
    assert scores == {5}  # two mutual connections and the club


# --- One document sees its own writes ---------------------------------------------------------

BLOCK_THEN_ACCEPT = """
mutation ($block: PersonIdInput!, $accept: AnswerConnectionInput!) {
  blockPerson(input: $block) { blockedPerson { person { degree } } }
  acceptConnection(input: $accept) { connection { requester { degree } } }
}
"""


def test_fields_of_one_document_see_the_connections_the_fields_before_changed(
    graphql: GraphQLClient,
) -> None:
    # given a request from Ada to Bob, and Cy, whom Bob is about to block
    ada, bob, cy = member(graphql, "Ada"), member(graphql, "Bob"), member(graphql, "Cy")
    asked = _request(graphql, ada, bob)["connection"]

    # when one document of Bob's reads his circle (blocking Cy), then accepts Ada
    data = graphql.data(
        BLOCK_THEN_ACCEPT,
        {"block": {"personId": cy.person_id}, "accept": {"connectionId": asked["id"]}},
        token=bob.token,
    )

    # then the second field sees the connection the first did not know of
    assert data["blockPerson"]["blockedPerson"]["person"] == {"degree": "NONE"}
    assert data["acceptConnection"]["connection"]["requester"] == {"degree": "FIRST"}


ACCEPT_THEN_REMOVE = """
mutation ($accept: AnswerConnectionInput!, $remove: PersonIdInput!) {
  acceptConnection(input: $accept) { connection { requester { degree } } }
  removeConnection(input: $remove) { connection { requester { degree } } }
}
"""


def test_what_a_field_loaded_is_loaded_again_after_the_next_field_writes(
    graphql: GraphQLClient,
) -> None:
    # given a request from Ada to Bob
    ada, bob = member(graphql, "Ada"), member(graphql, "Bob")
    asked = _request(graphql, ada, bob)["connection"]

    # when one document of Bob's accepts Ada (loading her degree), then disconnects
    data = graphql.data(
        ACCEPT_THEN_REMOVE,
        {"accept": {"connectionId": asked["id"]}, "remove": {"personId": ada.person_id}},
        token=bob.token,
    )

    # then the second field does not answer from what the first one loaded
    assert data["acceptConnection"]["connection"]["requester"] == {"degree": "FIRST"}
    assert data["removeConnection"]["connection"]["requester"] == {"degree": "NONE"}

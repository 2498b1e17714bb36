"""Profiles (with their contact audience) and connection requests, over HTTP."""

from __future__ import annotations

from tests.conftest import GraphQLClient
from tests.factories import connect, global_id, member

UPDATE_PROFILE = """
mutation ($input: UpdateProfileInput!) {
  updateProfile(input: $input) {
    person { name headline location { city countryCode } links { network url } email
             visibility contactVisibility isViewer }
    userErrors { field code message }
  }
}
"""
PERSON = """
query ($id: ID!) {
  node(id: $id) { ... on Person { name headline email phone visibility isViewer } }
}
"""
REQUEST = """
mutation ($input: RequestConnectionInput!) {
  requestConnection(input: $input) {
    connection { id status note requester { name } addressee { name } }
    userErrors { field code message }
  }
}
"""
ACCEPT = """
mutation ($input: AnswerConnectionInput!) {
  acceptConnection(input: $input) { connection { status } userErrors { field code message } }
}
"""
DECLINE = """
mutation ($input: AnswerConnectionInput!) {
  declineConnection(input: $input) { connection { status } userErrors { field code message } }
}
"""


def test_update_profile_and_read_it_back(graphql: GraphQLClient) -> None:
    ada = member(graphql, "Ada")
    changes = {
        "name": "Ada Lovelace",
        "headline": "Analyst of engines",
        "city": "London",
        "countryCode": "gb",
        "links": [{"network": "GitHub", "url": "https://github.com/ada"}],
        "email": "ada@example.org",
    }

    payload = graphql.data(UPDATE_PROFILE, {"input": changes}, token=ada.token)["updateProfile"]

    assert payload["userErrors"] == []
    assert payload["person"] == {
        "name": "Ada Lovelace",
        "headline": "Analyst of engines",
        "location": {"city": "London", "countryCode": "GB"},
        "links": [{"network": "GitHub", "url": "https://github.com/ada"}],
        "email": "ada@example.org",
        "visibility": "PUBLIC",
        "contactVisibility": "CONNECTIONS",
        "isViewer": True,
    }
    # omitted fields stay as they are
    again = graphql.data(UPDATE_PROFILE, {"input": {"headline": "Poet"}}, token=ada.token)
    assert again["updateProfile"]["person"]["location"]["city"] == "London"


def test_profile_input_is_validated(graphql: GraphQLClient) -> None:
    ada = member(graphql)
    bad = {"countryCode": "Germany", "email": "nope", "links": [{"url": "javascript:alert(1)"}]}

    errors = graphql.data(UPDATE_PROFILE, {"input": bad}, token=ada.token)["updateProfile"][
        "userErrors"
    ]

    assert {(e["field"], e["code"]) for e in errors} == {
        ("countryCode", "INVALID_COUNTRY_CODE"),
        ("email", "INVALID_EMAIL"),
        ("links[0].url", "INVALID_URL"),
    }


def test_a_profile_follows_its_audience_and_contact_its_own(graphql: GraphQLClient) -> None:
    ada = member(graphql, "Ada")
    stranger = member(graphql, "Stranger")
    friend = member(graphql, "Friend")
    graphql.data(
        UPDATE_PROFILE,
        {"input": {"email": "ada@example.org", "phone": "+44 20 7946 0000"}},
        token=ada.token,
    )

    public_view = graphql.data(PERSON, {"id": ada.person_id})["node"]
    assert public_view == {
        "name": "Ada",
        "headline": None,  # not given: null, like a hidden field (test_null_means_not_given)
        "email": None,
        "phone": None,
        "visibility": None,
        "isViewer": False,
    }

    connect(graphql, friend, ada)
    friend_view = graphql.data(PERSON, {"id": ada.person_id}, token=friend.token)["node"]
    assert friend_view["email"] == "ada@example.org"
    assert friend_view["phone"] == "+44 20 7946 0000"

    graphql.data(UPDATE_PROFILE, {"input": {"visibility": "CONNECTIONS"}}, token=ada.token)
    assert graphql.data(PERSON, {"id": ada.person_id}, token=stranger.token) == {"node": None}
    assert graphql.data(PERSON, {"id": ada.person_id}) == {"node": None}
    assert graphql.data(PERSON, {"id": ada.person_id}, token=friend.token)["node"] is not None


def test_connection_requests_move_only_along_their_lifecycle(graphql: GraphQLClient) -> None:
    ada = member(graphql, "Ada")
    bob = member(graphql, "Bob")

    asked = graphql.data(
        REQUEST, {"input": {"personId": bob.person_id, "note": "Met at PyCon"}}, token=ada.token
    )["requestConnection"]
    connection = asked["connection"]
    assert connection["status"] == "PENDING"
    assert connection["note"] == "Met at PyCon"
    assert connection["requester"] == {"name": "Ada"}
    assert connection["addressee"] == {"name": "Bob"}

    twice = graphql.data(REQUEST, {"input": {"personId": bob.person_id}}, token=ada.token)
    assert twice["requestConnection"]["userErrors"][0]["code"] == "ALREADY_REQUESTED"

    # only the person asked may answer
    own = graphql.data(ACCEPT, {"input": {"connectionId": connection["id"]}}, token=ada.token)
    assert own["acceptConnection"]["userErrors"][0]["code"] == "ILLEGAL_TRANSITION"

    declined = graphql.data(DECLINE, {"input": {"connectionId": connection["id"]}}, token=bob.token)
    assert declined["declineConnection"] == {"connection": {"status": "DECLINED"}, "userErrors": []}
    late = graphql.data(ACCEPT, {"input": {"connectionId": connection["id"]}}, token=bob.token)
    error = late["acceptConnection"]["userErrors"][0]
    assert error["code"] == "ILLEGAL_TRANSITION"
    assert "declined" in error["message"]

    # asking afresh after a decline is allowed, and a crossing request connects at once
    graphql.data(REQUEST, {"input": {"personId": bob.person_id}}, token=ada.token)
    crossing = graphql.data(REQUEST, {"input": {"personId": ada.person_id}}, token=bob.token)
    assert crossing["requestConnection"]["connection"]["status"] == "ACCEPTED"
    again = graphql.data(REQUEST, {"input": {"personId": ada.person_id}}, token=bob.token)
    assert again["requestConnection"]["userErrors"][0]["code"] == "ALREADY_CONNECTED"


def test_connecting_to_oneself_or_nobody_is_a_user_error(graphql: GraphQLClient) -> None:
    ada = member(graphql)
    nobody = global_id("Person", 99999)

    self_request = graphql.data(REQUEST, {"input": {"personId": ada.person_id}}, token=ada.token)
    missing = graphql.data(REQUEST, {"input": {"personId": nobody}}, token=ada.token)

    assert self_request["requestConnection"]["userErrors"][0]["code"] == "CANNOT_CONNECT_TO_SELF"
    assert missing["requestConnection"]["userErrors"][0]["code"] == "NOT_FOUND"

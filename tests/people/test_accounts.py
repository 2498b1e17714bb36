"""Accounts over HTTP: register, login, viewer, logout, sessions, throttling, bad tokens."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from api.core.auth import TokenClaims, issue_token
from tests.conftest import TEST_SECRET, GraphQLClient

REGISTER = """
mutation Register($input: RegisterInput!) {
  register(input: $input) {
    account { id email name isStaff }
    userErrors { field code message }
  }
}
"""

LOGIN = """
mutation Login($input: LoginInput!) {
  login(input: $input) {
    token
    expiresAt
    account { id email }
    userErrors { field code message }
  }
}
"""

VIEWER = """
query Viewer { viewer { id email name } }
"""

LOGOUT = """
mutation Logout($input: LogoutInput) {
  logout(input: $input) { revokedSessions userErrors { code message } }
}
"""

SESSIONS = """
query Sessions($first: Int, $after: String) {
  viewer {
    sessions(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage endCursor }
      edges { cursor node { id userAgent isCurrent } }
    }
  }
}
"""

REVOKE_SESSION = """
mutation Revoke($input: RevokeSessionInput!) {
  revokeSession(input: $input) { revokedSessionId userErrors { field code message } }
}
"""

NODE = """
query Node($id: ID!) { node(id: $id) { id ... on Account { email name } } }
"""

REGISTER_SIGNED_IN = """
mutation Register($input: RegisterInput!) {
  register(input: $input) {
    token
    expiresAt
    account { id }
    userErrors { field code message }
  }
}
"""

PASSWORD = "correct horse battery"


def register(graphql: GraphQLClient, email: str = "ada@example.org", name: str = "Ada") -> dict:
    payload = graphql.data(
        REGISTER, {"input": {"email": email, "password": PASSWORD, "name": name}}
    )["register"]
    assert payload["userErrors"] == []
    return payload["account"]


def login(graphql: GraphQLClient, email: str = "ada@example.org", **kwargs) -> str:
    payload = graphql.data(LOGIN, {"input": {"email": email, "password": PASSWORD}}, **kwargs)
    assert payload["login"]["userErrors"] == []
    return payload["login"]["token"]


def test_register_login_and_viewer(graphql: GraphQLClient) -> None:
    # given a registered account
    account = register(graphql, email="  Ada@Example.org ", name="Ada Lovelace")
    assert account["email"] == "ada@example.org"
    assert account["isStaff"] is False

    # when its owner logs in and asks who they are
    token = login(graphql, email="ADA@example.org")
    viewer = graphql.data(VIEWER, token=token)["viewer"]

    # then the viewer is that account
    assert viewer == {"id": account["id"], "email": "ada@example.org", "name": "Ada Lovelace"}


def test_register_signs_the_new_account_in_with_a_real_session(graphql: GraphQLClient) -> None:
    # given someone registering
    payload = graphql.data(
        REGISTER_SIGNED_IN,
        {"input": {"email": "lin@example.org", "password": PASSWORD, "name": "Lin"}},
        headers={"User-Agent": "signup-form/1"},
    )["register"]

    # then the payload carries a token that works at once, for that account
    assert payload["userErrors"] == []
    assert payload["token"] and payload["expiresAt"]
    viewer = graphql.data(VIEWER, token=payload["token"])["viewer"]
    assert viewer["id"] == payload["account"]["id"]

    # and it is a session like login's: listed as the current one, and revocable
    sessions = graphql.data(SESSIONS, token=payload["token"])["viewer"]["sessions"]
    assert [edge["node"]["userAgent"] for edge in sessions["edges"]] == ["signup-form/1"]
    assert sessions["edges"][0]["node"]["isCurrent"] is True
    graphql.data(LOGOUT, token=payload["token"])
    assert graphql.post(VIEWER, token=payload["token"]).status_code == 401


def test_a_refused_registration_hands_out_no_token(graphql: GraphQLClient) -> None:
    payload = graphql.data(
        REGISTER_SIGNED_IN, {"input": {"email": "x", "password": PASSWORD, "name": "X"}}
    )["register"]

    assert payload["token"] is None
    assert payload["account"] is None
    assert [e["code"] for e in payload["userErrors"]] == ["INVALID_EMAIL"]


def test_anonymous_viewer_is_null(graphql: GraphQLClient) -> None:
    assert graphql.data(VIEWER) == {"viewer": None}


def test_register_reports_every_invalid_field_and_stores_nothing(graphql: GraphQLClient) -> None:
    payload = graphql.data(
        REGISTER, {"input": {"email": "not-an-email", "password": "short", "name": "  "}}
    )["register"]

    assert payload["account"] is None
    assert {(e["field"], e["code"]) for e in payload["userErrors"]} == {
        ("email", "INVALID_EMAIL"),
        ("password", "PASSWORD_TOO_SHORT"),
        ("name", "NAME_REQUIRED"),
    }
    assert all(e["message"] for e in payload["userErrors"])
    # nothing was stored: the email is still free
    register(graphql, email="not-an-email@example.org")


def test_register_refuses_a_taken_email_in_any_case(graphql: GraphQLClient) -> None:
    register(graphql, email="grace@example.org")

    payload = graphql.data(
        REGISTER, {"input": {"email": "GRACE@example.org", "password": PASSWORD, "name": "G"}}
    )["register"]

    assert payload["account"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [("email", "EMAIL_TAKEN")]


def test_wrong_password_and_unknown_email_get_the_same_clear_error(graphql: GraphQLClient) -> None:
    register(graphql)

    for email, password in [
        ("ada@example.org", "wrong password!"),
        ("nobody@example.org", PASSWORD),
    ]:
        payload = graphql.data(LOGIN, {"input": {"email": email, "password": password}})["login"]
        assert payload["token"] is None
        assert payload["account"] is None
        assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
            (None, "INVALID_CREDENTIALS")
        ]


def test_repeated_failed_logins_are_throttled_even_with_the_right_password(
    graphql: GraphQLClient,
) -> None:
    register(graphql)
    wrong = {"input": {"email": "ada@example.org", "password": "not the password"}}
    for _ in range(5):
        codes = [e["code"] for e in graphql.data(LOGIN, wrong)["login"]["userErrors"]]
        assert codes == ["INVALID_CREDENTIALS"]

    right = {"input": {"email": "ada@example.org", "password": PASSWORD}}
    payload = graphql.data(LOGIN, right)["login"]

    assert payload["token"] is None
    assert [e["code"] for e in payload["userErrors"]] == ["TOO_MANY_ATTEMPTS"]
    # another account is not affected
    register(graphql, email="grace@example.org")
    assert login(graphql, email="grace@example.org")


def test_a_successful_login_clears_earlier_failures(graphql: GraphQLClient) -> None:
    register(graphql)
    wrong = {"input": {"email": "ada@example.org", "password": "not the password"}}
    for _ in range(4):
        graphql.data(LOGIN, wrong)
    login(graphql)

    for _ in range(4):
        graphql.data(LOGIN, wrong)

    assert login(graphql)


def _assert_unauthenticated(response, reason: str) -> None:
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith('Bearer error="invalid_token"')
    body = response.json()
    assert "data" not in body
    [error] = body["errors"]
    assert error["extensions"] == {"code": "UNAUTHENTICATED", "reason": reason}
    assert error["message"]


def test_logout_revokes_the_token(graphql: GraphQLClient) -> None:
    register(graphql)
    token = login(graphql)
    other_token = login(graphql)

    payload = graphql.data(LOGOUT, token=token)["logout"]

    assert payload == {"revokedSessions": 1, "userErrors": []}
    _assert_unauthenticated(graphql.post(VIEWER, token=token), "REVOKED")
    # the other session still works
    assert graphql.data(VIEWER, token=other_token)["viewer"]["email"] == "ada@example.org"


def test_logout_of_all_sessions(graphql: GraphQLClient) -> None:
    register(graphql)
    tokens = [login(graphql) for _ in range(3)]

    payload = graphql.data(LOGOUT, {"input": {"allSessions": True}}, token=tokens[0])["logout"]

    # registering signed the account in too: its session is one of the four
    assert payload["revokedSessions"] == 4
    for token in tokens:
        _assert_unauthenticated(graphql.post(VIEWER, token=token), "REVOKED")


def test_logout_needs_a_signed_in_viewer(graphql: GraphQLClient) -> None:
    body = graphql.execute(LOGOUT)

    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert error["path"] == ["logout"]


@pytest.mark.parametrize(
    "header",
    [
        "Bearer not-a-jwt",
        "Bearer " + base64.urlsafe_b64encode(b'{"alg":"none"}').decode() + ".e30.",
        "Basic YWRhOnBhc3N3b3Jk",
        "Bearer",
        "Token abc",
    ],
)
def test_malformed_tokens_get_a_clear_error_and_nothing_else(
    graphql: GraphQLClient, header: str
) -> None:
    response = graphql.post(VIEWER, headers={"Authorization": header})

    _assert_unauthenticated(response, "MALFORMED")


def test_a_token_signed_with_another_key_is_refused(graphql: GraphQLClient) -> None:
    account = register(graphql)
    account_id = int(base64.b64decode(account["id"]).decode().split(":")[1])
    forged = issue_token(
        "some-other-secret-key-of-sufficient-length-for-hs256",
        TokenClaims(account_id, uuid.uuid4(), datetime.now(UTC) + timedelta(hours=1)),
    )

    _assert_unauthenticated(graphql.post(VIEWER, token=forged), "MALFORMED")


def test_an_expired_token_is_refused(graphql: GraphQLClient) -> None:
    register(graphql)
    token = login(graphql)
    claims = jwt.decode(token, TEST_SECRET, algorithms=["HS256"], audience="confrere")
    claims["exp"] = int((datetime.now(UTC) - timedelta(minutes=1)).timestamp())
    expired = jwt.encode(claims, TEST_SECRET, algorithm="HS256")

    _assert_unauthenticated(graphql.post(VIEWER, token=expired), "EXPIRED")


def test_a_well_signed_token_for_an_unknown_session_is_refused(graphql: GraphQLClient) -> None:
    register(graphql)
    token = login(graphql)
    claims = jwt.decode(token, TEST_SECRET, algorithms=["HS256"], audience="confrere")
    claims["jti"] = str(uuid.uuid4())

    response = graphql.post(VIEWER, token=jwt.encode(claims, TEST_SECRET, algorithm="HS256"))

    _assert_unauthenticated(response, "REVOKED")


def test_sessions_are_listed_paginated_and_revocable(graphql: GraphQLClient) -> None:
    # registering opens the first session (device-0); two logins open the others
    credentials = {"email": "ada@example.org", "password": PASSWORD, "name": "Ada"}
    registered = graphql.data(
        REGISTER_SIGNED_IN, {"input": credentials}, headers={"User-Agent": "device-0"}
    )["register"]
    tokens = [registered["token"]]
    tokens += [login(graphql, headers={"User-Agent": f"device-{i}"}) for i in range(1, 3)]
    current = tokens[2]

    first_page = graphql.data(SESSIONS, {"first": 2}, token=current)["viewer"]["sessions"]
    assert first_page["totalCount"] == 3
    assert first_page["pageInfo"]["hasNextPage"] is True
    assert first_page["pageInfo"]["hasPreviousPage"] is False
    assert [e["node"]["userAgent"] for e in first_page["edges"]] == ["device-0", "device-1"]
    assert [e["node"]["isCurrent"] for e in first_page["edges"]] == [False, False]

    after = first_page["pageInfo"]["endCursor"]
    second_page = graphql.data(SESSIONS, {"first": 2, "after": after}, token=current)["viewer"][
        "sessions"
    ]
    assert [e["node"]["userAgent"] for e in second_page["edges"]] == ["device-2"]
    assert second_page["edges"][0]["node"]["isCurrent"] is True
    assert second_page["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "endCursor": second_page["edges"][0]["cursor"],
    }

    # when the first device is signed out from the current one
    lost = first_page["edges"][0]["node"]["id"]
    payload = graphql.data(REVOKE_SESSION, {"input": {"sessionId": lost}}, token=current)
    assert payload["revokeSession"] == {"revokedSessionId": lost, "userErrors": []}
    _assert_unauthenticated(graphql.post(VIEWER, token=tokens[0]), "REVOKED")
    assert graphql.data(SESSIONS, token=current)["viewer"]["sessions"]["totalCount"] == 2

    # and revoking it again, or someone else's session, is a user error
    again = graphql.data(REVOKE_SESSION, {"input": {"sessionId": lost}}, token=current)
    assert [e["code"] for e in again["revokeSession"]["userErrors"]] == ["SESSION_NOT_FOUND"]
    register(graphql, email="mallory@example.org")
    mallory = login(graphql, email="mallory@example.org")
    theirs = first_page["edges"][1]["node"]["id"]
    stolen = graphql.data(REVOKE_SESSION, {"input": {"sessionId": theirs}}, token=mallory)
    assert [e["code"] for e in stolen["revokeSession"]["userErrors"]] == ["SESSION_NOT_FOUND"]
    assert graphql.data(VIEWER, token=tokens[1])["viewer"] is not None


def test_the_page_cap_and_bad_cursors_are_client_errors(graphql: GraphQLClient) -> None:
    register(graphql)
    token = login(graphql)

    too_many = graphql.execute(SESSIONS, {"first": 101}, token=token)
    [error] = too_many["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["maximum"] == 100

    bad_cursor = graphql.execute(SESSIONS, {"after": "bm9wZQ=="}, token=token)
    assert bad_cursor["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_node_returns_an_account_only_to_its_owner_and_staff(graphql: GraphQLClient) -> None:
    ada = register(graphql)
    register(graphql, email="grace@example.org")
    ada_token = login(graphql)
    grace_token = login(graphql, email="grace@example.org")

    assert graphql.data(NODE, {"id": ada["id"]}, token=ada_token)["node"] == {
        "id": ada["id"],
        "email": "ada@example.org",
        "name": "Ada",
    }
    assert graphql.data(NODE, {"id": ada["id"]}, token=grace_token) == {"node": None}
    assert graphql.data(NODE, {"id": ada["id"]}) == {"node": None}


def test_node_with_an_unknown_or_malformed_id_leaks_nothing(graphql: GraphQLClient) -> None:
    register(graphql)
    token = login(graphql)
    missing = base64.b64encode(b"Account:999999").decode()

    assert graphql.data(NODE, {"id": missing}, token=token) == {"node": None}
    body = graphql.execute(NODE, {"id": "%%%not-base64"}, token=token)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "Traceback" not in json.dumps(body)

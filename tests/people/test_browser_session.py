"""The browser session: `login` and `register` also set an HttpOnly, `SameSite=Lax` cookie tied
to the same revocable session row as the bearer token; that cookie authenticates only JSON
POSTs to /graphql, so a cross-site form, a `text/plain` beacon or a link (GET) acts as nobody;
`logout` clears it and revokes its session; a bearer token still wins over any cookie; an
unverified account signed in by cookie is held to the same limits as by token."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.core.auth import SESSION_COOKIE
from api.core.settings import Settings

REGISTER = """
mutation ($input: RegisterInput!) {
  register(input: $input) { token userErrors { field code message } }
}
"""
LOGIN = """
mutation ($input: LoginInput!) {
  login(input: $input) { token expiresAt userErrors { field code message } }
}
"""
LOGOUT = "mutation { logout { revokedSessions } }"
VIEWER = "query { viewer { email } }"
IMPORT_RESUME = """
mutation ($input: ImportResumeInput!) {
  importResume(input: $input) { resume { visibility } userErrors { field code message } }
}
"""

EMAIL = "ada@example.org"
PASSWORD = "a long enough password"


def post_json(http: TestClient[Any], query: str, variables: dict | None = None, **kw: Any) -> Any:
    response = http.post("/graphql", json={"query": query, "variables": variables or {}}, **kw)
    assert response.status_code == 200, response.text
    return response


def register(http: TestClient[Any], email: str = EMAIL) -> Any:
    variables = {"input": {"email": email, "password": PASSWORD, "name": "Ada Lovelace"}}
    return post_json(http, REGISTER, variables)


def login(http: TestClient[Any], email: str = EMAIL) -> Any:
    return post_json(http, LOGIN, {"input": {"email": email, "password": PASSWORD}})


def viewer_email(response: Any) -> str | None:
    viewer = response.json()["data"]["viewer"]
    return viewer["email"] if viewer else None


def set_cookie_header(response: Any) -> str:
    [header] = [
        value
        for value in response.headers.get_list("set-cookie")
        if value.startswith(f"{SESSION_COOKIE}=")
    ]
    return header


def test_login_sets_an_http_only_lax_cookie_beside_the_token(http: TestClient[Any]) -> None:
    register(http)
    http.cookies.clear()

    response = login(http)

    payload = response.json()["data"]["login"]
    assert payload["userErrors"] == []
    header = set_cookie_header(response)
    assert header.startswith(f"{SESSION_COOKIE}={payload['token']};")
    attributes = {part.strip().split("=")[0].lower() for part in header.split(";")[1:]}
    assert {"httponly", "path", "max-age", "samesite"} <= attributes
    assert "samesite=lax" in header.lower()
    assert "secure" not in attributes  # served over http://127.0.0.1 in the tests


def test_register_signs_the_browser_in(http: TestClient[Any]) -> None:
    response = register(http)

    assert SESSION_COOKIE in http.cookies
    assert response.json()["data"]["register"]["userErrors"] == []
    assert viewer_email(post_json(http, VIEWER)) == EMAIL


def test_a_failed_login_sets_no_cookie(http: TestClient[Any]) -> None:
    register(http)
    http.cookies.clear()

    response = post_json(http, LOGIN, {"input": {"email": EMAIL, "password": "wrong password"}})

    assert response.json()["data"]["login"]["userErrors"]
    assert not [v for v in response.headers.get_list("set-cookie") if SESSION_COOKIE in v]
    assert viewer_email(post_json(http, VIEWER)) is None


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8"])
def test_the_cookie_authenticates_a_json_post(http: TestClient[Any], content_type: str) -> None:
    register(http)
    body = '{"query": "query { viewer { email } }"}'

    response = http.post("/graphql", content=body, headers={"Content-Type": content_type})

    assert response.status_code == 200, response.text
    assert viewer_email(response) == EMAIL


def test_a_get_with_only_the_cookie_runs_as_anonymous(http: TestClient[Any]) -> None:
    register(http)

    response = http.get(
        "/graphql", params={"query": VIEWER}, headers={"Accept": "application/json"}
    )

    assert response.status_code == 200, response.text
    assert viewer_email(response) is None


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded", "query=query+%7B+viewer+%7B+email+%7D+%7D"),
        ("text/plain", '{"query": "query { viewer { email } }"}'),
        ("text/plain;charset=UTF-8", '{"query": "query { viewer { email } }"}'),
    ],
)
def test_a_post_a_cross_site_page_could_send_acts_as_nobody(
    http: TestClient[Any], content_type: str, body: str
) -> None:
    register(http)

    response = http.post("/graphql", content=body, headers={"Content-Type": content_type})

    # Refused, or answered as for anyone: never as the member.
    assert EMAIL not in response.text
    if response.status_code == 200:
        assert viewer_email(response) is None


def test_a_cross_site_form_cannot_act_as_the_member(http: TestClient[Any]) -> None:
    """What a hostile page's <form method=post> would send, with the member's cookie."""
    register(http)
    mutation = "mutation { logout { revokedSessions } }"

    http.post(
        "/graphql",
        content=f'{{"query": "{mutation}"}}',
        headers={"Content-Type": "text/plain", "Origin": "https://evil.example"},
    )

    assert viewer_email(post_json(http, VIEWER)) == EMAIL  # still signed in: nothing revoked


def test_logout_clears_the_cookie_and_revokes_its_session(http: TestClient[Any]) -> None:
    register(http)
    stolen = http.cookies[SESSION_COOKIE]

    response = post_json(http, LOGOUT)

    assert response.json()["data"]["logout"]["revokedSessions"] == 1
    header = set_cookie_header(response)
    assert "max-age=0" in header.lower()
    assert SESSION_COOKIE not in http.cookies
    assert viewer_email(post_json(http, VIEWER)) is None
    # The old value, replayed, is a revoked session: anonymous, not an error page.
    replayed = post_json(http, VIEWER, cookies={SESSION_COOKIE: stolen})
    assert viewer_email(replayed) is None


def test_a_bearer_token_wins_over_the_cookie(http: TestClient[Any]) -> None:
    other = register(http, "grace@example.org").json()["data"]["register"]["token"]
    register(http)  # the cookie is now Ada's

    response = post_json(http, VIEWER, headers={"Authorization": f"Bearer {other}"})

    assert viewer_email(response) == "grace@example.org"


def test_a_garbage_cookie_is_anonymous(http: TestClient[Any]) -> None:
    response = post_json(http, VIEWER, cookies={SESSION_COOKIE: "not-a-token"})

    assert viewer_email(response) is None


def test_an_unverified_member_signed_in_by_cookie_meets_the_same_limits(
    settings: Settings,
) -> None:
    """Email verification on, as every deployment has it by default."""
    http = TestClient(app=create_app(dataclasses.replace(settings, require_verified_email=True)))
    with http:
        register(http)
        variables = {"input": {"document": {"basics": {"name": "Ada"}}, "visibility": "PUBLIC"}}

        payload = post_json(http, IMPORT_RESUME, variables).json()["data"]["importResume"]

    [error] = payload["userErrors"]
    assert error["code"] == "EMAIL_NOT_VERIFIED"

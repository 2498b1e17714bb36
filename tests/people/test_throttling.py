"""Login and registration throttles over HTTP: parallel guesses, growing delays, lockout
as a weapon, trusted proxies, the owner's known places, registration enumeration."""

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

REGISTER = """
mutation ($input: RegisterInput!) {
  register(input: $input) { account { id } userErrors { field code message } }
}
"""
LOGIN = """
mutation ($input: LoginInput!) {
  login(input: $input) { token userErrors { field code message } }
}
"""
PASSWORD = "correct horse battery"
WRONG = "not the password at all"
#: The in-process test client's address; trusting it lets a test name clients in
#: X-Forwarded-For as a reverse proxy would.
TEST_CLIENT = "testclient"


@pytest.fixture
def behind_proxy(settings: Settings) -> Iterator[GraphQLClient]:
    trusting = dataclasses.replace(settings, trusted_proxies=(TEST_CLIENT,))
    with TestClient(app=create_app(trusting)) as client:
        yield GraphQLClient(client)


def register(graphql: GraphQLClient, email: str = "ada@example.org", **kwargs: Any) -> list:
    variables = {"input": {"email": email, "password": PASSWORD, "name": "Ada"}}
    return graphql.data(REGISTER, variables, **kwargs)["register"]["userErrors"]


def codes(graphql: GraphQLClient, password: str, client: str | None = None) -> list[str]:
    headers = {"X-Forwarded-For": client} if client else {}
    variables = {"input": {"email": "ada@example.org", "password": password}}
    payload = graphql.data(LOGIN, variables, headers=headers)["login"]
    return [error["code"] for error in payload["userErrors"]]


def test_parallel_guesses_cannot_slip_past_the_limit_together(graphql: GraphQLClient) -> None:
    # given an account
    assert register(graphql) == []

    # when thirty wrong passwords arrive at once
    with ThreadPoolExecutor(max_workers=30) as pool:
        answers = list(pool.map(lambda _: codes(graphql, WRONG), range(30)))

    # then only the allowed five were checked at all; the rest were refused unchecked
    checked = [a for a in answers if a == ["INVALID_CREDENTIALS"]]
    refused = [a for a in answers if a == ["TOO_MANY_ATTEMPTS"]]
    assert len(checked) == 5, answers
    assert len(refused) == 25, answers
    # and the right password is refused too while the delay runs: the answer tells nothing
    assert codes(graphql, PASSWORD) == ["TOO_MANY_ATTEMPTS"]


def test_the_refusal_says_how_long_to_wait(graphql: GraphQLClient) -> None:
    register(graphql)
    for _ in range(5):
        codes(graphql, WRONG)

    variables = {"input": {"email": "ada@example.org", "password": WRONG}}
    [error] = graphql.data(LOGIN, variables)["login"]["userErrors"]

    assert error["code"] == "TOO_MANY_ATTEMPTS"
    assert "try again in 30 seconds" in error["message"]


def test_a_stranger_guessing_elsewhere_does_not_lock_the_owner_out(
    behind_proxy: GraphQLClient,
) -> None:
    # given a stranger who used up the guesses from their own address
    register(behind_proxy)
    for _ in range(5):
        assert codes(behind_proxy, WRONG, client="203.0.113.66") == ["INVALID_CREDENTIALS"]
    assert codes(behind_proxy, WRONG, client="203.0.113.66") == ["TOO_MANY_ATTEMPTS"]

    # when the owner signs in from their own address
    # then they are let in
    assert codes(behind_proxy, PASSWORD, client="198.51.100.7") == []


def test_guesses_spread_over_many_addresses_stop_but_the_owner_gets_in_from_home(
    behind_proxy: GraphQLClient,
) -> None:
    # given the owner signed in once from home
    register(behind_proxy)
    home = "198.51.100.7"
    assert codes(behind_proxy, PASSWORD, client=home) == []

    # when twenty addresses each guess once (under each address's own limit)
    for number in range(20):
        assert codes(behind_proxy, WRONG, client=f"203.0.113.{number}") == ["INVALID_CREDENTIALS"]

    # then the account is closed to addresses its owner never used...
    assert codes(behind_proxy, PASSWORD, client="192.0.2.1") == ["TOO_MANY_ATTEMPTS"]
    # ...and still open from home
    assert codes(behind_proxy, PASSWORD, client=home) == []


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(graphql: GraphQLClient) -> None:
    # given a server that trusts no proxy
    register(graphql)

    # when a guesser claims a new address with every request
    answers = [codes(graphql, WRONG, client=f"203.0.113.{n}") for n in range(6)]

    # then every guess counts against the one real address
    assert answers[-1] == ["TOO_MANY_ATTEMPTS"]


def test_registrations_from_one_address_are_throttled(settings: Settings) -> None:
    strict = dataclasses.replace(settings, registrations_per_client=3)
    with TestClient(app=create_app(strict)) as client:
        graphql = GraphQLClient(client)
        # given three registrations from one address, one of them of a taken email
        assert register(graphql, "one@example.org") == []
        assert register(graphql, "two@example.org") == []
        assert [e["code"] for e in register(graphql, "one@example.org")] == ["EMAIL_TAKEN"]

        # when the address tries again, with a taken or a new email
        taken = register(graphql, "two@example.org")
        new = register(graphql, "three@example.org")

    # then both are refused without saying whether the email is taken
    assert [e["code"] for e in taken] == ["TOO_MANY_ATTEMPTS"]
    assert [e["code"] for e in new] == ["TOO_MANY_ATTEMPTS"]
    assert "registrations from your address" in new[0]["message"]

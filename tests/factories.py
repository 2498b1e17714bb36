"""Factories that build valid objects in one call, through the public API where it can."""

from __future__ import annotations

import base64
import itertools
import time
from dataclasses import dataclass
from typing import Any

from tests.conftest import GraphQLClient

PASSWORD = "a long enough password"
_numbers = itertools.count(1)

REGISTER = """
mutation ($input: RegisterInput!) { register(input: $input) { account { id } userErrors { code } } }
"""
LOGIN = """
mutation ($input: LoginInput!) { login(input: $input) { token userErrors { code } } }
"""
CREATE_ORGANIZATION = """
mutation ($input: CreateOrganizationInput!) {
  createOrganization(input: $input) { organization { id slug } userErrors { field code message } }
}
"""
JOIN = """
mutation ($input: OrganizationIdInput!) {
  joinOrganization(input: $input) { membership { id status role } userErrors { code message } }
}
"""
VERIFY = """
mutation ($input: OrganizationIdInput!) {
  verifyEmployer(input: $input) { organization { isVerified } userErrors { code message } }
}
"""
REQUEST_CONNECTION = """
mutation ($input: RequestConnectionInput!) {
  requestConnection(input: $input) { connection { id status } userErrors { code message } }
}
"""
ACCEPT_CONNECTION = """
mutation ($input: AnswerConnectionInput!) {
  acceptConnection(input: $input) { connection { id status } userErrors { code message } }
}
"""
IMPORT_RESUME = """
mutation ($input: ImportResumeInput!) {
  importResume(input: $input) { resume { id visibility } userErrors { field code message } }
}
"""


def global_id(type_name: str, node_id: int | str) -> str:
    return base64.b64encode(f"{type_name}:{node_id}".encode()).decode()


def database_id(gid: str) -> int:
    return int(base64.b64decode(gid).decode().split(":", 1)[1])


@dataclass
class Member:
    """A signed-in person: their token, account id and person (profile) id."""

    email: str
    token: str
    account_id: int

    @property
    def person_id(self) -> str:
        return global_id("Person", self.account_id)


def member(graphql: GraphQLClient, name: str = "Person", *, staff: bool = False) -> Member:
    email = f"{name.lower().replace(' ', '.')}.{next(_numbers)}@example.org"
    if staff:
        _create_staff(graphql, email, name)
    else:
        payload = graphql.data(
            REGISTER, {"input": {"email": email, "password": PASSWORD, "name": name}}
        )["register"]
        assert payload["userErrors"] == [], payload
    login = graphql.data(LOGIN, {"input": {"email": email, "password": PASSWORD}})["login"]
    assert login["userErrors"] == [], login
    viewer = graphql.data("{ viewer { id } }", token=login["token"])["viewer"]
    return Member(email=email, token=login["token"], account_id=database_id(viewer["id"]))


def _create_staff(graphql: GraphQLClient, email: str, name: str) -> None:
    """Staff accounts are made by the CLI's service call, never by `register`."""
    from api.people import service

    async def create() -> None:
        await service.register(email=email, password=PASSWORD, name=name, is_staff=True)

    graphql.http.blocking_portal.call(create)


def organization(
    graphql: GraphQLClient, owner: Member, name: str, kind: str = "CLUB", **fields: Any
) -> str:
    variables = {"input": {"name": name, "kind": kind, "joinPolicy": "OPEN", **fields}}
    payload = graphql.data(CREATE_ORGANIZATION, variables, token=owner.token)["createOrganization"]
    assert payload["userErrors"] == [], payload
    return payload["organization"]["id"]


def join(graphql: GraphQLClient, person: Member, organization_id: str) -> dict[str, Any]:
    payload = graphql.data(JOIN, {"input": {"organizationId": organization_id}}, token=person.token)
    return payload["joinOrganization"]


def verify_employer(graphql: GraphQLClient, staff: Member, organization_id: str) -> None:
    payload = graphql.data(
        VERIFY, {"input": {"organizationId": organization_id}}, token=staff.token
    )["verifyEmployer"]
    assert payload["userErrors"] == [], payload


def connect(graphql: GraphQLClient, first: Member, second: Member) -> None:
    asked = graphql.data(
        REQUEST_CONNECTION, {"input": {"personId": second.person_id}}, token=first.token
    )["requestConnection"]
    assert asked["userErrors"] == [], asked
    accepted = graphql.data(
        ACCEPT_CONNECTION,
        {"input": {"connectionId": asked["connection"]["id"]}},
        token=second.token,
    )["acceptConnection"]
    assert accepted["connection"]["status"] == "ACCEPTED", accepted


def import_resume(
    graphql: GraphQLClient, owner: Member, document: dict[str, Any], visibility: str = "PUBLIC"
) -> str:
    payload = graphql.data(
        IMPORT_RESUME,
        {"input": {"document": document, "visibility": visibility}},
        token=owner.token,
    )["importResume"]
    assert payload["userErrors"] == [], payload
    return payload["resume"]["id"]


def settle(graphql: GraphQLClient, timeout: float = 10.0) -> None:
    """Wait until the in-process indexer has applied every outbox row to every index (so its
    background statements are not counted, and searches see every write)."""
    from api.core.indexing import latest_sequence

    indexes = graphql.http.app.state.search.values()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        latest = graphql.http.blocking_portal.call(latest_sequence)
        if all(index.last_sequence() >= latest for index in indexes):
            return
        time.sleep(0.02)
    raise AssertionError("the indexer did not catch up")

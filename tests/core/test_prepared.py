"""Prepared reads (`api.core.prepared`): the rows of each are the rows its builder's own
Piccolo query gives, on SQLite and PostgreSQL, for every shape; values it cannot take as
they are, and builders it cannot prepare, are refused by name."""

from __future__ import annotations

import inspect
import re
import typing
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from piccolo.query.methods.select import Select

import api.schema  # noqa: F401  (every capability's prepared reads join READS)
from api.core.db import write_transaction
from api.core.prepared import READS, prepared
from api.networks.tables import Membership, MembershipStatus
from api.people.tables import Account, AccountSession
from tests.conftest import GraphQLClient
from tests.factories import (
    Member,
    connect,
    database_id,
    employer,
    import_resume,
    job,
    join,
    member,
    organization,
)

BLOCK = """
mutation ($input: PersonIdInput!) { blockPerson(input: $input) { userErrors { code } } }
"""
EXCLUDE = """
mutation ($input: SetResumeExclusionsInput!) {
  setResumeExclusions(input: $input) { userErrors { code } }
}
"""


@prepared
def _member_accounts(organization_id: int, statuses: list[str]) -> Select:
    return Membership.select(Membership.account, Membership.status).where(
        (Membership.organization == organization_id) & Membership.status.is_in(statuses)
    )


@prepared
def _members(organization_id: int, *, active_only: bool) -> Select:
    query = Membership.select(Membership.account).where(Membership.organization == organization_id)
    return query.where(Membership.status == "ACTIVE") if active_only else query


def _application_reads() -> list[Any]:
    return [read for read in READS if read.__module__.startswith("api.")]


def _arguments(
    read: Any, accounts: list[int], sessions: list[uuid.UUID]
) -> list[tuple[list[Any], dict[str, Any]]]:
    """Calls of `read` from its builder's signature: every account alone and all together,
    each list and each branch given and left out in turn. The accounts' ids stand for any
    ids: organizations and postings of those numbers exist."""
    hints = typing.get_type_hints(read.__wrapped__, globalns=vars(inspect.getmodule(read)))
    parameters = inspect.signature(read.__wrapped__).parameters.values()
    calls: list[tuple[list[Any], dict[str, Any]]] = []
    for n, (account, session) in enumerate(zip(accounts, sessions, strict=True)):
        values: list[Any] = []
        branches: dict[str, Any] = {}
        for parameter in parameters:
            annotation = hints[parameter.name]
            if parameter.kind is parameter.KEYWORD_ONLY:
                if annotation is bool:
                    branches[parameter.name] = n // 2 % 2 == 1
                elif annotation is int:
                    branches[parameter.name] = 2 + n
                else:
                    raise AssertionError(f"{read.__name__}: no branch for {annotation}")
            elif annotation is int:
                values.append(account)
            elif annotation == list[int]:
                values.append([account] if n % 2 else accounts)
            elif annotation == list[str]:
                values.append([] if n % 2 else ["PUBLISHED", "ON_SITE", "REMOTE", "ACTIVE"])
            elif annotation == list[datetime]:
                values.append([datetime(2000, 1, 1, tzinfo=UTC)] if n % 2 else [])
            elif annotation is uuid.UUID:
                values.append(session)
            else:
                raise AssertionError(f"{read.__name__}: no sample for {annotation}")
        calls.append((values, branches))
    return calls


def test_each_read_gives_its_builder_s_rows(graphql: GraphQLClient) -> None:
    ada, grace, linus = member(graphql, "Ada"), member(graphql, "Grace"), member(graphql, "Linus")
    connect(graphql, ada, grace)
    club = organization(graphql, ada, "Chess Club")
    join(graphql, grace, club)
    globex = employer(graphql, "Globex")
    graphql.data(BLOCK, {"input": {"personId": ada.person_id}}, token=linus.token)
    import_resume(graphql, ada, {"basics": {"name": "Ada", "email": "ada@example.org"}})
    graphql.data(EXCLUDE, {"input": {"organizationIds": [globex.id]}}, token=ada.token)
    job(graphql, globex)
    people = [ada, grace, linus, globex.recruiter]
    accounts = [person.account_id for person in people]

    async def compare() -> int:
        sessions = {
            row["account"]: row["token_id"]
            for row in await AccountSession.select(AccountSession.account, AccountSession.token_id)
        }
        compared = 0
        for read in _application_reads():
            for values, branches in _arguments(read, accounts, [sessions[a] for a in accounts]):
                expected = await read.__wrapped__(*values, **branches)
                assert await read(*values, **branches) == expected, (read.__name__, values)
                compared += bool(expected)
        return compared

    compared = graphql.http.blocking_portal.call(compare)

    assert len(_application_reads()) >= 10
    assert compared >= 20  # most calls found rows: the comparison is not of empty lists


def chess_club(graphql: GraphQLClient) -> tuple[Member, Member, int]:
    """Ada's club, which Grace joined: its two members and its database id."""
    ada, grace = member(graphql, "Ada"), member(graphql, "Grace")
    club = organization(graphql, ada, "Chess Club")
    join(graphql, grace, club)
    return ada, grace, database_id(club)


def test_lists_of_each_length_and_constants_read_the_right_rows(graphql: GraphQLClient) -> None:
    ada, grace, club_id = chess_club(graphql)

    async def read() -> list[Any]:
        return [
            await _member_accounts(club_id, ["ACTIVE"]),
            await _member_accounts(club_id, ["REQUESTED", "ACTIVE"]),
            await _member_accounts(club_id, ["REQUESTED"]),
            await _member_accounts(club_id + 1000, ["ACTIVE"]),
        ]

    active, both, pending, elsewhere = graphql.http.blocking_portal.call(read)

    assert sorted(row["account"] for row in active) == [ada.account_id, grace.account_id]
    assert both == active and pending == [] and elsewhere == []


def test_a_read_in_a_transaction_sees_its_writes(graphql: GraphQLClient) -> None:
    ada = member(graphql, "Ada")
    club_id = database_id(organization(graphql, ada, "Chess Club"))

    async def pend_and_read() -> list[Any]:
        async with write_transaction():
            await Membership.update({Membership.status: MembershipStatus.REQUESTED.value}).where(
                Membership.organization == club_id
            )
            inside = await _member_accounts(club_id, ["REQUESTED"])
            await Membership.update({Membership.status: MembershipStatus.ACTIVE.value}).where(
                Membership.organization == club_id
            )
        return inside

    assert graphql.http.blocking_portal.call(pend_and_read) == [
        {"account": ada.account_id, "status": "REQUESTED"}
    ]


def test_a_branch_picks_the_builder_s_shape(graphql: GraphQLClient) -> None:
    ada, grace, club_id = chess_club(graphql)

    async def read() -> list[Any]:
        await Membership.update({Membership.status: MembershipStatus.REQUESTED.value}).where(
            (Membership.organization == club_id) & (Membership.account == grace.account_id)
        )
        return [
            await _members(club_id, active_only=True),
            await _members(club_id, active_only=False),
            await _members(club_id, active_only=True),
        ]

    active, everyone, again = graphql.http.blocking_portal.call(read)

    assert active == again == [{"account": ada.account_id}]
    assert sorted(row["account"] for row in everyone) == sorted([ada.account_id, grace.account_id])


@pytest.mark.parametrize("branch", [None, MembershipStatus.ACTIVE, [1]])
def test_branches_it_cannot_key_a_shape_by_are_refused(graphql: GraphQLClient, branch: Any) -> None:
    async def read() -> Any:
        return await _members(1, active_only=branch)

    with pytest.raises(TypeError, match=r"picks its shape: a boolean, int or string, not"):
        graphql.http.blocking_portal.call(read)


@pytest.mark.parametrize("value", [MembershipStatus.ACTIVE, None, {"a": 1}])
def test_values_it_cannot_take_as_they_are_are_refused(graphql: GraphQLClient, value: Any) -> None:
    async def read() -> Any:
        return await _member_accounts(1, [value])

    with pytest.raises(TypeError, match="plain values, not " + re.escape(repr(value))):
        graphql.http.blocking_portal.call(read)


def test_builders_it_cannot_prepare_are_refused(graphql: GraphQLClient) -> None:
    @prepared
    def ignores_its_value(account_id: int) -> Select:
        return Account.select(Account.id).where(Account.id == 1)

    @prepared
    def first(account_id: int) -> Any:
        return Account.select(Account.id).where(Account.id == account_id).first()

    READS.remove(ignores_its_value)
    READS.remove(first)

    with pytest.raises(TypeError, match="must use every value"):
        graphql.http.blocking_portal.call(ignores_its_value, 1)
    with pytest.raises(TypeError, match=r"not `.first\(\)`"):
        graphql.http.blocking_portal.call(first, 1)

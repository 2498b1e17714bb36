"""Every argument the schema takes, attacked with bad values over HTTP (see generate.py).

Each case sends the values of one kind (huge ids, control characters, a million characters,
...) at one argument position, as staff (owner of the world) or as an ordinary member, and
asserts the server answers with a clear error and never a crash: no HTTP 5xx, no
INTERNAL_SERVER_ERROR, every error with an `extensions.code`. A mutation must also *refuse*
bad ids, control characters and a million characters (a userError or an error), not store
them. Cases today's code fails are listed in known.py; the PostgreSQL half runs the kinds
that differ between the databases (numbers past 64 bits, NUL characters).
"""

from __future__ import annotations

import fnmatch
import json
from typing import Any

import pytest

from tests.hostile.generate import (
    Bad,
    Case,
    Request,
    Target,
    build_request,
    cursor_templates,
    kinds_of,
    leaves,
    targets,
    value_table,
)
from tests.hostile.known import KNOWN_FAILURES
from tests.hostile.world import VIEWERS, World

#: Kinds a mutation must refuse (a userError or an error), never store.
REFUSED_BY_MUTATIONS = (
    "id:*",
    "string:nul",
    "string:control",
    "string:million",
)
#: Leaves whose text is never shown, so control characters are theirs to hold.
NOT_TEXT = ("password",)
#: The kinds that run as the ordinary member too: numbers that overflow and someone else's
#: ids, which meet the member's own paths (applying, answering, RSVPing) and permission
#: checks; text reaches the same validation as staff's, so staff's cases cover it.
MEMBER_KINDS = (
    "id:huge",
    "id:wrong-type",
    "cursor:huge",
    "cursor:negative",
    "int:huge",
    "float:huge",
)
#: The kinds that run on PostgreSQL too: what SQLite and PostgreSQL store differently.
POSTGRES_KINDS = (
    "id:huge",
    "cursor:huge",
    "cursor:negative",
    "int:huge",
    "float:huge",
    "string:nul",
    "datetime:range",
)

TARGETS = targets()
CASES = [
    Case(viewer, leaf, kind)
    for target in TARGETS
    for viewer in VIEWERS
    for leaf in leaves(target)
    for kind in kinds_of(leaf)
    if viewer == "staff" or kind in MEMBER_KINDS
]


def _marked(case: Case, database: str) -> Any:
    name = f"{database}/{case.viewer}/{case.key}"
    for reason, patterns in KNOWN_FAILURES.items():
        if any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns):
            return pytest.param(
                case, id=case.id, marks=pytest.mark.xfail(strict=True, reason=reason)
            )
    return pytest.param(case, id=case.id)


def post(world: World, request: Request, viewer: str | None) -> Any:
    body = f'{{"query": {json.dumps(request.document)}, "variables": {request.variables}}}'
    headers = {"Content-Type": "application/json"}
    token = world.token(viewer) if viewer else None
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return world.graphql.http.post("/graphql", content=body.encode(), headers=headers)


def problems_with(response: Any, case: Case | None, bad: Bad | None) -> list[str]:
    """What is wrong with the answer to one bad value (nothing: a clear answer)."""
    shown = f"{bad.kind} {bad.describe()}" if bad else "valid request"
    if response.status_code >= 500:
        return [f"{shown}: HTTP {response.status_code} {response.text[:200]}"]
    try:
        body = response.json()
    except ValueError:
        return [f"{shown}: HTTP {response.status_code} answered non-JSON {response.text[:200]!r}"]
    errors = body.get("errors") or []
    found = []
    for error in errors:
        code = (error.get("extensions") or {}).get("code")
        if code == "INTERNAL_SERVER_ERROR":
            found.append(f"{shown}: INTERNAL_SERVER_ERROR at {error.get('path')}")
        elif not isinstance(code, str) or not error.get("message"):
            found.append(f"{shown}: an error without a code or message: {error}")
    if found or case is None or errors:
        return found
    if _must_refuse(case) and not _user_errors(body.get("data")):
        found.append(f"{shown}: accepted; expected a userError or an error")
    return found


def _must_refuse(case: Case) -> bool:
    return (
        case.leaf.target.is_mutation
        and case.leaf.path[-1] not in NOT_TEXT
        and any(fnmatch.fnmatchcase(case.kind, kind) for kind in REFUSED_BY_MUTATIONS)
    )


def _user_errors(data: Any) -> list[Any]:
    if not isinstance(data, dict):
        return []
    return [error for payload in data.values() for error in (payload or {}).get("userErrors", [])]


Templates = dict[str, list[str]]


@pytest.fixture(scope="module")
def templates(sqlite_world: World) -> Templates:
    return _observed_templates(sqlite_world)


@pytest.fixture(scope="module")
def postgres_templates(postgres_world: World) -> Templates:
    return _observed_templates(postgres_world)


def _observed_templates(world: World) -> Templates:
    """Each connection's cursor format, read from the world (so a new format is attacked
    too); a connection the world leaves empty gets every format."""
    observed: Templates = {}
    for target in TARGETS:
        if target.is_mutation or "after" not in target.definition.args:
            continue
        response = post(world, build_request(target, None, None, world, "staff"), "staff")
        data = response.json().get("data") or {}
        connection = (data.get("node") or {}) if not target.is_root else data
        cursors = _cursors(connection.get(target.field))
        if cursors:
            observed[target.name] = cursor_templates(cursors, fallback=False)
    return observed


def _cursors(connection: Any) -> list[str]:
    if not isinstance(connection, dict):
        return []
    edges = [edge.get("cursor") for edge in connection.get("edges") or []]
    end = (connection.get("pageInfo") or {}).get("endCursor")
    return [cursor for cursor in [*edges, end] if isinstance(cursor, str)]


def attack(world: World, case: Case, observed: Templates, *, database: str = "sqlite") -> None:
    templates = observed.get(case.leaf.target.name) or cursor_templates([])
    table = value_table(case.leaf, world.ids[case.viewer], templates)
    found: list[str] = []
    for bad in table[case.kind]:
        if database == "postgres" and (bad.literal is not None or bad.raw is not None):
            continue  # refused or parsed before any query: the same on both databases
        request = build_request(case.leaf.target, case.leaf, bad, world, case.viewer)
        found += problems_with(post(world, request, case.viewer), case, bad)
    assert not found, "\n".join(found)


# --- the cases ----------------------------------------------------------------------------

QUERY_TARGETS = [target for target in TARGETS if not target.is_mutation]


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("target", QUERY_TARGETS, ids=lambda target: target.name)
def test_a_valid_request_answers_without_a_crash(
    sqlite_world: World, viewer: str, target: Target
) -> None:
    """The baseline every bad value is measured against; a field on a Node type must also be
    reached (its node resolves for the viewer), or its cases would attack nothing."""
    request = build_request(target, None, None, sqlite_world, viewer)
    response = post(sqlite_world, request, viewer)

    assert problems_with(response, None, None) == []
    if request.carrier:
        body = response.json()
        reached = body["data"]["node"] is not None or any(
            len(error.get("path") or []) > 1 for error in body.get("errors", [])
        )
        assert reached, (target.name, viewer, body)


@pytest.mark.parametrize("case", [_marked(case, "sqlite") for case in CASES])
def test_bad_value_on_sqlite(sqlite_world: World, templates: Templates, case: Case) -> None:
    attack(sqlite_world, case, templates)


@pytest.mark.postgres
@pytest.mark.parametrize(
    "case",
    [
        _marked(case, "postgres")
        for case in CASES
        if case.viewer == "staff" and case.kind in POSTGRES_KINDS
    ],
)
def test_bad_value_on_postgres(
    postgres_world: World, postgres_templates: Templates, case: Case
) -> None:
    attack(postgres_world, case, postgres_templates, database="postgres")


def test_every_argument_of_the_schema_is_attacked() -> None:
    """The generator finds the positions the issue names (a guard against a walk that stops)."""
    attacked = {(case.leaf.target.name, case.leaf.dotted) for case in CASES}

    for position in [
        ("Query.organizations", "after"),
        ("Query.events", "after"),
        ("Account.peopleYouMayKnow", "after"),
        ("Query.node", "id"),
        ("Query.resume", "id"),
        ("Query.job", "id"),
        ("Query.directory", "organizationId"),
        ("Query.searchCandidates", "filter.minYearsOfExperience"),
        ("Mutation.saveCandidateSearch", "input.filter.minYearsOfExperience"),
        ("Mutation.createJob", "input.locations.countryCode"),
        ("Mutation.updateProfile", "input.summary"),
    ]:
        assert position in attacked, position
    assert len({leaf for target in TARGETS for leaf in leaves(target)}) > 250

"""The machinery the argument tests share: the cases, how one is attacked, and what counts
as a clear answer (see test_arguments.py for the SQLite run, test_arguments_postgres.py for
PostgreSQL's; they are two modules so only one app, and one database engine, is alive at a
time: Piccolo's engine is process-wide)."""

from __future__ import annotations

import fnmatch
import json
from typing import Any

import pytest

from tests.hostile.generate import (
    ANONYMOUS_TARGETS,
    Bad,
    Case,
    Request,
    build_request,
    cursor_templates,
    kinds_of,
    leaves,
    targets,
    value_table,
)
from tests.hostile.known import reason_for
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
#: The kinds that run on PostgreSQL too: what SQLite and PostgreSQL store differently
#: (integer ranges, and NUL, which PostgreSQL refuses in text). Floats and dates fail or
#: pass in Python before any query, the same on both.
POSTGRES_KINDS = (
    "id:huge",
    "cursor:huge",
    "cursor:negative",
    "int:huge",
    "string:nul",
)

TARGETS = targets()
CASES = [
    Case(viewer, leaf, kind)
    for target in TARGETS
    for viewer in (("anonymous",) if target.name in ANONYMOUS_TARGETS else VIEWERS)
    for leaf in leaves(target)
    for kind in kinds_of(leaf)
    if viewer != "member" or kind in MEMBER_KINDS
]


def marked(case: Case, database: str) -> Any:
    reason = reason_for(f"{database}/{case.viewer}/{case.key}")
    if reason is None:
        return pytest.param(case, id=case.id)
    return pytest.param(case, id=case.id, marks=pytest.mark.xfail(strict=True, reason=reason))


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


def observed_templates(world: World) -> Templates:
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

"""A schema-driven fuzz run: schemathesis (through hypothesis-graphql) writes documents for
every root field from the schema, with arguments drawn at random, and each goes to the
server over HTTP as an anonymous visitor, as staff or as an ordinary member of a small
world. No answer may be a server error: no HTTP 5xx and no INTERNAL_SERVER_ERROR.

Bounded: EXAMPLES documents per field (`CONFRERE_FUZZ_EXAMPLES`, 5 by default), and
derandomized so CI repeats the same run; `CONFRERE_FUZZ_RANDOM=1` explores afresh each run,
for a person at a desk. A failure prints the document that caused it.
"""

from __future__ import annotations

import base64
import json
import os
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import graphql
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.graphql import nodes

from tests.hostile.generate import NODE_TYPES, SCHEMA
from tests.hostile.world import World

#: Documents per root field; about 100 fields, so several hundred requests in all.
EXAMPLES = int(os.environ.get("CONFRERE_FUZZ_EXAMPLES", "5"))
RANDOM = bool(os.environ.get("CONFRERE_FUZZ_RANDOM"))
#: These would sign the fuzzing viewers out (or revoke their sessions), ending the run's
#: signed-in half; they are fuzzed anonymously only.
ANONYMOUS_ONLY = ("Mutation.logout", "Mutation.revokeSession")


def _global_id(type_name: str, key: Any) -> str:
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()


#: Ids of objects that exist (a fresh database numbers from 1), of the wrong type, out of
#: range, and junk.
global_ids = st.one_of(
    st.builds(_global_id, st.sampled_from(NODE_TYPES), st.integers(1, 8)),
    st.builds(_global_id, st.sampled_from(NODE_TYPES), st.integers(-(2**70), 2**70)),
    st.builds(_global_id, st.sampled_from(NODE_TYPES), st.text(max_size=5)),
    st.text(max_size=12),
)
names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,7}", fullmatch=True)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(names, children, max_size=4),
    max_leaves=12,
)
resume_like = st.fixed_dictionaries(
    {"basics": st.fixed_dictionaries({"name": st.text(max_size=20)})},
    optional={
        "work": st.lists(
            st.fixed_dictionaries(
                {"name": st.text(max_size=10)},
                optional={"startDate": st.text(max_size=10), "position": st.text(max_size=10)},
            ),
            max_size=2,
        ),
        "skills": st.lists(st.fixed_dictionaries({"name": st.text(max_size=10)}), max_size=3),
        "title": st.text(max_size=20),
        "salary": st.text(max_size=8) | st.integers(),
    },
)
partial_dates = st.from_regex(r"-?\d{1,6}(-\d{1,2}(-\d{1,2})?)?", fullmatch=True) | st.text(
    max_size=10
)
#: With an offset (to the extremes of ±14 hours), in UTC, naive, and not a date at all.
date_times = st.one_of(
    st.datetimes(
        timezones=st.sampled_from(
            [UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-14))]
        )
    ).map(datetime.isoformat),
    st.datetimes().map(datetime.isoformat),
    st.text(max_size=25),
)


def _value_node(value: Any) -> graphql.ValueNode:
    """A JSON value as a GraphQL literal (object keys are drawn as GraphQL names)."""
    if value is None:
        return nodes.Null
    if isinstance(value, bool):
        return nodes.Boolean(value)
    if isinstance(value, int):
        return nodes.Int(value)
    if isinstance(value, float):
        return nodes.Float(value)
    if isinstance(value, str):
        return nodes.String(value)
    if isinstance(value, list):
        return nodes.List([_value_node(item) for item in value])
    return nodes.Object(
        [
            graphql.ObjectFieldNode(name=graphql.NameNode(value=key), value=_value_node(item))
            for key, item in value.items()
        ]
    )


schemathesis.graphql.scalar("ID", global_ids.map(nodes.String))
schemathesis.graphql.scalar("JSON", (json_values | resume_like).map(_value_node))
schemathesis.graphql.scalar("PartialDate", partial_dates.map(nodes.String))
schemathesis.graphql.scalar("DateTime", date_times.map(nodes.String))
schemathesis.graphql.scalar("Date", (st.dates().map(str) | st.text(max_size=12)).map(nodes.String))

FUZZED = schemathesis.graphql.from_dict(graphql.introspection_from_schema(SCHEMA))
OPERATIONS = [result.ok() for result in FUZZED.get_all_operations()]

#: Root fields whose fuzzing finds a server error today: label -> what crashes.
KNOWN_CRASHES: dict[str, str] = {}


def _param(operation: Any) -> Any:
    marks = []
    if operation.label in KNOWN_CRASHES:
        marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_CRASHES[operation.label]))
    return pytest.param(operation, id=operation.label, marks=marks)


def _server_errors(response: Any) -> list[str]:
    if response.status_code >= 500:
        return [f"HTTP {response.status_code}: {response.text[:200]}"]
    try:
        body = response.json()
    except ValueError:
        return [f"HTTP {response.status_code} answered non-JSON: {response.text[:200]!r}"]
    errors = body.get("errors") or [] if isinstance(body, dict) else []
    return [
        f"INTERNAL_SERVER_ERROR at {error.get('path')}"
        for error in errors
        if (error.get("extensions") or {}).get("code") == "INTERNAL_SERVER_ERROR"
    ]


@pytest.mark.parametrize("operation", [_param(operation) for operation in OPERATIONS])
def test_fuzzed_documents_never_meet_a_server_error(sqlite_world: World, operation: Any) -> None:
    viewers = [None] if operation.label in ANONYMOUS_ONLY else [None, "staff", "member"]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=not RANDOM,
        # No shrinking: a failure shows the document as generated, and a known crash
        # costs seconds, not a minute of shrinking.
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(), viewer=st.sampled_from(viewers))
    def fuzz(case: Any, viewer: str | None) -> None:
        token = sqlite_world.token(viewer) if viewer else None
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        document = case.body if isinstance(case.body, str) else case.body["query"]
        response = sqlite_world.graphql.http.post(
            "/graphql", content=json.dumps({"query": document}).encode(), headers=headers
        )
        found = _server_errors(response)
        assert not found, f"{found} for {viewer or 'anonymous'}:\n{document}"

    fuzz()


def test_the_fuzzer_has_a_strategy_for_every_custom_scalar() -> None:
    """A scalar added to the schema without a strategy would stop the run at generation."""
    scalars = {
        name
        for name, type_ in SCHEMA.type_map.items()
        if isinstance(type_, graphql.GraphQLScalarType) and not name.startswith("__")
    }
    built_in = {"String", "Int", "Float", "Boolean"}
    from schemathesis.specs.graphql.scalars import CUSTOM_SCALARS

    assert scalars - built_in <= set(CUSTOM_SCALARS), scalars - built_in - set(CUSTOM_SCALARS)

"""Every argument the schema takes, attacked with bad values over HTTP (see generate.py).

Each case sends the values of one kind (huge ids, control characters, a million characters,
...) at one argument position, as staff (owner of the world) or as an ordinary member, and
asserts the server answers with a clear error and never a crash: no HTTP 5xx, no
INTERNAL_SERVER_ERROR, every error with an `extensions.code`. A mutation must also *refuse*
bad ids, control characters and a million characters (a userError or an error), not store
them. Cases today's code fails are listed in known.py; test_arguments_postgres.py runs the
kinds that differ between the databases (numbers past 64 bits, NUL characters).
"""

from __future__ import annotations

import pytest

from tests.hostile.cases import (
    CASES,
    TARGETS,
    Templates,
    attack,
    marked,
    observed_templates,
    post,
    problems_with,
)
from tests.hostile.generate import Case, Target, build_request, leaves
from tests.hostile.world import VIEWERS, World

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


@pytest.fixture(scope="module")
def templates(sqlite_world: World) -> Templates:
    return observed_templates(sqlite_world)


@pytest.mark.parametrize("case", [marked(case, "sqlite") for case in CASES])
def test_bad_value_on_sqlite(sqlite_world: World, templates: Templates, case: Case) -> None:
    attack(sqlite_world, case, templates)


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

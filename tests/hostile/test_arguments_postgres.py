"""The argument attacks on PostgreSQL: the kinds whose harm depends on the database (ids and
cursors past 64 bits, NUL characters PostgreSQL refuses in text, dates at the calendar's
edges), as staff. The rest of the table is the same on both databases and runs on SQLite
(test_arguments.py)."""

from __future__ import annotations

import pytest

from tests.hostile.cases import CASES, POSTGRES_KINDS, Templates, attack, marked, observed_templates
from tests.hostile.generate import Case
from tests.hostile.world import World


@pytest.fixture(scope="module")
def postgres_templates(postgres_world: World) -> Templates:
    return observed_templates(postgres_world)


@pytest.mark.postgres
@pytest.mark.parametrize(
    "case",
    [
        marked(case, "postgres")
        for case in CASES
        if case.viewer != "member" and case.kind in POSTGRES_KINDS
    ],
)
def test_bad_value_on_postgres(
    postgres_world: World, postgres_templates: Templates, case: Case
) -> None:
    attack(postgres_world, case, postgres_templates, database="postgres")

"""Fixtures for the hostile suite: one app and one small world per module and database, shared
by many cases (each case is its own request), so thousands of cases stay within minutes.

A module uses one of them, never both: Piccolo's database engine is process-wide, so a second
app started while the first is alive would hand the first's background tasks the other
database's pool (on another event loop; asyncpg then crashes the process)."""

from __future__ import annotations

import asyncio
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import _truncate_all
from tests.hostile.world import World, build_world, hostile_settings, running_app


@pytest.fixture(scope="module")
def sqlite_world(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[World]:
    settings = hostile_settings(tmp_path_factory.mktemp("hostile-sqlite"))
    shutil.copy(sqlite_template, settings.sqlite_path)
    with running_app(settings) as graphql:
        yield build_world(graphql)


@pytest.fixture(scope="module")
def postgres_world(tmp_path_factory: pytest.TempPathFactory, postgres_url: str) -> Iterator[World]:
    asyncio.run(_truncate_all(postgres_url))
    settings = hostile_settings(tmp_path_factory.mktemp("hostile-postgres"), postgres_url)
    with running_app(settings) as graphql:
        yield build_world(graphql)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter: Any) -> Any:
    """`-ra` would list each of the suite's hundreds of known failures (xfail) on its own line;
    list them by reason with a count instead. The totals still count every one."""
    xfailed = terminalreporter.stats.get("xfailed", [])
    hostile = [report for report in xfailed if report.nodeid.startswith("tests/hostile/")]
    terminalreporter.stats["xfailed"] = [report for report in xfailed if report not in hostile]
    try:
        return (yield)
    finally:
        terminalreporter.stats["xfailed"] = xfailed
        if hostile:
            reasons = Counter(getattr(report, "wasxfail", "") for report in hostile)
            terminalreporter.write_sep("-", "known hostile-input failures (xfail), by reason")
            for reason, count in sorted(reasons.items(), key=lambda item: -item[1]):
                terminalreporter.write_line(f"{count:5d}  {reason}")

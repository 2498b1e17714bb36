"""Fixtures for the hostile suite: one app and one small world per module and database, shared
by many cases (each case is its own request), so thousands of cases stay within minutes."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from pathlib import Path

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

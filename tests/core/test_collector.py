"""Each process of `confrere serve` tunes Python's garbage collector once its app has started
(api/core/collector.py); an app made by `create_app` alone keeps Python's defaults, and
the served app gives them back when it stops."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from api.app import create_app, create_served_app
from api.core.collector import YOUNG_THRESHOLD
from api.core.settings import Settings
from tests.conftest import TEST_SECRET


class _Cycle:
    """An object in a reference cycle: only the collector frees it."""

    def __init__(self) -> None:
        self.me = self


def _served_and_answering(client: TestClient[Any]) -> None:
    response = client.post("/graphql", json={"query": "{ jobs(first: 1) { totalCount } }"})
    assert response.status_code == 200, response.text
    assert "errors" not in response.json(), response.text


@pytest.fixture
def collector_as_python_has_it() -> Any:
    """The test starts with no frozen object and Python's young threshold, whatever ran
    before it in this process."""
    gc.unfreeze()
    before = gc.get_threshold()
    yield before
    gc.set_threshold(*before)
    gc.unfreeze()


def test_a_served_app_freezes_what_it_started_with_and_collects_the_rest(
    sqlite_settings: Settings, collector_as_python_has_it: tuple[int, ...]
) -> None:
    with TestClient(app=create_app(sqlite_settings, tuned_collector=True)) as client:
        assert gc.get_freeze_count() > 10_000  # the modules, the schema, the indexes
        assert gc.get_threshold() == (YOUNG_THRESHOLD, *collector_as_python_has_it[1:])
        _served_and_answering(client)

        # What is made after the start is still collected, cycles included.
        made_later = weakref.ref(_Cycle())
        assert made_later() is not None
        gc.collect()
        assert made_later() is None

    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == collector_as_python_has_it


def test_an_app_of_create_app_leaves_the_collector_alone(
    sqlite_settings: Settings, collector_as_python_has_it: tuple[int, ...]
) -> None:
    with TestClient(app=create_app(sqlite_settings)) as client:
        _served_and_answering(client)
        assert gc.get_freeze_count() == 0
        assert gc.get_threshold() == collector_as_python_has_it


def test_confrere_serve_makes_its_app_with_the_tuned_collector(
    sqlite_settings: Settings,
    collector_as_python_has_it: tuple[int, ...],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """`create_served_app` is the factory `confrere serve` hands uvicorn (api/cli.py): its
    settings come from the environment."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("CONFRERE_DATA_DIR", str(sqlite_settings.data_dir))
    monkeypatch.setenv("CONFRERE_SECRET_KEY", TEST_SECRET)
    with TestClient(app=create_served_app()) as client:
        _served_and_answering(client)
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == collector_as_python_has_it

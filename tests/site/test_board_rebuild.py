"""The server rebuilds the site by itself, debounced, after public data changes."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.core.settings import Settings
from tests.conftest import GraphQLClient
from tests.events.helpers import CANCEL_EVENT, create_event
from tests.factories import member, organization
from tests.site.board_helpers import Employer


@pytest.fixture
def rebuilding(settings: Settings) -> Iterator[GraphQLClient]:
    quick = dataclasses.replace(settings, site_rebuild_delay=0.3)
    with TestClient(app=create_app(quick)) as client:
        yield GraphQLClient(client)


def eventually(check: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the site was not rebuilt in time"
        time.sleep(0.2)


def test_publishing_and_closing_rebuild_the_site(rebuilding: GraphQLClient) -> None:
    http: Any = rebuilding.http
    assert http.get("/jobs/").status_code in (200, 404)  # not built yet, or empty

    # when a posting is published, its page appears without a manual build
    employer = Employer(rebuilding)
    job = employer.published(title="Rebuilt Engineer")
    eventually(lambda: http.get(f"/jobs/{job['slug']}/").status_code == 200)
    assert "Rebuilt Engineer" in http.get("/jobs/").text

    # and when it closes, the page leaves
    employer.move("closeJob", job["id"])
    eventually(lambda: http.get(f"/jobs/{job['slug']}/").status_code == 404)


def test_a_zero_delay_never_rebuilds(graphql: GraphQLClient) -> None:
    settings = graphql.http.app.state.settings
    assert settings.site_rebuild_delay == 0
    job = Employer(graphql).published(title="Unbuilt Engineer")
    time.sleep(1.5)
    assert graphql.http.get(f"/jobs/{job['slug']}/").status_code == 404
    assert not settings.site_dir.exists()


def test_new_and_cancelled_events_rebuild_the_site(rebuilding: GraphQLClient) -> None:
    http: Any = rebuilding.http
    owner = member(rebuilding)
    group = organization(rebuilding, owner, "Rebuild Meetup", "MEETUP_GROUP", joinPolicy="OPEN")

    event_id = create_event(rebuilding, owner, group, title="Rebuilt Night")
    eventually(lambda: "Rebuilt Night" in http.get("/events/").text, 20)

    cancelled = rebuilding.data(CANCEL_EVENT, {"input": {"id": event_id}}, token=owner.token)
    assert cancelled["cancelEvent"]["userErrors"] == []
    eventually(lambda: "Rebuilt Night" not in http.get("/events/").text)

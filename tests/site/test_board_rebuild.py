"""The server rebuilds the site by itself, debounced, after public data changes."""

from __future__ import annotations

import asyncio
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
from tests.factories import member, organization, settle
from tests.site.board_helpers import Employer

#: The name the server gives its site-rebuild task (api/app.py).
REBUILD_TASK = "confrere-site-rebuild"


@pytest.fixture
def rebuilding(settings: Settings) -> Iterator[GraphQLClient]:
    quick = dataclasses.replace(settings, site_rebuild_delay=0.3)
    with TestClient(app=create_app(quick)) as client:
        yield GraphQLClient(client)


def site_watchers(graphql: GraphQLClient) -> list[str]:
    """The server's tasks that watch for public changes to rebuild the site."""

    async def names() -> list[str]:
        return [t.get_name() for t in asyncio.all_tasks() if t.get_name() == REBUILD_TASK]

    return graphql.http.blocking_portal.call(names)


def eventually(check: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the site was not rebuilt in time"
        time.sleep(0.2)


def test_publishing_and_closing_rebuild_the_site(rebuilding: GraphQLClient) -> None:
    http: Any = rebuilding.http
    assert site_watchers(rebuilding) == [REBUILD_TASK]
    assert http.get("/jobs/").status_code == 404  # nothing is built before a change

    # when a posting is published, its page appears without a manual build
    employer = Employer(rebuilding)
    job = employer.published(title="Rebuilt Engineer")
    eventually(lambda: http.get(f"/jobs/{job['slug']}/").status_code == 200)
    assert "Rebuilt Engineer" in http.get("/jobs/").text

    # and when it closes, the page leaves
    employer.move("closeJob", job["id"])
    eventually(lambda: http.get(f"/jobs/{job['slug']}/").status_code == 404)


def test_a_zero_delay_never_rebuilds(graphql: GraphQLClient) -> None:
    # given a server with no rebuild delay (the tests' default): nothing watches for changes
    settings = graphql.http.app.state.settings
    assert settings.site_rebuild_delay == 0
    assert site_watchers(graphql) == []

    # when a posting is published and its outbox row applied
    job = Employer(graphql).published(title="Unbuilt Engineer")
    settle(graphql)

    # then no site was built
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

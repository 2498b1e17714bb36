"""The server keeps the site in step by itself: a posting's change page by page in the
served build, other public changes by a debounced full build."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import re
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
from tests.site.board_helpers import Employer, build, job_fields

UPDATE_JOB = """
mutation ($input: UpdateJobInput!) {
  updateJob(input: $input) { job { id } userErrors { field code message } }
}
"""

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
    eventually(lambda: "Rebuilt Night" in http.get("/events/").text)

    cancelled = rebuilding.data(CANCEL_EVENT, {"input": {"id": event_id}}, token=owner.token)
    assert cancelled["cancelEvent"]["userErrors"] == []
    eventually(lambda: "Rebuilt Night" not in http.get("/events/").text)


def _sitemap_text(http: Any) -> str:
    index = http.get("/sitemap.xml").text
    parts = re.findall(r"<sitemap><loc>https?://[^/]*(/[^<]*)</loc>", index)
    return "".join(http.get(part).text for part in parts)


def test_a_posting_s_changes_reach_the_served_site_page_by_page(
    rebuilding: GraphQLClient,
) -> None:
    # given a served site built with one posting (the employer's set-up is a full build)
    http: Any = rebuilding.http
    settings = http.app.state.settings
    employer = Employer(rebuilding)
    first = employer.published(title="Founding Engineer")
    eventually(lambda: http.get(f"/jobs/{first['slug']}/").status_code == 200)
    served = os.path.realpath(settings.site_dir)

    # when another posting is published
    job = employer.published(title="Incremental Engineer")

    # then its page, the listings and the employer's page show it (each page is written
    # atomically, one after the other: each is awaited)
    eventually(lambda: http.get(f"/jobs/{job['slug']}/").status_code == 200)
    eventually(lambda: "Incremental Engineer" in http.get("/jobs/").text)
    eventually(lambda: "Incremental Engineer" in http.get("/jobs/locations/de-berlin/").text)
    eventually(lambda: "Open positions (2)" in http.get("/organizations/globex/").text)
    eventually(lambda: f"/jobs/{job['slug']}/</loc>" in _sitemap_text(http))
    assert os.path.realpath(settings.site_dir) == served

    # when it is renamed and made remote, its page and the listings follow
    fields = {"id": job["id"], **job_fields(title="Renamed Engineer", workplaceType="REMOTE")}
    changed = rebuilding.data(UPDATE_JOB, {"input": fields}, token=employer.recruiter.token)[
        "updateJob"
    ]
    assert changed["userErrors"] == [], changed
    eventually(lambda: "Renamed Engineer" in http.get(f"/jobs/{job['slug']}/").text)
    eventually(lambda: "Renamed Engineer" in http.get("/jobs/").text)
    eventually(lambda: "Renamed Engineer" in http.get("/jobs/workplace/remote/").text)
    eventually(lambda: "Incremental Engineer" not in http.get("/jobs/workplace/hybrid/").text)
    assert "Founding Engineer" in http.get("/jobs/workplace/hybrid/").text
    eventually(lambda: ">Remote</a> (1)" in http.get("/jobs/workplace/").text)

    # and when it closes, it leaves its page, the listings, the employer's page, the sitemap
    employer.move("closeJob", job["id"])
    eventually(lambda: http.get(f"/jobs/{job['slug']}/").status_code == 404)
    eventually(lambda: "Renamed Engineer" not in http.get("/jobs/").text)
    eventually(lambda: "Open positions (1)" in http.get("/organizations/globex/").text)
    eventually(lambda: f"/jobs/{job['slug']}/</loc>" not in _sitemap_text(http))
    assert "Founding Engineer" in http.get("/jobs/").text
    # all along, the build served was the one the set-up built: no full build ran
    assert os.path.realpath(settings.site_dir) == served


def test_a_server_continues_from_a_build_run_beside_it(settings: Settings) -> None:
    # given a server whose full rebuilds wait an hour, and a site built beside it, as
    # `confrere site build` does
    patient = dataclasses.replace(settings, site_rebuild_delay=3600)
    with TestClient(app=create_app(patient)) as client:
        graphql = GraphQLClient(client)
        http: Any = client
        employer = Employer(graphql)
        build(graphql)
        served = os.path.realpath(patient.site_dir)

        # when a posting is published
        job = employer.published(title="Beside Engineer")

        # then its page comes at once, into that build: the server went on from what it
        # rendered rather than waiting for its next full build
        eventually(lambda: http.get(f"/jobs/{job['slug']}/").status_code == 200)
        # (the posting's page is written before the pages that list it)
        eventually(lambda: "Beside Engineer" in http.get("/organizations/globex/jobs/").text)
        assert os.path.realpath(patient.site_dir) == served

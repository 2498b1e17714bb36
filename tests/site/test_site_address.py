"""The site's address follows the server: `confrere site build` and `confrere serve` name the
host and port being served (CONFRERE_HOST, CONFRERE_PORT, --host, --port) in canonical
links, the sitemap, JSON-LD, the `url` fields and calendars, unless CONFRERE_SITE_URL is set;
a server started on another address than the site was built for rebuilds it."""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import icalendar
import pytest

from api.core.settings import Settings, SettingsError
from api.site.build import built_for
from tests.conftest import LiveServer, _free_port, confrere_command
from tests.site.test_browser import Site

ROOT = Path(__file__).resolve().parents[2]
JOB = "query ($id: ID!) { job(id: $id) { url } }"
EVENTS = "{ events(first: 5) { edges { node { id url calendarPath } } } }"
CREATE_EVENT = """
mutation ($input: CreateEventInput!) {
  createEvent(input: $input) { event { id } userErrors { field code message } }
}
"""


@pytest.mark.parametrize(
    ("environment", "site_url"),
    [
        ({}, "http://127.0.0.1:8000/"),
        ({"CONFRERE_PORT": "9000"}, "http://127.0.0.1:9000/"),
        ({"CONFRERE_HOST": "localhost", "CONFRERE_PORT": "9000"}, "http://localhost:9000/"),
        ({"CONFRERE_HOST": "0.0.0.0", "CONFRERE_PORT": "9000"}, "http://127.0.0.1:9000/"),  # noqa: S104
        ({"CONFRERE_HOST": "::", "CONFRERE_PORT": "9000"}, "http://127.0.0.1:9000/"),
        ({"CONFRERE_HOST": "::1"}, "http://[::1]:8000/"),
        (
            {"CONFRERE_PORT": "9000", "CONFRERE_SITE_URL": "https://jobs.example.org/board"},
            "https://jobs.example.org/board/",
        ),
    ],
)
def test_the_site_address_follows_the_served_host_and_port(
    environment: dict[str, str], site_url: str
) -> None:
    settings = Settings.from_environment(environment)

    assert settings.site_url == site_url
    assert settings.site_url_given == ("CONFRERE_SITE_URL" in environment)


@pytest.mark.parametrize("port", ["0", "99999", "http", "-1"])
def test_a_port_that_is_not_one_is_refused(port: str) -> None:
    with pytest.raises(SettingsError, match="CONFRERE_PORT"):
        Settings.from_environment({"CONFRERE_PORT": port})


def test_make_run_builds_the_site_for_the_address_it_serves() -> None:
    # when `PORT=9000 HOST=0.0.0.0 make run` is planned (make -n runs nothing)
    planned = subprocess.run(
        ["make", "-n", "run", "PORT=9000", "HOST=0.0.0.0"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()

    # then the site is built for the address that is then served
    [build] = [line for line in planned if "confrere site build" in line]
    [serve] = [line for line in planned if "confrere serve" in line]
    assert "CONFRERE_HOST=0.0.0.0" in build and "CONFRERE_PORT=9000" in build
    assert "--host 0.0.0.0" in serve and "--port 9000" in serve


@contextmanager
def serving(environment: dict[str, str], port: int, log: Path) -> Iterator[str]:
    """`confrere serve --port <port>` on the given data dir, until the block ends."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            confrere_command("serve", "--host", "127.0.0.1", "--port", str(port)),
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert process.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)


def _canonical(page: str) -> str:
    found = re.search(r'<link rel="canonical" href="([^"]*)"', page)
    assert found is not None
    return found.group(1)


def test_a_site_built_and_served_on_a_port_names_that_port_everywhere(
    live_server: LiveServer, tmp_path: Path
) -> None:
    # given a posting and an event on a server, and the site built for port 8000 (no
    # CONFRERE_PORT in the environment)
    site = Site(live_server)
    portly = site.employer("Portly")
    recruiter, employer = portly.recruiter, portly.organization_id
    slug = site.published_job(portly, title="Port Engineer", workplaceType="REMOTE")["slug"]
    starts = "2031-01-14T18:30:00+01:00"
    created = site.data(
        CREATE_EVENT,
        {
            "input": {
                "organizationId": employer, "title": "Port Night", "kind": "MEETUP",
                "format": "IN_PERSON", "startsAt": starts, "endsAt": "2031-01-14T20:30:00+01:00",
                "timeZone": "Europe/Berlin", "venue": "Dock 9",
            }
        },
        recruiter,
    )["createEvent"]  # fmt: skip
    assert created["userErrors"] == [], created
    environment = {**live_server.environment}
    environment.pop("CONFRERE_PORT", None)
    environment.pop("CONFRERE_SITE_URL", None)
    subprocess.run(
        confrere_command("site", "build"), env=environment, check=True, capture_output=True
    )
    data_dir = Path(environment["CONFRERE_DATA_DIR"])
    assert built_for(data_dir / "site") == "http://127.0.0.1:8000/"
    site.close()
    live_server.process.terminate()
    live_server.process.wait(timeout=10)

    # when the server is started on another port
    port = _free_port()
    address = f"http://127.0.0.1:{port}/"
    with serving(environment, port, tmp_path / "moved.log") as url:
        # then it rebuilds the site for its own address at once
        deadline = time.monotonic() + 60
        while built_for(data_dir / "site") != address:
            assert time.monotonic() < deadline, (tmp_path / "moved.log").read_text()
            time.sleep(0.2)
        assert "rebuilding it for" in (tmp_path / "moved.log").read_text()

        # and canonical links, the sitemap and the JSON-LD name it
        job_page = httpx.get(f"{url}/jobs/{slug}/").text
        assert _canonical(job_page) == f"{address}jobs/{slug}/"
        [posting] = [
            json.loads(text)
            for text in re.findall(r'<script type="application/ld\+json">(.*?)</script>', job_page)
        ]
        assert posting["url"] == f"{address}jobs/{slug}/"
        assert posting["hiringOrganization"]["url"] == f"{address}organizations/portly/"
        index = httpx.get(f"{url}/sitemap.xml").text
        parts = re.findall(r"<sitemap><loc>(.*?)</loc>", index)
        assert parts and all(part.startswith(address) for part in parts)
        sitemap = "".join(httpx.get(part).text for part in parts)
        assert f"<loc>{address}jobs/{slug}/</loc>" in sitemap
        assert "127.0.0.1:8000" not in index + sitemap
        assert f"Sitemap: {address}sitemap.xml" in httpx.get(f"{url}/robots.txt").text
        # and so do the API's url fields and the event's calendar, whose URL is its page
        body = httpx.post(f"{url}/graphql", json={"query": EVENTS}).json()
        [event] = [edge["node"] for edge in body["data"]["events"]["edges"]]
        assert event["url"].startswith(f"{address}events/port-night-")
        calendar = httpx.get(f"{url}{event['calendarPath']}")
        [vevent] = icalendar.Calendar.from_ical(calendar.content).walk("VEVENT")
        assert str(vevent["URL"]) == event["url"]
        assert httpx.get(event["url"]).status_code == 200

    # and `confrere site build` with CONFRERE_PORT names that port
    subprocess.run(
        confrere_command("site", "build"),
        env={**environment, "CONFRERE_PORT": "9123"},
        check=True,
        capture_output=True,
    )
    assert built_for(data_dir / "site") == "http://127.0.0.1:9123/"
    page = (data_dir / "site" / "jobs" / slug / "index.html").read_text()
    assert _canonical(page) == f"http://127.0.0.1:9123/jobs/{slug}/"

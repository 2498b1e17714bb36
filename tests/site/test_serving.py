"""The served site: board pages under `/events/` and `/organizations/` share their prefixes
with API files (.ics calendars, directory exports); both must answer."""

from __future__ import annotations

from typing import Any

import icalendar
import pytest

from tests.conftest import GraphQLClient
from tests.factories import import_resume, member, organization
from tests.site.board_helpers import Employer, build, upcoming_event

ORGANIZATION_SLUG = "query ($id: ID!) { node(id: $id) { ... on Organization { slug } } }"


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_board_pages_and_api_files_share_their_prefixes(graphql: GraphQLClient) -> None:
    http: Any = graphql.http
    owner = member(graphql)
    group = organization(graphql, owner, "Served Meetup", "MEETUP_GROUP", joinPolicy="OPEN")
    event = upcoming_event(graphql, owner, group, title="Served Night")
    slug = graphql.data(
        "query ($id: ID!) { node(id: $id) { ... on Organization { slug } } }", {"id": group}
    )["node"]["slug"]
    site = build(graphql)
    [event_page] = [p.parent.name for p in (site / "events").glob("*/index.html")]

    # the site's pages
    assert "Served Night" in http.get("/events/").text
    assert "Served Night" in http.get(f"/events/{event_page}/").text
    assert "Served Meetup" in http.get("/organizations/").text
    assert "Served Meetup" in http.get(f"/organizations/{slug}/").text
    moved = http.get(f"/organizations/{slug}", follow_redirects=False)
    assert moved.status_code == 301
    assert moved.headers["location"] == f"/organizations/{slug}/"
    missing = ("/events/no-such-event/", "/organizations/no-such/", "/events/../secret_key")
    assert {path: http.get(path).status_code for path in missing} == dict.fromkeys(missing, 404)

    # and the API's files under the same prefixes
    calendar = http.get(f"/events/{event['id']}.ics")
    assert calendar.status_code == 200
    assert calendar.headers["content-type"].startswith("text/calendar")
    [vevent] = icalendar.Calendar.from_ical(calendar.content).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Served Night"
    assert http.get(f"/organizations/{slug}/calendar.ics").status_code == 200
    assert http.get(f"/organizations/{slug}/directory.csv").status_code == 401


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_every_kind_of_page_is_served_with_its_content_type(graphql: GraphQLClient) -> None:
    # given a site with a posting, a person, an organization and an event
    http: Any = graphql.http
    employer = Employer(graphql)
    job = employer.published()
    upcoming_event(graphql, employer.recruiter, employer.organization, title="Typed Night")
    import_resume(graphql, member(graphql, "Tia"), {"basics": {"name": "Tia Typed"}})
    site = build(graphql)
    [person] = [p.parent.name for p in (site / "people").glob("*/index.html")]
    [event] = [p.parent.name for p in (site / "events").glob("*/index.html")]
    pages = [
        "/",
        f"/jobs/{job['slug']}/",
        f"/people/{person}/",
        "/organizations/globex/",
        f"/events/{event}/",
        "/jobs/",
        "/jobs/locations/",
        "/jobs/locations/de-berlin/",
        "/jobs/workplace/hybrid/",
        "/organizations/globex/jobs/",
        "/people/",
        "/organizations/",
        "/events/",
        "/guides/employers/",
        "/api/reference/",
        "/api/reference/query/",
    ]
    files = {
        "/sitemap.xml": ("application/xml", "text/xml"),
        "/assets/board.css": ("text/css",),
        "/assets/board.js": ("text/javascript", "application/javascript"),
        "/search/search_index.json": ("application/json",),
        "/robots.txt": ("text/plain",),
    }

    # when each is fetched, then a page is HTML to show inline, never a file to download
    def served(path: str) -> tuple[int, str, str]:
        response = http.get(path)
        disposition = response.headers.get("content-disposition", "")
        return response.status_code, response.headers["content-type"], disposition

    assert {path: served(path) for path in pages} == {
        path: (200, "text/html; charset=utf-8", 'inline; filename="index.html"') for path in pages
    }
    # and every other file has the type its name says (some names have two, by platform)
    answered = {path: served(path) for path in files}
    assert {path: status for path, (status, _, _) in answered.items()} == dict.fromkeys(files, 200)
    assert [
        (path, kind)
        for path, (_, kind, _) in answered.items()
        if kind.split(";")[0] not in files[path]
    ] == []
    # a missing page under either prefix is the site's 404 page, as HTML
    missing = ("/organizations/none/", "/events/none/", "/jobs/none/")
    assert {path: served(path)[:2] for path in missing} == dict.fromkeys(
        missing, (404, "text/html; charset=utf-8")
    )

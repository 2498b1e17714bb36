"""The served site: board pages under `/events/` and `/organizations/` share their prefixes
with API files (.ics calendars, directory exports); both must answer."""

from __future__ import annotations

from typing import Any

import icalendar
import pytest

from tests.conftest import GraphQLClient
from tests.factories import member, organization
from tests.site.board_helpers import build, upcoming_event


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
    for missing in ("/events/no-such-event/", "/organizations/no-such/", "/events/../secret_key"):
        assert http.get(missing).status_code == 404

    # and the API's files under the same prefixes
    calendar = http.get(f"/events/{event['id']}.ics")
    assert calendar.status_code == 200
    assert calendar.headers["content-type"].startswith("text/calendar")
    [vevent] = icalendar.Calendar.from_ical(calendar.content).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Served Night"
    assert http.get(f"/organizations/{slug}/calendar.ics").status_code == 200
    assert http.get(f"/organizations/{slug}/directory.csv").status_code == 401

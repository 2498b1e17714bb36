"""The plain HTTP routes and the GraphQL endpoint's own parsing, attacked: bad query
parameters on the Atom feed, bad ids and slugs in the iCalendar and directory-export paths,
request bodies that are valid JSON but not a GraphQL request, and stored text the XML and
iCalendar writers must cope with. Never a 5xx; a writer's output always parses."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import quote

import icalendar
import pytest

from tests.hostile.world import World

UPDATE_JOB = """
mutation ($input: UpdateJobInput!) { updateJob(input: $input) { userErrors { code } } }
"""
UPDATE_EVENT = """
mutation ($input: UpdateEventInput!) { updateEvent(input: $input) { userErrors { code } } }
"""
EVENT = """
query ($id: ID!) {
  event(id: $id) { title kind format startsAt endsAt timeZone venue audience capacity }
}
"""
UPDATE_ORGANIZATION = """
mutation ($input: UpdateOrganizationInput!) {
  updateOrganization(input: $input) { userErrors { code } }
}
"""
JOB = "query ($id: ID!) { job(id: $id) { title locations { city countryCode } } }"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


NESTED = "(" * 250 + "a" + ")" * 250
FEED_PARAMETERS = {
    "q-nul": "q=a%00b",
    "q-control": "q=a%1Bb",
    "q-nested": "q=" + quote(NESTED),
    "q-long": "q=" + "x" * 60_000,
    "q-invalid-utf8": "q=%FF%FE",
    "q-syntax": "q=" + quote('title:"unclosed AND (OR'),
    "salary-huge": "salaryAtLeast=" + "9" * 30,
    "salary-2-63": f"salaryAtLeast={2**63}",
    "salary-negative": "salaryAtLeast=-1",
    "salary-nan": "salaryAtLeast=NaN",
    "salary-float": "salaryAtLeast=1e308",
    "salary-digits": "salaryAtLeast=" + "9" * 5000,
    "posted-since-far": "postedSince=9999-12-31T23:59:59-14:00",
    "posted-since-early": "postedSince=0001-01-01T00:00:00%2B14:00",
    "posted-since-nul": "postedSince=2026-01-01%00",
    "city-nul": "city=%00",
    "skill-nested": "skill=" + quote(NESTED),
    "workplace-nul": "workplaceType=%00",
    "repeated": "&".join(["country=DE"] * 2000),
}
EVENT_FILES = {
    "plain-huge": "9" * 23,
    "plain-2-63": str(2**63),
    "global-huge": b64(f"Event:{2**63}"),
    "global-30-digits": b64("Event:" + "9" * 30),
    "global-negative": b64("Event:-1"),
    "global-wrong-type": b64("Job:1"),
    "global-junk": "VXNlcjox",
    "nul": "%00",
    "long": "9" * 10_000,
    "unicode-digits": quote("\u0663"),
}
SLUGS = {
    "nul": "a%00b",
    "long": "x" * 10_000,
    "digits": "9" * 30,
    "traversal": "..%2F..%2Fetc",
    "unicode": quote("ünï"),
    "control": "a%1Bb",
}
ORGANIZATION_FILES = ("calendar.ics", "directory.csv", "directory.vcf")
BODIES = {
    "null": b"null",
    "string": b'"x"',
    "number": b"1",
    "true": b"true",
    "empty-array": b"[]",
    "array-of-null": b"[null]",
    "array-of-number": b"[1]",
    "query-number": b'{"query": 1}',
    "query-null": b'{"query": null}',
    "query-object": b'{"query": {"a": 1}}',
    "variables-string": b'{"query": "{ __typename }", "variables": "x"}',
    "variables-array": b'{"query": "{ __typename }", "variables": [1]}',
    "operation-name-number": b'{"query": "{ __typename }", "operationName": 1}',
    "extensions-string": b'{"query": "{ __typename }", "extensions": "x"}',
    "deep-array": b"[" * 100_000 + b"]" * 100_000,
    "deep-object": b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
    "huge-integer": b'{"query": "{ __typename }", "variables": {"a": ' + b"9" * 5000 + b"}}",
    "nan": b'{"query": "{ __typename }", "variables": {"a": NaN}}',
    "invalid-utf8": b'{"query": "\xff\xfe"}',
    "lone-surrogate": b'{"query": "{ __typename }", "variables": {"a": "\\ud800"}}',
    "nul-in-query": b'{"query": "{ __typename }\\u0000"}',
    "empty": b"",
    "not-json": b"{",
}
#: Text stored through the API that the Atom and iCalendar writers then meet.
STORED_TEXT = {
    "vertical-tab": "Tab\x0bTitle",
    "escape": "Red \x1b[31m title",
    "newline": "Two\nlines",
    "separator": "Line\u2028separator",
    "noncharacter": "Not\ufffecharacter",
    "markup": "]]></title><x>&amp;",
}


def _not_a_server_error(response: Any) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:300])


@pytest.mark.parametrize("parameters", FEED_PARAMETERS.values(), ids=FEED_PARAMETERS.keys())
def test_feed_query_parameters(sqlite_world: World, parameters: str) -> None:
    response = sqlite_world.graphql.http.get(f"/feeds/jobs.atom?{parameters}")

    _not_a_server_error(response)
    if response.status_code == 200:
        ET.fromstring(response.content)  # noqa: S314 (our own output, in a test)


@pytest.mark.parametrize("name", EVENT_FILES.values(), ids=EVENT_FILES.keys())
def test_event_calendar_ids(sqlite_world: World, name: str) -> None:
    response = sqlite_world.graphql.http.get(f"/events/{name}.ics")

    _not_a_server_error(response)
    assert response.status_code == 404


@pytest.mark.parametrize("file", ORGANIZATION_FILES)
@pytest.mark.parametrize("slug", SLUGS.values(), ids=SLUGS.keys())
def test_organization_file_slugs(sqlite_world: World, slug: str, file: str) -> None:
    headers = {"Authorization": f"Bearer {sqlite_world.staff.token}"}
    response = sqlite_world.graphql.http.get(f"/organizations/{slug}/{file}", headers=headers)

    _not_a_server_error(response)
    assert response.status_code in (400, 404)


@pytest.mark.parametrize(
    "authorization",
    ["Bearer " + "x" * 10_000, "Bearer a.b.c", "Bearer \x7f", "Basic Zm9vOmJhcg==", "Bearer"],
    ids=["long", "fake-jwt", "delete", "basic", "empty"],
)
def test_directory_export_tokens(sqlite_world: World, authorization: str) -> None:
    slug = sqlite_world.slugs["alumni"]
    response = sqlite_world.graphql.http.get(
        f"/organizations/{slug}/directory.csv", headers={"Authorization": authorization}
    )

    _not_a_server_error(response)
    assert response.status_code in (401, 403, 404)


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
def test_graphql_request_bodies(sqlite_world: World, body: bytes) -> None:
    response = sqlite_world.graphql.http.post(
        "/graphql", content=body, headers={"Content-Type": "application/json"}
    )

    _not_a_server_error(response)


@pytest.mark.parametrize(
    "query_string",
    [
        "query=%7B__typename%7D%00",
        "query=%7B__typename%7D&variables=not-json",
        "query=%7B__typename%7D&variables=null",
        "query=%7B__typename%7D&variables=%5B1%5D",
        "query=" + "%7B" * 5000,
        "query=%FF",
    ],
    ids=["nul", "variables-not-json", "variables-null", "variables-array", "deep", "bad-utf8"],
)
def test_graphql_over_get(sqlite_world: World, query_string: str) -> None:
    response = sqlite_world.graphql.http.get(f"/graphql?{query_string}")

    _not_a_server_error(response)


def _store(world: World, text: str) -> None:
    """Put `text` in the world's job title, event title and organization name, through the
    API as staff (a refusal is fine: then the writers never meet it)."""
    graphql, token = world.graphql, world.staff.token
    ids = world.ids["staff"]
    job = graphql.data(JOB, {"id": ids["Job"]}, token=token)["job"]
    graphql.data(
        UPDATE_JOB,
        {"input": {"id": ids["Job"], "title": text, "locations": job["locations"]}},
        token=token,
    )
    event = graphql.data(EVENT, {"id": ids["Event"]}, token=token)["event"]
    graphql.data(UPDATE_EVENT, {"input": {**event, "id": ids["Event"], "title": text}}, token=token)
    graphql.data(
        UPDATE_ORGANIZATION, {"input": {"organizationId": ids["club"], "name": text}}, token=token
    )


@pytest.mark.parametrize("text", STORED_TEXT.values(), ids=STORED_TEXT.keys())
def test_writers_cope_with_stored_text(sqlite_world: World, text: str) -> None:
    _store(sqlite_world, text)
    from tests.factories import settle

    settle(sqlite_world.graphql)
    http = sqlite_world.graphql.http
    event_id = sqlite_world.ids["staff"]["Event"]

    feed = http.get("/feeds/jobs.atom")
    event_file = http.get(f"/events/{event_id}.ics")
    calendar = http.get(f"/organizations/{sqlite_world.slugs['club']}/calendar.ics")

    for response in (feed, event_file, calendar):
        _not_a_server_error(response)
        assert response.status_code == 200
    ET.fromstring(feed.content)  # noqa: S314 (our own output, in a test)
    for response in (event_file, calendar):
        parsed = icalendar.Calendar.from_ical(response.content)
        for component in parsed.walk("VEVENT"):
            summary = str(component.get("SUMMARY"))
            assert not any(ord(c) < 32 and c not in "\t\n" for c in summary), summary

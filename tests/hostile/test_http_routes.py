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

from tests.factories import settle
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


#: Cases today's code fails, by test id -> why; each an xfail(strict=True), so the fix that
#: mends one fails the run until its line goes. None are known now.
KNOWN: dict[str, str] = {}


def _params(table: dict[str, Any]) -> list[Any]:
    return [
        pytest.param(
            value,
            id=name,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN[name])] if name in KNOWN else [],
        )
        for name, value in table.items()
    ]


def _not_a_server_error(response: Any) -> None:
    where = response.request.url.path[:80]
    assert response.status_code < 500, f"{where}: {response.status_code} {response.text[:200]}"


@pytest.mark.parametrize("parameters", _params(FEED_PARAMETERS))
def test_feed_query_parameters(sqlite_world: World, parameters: str) -> None:
    response = sqlite_world.graphql.http.get(f"/feeds/jobs.atom?{parameters}")

    _not_a_server_error(response)
    if response.status_code == 200:
        ET.fromstring(response.content)  # noqa: S314 (our own output, in a test)


@pytest.mark.parametrize("name", _params(EVENT_FILES))
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
    assert response.status_code == 404  # no organization has such a slug


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
    assert response.status_code == 401  # no one is signed in with such a token


@pytest.mark.parametrize("body", _params(BODIES))
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


def _writer_problems(response: Any, parse: Any) -> list[str]:
    where = response.request.url.path[:40]
    if response.status_code != 200:
        return [f"{where}: HTTP {response.status_code}"]
    try:
        parse(response.content)
    except Exception as error:  # any parser complaint is the finding
        return [f"{where}: does not parse ({type(error).__name__}: {error})"]
    return []


def _calendar_summaries(content: bytes) -> None:
    for component in icalendar.Calendar.from_ical(content).walk("VEVENT"):
        summary = str(component.get("SUMMARY"))
        if any(ord(c) < 32 and c not in "\t\n" for c in summary):
            raise ValueError(f"a control character in SUMMARY {summary!r}")


def _atom(content: bytes) -> None:
    ET.fromstring(content)  # noqa: S314 (our own output, in a test)


@pytest.mark.parametrize("text", _params(STORED_TEXT))
def test_writers_cope_with_stored_text(sqlite_world: World, text: str) -> None:
    """Whatever text the API accepted, the Atom feed and both iCalendar files still answer,
    parse, and carry no control characters (item 9: writers drop what the format cannot
    hold)."""
    _store(sqlite_world, text)
    settle(sqlite_world.graphql)
    http = sqlite_world.graphql.http
    event_id = sqlite_world.ids["staff"]["Event"]

    problems = [
        *_writer_problems(http.get("/feeds/jobs.atom"), _atom),
        *_writer_problems(http.get(f"/events/{event_id}.ics"), _calendar_summaries),
        *_writer_problems(
            http.get(f"/organizations/{sqlite_world.slugs['club']}/calendar.ics"),
            _calendar_summaries,
        ),
    ]

    assert not problems, "\n".join(problems)

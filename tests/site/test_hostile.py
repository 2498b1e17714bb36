"""Hostile user text on the public site: script tags, event handlers, `javascript:` URLs,
`</title>` and `</script>` breakouts and template syntax, planted through the API in every
field the board shows, leave no executable trace in any built page and arrive intact as
text. And private data never reaches the build."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import GraphQLClient
from tests.factories import connect, import_resume, join, member, organization
from tests.site.board_helpers import Employer, build, every_file_text, page_text, upcoming_event

TITLE = '</title><script>alert("title")</script>{{ 7*7 }}{% raw %}'
DESCRIPTION = """<script>alert("description")</script>
<img src=x onerror=alert("img")>
[click](javascript:alert("link")) <a href="javascript:alert('a')">a</a>
{{ 7*7 }} {% include "main.html" %} ${7*7}

```
</div></article><script>alert("fence")</script>
```
"""
NAME = "<img src=x onerror=alert('name')>{{ 7*7 }}"
EVIL_URL = 'https://evil.example/"onmouseover="alert(1)"<script>alert(2)</script>'
CITY = '"><svg onload=alert("city")>'
SET_EXCLUSIONS = """
mutation ($input: SetResumeExclusionsInput!) {
  setResumeExclusions(input: $input) { userErrors { code } }
}
"""


class PageScan(HTMLParser):
    """Everything in a page that could run: script elements, handlers, script URLs."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.title = ""
        self._in: str | None = None
        self._text: list[str] = []
        self._attrs: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in self.URL_ATTRIBUTES and value is not None:
                squeezed = "".join(c for c in value if c.isprintable() and not c.isspace())
                if squeezed.lower().startswith(("javascript:", "vbscript:", "data:text/html")):
                    self.problems.append(f"<{tag} {name}={value!r}>")
        if tag in ("script", "title"):
            self._in, self._text, self._attrs = tag, [], dict(attrs)
        if tag in ("iframe", "object", "embed", "base"):
            self.problems.append(f"<{tag}>")

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            text = "".join(self._text)
            if tag == "script":
                self.scripts.append((self._attrs, text))
            else:
                self.title = text
            self._in = None


def _without_base(script: str) -> str:
    """The theme's inline script with its page's relative base URL taken out."""
    return re.sub(r'new URL\("[./]*",location\)', 'new URL("",location)', script)


def scan(html: str) -> PageScan:
    parser = PageScan()
    parser.feed(html)
    parser.close()
    return parser


def json_ld_items(page: PageScan) -> list[dict[str, Any]]:
    return [
        json.loads(text)
        for attrs, text in page.scripts
        if attrs.get("type") == "application/ld+json"
    ]


@pytest.fixture
def hostile_site(graphql: GraphQLClient) -> tuple[Path, dict[str, Any]]:
    employer = Employer(graphql, name=NAME, description=DESCRIPTION, interest=TITLE)
    job = employer.published(
        title=TITLE,
        description=DESCRIPTION,
        applyUrl=EVIL_URL,
        skills=[NAME],
        identifier=TITLE[:100],
        locations=[{"city": CITY, "region": NAME, "countryCode": "DE", "address": TITLE}],
    )
    upcoming_event(
        graphql,
        employer.recruiter,
        employer.organization,
        title=TITLE,
        description=DESCRIPTION,
        venue=NAME,
        address=CITY,
    )
    seeker = member(graphql, "Hostile Seeker")
    import_resume(
        graphql,
        seeker,
        {
            "basics": {
                "name": NAME,
                "label": TITLE,
                "summary": DESCRIPTION,
                "url": "javascript:alert('basics')",
                "image": "javascript:alert('image')",
                "location": {"city": CITY, "countryCode": "DE"},
                "profiles": [{"network": NAME, "url": "javascript:alert('profile')"}],
            },
            "work": [{"name": NAME, "position": TITLE, "summary": DESCRIPTION}],
            "education": [{"institution": NAME, "area": TITLE}],
            "skills": [{"name": TITLE}],
            "languages": [{"language": NAME, "fluency": CITY}],
        },
    )
    return build(graphql), job


def test_hostile_text_leaves_no_executable_trace(hostile_site: tuple[Path, Any]) -> None:
    site, job = hostile_site
    pages = [path for path in site.rglob("*.html")]
    theme_page = scan((site / "index.html").read_text())
    theme_scripts = {
        _without_base(text) for attrs, text in theme_page.scripts if "src" not in attrs
    }
    board_pages = 0

    for path in pages:
        text = path.read_text()
        page = scan(text)
        assert page.problems == [], (path, page.problems)
        for attrs, script in page.scripts:
            kind = attrs.get("type")
            if kind == "application/ld+json":
                json.loads(script)  # whole: nothing broke out of it
                assert "</" not in script
            elif kind == "application/json":
                assert "alert" not in script, path  # the theme's configuration
            elif "src" in attrs:
                assert str(attrs["src"]).endswith(".js") and "alert" not in str(attrs["src"])
            else:
                # the theme's own inline scripts, the same on every page but for the base URL
                assert "alert" not in script, (path, script)
                assert _without_base(script) in theme_scripts, (path, script)
        if any(part in path.parts for part in ("jobs", "people", "organizations", "events")):
            board_pages += 1
            # template syntax is never evaluated: it arrives as the text that was written
            assert "49" not in page.title
    assert board_pages >= 8

    # the hostile title arrives intact as text, in <title>, in the heading and the JSON-LD
    job_page = scan(page_text(site, f"jobs/{job['slug']}"))
    assert job_page.title == f"{TITLE} - Confrere"
    [posting] = [item for item in json_ld_items(job_page) if item["@type"] == "JobPosting"]
    assert posting["title"] == TITLE
    assert posting["hiringOrganization"]["name"] == NAME
    job_html = page_text(site, f"jobs/{job['slug']}")
    assert "{{ 7*7 }}" in job_html
    assert "{% raw %}" in job_html
    # the apply URL is an attribute value, quoted and escaped: it cannot add attributes
    assert 'onmouseover="alert(1)"' not in job_html
    assert "&quot;onmouseover=&quot;alert(1)&quot;" in job_html
    # user links that are not http(s) are shown as text, never as links
    [person] = list((site / "people").glob("*/index.html"))
    person_html = person.read_text()
    assert 'href="javascript:' not in person_html
    [profile] = [i for i in json_ld_items(scan(person_html)) if i["@type"] == "ProfilePage"]
    assert "sameAs" not in profile["mainEntity"]
    assert "image" not in profile["mainEntity"]


def test_private_data_never_reaches_the_build(graphql: GraphQLClient) -> None:
    # given public data, and private data each carrying a marker of its own
    employer = Employer(graphql)
    employer.published(title="Public posting")
    club = organization(graphql, employer.recruiter, "Marker Private Club", "CLUB", isPublic=False)
    owner = member(graphql, "Owner")
    join(graphql, owner, employer.organization)
    employer.published(title="Marker members-only posting", membersOnlyOrganizationId=club)
    employer.draft(title="Marker draft posting")
    closed = employer.published(title="Marker closed posting")
    employer.move("closeJob", closed["id"])
    upcoming_event(
        graphql, employer.recruiter, employer.organization, title="Marker members event",
        audience="MEMBERS_ONLY",
    )  # fmt: skip
    upcoming_event(graphql, employer.recruiter, club, title="Marker private club event")
    friend = member(graphql, "Friend")
    connect(graphql, owner, friend)
    for visibility in ("PRIVATE", "CONNECTIONS", "MEMBERS", "EMPLOYERS"):
        import_resume(
            graphql,
            owner,
            {"basics": {"name": f"Marker {visibility} resume", "summary": f"Marker-{visibility}"}},
            visibility=visibility,
        )
    # a public resume whose owner excludes an employer is not shown to the anonymous public
    wary = member(graphql, "Wary")
    import_resume(graphql, wary, {"basics": {"name": "Marker excluded resume"}})
    payload = graphql.data(
        SET_EXCLUSIONS,
        {"input": {"organizationIds": [employer.organization]}},
        token=wary.token,
    )
    assert payload["setResumeExclusions"]["userErrors"] == []
    public = member(graphql, "Open")
    import_resume(graphql, public, {"basics": {"name": "Visible Person"}})
    # a posting of an employer the public may not see (its page could not name it)
    Employer(graphql, "Marker Hidden Employer", isPublic=False).published(
        title="Marker hidden employer posting"
    )

    # when the site is built
    site = build(graphql)

    # then the public data is there and no marker is anywhere in the build
    files = every_file_text(site)
    everything = "\n".join(files.values())
    assert "Public posting" in everything
    assert "Visible Person" in everything
    leaks = {
        path: text[text.find("Marker") - 200 :][:400]
        for path, text in files.items()
        if "Marker" in text
    }
    assert leaks == {}

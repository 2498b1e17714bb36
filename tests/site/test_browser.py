"""The public site in a real browser: the live search widget on the home page, its filters,
paging, errors and escaping, and the job page a result leads to (with its JSON-LD); every kind
of page opening as a page (screenshots at 1280 and 390 px in var/screenshots/), the header
search finding the board, and index pages listing each posting once.

Runs headless Debian Chromium (`make browser` installs it) through Playwright against a real
`confrere serve` process; skips with the reason when no browser can be launched.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.core.settings import Settings
from api.site.build import build_site
from tests.conftest import CREATE_ORGANIZATION, LiveServer, Seeder, confrere_command

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
WIDTHS = (1280, 390)
TIMEOUT_MS = 10_000

IMPORT_RESUME = """
mutation ($input: ImportResumeInput!) {
  importResume(input: $input) { resume { id } userErrors { field code message } }
}
"""
COUNTS = """
{ searchJobs { totalCount } searchCandidates { totalCount } }
"""


WIDGET = Path(__file__).resolve().parents[2] / "site" / "assets" / "board.js"


def test_the_widget_s_queries_validate_against_the_schema() -> None:
    from graphql import parse, validate

    from api.schema import schema

    documents = re.findall(r"`(query \w+[^`]*)`", WIDGET.read_text())

    assert len(documents) == 5  # jobs, candidates, a directory, the header's two
    for document in documents:
        assert validate(schema._schema, parse(document)) == []


class Site(Seeder):
    """Seeds a live server through its GraphQL API, then builds its public site."""

    def __init__(self, server: LiveServer) -> None:
        super().__init__(server)
        # `confrere site build` names the address the server answers at, as `make run` does.
        port = server.url.rsplit(":", 1)[1]
        self.environment = {**server.environment, "CONFRERE_PORT": port}

    def resume(self, owner: str, name: str, label: str, visibility: str) -> None:
        document = {
            "basics": {
                "name": name,
                "label": label,
                "summary": f"{label} who likes distributed systems.",
                "location": {"city": "Lisbon", "countryCode": "PT"},
            },
            "skills": [{"name": "Rust", "keywords": ["Tokio"]}],
        }
        variables = {"input": {"document": document, "visibility": visibility}}
        payload = self.data(IMPORT_RESUME, variables, owner)["importResume"]
        assert payload["userErrors"] == [], payload

    def wait_for_index(self, jobs: int, candidates: int) -> None:
        """The indexer applies the outbox in the background; wait until search sees it all."""
        deadline = time.monotonic() + 20
        while True:
            counts = self.data(COUNTS, {})
            seen = (counts["searchJobs"]["totalCount"], counts["searchCandidates"]["totalCount"])
            if seen == (jobs, candidates):
                return
            assert time.monotonic() < deadline, f"search saw {seen}, not {(jobs, candidates)}"
            time.sleep(0.1)

    def build(self) -> Path:
        subprocess.run(
            confrere_command("site", "build"),
            env=self.environment,
            check=True,
            capture_output=True,
        )
        return Path(self.server.environment["CONFRERE_DATA_DIR"]) / "site"


@pytest.fixture
def site(live_server: LiveServer) -> Iterator[Site]:
    seeded = Site(live_server)
    yield seeded
    seeded.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    opened = context.new_page()
    opened.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    opened.on("pageerror", lambda error: problems.append(str(error)))
    yield opened
    context.close()
    assert problems == [], f"JavaScript errors on the page: {problems}"


def results(page: Any, widget: str = "div.confrere-search") -> Any:
    return page.locator(f"{widget} .confrere-search__result")


def wait_for_titles(page: Any, expected: list[str], widget: str = "div.confrere-search") -> None:
    """Wait until the widget lists exactly these titles, in any order.

    Polled from here through a locator: Playwright's `wait_for_function` evaluates its
    predicate with `eval`, which the site's Content-Security-Policy refuses."""
    titles = page.locator(f"{widget} .confrere-search__title")
    deadline = time.monotonic() + 30
    while sorted(shown := titles.all_text_contents()) != sorted(expected):
        assert time.monotonic() < deadline, f"the widget lists {shown}, not {expected}"
        page.wait_for_timeout(50)


def wait_for_count(page: Any, count: int, widget: str) -> None:
    """Wait until the widget lists exactly `count` results (without `eval`, as above)."""
    from playwright.sync_api import expect

    expect(results(page, widget)).to_have_count(count, timeout=30_000)


def test_a_visitor_searches_jobs_on_the_home_page_and_opens_one(site: Site, page: Any) -> None:
    # given two published postings and a built site
    globex = site.employer("Globex")
    rust = site.published_job(
        globex,
        title="Rust Compiler Engineer",
        description="Work on the **borrow checker**.",
        employmentType=["FULL_TIME"],
        workplaceType="REMOTE",
        applicantCountries=["DE"],
        skills=["Rust"],
    )["slug"]
    site.published_job(
        globex,
        title="Pastry Chef",
        description="Croissants at dawn.",
        employmentType=["PART_TIME"],
        workplaceType="ON_SITE",
        locations=[{"city": "Lyon", "countryCode": "FR"}],
    )
    site.wait_for_index(jobs=2, candidates=0)
    built = site.build()

    # when a visitor opens the home page, the widget lists the open jobs
    page.goto(site.server.url + "/")
    wait_for_titles(page, ["Rust Compiler Engineer", "Pastry Chef"])
    assert page.locator(".confrere-search-fallback").count() == 0

    # and typing narrows them down (debounced, no button press)
    page.fill(".confrere-search__query", "rust")
    wait_for_titles(page, ["Rust Compiler Engineer"])
    assert page.text_content(".confrere-search__status").startswith("1 job")
    assert page.locator(".confrere-search__snippet mark").first.text_content().lower() == "rust"

    # then the result links to the job's page on the site
    link = page.locator(".confrere-search__title").first
    assert link.get_attribute("href") == f"{site.server.url}/jobs/{rust}/"
    if not (built / "jobs" / rust / "index.html").is_file():
        pytest.skip("the site build writes no job pages yet, so the link has nowhere to go")
    link.click()
    page.wait_for_url(f"**/jobs/{rust}/")
    documents = [
        json.loads(text)
        for text in page.locator('script[type="application/ld+json"]').all_text_contents()
    ]
    postings = [d for d in documents if d.get("@type") == "JobPosting"]
    assert len(postings) == 1, documents
    assert postings[0]["title"] == "Rust Compiler Engineer"


def test_filters_paging_errors_and_untrusted_text(site: Site, page: Any) -> None:
    # given five postings, one with markup in its title
    initech = site.employer("Initech")
    hostile = '<img src="x" onerror="window.pwned = true">Hacker <b>News</b>'
    for number, (workplace, city) in enumerate(
        [("REMOTE", None), ("HYBRID", "Berlin"), ("ON_SITE", "Berlin"), ("ON_SITE", "Paris")]
    ):
        fields: dict[str, Any] = {"workplaceType": workplace}
        if city:
            fields["locations"] = [
                {"city": city, "countryCode": "DE" if city == "Berlin" else "FR"}
            ]
        else:
            fields["applicantCountries"] = ["DE"]
        site.published_job(initech, title=f"Data Engineer {number}", **fields)
    site.published_job(initech, title=hostile, workplaceType="REMOTE")
    site.wait_for_index(jobs=5, candidates=0)
    site.build()
    page.goto(site.server.url + "/")
    wait_for_titles(page, [f"Data Engineer {n}" for n in range(4)] + [hostile])

    # the hostile title shows as text and runs nothing
    assert page.evaluate("window.pwned") is None
    assert page.locator("div.confrere-search img").count() == 0

    # a filter narrows the list: on-site jobs in Berlin
    page.select_option("select[name=workplaceTypes]", "ON_SITE")
    wait_for_titles(page, ["Data Engineer 2", "Data Engineer 3"])
    page.fill("input[name=location]", "Berlin")
    wait_for_titles(page, ["Data Engineer 2"])
    page.fill("input[name=location]", "")
    page.select_option("select[name=workplaceTypes]", "")
    wait_for_titles(page, [f"Data Engineer {n}" for n in range(4)] + [hostile])

    # a malformed query shows the API's message and keeps the box as typed
    page.fill(".confrere-search__query", '"unclosed phrase')
    error = page.locator(".confrere-search__error")
    error.wait_for(state="visible")
    assert "this quote is never closed" in error.text_content()
    assert results(page).count() == 0
    assert page.input_value(".confrere-search__query") == '"unclosed phrase'

    # paging: a widget with pages of two loads more until the end
    page.fill(".confrere-search__query", "engineer")
    wait_for_titles(page, [f"Data Engineer {n}" for n in range(4)])
    assert error.is_hidden()
    page.evaluate(
        """() => {
            const div = document.createElement("div");
            div.className = "confrere-search paged";
            div.dataset.kind = "jobs";
            div.dataset.pageSize = "2";
            document.querySelector("article").appendChild(div);
            window.confrereBoard.bindAll();
        }"""
    )
    paged = "div.paged"
    wait_for_count(page, 2, "div.paged")
    more = page.locator(f"{paged} .confrere-search__more")
    more.click()
    wait_for_count(page, 4, "div.paged")
    more.click()
    wait_for_titles(page, [f"Data Engineer {n}" for n in range(4)] + [hostile], paged)
    assert more.is_hidden()


def test_candidate_search_shows_only_public_resumes_to_visitors(site: Site, page: Any) -> None:
    # given a public and a private resume
    site.resume(site.account("Ada")[1], "Zoë Ångström", "Systems Engineer", "PUBLIC")
    site.resume(site.account("Bob")[1], "Bob Private", "Systems Engineer", "PRIVATE")
    site.wait_for_index(jobs=0, candidates=1)
    site.build()
    page.goto(site.server.url + "/")

    # when a candidate widget searches
    page.evaluate(
        """() => {
            const div = document.createElement("div");
            div.className = "confrere-search people";
            div.dataset.kind = "candidates";
            document.querySelector("article").appendChild(div);
            window.confrereBoard.bindAll();
        }"""
    )
    page.fill("div.people .confrere-search__query", "systems")

    # then only the public resume shows, with its skills
    wait_for_titles(page, ["Zoë Ångström"], "div.people")
    assert "Rust" in page.text_content("div.people .confrere-search__skills")
    page.fill("div.people input[name=skills]", "cobol")
    wait_for_count(page, 0, "div.people")
    assert "No public resumes match" in page.text_content("div.people .confrere-search__status")

    # and the public resume's result leads to its page on the site
    page.fill("div.people input[name=skills]", "")
    wait_for_titles(page, ["Zoë Ångström"], "div.people")
    page.click("div.people a.confrere-search__title")
    page.wait_for_url("**/people/zoe-angstrom-*/")
    assert "Zoë Ångström" in page.text_content("h1")


def test_without_javascript_the_home_page_says_where_the_jobs_are(
    sqlite_settings: Settings,
) -> None:
    built = build_site(sqlite_settings).output

    home = (built / "index.html").read_text()

    assert 'class="confrere-search" data-kind="jobs"' in home
    assert 'class="confrere-search-fallback"' in home
    assert 'href="jobs/"' in home and (built / "jobs" / "index.html").is_file()
    assert 'src="assets/board.js"' in home and (built / "assets" / "board.js").is_file()
    assert 'href="assets/board.css"' in home and (built / "assets" / "board.css").is_file()


CREATE_EVENT = """
mutation ($input: CreateEventInput!) {
  createEvent(input: $input) { event { id url } userErrors { field code message } }
}
"""
PUBLIC_URLS = "{ publicResumes(first: 5) { edges { node { url } } } }"


def board_for_every_kind_of_page(site: Site) -> dict[str, str]:
    """A posting, a person, an employer with an event, an association with a public
    directory; returns the addresses of their pages (paths from the site's root)."""
    globex = site.employer("Globex")
    recruiter, employer = globex.recruiter, globex.organization_id
    slug = site.published_job(
        globex,
        title="Rust Compiler Engineer",
        description="Work on the **borrow checker**.",
        locations=[{"city": "Berlin", "countryCode": "DE"}],
        workplaceType="HYBRID",
        skills=["Rust"],
    )["slug"]
    event = site.data(
        CREATE_EVENT,
        {
            "input": {
                "organizationId": employer, "title": "Compiler Night", "kind": "MEETUP",
                "format": "IN_PERSON", "startsAt": "2031-01-14T17:30:00+00:00",
                "endsAt": "2031-01-14T19:30:00+00:00", "timeZone": "Europe/Berlin",
                "venue": "Globex HQ", "address": "Invalidenstraße 1, Berlin",
            }
        },
        recruiter,
    )["createEvent"]  # fmt: skip
    assert event["userErrors"] == [], event
    alumni = site.data(
        CREATE_ORGANIZATION,
        {
            "input": {
                "name": "Tech Alumni", "kind": "ALUMNI_ASSOCIATION", "joinPolicy": "OPEN",
                "directoryVisibility": "PUBLIC", "description": "Graduates of the Tech.",
            }
        },
        recruiter,
    )["createOrganization"]  # fmt: skip
    assert alumni["userErrors"] == [], alumni
    site.resume(site.account("Ada")[1], "Zoë Ångström", "Systems Engineer", "PUBLIC")
    site.wait_for_index(jobs=1, candidates=1)
    [person] = site.data(PUBLIC_URLS, {})["publicResumes"]["edges"]
    root = site.server.url
    return {
        "job": f"/jobs/{slug}/",
        "person": person["node"]["url"].removeprefix(root),
        "organization": "/organizations/globex/",
        "event": event["event"]["url"].removeprefix(root),
        "directory": "/organizations/tech-alumni/directory/",
    }


def test_a_visitor_opens_every_kind_of_page(site: Site, page: Any) -> None:
    # given a board with an item of every kind, and the site built
    items = board_for_every_kind_of_page(site)
    site.build()
    pages = {
        "home": ("/", "Confrere"),
        "jobs index": ("/jobs/", "Jobs"),
        "job": (items["job"], "Rust Compiler Engineer"),
        "location index": ("/jobs/locations/de-berlin/", "Jobs in Berlin, DE"),
        "people index": ("/people/", "People"),
        "person": (items["person"], "Zoë Ångström"),
        "organizations index": ("/organizations/", "Organizations"),
        "organization": (items["organization"], "Globex"),
        "directory": (items["directory"], "Tech Alumni: members"),
        "events index": ("/events/", "Upcoming events"),
        "event": (items["event"], "Compiler Night"),
        "API reference": ("/api/reference/", "API reference"),
        "API reference, queries": ("/api/reference/query/", "Queries"),
        "guide": ("/guides/employers/", "Employers"),
    }
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    for kind, (path, heading) in pages.items():
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})

            # when a visitor opens the page (a download would fail the navigation)
            response = page.goto(site.server.url + path)

            # then it is served as a page and shows as one
            assert response is not None and response.status == 200, kind
            assert response.headers["content-type"] == "text/html; charset=utf-8", kind
            assert heading in page.locator("h1").first.text_content(), kind
            if kind == "directory":
                wait_for_titles(page, ["Recruiter Globex"])
            if not kind.startswith("API reference"):
                overflow = page.evaluate(
                    "() => document.documentElement.scrollWidth - window.innerWidth"
                )
                assert overflow <= 0, f"{kind} is {overflow}px wider than {width}px"
            name = kind.replace(" ", "-").replace(",", "")
            page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)

    # and the event shows its local time, the person their sections
    page.goto(site.server.url + items["event"])
    assert "18:30\u201320:30 CET (UTC+1)" in page.text_content("article")
    page.goto(site.server.url + items["organization"])
    assert "Compiler Night" in page.text_content("article")
    assert "Rust Compiler Engineer" in page.text_content("article")


def test_the_jobs_index_lists_each_posting_once(site: Site, page: Any) -> None:
    # given two postings and the site built
    initech = site.employer("Initech")
    for title in ("Data Engineer", "Pastry Chef"):
        site.published_job(initech, title=title, workplaceType="REMOTE")
    site.wait_for_index(jobs=2, candidates=0)
    site.build()

    # when a visitor opens the jobs index
    page.goto(site.server.url + "/jobs/")
    page.wait_for_selector(".confrere-search__form")

    # then each posting shows once: the page's own list, no second list from the widget
    visible = (
        "() => [...document.querySelectorAll('article a, .md-content a')]"
        ".filter(a => a.offsetParent !== null).map(a => a.textContent)"
    )
    titles = page.evaluate(visible)
    assert titles.count("Data Engineer") == 1 and titles.count("Pastry Chef") == 1, titles
    assert results(page).count() == 0

    # and a search puts its results in the list's place, and clearing it brings it back
    page.fill(".confrere-search__query", "pastry")
    wait_for_titles(page, ["Pastry Chef"])
    assert page.locator("#confrere-listed").is_hidden()
    assert page.evaluate(visible).count("Pastry Chef") == 1
    page.fill(".confrere-search__query", "")
    page.locator("#confrere-listed").wait_for(state="visible")
    assert page.locator("div.confrere-search .confrere-search__results").is_hidden()
    titles = page.evaluate(visible)
    assert titles.count("Data Engineer") == 1 and titles.count("Pastry Chef") == 1, titles


def test_the_header_search_finds_jobs_people_and_organizations(site: Site, page: Any) -> None:
    # given a board and the site built
    items = board_for_every_kind_of_page(site)
    site.build()

    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(site.server.url + "/guides/employers/")

        # when a visitor types the start of a job title into the header's search box
        if width < 600:  # the box is behind the magnifier on a phone
            page.click("label.md-header__button[for=__search]")
        else:
            page.click("input.md-search__input")
        page.locator("input.md-search__input").press_sequentially("compiler eng", delay=20)

        # then the job shows, linked to its page
        board = page.locator(".confrere-header-board")
        board.get_by_role("link", name="Rust Compiler Engineer").wait_for()
        assert (
            board.get_by_role("link", name="Rust Compiler Engineer").get_attribute("href")
            == site.server.url + items["job"]
        )
        page.screenshot(path=SCREENSHOTS / f"header-search-{width}.png")

    # and people and organizations are found by name
    page.fill("input.md-search__input", "")
    page.locator("input.md-search__input").press_sequentially("ångström", delay=20)
    board.get_by_role("link", name="Zoë Ångström").wait_for()
    page.fill("input.md-search__input", "")
    page.locator("input.md-search__input").press_sequentially("tech alumni", delay=20)
    board.get_by_role("link", name="Tech Alumni").wait_for()

    # and a result opens its page
    board.get_by_role("link", name="Tech Alumni").click()
    page.wait_for_url("**/organizations/tech-alumni/")
    assert "Graduates of the Tech." in page.text_content("article")


def test_a_query_error_reads_as_an_error_not_a_link(site: Site, page: Any) -> None:
    site.build()
    page.goto(site.server.url + "/")
    page.wait_for_selector(".confrere-search__form")

    page.fill(".confrere-search__query", '"unclosed phrase')

    error = page.locator(".confrere-search__error")
    error.wait_for(state="visible")
    style = error.evaluate(
        """e => {
            const s = getComputedStyle(e);
            const rgb = c => c.match(/\\d+/g).map(Number);
            return {
                color: rgb(s.color), background: s.backgroundColor, cursor: s.cursor,
                decoration: s.textDecorationLine,
                before: getComputedStyle(e, "::before").content,
            };
        }"""
    )
    red, green, blue = style["color"][:3]
    assert red > 2 * max(green, blue), style  # red text, not the theme's blue
    assert style["background"] not in ("rgba(0, 0, 0, 0)", "transparent"), style
    assert style["decoration"] == "none" and style["cursor"] != "pointer", style
    assert "error" in style["before"].lower(), style

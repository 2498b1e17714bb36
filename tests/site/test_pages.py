"""What the board's pages show: the `url` fields and the pages they name, person pages with
every section, the People index (each person once, by family name), organization pages,
event times in the event's zone, and search snippets of plain text."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path

from api.site.addresses import path_of
from tests.conftest import GraphQLClient
from tests.factories import import_resume, join, member, organization, settle
from tests.posts.helpers import post
from tests.site.board_helpers import Employer, build, page_text, upcoming_event

JOB_URL = "query ($id: ID!) { job(id: $id) { url } }"
NODE_URL = """
query ($id: ID!) {
  node(id: $id) {
    ... on Organization { url }
    ... on Event { url }
    ... on Resume { url }
  }
}
"""
SET_VISIBILITY = """
mutation ($input: SetResumeVisibilityInput!) {
  setResumeVisibility(input: $input) { userErrors { code } }
}
"""
SET_EXCLUSIONS = """
mutation ($input: SetResumeExclusionsInput!) {
  setResumeExclusions(input: $input) { userErrors { code } }
}
"""
SEARCH_JOBS = """
query ($query: String) {
  searchJobs(query: $query) { edges { node { title } highlights { field snippet } } }
}
"""
FULL_RESUME = {
    "basics": {"name": "Grace Hopper", "label": "Rear Admiral", "summary": "Compilers."},
    "work": [
        {
            "name": "Navy",
            "position": "Computer Scientist",
            "location": "Arlington",
            "startDate": "2021-03",
            "summary": "Led the COBOL effort.",
            "highlights": ["Wrote the first compiler"],
        },
        {"name": "Harvard", "position": "Programmer", "startDate": "2019", "endDate": "2021-02"},
    ],
    "volunteer": [{"organization": "Code Club", "position": "Mentor", "startDate": "2020-06"}],
    "education": [{"institution": "Yale", "area": "Mathematics", "studyType": "PhD"}],
    "awards": [{"title": "Medal of Technology", "date": "2022-09-15", "awarder": "NSF"}],
    "certificates": [{"name": "Certified Navigator", "issuer": "Navy", "date": "2018-01"}],
    "publications": [{"name": "On Compilers", "publisher": "ACM", "releaseDate": "2017-05"}],
    "skills": [{"name": "Compilers", "level": "Master", "keywords": ["FLOW-MATIC", "COBOL"]}],
    "languages": [{"language": "English", "fluency": "Native"}],
    "interests": [{"name": "Nanoseconds", "keywords": ["wire lengths"]}],
    "projects": [
        {
            "name": "UNIVAC I",
            "description": "The first commercial computer.",
            "highlights": ["Found the first bug"],
            "keywords": ["vacuum tubes"],
            "startDate": "2016-01",
            "endDate": "2016-12",
        }
    ],
}


def _visible_text(html: str) -> str:
    """The text of the page's board article, as a reader sees it (tags removed)."""
    article = re.search(r"<article.*?</article>", html, re.DOTALL)
    assert article is not None
    inline = re.sub(r"</?(span|time|strong|a)\b[^>]*>", "", article.group())
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", inline)))


def _page(site: Path, url: str, site_url: str) -> str:
    return page_text(site, path_of(site_url, url))


def test_url_fields_name_the_pages_the_site_writes(graphql: GraphQLClient) -> None:
    # given a public employer with a published and a closed posting, a private club with an
    # event, a public event, and resumes that are public, private, or of an owner who
    # excludes an employer
    site_url = graphql.http.app.state.settings.site_url
    employer = Employer(graphql)
    published = employer.published()
    closed = employer.published(title="Closed Engineer")
    employer.move("closeJob", closed["id"])
    draft = employer.draft(title="Draft Engineer")
    hidden = organization(graphql, employer.recruiter, "Hidden Club", isPublic=False)
    hidden_event = upcoming_event(graphql, employer.recruiter, hidden, title="Hidden Night")
    members_event = upcoming_event(
        graphql, employer.recruiter, employer.organization, audience="MEMBERS_ONLY"
    )
    open_event = upcoming_event(graphql, employer.recruiter, employer.organization)
    ada = member(graphql, "Ada")
    public = import_resume(graphql, ada, {"basics": {"name": "Ada Lovelace"}}, "PUBLIC")
    private = import_resume(graphql, ada, {"basics": {"name": "Ada Private"}}, "PRIVATE")
    bob = member(graphql, "Bob")
    shy = import_resume(graphql, bob, {"basics": {"name": "Bob Shy"}}, "PUBLIC")
    excluded = graphql.data(
        SET_EXCLUSIONS, {"input": {"organizationIds": [employer.organization]}}, token=bob.token
    )
    assert excluded["setResumeExclusions"]["userErrors"] == []

    # when anyone asks for the url fields (their owners too)
    def url(query: str, node_id: str, token: str | None = None) -> str | None:
        data = graphql.data(query, {"id": node_id}, token=token)
        return (data.get("job") or data.get("node") or {}).get("url")

    recruiter = employer.recruiter.token

    # then the ones with a public page are its absolute address, the rest null
    job_url = url(JOB_URL, published["id"])
    assert job_url == f"{site_url}jobs/{published['slug']}/"
    assert url(JOB_URL, closed["id"], recruiter) is None
    assert url(JOB_URL, draft["id"], recruiter) is None
    org_url = url(NODE_URL, employer.organization)
    assert org_url == f"{site_url}organizations/globex/"
    assert url(NODE_URL, hidden, recruiter) is None
    event_url = url(NODE_URL, open_event["id"])
    assert event_url is not None and event_url.startswith(f"{site_url}events/python-meetup-")
    assert url(NODE_URL, members_event["id"], recruiter) is None
    assert url(NODE_URL, hidden_event["id"], recruiter) is None
    resume_url = url(NODE_URL, public)
    assert resume_url is not None and resume_url.startswith(f"{site_url}people/ada-lovelace-")
    assert url(NODE_URL, private, ada.token) is None
    assert url(NODE_URL, shy, bob.token) is None

    # and the site has a page at each address, and none for the others
    site = build(graphql)
    for address, name in (
        (job_url, "Backend Engineer"),
        (org_url, "Globex"),
        (event_url, "Python meetup"),
        (resume_url, "Ada Lovelace"),
    ):
        assert name in _page(site, address, site_url)
    assert not (site / "jobs" / closed["slug"]).exists()
    assert not (site / "jobs" / draft["slug"]).exists()
    assert not (site / "organizations" / "hidden-club").exists()
    assert [p.name for p in (site / "events").iterdir() if p.is_dir()] == [
        path_of(site_url, event_url).split("/")[1]
    ]
    assert [p.name for p in (site / "people").iterdir() if p.is_dir()] == [
        path_of(site_url, resume_url).split("/")[1]
    ]


def test_a_person_page_shows_every_section_with_dates_for_people(graphql: GraphQLClient) -> None:
    # given a public resume with every JSON Resume section
    import_resume(graphql, member(graphql, "Grace"), FULL_RESUME, "PUBLIC")

    # when the site is built
    site = build(graphql)

    # then the person's page shows each section and its details
    [page] = (site / "people").glob("grace-hopper-*/index.html")
    html = page.read_text()
    text = _visible_text(html)
    for shown in (
        "Wrote the first compiler",  # work highlights
        "Arlington",
        "UNIVAC I",  # projects, with their highlights and keywords
        "Found the first bug",
        "vacuum tubes",
        "Medal of Technology",  # awards
        "NSF",
        "On Compilers",  # publications
        "ACM",
        "Certified Navigator",  # certificates
        "Mentor",  # volunteer
        "Code Club",
        "Nanoseconds",  # interests and their keywords
        "wire lengths",
        "FLOW-MATIC",  # skill keywords
        "Master",
    ):
        assert shown in text, shown
    # with dates as people write them, each kept on one line
    for when in (
        "Mar 2021 \u2013 present",
        "2019 \u2013 Feb 2021",
        "Jun 2020 \u2013 present",
        "15 Sep 2022",
        "May 2017",
        "Jan 2016 \u2013 Dec 2016",
    ):
        assert f'<span class="confrere-when">{when}</span>' in html, when
    assert not re.search(r"\b20\d\d-\d\d\b", text), "an ISO date is shown"


def test_the_people_index_lists_each_person_once_by_family_name(graphql: GraphQLClient) -> None:
    # given a person with two public resumes, and names with honorifics and suffixes
    hans = member(graphql, "Hans")
    first = import_resume(graphql, hans, {"basics": {"name": "Herr Hans Zimmermann"}}, "PUBLIC")
    second = import_resume(
        graphql, hans, {"basics": {"name": "Herr Hans Zimmermann", "label": "Chef"}}, "PUBLIC"
    )
    import_resume(graphql, member(graphql, "Bert"), {"basics": {"name": "Dipl.-Ing. Bert Müller"}})
    import_resume(graphql, member(graphql, "Anna"), {"basics": {"name": "Anna Albrecht MBA"}})
    import_resume(graphql, member(graphql, "Carl"), {"basics": {"name": "Dr. Carl van Beek"}})
    site_url = graphql.http.app.state.settings.site_url

    # when the site is built
    site = build(graphql)

    # then the index lists each person once, by family name
    index = page_text(site, "people")
    listed = re.findall(r'<li><a href="[^"]*">([^<]*)</a>', index)
    assert listed == [
        "Anna Albrecht MBA",
        "Dr. Carl van Beek",
        "Dipl.-Ing. Bert Müller",
        "Herr Hans Zimmermann",
    ]
    # and both of Hans's resumes keep their page, each linking to the other
    first_url = graphql.data(NODE_URL, {"id": first})["node"]["url"]
    second_url = graphql.data(NODE_URL, {"id": second})["node"]["url"]
    first_page = _page(site, first_url, site_url)
    second_page = _page(site, second_url, site_url)
    assert path_of(site_url, second_url).split("/")[1] in first_page
    assert path_of(site_url, first_url).split("/")[1] in second_page


def test_an_organization_page_shows_what_the_organization_is(graphql: GraphQLClient) -> None:
    # given an alumni association with a public directory, members, an event and a public
    # post, and an employer with an open position
    owner = member(graphql, "Olive")
    alumni = organization(
        graphql,
        owner,
        "Tech Alumni",
        "ALUMNI_ASSOCIATION",
        description="Graduates of the Tech.",
        interest="Staying in touch",
        directoryVisibility="PUBLIC",
    )
    for name in ("Ann", "Ben"):
        assert join(graphql, member(graphql, name), alumni)["userErrors"] == []
    upcoming_event(graphql, owner, alumni, title="Homecoming")
    post(
        graphql,
        owner,
        alumni,
        kind="ANNOUNCEMENT",
        title="Reunion dates",
        body="The **reunion** is in June.",
        audience="PUBLIC",
    )
    post(graphql, owner, alumni, body="Members only chatter")
    employer = Employer(graphql)
    employer.published()

    # when the site is built
    site = build(graphql)

    # then the association's page shows its kind, description, members, events and posts
    page = _visible_text(page_text(site, "organizations/tech-alumni"))
    for shown in (
        "Alumni association",
        "Graduates of the Tech.",
        "Staying in touch",
        "3 members",
        "Homecoming",
        "Reunion dates",
        "The reunion is in June.",
        "No open positions right now.",
        "Member directory",
    ):
        assert shown in page, shown
    assert "Members only chatter" not in page
    # and its directory page holds the live directory search for it
    directory = page_text(site, "organizations/tech-alumni/directory")
    assert f'data-kind="directory" data-organization="{alumni}"' in directory
    # and the employer's page lists its open position; it has no public directory
    employer_page = _visible_text(page_text(site, "organizations/globex"))
    assert "Open positions (1)" in employer_page and "Backend Engineer" in employer_page
    assert "Member directory" not in employer_page
    assert not (site / "organizations" / "globex" / "directory").exists()


def test_an_event_page_shows_the_time_in_the_event_s_zone(graphql: GraphQLClient) -> None:
    # given an event at 18:30 in Berlin in winter, and one at 09:00 in Kolkata
    owner = member(graphql, "Olga")
    club = organization(graphql, owner, "Time Club")
    year = datetime.now(UTC).year + 1
    berlin = datetime(year, 1, 14, 17, 30, tzinfo=UTC)  # 18:30 CET
    upcoming_event(
        graphql, owner, club, title="Berlin Night",
        startsAt=berlin.isoformat(), endsAt=(berlin + timedelta(hours=2)).isoformat(),
    )  # fmt: skip
    kolkata = datetime(year, 1, 15, 3, 30, tzinfo=UTC)  # 09:00 IST
    upcoming_event(
        graphql, owner, club, title="Kolkata Morning", timeZone="Asia/Kolkata",
        startsAt=kolkata.isoformat(), endsAt=(kolkata + timedelta(hours=1)).isoformat(),
    )  # fmt: skip

    # when the site is built
    site = build(graphql)

    # then each page shows the local wall-clock time with the zone's abbreviation and offset
    [berlin_page] = (site / "events").glob("berlin-night-*/index.html")
    text = _visible_text(berlin_page.read_text())
    assert f"{berlin:%a} 14 Jan {year}, 18:30\u201320:30 CET (UTC+1)" in text
    assert "17:30" not in text
    assert f'datetime="{year}-01-14T18:30:00+01:00"' in berlin_page.read_text()
    [kolkata_page] = (site / "events").glob("kolkata-morning-*/index.html")
    assert f"{kolkata:%a} 15 Jan {year}, 09:00\u201310:00 IST (UTC+5:30)" in _visible_text(
        kolkata_page.read_text()
    )


def test_event_times_read_the_same_from_utc_and_from_the_zone_s_offset() -> None:
    from api.site.board import parse_time
    from api.site.formats import event_time

    # the API may answer in UTC or with the zone's offset: the page says the same
    for starts, ends in (
        ("2027-07-01T16:30:00+00:00", "2027-07-01T18:00:00+00:00"),
        ("2027-07-01T18:30:00+02:00", "2027-07-01T20:00:00+02:00"),
        ("2027-07-01T16:30:00Z", "2027-07-01T18:00:00Z"),
    ):
        shown = event_time(parse_time(starts), parse_time(ends), "Europe/Berlin")  # type: ignore[arg-type]
        assert shown == "Thu 1 Jul 2027, 18:30\u201320:00 CEST (UTC+2)"
    # an event over two days names both; a zone without letters shows its offset alone
    shown = event_time(
        parse_time("2027-03-01T22:00:00+00:00"),  # type: ignore[arg-type]
        parse_time("2027-03-02T14:00:00+00:00"),
        "America/Sao_Paulo",
    )
    assert shown == "Mon 1 Mar 2027, 19:00 \u2013 Tue 2 Mar 2027, 11:00 UTC\u22123"


def test_job_search_snippets_quote_the_text_not_its_markdown(graphql: GraphQLClient) -> None:
    # given a posting whose description has Markdown emphasis
    Employer(graphql).published(description="Build **APIs** in _Python_ with us.")
    settle(graphql)

    # when a visitor searches for a word of it
    [edge] = graphql.data(SEARCH_JOBS, {"query": "apis"})["searchJobs"]["edges"]

    # then the snippet is the text a reader sees, the match marked
    [snippet] = [h["snippet"] for h in edge["highlights"] if h["field"] == "description"]
    assert "<mark>APIs</mark>" in snippet
    assert "**" not in snippet and "_Python_" not in snippet

"""The board on the public site: one page per public posting, resume, organization and
upcoming event, their JSON-LD read back by a structured-data extractor, index pages, the
sitemap's lastmod dates, and postings leaving the site when they close."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import extruct

from tests.conftest import GraphQLClient
from tests.factories import import_resume, member
from tests.site.board_helpers import (
    Employer,
    build,
    every_file_text,
    page_text,
    show_contact_to_everyone,
    upcoming_event,
)

ORGANIZATION = "query ($slug: String!) { organization(slug: $slug) { id slug } }"
GOOGLE_REQUIRED = ("title", "description", "datePosted", "hiringOrganization")
GOOGLE_RECOMMENDED = ("validThrough", "employmentType", "baseSalary", "identifier", "directApply")


def json_ld(html: str) -> list[dict[str, Any]]:
    return extruct.extract(html, syntaxes=["json-ld"], uniform=False)["json-ld"]


def one_of_type(html: str, kind: str) -> dict[str, Any]:
    [found] = [item for item in json_ld(html) if item.get("@type") == kind]
    return found


def sitemap(site: Path) -> dict[str, str | None]:
    """Every address of the sitemap index's parts, with its lastmod."""
    index = (site / "sitemap.xml").read_text()
    site_url = re.search(r'<link rel="canonical" href="([^"]*)"', (site / "index.html").read_text())
    assert "<sitemapindex" in index and site_url is not None
    text = "".join(
        (site / loc.removeprefix(site_url.group(1))).read_text()
        for loc in re.findall(r"<sitemap><loc>(.*?)</loc>", index)
    )
    entries = {}
    for block in re.findall(r"<url>(.*?)</url>", text, re.DOTALL):
        loc = re.search(r"<loc>(.*?)</loc>", block)
        lastmod = re.search(r"<lastmod>(.*?)</lastmod>", block)
        assert loc is not None
        entries[loc.group(1)] = lastmod.group(1) if lastmod else None
    return entries


def test_board_pages_carry_their_structured_data(graphql: GraphQLClient) -> None:
    # given a verified employer with an on-site and a remote posting, an upcoming event,
    # and a public resume whose owner shows email and phone to everyone
    employer = Employer(graphql)
    on_site = employer.published(applyUrl="https://globex.example/apply/1")
    remote = employer.published(
        title="Remote Data Engineer",
        workplaceType="REMOTE",
        locations=[],
        applicantCountries=["DE", "FR"],
        salary={"currency": "EUR", "min": 50000, "unit": "YEAR"},
    )
    event = upcoming_event(graphql, employer.recruiter, employer.organization)
    seeker = member(graphql, "Sam Seeker")
    show_contact_to_everyone(graphql, seeker, "sam.reachable@example.org", "+49 30 1234567")
    import_resume(
        graphql,
        seeker,
        {
            "basics": {
                "name": "Sam Seeker",
                "label": "Data Engineer",
                "email": "sam.reachable@example.org",
                "phone": "+49 30 1234567",
                "summary": "Pipelines that do not page anyone at night.",
                "location": {"city": "Berlin", "countryCode": "DE", "address": "Secret 5"},
                "profiles": [{"network": "GitHub", "url": "https://github.com/sam"}],
            },
            "work": [{"name": "Initech", "position": "Data Engineer", "startDate": "2021-01"}],
            "education": [{"institution": "TU Berlin", "area": "Computer Science"}],
            "skills": [{"name": "Python"}, {"name": "Airflow"}],
        },
    )

    # when the site is built
    site = build(graphql)

    # then the on-site posting's page has every property Google for Jobs requires
    posting = one_of_type(page_text(site, f"jobs/{on_site['slug']}"), "JobPosting")
    for name in GOOGLE_REQUIRED + GOOGLE_RECOMMENDED:
        assert name in posting, name
    assert posting["title"] == "Backend Engineer"
    assert "<strong>APIs</strong>" in posting["description"]
    assert posting["hiringOrganization"]["name"] == "Globex"
    assert posting["hiringOrganization"]["sameAs"] == "https://globex.example"
    assert posting["hiringOrganization"]["url"].endswith("/organizations/globex/")
    [place] = posting["jobLocation"]
    assert place["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "Invalidenstraße 1",
        "addressLocality": "Berlin",
        "addressRegion": "Berlin",
        "postalCode": "10115",
        "addressCountry": "DE",
    }
    assert posting["employmentType"] == ["FULL_TIME"]
    assert posting["baseSalary"]["value"] == {
        "@type": "QuantitativeValue",
        "minValue": 60000,
        "maxValue": 80000,
        "unitText": "YEAR",
    }
    assert posting["baseSalary"]["currency"] == "EUR"
    assert posting["identifier"]["value"] == "REQ-1"
    assert posting["directApply"] is False
    assert posting["url"].endswith(f"/jobs/{on_site['slug']}/")

    # the remote posting is a telecommute job with its applicant countries
    remote_posting = one_of_type(page_text(site, f"jobs/{remote['slug']}"), "JobPosting")
    assert remote_posting["jobLocationType"] == "TELECOMMUTE"
    assert remote_posting["applicantLocationRequirements"] == [
        {"@type": "Country", "name": "DE"},
        {"@type": "Country", "name": "FR"},
    ]
    assert "jobLocation" not in remote_posting
    assert remote_posting["directApply"] is True

    # the apply link does not pass credit or the opener to the employer's site
    job_html = page_text(site, f"jobs/{on_site['slug']}")
    assert (
        '<a class="md-button md-button--primary" href="https://globex.example/apply/1" '
        'rel="nofollow noopener">' in job_html
    )
    # the search widget's container is on job pages and board index pages; on an index page
    # it names the page's own list, which its results replace while the visitor searches
    container = '<div class="confrere-search" data-kind="jobs"></div>'
    assert container in job_html
    listing = '<div class="confrere-search" data-kind="jobs" data-list="#confrere-listed">'
    indexes = ("jobs", "jobs/locations/de-berlin", "jobs/workplace/remote")
    assert [
        (listing in page_text(site, index), '<div id="confrere-listed">' in page_text(site, index))
        for index in indexes
    ] == [(True, True)] * len(indexes)

    # the resume is a ProfilePage about a Person, with no contact detail anywhere
    [person_page] = [p for p in (site / "people").glob("sam-seeker-*/index.html")]
    profile = one_of_type(person_page.read_text(), "ProfilePage")
    person = profile["mainEntity"]
    assert person["@type"] == "Person"
    assert person["name"] == "Sam Seeker"
    assert person["alumniOf"] == [{"@type": "EducationalOrganization", "name": "TU Berlin"}]
    assert person["knowsAbout"] == ["Python", "Airflow"]
    assert person["sameAs"] == ["https://github.com/sam"]
    assert "email" not in person and "telephone" not in person
    assert person["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Berlin",
        "addressCountry": "DE",
    }
    contacts = ("sam.reachable@example.org", "1234567", "Secret 5")
    files = every_file_text(site)
    assert [(path, c) for path, text in files.items() for c in contacts if c in text] == []
    assert len(files) > 10

    # the organization and the event have their pages and types
    organization = one_of_type(page_text(site, "organizations/globex"), "Organization")
    assert organization["name"] == "Globex"
    assert organization["sameAs"] == "https://globex.example"
    [event_page] = [p for p in (site / "events").glob("python-meetup-*/index.html")]
    meetup = one_of_type(event_page.read_text(), "Event")
    assert meetup["name"] == event["title"]
    assert meetup["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert meetup["location"]["name"] == "Globex HQ"
    assert meetup["organizer"]["name"] == "Globex"

    # index pages by location, workplace type and organization link the postings
    linking = ("jobs", "jobs/locations/de-berlin", "organizations/globex/jobs")
    assert [i for i in linking if f"jobs/{on_site['slug']}/" not in page_text(site, i)] == []
    assert f"jobs/{remote['slug']}/" in page_text(site, "jobs/workplace/remote")
    assert f"jobs/{remote['slug']}/" not in page_text(site, "jobs/locations/de-berlin")

    # the sitemap lists the board with each page's own modification date
    entries = sitemap(site)
    job_url = posting["url"]
    assert (
        entries[job_url]
        == graphql.data("query ($id: ID!) { job(id: $id) { updatedAt } }", {"id": on_site["id"]})[
            "job"
        ]["updatedAt"]
    )
    assert entries[profile["url"]] is not None
    # the theme's search covers the docs, not the board
    search_index = (site / "search" / "search_index.json").read_text()
    assert on_site["slug"] not in search_index
    assert "Sam Seeker" not in search_index


def test_closed_postings_leave_the_site_and_the_sitemap(graphql: GraphQLClient) -> None:
    employer = Employer(graphql)
    staying = employer.published(title="Staying Engineer")
    leaving = employer.published(title="Leaving Engineer")
    site = build(graphql)
    leaving_url = one_of_type(page_text(site, f"jobs/{leaving['slug']}"), "JobPosting")["url"]
    assert leaving_url in sitemap(site)

    employer.move("closeJob", leaving["id"])
    site = build(graphql)

    assert not (site / "jobs" / leaving["slug"]).exists()
    assert leaving_url not in sitemap(site)
    assert leaving["slug"] not in page_text(site, "jobs")
    assert leaving["slug"] not in page_text(site, "organizations/globex")
    assert (site / "jobs" / staying["slug"] / "index.html").is_file()
    # the served site is the new build
    served = graphql.http.get(f"/jobs/{leaving['slug']}/")
    assert served.status_code == 404
    assert graphql.http.get(f"/jobs/{staying['slug']}/").status_code == 200

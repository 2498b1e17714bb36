"""Board page addresses for names with no Latin letters, and the posting's JSON-LD fallback
description."""

from __future__ import annotations

from strawberry.relay import GlobalID

from api.site import jsonld
from tests.conftest import GraphQLClient
from tests.factories import import_resume, member
from tests.site.board_helpers import Employer, build, page_text, upcoming_event


def _location(city: str) -> list[dict[str, str]]:
    return [{"city": city, "countryCode": "JP"}]


def test_non_latin_names_get_their_own_pages(graphql: GraphQLClient) -> None:
    # given postings in two Japanese cities, a public resume and an event with Japanese names
    employer = Employer(graphql)
    tokyo = employer.published(title="Backend Engineer", locations=_location("東京"))
    osaka = employer.published(title="Data Engineer", locations=_location("大阪"))
    seeker = member(graphql, "Taro")
    resume_id = import_resume(graphql, seeker, {"basics": {"name": "山田太郎"}})
    event = upcoming_event(graphql, employer.recruiter, employer.organization, title="勉強会")

    # when the site is built
    site = build(graphql)

    # then each city has its own index page, listing only its own posting under its own name
    locations = page_text(site, "jobs/locations")
    city_pages = sorted(p.name for p in (site / "jobs" / "locations").iterdir() if p.is_dir())
    assert len(city_pages) == 2, city_pages
    assert all(name.startswith("jp-") for name in city_pages)
    for job, city in ((tokyo, "東京"), (osaka, "大阪")):
        [own] = [
            name
            for name in city_pages
            if f"jobs/{job['slug']}/" in page_text(site, f"jobs/locations/{name}")
        ]
        own_page = page_text(site, f"jobs/locations/{own}")
        assert f"Jobs in {city}, JP" in own_page
        other = osaka if job is tokyo else tokyo
        assert f"jobs/{other['slug']}/" not in own_page
        assert f"locations/{own}/" in locations
    # and the person and the event are not called organizations
    [person_page] = [p for p in (site / "people").iterdir() if p.is_dir()]
    assert person_page.name == f"person-{GlobalID.from_id(resume_id).node_id}"
    [event_page] = [p for p in (site / "events").iterdir() if p.is_dir()]
    assert event_page.name.startswith("event-"), event_page.name
    assert event["title"] in (event_page / "index.html").read_text()


def test_the_fallback_description_escapes_the_title() -> None:
    job = {
        "title": "<script>alert(1)</script> & Co",
        "descriptionHtml": "",
        "datePosted": None,
        "validThrough": None,
        "employmentTypes": [],
        "locations": [],
        "workplaceType": "ON_SITE",
        "applicantCountries": [],
    }
    data = jsonld.job_posting(job, None, "https://example.org/jobs/x/", None)
    assert data["description"] == "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</p>"

"""The board rendered as pages: one per public posting, resume, organization and upcoming
event, and index pages by location, workplace type and organization."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from api.core.markup import plain_text
from api.networks.service import slugify
from api.site import formats, jsonld
from api.site.addresses import path_of
from api.site.board import Board, parse_time
from api.site.pages import (
    EMPLOYMENT,
    KINDS,
    LISTED,
    LISTING_PAGE_SIZE,
    LISTING_SEARCH_BOX,
    SALARY_UNITS,
    SEARCH_BOX,
    WORKPLACES,
    Page,
    SitePages,
    day,
    e,
    external_link,
    latest,
    relative,
    up,
)
from api.site.people import family_name_key, one_per_person, person_name, resume_sections

#: Organization kinds, one of each (the index's headings are plural).
KIND = {
    "EMPLOYER": "Employer", "ALUMNI_ASSOCIATION": "Alumni association",
    "PROFESSIONAL_ASSOCIATION": "Professional association",
    "CHAMBER_OF_COMMERCE": "Chamber of commerce", "CLUB": "Club",
    "MEETUP_GROUP": "Meetup group",
}  # fmt: skip


class BoardRenderer:
    """Turns a `Board` into pages: one per posting, resume, organization and event, and
    index pages by location, workplace type and organization."""

    def __init__(self, board: Board, pages: SitePages) -> None:
        self.board = board
        self.pages = pages
        self.organizations = {org["id"]: org for org in board.organizations}
        # Each item's page is where its `url` field says (api.site.addresses has the rules).
        site_url = pages.site_url
        self.org_paths = {org["id"]: path_of(site_url, org["url"]) for org in board.organizations}
        self.job_paths = {job["id"]: path_of(site_url, job["url"]) for job in board.jobs}
        self.resume_paths = {r["id"]: path_of(site_url, r["url"]) for r in board.resumes}
        self.event_paths = {ev["id"]: path_of(site_url, ev["url"]) for ev in board.events}
        self.job_items: dict[str, str] = {}
        self.newest_jobs = sorted(
            board.jobs, key=lambda j: (j["datePosted"] or "", j["id"]), reverse=True
        )
        self.jobs_by_org: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for job in self.newest_jobs:
            org = job["hiringOrganization"]
            if org and org["id"] in self.org_paths:
                self.jobs_by_org[org["id"]].append(job)
        self.events_by_org: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for event in board.events:
            if event.get("organization"):
                self.events_by_org[event["organization"]["id"]].append(event)

    # -- jobs ---------------------------------------------------------------------------

    def _org_of(self, item: dict[str, Any], key: str) -> dict[str, Any] | None:
        ref = item.get(key)
        return self.organizations.get(ref["id"]) if ref else None

    def _place(self, location: dict[str, Any]) -> str:
        return ", ".join(
            v
            for v in (location.get("city"), location.get("region"), location.get("countryCode"))
            if v
        )

    def _job_summary(self, job: dict[str, Any]) -> str:
        org = self._org_of(job, "hiringOrganization")
        parts = [org["name"]] if org else []
        parts += [self._place(loc) for loc in job["locations"][:3]]
        parts.append(WORKPLACES.get(job["workplaceType"], job["workplaceType"]))
        return " · ".join(p for p in parts if p)

    def _salary(self, salary: dict[str, Any] | None) -> str:
        if not salary or (salary["min"] is None and salary["max"] is None):
            return ""
        low, high = salary["min"], salary["max"]
        amount = (
            f"{low:,} to {high:,}"
            if low is not None and high is not None
            else f"from {low:,}"
            if low is not None
            else f"up to {high:,}"
        )
        return f"{salary['currency']} {amount} a {SALARY_UNITS.get(salary['unit'], 'year')}"

    def job_page(self, job: dict[str, Any]) -> Page:
        path = self.job_paths[job["id"]]
        org = self._org_of(job, "hiringOrganization")
        org_path = self.org_paths.get(org["id"]) if org else None
        facts = []
        if org and org_path:
            facts.append(f'<a href="{relative(path, org_path)}">{e(org["name"])}</a>')
        for location in job["locations"]:
            place = self._place(location)
            if place:
                facts.append(
                    f'<a href="{relative(path, self._location_path(location))}">{e(place)}</a>'
                )
        facts.append(
            f'<a href="{relative(path, self._workplace_path(job["workplaceType"]))}">'
            f"{e(WORKPLACES.get(job['workplaceType'], job['workplaceType']))}</a>"
        )
        facts += [e(EMPLOYMENT.get(t, t)) for t in job["employmentTypes"]]
        body = [
            '<article class="confrere-board confrere-job">',
            f"<h1>{e(job['title'])}</h1>",
            f'<p class="confrere-facts">{" · ".join(facts)}</p>',
        ]
        salary = self._salary(job.get("salary"))
        if salary:
            body.append(f'<p class="confrere-salary">{e(salary)}</p>')
        if job["workplaceType"] == "REMOTE" and job["applicantCountries"]:
            body.append(f"<p>Open to applicants in {e(', '.join(job['applicantCountries']))}.</p>")
        body.append(
            f'<p class="confrere-dates">Posted <time datetime="{e(job["datePosted"] or "")}">'
            f"{day(job['datePosted'])}</time>"
            + (
                f' · apply by <time datetime="{e(job["validThrough"])}">'
                f"{day(job['validThrough'])}</time>"
                if job["validThrough"]
                else ""
            )
            + "</p>"
        )
        # Sanitized by the API when the posting was saved (nh3's allow-list, api.core.markup).
        body.append(f'<div class="confrere-description">{job["descriptionHtml"] or ""}</div>')
        for heading, items in (
            ("Responsibilities", job.get("responsibilities") or []),
            ("Qualifications", job.get("qualifications") or []),
        ):
            if items:
                body.append(f"<h2>{heading}</h2><ul>")
                body += [f"<li>{e(item)}</li>" for item in items]
                body.append("</ul>")
        if job["skills"]:
            body.append("<h2>Skills</h2><p>" + ", ".join(e(s) for s in job["skills"]) + "</p>")
        apply_url = jsonld.web_url(job.get("applyUrl"))
        if apply_url:
            body.append(
                f'<p><a class="md-button md-button--primary" href="{e(apply_url)}" '
                'rel="nofollow noopener">Apply on the employer\'s site</a></p>'
            )
        else:
            body.append(
                "<p>Apply with your Confrere account: the <code>applyToJob</code> mutation "
                f"with <code>jobId: {e(json.dumps(job['id']))}</code>.</p>"
            )
        body += [SEARCH_BOX, "</article>"]
        return Page(
            path=path,
            title=job["title"],
            description=self._job_summary(job),
            body="".join(body),
            data=jsonld.job_posting(
                job,
                org,
                self.pages.url(path),
                self.pages.url(org_path) if org_path else None,
            ),
            lastmod=job["updatedAt"],
        )

    def _location_path(self, location: dict[str, Any]) -> str:
        country = location.get("countryCode") or ""
        city = location.get("city") or ""
        if city:
            # A name with no Latin letters has no slug: a short hash of it keeps each such
            # city on its own page.
            key = unicodedata.normalize("NFKC", city).casefold().encode()
            city = slugify(city, fallback=hashlib.sha256(key).hexdigest()[:8])
        country = slugify(country) if country else ""
        return "jobs/locations/" + ("-".join(p for p in (country, city) if p) or "elsewhere")

    def _workplace_path(self, workplace: str) -> str:
        return f"jobs/workplace/{slugify(WORKPLACES.get(workplace, workplace))}"

    def _job_item(self, from_path: str, job: dict[str, Any]) -> str:
        tail = self.job_items.get(job["id"])
        if tail is None:
            tail = self.job_items[job["id"]] = (
                f'{self.job_paths[job["id"]]}/">{e(job["title"])}</a> '
                f"<small>{e(self._job_summary(job))}</small></li>"
            )
        return f'<li><a href="{up(from_path)}{tail}'

    def listing(
        self,
        path: str,
        title: str,
        items: list[Any],
        item_html: Callable[[str, Any], str],
        *,
        intro: str = "",
        description: str = "",
        lastmod: str | None = None,
        search_box: bool = False,
        empty: str = "Nothing here yet.",
    ) -> None:
        """An index page, split into pages of LISTING_PAGE_SIZE items (`page/2/`, ...)."""
        chunks = [
            items[i : i + LISTING_PAGE_SIZE] for i in range(0, len(items), LISTING_PAGE_SIZE)
        ] or [[]]
        for number, chunk in enumerate(chunks, start=1):
            page_path = path if number == 1 else f"{path}/page/{number}"
            body = [f'<div class="confrere-board"><h1>{e(title)}</h1>', intro]
            if search_box:
                # The widget shows this page's own list until the visitor searches.
                body.append(LISTING_SEARCH_BOX)
                body.append(f'<div id="{LISTED}">')
            if chunk:
                body.append(
                    "<ul>" + "".join(item_html(page_path, item) for item in chunk) + "</ul>"
                )
            elif empty:
                body.append(f"<p>{e(empty)}</p>")
            links = []
            if number > 1:
                previous = path if number == 2 else f"{path}/page/{number - 1}"
                links.append(f'<a href="{relative(page_path, previous)}" rel="prev">Previous</a>')
            if number < len(chunks):
                links.append(
                    f'<a href="{relative(page_path, f"{path}/page/{number + 1}")}" rel="next">'
                    "Next</a>"
                )
            if links:
                body.append(f'<p class="confrere-pages">{" · ".join(links)}</p>')
            if search_box:
                body.append("</div>")
            body.append("</div>")
            page_title = title if number == 1 else f"{title} (page {number})"
            self.pages.write(
                Page(
                    path=page_path,
                    title=page_title,
                    description=description,
                    body="".join(body),
                    lastmod=lastmod,
                ),
                "indexes",
            )

    def jobs(self) -> None:
        jobs = self.newest_jobs
        for job in jobs:
            self.pages.write(self.job_page(job), "jobs")
        by_location: dict[str, tuple[str, list[dict[str, Any]]]] = {}
        by_workplace: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for job in jobs:
            for location in job["locations"]:
                path = self._location_path(location)
                by_location.setdefault(path, (self._place(location) or "Elsewhere", []))[1].append(
                    job
                )
            by_workplace[job["workplaceType"]].append(job)
        item = self._job_item

        def link_list(from_path: str, entries: list[tuple[str, str, int]]) -> str:
            return (
                "<ul>"
                + "".join(
                    f'<li><a href="{relative(from_path, to)}">{e(label)}</a> ({count})</li>'
                    for to, label, count in entries
                )
                + "</ul>"
            )

        locations = sorted(
            ((p, label, len(js)) for p, (label, js) in by_location.items()), key=lambda t: t[1]
        )
        workplaces = [
            (self._workplace_path(w), WORKPLACES.get(w, w), len(js))
            for w, js in sorted(by_workplace.items())
        ]
        employers = sorted(
            (
                (f"{self.org_paths[org_id]}/jobs", self.organizations[org_id]["name"], len(js))
                for org_id, js in self.jobs_by_org.items()
            ),
            key=lambda t: t[1].lower(),
        )
        intro = (
            f"<p>{len(jobs)} open positions, newest first. Browse "
            '<a href="locations/">by location</a>, <a href="workplace/">by workplace</a> or '
            '<a href="employers/">by employer</a>; the same postings are in the '
            '<a href="../feeds/jobs.atom">Atom feed</a>.</p>'
        )
        newest = latest(j["updatedAt"] for j in jobs)
        self.listing(
            "jobs", "Jobs", jobs, item, intro=intro, lastmod=newest, search_box=True,
            description="Open positions on this Confrere network.",
            empty="No open positions right now.",
        )  # fmt: skip
        for path, title, entries in (
            ("jobs/locations", "Jobs by location", locations),
            ("jobs/workplace", "Jobs by workplace", workplaces),
            ("jobs/employers", "Jobs by employer", employers),
        ):
            self.listing(
                path, title, [], item, intro=link_list(path, entries), lastmod=newest,
                search_box=True, empty="",
            )  # fmt: skip
        for path, (label, located) in by_location.items():
            self.listing(
                path, f"Jobs in {label}", located, item, search_box=True,
                lastmod=latest(j["updatedAt"] for j in located),
                description=f"Open positions in {label}.",
            )  # fmt: skip
        for workplace, listed in by_workplace.items():
            label = WORKPLACES.get(workplace, workplace)
            self.listing(
                self._workplace_path(workplace), f"{label} jobs", listed, item, search_box=True,
                lastmod=latest(j["updatedAt"] for j in listed),
                description=f"{label} positions.",
            )  # fmt: skip
        for org_id, listed in self.jobs_by_org.items():
            name = self.organizations[org_id]["name"]
            self.listing(
                f"{self.org_paths[org_id]}/jobs", f"Jobs at {name}", listed, item,
                search_box=True, lastmod=latest(j["updatedAt"] for j in listed),
                description=f"Open positions at {name}.",
            )  # fmt: skip

    # -- organizations ------------------------------------------------------------------

    def _post_item(self, post: dict[str, Any]) -> str:
        published = day(post.get("publishedAt") or post.get("createdAt"))
        text = plain_text(post.get("bodyHtml") or "")
        excerpt = text if len(text) <= 280 else text[:280].rsplit(" ", 1)[0] + "…"
        title = post.get("title")
        return (
            "<li>"
            + (f"<strong>{e(title)}</strong>" if title else "")
            + f'<div class="confrere-meta"><span class="confrere-when">{e(published)}</span></div>'
            + (f"<p>{e(excerpt)}</p>" if excerpt else "")
            + "</li>"
        )

    def organization_page(self, org: dict[str, Any]) -> Page:
        path = self.org_paths[org["id"]]
        members = org.get("memberCount") or 0
        facts = [e(KIND.get(org["kind"], org["kind"]))]
        if org.get("isVerified"):
            facts.append("verified employer")
        if org.get("location"):
            facts.append(e(org["location"]))
        facts.append(f"{members:,} member{'' if members == 1 else 's'}")
        if org.get("website"):
            facts.append(external_link(org["website"]))
        body = [
            '<article class="confrere-board confrere-organization">',
            f"<h1>{e(org['name'])}</h1>",
            f'<p class="confrere-facts">{" · ".join(facts)}</p>',
        ]
        if org.get("interest"):
            body.append(f"<p><strong>{e(org['interest'])}</strong></p>")
        for paragraph in (org.get("description") or "").split("\n\n"):
            if paragraph.strip():
                body.append(f"<p>{e(paragraph.strip())}</p>")
        if org.get("directoryVisibility") == "PUBLIC":
            body.append(
                f'<p><a href="{relative(path, self._directory_path(org))}">'
                f"Member directory</a>: browse and search the members who list themselves.</p>"
            )
        listed = self.jobs_by_org.get(org["id"], [])
        body.append(f"<h2>Open positions ({len(listed)})</h2>")
        if listed:
            body.append("<ul>")
            body += [self._job_item(path, job) for job in listed[:10]]
            body.append("</ul>")
            if len(listed) > 10:
                body.append(f'<p><a href="jobs/">All {len(listed)} positions</a></p>')
        else:
            body.append("<p>No open positions right now.</p>")
        upcoming = self.events_by_org.get(org["id"], [])
        body.append("<h2>Upcoming events</h2>")
        if upcoming:
            body.append("<ul>")
            body += [self._event_item(path, ev) for ev in upcoming[:10]]
            body.append("</ul>")
        else:
            body.append("<p>No upcoming public events.</p>")
        posts = self.board.posts.get(org["id"], [])
        if posts:
            body.append('<h2>Recent posts</h2><ul class="confrere-entries">')
            body += [self._post_item(post) for post in posts]
            body.append("</ul>")
        body.append("</article>")
        return Page(
            path=path,
            title=org["name"],
            description=org.get("interest") or org.get("description") or org["name"],
            body="".join(body),
            data=jsonld.organization_page(org, self.pages.url(path)),
            lastmod=latest([org["createdAt"], *(j["updatedAt"] for j in listed)]),
        )

    def _directory_path(self, org: dict[str, Any]) -> str:
        return f"{self.org_paths[org['id']]}/directory"

    def directory_page(self, org: dict[str, Any]) -> Page:
        """A public directory: the live directory search (board.js) and how to query it."""
        path = self._directory_path(org)
        body = (
            '<article class="confrere-board confrere-directory">'
            f"<h1>{e(org['name'])}: members</h1>"
            f'<p><a href="{relative(path, self.org_paths[org["id"]])}">{e(org["name"])}</a> '
            "lets anyone browse its member directory: the members who list themselves, with "
            "the fields they show to everyone.</p>"
            f'<div class="confrere-search" data-kind="directory" '
            f'data-organization="{e(org["id"])}">'
            '<p class="confrere-search-fallback">The directory search needs JavaScript; '
            "without it, ask the API: <code>directory(organizationId: "
            f"{e(json.dumps(org['id']))})</code>.</p></div></article>"
        )
        return Page(
            path=path,
            title=f"{org['name']}: members",
            description=f"The member directory of {org['name']}.",
            body=body,
        )

    def organizations_pages(self) -> None:
        orgs = sorted(self.board.organizations, key=lambda o: o["name"].lower())
        for org in orgs:
            self.pages.write(self.organization_page(org), "organizations")
            if org.get("directoryVisibility") == "PUBLIC":
                self.pages.write(self.directory_page(org), "indexes")
        sections = []
        for kind, label in KINDS.items():
            of_kind = [o for o in orgs if o["kind"] == kind]
            if of_kind:
                sections.append(
                    f"<h2>{e(label)}</h2><ul>"
                    + "".join(
                        f'<li><a href="{relative("organizations", self.org_paths[o["id"]])}">'
                        f"{e(o['name'])}</a>"
                        + (f" <small>{e(o['interest'])}</small>" if o.get("interest") else "")
                        + "</li>"
                        for o in of_kind
                    )
                    + "</ul>"
                )
        self.listing(
            "organizations", "Organizations", [], lambda _p, _o: "",
            intro="".join(sections), empty="" if sections else "No public organizations yet.",
            lastmod=latest(o["createdAt"] for o in orgs),
            description="Employers, associations, chambers and clubs on this network.",
        )  # fmt: skip

    # -- people -------------------------------------------------------------------------

    def resume_page(self, resume: dict[str, Any], others: list[dict[str, Any]]) -> Page:
        path = self.resume_paths[resume["id"]]
        basics = resume.get("basics") or {}
        location = basics.get("location") or {}
        name = person_name(resume)
        headline = resume.get("currentTitle") or basics.get("label") or ""
        body = [
            '<article class="confrere-board confrere-person">',
            f"<h1>{e(name)}</h1>",
        ]
        facts = [e(headline)] if headline else []
        if resume.get("currentEmployer"):
            facts.append(f"at {e(resume['currentEmployer'])}")
        place = self._place(location)
        if place:
            facts.append(e(place))
        if facts:
            body.append(f'<p class="confrere-facts">{" · ".join(facts)}</p>')
        if basics.get("summary"):
            body.append(f"<p>{e(basics['summary'])}</p>")
        links = [
            external_link(p.get("url"), p.get("network") or p.get("username"))
            for p in basics.get("profiles") or []
            if jsonld.web_url(p.get("url"))
        ]
        if jsonld.web_url(basics.get("url")):
            links.insert(0, external_link(basics["url"]))
        if links:
            body.append(f"<p>{' · '.join(links)}</p>")
        body.append(resume_sections(resume))
        if others:
            body.append(
                f"<h2>More resumes of {e(name)}</h2><ul>"
                + "".join(
                    f'<li><a href="{relative(path, self.resume_paths[other["id"]])}">'
                    f"{e(other.get('title') or person_name(other))}</a></li>"
                    for other in others
                )
                + "</ul>"
            )
        body.append("</article>")
        return Page(
            path=path,
            title=f"{name} — {headline}" if headline else name,
            description=basics.get("summary") or headline or name,
            body="".join(body),
            data=jsonld.profile_page(resume, self.pages.url(path)),
            lastmod=resume.get("updatedAt"),
        )

    def people_pages(self) -> None:
        # Each person once on the index (their primary or latest public resume), in
        # family-name order; each public resume keeps its own page.
        people = sorted(
            one_per_person(self.board.resumes), key=lambda p: family_name_key(person_name(p[0]))
        )
        for lead, others in people:
            for resume in (lead, *others):
                siblings = [r for r in (lead, *others) if r is not resume]
                self.pages.write(self.resume_page(resume, siblings), "resumes")

        def item(from_path: str, person: tuple[dict[str, Any], list[dict[str, Any]]]) -> str:
            resume = person[0]
            headline = resume.get("currentTitle") or (resume.get("basics") or {}).get("label")
            return (
                f'<li><a href="{relative(from_path, self.resume_paths[resume["id"]])}">'
                f"{e(person_name(resume))}</a>"
                + (f" <small>{e(headline)}</small>" if headline else "")
                + "</li>"
            )

        self.listing(
            "people", "People", people, item,
            intro="<p>People who chose to show their resume to everyone, by family name.</p>",
            lastmod=latest(r.get("updatedAt") for r in self.board.resumes),
            description="Public resumes on this Confrere network.",
            empty="No public resumes yet.",
        )  # fmt: skip

    # -- events -------------------------------------------------------------------------

    def _event_day(self, event: dict[str, Any]) -> str:
        starts = parse_time(event["startsAt"])
        return formats.day(formats.in_zone(starts, event.get("timeZone"))) if starts else ""

    def _event_item(self, from_path: str, event: dict[str, Any]) -> str:
        return (
            f'<li><a href="{relative(from_path, self.event_paths[event["id"]])}">'
            f"{e(event['title'])}</a> <small>{e(self._event_day(event))}</small></li>"
        )

    def event_page(self, event: dict[str, Any]) -> Page:
        path = self.event_paths[event["id"]]
        org = self._org_of(event, "organization")
        org_path = self.org_paths.get(org["id"]) if org else None
        starts = parse_time(event["startsAt"])
        ends = parse_time(event["endsAt"])
        zone = event.get("timeZone")
        when = formats.event_time(starts, ends, zone) if starts else ""
        # On a narrow screen the line may break after a comma, never inside a date.
        when_html = ", ".join(
            f'<span class="confrere-when">{e(part)}</span>' for part in when.split(", ") if part
        )
        local_start = formats.in_zone(starts, zone).isoformat() if starts else ""
        facts = [
            e(event["kind"].replace("_", " ").capitalize()),
            e(event["format"].replace("_", " ").lower()),
        ]
        if org and org_path:
            facts.insert(0, f'<a href="{relative(path, org_path)}">{e(org["name"])}</a>')
        body = [
            '<article class="confrere-board confrere-event">',
            f"<h1>{e(event['title'])}</h1>",
            f'<p class="confrere-facts">{" · ".join(facts)}</p>',
            f'<p class="confrere-event-time"><time datetime="{e(local_start)}">{when_html}</time>'
            + (f' <span class="confrere-meta">· {e(zone)}</span>' if zone else "")
            + "</p>",
        ]
        where = ", ".join(e(v) for v in (event.get("venue"), event.get("address")) if v)
        if where:
            body.append(f"<p>{where}</p>")
        if event.get("capacity"):
            body.append(f"<p>{event['capacity']:,} seats.</p>")
        body.append(f'<div class="confrere-description">{event.get("descriptionHtml") or ""}</div>')
        body.append("</article>")
        return Page(
            path=path,
            title=event["title"],
            description=f"{self._event_day(event)} · {org['name'] if org else ''}",
            body="".join(body),
            data=jsonld.event(
                event, org, self.pages.url(path), self.pages.url(org_path) if org_path else None
            ),
            lastmod=event.get("updatedAt"),
        )

    def events_pages(self) -> None:
        events = sorted(
            self.board.events,
            key=lambda ev: (parse_time(ev["startsAt"]) or self.board.read_at, ev["id"]),
        )
        for event in events:
            self.pages.write(self.event_page(event), "events")
        self.listing(
            "events", "Upcoming events", events, self._event_item,
            lastmod=latest(ev.get("updatedAt") for ev in events),
            description="Upcoming public events on this Confrere network.",
            empty="No upcoming public events.",
        )  # fmt: skip

    def render(self) -> dict[str, int]:
        self.jobs()
        self.organizations_pages()
        self.people_pages()
        self.events_pages()
        return dict(self.pages.counts)


def write_board(board: Board, docs_dir: Path, site_url: str) -> dict[str, int]:
    """Write every board page into `docs_dir`; returns how many pages of each kind."""
    counts = BoardRenderer(board, SitePages(docs_dir=docs_dir, site_url=site_url)).render()
    return {kind: 0 for kind in ("jobs", "resumes", "organizations", "events", "indexes")} | counts

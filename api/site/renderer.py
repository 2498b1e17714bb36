"""The board rendered as pages: one per public posting, resume, organization and upcoming
event, and index pages by location, workplace type and organization."""

from __future__ import annotations

import bisect
import hashlib
import json
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
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


class BoardOutOfDate(RuntimeError):
    """A change needs what only a full build reads (a new organization, say)."""


@dataclass(eq=False)
class JobEntry:
    """What the listings keep of a posting: its place in them and its line."""

    id: str
    path: str
    key: tuple[str, str]
    """(datePosted, id): the listings' order, oldest first."""
    updated_at: str | None
    organization: str | None
    listed: tuple[tuple[str, str, str], ...]
    """The listings it is on: (path, label, kind)."""
    item: str
    """Its line in a listing, after the relative way up to the site's root."""


@dataclass(eq=False)
class JobListing:
    """An index of postings, newest first, in pages that stay put.

    Pages are numbered from the oldest end (`page/1/` holds the oldest postings) and the
    listing's own address shows the newest ones, so a new posting changes the first page
    only; when that page passes twice the page size its older half becomes the next
    numbered page. A posting that leaves frees its place without moving the others. A full
    build packs the pages anew.
    """

    path: str
    label: str
    kind: str
    title: str
    description: str
    buckets: list[list[JobEntry]] = field(default_factory=lambda: [[]])
    """Oldest first, each oldest first; the last is the listing's own page."""
    count: int = 0
    gone: list[str] = field(default_factory=list)
    """Numbered pages to take off the site (their postings moved to the listing's page)."""

    def page_path(self, number: int) -> str:
        return self.path if number == len(self.buckets) - 1 else f"{self.path}/page/{number + 1}"

    def entries(self) -> Iterator[JobEntry]:
        for bucket in self.buckets:
            yield from bucket

    def newest(self, limit: int) -> list[JobEntry]:
        found: list[JobEntry] = []
        for bucket in reversed(self.buckets):
            for entry in reversed(bucket):
                if len(found) == limit:
                    return found
                found.append(entry)
        return found

    def pack(self) -> None:
        items = sorted(self.entries(), key=lambda entry: entry.key)
        size = LISTING_PAGE_SIZE
        self.buckets = [items[max(0, end - size) : end] for end in range(len(items), 0, -size)][
            ::-1
        ] or [[]]
        self.count = len(items)

    def _bucket_of(self, key: tuple[str, str]) -> int:
        for number in range(len(self.buckets) - 1, -1, -1):
            bucket = self.buckets[number]
            if bucket and bucket[0].key <= key:
                return number
        return 0

    def add(self, entry: JobEntry) -> set[int]:
        """Place a posting; returns the numbers of the pages that changed."""
        number = self._bucket_of(entry.key)
        bisect.insort(self.buckets[number], entry, key=lambda item: item.key)
        self.count += 1
        changed = {number}
        last = len(self.buckets) - 1
        front = self.buckets[last]
        if number == last and len(front) > 2 * LISTING_PAGE_SIZE:
            self.buckets[last:] = [front[:-LISTING_PAGE_SIZE], front[-LISTING_PAGE_SIZE:]]
            changed |= {last - 1, last, last + 1}
        return changed

    def remove(self, entry: JobEntry) -> set[int]:
        """Take a posting off; returns the numbers of the pages that changed."""
        number = self._bucket_of(entry.key)
        bucket = self.buckets[number]
        at = bisect.bisect_left(bucket, entry.key, key=lambda item: item.key)
        if at == len(bucket) or bucket[at].id != entry.id:
            return set()
        del bucket[at]
        self.count -= 1
        changed = {number}
        last = len(self.buckets) - 1
        if number == last and not bucket and last > 0:
            self.buckets.pop()
            self.gone.append(f"{self.path}/page/{last}")
            changed = {last - 1, last - 2}
        return changed


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
        self.entries: dict[str, JobEntry] = {}
        self.listings: dict[str, JobListing] = {}
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
            body.append(self._apply_box(path, job["id"]))
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

    def _apply_box(self, path: str, job_id: str) -> str:
        """Where the member app's apply form goes (site/assets/app/apply.js); the API's own
        instructions stay inside it for readers without JavaScript."""
        return (
            f'<div class="confrere-apply" data-job-id="{e(job_id)}">'
            "<p>Apply with your Confrere account: the <code>applyToJob</code> mutation "
            f"with <code>jobId: {e(json.dumps(job_id))}</code>.</p></div>"
            f'<script type="module" src="{up(path)}assets/app/apply.js"></script>'
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

    def _job_item(self, from_path: str, entry: JobEntry) -> str:
        return f'<li><a href="{up(from_path)}{entry.item}'

    def _entry(self, job: dict[str, Any]) -> JobEntry:
        """What the listings keep of a posting (the rest is read again when it changes)."""
        org = self._org_of(job, "hiringOrganization")
        path = self.job_paths[job["id"]]
        listed = [("jobs", "Jobs", "all")]
        for location in job["locations"]:
            place = self._place(location) or "Elsewhere"
            listed.append((self._location_path(location), place, "location"))
        workplace = job["workplaceType"]
        listed.append(
            (self._workplace_path(workplace), WORKPLACES.get(workplace, workplace), "workplace")
        )
        if org and org["id"] in self.org_paths:
            listed.append((f"{self.org_paths[org['id']]}/jobs", org["name"], "employer"))
        return JobEntry(
            id=job["id"],
            path=path,
            key=(job["datePosted"] or "", job["id"]),
            updated_at=job["updatedAt"],
            organization=org["id"] if org and org["id"] in self.org_paths else None,
            listed=tuple(dict.fromkeys(listed)),
            item=f'{path}/">{e(job["title"])}</a> <small>{e(self._job_summary(job))}</small></li>',
        )

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

    # -- job listings: pages that stay put as postings come and go -----------------------

    def _listing_for(self, path: str, label: str, kind: str) -> JobListing:
        listing = self.listings.get(path)
        if listing is None:
            titles = {
                "all": ("Jobs", "Open positions on this Confrere network."),
                "location": (f"Jobs in {label}", f"Open positions in {label}."),
                "workplace": (f"{label} jobs", f"{label} positions."),
                "employer": (f"Jobs at {label}", f"Open positions at {label}."),
            }
            title, description = titles[kind]
            listing = self.listings[path] = JobListing(path, label, kind, title, description)
        return listing

    def _list(self, entry: JobEntry) -> None:
        for path, label, kind in entry.listed:
            self._listing_for(path, label, kind).add(entry)

    def _unlist(self, entry: JobEntry) -> None:
        for path, _label, _kind in entry.listed:
            listing = self.listings.get(path)
            if listing is not None:
                listing.remove(entry)

    def _link_list(self, from_path: str, entries: list[tuple[str, str, int]]) -> str:
        return (
            "<ul>"
            + "".join(
                f'<li><a href="{relative(from_path, to)}">{e(label)}</a> ({count})</li>'
                for to, label, count in entries
            )
            + "</ul>"
        )

    def _listing_pages(self, listing: JobListing, numbers: set[int] | None = None) -> None:
        """Write a listing's pages (those of `numbers`, else all) and take off the pages it
        no longer has."""
        for path in listing.gone:
            self.pages.remove(path)
        listing.gone.clear()
        if listing.count == 0 and listing.kind != "all":
            for number in range(len(listing.buckets)):
                self.pages.remove(listing.page_path(number))
            return
        intro = ""
        if listing.kind == "all":
            intro = (
                f"<p>{listing.count:,} open position{'' if listing.count == 1 else 's'}, "
                "newest first. Browse "
                '<a href="locations/">by location</a>, <a href="workplace/">by workplace</a> '
                'or <a href="employers/">by employer</a>; the same postings are in the '
                '<a href="../feeds/jobs.atom">Atom feed</a>.</p>'
            )
        last = len(listing.buckets) - 1
        for number in sorted(numbers if numbers is not None else range(last + 1)):
            if not 0 <= number <= last:
                continue
            page_path = listing.page_path(number)
            bucket = listing.buckets[number]
            body = [f'<div class="confrere-board"><h1>{e(listing.title)}</h1>']
            if number == last:
                body.append(intro)
            body.append(LISTING_SEARCH_BOX)
            body.append(f'<div id="{LISTED}">')
            if bucket:
                body.append(
                    "<ul>"
                    + "".join(self._job_item(page_path, entry) for entry in reversed(bucket))
                    + "</ul>"
                )
            else:
                body.append(
                    "<p>No open positions right now.</p>"
                    if listing.kind == "all"
                    else "<p>Nothing here yet.</p>"
                )
            links = []
            if number < last:
                links.append(
                    f'<a href="{relative(page_path, listing.page_path(number + 1))}" '
                    'rel="prev">Newer</a>'
                )
            if number > 0:
                links.append(
                    f'<a href="{relative(page_path, listing.page_path(number - 1))}" '
                    'rel="next">Older</a>'
                )
            if links:
                body.append(f'<p class="confrere-pages">{" · ".join(links)}</p>')
            body.append("</div></div>")
            self.pages.write(
                Page(
                    path=page_path,
                    title=listing.title
                    if number == last
                    else f"{listing.title} (page {number + 1})",
                    description=listing.description,
                    body="".join(body),
                    lastmod=latest(entry.updated_at for entry in bucket),
                ),
                "indexes",
            )

    def _job_overviews(self) -> None:
        """The pages listing the locations, workplaces and employers, with their counts."""
        by_kind: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
        for listing in self.listings.values():
            if listing.count and listing.kind != "all":
                by_kind[listing.kind].append((listing.path, listing.label, listing.count))
        every = self.listings.get("jobs")
        newest = latest(
            entry.updated_at
            for listing in ([every] if every else [])
            for entry in listing.newest(LISTING_PAGE_SIZE)
        )
        for path, title, kind, order in (
            ("jobs/locations", "Jobs by location", "location", lambda t: t[1]),
            ("jobs/workplace", "Jobs by workplace", "workplace", lambda t: t[0]),
            ("jobs/employers", "Jobs by employer", "employer", lambda t: t[1].lower()),
        ):
            self.listing(
                path, title, [], lambda _p, _i: "",
                intro=self._link_list(path, sorted(by_kind[kind], key=order)),
                lastmod=newest, search_box=True, empty="",
            )  # fmt: skip

    def jobs(self) -> None:
        jobs = sorted(self.board.jobs, key=lambda j: (j["datePosted"] or "", j["id"]), reverse=True)
        for job in jobs:
            self.pages.write(self.job_page(job), "jobs")
        for job in reversed(jobs):  # oldest first: the listings are packed from the newest end
            entry = self.entries[job["id"]] = self._entry(job)
            for path, label, kind in entry.listed:
                self._listing_for(path, label, kind).buckets[0].append(entry)
        self._listing_for("jobs", "Jobs", "all")
        for listing in self.listings.values():
            listing.pack()
            self._listing_pages(listing)
        self._job_overviews()

    def apply_job_changes(self, changed: dict[str, dict[str, Any] | None]) -> None:
        """Re-render what the changed postings touch: their pages, the listing pages they
        are or were on, their employers' pages and the overviews. `changed` holds each
        posting as the public sees it now (None: it left the board)."""
        touched: dict[str, set[int]] = defaultdict(set)
        organizations: set[str] = set()
        for job_id, job in changed.items():
            old = self.entries.pop(job_id, None)
            if old is not None:
                for path, _label, _kind in old.listed:
                    listing = self.listings.get(path)
                    if listing is not None:
                        touched[path] |= listing.remove(old)
                if old.organization:
                    organizations.add(old.organization)
                if job is None or self.job_paths.get(job_id) != old.path:
                    self.pages.remove(old.path)
            if job is None:
                self.job_paths.pop(job_id, None)
                continue
            org = self._org_of(job, "hiringOrganization")
            if job["hiringOrganization"] and org is None:
                raise BoardOutOfDate(f"the posting {job_id} names an organization new to the board")
            self.job_paths[job_id] = path_of(self.pages.site_url, job["url"])
            self.pages.write(self.job_page(job), "jobs")
            entry = self.entries[job_id] = self._entry(job)
            for path, label, kind in entry.listed:
                touched[path] |= self._listing_for(path, label, kind).add(entry)
            if entry.organization:
                organizations.add(entry.organization)
        for path, numbers in touched.items():
            listing = self.listings[path]
            self._listing_pages(listing, numbers)
            if listing.count == 0 and listing.kind != "all":
                del self.listings[path]
        self._job_overviews()
        for org_id in organizations:
            self.pages.write(self.organization_page(self.organizations[org_id]), "organizations")

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
        # The member app (organization.js) keeps the count current once someone joins.
        facts.append(
            f'<span class="confrere-member-count">'
            f"{members:,} member{'' if members == 1 else 's'}</span>"
        )
        if org.get("website"):
            facts.append(external_link(org["website"]))
        body = [
            '<article class="confrere-board confrere-organization">',
            f"<h1>{e(org['name'])}</h1>",
            f'<p class="confrere-facts">{" · ".join(facts)}</p>',
        ]
        body.append(self._organization_app(path, org))
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
        jobs = self.listings.get(f"{path}/jobs")
        count = jobs.count if jobs else 0
        body.append(f"<h2>Open positions ({count})</h2>")
        if jobs and count:
            body.append("<ul>")
            body += [self._job_item(path, entry) for entry in jobs.newest(10)]
            body.append("</ul>")
            if count > 10:
                body.append(f'<p><a href="jobs/">All {count} positions</a></p>')
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
            lastmod=latest(
                [org["createdAt"], *(entry.updated_at for entry in jobs.entries())]
                if jobs
                else [org["createdAt"]]
            ),
        )

    def _organization_app(self, path: str, org: dict[str, Any]) -> str:
        """The member app's join / leave block (site/assets/app/organization.js)."""
        return (
            f'<div class="confrere-app confrere-app--board" data-page="organization" '
            f'data-organization="{e(org["id"])}" data-slug="{e(org["slug"])}">'
            "<noscript>To join, sign in to the member app (it needs JavaScript) or use the "
            "API's <code>joinOrganization</code> mutation.</noscript></div>"
            f'<script type="module" src="{up(path)}assets/app/organization.js"></script>'
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
            seats = event["capacity"]
            body.append(f"<p>{seats:,} seat{'' if seats == 1 else 's'}.</p>")
        body.append(self._event_app(path, event))
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

    def _event_app(self, path: str, event: dict[str, Any]) -> str:
        """The member app's RSVP block (site/assets/app/event.js), and the event's iCalendar
        file, which works without JavaScript too."""
        return (
            f'<div class="confrere-app confrere-app--board" data-page="event" '
            f'data-event="{e(event["id"])}">'
            '<div class="confrere-app__rsvp"><noscript>To RSVP, sign in to the member app (it '
            "needs JavaScript) or use the API's <code>rsvp</code> mutation.</noscript></div>"
            f'<p><a href="{up(path)}events/{e(event["id"])}.ics" '
            'class="confrere-app__calendar" type="text/calendar">Add to calendar (.ics)</a></p>'
            "</div>"
            f'<script type="module" src="{up(path)}assets/app/event.js"></script>'
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


def write_board(renderer: BoardRenderer) -> dict[str, int]:
    """Write every board page; returns how many pages of each kind."""
    counts = renderer.render()
    return {kind: 0 for kind in ("jobs", "resumes", "organizations", "events", "indexes")} | counts

"""Board pages as HTML in the theme's page: no Markdown to parse, no template to evaluate.

Each page's title, description, body and JSON-LD fill the placeholders of the theme's page
that MkDocs built for the docs (`api.site.shell`). User text therefore never meets the
Markdown parser, a Markdown extension or a template engine: it is escaped here (titles,
names, any plain text) or is the sanitized HTML the API rendered on save.
"""

from __future__ import annotations

import contextlib
import html
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from api.site import formats, jsonld
from api.site.addresses import page_url
from api.site.board import parse_time
from api.site.shell import Shells
from api.site.sitemaps import Sitemaps, write_text

LISTING_PAGE_SIZE = 200
SEARCH_BOX = '<div class="confrere-search" data-kind="jobs"></div>'
#: An index page's own list: the widget shows it while no search is on and its results in
#: its place once the visitor searches (board.js), so no posting is listed twice.
LISTED = "confrere-listed"
LISTING_SEARCH_BOX = f'<div class="confrere-search" data-kind="jobs" data-list="#{LISTED}"></div>'
WORKPLACES = {"ON_SITE": "On-site", "HYBRID": "Hybrid", "REMOTE": "Remote"}
EMPLOYMENT = {
    "FULL_TIME": "Full-time", "PART_TIME": "Part-time", "CONTRACTOR": "Contract",
    "TEMPORARY": "Temporary", "INTERN": "Internship", "VOLUNTEER": "Volunteer",
    "PER_DIEM": "Per diem", "OTHER": "Other",
}  # fmt: skip
KINDS = {
    "EMPLOYER": "Employers", "ALUMNI_ASSOCIATION": "Alumni associations",
    "PROFESSIONAL_ASSOCIATION": "Professional associations",
    "CHAMBER_OF_COMMERCE": "Chambers of commerce", "CLUB": "Clubs",
    "MEETUP_GROUP": "Meetup groups",
}  # fmt: skip
SALARY_UNITS = {"HOUR": "hour", "DAY": "day", "WEEK": "week", "MONTH": "month", "YEAR": "year"}


def e(text: Any) -> str:
    """Plain text for HTML text or a quoted attribute."""
    return html.escape(str(text), quote=True)


def external_link(url: str | None, label: str | None = None) -> str:
    """A link to a user-given address if it is http(s); else the address as plain text."""
    safe = jsonld.web_url(url)
    if safe is None:
        return e(label or url or "")
    return f'<a href="{e(safe)}" rel="nofollow noopener ugc">{e(label or safe)}</a>'


def day(value: str | None) -> str:
    """`6 Dec 2026` (in UTC), for a posting's dates."""
    return formats.day(parse_time(value))


@dataclass
class Page:
    path: str
    """The page's folder in the site, e.g. `jobs/backend-engineer-1a2b3c4d`."""
    title: str
    body: str
    description: str = ""
    data: dict[str, Any] | None = None
    lastmod: str | None = None


@dataclass
class SitePages:
    """Writes board pages as HTML into the served build (`output`), in the theme's page
    (`shells`), and remembers each page's address and modification date for the sitemap.

    `atomic`: each file is written beside its place and renamed over it, so a visitor never
    reads half a page (the incremental update writes into the site being served; a full
    build writes into a fresh folder nobody serves yet, and need not).
    """

    output: Path
    site_url: str
    shells: Shells
    atomic: bool = False
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    sitemaps: Sitemaps = field(init=False)
    """Each page's address and lastmod, by kind (jobs, resumes, organizations, events,
    indexes)."""
    folders: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.sitemaps = Sitemaps(self.site_url)

    def url(self, path: str) -> str:
        return page_url(self.site_url, path)

    def html(self, page: Page) -> str:
        return self.shells.for_path(page.path).html(
            title=e(page.title),
            description=e(page.description[:300]),
            body=page.body,
            jsonld=jsonld.dumps(page.data) if page.data is not None else "",
            canonical=e(self.url(page.path)),
        )

    def write(self, page: Page, kind: str) -> None:
        target = os.path.join(self.output, page.path)
        if target not in self.folders:
            os.makedirs(target, exist_ok=True)
            self.folders.add(target)
        write_text(os.path.join(target, "index.html"), self.html(page), atomic=self.atomic)
        self.counts[kind] += 1
        self.sitemaps.add(kind, self.url(page.path), page.lastmod)

    def remove(self, path: str) -> None:
        """Take a page off the site (its folder too, unless other pages live under it)."""
        folder = os.path.join(self.output, path)
        with contextlib.suppress(FileNotFoundError):
            os.remove(os.path.join(folder, "index.html"))
        with contextlib.suppress(OSError):
            os.rmdir(folder)
        self.sitemaps.remove(self.url(path))


def up(from_path: str) -> str:
    """From the folder page `from_path` back to the site's root (`../../` for `jobs/x`)."""
    return "../" * (from_path.count("/") + 1)


def relative(from_path: str, to_path: str) -> str:
    """The relative address of the folder page `to_path` from the folder page `from_path`.

    Through the root, which keeps it one string operation for tens of thousands of links.
    """
    return f"{up(from_path)}{to_path}/"


def latest(values: Iterable[str | None]) -> str | None:
    moments = [m for m in (parse_time(v) for v in values) if m is not None]
    return max(moments).isoformat() if moments else None

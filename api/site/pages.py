"""Board pages as plain Markdown files for MkDocs: front matter only, no Markdown to parse.

Every page carries its title, its body (HTML) and its JSON-LD as YAML strings in its front
matter; the theme override (`site/overrides/main.html`) places them. User text therefore
never meets the Markdown parser, a Markdown extension or a template engine: it is escaped
here (titles, names, any plain text) or is the sanitized HTML the API rendered on save.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from api.site import formats, jsonld
from api.site.addresses import page_url
from api.site.board import parse_time

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
# YAML refuses these characters even inside quotes; they are written as \u escapes.
_YAML_UNPRINTABLE = re.compile(
    "[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def e(text: Any) -> str:
    """Plain text for HTML text or a quoted attribute."""
    return html.escape(str(text), quote=True)


def yaml_string(text: str) -> str:
    """A YAML double-quoted scalar holding exactly `text`, on one line."""
    quoted = json.dumps(text, ensure_ascii=False)
    return _YAML_UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


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
    """Renders the board into `docs_dir` and counts what it wrote."""

    docs_dir: Path
    site_url: str
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    folders: set[str] = field(default_factory=set)

    def url(self, path: str) -> str:
        return page_url(self.site_url, path)

    def write(self, page: Page, kind: str) -> None:
        lines = [
            "---",
            f"title: {yaml_string(e(page.title))}",
            f"description: {yaml_string(e(page.description[:300]))}",
            "search:",
            "  exclude: true",
            f"board: {yaml_string(page.body)}",
        ]
        if page.data is not None:
            lines.append(f"jsonld: {yaml_string(jsonld.dumps(page.data))}")
        if page.lastmod:
            lines.append(f"lastmod: {yaml_string(page.lastmod)}")
        lines.append("---\n")
        # `jobs/x.md` is served as `jobs/x/` (use_directory_urls) like `jobs/x/index.md`,
        # without a folder to make and later remove for each of thousands of pages; the
        # top-level sections keep their index.md, which mkdocs.yml's nav names.
        if "/" in page.path:
            folder, _, name = page.path.rpartition("/")
        else:
            folder, name = page.path, "index"
        target = os.path.join(self.docs_dir, folder)
        if target not in self.folders:
            os.makedirs(target, exist_ok=True)
            self.folders.add(target)
        with open(os.path.join(target, f"{name}.md"), "w", encoding="utf-8") as file:
            file.write("\n".join(lines))
        self.counts[kind] += 1


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

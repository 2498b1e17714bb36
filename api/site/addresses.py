"""Where the public site puts each board item's page, and whether it has one.

One module for both sides: the GraphQL `url` fields (`Job.url`, `Organization.url`,
`Event.url`, `Resume.url`) answer with these addresses, and the site renderer writes each
page where its `url` says. The site shows what an anonymous visitor may see, so an item has
a page only when the public may see it:

- a posting: PUBLISHED, not members-only, before its validThrough, of a public organization;
- an organization: public;
- an event: PUBLISHED, open to guests, of a public organization, not over yet;
- a resume: PUBLIC, of an owner who excludes no organization (an excluded employer must not
  find it by signing out).

The rules read table rows (snake_case columns), as the services return them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from api.events.tables import EventAudience, EventStatus
from api.jobs.tables import JobStatus
from api.networks.service import slugify
from api.people.tables import Visibility


def page_url(site_url: str, path: str) -> str:
    """The absolute address of the folder page `path` (`jobs/x` -> `<site>/jobs/x/`)."""
    return f"{site_url}{path}/"


def path_of(site_url: str, url: str) -> str:
    """The folder page a `url` field points at, inside the site (`jobs/x`)."""
    if not url.startswith(site_url):
        raise ValueError(f"{url} is not an address of the site at {site_url}")
    return url[len(site_url) :].strip("/")


def job_path(slug: str) -> str:
    # Slugs are unique, made of [a-z0-9-], and end in a random suffix: they never meet the
    # index folders under jobs/ (locations, workplace, employers, page).
    return f"jobs/{slug}"


def organization_path(slug: str) -> str:
    return f"organizations/{slug}"


def resume_path(resume_id: int, name: str | None) -> str:
    """`people/<name>-<resume id>`; the name is the resume's own (basics.name or title)."""
    return f"people/{slugify(name or '', 'person')[:60]}-{resume_id}"


def event_path(event_id: int, title: str) -> str:
    return f"events/{slugify(title, 'event')[:80]}-{event_id}"


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def job_url(
    site_url: str,
    job: dict[str, Any],
    organization: dict[str, Any] | None,
    now: datetime | None = None,
) -> str | None:
    """The posting's page; `organization` is its employer's row (None: not visible)."""
    until = job["valid_through"]
    if (
        job["status"] != JobStatus.PUBLISHED.value
        or job["members_only"] is not None
        or (until is not None and until <= _now(now))
        or organization is None
        or not organization["is_public"]
    ):
        return None
    return page_url(site_url, job_path(job["slug"]))


def organization_url(site_url: str, organization: dict[str, Any]) -> str | None:
    if not organization["is_public"]:
        return None
    return page_url(site_url, organization_path(organization["slug"]))


def event_url(site_url: str, event: dict[str, Any], now: datetime | None = None) -> str | None:
    """The event's page; `event` carries `organization_is_public` (events' service rows do)."""
    if (
        event["status"] != EventStatus.PUBLISHED.value
        or event["audience"] != EventAudience.OPEN_TO_GUESTS.value
        or not event["organization_is_public"]
        or event["ends_at"] <= _now(now)
    ):
        return None
    return page_url(site_url, event_path(event["id"], event["title"]))


def resume_name(document: dict[str, Any], title: str | None) -> str:
    """The name a resume's address is made of: basics.name, else its title."""
    basics = document.get("basics")
    name = basics.get("name") if isinstance(basics, dict) else None
    return name if isinstance(name, str) and name.strip() else (title or "")


def resume_url(site_url: str, resume: dict[str, Any], owner_excludes_anyone: bool) -> str | None:
    """The resume's page; `resume` is its row with the decoded `document`."""
    if resume["visibility"] != Visibility.PUBLIC.value or owner_excludes_anyone:
        return None
    name = resume_name(resume["document"], resume["title"])
    return page_url(site_url, resume_path(resume["id"], name))

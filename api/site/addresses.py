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

Each rule takes the item's facts by name: the `url` resolvers pass them from the rows the
services return; the site builder from what the anonymous API answered it (which is already
only what the public may see), so it never pays for a `url` field per item.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from api.events.tables import EventAudience, EventStatus
from api.jobs.service import is_live
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
    *,
    slug: str,
    status: str,
    members_only: bool,
    valid_through: datetime | None,
    organization_is_public: bool,
    now: datetime | None = None,
) -> str | None:
    """A posting's page, if it has one: a live posting (`jobs.service.is_live`) of a public
    organization, not reserved for members."""
    live = is_live({"status": status, "valid_through": valid_through}, _now(now))
    if not live or members_only or not organization_is_public:
        return None
    return page_url(site_url, job_path(slug))


def organization_url(site_url: str, *, slug: str, is_public: bool) -> str | None:
    return page_url(site_url, organization_path(slug)) if is_public else None


def event_url(
    site_url: str,
    *,
    event_id: int,
    title: str,
    status: str,
    audience: str,
    organization_is_public: bool,
    ends_at: datetime,
    now: datetime | None = None,
) -> str | None:
    """An event's page, if it has one (until it is over)."""
    if (
        status != EventStatus.PUBLISHED.value
        or audience != EventAudience.OPEN_TO_GUESTS.value
        or not organization_is_public
        or ends_at <= _now(now)
    ):
        return None
    return page_url(site_url, event_path(event_id, title))


def resume_name(basics: Any, title: str | None) -> str:
    """The name a resume's address is made of: basics.name, else its title."""
    name = basics.get("name") if isinstance(basics, dict) else None
    return name if isinstance(name, str) and name.strip() else (title or "")


def resume_url(
    site_url: str,
    *,
    resume_id: int,
    name: str,
    visibility: str,
    owner_excludes_anyone: bool,
) -> str | None:
    """A resume's page, if it has one; `name` is `resume_name(...)`."""
    if visibility != Visibility.PUBLIC.value or owner_excludes_anyone:
        return None
    return page_url(site_url, resume_path(resume_id, name))

"""Plain HTTP routes that share a path prefix with pages of the public site.

The site has pages under `/events/` and `/organizations/` (the board), and the API serves
files there too: `/events/<event id>.ics`, `/organizations/<slug>/calendar.ics` and the
directory exports. `/jobs/` is the site's alone, but its pages come and go one by one as
postings change, which the site's own response answers cleanly (`api.site.serve`).
Litestar resolves paths through a trie and never falls back from a registered prefix to the
site mounted at `/`, so each shared prefix has one route here that answers its API files and
hands every other path to the site.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request, get, post
from litestar.datastructures import State
from litestar.response import Response

from api.events.calendar import event_calendar, organization_calendar
from api.networks.export import directory_csv_export, directory_vcard_export
from api.site.serve import site_response

OrganizationFile = Callable[[Request[Any, Any, Any], State, str], Awaitable[Response[Any]]]

#: The files the API serves under `/organizations/<slug>/`.
ORGANIZATION_FILES: dict[str, OrganizationFile] = {
    "calendar.ics": organization_calendar,
    "directory.csv": directory_csv_export,
    "directory.vcf": directory_vcard_export,
}


def _rest_of_path(request: Request[Any, Any, Any]) -> str:
    # Read from the request: the bare prefix (`/events`) has no `path` parameter at all.
    return str(request.path_params.get("path", "")).strip("/")


@get(["/jobs", "/jobs/{path:path}"], include_in_schema=False)
async def jobs_paths(request: Request[Any, Any, Any], state: State) -> Response[Any]:
    """The site's posting pages and listings."""
    return site_response(request, state.settings.site_dir)


@get(["/events", "/events/{path:path}"], include_in_schema=False)
async def events_paths(request: Request[Any, Any, Any], state: State) -> Response[Any]:
    """`/events/<event id>.ics`, else the site's event pages."""
    name = _rest_of_path(request)
    if name.endswith(".ics") and "/" not in name:
        return await event_calendar(request, state, name)
    return site_response(request, state.settings.site_dir)


@get(["/organizations", "/organizations/{path:path}"], include_in_schema=False)
async def organizations_paths(request: Request[Any, Any, Any], state: State) -> Response[Any]:
    """`/organizations/<slug>/calendar.ics` and the directory exports, else the site."""
    slug, _, file = _rest_of_path(request).partition("/")
    serve = ORGANIZATION_FILES.get(file)
    if slug and serve is not None:
        return await serve(request, state, slug)
    return site_response(request, state.settings.site_dir)


#: The directory exports again, for a POST: the member app's way to fetch them (a JSON POST is
#: the only request the browser session's cookie authenticates; see `cookie_may_authenticate`).
ORGANIZATION_EXPORTS: dict[str, OrganizationFile] = {
    "directory.csv": directory_csv_export,
    "directory.vcf": directory_vcard_export,
}


@post("/organizations/{path:path}", include_in_schema=False, status_code=200)
async def organizations_exports(request: Request[Any, Any, Any], state: State) -> Response[Any]:
    """`POST /organizations/<slug>/directory.csv` and `.vcf` (JSON body `{}`): the same files as
    the GETs, to a bearer token or to the session cookie of a signed-in browser."""
    slug, _, file = _rest_of_path(request).partition("/")
    serve = ORGANIZATION_EXPORTS.get(file)
    if not slug or serve is None:
        return Response("Not found.", status_code=404, media_type="text/plain")
    return await serve(request, state, slug)

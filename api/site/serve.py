"""Serving a page of the built site from a route (see `api.routes` for why a route must).

Everything else of the site is served by Litestar's static files router at `/`; this does
the same for one request (and reads a page whole at once, so a page taken off meanwhile is
a clean 404): the file under the current build (the `site` symlink is resolved
once, so a swap mid-request cannot mix two builds), a folder's `index.html` (a folder asked
for without its trailing slash is redirected, so the page's relative links resolve), and the
site's own 404 page for anything else.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote

from litestar import Request
from litestar.response import File, Redirect, Response
from litestar.status_codes import HTTP_404_NOT_FOUND


def _not_found(root: Path | None) -> Response[Any]:
    page = root / "404.html" if root is not None else None
    if page is not None and page.is_file():
        return Response(page.read_bytes(), status_code=HTTP_404_NOT_FOUND, media_type="text/html")
    return Response("Not found", status_code=HTTP_404_NOT_FOUND, media_type="text/plain")


def site_response(request: Request[Any, Any, Any], site_dir: Path) -> Response[Any]:
    """The site's answer to a GET of `request.url.path`."""
    if not site_dir.exists():
        return _not_found(None)
    root = site_dir.resolve()
    # Litestar strips the trailing slash from `scope["path"]`; the raw path keeps it.
    raw_path = request.scope.get("raw_path") or request.url.path.encode()
    url_path = unquote(raw_path.decode("latin-1").split("?", 1)[0])
    target = (root / url_path.lstrip("/")).resolve()
    if not target.is_relative_to(root):
        return _not_found(root)
    if target.is_dir():
        if not url_path.endswith("/"):
            query = f"?{request.url.query}" if request.url.query else ""
            return Redirect(f"{url_path}/{query}", status_code=301)
        target = target / "index.html"
    if target.suffix == ".html":
        # Read whole, now: a page the site's updates take off (`api.site.changes`) may go
        # between a look and a later open, and a visitor then gets the 404 page, not half a
        # response.
        try:
            page = target.read_bytes()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return _not_found(root)
        return Response(
            page,
            media_type="text/html",
            headers={"content-disposition": f'inline; filename="{target.name}"'},
        )
    if not target.is_file():
        return _not_found(root)
    # The name gives the type (text/html for pages, text/css, application/xml, ...), as the
    # static files router does: without one, every page would be a download.
    return File(target, filename=target.name, content_disposition_type="inline")

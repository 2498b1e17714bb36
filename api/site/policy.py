"""The Content-Security-Policy of every page the server sends as HTML (the public site, the
board and the member app; GraphiQL at /graphql keeps its own page): scripts only from this
server, plus the theme's few inline start-up scripts, named by their hashes.

A page may then run only the files the site ships: text a member wrote that slipped through as
markup could not run a script, load one from elsewhere, post a form to another site or frame
the page. The theme (MkDocs Material) writes three small inline scripts into every page; with
one scope for the whole site (`extra.scope` in mkdocs.yml) they are the same on every page, so
their hashes are read from the built home page, again whenever a new build replaces it.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from litestar.types import ASGIApp, Message, Receive, Scope, Send

#: Classic inline scripts, as the theme writes them: no `src`, no `type` (JSON and JSON-LD
#: data blocks carry a type, and never run).
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
#: The paths whose HTML is not the site's: GraphiQL's page has its own inline script.
_OTHER_PAGES = ("/graphql",)


def inline_script_hashes(html: str) -> list[str]:
    """The CSP source expressions (`'sha256-…'`) of the page's inline scripts, in order."""
    hashes: list[str] = []
    for script in _INLINE_SCRIPT.findall(html):
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        if f"'sha256-{digest}'" not in hashes:
            hashes.append(f"'sha256-{digest}'")
    return hashes


def content_security_policy(script_hashes: list[str]) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            " ".join(["script-src 'self'", *script_hashes]),
            # The theme and the app set a few styles from their own scripts.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",  # the GraphQL API, the search index, and its WebSocket
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class SitePolicy:
    """The policy for the site built in `site_dir`, read again when a build replaces it."""

    def __init__(self, site_dir: Path) -> None:
        self.home = site_dir / "index.html"
        self._built: tuple[int, int, int] | None = None
        self._header = content_security_policy([]).encode()

    def header(self) -> bytes:
        try:
            found = self.home.stat()  # through the `site` symlink: a new build, a new file
        except OSError:
            return self._header  # not built yet: no inline script is allowed
        built = (found.st_ino, found.st_mtime_ns, found.st_size)
        if built != self._built:
            html = self.home.read_text(encoding="utf-8", errors="replace")
            self._header = content_security_policy(inline_script_hashes(html)).encode()
            self._built = built
        return self._header


class ContentSecurityPolicy:
    """ASGI middleware: the site's policy on every HTML response that has none."""

    def __init__(self, app: ASGIApp, policy: SitePolicy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(_OTHER_PAGES):
            await self.app(scope, receive, send)
            return

        async def send_with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower(): value for name, value in headers}
                is_html = names.get(b"content-type", b"").lower().startswith(b"text/html")
                if is_html and b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", self.policy.header()))
                    message = {**message, "headers": headers}  # type: ignore[typeddict-item]
            await send(message)

        await self.app(scope, receive, send_with_policy)

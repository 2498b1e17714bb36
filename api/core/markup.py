"""User Markdown to safe HTML, once, on save.

Markdown is rendered with Python-Markdown (raw HTML in the source is escaped, not passed
through), then cleaned by nh3's allow-list sanitizer: only the tags and attributes below
survive, links may only be http(s) or mailto, and every link gets rel="nofollow noopener
ugc" so search engines do not credit user-posted links.
"""

from __future__ import annotations

from html import unescape
from urllib.parse import urlsplit

import anyio.to_thread
import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
MAX_MARKDOWN_LENGTH = 50_000


def is_web_address(url: str) -> bool:
    """An absolute http(s) address to a named host, like https://example.org/path: what a
    user may give as a link (a website, an online event, where to apply). No whitespace or
    control characters anywhere; the host must hold a dot (https://example alone is a typo)."""
    if any(c.isspace() or ord(c) < 32 or c == "\x7f" for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. a malformed [IPv6] host
        return False
    return parts.scheme in URL_SCHEMES - {"mailto"} and "." in (parts.hostname or "").strip(".")


def render_markdown(source: str) -> str:
    """Sanitized HTML for a user's Markdown; safe to place in any page as it is."""
    renderer = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    # Raw HTML blocks and inline HTML are escaped rather than passed through.
    renderer.preprocessors.deregister("html_block")
    renderer.inlinePatterns.deregister("html")
    html = renderer.convert(source)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener ugc",
        strip_comments=True,
    )


async def render_markdown_off_loop(source: str) -> str:
    """`render_markdown` in a worker thread: tens of kilobytes of Markdown take a few hundred
    milliseconds, which must not hold the event loop (or the write lock: render first)."""
    return await anyio.to_thread.run_sync(render_markdown, source)


def plain_text(html: str) -> str:
    """The text of sanitized HTML, for search and summaries."""
    return unescape(nh3.clean(html, tags=set(), attributes={})).strip()

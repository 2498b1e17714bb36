"""Hostile Markdown never reaches bodyHtml: no script or other active tags, no event-handler
attributes, no javascript:/data: URLs in links or images, no raw HTML — for posts (created
and edited) and comments alike. The HTML is parsed, not string-matched."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.conftest import GraphQLClient
from tests.posts.helpers import UPDATE_COMMENT, UPDATE_POST, comment, community, post

HOSTILE = {
    "script tag": "<script>alert(1)</script>",
    "inline script": "hello <script src=https://evil.example/x.js></script> there",
    "event handler on raw img": "look <img src=x onerror=alert(1)>",
    "event handler on raw div": '<div onclick="steal()">click</div>',
    "raw svg": "<svg onload=alert(1)><circle r=1></circle></svg>",
    "raw iframe": "<iframe src=https://evil.example></iframe>",
    "raw anchor with javascript": '<a href="javascript:alert(1)">raw</a>',
    "javascript link": "[click](javascript:alert(document.cookie))",
    "mixed-case javascript link": "[click](JaVaScRiPt:alert(1))",
    "entity-encoded javascript link": "[click](javascript&#58;alert(1))",
    "javascript image": "![pic](javascript:alert(1))",
    "data URL link": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "vbscript link": "[x](vbscript:msgbox(1))",
    "reference-style javascript link": "[click][evil]\n\n[evil]: javascript:alert(1)",
    "title breaking out into a handler": '[a](https://ok.example "t" onmouseover="alert(1)")',
    "style tag": "<style>body{display:none}</style>",
    "html comment": "<!-- <script>alert(1)</script> -->",
    "object embed": '<object data="javascript:alert(1)"></object><embed src=x>',
}
ACTIVE_TAGS = {"script", "style", "iframe", "img", "svg", "object", "embed", "div", "form"}
SAFE_SCHEMES = ("http://", "https://", "mailto:")


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))


def assert_harmless(html: str) -> None:
    parser = _Elements()
    parser.feed(html)
    for tag, attributes in parser.elements:
        assert tag not in ACTIVE_TAGS, (tag, html)
        for name, value in attributes.items():
            assert not name.startswith("on"), (name, html)
            assert name not in ("style", "src"), (name, html)
            if name == "href":
                assert (value or "").startswith(SAFE_SCHEMES), (value, html)


@pytest.fixture
def club(graphql: GraphQLClient):
    return community(graphql)


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
@pytest.mark.parametrize("source", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_markdown_never_survives_into_a_posts_html(
    graphql: GraphQLClient, club, source: str
) -> None:
    created = post(graphql, club.admin, club.id, kind="BLOG", title="Hostile", body=source)
    reply = comment(graphql, club.member, created["id"], source)

    assert created["body"] == source  # the source is kept as written
    assert_harmless(created["bodyHtml"])
    assert_harmless(reply["bodyHtml"])


@pytest.fixture
def everything_edited(graphql: GraphQLClient, club) -> dict[str, str]:
    """The bodyHtml of a post and of a comment, each edited to hold every hostile case."""
    created = post(graphql, club.member, club.id, body="harmless")
    reply = comment(graphql, club.member, created["id"], "harmless")
    everything = "\n\n".join(HOSTILE.values())
    edited = graphql.data(
        UPDATE_POST,
        {"input": {"postId": created["id"], "body": everything}},
        token=club.member.token,
    )["updatePost"]["post"]
    edited_reply = graphql.data(
        UPDATE_COMMENT,
        {"input": {"commentId": reply["id"], "body": everything}},
        token=club.member.token,
    )["updateComment"]["comment"]
    return {"post": edited["bodyHtml"], "comment": edited_reply["bodyHtml"]}


@pytest.mark.parametrize("item", ["post", "comment"])
def test_edits_are_sanitized_too_on_both_databases(
    everything_edited: dict[str, str], item: str
) -> None:
    html = everything_edited[item]

    assert_harmless(html)
    assert "&lt;script&gt;" in html  # raw HTML is shown as text, not dropped silently
    assert "<a " in html  # links survive, defanged


def test_the_checker_catches_what_it_should() -> None:
    with pytest.raises(AssertionError):
        assert_harmless('<p><a href="javascript:alert(1)">x</a></p>')
    with pytest.raises(AssertionError):
        assert_harmless('<p onclick="x()">x</p>')
    with pytest.raises(AssertionError):
        assert_harmless("<script>alert(1)</script>")
    assert_harmless('<p><a href="https://ok.example" rel="nofollow noopener ugc">ok</a></p>')

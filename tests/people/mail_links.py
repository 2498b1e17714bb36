"""Reading the links out of the mail Confrere sent, as a member would follow them."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from tests.mail.smtp import Received

SITE = "https://network.example.org/"


def link(received: Received, page: str) -> str:
    """The one link to `account/<page>/` in the message's text part (and the same one in its
    HTML part)."""
    pattern = re.compile(re.escape(f"{SITE}account/{page}/") + r"\?token=[A-Za-z0-9_\-.%]+")
    found = set(pattern.findall(received.part("plain")))
    assert len(found) == 1, received.part("plain")
    [url] = found
    assert f'href="{url}"' in received.part("html")
    return url


def token(received: Received, page: str) -> str:
    """The `token` query parameter of that link."""
    [value] = parse_qs(urlsplit(link(received, page)).query)["token"]
    return value

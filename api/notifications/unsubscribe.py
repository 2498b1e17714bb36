"""`/notifications/unsubscribe/<token>`: the link at the foot of every notification email.

A GET shows what the link turns off and a button; only a POST changes anything, so a mail
scanner that opens every link unsubscribes nobody. Mail clients' own "Unsubscribe" button
POSTs `List-Unsubscribe=One-Click` to the same address (RFC 8058): no sign-in either way.
"""

from __future__ import annotations

from html import escape
from typing import Any

from litestar import Request, get, post
from litestar.datastructures import State
from litestar.response import Response

from api.notifications.mailer import KIND_WORDS
from api.notifications.preferences import read_unsubscribe_token, unsubscribe
from api.notifications.tables import EmailChoice, NotificationKind

_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
<style>body {{ font-family: system-ui, sans-serif; max-width: 34rem; margin: 3rem auto;
padding: 0 1rem; line-height: 1.5; color: #1f2328 }} button {{ font: inherit;
padding: .5rem 1rem; border-radius: .4rem; border: 1px solid #1f2328; background: #1f2328;
color: #fff; cursor: pointer }}</style></head>
<body><h1>{title}</h1>{body}</body></html>"""


def _page(status: int, title: str, body: str) -> Response[str]:
    return Response(
        _PAGE.format(title=escape(title), body=body),
        status_code=status,
        media_type="text/html",
        headers=_HEADERS,
    )


def _what(scope: NotificationKind | EmailChoice) -> str:
    if isinstance(scope, NotificationKind):
        return f"emails about {KIND_WORDS[scope]}"
    return f"the {scope.value.lower()} digest of your notifications"


def _unknown() -> Response[str]:
    return _page(
        404,
        "This link does not work",
        "<p>This unsubscribe link was not made by this server, or its account is gone. "
        "Signed in, you can choose what is emailed with <code>setNotificationPreferences</code>."
        "</p>",
    )


@get("/notifications/unsubscribe/{token:str}", include_in_schema=False)
async def unsubscribe_page(request: Request[Any, Any, Any], state: State) -> Response[str]:
    """What the link turns off, and a button that does it."""
    named = read_unsubscribe_token(
        state.settings.resolved_secret_key(), request.path_params["token"]
    )
    if named is None:
        return _unknown()
    what = escape(_what(named[1]))
    return _page(
        200,
        "Unsubscribe",
        f"<p>Stop {what}? You will still see these notifications when you sign in.</p>"
        '<form method="post"><button type="submit">Stop these emails</button></form>',
    )


@post("/notifications/unsubscribe/{token:str}", include_in_schema=False, status_code=200)
async def unsubscribe_now(request: Request[Any, Any, Any], state: State) -> Response[str]:
    """Turn it off (the page's button, or a mail client's one-click POST)."""
    token = request.path_params["token"]
    secret_key = state.settings.resolved_secret_key()
    named = read_unsubscribe_token(secret_key, token)
    if named is None or await unsubscribe(secret_key, token) is None:
        return _unknown()
    return _page(
        200,
        "Unsubscribed",
        f"<p>You will no longer get {escape(_what(named[1]))}. You still see these "
        "notifications when you sign in, and can turn the emails on again with "
        "<code>setNotificationPreferences</code>.</p>",
    )

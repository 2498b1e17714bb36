"""Cross-site request forgery, in a real browser: a member signed in on the app (at 127.0.0.1)
opens a hostile page on another site (a second server at `localhost`). Neither the page's
auto-submitting `text/plain` form nor its credentialed JSON `fetch` (nor a `no-cors` one) can
act as the member: afterwards they are still signed in and their profile is unchanged, and the
JSON `fetch` fails, since the server grants no cross-origin access (no
Access-Control-Allow-Origin, not even to a preflight)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from tests.app.conftest import App, shoot, sign_in

SET_HEADLINE = """
mutation ($input: UpdateProfileInput!) { updateProfile(input: $input) { userErrors { message } } }
"""
MEMBER = "query { viewer { email person { headline } } }"
#: What the hostile page tries: change the profile, and sign every session out.
ATTACK = (
    'mutation { updateProfile(input: {headline: "Hijacked"}) { person { headline } } '
    "logout(input: {allSessions: true}) { revokedSessions } }"
)
HEADLINE = "Data engineer at Globex"

#: A form whose text/plain body reads as JSON: name `{"query": "…", "padding": "`, value `"}`.
FORM_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Win a prize</title>
</head><body><form method="post" action="{target}" enctype="text/plain"></form><script>
const input = document.createElement("input");
input.type = "hidden";
input.name = '{{"query": ' + JSON.stringify({attack}) + ', "padding": "';
input.value = '"}}';
document.forms[0].append(input);
document.forms[0].submit();
</script></body></html>"""
FETCH_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>waiting</title>
</head><body><p>Nothing to see here.</p><script>
fetch({target}, {{
  method: "POST", credentials: "include", {options}
  body: JSON.stringify({{query: {attack}}}),
}}).then(
  (response) => response.text().then(() => {{ document.title = "answered " + response.type; }}),
  (error) => {{ document.title = "refused " + error.name; }},
);
</script></body></html>"""
JSON_FETCH = 'headers: {"Content-Type": "application/json"},'
NO_CORS_FETCH = 'mode: "no-cors", headers: {"Content-Type": "text/plain"},'


class HostileSite:
    """A second web server, at http://localhost:<port>: another site than the app's
    http://127.0.0.1:<port> (SameSite compares hosts, and these differ)."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = pages.get(self.path, "").encode()
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://localhost:{self.server.server_address[1]}"

    def page(self, path: str, html: str) -> str:
        self.pages[path] = html
        return self.origin + path


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostileSite]:
    site = HostileSite()
    thread = threading.Thread(target=site.server.serve_forever, daemon=True)
    thread.start()
    yield site
    site.server.shutdown()
    site.server.server_close()


def signed_in_member(app: App, page: Any, name: str) -> tuple[str, str]:
    """A member with a headline, signed in on /app/login/ in `page`'s browser."""
    email, token = app.account(name)
    payload = app.data(SET_HEADLINE, {"input": {"headline": HEADLINE}}, token)["updateProfile"]
    assert payload["userErrors"] == []
    sign_in(page, app, email)
    return email, token


def assert_untouched(app: App, page: Any, email: str, token: str, name: str) -> None:
    """Through the API (the bearer token, which `logout(allSessions)` would have revoked) and
    the browser (its cookie): the member is still signed in, their headline unchanged."""
    assert app.data(MEMBER, token=token)["viewer"] == {
        "email": email,
        "person": {"headline": HEADLINE},
    }
    page.goto(app.page_url("app/"))
    page.get_by_text(f"Signed in as {name}").wait_for()
    seen = page.evaluate(
        """async (query) => {
            const response = await fetch("/graphql", {
              method: "POST", headers: {"Content-Type": "application/json"},
              body: JSON.stringify({query}),
            });
            return (await response.json()).data.viewer;
        }""",
        MEMBER,
    )
    assert seen == {"email": email, "person": {"headline": HEADLINE}}


def test_a_cross_site_text_plain_form_cannot_act_as_the_member(
    app: App, page: Any, hostile: HostileSite
) -> None:
    name = "Form Target"
    email, token = signed_in_member(app, page, name)
    target = f"{app.url}/graphql"
    attack = hostile.page("/prize.html", FORM_PAGE.format(target=target, attack=json.dumps(ATTACK)))

    # (The app page signed in just before may still be asking /graphql who is signed in:
    # only the forged text/plain POST is the answer awaited here.)
    with page.expect_response(
        lambda response: (
            response.url == target
            and response.request.method == "POST"
            and response.request.headers.get("content-type", "").startswith("text/plain")
        )
    ) as answered:
        page.goto(attack)
    forged = answered.value

    # The forged request arrived, as the JSON body the form was built to send ...
    assert json.loads(forged.request.post_data)["query"] == ATTACK
    assert forged.request.headers["content-type"].startswith("text/plain")
    # ... without the session cookie (SameSite=Lax), and refused: only JSON bodies run at all
    # ("Unsupported content type"), and only JSON may be authenticated by the cookie.
    assert "confrere_session" not in forged.request.all_headers().get("cookie", "")
    page.wait_for_load_state()
    shoot(page, "csrf-form-answer")
    answer = forged.json()
    assert answer.get("data") in (None, {"updateProfile": None, "logout": None}), answer
    assert {error["extensions"]["code"] for error in answer["errors"]} <= {
        "UNAUTHENTICATED",
        "BAD_REQUEST",
    }, answer

    assert_untouched(app, page, email, token, name)


@pytest.mark.parametrize(
    ("options", "outcome", "console"),
    [
        (JSON_FETCH, "refused TypeError", "blocked by CORS policy"),
        (NO_CORS_FETCH, "answered opaque", None),
    ],
    ids=["json-with-credentials", "no-cors-text-plain"],
)
def test_a_cross_site_fetch_cannot_act_as_the_member(
    app: App, page: Any, hostile: HostileSite, options: str, outcome: str, console: str | None
) -> None:
    name = "Fetch Target"
    email, token = signed_in_member(app, page, name)
    html = FETCH_PAGE.format(
        target=json.dumps(f"{app.url}/graphql"), options=options, attack=json.dumps(ATTACK)
    )
    attack = hostile.page(f"/fetch-{len(hostile.pages)}.html", html)

    said: list[str] = []
    page.on("console", lambda message: said.append(message.text))

    page.goto(attack)
    page.wait_for_function("document.title !== 'waiting'")

    # A JSON body needs a CORS preflight, which the server does not grant: the fetch fails
    # and its POST is never sent. A `no-cors` text/plain POST is sent, but its answer stays
    # opaque to the page and it acts as nobody (so the server is reachable from that page: the
    # JSON fetch's failure is the CORS refusal, which Chromium also logs).
    assert page.title() == outcome
    if console is not None:
        assert any(console in line for line in said), said
    assert_untouched(app, page, email, token, name)


def test_no_cross_origin_access_is_granted(app: App, hostile: HostileSite) -> None:
    preflight = httpx.options(
        f"{app.url}/graphql",
        headers={
            "Origin": hostile.origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    post = httpx.post(
        f"{app.url}/graphql",
        json={"query": "{ __typename }"},
        headers={"Origin": hostile.origin},
    )

    for response in (preflight, post):
        granted = [h for h in response.headers if h.lower().startswith("access-control-")]
        assert granted == [], (response.request.method, dict(response.headers))
    assert post.json() == {"data": {"__typename": "Query"}}

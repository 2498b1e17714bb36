"""The Content-Security-Policy of the site's pages and the member app, in Chromium: every page
comes with it, runs its own scripts (the theme's inline start-up scripts by hash, the app's
modules, the site search's worker) without a single violation, and a script put into a page
any other way is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.app.conftest import App, shoot, sign_in

PAGES = [
    "",
    "guides/job-seekers/",
    "api/reference/objects/",
    "jobs/",
    "app/login/",
    "app/register/",
    "no-such-page/",
]

#: Every page of the member app (site/app/<name>.md or <name>/index.md is /app/<name>/).
APP = Path(__file__).resolve().parents[2] / "site" / "app"
APP_PAGES = sorted(
    "app/"
    + "".join(f"{part}/" for part in source.relative_to(APP).with_suffix("").parts).removesuffix(
        "index/"
    )
    for source in APP.rglob("*.md")
)


def watch(page: Any) -> list[str]:
    """What the browser says about the policy (violations are logged to the console)."""
    said: list[str] = []
    page.on(
        "console",
        lambda message: (
            said.append(message.text)
            if "Content Security Policy" in message.text or "Refused" in message.text
            else None
        ),
    )
    return said


def assert_policy(response: Any) -> None:
    policy = response.headers["content-security-policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    sources = directives["script-src"].split()
    assert sources[0] == "'self'"
    assert all(source.startswith("'sha256-") for source in sources[1:]), policy
    assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"


@pytest.mark.parametrize("path", PAGES)
def test_a_page_runs_under_the_policy_without_violations(app: App, page: Any, path: str) -> None:
    violations = watch(page)

    response = page.goto(app.page_url(path))
    page.wait_for_load_state("networkidle")

    assert_policy(response)
    # The theme's inline start-up script ran (it defines its storage scope).
    assert page.evaluate("typeof __md_scope") == "object"
    assert violations == []


def test_the_member_app_and_the_site_search_run_under_the_policy(app: App, page: Any) -> None:
    email, _ = app.account("Policy Reader")
    violations = watch(page)

    sign_in(page, app, email)  # the app's modules run: the form, then the home page
    page.get_by_text("Signed in as Policy Reader").wait_for()
    shoot(page, "csp-home")

    page.goto(app.page_url("guides/job-seekers/"))
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator(".md-search__input").press_sequentially("resume")  # keys, as a person types
    page.locator(".md-search-result__item").first.wait_for()  # the search worker answered

    assert violations == []


def test_every_app_page_runs_under_the_policy_signed_in(app: App, page: Any) -> None:
    email, _ = app.account("Policy Member")
    sign_in(page, app, email)
    violations = watch(page)
    assert "app/login/" in APP_PAGES and "app/" in APP_PAGES

    for path in APP_PAGES:
        response = page.goto(app.page_url(path))
        page.wait_for_load_state("networkidle")
        assert response.status == 200, path
        assert_policy(response)
        assert violations == [], path


def test_a_script_put_into_a_page_is_refused(app: App, page: Any) -> None:
    violations = watch(page)
    page.goto(app.page_url("app/login/"))

    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.append(script);
            const elsewhere = document.createElement("script");
            elsewhere.src = "https://example.org/evil.js";
            document.body.append(elsewhere);
        }"""
    )
    page.wait_for_timeout(200)

    assert page.evaluate("window.injected") is None
    assert any("inline script" in line for line in violations), violations
    assert any("example.org/evil.js" in line for line in violations), violations

"""The member app in a real browser: one `confrere serve` per test module (its site built once,
and rebuilt by the server as public data changes), accounts made through the API, and pages
driven by Playwright in headless Chromium (the `browser` fixture skips with its reason where
no browser can be had). Screenshots at 1280 and 390 px go to var/screenshots/app/."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD, Seeder, confrere_command, serving

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "app"
WIDTHS = (1280, 390)
TIMEOUT_MS = 15_000


class App(Seeder):
    """A live server with its site built, and ways to seed it through its API."""

    @property
    def url(self) -> str:
        return self.server.url

    def page_url(self, path: str) -> str:
        return f"{self.server.url}/{path.lstrip('/')}"

    def build_site(self) -> None:
        """Build the public site now (the server also rebuilds it, debounced, after changes)."""
        port = self.server.url.rsplit(":", 1)[1]
        subprocess.run(
            confrere_command("site", "build"),
            env={**self.server.environment, "CONFRERE_PORT": port},
            check=True,
            capture_output=True,
        )

    def wait_for(self, check: Callable[[], bool], what: str, seconds: float = 20) -> None:
        """Poll until `check()` holds (the indexer and the site rebuild run in the background)."""
        deadline = time.monotonic() + seconds
        while not check():
            assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
            time.sleep(0.1)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    folder = tmp_path_factory.mktemp("app")
    # Rebuild the site soon after a public change, so pages a test makes appear quickly.
    with serving(folder, CONFRERE_SITE_REBUILD_DELAY="0.2") as server:
        built = App(server)
        try:
            built.build_site()
            yield built
        finally:
            built.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context (its own cookies) and page, failing on any page error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def sign_in(page: Any, app: App, email: str, then: str = "app/") -> None:
    """Sign in through /app/login/ as a person would, and land on `then`."""
    page.goto(app.page_url(f"app/login/?next=/{then.lstrip('/')}"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(app.page_url(then))


def shoot(page: Any, name: str) -> None:
    """Screenshots of the page as it is, at 1280 and 390 px wide, for review."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size(original)

"""The member app in a real browser: one `confrere serve` per test module (its site built once,
and rebuilt by the server as public data changes), accounts made through the API, and pages
driven by Playwright in headless Chromium (the `browser` fixture skips with its reason where
no browser can be had). Screenshots at 1280 and 390 px go to var/screenshots/app/."""

from __future__ import annotations

import itertools
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import LiveServer, confrere_command, serving, without_cookies

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "app"
WIDTHS = (1280, 390)
PASSWORD = "a long enough password"
TIMEOUT_MS = 15_000

REGISTER = """
mutation ($input: RegisterInput!) { register(input: $input) { token userErrors { message } } }
"""
CREATE_ORGANIZATION = """
mutation ($input: CreateOrganizationInput!) {
  createOrganization(input: $input) { organization { id } userErrors { field code message } }
}
"""
VERIFY_EMPLOYER = """
mutation ($input: OrganizationIdInput!) { verifyEmployer(input: $input) { userErrors { code } } }
"""
CREATE_JOB = """
mutation ($input: CreateJobInput!) {
  createJob(input: $input) { job { id } userErrors { field code message } }
}
"""
MOVE_JOB = """
mutation ($input: JobIdInput!) {{
  {verb}(input: $input) {{ job {{ status url }} userErrors {{ field code message }} }}
}}
"""
_serial = itertools.count(1)


@dataclass(frozen=True)
class Employer:
    """A verified employer: its organization, a recruiter who owns it, and the staff member
    who verified it (and approves its postings when they wait for review)."""

    organization_id: str
    recruiter: str
    """The recruiter's bearer token."""
    recruiter_email: str
    staff: str


@dataclass
class App:
    """A live server with its site built, and ways to seed it through its API."""

    server: LiveServer
    client: httpx.Client

    @property
    def url(self) -> str:
        return self.server.url

    def page_url(self, path: str) -> str:
        return f"{self.server.url}/{path.lstrip('/')}"

    def data(self, query: str, variables: dict[str, Any] | None = None, token: str = "") -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]

    def account(self, name: str, *, staff: bool = False) -> tuple[str, str]:
        """A new account (unique within the module): (its email, its bearer token)."""
        email = f"{name.lower().replace(' ', '.')}.{next(_serial)}@example.org"
        if staff:
            subprocess.run(
                confrere_command(
                    "accounts", "create", "--staff",
                    "--email", email, "--password", PASSWORD, "--name", name,
                ),
                env=self.server.environment,
                check=True,
                capture_output=True,
            )  # fmt: skip
            login = "mutation ($input: LoginInput!) { login(input: $input) { token } }"
            variables = {"input": {"email": email, "password": PASSWORD}}
            return email, self.data(login, variables)["login"]["token"]
        variables = {"input": {"email": email, "password": PASSWORD, "name": name}}
        payload = self.data(REGISTER, variables)["register"]
        assert payload["userErrors"] == [], payload
        return email, payload["token"]

    def employer(self, name: str) -> Employer:
        """A new EMPLOYER organization named `name`, verified by a new staff account."""
        _, staff = self.account(f"Staff {name}", staff=True)
        recruiter_email, recruiter = self.account(f"Recruiter {name}")
        variables = {"input": {"name": name, "kind": "EMPLOYER", "joinPolicy": "OPEN"}}
        created = self.data(CREATE_ORGANIZATION, variables, recruiter)["createOrganization"]
        assert created["userErrors"] == [], created
        organization_id = created["organization"]["id"]
        verified = self.data(VERIFY_EMPLOYER, {"input": {"organizationId": organization_id}}, staff)
        assert verified["verifyEmployer"]["userErrors"] == []
        return Employer(organization_id, recruiter, recruiter_email, staff)

    def published_job(self, employer: Employer, **fields: Any) -> dict[str, str]:
        """A posting of `employer`'s, published (approved by staff when it waits for review):
        `{"id": …, "url": …}`."""
        variables = {"input": {"organizationId": employer.organization_id, **fields}}
        created = self.data(CREATE_JOB, variables, employer.recruiter)["createJob"]
        assert created["userErrors"] == [], created
        job_id = created["job"]["id"]
        moved = self.data(
            MOVE_JOB.format(verb="publishJob"), {"input": {"id": job_id}}, employer.recruiter
        )
        job = moved["publishJob"]["job"]
        if job["status"] == "PENDING_REVIEW":  # an employer's first posting
            approved = self.data(
                MOVE_JOB.format(verb="approveJob"), {"input": {"id": job_id}}, employer.staff
            )
            job = approved["approveJob"]["job"]
        assert job["status"] == "PUBLISHED", job
        return {"id": job_id, "url": job["url"]}

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
    with (
        serving(folder, CONFRERE_SITE_REBUILD_DELAY="0.2") as server,
        without_cookies(httpx.Client(base_url=server.url, timeout=30)) as client,
    ):
        built = App(server, client)
        built.build_site()
        yield built


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

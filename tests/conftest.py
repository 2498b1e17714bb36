"""Fixtures: a fresh database per test (SQLite always, PostgreSQL when reachable), the app,
a GraphQL client over HTTP, and a real `confrere serve` process for end-to-end tests."""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.core import db
from api.core.settings import Settings

#: Where the throw-away test databases are created; a laptop without a server skips.
POSTGRES_ADMIN_URL = os.environ.get(
    "CONFRERE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
#: Every test gets the same secret so tokens are comparable; CI never uses it for real.
CHROMIUM = Path("/usr/bin/chromium")
TEST_SECRET = "test-secret-key-that-is-long-enough-for-hs256-signing"


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> Iterator[None]:
    """In-process tests hash with argon2's cheapest parameters: the same code, less waiting.

    Servers started as real processes (the live_server fixture) keep the real parameters.
    """
    from argon2 import PasswordHasher

    from api.core import auth

    real = auth._hasher
    auth._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    auth._hasher = real


def _settings(data_dir: Path, database_url: str = "") -> Settings:
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        secret_key=TEST_SECRET,
        # Every test's accounts register from the one test client's address; the throttle
        # itself is tested with its real limit (tests/people/test_throttling.py).
        registrations_per_client=1_000_000,
        # Most tests register accounts and act at once; what an unverified account may not
        # do is tested with the rule on (tests/people/test_unverified_limits.py).
        require_verified_email=False,
    )


async def _migrate(settings: Settings) -> None:
    engine = db.use_database(settings)
    await db.open_pool(engine)
    try:
        await db.migrate()
    finally:
        await db.close_pool(engine)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file; each test copies it instead of migrating again."""
    data_dir = tmp_path_factory.mktemp("sqlite-template")
    settings = _settings(data_dir)
    asyncio.run(_migrate(settings))
    return settings.sqlite_path


def _postgres_reachable() -> str | None:
    """None when a server answers, else the reason it does not."""

    async def probe() -> None:
        import asyncpg

        connection = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=3)
        await connection.close()

    try:
        asyncio.run(probe())
    except Exception as error:
        return f"no PostgreSQL server at {POSTGRES_ADMIN_URL} ({type(error).__name__}: {error})"
    return None


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throw-away, migrated PostgreSQL database for this test run, dropped at the end."""
    reason = _postgres_reachable()
    if reason:
        pytest.skip(reason)
    import asyncpg

    name = f"confrere_test_{uuid.uuid4().hex[:12]}"
    base, _, _ = POSTGRES_ADMIN_URL.rpartition("/")
    url = f"{base}/{name}"

    async def admin(statement: str) -> None:
        connection = await asyncpg.connect(POSTGRES_ADMIN_URL)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        asyncio.run(_migrate(_settings(Path("/nonexistent"), url)))
        yield url
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _truncate_all(url: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        tables = await connection.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'migration'"
        )
        if tables:
            names = ", ".join(f'"{row["tablename"]}"' for row in tables)
            await connection.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    finally:
        await connection.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def settings(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Settings:
    """Settings for a fresh, migrated database: a new SQLite file, or an emptied PostgreSQL."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    if request.param == "sqlite":
        configured = _settings(data_dir)
        shutil.copy(sqlite_template, configured.sqlite_path)
        return configured
    url = request.getfixturevalue("postgres_url")
    asyncio.run(_truncate_all(url))
    return _settings(data_dir, url)


@pytest.fixture
def sqlite_settings(tmp_path: Path, sqlite_template: Path) -> Settings:
    """For tests about SQLite itself (locking, WAL)."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    configured = _settings(data_dir)
    shutil.copy(sqlite_template, configured.sqlite_path)
    return configured


def without_cookies(client: httpx.Client) -> httpx.Client:
    """`client` keeping no cookie (an API client: it sends tokens, never a session cookie)."""
    client.cookies.jar.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    return client


@dataclass
class GraphQLClient:
    """Posts GraphQL documents to /graphql like any HTTP client would."""

    http: Any
    token: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        all_headers = dict(self.headers)
        bearer = token or self.token
        if bearer:
            all_headers["Authorization"] = f"Bearer {bearer}"
        all_headers.update(headers or {})
        response = self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=all_headers
        )
        # An API client speaks with tokens: the browser session's cookie that `login` and
        # `register` set must not make its next anonymous request someone's.
        self.http.cookies.clear()
        return response

    def execute(self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        """The response's JSON body, after checking the request itself succeeded."""
        response = self.post(query, variables, **kwargs)
        assert response.status_code == 200, response.text
        return response.json()

    def data(self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        """The `data` of a response that must carry no errors."""
        body = self.execute(query, variables, **kwargs)
        assert "errors" not in body, body["errors"]
        return body["data"]


@pytest.fixture
def http(settings: Settings) -> Iterator[TestClient[Any]]:
    with TestClient(app=create_app(settings)) as client:
        yield client


@pytest.fixture
def graphql(http: TestClient[Any]) -> GraphQLClient:
    return GraphQLClient(http)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen[bytes]
    environment: dict[str, str]


def confrere_command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "api", *arguments]


@contextmanager
def serving(folder: Path, **settings: str) -> Iterator[LiveServer]:
    """A real `confrere serve` process on a fresh SQLite data dir under `folder`, migrated;
    `settings` add CONFRERE_* variables."""
    environment = {
        **os.environ,
        "CONFRERE_DATA_DIR": str(folder / "data"),
        "CONFRERE_SECRET_KEY": TEST_SECRET,
        # Every test client registers from 127.0.0.1 (see `_settings`).
        "CONFRERE_REGISTRATIONS_PER_CLIENT": "1000000",
        # As in `_settings`: tests act with accounts they have just registered.
        "CONFRERE_REQUIRE_VERIFIED_EMAIL": "0",
        **settings,
    }
    environment.pop("DATABASE_URL", None)
    subprocess.run(confrere_command("db", "migrate"), env=environment, check=True)
    port = _free_port()
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen(
        # One process, whose pid is the one holding the locks (tests/core/test_workers.py
        # runs several).
        confrere_command("serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"),
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "confrere serve did not start:\n" + (folder / "server.log").read_text()
                )
            time.sleep(0.1)
        yield LiveServer(url=url, process=process, environment=environment)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


PASSWORD = "a long enough password"
REGISTER = """
mutation ($input: RegisterInput!) { register(input: $input) { token userErrors { message } } }
"""
LOGIN = "mutation ($input: LoginInput!) { login(input: $input) { token } }"
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
  {verb}(input: $input) {{ job {{ status slug url }} userErrors {{ field code message }} }}
}}
"""
_seed_serial = itertools.count(1)


@dataclass(frozen=True)
class Employer:
    """A verified employer: its organization, a recruiter who owns it, and the staff member
    who verified it (and approves its postings when they wait for review)."""

    organization_id: str
    recruiter: str
    """The recruiter's bearer token."""
    recruiter_email: str
    staff: str


class Seeder:
    """Seeds a live server through its GraphQL API, as the browser tests' set-up does: the
    steps under test still go through the browser."""

    def __init__(self, server: LiveServer) -> None:
        self.server = server
        self.client = without_cookies(httpx.Client(base_url=server.url, timeout=30))

    def data(self, query: str, variables: dict[str, Any] | None = None, token: str = "") -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]

    def account(self, name: str, *, staff: bool = False) -> tuple[str, str]:
        """A new account (its email unique within the session): (its email, its token)."""
        email = f"{name.lower().replace(' ', '.')}.{next(_seed_serial)}@example.org"
        if not staff:
            variables = {"input": {"email": email, "password": PASSWORD, "name": name}}
            payload = self.data(REGISTER, variables)["register"]
            assert payload["userErrors"] == [], payload
            return email, payload["token"]
        subprocess.run(
            confrere_command(
                "accounts", "create", "--staff",
                "--email", email, "--password", PASSWORD, "--name", name,
            ),
            env=self.server.environment,
            check=True,
            capture_output=True,
        )  # fmt: skip
        variables = {"input": {"email": email, "password": PASSWORD}}
        return email, self.data(LOGIN, variables)["login"]["token"]

    def employer(self, name: str) -> Employer:
        """A new EMPLOYER organization named `name`, verified by a new staff account."""
        _, staff = self.account(f"Staff {name}", staff=True)
        recruiter_email, recruiter = self.account(f"Recruiter {name}")
        variables = {"input": {"name": name, "kind": "EMPLOYER", "joinPolicy": "OPEN"}}
        created = self.data(CREATE_ORGANIZATION, variables, recruiter)["createOrganization"]
        assert created["userErrors"] == [], created
        organization_id = created["organization"]["id"]
        variables = {"input": {"organizationId": organization_id}}
        verified = self.data(VERIFY_EMPLOYER, variables, staff)["verifyEmployer"]
        assert verified["userErrors"] == [], verified
        return Employer(organization_id, recruiter, recruiter_email, staff)

    def published_job(self, employer: Employer, **fields: Any) -> dict[str, str]:
        """A posting of `employer`'s, published (approved by staff when it waits for review):
        `{"id": …, "slug": …, "url": …}`."""
        variables = {"input": {"organizationId": employer.organization_id, **fields}}
        created = self.data(CREATE_JOB, variables, employer.recruiter)["createJob"]
        assert created["userErrors"] == [], created
        job_id = created["job"]["id"]
        move = {"input": {"id": job_id}}
        moved = self.data(MOVE_JOB.format(verb="publishJob"), move, employer.recruiter)
        job = moved["publishJob"]["job"]
        if job["status"] == "PENDING_REVIEW":  # an employer's first posting
            approved = self.data(MOVE_JOB.format(verb="approveJob"), move, employer.staff)
            job = approved["approveJob"]["job"]
        assert job["status"] == "PUBLISHED", job
        return {"id": job_id, "slug": job["slug"], "url": job["url"]}

    def close(self) -> None:
        self.client.close()


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    """A real `confrere serve` process on a fresh SQLite data dir, migrated."""
    with serving(tmp_path) as server:
        yield server


@pytest.fixture
def browser() -> Iterator[Any]:
    """Headless Chromium: Debian's when installed, else one Playwright installed itself.

    One per test: Playwright's sync API keeps an event loop running while it is open, and
    other fixtures call asyncio.run().
    """
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as error:
        pytest.skip(f"playwright is not installed ({error})")
    with sync_playwright() as playwright:
        try:
            if CHROMIUM.exists():
                launched = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=["--no-sandbox"]
                )
            else:
                launched = playwright.chromium.launch(args=["--no-sandbox"])
        except Error as error:
            first_line = str(error).strip().splitlines()[0]
            pytest.skip(
                f"no browser: {CHROMIUM} is missing (`make browser` installs Debian's chromium) "
                f"and Playwright could not launch one ({first_line})"
            )
        yield launched
        launched.close()


@pytest.fixture
def count_statements(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """SQL statements the requests run on SQLite, leaving out the background tasks' (the
    indexer, job expiry, the site rebuild: every task named `confrere-…`)."""
    from api.core.db import PooledSQLiteEngine

    statements: list[str] = []
    original = PooledSQLiteEngine._run_in_new_connection
    original_in_transaction = PooledSQLiteEngine._run_in_existing_connection

    def note(query: str) -> None:
        task = asyncio.current_task()
        if task is None or not task.get_name().startswith("confrere-"):
            statements.append(query)

    async def counted(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
        note(query)
        return await original(self, query, *args, **kwargs)

    async def counted_in_transaction(self: Any, connection: Any, query: str, *a: Any, **k: Any):
        note(query)
        return await original_in_transaction(self, connection, query, *a, **k)

    monkeypatch.setattr(PooledSQLiteEngine, "_run_in_new_connection", counted)
    monkeypatch.setattr(PooledSQLiteEngine, "_run_in_existing_connection", counted_in_transaction)
    yield statements

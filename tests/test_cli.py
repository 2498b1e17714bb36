"""The `confrere` command end to end: a real server, the site, accounts, seeding, the schema."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import httpx

from tests.conftest import TEST_SECRET, LiveServer, confrere_command

ROOT = Path(__file__).resolve().parents[1]
LOGIN = """
mutation Login($input: LoginInput!) {
  login(input: $input) { token account { isStaff } userErrors { code } }
}
"""


def run(server: LiveServer, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        confrere_command(*arguments),
        env=server.environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_serve_answers_graphql_and_health(live_server: LiveServer) -> None:
    response = httpx.post(f"{live_server.url}/graphql", json={"query": "{ __typename }"})

    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}
    assert httpx.get(f"{live_server.url}/readyz").json()["status"] == "ok"


def test_site_build_is_served_at_the_root(live_server: LiveServer) -> None:
    before = httpx.get(f"{live_server.url}/")
    assert "confrere site build" in before.text

    built = run(live_server, "site", "build")
    assert built.returncode == 0, built.stderr

    page = httpx.get(f"{live_server.url}/")
    assert page.status_code == 200
    assert "<title>Confrere</title>" in page.text
    guide = httpx.get(f"{live_server.url}/api/getting-started/")
    assert guide.status_code == 200
    assert "Authorization: Bearer" in guide.text
    assert httpx.get(f"{live_server.url}/no/such/page/").status_code == 404

    # a second build swaps in atomically and keeps serving
    assert run(live_server, "site", "build").returncode == 0
    assert httpx.get(f"{live_server.url}/").status_code == 200


def test_accounts_create_makes_a_staff_account_that_can_log_in(live_server: LiveServer) -> None:
    created = run(
        live_server,
        "accounts", "create", "--email", "root@example.org",
        "--password", "a long staff password", "--name", "Root", "--staff",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    assert "created staff account root@example.org" in created.stderr

    variables = {"input": {"email": "root@example.org", "password": "a long staff password"}}
    response = httpx.post(
        f"{live_server.url}/graphql", json={"query": LOGIN, "variables": variables}
    )
    payload = response.json()["data"]["login"]
    assert payload["userErrors"] == []
    assert payload["account"] == {"isStaff": True}


def test_accounts_create_explains_bad_input(live_server: LiveServer) -> None:
    result = run(
        live_server, "accounts", "create", "--email", "x", "--password", "p", "--name", "N"
    )

    assert result.returncode == 1
    assert "email: Enter an email" in result.stderr
    assert "password: Use a password of at least 10 characters" in result.stderr


def test_seed_demo_loads_once(live_server: LiveServer) -> None:
    first = run(live_server, "seed", "--demo", "--accounts", "12", "--alumni", "20")
    assert first.returncode == 0, first.stderr
    assert "loaded 32 demo accounts" in first.stderr

    second = run(live_server, "seed", "--demo")
    assert second.returncode == 0
    assert "already has data" in second.stderr

    variables = {"input": {"email": "ada@demo.confrere.dev", "password": "confrere-demo"}}
    response = httpx.post(
        f"{live_server.url}/graphql", json={"query": LOGIN, "variables": variables}
    )
    assert response.json()["data"]["login"]["token"]


def test_export_schema_matches_the_committed_schema() -> None:
    result = subprocess.run(
        confrere_command("export-schema"), capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout == (ROOT / "schema.graphql").read_text(), (
        "schema.graphql is stale: run `confrere export-schema --output schema.graphql`"
    )


def test_a_new_data_dir_creates_its_indexes_without_alarm_and_a_broken_one_warns(
    tmp_path: Path,
) -> None:
    environment = {
        **os.environ,
        "CONFRERE_DATA_DIR": str(tmp_path / "data"),
        "CONFRERE_SECRET_KEY": TEST_SECRET,
    }
    environment.pop("DATABASE_URL", None)

    def worker_once() -> str:
        done = subprocess.run(
            confrere_command("index", "worker", "--once"),
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stderr

    subprocess.run(confrere_command("db", "migrate"), env=environment, check=True)

    first = worker_once()
    created = [line for line in first.splitlines() if "created the" in line]
    assert created == [
        f"INFO confrere.indexer: created the {name} search index from the database (0 documents)"
        for name in ("candidates", "jobs", "directory", "directory_public")
    ], first
    assert "WARNING" not in first, first

    for toc in (tmp_path / "data" / "indexes").glob("jobs*/**/_MAIN_*.toc"):
        toc.write_bytes(b"garbage")
    again = worker_once()
    [warning] = [line for line in again.splitlines() if line.startswith("WARNING")]
    assert "jobs" in warning
    assert warning.endswith("rebuilding it from the database"), warning


def test_index_rebuild_is_refused_while_the_servers_indexer_writes(
    live_server: LiveServer,
) -> None:
    # given a server whose in-process indexer holds every index's writer lock
    # when a rebuild is started beside it
    refused = run(live_server, "index", "rebuild", "--kind", "jobs", "--procs", "1")

    # then it stops before writing, saying who holds the index
    assert refused.returncode == 1, refused.stdout
    assert f"another process ({live_server.process.pid}) is writing the jobs index" in (
        refused.stderr
    )
    assert "rebuilt" not in refused.stdout

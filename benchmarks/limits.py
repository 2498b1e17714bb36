"""How fast /graphql refuses a costly document, against the cheapest request, in one run.

    .venv/bin/python benchmarks/limits.py --rounds 200

Starts a real `confrere serve` on a fresh SQLite data dir (migrated, with a few public
resumes so the nested lists would have something to return), then over HTTP:

- the floor: `{ __typename }`, the cheapest document there is;
- the costly document of the security review (issue 11, item 6): thirty aliases of pages of
  resumes, each with its owner's page of resumes, each with theirs — inside the depth, token
  and alias limits, millions of objects if it ran. It must be refused before it runs;
- /healthz while four clients send the costly document without pause: the server must stay
  responsive (before the limit, /healthz took up to 2.2 s while such documents ran).

The last line printed is one JSON object; `costly_p95_ms` is the figure the issue names
(target: under 50 ms), `costly_over_floor_p95` the ratio to the floor in the same run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._server import Server, fresh_environment, migrate  # noqa: E402

NESTED_PAGE = (
    "publicResumes(first: 100) { edges { node { id owner { resumes(first: 100) { edges { "
    "node { id owner { resumes(first: 100) { totalCount } } } } } } } } }"
)
COSTLY = "{ " + " ".join(f"a{i}: {NESTED_PAGE}" for i in range(30)) + " }"
FLOOR = "{ __typename }"
REGISTER = """
mutation ($input: RegisterInput!) { register(input: $input) { token userErrors { code } } }
"""
IMPORT = """
mutation ($input: ImportResumeInput!) { importResume(input: $input) { userErrors { code } } }
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed(client: httpx.Client, query: str, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.post("/graphql", json={"query": query})
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return times


def seed(client: httpx.Client, people: int) -> None:
    for number in range(people):
        variables = {
            "input": {
                "email": f"person{number}@bench.example",
                "password": "a long enough password",
                "name": f"Person {number}",
            }
        }
        token = client.post("/graphql", json={"query": REGISTER, "variables": variables}).json()
        bearer = {"Authorization": f"Bearer {token['data']['register']['token']}"}
        document = {"basics": {"name": f"Person {number}", "label": "Engineer"}}
        client.post(
            "/graphql",
            json={"query": IMPORT, "variables": {"input": {"document": document}}},
            headers=bearer,
        )
        client.post(
            "/graphql",
            json={
                "query": IMPORT,
                "variables": {"input": {"document": document, "visibility": "PUBLIC"}},
            },
            headers=bearer,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--people", type=int, default=20)
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="confrere-limits-bench-"))
    environment = fresh_environment(
        work,
        {
            "CONFRERE_REQUIRE_VERIFIED_EMAIL": "0",  # not what this measures or tests
            "CONFRERE_REGISTRATIONS_PER_CLIENT": "100000",
        },
    )
    migrate(environment)
    with Server(environment, work / "server.log") as server:
        base = server.url
        with httpx.Client(base_url=base, timeout=60) as client:
            seed(client, arguments.people)
            refused = client.post("/graphql", json={"query": COSTLY}).json()
            code = refused["errors"][0]["extensions"]["code"]
            assert code == "QUERY_TOO_COSTLY", refused
            timed(client, FLOOR, 20)  # warm up both paths
            timed(client, COSTLY, 20)
            floor = timed(client, FLOOR, arguments.rounds)
            costly = timed(client, COSTLY, arguments.rounds)

            stop = threading.Event()

            def hammer() -> None:
                with httpx.Client(base_url=base, timeout=60) as own:
                    while not stop.is_set():
                        own.post("/graphql", json={"query": COSTLY})

            threads = [threading.Thread(target=hammer) for _ in range(4)]
            for thread in threads:
                thread.start()
            health = []
            for _ in range(arguments.rounds // 2):
                started = time.perf_counter()
                client.get("/healthz").raise_for_status()
                health.append((time.perf_counter() - started) * 1000)
            stop.set()
            for thread in threads:
                thread.join()
        result = {
            "rounds": arguments.rounds,
            "floor_p50_ms": round(statistics.median(floor), 2),
            "floor_p95_ms": round(percentile(floor, 0.95), 2),
            "costly_p50_ms": round(statistics.median(costly), 2),
            "costly_p95_ms": round(percentile(costly, 0.95), 2),
            "costly_over_floor_p95": round(percentile(costly, 0.95) / percentile(floor, 0.95), 2),
            "healthz_p95_ms_under_costly_load": round(percentile(health, 0.95), 2),
            "costly_refused_under_50_ms": percentile(costly, 0.95) < 50,
        }
        print(
            f"floor p95 {result['floor_p95_ms']} ms; costly document refused in p95 "
            f"{result['costly_p95_ms']} ms ({result['costly_over_floor_p95']}x the floor)"
        )
        print(json.dumps(result))


if __name__ == "__main__":
    main()

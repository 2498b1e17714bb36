"""Serving throughput: `confrere serve` with one worker and with N, under wrk, in one run.

    .venv/bin/python benchmarks/serve.py [--workers N] [--duration 10] [--connections 16]

Seeds the demo network (`confrere seed --demo`) into a fresh SQLite data dir, then for one
worker process and for N (default: the cores) starts `confrere serve --workers …`, and runs
wrk (the Debian package `wrk`) at 16 connections against /graphql with POSTed bodies:

- the floor: `{ __typename }`, the cheapest request there is;
- `jobs(first: 20)`: the board's first page with each posting's employer and places;
- `searchJobs`: a text query with facets and highlights;
- `searchCandidates`: the same, as a verified employer (the demo recruiter's token);
- `jobs afresh` and `searchJobs afresh`: the same anonymous documents with a variable that
  differs on every request, so no kept answer is ever given (api/core/response_cache.py):
  what making the answer costs. The plain rows repeat one document, as the visitors of a
  public page do, and are mostly given the answer kept for it.

It prints requests/s and p99 for each, each query's cost over the floor (the floor's
requests/s over the query's, same worker count) and N workers' throughput over one worker's,
with each process's share of the CPU the server spent (far from 1/N: the connections did not
spread over the processes).
Targets (issue 14): N workers ≥ 1.7x one worker, and no query above 4x the floor. The last
line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api.demo import DEMO_PASSWORD, DEMO_RECRUITER_EMAIL  # noqa: E402
from benchmarks._server import CONFRERE, Server, fresh_environment, migrate  # noqa: E402

LOGIN = "mutation ($input: LoginInput!) { login(input: $input) { token userErrors { code } } }"

#: name → (document, needs the employer's token)
QUERIES: dict[str, tuple[str, bool]] = {
    "typename": ("{ __typename }", False),
    "jobs": (
        "{ jobs(first: 20) { totalCount edges { cursor node { id title slug workplaceType "
        "employmentTypes datePosted locations { city countryCode } "
        "salary { currency min max unit } hiringOrganization { id name } } } "
        "pageInfo { hasNextPage endCursor } } }",
        False,
    ),
    "searchJobs": (
        '{ searchJobs(query: "engineer", first: 20) { totalCount edges { node { id title '
        "hiringOrganization { name } locations { city } } highlights { field snippet } } "
        "facets { field values { value count } } } }",
        False,
    ),
    "searchCandidates": (
        '{ searchCandidates(query: "python", first: 20) { totalCount edges { score '
        "matchedSkills highlights { field snippet } node { id title owner { id name } } } "
        "facets { field values { value count } } } }",
        True,
    ),
}
#: Anonymous queries measured a second time with every request distinct ("<name> afresh").
AFRESH = ("jobs", "searchJobs")
FLOOR = "typename"
#: The issue's targets.
SPEEDUP_TARGET = 1.7
COST_TARGET = 4.0

WRK_SCRIPT = """wrk.method = "POST"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
{authorization}
"""
#: Every request's body differs (`"variables": {{"visit": "<thread>-<count>"}}`, a variable
#: the document ignores), so no answer kept for an earlier one matches it.
WRK_DISTINCT_SCRIPT = """wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  count = 0
end
function request()
  count = count + 1
  return wrk.format(nil, nil, nil, {prefix} .. tid .. "-" .. count .. {suffix})
end
"""


@dataclass(frozen=True)
class Run:
    requests_per_s: float
    p99_ms: float
    requests: int
    cpu_ms_per_request: float = 0.0
    """CPU time the server's processes spent per request (user + system): unlike
    requests/s, it barely moves when other programs share the cores."""
    cpu_shares: list[float] = field(default_factory=list)
    """Each process's part of that CPU time, largest first."""


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def cpu_seconds(parent: int) -> dict[int, float]:
    """User + system CPU time of `parent` and of each of its child processes (the workers),
    so far, by process id."""
    seconds = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # gone meanwhile
            continue
        fields = text.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
        pid, parent_pid = int(stat.parent.name), int(fields[1])
        if parent in (pid, parent_pid):
            ticks = int(fields[11]) + int(fields[12])  # utime, stime
            seconds[pid] = ticks / os.sysconf("SC_CLK_TCK")
    return seconds


def wrk(url: str, script: Path, *, connections: int, duration: int, threads: int) -> Run:
    # A slow answer is measured (in p99), not dropped: wrk's 2 s default would drop it.
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency",
               "--timeout", "60s"]  # fmt: skip
    finished = subprocess.run(
        [*command, "-s", str(script), url], capture_output=True, text=True, check=True
    )
    output = finished.stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors or "Socket errors" in output:
        raise SystemExit(f"wrk saw failed requests:\n{output}")
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    total = re.search(r"(\d+) requests in", output)
    if not (rate and p99 and total):
        raise SystemExit(f"cannot read wrk's output:\n{output}")
    return Run(float(rate.group(1)), _milliseconds(p99.group(1)), int(total.group(1)))


def check_answers(client: httpx.Client, token: str) -> None:
    """Every query answers data, no errors, and the searches find something: a benchmark of
    error responses would measure nothing."""
    asked = [(name, document, as_employer, {}) for name, (document, as_employer) in QUERIES.items()]
    asked += [(f"{name} afresh", QUERIES[name][0], False, {"visit": "0-0"}) for name in AFRESH]
    for name, document, as_employer, variables in asked:
        headers = {"Authorization": f"Bearer {token}"} if as_employer else {}
        request = {"query": document, "variables": variables}
        body = client.post("/graphql", json=request, headers=headers).json()
        if "errors" in body or not body.get("data"):
            raise SystemExit(f"{name} does not answer cleanly: {body}")
        found = next(iter(body["data"].values()))
        if isinstance(found, dict) and not found.get("totalCount"):
            raise SystemExit(f"{name} finds nothing in the demo data: {body}")


class Workers(Server):
    """`confrere serve --workers N`, ready once every one of its N processes has answered
    /readyz (a kept-alive connection stays with the process that accepted it, so wrk would
    otherwise measure the processes that happened to be up)."""

    def __init__(self, environment: dict[str, str], workers: int, log: Path) -> None:
        super().__init__(environment, log, workers=workers)
        self.workers = workers

    def wait_ready(self, timeout: float = 120) -> None:
        seen: set[int] = set()
        deadline = time.monotonic() + timeout
        while len(seen) < self.workers:
            self._check_alive(deadline)
            try:
                with httpx.Client(base_url=self.url, timeout=5) as client:
                    answer = client.get("/readyz")
                    if answer.status_code == 200:
                        seen.add(answer.json()["process"])
                        continue
            except httpx.TransportError:
                pass
            time.sleep(0.1)


def wrk_scripts(token: str, work: Path) -> dict[str, Path]:
    """One wrk Lua script per row: POST the query's JSON body (with the employer's token when
    it needs one), and for the AFRESH ones a body that differs on every request."""
    scripts = {}
    for name, (document, as_employer) in QUERIES.items():
        script = work / f"{name}.lua"
        authorization = f'wrk.headers["Authorization"] = "Bearer {token}"' if as_employer else ""
        body = json.dumps(json.dumps({"query": document}))  # a Lua string literal
        script.write_text(WRK_SCRIPT.format(body=body, authorization=authorization))
        scripts[name] = script
    for name in AFRESH:
        document, _ = QUERIES[name]
        prefix, suffix = json.dumps({"query": document, "variables": {"visit": "@"}}).split("@")
        script = work / f"{name}-afresh.lua"
        script.write_text(
            WRK_DISTINCT_SCRIPT.format(prefix=json.dumps(prefix), suffix=json.dumps(suffix))
        )
        scripts[f"{name} afresh"] = script
    return scripts


def measure(
    environment: dict[str, str], workers: int, arguments: argparse.Namespace, work: Path
) -> dict[str, Run]:
    with Workers(environment, workers, work / f"serve-{workers}.log") as server:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            # The demo recruiter: a verified employer, who may search candidates.
            variables = {"input": {"email": DEMO_RECRUITER_EMAIL, "password": DEMO_PASSWORD}}
            login = client.post("/graphql", json={"query": LOGIN, "variables": variables})
            token: str = login.json()["data"]["login"]["token"]
            check_answers(client, token)
        scripts = wrk_scripts(token, work)
        results = {}
        for name, script in scripts.items():
            # Warm every process's caches (searchers, segment arrays) before measuring.
            wrk(f"{server.url}/graphql", script, connections=arguments.connections,
                duration=min(2, arguments.duration), threads=arguments.threads)  # fmt: skip
            before = cpu_seconds(server.process.pid)
            run = wrk(
                f"{server.url}/graphql",
                script,
                connections=arguments.connections,
                duration=arguments.duration,
                threads=arguments.threads,
            )
            spent = {
                pid: seconds - before.get(pid, 0.0)
                for pid, seconds in cpu_seconds(server.process.pid).items()
            }
            cpu = sum(spent.values()) * 1000 / max(run.requests, 1)
            # How the CPU spread over the processes: a share far from 1/N means the
            # connections did not (the supervisor itself spends next to nothing).
            shares = sorted((part / max(sum(spent.values()), 1e-9) for part in spent.values()),
                            reverse=True)[:workers]  # fmt: skip
            results[name] = run = replace(run, cpu_ms_per_request=cpu, cpu_shares=shares)
            print(
                f"  {workers} worker(s) {name:<17} {run.requests_per_s:8.1f} req/s   "
                f"p99 {run.p99_ms:7.1f} ms   {run.cpu_ms_per_request:6.2f} ms CPU/request   "
                f"CPU by process {' / '.join(f'{share:.0%}' for share in shares)}",
                flush=True,
            )
        return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=cores(), help="N [the cores]")
    parser.add_argument("--duration", type=int, default=10, help="seconds per query")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data dir")
    arguments = parser.parse_args()
    if shutil.which("wrk") is None:
        print(
            "wrk is not installed: `sudo apt-get install wrk` (Debian, Ubuntu) or "
            "`brew install wrk` (macOS), then run this again",
            file=sys.stderr,
        )
        raise SystemExit(2)
    if arguments.workers < 2:
        raise SystemExit("--workers must be at least 2: one worker is always measured")

    work = Path(tempfile.mkdtemp(prefix="confrere-serve-bench-"))
    environment = fresh_environment(
        work,
        {
            "CONFRERE_SECRET_KEY": secrets.token_urlsafe(48),
            # The site rebuild would compete with the requests for the cores: not measured.
            "CONFRERE_SITE_REBUILD_DELAY": "0",
            # So would delivering the demo's queued mail, in the first server measured only
            # (the queue is empty for the next), and each delivery's commit would make the
            # kept answers afresh: not measured either.
            "CONFRERE_MAIL_DELIVERY": "external",
        },
    )
    try:
        migrate(environment)
        print("seeding the demo network…", flush=True)
        subprocess.run([*CONFRERE, "seed", "--demo"], env=environment, check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        by_workers = {
            count: measure(environment, count, arguments, work) for count in (1, arguments.workers)
        }
    finally:
        if not arguments.keep:
            shutil.rmtree(work, ignore_errors=True)
    report(by_workers, arguments)


def report(by_workers: dict[int, dict[str, Run]], arguments: argparse.Namespace) -> None:
    one, many = by_workers[1], by_workers[arguments.workers]
    n = arguments.workers
    print(
        f"\n{'query':<17} {'1 worker':>10} {'p99':>8} {'cost':>6}   "
        f"{f'{n} workers':>10} {'p99':>8} {'cost':>6}   {'speed-up':>8}   {'CPU cost':>8}"
    )
    queries: dict[str, Any] = {}
    for name in one:
        cpu_cost = one[name].cpu_ms_per_request / max(one[FLOOR].cpu_ms_per_request, 1e-9)
        cost_one = one[FLOOR].requests_per_s / one[name].requests_per_s
        cost_many = many[FLOOR].requests_per_s / many[name].requests_per_s
        speedup = many[name].requests_per_s / one[name].requests_per_s
        print(
            f"{name:<17} {one[name].requests_per_s:10.1f} {one[name].p99_ms:8.1f} "
            f"{cost_one:5.2f}x   {many[name].requests_per_s:10.1f} {many[name].p99_ms:8.1f} "
            f"{cost_many:5.2f}x   {speedup:7.2f}x   {cpu_cost:7.2f}x"
        )
        queries[name] = {
            "1": {"rps": round(one[name].requests_per_s, 1), "p99_ms": one[name].p99_ms,
                  "cost_over_floor": round(cost_one, 2)},
            str(n): {"rps": round(many[name].requests_per_s, 1), "p99_ms": many[name].p99_ms,
                     "cost_over_floor": round(cost_many, 2)},
            "speedup": round(speedup, 2),
            "cpu_ms_per_request": round(one[name].cpu_ms_per_request, 3),
            "cpu_cost_over_floor": round(cpu_cost, 2),
            "cpu_shares_by_process": [round(share, 2) for share in many[name].cpu_shares],
        }  # fmt: skip
    worst_cost = max(
        max(entry["1"]["cost_over_floor"], entry[str(n)]["cost_over_floor"])
        for entry in queries.values()
    )
    slowest_speedup = min(entry["speedup"] for entry in queries.values())
    print(
        f"\ntargets: every query's speed-up >= {SPEEDUP_TARGET}x (lowest {slowest_speedup:.2f}x); "
        f"no query above {COST_TARGET}x the floor (highest {worst_cost:.2f}x)"
    )
    print(
        json.dumps(
            {
                "workers": n,
                "connections": arguments.connections,
                "duration_s": arguments.duration,
                "queries": queries,
                "lowest_speedup": slowest_speedup,
                "highest_cost_over_floor": worst_cost,
                "speedup_target_met": slowest_speedup >= SPEEDUP_TARGET,
                "cost_target_met": worst_cost <= COST_TARGET,
            }
        )
    )


if __name__ == "__main__":
    main()

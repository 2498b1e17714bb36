"""`confrere serve --workers 2`: both processes answer, exactly one holds the worker role,
the indexes it writes are read by the other, /metrics sums both, and the role is taken over
when its holder is killed."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from api.core import listeners
from tests.conftest import (
    TEST_SECRET,
    GraphQLClient,
    _free_port,
    _truncate_all,
    confrere_command,
    without_cookies,
)
from tests.factories import employer, job

SEARCH_JOBS = """
query ($query: String) {
  searchJobs(query: $query) { totalCount edges { node { id title } } }
}
"""

#: How long the tests wait for something that should take about a second (a takeover, an
#: outbox batch), before they fail; never a target, only a bound.
PATIENCE_SECONDS = 60.0


@dataclass
class Workers:
    """A running `confrere serve --workers 2`, and one open connection per process."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path
    connections: dict[int, httpx.Client] = field(default_factory=dict)
    readyz_answered: int = 0

    def readyz(self, client: httpx.Client) -> dict[str, Any]:
        response = client.get("/readyz")
        assert response.status_code == 200, response.text
        self.readyz_answered += 1
        body: dict[str, Any] = response.json()
        return body

    def meet(self, count: int) -> dict[int, httpx.Client]:
        """A kept-alive connection to each of `count` live processes (a connection stays
        with the process that accepted it), closing the ones whose process is gone."""
        for pid, client in list(self.connections.items()):
            try:
                self.readyz(client)
            except httpx.TransportError:
                client.close()
                del self.connections[pid]
        deadline = time.monotonic() + PATIENCE_SECONDS  # a replacement may be starting
        while len(self.connections) < count and time.monotonic() < deadline:
            client = without_cookies(httpx.Client(base_url=self.url, timeout=30))
            pid = self.readyz(client)["process"]
            if pid in self.connections:
                client.close()
                time.sleep(0.02)
            else:
                self.connections[pid] = client
        assert len(self.connections) >= count, f"met {list(self.connections)}:\n{self.output()}"
        return self.connections

    def role_holders(self) -> set[int | None]:
        return {self.readyz(client)["worker_role"] for client in self.connections.values()}

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def _wait_until(condition: Any, what: str, workers: Workers) -> None:
    deadline = time.monotonic() + PATIENCE_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen:\n{workers.output()}")
        time.sleep(0.1)


def _environment(data_dir: Path) -> dict[str, str]:
    environment = {
        **os.environ,
        "CONFRERE_DATA_DIR": str(data_dir),
        "CONFRERE_REQUIRE_VERIFIED_EMAIL": "0",  # not what this measures or tests
        "CONFRERE_SECRET_KEY": TEST_SECRET,
        "CONFRERE_REGISTRATIONS_PER_CLIENT": "1000000",
        "CONFRERE_JOB_REVIEW": "none",
        "CONFRERE_SITE_REBUILD_DELAY": "0",
    }
    environment.pop("DATABASE_URL", None)
    environment.pop("PROMETHEUS_MULTIPROC_DIR", None)
    return environment


def _serve(environment: dict[str, str], log: Path, *, workers: int) -> Workers:
    port = _free_port()
    with log.open("ab") as output:
        process = subprocess.Popen(
            confrere_command("serve", "--port", str(port), "--workers", str(workers)),
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    return Workers(url=f"http://127.0.0.1:{port}", process=process, log=log)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def workers(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Workers]:
    """One server per database for this module's tests (starting one takes seconds); the
    test that kills the role's holder runs last and leaves it serving."""
    tmp_path = tmp_path_factory.mktemp("workers")
    environment = _environment(tmp_path / "data")
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
        asyncio.run(_truncate_all(url))
        environment["DATABASE_URL"] = url
    else:
        subprocess.run(confrere_command("db", "migrate"), env=environment, check=True)
    running = _serve(environment, tmp_path / "server.log", workers=2)
    process = running.process

    def ready() -> bool:
        assert process.poll() is None, f"confrere serve exited:\n{running.output()}"
        try:
            answered = httpx.get(f"{running.url}/readyz", timeout=1).status_code == 200
        except httpx.TransportError:
            return False
        running.readyz_answered += answered  # counted in /metrics too
        return answered

    try:
        _wait_until(ready, "confrere serve answering", running)
        running.meet(2)
        yield running
    finally:
        for client in running.connections.values():
            client.close()
        _stop(process)


def _found_everywhere(workers: Workers, title: str) -> bool:
    """Whether every process's search finds a posting titled `title`."""
    for client in workers.connections.values():
        edges = GraphQLClient(client).data(SEARCH_JOBS, {"query": title})["searchJobs"]["edges"]
        if title not in {edge["node"]["title"] for edge in edges}:
            return False
    return True


def _post_through(client: httpx.Client, title: str) -> None:
    graphql = GraphQLClient(client)
    job(graphql, employer(graphql, f"{title} Ltd"), "PUBLISHED", title=title)


def test_both_processes_answer_and_exactly_one_holds_the_role(workers: Workers) -> None:
    processes = workers.meet(2)

    holders = workers.role_holders()

    assert len(processes) == 2
    assert len(holders) == 1
    assert holders <= processes.keys()
    [holder] = holders
    assert f"process {holder} holds the worker role" in workers.output()


def test_a_write_through_the_other_process_is_searchable_in_both(workers: Workers) -> None:
    # Given the process that does not hold the role
    processes = workers.meet(2)
    [holder] = workers.role_holders()
    [other] = [pid for pid in processes if pid != holder]

    # When a posting is published through it
    _post_through(processes[other], "Lighthouse Keeper")

    # Then the holder indexes it, and both processes find it
    _wait_until(lambda: _found_everywhere(workers, "Lighthouse Keeper"), "indexing", workers)


def _readyz_count(client: httpx.Client) -> float:
    response = client.get("/metrics")
    assert response.status_code == 200
    return sum(
        sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
        if sample.name == "confrere_requests_total"
        and sample.labels == {"route": "/readyz", "operation": "", "status": "200"}
    )


def test_one_scrape_counts_the_requests_of_every_process(workers: Workers) -> None:
    # Given requests answered by each process
    processes = workers.meet(2)
    for client in processes.values():
        for _ in range(3):
            workers.readyz(client)

    # When each process is scraped, then each scrape counts every process's requests (a
    # process counts a request just after answering it, so the last may take a moment)
    for client in processes.values():
        _wait_until(
            lambda: _readyz_count(client) == workers.readyz_answered,  # noqa: B023
            f"a scrape counting {workers.readyz_answered} answers",
            workers,
        )


def _listening_sockets(port: int) -> set[str]:
    """The inodes of the TCP sockets listening on `port` (from /proc/net/tcp and tcp6)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local_port, state, inode = int(fields[1].rsplit(":", 1)[1], 16), fields[3], fields[9]
            if local_port == port and state == "0A":  # TCP_LISTEN
                inodes.add(inode)
    return inodes


def _sockets_of(pid: int) -> set[str]:
    inodes = set()
    for descriptor in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):  # closed meanwhile
            target = os.readlink(descriptor)
            if target.startswith("socket:["):
                inodes.add(target[len("socket:[") : -1])
    return inodes


@pytest.mark.skipif(not listeners.BALANCED, reason="the kernel balances shared ports on Linux")
def test_each_process_listens_on_a_socket_of_its_own(workers: Workers) -> None:
    # Given both processes
    processes = workers.meet(2)

    # When the sockets listening on the port are read from the kernel
    listening = _listening_sockets(int(workers.url.rsplit(":", 1)[1]))

    # Then there is one per process, each held by that process alone
    held = {pid: _sockets_of(pid) & listening for pid in processes}
    assert len(listening) == 2, held
    assert all(len(sockets) == 1 for sockets in held.values()), held
    assert set.union(*held.values()) == listening


def _answering_process(connection: socket.socket) -> int:
    connection.sendall(b"GET /readyz HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
    answer = b""
    while chunk := connection.recv(65536):
        answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), answer
    pid: int = json.loads(body)["process"]
    return pid


@pytest.mark.skipif(not listeners.BALANCED, reason="the kernel balances shared ports on Linux")
def test_a_burst_of_connections_is_shared_by_both_processes(workers: Workers) -> None:
    # Given 64 connections opened at once, before any of them asks anything (as a proxy's
    # pool or a load generator opens them)
    host, port = workers.url.removeprefix("http://").rsplit(":", 1)
    burst = [socket.create_connection((host, int(port)), timeout=30) for _ in range(64)]

    # When each asks which process answers it
    try:
        answered_by = Counter(_answering_process(connection) for connection in burst)
    finally:
        for connection in burst:
            connection.close()
    workers.readyz_answered += len(burst)  # counted in /metrics too

    # Then both processes took a fair share (the kernel hashes each connection to a socket:
    # fewer than 16 of 64 on one has a chance of about 1 in 30,000)
    assert len(answered_by) == 2, answered_by
    assert min(answered_by.values()) >= 16, answered_by


def test_a_second_server_on_the_same_port_is_refused(workers: Workers, tmp_path: Path) -> None:
    # Given a server on a port, when another is started on the same port
    port = workers.url.rsplit(":", 1)[1]
    second = subprocess.run(
        confrere_command("serve", "--port", port, "--workers", "2"),
        env=_environment(tmp_path / "data"),
        capture_output=True,
        text=True,
        timeout=PATIENCE_SECONDS,
    )

    # Then it stops at once with an error naming the address, and takes none of the first's
    # connections
    assert second.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in second.stderr + second.stdout
    assert len(workers.meet(2)) == 2


def test_the_role_is_taken_over_when_its_holder_is_killed(workers: Workers) -> None:
    # Given the role's holder
    workers.meet(2)
    [holder] = workers.role_holders()

    # When it is killed outright
    os.kill(holder, signal.SIGKILL)

    # Then another process takes the role over (uvicorn also starts a replacement)...
    def taken_over() -> bool:
        holders = workers.role_holders() if workers.meet(1) else set()
        return len(holders) == 1 and None not in holders and holder not in holders

    _wait_until(taken_over, "the takeover", workers)
    [successor] = workers.role_holders()
    assert successor != holder
    assert f"process {successor} took over the worker role" in workers.output() or (
        f"process {successor} holds the worker role" in workers.output()
    )

    # ...and indexes what is written from then on
    _post_through(next(iter(workers.connections.values())), "Harbour Pilot")
    workers.meet(2)
    _wait_until(lambda: _found_everywhere(workers, "Harbour Pilot"), "indexing", workers)


def test_confrere_worker_holds_the_role_for_the_servers(tmp_path: Path) -> None:
    # Given `confrere worker` started first on a node, then a server
    environment = _environment(tmp_path / "data")
    subprocess.run(confrere_command("db", "migrate"), env=environment, check=True)
    log = tmp_path / "node.log"
    with log.open("ab") as output:
        worker = subprocess.Popen(
            confrere_command("worker"), env=environment, stdout=output, stderr=subprocess.STDOUT
        )
    server: Workers | None = None
    try:
        holding = f"process {worker.pid} holds the worker role"
        placeholder = Workers(url="", process=worker, log=log)
        _wait_until(
            lambda: holding in placeholder.output(), "the worker taking the role", placeholder
        )
        server = _serve(environment, log, workers=1)

        def ready() -> bool:
            try:
                return httpx.get(f"{server.url}/readyz", timeout=1).status_code == 200
            except httpx.TransportError:
                return False

        _wait_until(ready, "the server answering", server)
        [client] = server.meet(1).values()

        # When the server is asked who holds the role, and a posting is published through it
        answer = server.readyz(client)
        _post_through(client, "Lock Keeper")

        # Then the worker holds it, and indexes what the server wrote
        assert answer["worker_role"] == worker.pid != answer["process"]
        _wait_until(lambda: _found_everywhere(server, "Lock Keeper"), "indexing", server)
    finally:
        if server is not None:
            for open_client in server.connections.values():
                open_client.close()
            _stop(server.process)
        _stop(worker)

"""A real Confrere for a benchmark: a fresh data dir, migrated, and `confrere serve` (with a
`confrere worker` beside it when asked) on a free port until it answers, then closed.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import httpx

ROOT = Path(__file__).resolve().parents[1]
CONFRERE = [sys.executable, "-m", "api"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def fresh_environment(
    work: Path, settings: dict[str, str], database_url: str = ""
) -> dict[str, str]:
    """This process's environment with a data dir of its own in `work`, SQLite there (or
    `database_url`, whatever DATABASE_URL says here), and `settings` (CONFRERE_* names)."""
    environment = {**os.environ, "CONFRERE_DATA_DIR": str(work / "data"), **settings}
    environment.pop("DATABASE_URL", None)
    # A metrics folder of another server's (`confrere serve` makes its own when it needs one).
    environment.pop("PROMETHEUS_MULTIPROC_DIR", None)
    if database_url:
        environment["DATABASE_URL"] = database_url
    return environment


def migrate(environment: dict[str, str]) -> None:
    """`confrere db migrate`: the database of `environment`, made or brought up to date."""
    subprocess.run([*CONFRERE, "db", "migrate"], env=environment, check=True, cwd=ROOT)


class Process:
    """A `confrere …` command running, its output in `log`, until closed."""

    def __init__(self, environment: dict[str, str], arguments: list[str], log: Path) -> None:
        self.log = log
        self._output = log.open("wb")
        self.process = subprocess.Popen(
            [*CONFRERE, *arguments],
            env=environment,
            cwd=ROOT,
            stdout=self._output,
            stderr=subprocess.STDOUT,
        )
        self.name = f"confrere {' '.join(arguments)}"

    def wait_for(self, line: str, timeout: float = 60) -> None:
        """Until the command's output says `line`."""
        deadline = time.monotonic() + timeout
        while line not in self.log.read_text(errors="replace"):
            self._check_alive(deadline)
            time.sleep(0.2)

    def _check_alive(self, deadline: float) -> None:
        if self.process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(
                f"{self.name} did not start (its output, {self.log}):\n"
                f"{self.log.read_text(errors='replace')[-4000:]}"
            )

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._output.close()

    def __enter__(self) -> Process:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class Server(Process):
    """`confrere serve` on a free port of 127.0.0.1 (`--workers N` when given, else the
    server's own default), its output in `log`; entered, it waits until it is ready."""

    def __init__(
        self, environment: dict[str, str], log: Path, *, workers: int | None = None
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        processes = ["--workers", str(workers)] if workers else []
        super().__init__(
            environment, ["serve", "--host", "127.0.0.1", "--port", str(self.port), *processes], log
        )

    def wait_ready(self, timeout: float = 120) -> None:
        """Until it answers /readyz: the database migrated, the search indexes built."""
        deadline = time.monotonic() + timeout
        while True:
            self._check_alive(deadline)
            try:
                if httpx.get(f"{self.url}/readyz", timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)

    def __enter__(self) -> Server:
        try:
            self.wait_ready()
        except BaseException:
            self.close()
            raise
        return self


@contextlib.contextmanager
def serving(
    environment: dict[str, str], work: Path, name: str, *, worker_apart: bool
) -> Iterator[str]:
    """`confrere serve --workers 1` (after a `confrere worker` holding the worker role, when
    `worker_apart`), their output in `work/<name>-….log`; yields the server's base URL."""
    with contextlib.ExitStack() as running:
        if worker_apart:
            worker = running.enter_context(
                Process(environment, ["worker"], work / f"{name}-worker.log")
            )
            worker.wait_for("holds the worker role")
        server = running.enter_context(Server(environment, work / f"{name}-server.log", workers=1))
        yield server.url

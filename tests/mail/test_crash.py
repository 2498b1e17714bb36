"""Deliverers as real processes: killed with SIGKILL mid-batch and restarted, every message
arrives and only the one in flight may arrive twice; two at once never send one twice."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from api.core.settings import Settings
from tests.conftest import TEST_SECRET, confrere_command
from tests.mail.smtp import Inbox, SmtpServer
from tests.mail.test_delivery import queue, rows

MESSAGES = 40


def worker(settings: Settings, smtp: SmtpServer, log: Path) -> subprocess.Popen[bytes]:
    environment = {
        **os.environ,
        "CONFRERE_DATA_DIR": str(settings.data_dir),
        "CONFRERE_REQUIRE_VERIFIED_EMAIL": "0",  # not what this measures or tests
        "CONFRERE_SECRET_KEY": TEST_SECRET,
        # Three seconds per SMTP step: a dead worker's claim ends 14 seconds after it was made.
        # (One second made a step time out now and then on a loaded machine; the message
        # then waits out its retry backoff, 30 s and more, and may arrive twice.)
        "CONFRERE_SMTP_URL": f"smtp://{smtp.host}:{smtp.port}?timeout=3",
        "CONFRERE_MAIL_FROM": "no-reply@confrere.test",
    }
    environment.pop("DATABASE_URL", None)
    if settings.database_url:
        environment["DATABASE_URL"] = settings.database_url
    return subprocess.Popen(
        confrere_command("mail", "worker"),
        env=environment,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def recipients(count: int) -> list[tuple[str, str]]:
    return [(f"member{i}@example.org", f"Member {i}") for i in range(count)]


def wait_until(condition, timeout: float, what: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            said = f"; the workers said:\n{log.read_text()}" if log else ""
            raise AssertionError(f"timed out waiting for {what}{said}")
        time.sleep(0.02)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.mark.timeout(180)
def test_a_deliverer_killed_mid_batch_loses_nothing_and_repeats_at_most_one(
    settings: Settings, smtp_server: SmtpServer, inbox: Inbox, tmp_path: Path
) -> None:
    # given a batch of queued messages and a server slow enough to kill the worker mid-batch
    queue(settings, *recipients(MESSAGES))
    inbox.delay_seconds = 0.05
    log = tmp_path / "worker.log"

    # when a deliverer process is killed with SIGKILL after a quarter of the batch arrived
    first = worker(settings, smtp_server, log)
    try:
        wait_until(lambda: len(inbox.received) >= MESSAGES // 4, 60, "a quarter of the batch")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    arrived_before_restart = len(inbox.received)
    assert arrived_before_restart < MESSAGES, log.read_text()

    # and another is started
    second = worker(settings, smtp_server, log)
    try:
        wait_until(
            lambda: len({r.message_id for r in inbox.received}) >= MESSAGES,
            60,
            "every message",
            log,
        )
        wait_until(
            lambda: all(row["status"] == "SENT" for row in rows(settings)[0]), 30, "all sent"
        )
    finally:
        stop(second)

    # then every queued message arrived, and a Message-ID came twice at most for the one
    # message the killed process had in flight
    queued = {row["message_id"] for row in rows(settings)[0]}
    counts = Counter(r.message_id for r in inbox.received)
    assert set(counts) == queued and len(queued) == MESSAGES
    duplicated = [message_id for message_id, count in counts.items() if count > 1]
    assert len(duplicated) <= 1 and max(counts.values()) <= 2, counts
    # and each recipient got the message queued for them
    assert {r.rcpt_tos[0] for r in inbox.received} == {a for a, _ in recipients(MESSAGES)}


@pytest.mark.timeout(180)
def test_two_deliverers_at_once_never_send_a_message_twice(
    settings: Settings, smtp_server: SmtpServer, inbox: Inbox, tmp_path: Path
) -> None:
    # given a queued batch
    queue(settings, *recipients(MESSAGES))
    inbox.delay_seconds = 0.1  # long enough for both to be at work together
    log = tmp_path / "workers.log"

    # when two deliverer processes work the same queue at the same time
    workers = [worker(settings, smtp_server, log) for _ in range(2)]
    try:
        wait_until(lambda: len(inbox.received) >= MESSAGES, 60, "every message", log)
        wait_until(
            lambda: all(row["status"] == "SENT" for row in rows(settings)[0]), 30, "all sent"
        )
    finally:
        for process in workers:
            stop(process)

    # then each message arrived exactly once
    counts = Counter(r.message_id for r in inbox.received)
    assert len(counts) == MESSAGES and set(counts.values()) == {1}, counts
    # and each has exactly one attempt, recorded by one of the two processes
    _, attempts = rows(settings)
    assert len(attempts) == MESSAGES
    assert {a["outcome"] for a in attempts} == {"SENT"}
    assert len({a["worker"] for a in attempts}) == 2, "both processes delivered"

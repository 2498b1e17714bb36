"""`confrere mail worker --once` and `confrere mail status` as an operator runs them, with no
mail server configured: each message becomes an `.eml` file and one log line names it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from api.core.settings import Settings
from tests.conftest import TEST_SECRET, confrere_command
from tests.mail.test_delivery import queue


def run(settings: Settings, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "CONFRERE_DATA_DIR": str(settings.data_dir),
        "CONFRERE_SECRET_KEY": TEST_SECRET,
    }
    environment.pop("DATABASE_URL", None)
    environment.pop("CONFRERE_SMTP_URL", None)
    if settings.database_url:
        environment["DATABASE_URL"] = settings.database_url
    return subprocess.run(
        confrere_command(*arguments), env=environment, capture_output=True, text=True, check=True
    )


def test_the_worker_writes_eml_files_and_status_counts_the_queue(settings: Settings) -> None:
    # given two queued messages and no SMTP URL
    queue(settings, ("ada@example.org", "Ada"), ("lin@example.org", "Lin"))
    assert run(settings, "mail", "status").stderr.strip() == "2 queued, 0 sent, 0 failed"

    # when the worker sends what is due and exits
    worker = run(settings, "mail", "worker", "--once")

    # then each message is a file, named in one log line each
    files = sorted(settings.mail_dir.glob("*.eml"))
    assert [f.name for f in files] == ["00000001-password_reset.eml", "00000002-password_reset.eml"]
    output = worker.stdout + worker.stderr
    for file, address in zip(files, ("ada@example.org", "lin@example.org"), strict=True):
        [line] = [line for line in output.splitlines() if str(file) in line]
        assert f"mail to {address} written to {file}" in line
    assert "sent 2 messages, 0 failed attempts" in output
    assert run(settings, "mail", "status").stderr.strip() == "0 queued, 2 sent, 0 failed"


def test_a_mistaken_smtp_url_is_named_before_anything_runs(tmp_path: Path) -> None:
    environment = {
        **os.environ,
        "CONFRERE_DATA_DIR": str(tmp_path),
        "CONFRERE_SMTP_URL": "smtp://mail.example.org?starttls=perhaps",
    }
    result = subprocess.run(
        confrere_command("mail", "worker", "--once"),
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "CONFRERE_SMTP_URL: starttls= must be true or false" in result.stderr

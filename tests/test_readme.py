"""The README tells the truth: its commands work as written, its pointers lead to files in the
repository, and its figures for the demo network are the demo's."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.conftest import LiveServer

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
TOP_LEVEL = {path.name for path in ROOT.iterdir() if not path.name.startswith(".")}

REGISTER = """
mutation ($input: RegisterInput!) { register(input: $input) { userErrors { code message } } }
"""


def _section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, re.DOTALL | re.MULTILINE)
    assert match, f"no section {title!r} in the README"
    return match.group(1)


def test_the_readme_points_only_at_files_inside_the_repository() -> None:
    pointers = {
        word
        for span in re.findall(r"`([^`\n]+)`", README)
        for word in span.split()
        if "/" in word and not word.startswith(("/", "$", "http", "<")) and ":" not in word
    }
    checked = 0
    for pointer in sorted(pointers):
        assert not pointer.startswith(".."), f"{pointer} is outside the repository"
        if pointer.split("/")[0] not in TOP_LEVEL:
            continue  # not a path of the repository (e.g. application/json)
        assert (ROOT / pointer).exists(), f"the README points at {pointer}, which does not exist"
        checked += 1
    assert checked >= 8
    assert "site/guides/" in pointers


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
def test_the_readme_s_api_example_runs_as_written(live_server: LiveServer) -> None:
    # given the demo member (the README's example signs in as her)
    from api.demo import DEMO_MEMBER_EMAIL, DEMO_PASSWORD

    member = {"email": DEMO_MEMBER_EMAIL, "password": DEMO_PASSWORD, "name": "Ada Lovelace"}
    registered = httpx.post(
        f"{live_server.url}/graphql", json={"query": REGISTER, "variables": {"input": member}}
    )
    assert registered.json()["data"]["register"]["userErrors"] == []
    [script] = re.findall(r"```sh\n(.*?)```", _section("Using the API"), re.DOTALL)

    # when the README's commands run in a shell against the server
    script = script.replace("localhost:8000", live_server.url.removeprefix("http://"))
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    # then the second command answers as the signed-in member
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["data"]["viewer"]["email"] == DEMO_MEMBER_EMAIL

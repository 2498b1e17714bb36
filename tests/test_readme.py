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

from tests.conftest import GraphQLClient, LiveServer

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
    # a word whose first part is no top-level entry is no path (e.g. application/json)
    paths = sorted(p for p in pointers if p.split("/")[0] in TOP_LEVEL)

    assert sorted(p for p in pointers if p.startswith("..")) == []  # outside the repository
    assert [p for p in paths if not (ROOT / p).exists()] == []  # pointing at nothing
    assert len(paths) >= 8
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


def test_the_readme_states_the_demo_s_own_figures() -> None:
    from api.demo import DEMO_MEMBER_EMAIL, DEMO_RECRUITER_EMAIL, demo_figures

    figures = demo_figures()  # the sizes `make run` seeds
    text = " ".join(_section("Two commands").split())

    for phrase in (
        f"{figures.people} people ({figures.resumes_of_people} of them with resumes",
        f"{figures.employers} employers ({figures.verified_employers} verified)",
        f"a professional society with {figures.posts} posts",
        f"an alumni association with {figures.alumni} more alumni "
        f"({figures.resumes_of_alumni} of them with resumes",
        f"{figures.businesses} member businesses and {figures.perks} perks",
        f"{figures.meetup_groups} meetup groups",
        f"with {figures.events} events",
        f"{figures.resumes} resumes in all",
        DEMO_MEMBER_EMAIL,
        DEMO_RECRUITER_EMAIL,
    ):
        assert phrase in text, f"the README should say {phrase!r}"


ORGANIZATIONS = """
query ($kind: OrganizationKind) {
  organizations(kind: $kind, first: 100) { totalCount edges { node { isVerified } } }
}
"""


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_the_demo_makes_what_its_figures_say(graphql: GraphQLClient) -> None:
    """`demo_figures` (what the README states) is what the seeder makes, at any size."""
    from api.demo import demo_figures, seed_demo

    settings = graphql.http.app.state.settings
    summary = graphql.http.blocking_portal.call(lambda: seed_demo(settings, accounts=20, alumni=21))
    figures = demo_figures(accounts=20, alumni=21)

    assert summary.accounts == figures.people + figures.alumni
    assert summary.resumes == figures.resumes == figures.resumes_of_people + 14
    assert (summary.alumni, summary.events, summary.perks, summary.posts) == (
        figures.alumni,
        figures.events,
        figures.perks,
        figures.posts,
    )
    employers = graphql.data(ORGANIZATIONS, {"kind": "EMPLOYER"})["organizations"]["edges"]
    assert sum(edge["node"]["isVerified"] for edge in employers) == figures.verified_employers
    groups = graphql.data(ORGANIZATIONS, {"kind": "MEETUP_GROUP"})["organizations"]
    assert groups["totalCount"] == figures.meetup_groups
    chamber_members = len(employers) - figures.employers
    assert chamber_members == figures.businesses + 1  # and one waiting for the chamber

"""An authorization matrix for search's side channels.

For each searchable kind (candidates through searchCandidates, jobs through searchJobs, the
member directory through directory()) a document the viewer must not see — a PRIVATE resume,
a private profile headline, an owner who excludes the viewer's organization, a person who
blocked the viewer, a members-only posting, an unlisted member, a hidden directory field, an
employer behind an exclusion list — carries a made-up word found nowhere else and a facet
value of its own. It must contribute nothing to totals, facets, highlights and fields, or
"did you mean" suggestions. Each channel is first shown to work on a visible twin (its own
made-up word and facet value), so no assertion here can pass by measuring nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import GraphQLClient
from tests.factories import Member, connect, import_resume, join, member, organization, settle
from tests.factories import verify_employer as verify
from tests.hostile.world import act, hostile_settings, publish_job, running_app

SEARCH_CANDIDATES = """
query ($query: String) {
  searchCandidates(query: $query, first: 50) {
    totalCount
    edges { node { id title basics { name label } } highlights { field snippet } }
    facets { field values { value count } }
    suggestion
    userErrors { code message }
  }
}
"""
SEARCH_JOBS = """
query ($query: String) {
  searchJobs(query: $query, first: 50) {
    totalCount
    edges { node { id title } highlights { field snippet } }
    facets { field values { value count } }
    suggestion
    userErrors { code message }
  }
}
"""
DIRECTORY = """
query ($organizationId: ID!, $query: String) {
  directory(organizationId: $organizationId, query: $query, first: 50) {
    totalCount
    edges {
      node { name headline location employer title industry school }
      highlights { field snippet }
    }
    facets { field values { value count } }
    suggestion
    userErrors { code message }
  }
}
"""
#: The word every document in this module shares, so one query finds visible and hidden alike.
SHARED = "sharedquux"


def misspelled(word: str) -> str:
    """One letter off at the end: within the suggester's reach (two edits, same first letter)."""
    return word[:-1] + ("x" if word[-1] != "x" else "y")


@dataclass(frozen=True)
class Scenario:
    """A hidden document of one kind, what marks it, and who must not see it."""

    name: str
    kind: str  # candidates | jobs | directory
    viewer: str  # a key of Matrix.viewers
    secret: str  # a made-up word found only in the hidden part
    hidden_values: tuple[str, ...]  # facet values found only in the hidden part


#: The visible twin of each kind: its word and facet value (seen by every viewer here).
TWINS = {
    "candidates": ("flembrotious", "Twinskillum"),
    "jobs": ("flembrojobbing", "Twinjobskill"),
    "directory": ("flembrodirectus", "Twincorpus"),
}

SCENARIOS = [
    Scenario("private-resume", "candidates", "anonymous", "glorbnoviun", ("Glorbskill",)),
    Scenario("private-resume", "candidates", "outsider", "glorbnoviun", ("Glorbskill",)),
    Scenario("private-headline", "candidates", "anonymous", "headlinezorp", ("Headlinezorp",)),
    Scenario("excluded-owner", "candidates", "insider", "exclusionvarp", ("Exclskillum",)),
    Scenario("blocked-owner", "candidates", "blocked", "blockwimble", ("Blockskillum",)),
    Scenario("members-only-job", "jobs", "anonymous", "membersquonk", ("Zapskillum",)),
    Scenario("members-only-job", "jobs", "outsider", "membersquonk", ("Zapskillum",)),
    Scenario("unlisted-member", "directory", "fellow", "unlistedfrob", ("Unlistedcorpus",)),
    Scenario("hidden-field", "directory", "fellow", "hiddenfieldgrue", ("Hiddenfieldgrue",)),
    Scenario("excluded-employer", "directory", "anonymous", "exclucorpvex", ("Exclucorpvex",)),
    Scenario("excluded-employer", "directory", "insider", "exclucorpvex", ("Exclucorpvex",)),
]
CHANNELS = ("total", "facets", "highlights", "suggestion")

#: Channels that leak: (scenario, viewer, channel) -> why. Each is an xfail(strict=True), so
#: the fix that closes a channel fails the run until its line goes. Issue 11 closed the last
#: ones: suggestions, a private headline, directory employers behind exclusion lists.
LEAKS: dict[tuple[str, str, str], str] = {}


def resume_document(name: str, words: str, skill: str, employer: str = "Plainco") -> dict:
    return {
        "basics": {"name": name, "label": f"{SHARED} engineer", "summary": words},
        "work": [{"name": employer, "position": f"{SHARED} engineer", "startDate": "2020-01"}],
        "skills": [{"name": skill}],
    }


@dataclass
class Matrix:
    graphql: GraphQLClient
    viewers: dict[str, Member | None]
    alumni: str

    def search(self, kind: str, viewer: str, query: str) -> dict[str, Any]:
        person = self.viewers[viewer]
        token = person.token if person else None
        if kind == "candidates":
            return self.graphql.data(SEARCH_CANDIDATES, {"query": query}, token=token)[
                "searchCandidates"
            ]
        if kind == "jobs":
            return self.graphql.data(SEARCH_JOBS, {"query": query}, token=token)["searchJobs"]
        return self.graphql.data(
            DIRECTORY, {"organizationId": self.alumni, "query": query}, token=token
        )["directory"]


def build_matrix(graphql: GraphQLClient) -> Matrix:
    staff = member(graphql, "Staff", staff=True)
    outsider = member(graphql, "Otto Outsider")
    insider = member(graphql, "Ines Insider")
    blocked = member(graphql, "Bert Blocked")
    fellow = member(graphql, "Fern Fellow")

    employer = organization(graphql, staff, "Excluded Employer", "EMPLOYER")
    verify(graphql, staff, employer)
    assert join(graphql, insider, employer)["userErrors"] == []
    alumni = organization(
        graphql, staff, "Side Channel Alumni", "ALUMNI_ASSOCIATION", directoryVisibility="PUBLIC"
    )
    for person in (insider, fellow):
        assert join(graphql, person, alumni)["userErrors"] == []

    def owner(name: str, words: str, skill: str, visibility: str, employer_name: str) -> Member:
        person = member(graphql, name)
        import_resume(
            graphql, person, resume_document(name, words, skill, employer_name), visibility
        )
        return person

    # Candidates: a visible twin, a PRIVATE resume, a private headline on a PUBLIC resume,
    # an owner excluding the insider's employer, an owner who blocked a viewer.
    owner("Tina Twin", f"{SHARED} flembrotious", "Twinskillum", "PUBLIC", "Twinco")
    owner("Priya Private", f"{SHARED} glorbnoviun", "Glorbskill", "PRIVATE", "Plainco")
    headline = owner("Hugo Headline", SHARED, "Plainskill", "PUBLIC", "Plainco")
    act(
        graphql,
        "updateProfile",
        {"headline": "Headlinezorp architect", "visibility": "PRIVATE"},
        headline,
    )
    excluding = owner(
        "Ezra Excluding", f"{SHARED} exclusionvarp", "Exclskillum", "PUBLIC", "Plainco"
    )
    act(graphql, "setResumeExclusions", {"organizationIds": [employer]}, excluding)
    blocker = owner("Bea Blocker", f"{SHARED} blockwimble", "Blockskillum", "PUBLIC", "Plainco")
    act(graphql, "blockPerson", {"personId": blocked.person_id}, blocker)

    # Jobs: a public twin and a posting for the alumni association's members only.
    board = organization(graphql, staff, "Side Channel Board", "EMPLOYER")
    verify(graphql, staff, board)
    for title, skill, members_only in (
        (f"{SHARED} flembrojobbing analyst", "Twinjobskill", None),
        (f"{SHARED} membersquonk analyst", "Zapskillum", alumni),
    ):
        fields: dict[str, Any] = {
            "organizationId": board,
            "title": title,
            "skills": [skill],
            "locations": [{"city": "Berlin", "countryCode": "DE"}],
        }
        if members_only:
            fields["membersOnlyOrganizationId"] = members_only
        publish_job(graphql, fields, staff)

    # Directory: a listed twin, an unlisted member, a member hiding employment, a member
    # whose employer comes from a resume that excludes the insider's employer. Each makes its
    # choice before the secret exists, so the index never held it: whoosh keeps a removed
    # document's words in its term list until segments merge, which would make a leak come
    # and go with merge timing.
    def alumnus(name: str, employer_name: str, exclude: bool = False, **listing: Any) -> None:
        person = member(graphql, "Alumnus")
        membership = join(graphql, person, alumni)["membership"]["id"]
        if listing:
            act(graphql, "updateDirectoryListing", {"membershipId": membership, **listing}, person)
        if exclude:
            act(graphql, "setResumeExclusions", {"organizationIds": [employer]}, person)
        settle(graphql)
        act(graphql, "updateProfile", {"name": name}, person)
        import_resume(
            graphql, person, resume_document(name, SHARED, "Plainskill", employer_name), "PUBLIC"
        )

    alumnus(f"Dora {SHARED} Flembrodirectus", "Twincorpus", employmentVisibility="PUBLIC")
    alumnus(f"Ulla {SHARED} Unlistedfrob", "Unlistedcorpus", listed=False)
    alumnus(f"Hal {SHARED} Hidden", "Hiddenfieldgrue", employmentVisibility="HIDDEN")
    alumnus(f"Xavi {SHARED} Excluded", "Exclucorpvex", exclude=True, employmentVisibility="PUBLIC")
    connect(graphql, fellow, insider)  # a connection changes nothing here; it widens no audience
    settle(graphql)
    return Matrix(
        graphql=graphql,
        viewers={
            "anonymous": None,
            "outsider": outsider,
            "insider": insider,
            "blocked": blocked,
            "fellow": fellow,
        },
        alumni=alumni,
    )


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def matrix(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Matrix]:
    import asyncio
    import shutil

    from tests.conftest import _truncate_all

    data_dir = tmp_path_factory.mktemp(f"side-channels-{request.param}")
    if request.param == "sqlite":
        settings = hostile_settings(data_dir)
        shutil.copy(request.getfixturevalue("sqlite_template"), settings.sqlite_path)
    else:
        url = request.getfixturevalue("postgres_url")
        asyncio.run(_truncate_all(url))
        settings = hostile_settings(data_dir, url)
    with running_app(settings) as graphql:
        yield build_matrix(graphql)


# --- the channels -------------------------------------------------------------------------


def _facet_values(result: dict[str, Any]) -> set[str]:
    return {value["value"].lower() for facet in result["facets"] for value in facet["values"]}


def _hits_text(result: dict[str, Any]) -> str:
    return json.dumps(result["edges"]).lower()


def total(matrix: Matrix, kind: str, viewer: str, word: str, values: tuple[str, ...]) -> bool:
    """Whether searching for the word finds (or counts) anything."""
    result = matrix.search(kind, viewer, word)
    return result["totalCount"] > 0 or result["edges"] != []


def facets(matrix: Matrix, kind: str, viewer: str, word: str, values: tuple[str, ...]) -> bool:
    """Whether the document's facet values (or its word) are counted among the shared word's
    results."""
    counted = _facet_values(matrix.search(kind, viewer, SHARED))
    marks = [value.lower() for value in values] + [word]
    return any(mark in value for value in counted for mark in marks)


def highlights(matrix: Matrix, kind: str, viewer: str, word: str, values: tuple[str, ...]) -> bool:
    """Whether the word shows in the hits (highlights or fields) of the shared word's results
    or of the word itself."""
    return any(word in _hits_text(matrix.search(kind, viewer, query)) for query in (SHARED, word))


def suggestion(matrix: Matrix, kind: str, viewer: str, word: str, values: tuple[str, ...]) -> bool:
    """Whether "did you mean" offers the word for a misspelling of it."""
    offered = matrix.search(kind, viewer, misspelled(word))["suggestion"] or ""
    return word in offered.lower()


PROBES: dict[str, Callable[[Matrix, str, str, str, tuple[str, ...]], bool]] = {
    "total": total,
    "facets": facets,
    "highlights": highlights,
    "suggestion": suggestion,
}


def _case(scenario: Scenario, channel: str) -> Any:
    key = (scenario.name, scenario.viewer, channel)
    marks = []
    if key in LEAKS:
        marks.append(pytest.mark.xfail(strict=True, reason=LEAKS[key]))
    return pytest.param(
        scenario, channel, id=f"{scenario.name}-{scenario.viewer}-{channel}", marks=marks
    )


@pytest.mark.parametrize("kind", TWINS)
@pytest.mark.parametrize("channel", CHANNELS)
def test_every_channel_shows_the_visible_twin(matrix: Matrix, kind: str, channel: str) -> None:
    """The control: each probe finds a document every viewer may see, as every viewer."""
    word, value = TWINS[kind]
    viewers = {s.viewer for s in SCENARIOS if s.kind == kind}

    for viewer in sorted(viewers):
        shown = PROBES[channel](matrix, kind, viewer, word, (value,))
        assert shown, f"the {kind} twin is not found by {viewer} through {channel}"


@pytest.mark.parametrize(
    ("scenario", "channel"),
    [_case(scenario, channel) for scenario in SCENARIOS for channel in CHANNELS],
)
def test_a_hidden_document_contributes_nothing(
    matrix: Matrix, scenario: Scenario, channel: str
) -> None:
    probe = PROBES[channel]

    leaked = probe(matrix, scenario.kind, scenario.viewer, scenario.secret, scenario.hidden_values)

    assert not leaked, f"{scenario.name} leaks to {scenario.viewer} through {channel}"

"""Who sees a resume: every kind of viewer x every audience x contact fields, over HTTP."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.conftest import GraphQLClient
from tests.factories import (
    Member,
    connect,
    global_id,
    import_resume,
    join,
    member,
    organization,
    verify_employer,
)

RESUME = """
query Resume($id: ID!) {
  resume(id: $id) {
    id
    jsonResume
    basics { name email phone location { address city } }
  }
}
"""

NODE = """
query Node($id: ID!) { node(id: $id) { id ... on Resume { title jsonResume } } }
"""

PERSON_RESUMES = """
query PersonResumes($id: ID!) {
  node(id: $id) { ... on Person { name email resumes { totalCount edges { node { id } } } } }
}
"""

SET_VISIBILITY = """
mutation ($input: SetResumeVisibilityInput!) {
  setResumeVisibility(input: $input) { resume { visibility } userErrors { code } }
}
"""

UPDATE_PROFILE = """
mutation ($input: UpdateProfileInput!) {
  updateProfile(input: $input) { person { contactVisibility } userErrors { field code } }
}
"""

EXCLUDE = """
mutation ($input: SetResumeExclusionsInput!) {
  setResumeExclusions(input: $input) { organizationIds userErrors { field code message } }
}
"""

OPEN_TO_WORK = """
mutation ($input: SetOpenToWorkInput!) {
  setOpenToWork(input: $input) { openToWork { audience } userErrors { field code } }
}
"""

PERSON_OPEN_TO_WORK = """
query ($id: ID!) { node(id: $id) { ... on Person { openToWork { titles audience } } } }
"""

DOCUMENT = {
    "basics": {
        "name": "Olivia Owner",
        "email": "olivia@example.org",
        "phone": "+49 30 1234567",
        "location": {"address": "Hauptstr. 1", "city": "Berlin", "countryCode": "DE"},
    },
    "work": [{"name": "Initech", "position": "Engineer", "startDate": "2019-01"}],
}

LEVELS = ["PRIVATE", "CONNECTIONS", "MEMBERS", "EMPLOYERS", "PUBLIC"]
VIEWERS = [
    "anonymous",
    "owner",
    "connection",
    "fellow_member",
    "verified_employer",
    "unverified_employer",
    "other_member",
]
# Audiences nest: PRIVATE < CONNECTIONS < MEMBERS < EMPLOYERS < PUBLIC.
SEES = {
    "anonymous": {"PUBLIC"},
    "owner": set(LEVELS),
    "connection": {"CONNECTIONS", "MEMBERS", "EMPLOYERS", "PUBLIC"},
    "fellow_member": {"MEMBERS", "EMPLOYERS", "PUBLIC"},
    "verified_employer": {"EMPLOYERS", "PUBLIC"},
    "unverified_employer": {"PUBLIC"},
    "other_member": {"PUBLIC"},
}
# Contact details follow the owner's contact audience (CONNECTIONS by default).
SEES_CONTACT_BY_DEFAULT = {"owner", "connection"}


@dataclass
class Network:
    owner: Member
    viewers: dict[str, Member | None]
    employer_id: str
    club_id: str


@pytest.fixture
def network(graphql: GraphQLClient) -> Network:
    owner = member(graphql, "Olivia")
    connection = member(graphql, "Carl")
    fellow = member(graphql, "Fiona")
    recruiter = member(graphql, "Erin")
    unverified = member(graphql, "Uma")
    other = member(graphql, "Oscar")
    staff = member(graphql, "Staff", staff=True)

    connect(graphql, owner, connection)
    club = organization(graphql, fellow, "Berlin Chess Club", "CLUB")
    join(graphql, owner, club)
    employer = organization(graphql, recruiter, "Globex", "EMPLOYER")
    verify_employer(graphql, staff, employer)
    organization(graphql, unverified, "Fly-by-night Ltd", "EMPLOYER")
    other_club = organization(graphql, other, "Knitting Circle", "CLUB")
    assert other_club
    return Network(
        owner=owner,
        viewers={
            "anonymous": None,
            "owner": owner,
            "connection": connection,
            "fellow_member": fellow,
            "verified_employer": recruiter,
            "unverified_employer": unverified,
            "other_member": other,
        },
        employer_id=employer,
        club_id=club,
    )


def _token(viewer: Member | None) -> str | None:
    return viewer.token if viewer else None


def _see(graphql: GraphQLClient, viewer: Member | None, resume_id: str) -> dict | None:
    return graphql.data(RESUME, {"id": resume_id}, token=_token(viewer))["resume"]


def test_the_visibility_matrix(graphql: GraphQLClient, network: Network) -> None:
    resumes = {
        level: import_resume(graphql, network.owner, DOCUMENT, visibility=level) for level in LEVELS
    }

    for viewer_kind, viewer in network.viewers.items():
        for level, resume_id in resumes.items():
            seen = _see(graphql, viewer, resume_id)
            expected = level in SEES[viewer_kind]
            assert (seen is not None) == expected, (viewer_kind, level)
            if not seen:
                continue
            contact = viewer_kind in SEES_CONTACT_BY_DEFAULT
            basics = seen["basics"]
            document = seen["jsonResume"]["basics"]
            assert basics["name"] == "Olivia Owner"
            assert basics["location"]["city"] == "Berlin"
            assert (basics["email"] == "olivia@example.org") == contact, (viewer_kind, level)
            assert (basics["phone"] is not None) == contact, (viewer_kind, level)
            assert (basics["location"]["address"] is not None) == contact, (viewer_kind, level)
            assert ("email" in document) == contact, (viewer_kind, level)
            assert ("phone" in document) == contact, (viewer_kind, level)
            assert ("address" in document["location"]) == contact, (viewer_kind, level)

        # the person's resume list and its count agree with the matrix
        person = graphql.data(
            PERSON_RESUMES, {"id": network.owner.person_id}, token=_token(viewer)
        )["node"]
        listed = {edge["node"]["id"] for edge in person["resumes"]["edges"]}
        expected_ids = {resumes[level] for level in SEES[viewer_kind]}
        assert listed == expected_ids, viewer_kind
        assert person["resumes"]["totalCount"] == len(expected_ids), viewer_kind


def test_a_public_contact_audience_shows_contact_to_everyone_who_sees(
    graphql: GraphQLClient, network: Network
) -> None:
    graphql.data(
        UPDATE_PROFILE, {"input": {"contactVisibility": "PUBLIC"}}, token=network.owner.token
    )
    members_only = import_resume(graphql, network.owner, DOCUMENT, visibility="MEMBERS")

    for viewer_kind, viewer in network.viewers.items():
        seen = _see(graphql, viewer, members_only)
        if "MEMBERS" in SEES[viewer_kind]:
            assert seen["basics"]["email"] == "olivia@example.org", viewer_kind
        else:
            assert seen is None, viewer_kind


def test_node_on_a_hidden_resume_returns_nothing_and_leaks_nothing(
    graphql: GraphQLClient, network: Network
) -> None:
    private = import_resume(graphql, network.owner, DOCUMENT, visibility="PRIVATE")

    for viewer_kind, viewer in network.viewers.items():
        body = graphql.execute(NODE, {"id": private}, token=_token(viewer))
        if viewer_kind == "owner":
            assert body["data"]["node"]["title"] == "Olivia Owner"
        else:
            assert body == {"data": {"node": None}}, viewer_kind


def test_the_exclusion_list_hides_resumes_from_that_organization(
    graphql: GraphQLClient, network: Network
) -> None:
    public = import_resume(graphql, network.owner, DOCUMENT, visibility="PUBLIC")
    employers = import_resume(graphql, network.owner, DOCUMENT, visibility="EMPLOYERS")

    payload = graphql.data(
        EXCLUDE, {"input": {"organizationIds": [network.employer_id]}}, token=network.owner.token
    )["setResumeExclusions"]
    assert payload == {"organizationIds": [network.employer_id], "userErrors": []}
    listed = graphql.data("{ viewer { resumeExclusions } }", token=network.owner.token)
    assert listed == {"viewer": {"resumeExclusions": [network.employer_id]}}

    recruiter = network.viewers["verified_employer"]
    assert _see(graphql, recruiter, public) is None
    assert _see(graphql, recruiter, employers) is None
    person = graphql.data(PERSON_RESUMES, {"id": network.owner.person_id}, token=recruiter.token)
    assert person["node"]["resumes"]["totalCount"] == 0
    # an excluded employer cannot get round it by signing out
    assert _see(graphql, None, public) is None
    # everyone else still sees what they saw
    assert _see(graphql, network.viewers["other_member"], public) is not None
    assert _see(graphql, network.viewers["fellow_member"], employers) is not None
    assert _see(graphql, network.owner, public) is not None

    # lifting the exclusion restores sight
    graphql.data(EXCLUDE, {"input": {"organizationIds": []}}, token=network.owner.token)
    assert _see(graphql, recruiter, employers) is not None
    assert _see(graphql, None, public) is not None


def test_excluding_an_unknown_organization_is_a_user_error(
    graphql: GraphQLClient, network: Network
) -> None:
    missing = "T3JnYW5pemF0aW9uOjk5OTk5"  # Organization:99999
    payload = graphql.data(
        EXCLUDE, {"input": {"organizationIds": [missing]}}, token=network.owner.token
    )["setResumeExclusions"]

    assert [e["code"] for e in payload["userErrors"]] == ["UNKNOWN_ORGANIZATION"]


def test_open_to_work_follows_its_audience_and_the_exclusion_list(
    graphql: GraphQLClient, network: Network
) -> None:
    variables = {"input": {"titles": ["Staff Engineer"], "audience": "EMPLOYERS"}}
    payload = graphql.data(OPEN_TO_WORK, variables, token=network.owner.token)["setOpenToWork"]
    assert payload == {"openToWork": {"audience": "EMPLOYERS"}, "userErrors": []}

    def signal(viewer: Member | None) -> dict | None:
        node = graphql.data(
            PERSON_OPEN_TO_WORK, {"id": network.owner.person_id}, token=_token(viewer)
        )["node"]
        return node["openToWork"] if node else None

    assert signal(network.owner) == {"titles": ["Staff Engineer"], "audience": "EMPLOYERS"}
    assert signal(network.viewers["verified_employer"]) is not None
    for kind in ("anonymous", "connection", "unverified_employer", "other_member"):
        assert signal(network.viewers[kind]) is None, kind

    public = {"input": {"titles": ["Staff Engineer"], "audience": "PUBLIC"}}
    graphql.data(OPEN_TO_WORK, public, token=network.owner.token)
    assert signal(None) is not None

    graphql.data(
        EXCLUDE, {"input": {"organizationIds": [network.employer_id]}}, token=network.owner.token
    )
    assert signal(network.viewers["verified_employer"]) is None
    assert signal(None) is None
    assert signal(network.viewers["other_member"]) is not None


def test_only_the_owner_changes_a_resume(graphql: GraphQLClient, network: Network) -> None:
    resume = import_resume(graphql, network.owner, DOCUMENT, visibility="PUBLIC")
    intruder = network.viewers["connection"]

    payload = graphql.data(
        SET_VISIBILITY, {"input": {"id": resume, "visibility": "PRIVATE"}}, token=intruder.token
    )["setResumeVisibility"]

    assert payload == {"resume": None, "userErrors": [{"code": "NOT_FOUND"}]}
    assert _see(graphql, None, resume) is not None


def test_only_the_owner_reads_an_accounts_exclusion_list(graphql: GraphQLClient) -> None:
    owner, staff = member(graphql, "Olivia"), member(graphql, "Staff", staff=True)
    club = organization(graphql, staff, "Staff Club", "CLUB")
    graphql.data(EXCLUDE, {"input": {"organizationIds": [club]}}, token=staff.token)
    query = "query ($id: ID!) { node(id: $id) { ... on Account { resumeExclusions } } }"

    body = graphql.execute(query, {"id": global_id("Account", owner.account_id)}, token=staff.token)

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "Staff Club" not in str(body) and club not in str(body)

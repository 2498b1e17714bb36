"""Who sees a resume: every kind of viewer x every audience x contact fields, over HTTP."""

from __future__ import annotations

import pytest

from tests.conftest import GraphQLClient
from tests.factories import Member, global_id, import_resume, member, organization
from tests.resumes.audiences import LEVELS, SEES, SEES_CONTACT_BY_DEFAULT, VIEWERS, Network

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


def _token(viewer: Member | None) -> str | None:
    return viewer.token if viewer else None


def _see(graphql: GraphQLClient, viewer: Member | None, resume_id: str) -> dict | None:
    return graphql.data(RESUME, {"id": resume_id}, token=_token(viewer))["resume"]


@pytest.mark.parametrize("kind", VIEWERS)
def test_the_visibility_matrix(graphql: GraphQLClient, network: Network, kind: str) -> None:
    # given a resume at every audience
    resumes = {
        level: import_resume(graphql, network.owner, DOCUMENT, visibility=level) for level in LEVELS
    }

    # when one kind of viewer asks for each, and for the owner's list
    seen = {level: _see(graphql, network.viewers[kind], rid) for level, rid in resumes.items()}
    person = graphql.data(
        PERSON_RESUMES, {"id": network.owner.person_id}, token=network.token(kind)
    )["node"]

    # then they see the audiences the matrix gives them, contact details only in theirs
    shown = {level: resume for level, resume in seen.items() if resume is not None}
    assert set(shown) == SEES[kind]
    assert {resume["basics"]["name"] for resume in shown.values()} == {"Olivia Owner"}
    assert {resume["basics"]["location"]["city"] for resume in shown.values()} == {"Berlin"}
    contact = kind in SEES_CONTACT_BY_DEFAULT
    assert {
        level: (
            resume["basics"]["email"],
            resume["basics"]["phone"] is not None,
            resume["basics"]["location"]["address"] is not None,
            "email" in resume["jsonResume"]["basics"],
            "phone" in resume["jsonResume"]["basics"],
            "address" in resume["jsonResume"]["basics"]["location"],
        )
        for level, resume in shown.items()
    } == {level: ("olivia@example.org" if contact else None, *[contact] * 5) for level in shown}
    # and the person's resume list and its count agree with the matrix
    expected_ids = {resumes[level] for level in SEES[kind]}
    assert {edge["node"]["id"] for edge in person["resumes"]["edges"]} == expected_ids
    assert person["resumes"]["totalCount"] == len(expected_ids)


def test_a_public_contact_audience_shows_contact_to_everyone_who_sees(
    graphql: GraphQLClient, network: Network
) -> None:
    graphql.data(
        UPDATE_PROFILE, {"input": {"contactVisibility": "PUBLIC"}}, token=network.owner.token
    )
    members_only = import_resume(graphql, network.owner, DOCUMENT, visibility="MEMBERS")

    seen = {kind: _see(graphql, network.viewers[kind], members_only) for kind in VIEWERS}

    shown = {kind: resume["basics"]["email"] for kind, resume in seen.items() if resume}
    assert shown == {kind: "olivia@example.org" for kind in VIEWERS if "MEMBERS" in SEES[kind]}


def test_node_on_a_hidden_resume_returns_nothing_and_leaks_nothing(
    graphql: GraphQLClient, network: Network
) -> None:
    private = import_resume(graphql, network.owner, DOCUMENT, visibility="PRIVATE")

    answers = {
        kind: graphql.execute(NODE, {"id": private}, token=network.token(kind)) for kind in VIEWERS
    }

    assert answers.pop("owner")["data"]["node"]["title"] == "Olivia Owner"
    # every other viewer: null, and no error that would tell the resume exists
    assert answers == {kind: {"data": {"node": None}} for kind in answers}


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
    assert {kind for kind in VIEWERS if signal(network.viewers[kind]) is not None} == {
        "owner",
        "verified_employer",
    }

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

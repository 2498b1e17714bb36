"""Null means "not shown to you, or not given", everywhere: an empty optional text field and
a hidden one both come back null, never "" (people, resumes, jobs, networks, chambers,
posts, events), through the one helper the types share."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.conftest import GraphQLClient
from tests.factories import LOGIN, PASSWORD, import_resume, join, member, organization, settle

PERSON = """
query ($id: ID!) {
  node(id: $id) {
    ... on Person {
      headline summary industry email phone location { city region countryCode }
    }
  }
}
"""
ORGANIZATION = """
query ($slug: String!) { organization(slug: $slug) { interest description website location } }
"""
MEMBERSHIPS = "query { myMemberships { school degree fieldOfStudy } }"
RESUME = """
query ($id: ID!) {
  resume(id: $id) {
    currentTitle
    basics { label email url summary location { city region } }
    work { name position summary startDate }
  }
}
"""
CREATE_JOB = """
mutation ($input: CreateJobInput!) {
  createJob(input: $input) {
    job {
      description descriptionHtml identifier applyUrl educationLevel
      locations { city region address }
    }
    userErrors { code }
  }
}
"""
CREATE_EVENT = """
mutation ($input: CreateEventInput!) {
  createEvent(input: $input) {
    event { description descriptionHtml venue address }
    userErrors { code message }
  }
}
"""
SESSIONS = "query { viewer { sessions { edges { node { userAgent } } } } }"
DIRECTORY = """
query ($id: ID!) {
  directory(organizationId: $id) { edges { node { name headline location employer school } } }
}
"""


def test_empty_and_hidden_fields_are_both_null(graphql: GraphQLClient) -> None:
    # given people who filled in nothing optional
    owner = member(graphql, "Olga Owner")
    stranger = member(graphql, "Sven Stranger")

    # a person: empty fields, and contact details hidden from a stranger, are null alike
    own = graphql.data(PERSON, {"id": owner.person_id}, token=owner.token)["node"]
    seen = graphql.data(PERSON, {"id": owner.person_id}, token=stranger.token)["node"]
    nothing = {
        "headline": None,
        "summary": None,
        "industry": None,
        "location": {"city": None, "region": None, "countryCode": None},
    }
    assert [{key: person[key] for key in nothing} for person in (own, seen)] == [nothing] * 2
    assert (own["email"], own["phone"]) == (None, None)  # not given
    assert (seen["email"], seen["phone"]) == (None, None)  # not shown

    # an organization, and a membership without alumni facts
    organization(graphql, owner, "Empty Club")
    club = graphql.data(ORGANIZATION, {"slug": "empty-club"}, token=stranger.token)
    assert club["organization"] == {
        "interest": None,
        "description": None,
        "website": None,
        "location": None,
    }
    assert graphql.data(MEMBERSHIPS, token=owner.token)["myMemberships"] == [
        {"school": None, "degree": None, "fieldOfStudy": None}
    ]

    # a resume whose document says "" for fields it does not give
    resume_id = import_resume(
        graphql,
        owner,
        {
            "basics": {
                "label": "",
                "email": "",
                "url": "",
                "summary": " ",
                "location": {"city": ""},
            },
            "work": [{"name": "Globex", "position": "", "summary": "", "startDate": "2020"}],
        },
    )
    resume = graphql.data(RESUME, {"id": resume_id}, token=owner.token)["resume"]
    assert resume["currentTitle"] is None
    assert resume["basics"] == {
        "label": None,
        "email": None,
        "url": None,
        "summary": None,
        "location": {"city": None, "region": None},
    }
    assert resume["work"] == [
        {"name": "Globex", "position": None, "summary": None, "startDate": "2020"}
    ]

    # a session opened by a client that sent no User-Agent
    credentials = {"input": {"email": owner.email, "password": PASSWORD}}
    graphql.data(LOGIN, credentials, headers={"User-Agent": ""})
    sessions = graphql.data(SESSIONS, token=owner.token)
    assert None in [edge["node"]["userAgent"] for edge in sessions["viewer"]["sessions"]["edges"]]


def test_jobs_events_and_directories_answer_null_too(graphql: GraphQLClient) -> None:
    recruiter = member(graphql, "Rita")
    employer = organization(graphql, recruiter, "Globex", "EMPLOYER")
    job = graphql.data(
        CREATE_JOB,
        {
            "input": {
                "organizationId": employer,
                "title": "Engineer",
                "locations": [{"countryCode": "DE", "city": "", "region": "  "}],
            }
        },
        token=recruiter.token,
    )["createJob"]["job"]
    assert job == {
        "description": None,
        "descriptionHtml": None,
        "identifier": None,
        "applyUrl": None,
        "educationLevel": None,
        "locations": [{"city": None, "region": None, "address": None}],
    }

    club = organization(graphql, recruiter, "Meetup", "MEETUP_GROUP")
    starts = datetime.now(UTC) + timedelta(days=7)
    event = graphql.data(
        CREATE_EVENT,
        {
            "input": {
                "organizationId": club,
                "title": "Online talk",
                "kind": "SEMINAR",
                "format": "VIRTUAL",
                "startsAt": starts.isoformat(),
                "endsAt": (starts + timedelta(hours=1)).isoformat(),
                "timeZone": "Europe/Berlin",
                "onlineUrl": "https://meet.example.org/talk",
            }
        },
        token=recruiter.token,
    )["createEvent"]
    assert event["userErrors"] == [], event
    assert event["event"] == {
        "description": None,
        "descriptionHtml": None,
        "venue": None,
        "address": None,
    }

    # a directory entry: a field left empty and a field hidden both read null
    alumnus = member(graphql, "Ann Alum")
    join(graphql, alumnus, club)
    settle(graphql)
    entries = graphql.data(DIRECTORY, {"id": club}, token=recruiter.token)["directory"]["edges"]
    ann = next(edge["node"] for edge in entries if edge["node"]["name"] == "Ann Alum")
    assert ann == {
        "name": "Ann Alum",
        "headline": None,
        "location": None,
        "employer": None,
        "school": None,
    }

"""deleteAccount over HTTP with a real SMTP server: after deletion no query, index, feed,
calendar or built page names the person, their sessions are gone, and the address is free."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from search.interface import SearchRequest
from tests.conftest import GraphQLClient
from tests.events.helpers import rsvp, status_of
from tests.factories import (
    PASSWORD,
    REGISTER,
    Member,
    connect,
    import_resume,
    join,
    member,
    organization,
    settle,
)
from tests.mail.smtp import Inbox
from tests.posts.helpers import comment, post
from tests.site.board_helpers import (
    Employer,
    build,
    every_file_text,
    show_contact_to_everyone,
    upcoming_event,
)

DELETE_ACCOUNT = """
mutation ($input: DeleteAccountInput!) {
  deleteAccount(input: $input) { deleted closedOrganizations userErrors { field code message } }
}
"""
APPLY = """
mutation ($input: ApplyToJobInput!) {
  applyToJob(input: $input) { application { id } userErrors { field code message } }
}
"""
SAVE_SEARCH = """
mutation ($input: SaveCandidateSearchInput!) {
  saveCandidateSearch(input: $input) { savedSearch { id } userErrors { field code message } }
}
"""
CREATE_CALENDAR = """
mutation ($input: CreateCalendarSubscriptionInput!) {
  createCalendarSubscription(input: $input) { calendarSubscription { url } userErrors { code } }
}
"""
VIEWER = "{ viewer { id name email } }"
PERSON = "query ($id: ID!) { node(id: $id) { ... on Person { name email phone } } }"
CANDIDATES = """
query ($query: String) {
  searchCandidates(query: $query) { totalCount edges { node { id title } } }
}
"""
DIRECTORY = """
query ($organizationId: ID!, $query: String) {
  directory(organizationId: $organizationId, query: $query) {
    totalCount edges { node { name email phone } }
  }
}
"""
PUBLIC_RESUMES = "{ publicResumes { edges { node { id title } } } }"
POSTS = """
query ($organizationId: ID!) {
  posts(organizationId: $organizationId) {
    edges { node { body author { name }
                   comments { edges { node { body author { name } } } } } }
  }
}
"""
EVENT = """
query ($id: ID!) {
  event(id: $id) { goingCount attendees { edges { node { person { name } } } } }
}
"""
APPLICATIONS = """
query ($id: ID!) {
  job(id: $id) { applications { totalCount edges { node { stage note applicant { name }
                                                          resume { id } } } } }
}
"""

NAME = "Zenobia Quillfeather"
CONTACT_EMAIL = "zq@contact.example"
PHONE = "+49 30 5550199"
RESUME = {
    "basics": {
        "name": NAME,
        "label": "Quillfeather Platform Engineer",
        "email": CONTACT_EMAIL,
        "phone": PHONE,
        "location": {"city": "Berlin", "countryCode": "DE"},
    },
    "skills": [{"name": "Python"}],
}


def traces(person: Member) -> list[str]:
    """What would name the person: name, sign-in address and contact details."""
    return ["Quillfeather", person.email, CONTACT_EMAIL, PHONE]


def everything_others_see(graphql: GraphQLClient, world: dict[str, Any]) -> tuple[list[Any], str]:
    """Every answer that could name the person, as the people around them ask: the GraphQL
    answers, and all of it (with the directory exports and calendars) as one text."""
    recruiter, owner, friend = world["recruiter"], world["owner"], world["friend"]
    answers = [
        graphql.data(PERSON, {"id": world["person"].person_id}, token=friend.token),
        graphql.data(PERSON, {"id": world["person"].person_id}),
        graphql.data(CANDIDATES, {"query": "Quillfeather"}, token=recruiter.token),
        graphql.data(CANDIDATES, {"query": None}, token=recruiter.token),
        graphql.data(PUBLIC_RESUMES),
        graphql.data(
            DIRECTORY, {"organizationId": world["alumni"], "query": None}, token=owner.token
        ),
        graphql.data(DIRECTORY, {"organizationId": world["alumni"], "query": "Quillfeather"}),
        graphql.data(POSTS, {"organizationId": world["alumni"]}, token=owner.token),
        graphql.data(EVENT, {"id": world["event"]}, token=owner.token),
        graphql.data(APPLICATIONS, {"id": world["job"]}, token=recruiter.token),
    ]
    bearer = {"Authorization": f"Bearer {owner.token}"}
    files = [
        graphql.http.get(f"/organizations/tech-alumni/{name}", headers=bearer)
        for name in ("directory.csv", "directory.vcf", "calendar.ics")
    ]
    files.append(graphql.http.get(f"/events/{world['event']}.ics", headers=bearer))
    assert [response.status_code for response in files] == [200] * 4
    return answers, json.dumps(answers) + "".join(response.text for response in files)


def found_in_indexes(graphql: GraphQLClient, words: str) -> dict[str, int]:
    """How many documents of each search index match `words`, read from the index itself."""
    indexes = graphql.http.app.state.search
    return {name: index.search(SearchRequest(query=words)).total for name, index in indexes.items()}


def active_person(graphql: GraphQLClient) -> dict[str, Any]:
    """A person active in every capability, and the people and places around them."""
    employer = Employer(graphql)
    job = employer.published(title="Platform Engineer")
    owner = member(graphql, "Olive")
    alumni = organization(
        graphql, owner, "Tech Alumni", "ALUMNI_ASSOCIATION", directoryVisibility="PUBLIC"
    )
    person = member(graphql, NAME)
    friend = member(graphql, "Fred")
    assert join(graphql, person, alumni)["userErrors"] == []
    assert join(graphql, friend, alumni)["userErrors"] == []
    show_contact_to_everyone(graphql, person, CONTACT_EMAIL, PHONE)
    import_resume(graphql, person, RESUME, "PUBLIC")
    connect(graphql, person, friend)
    event = upcoming_event(graphql, owner, alumni, title="Homecoming")["id"]
    assert rsvp(graphql, person, event)["userErrors"] == []
    calendar = graphql.data(
        CREATE_CALENDAR, {"input": {"organizationId": alumni}}, token=person.token
    )["createCalendarSubscription"]
    assert calendar["userErrors"] == [], calendar
    applied = graphql.data(APPLY, {"input": {"jobId": job["id"]}}, token=person.token)
    assert applied["applyToJob"]["userErrors"] == [], applied
    written = post(graphql, person, alumni, body="Reunion in June, who is in?")
    comment(graphql, person, written["id"], "I will bring the photos.")
    saved = graphql.data(
        SAVE_SEARCH,
        {"input": {"name": "Quillfeather peers", "query": "python"}},
        token=employer.recruiter.token,
    )
    assert saved["saveCandidateSearch"]["userErrors"] == [], saved
    organization(graphql, person, "Quillfeather Readers")  # a club she alone makes up
    settle(graphql)
    return {
        "person": person,
        "friend": friend,
        "owner": owner,
        "recruiter": employer.recruiter,
        "alumni": alumni,
        "event": event,
        "job": job["id"],
        "calendar": calendar["calendarSubscription"]["url"],
    }


def calendar_status(graphql: GraphQLClient, url: str) -> int:
    address = urlsplit(url)
    return graphql.http.get(f"{address.path}?{address.query}").status_code


def delete(graphql: GraphQLClient, person: Member, password: str = PASSWORD) -> dict[str, Any]:
    return graphql.data(DELETE_ACCOUNT, {"input": {"password": password}}, token=person.token)[
        "deleteAccount"
    ]


def test_a_deleted_person_is_named_nowhere_and_others_keep_what_they_rely_on(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    # given a person active in every capability, seen by the people around them
    world = active_person(mail_graphql)
    person: Member = world["person"]
    _, before = everything_others_see(mail_graphql, world)
    assert calendar_status(mail_graphql, world["calendar"]) == 200
    indexed = found_in_indexes(mail_graphql, "Quillfeather")
    # (one resume; a directory entry per membership: the association and her own club)
    assert (indexed["candidates"], indexed["directory"], indexed["directory_public"]) == (1, 2, 2)
    for trace in ("Quillfeather", CONTACT_EMAIL, "FN:Zenobia Quillfeather"):  # vCard too
        assert trace in before, trace

    # when they delete their account with their password
    deleted = delete(mail_graphql, person)
    settle(mail_graphql)

    # then it is deleted, with the club only they belonged to
    assert deleted == {"deleted": True, "closedOrganizations": 1, "userErrors": []}
    # and no answer names them any more
    answers, after = everything_others_see(mail_graphql, world)
    for trace in traces(person):
        assert trace not in after, trace
    # and no search index holds a document naming them
    assert set(found_in_indexes(mail_graphql, "Quillfeather").values()) == {0}
    # and what others rely on stays, without them
    [feed_post] = answers[7]["posts"]["edges"]
    assert feed_post["node"]["body"] == "Reunion in June, who is in?"
    assert feed_post["node"]["author"] is None
    [kept_comment] = feed_post["node"]["comments"]["edges"]
    assert kept_comment["node"] == {"body": "I will bring the photos.", "author": None}
    applications = answers[9]["job"]["applications"]
    assert applications["totalCount"] == 1
    assert applications["edges"][0]["node"]["applicant"] is None
    assert applications["edges"][0]["node"]["resume"] is None
    assert answers[8]["event"]["goingCount"] == 0
    # and the calendar address they had stops working
    assert calendar_status(mail_graphql, world["calendar"]) == 404
    # and the built site (pages, sitemaps, feeds, search index) does not name them
    site = build(mail_graphql)
    for path, text in every_file_text(site).items():
        for trace in traces(person):
            assert trace not in text, (path, trace)
    # and their sessions are revoked
    answer = mail_graphql.post(VIEWER, token=person.token)
    assert answer.status_code == 401
    assert answer.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # and the old address is told, and may register again
    mailed = inbox.to(person.email, count=2)  # the verification link, then the goodbye
    [goodbye] = [m for m in mailed if m.message["Subject"] == "Your account was deleted"]
    assert "was deleted at your request" in goodbye.part("plain")
    again = mail_graphql.data(
        REGISTER, {"input": {"email": person.email, "password": PASSWORD, "name": "Zoe"}}
    )["register"]
    assert again["userErrors"] == [] and again["account"]["id"] != person.person_id


def test_a_wrong_password_deletes_nothing(mail_graphql: GraphQLClient, inbox: Inbox) -> None:
    # given a member
    person = member(mail_graphql, NAME)

    # when they ask with a wrong password
    refused = delete(mail_graphql, person, password="not my password")

    # then nothing happens
    assert refused["deleted"] is False
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
        ("password", "INVALID_CREDENTIALS")
    ]
    assert mail_graphql.data(VIEWER, token=person.token)["viewer"]["name"] == NAME
    # and wrong passwords are throttled like failed logins, the right one too meanwhile
    codes = [
        delete(mail_graphql, person, password="still wrong")["userErrors"][0]["code"]
        for _ in range(mail_graphql.http.app.state.settings.login_failures_allowed)
    ]
    assert codes[-1] == "TOO_MANY_ATTEMPTS", codes
    assert [e["code"] for e in delete(mail_graphql, person)["userErrors"]] == ["TOO_MANY_ATTEMPTS"]
    # and nobody signed out may ask
    anonymous = mail_graphql.execute(DELETE_ACCOUNT, {"input": {"password": PASSWORD}})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_the_only_owner_of_a_group_hands_it_over_first(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    # given the only owner of a club another member belongs to
    person = member(mail_graphql, NAME)
    club = organization(mail_graphql, person, "Chess Club")
    assert join(mail_graphql, member(mail_graphql, "Fred"), club)["userErrors"] == []

    # when they ask to delete their account
    refused = delete(mail_graphql, person)

    # then they are told to hand the club over first, and the account stays
    assert refused["deleted"] is False
    [error] = refused["userErrors"]
    assert error["code"] == "SOLE_OWNER" and "Chess Club" in error["message"]
    assert mail_graphql.data(VIEWER, token=person.token)["viewer"]["name"] == NAME


def test_the_seat_of_a_deleted_attendee_goes_to_the_waitlist(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    # given a one-seat event the person goes to, with Fred waiting
    owner = member(mail_graphql, "Olive")
    club = organization(mail_graphql, owner, "Chess Club")
    event = upcoming_event(mail_graphql, owner, club, capacity=1)["id"]
    person, fred = member(mail_graphql, NAME), member(mail_graphql, "Fred")
    assert rsvp(mail_graphql, person, event)["rsvp"]["status"] == "GOING"
    assert rsvp(mail_graphql, fred, event)["rsvp"]["status"] == "WAITLISTED"

    # when the person deletes their account
    assert delete(mail_graphql, person)["deleted"] is True

    # then Fred has the seat
    assert status_of(mail_graphql, fred, event) == "GOING"

"""Notifications of decisions and changes over HTTP: staff's review of a posting reaches the
employer's owners and admins; a change of an event's time or place reaches those going,
while an edit of its description tells nobody."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from api.notifications.duty import run_scheduled
from tests.conftest import GraphQLClient
from tests.events.helpers import UPDATE_EVENT, create_event, event_input, future, rsvp
from tests.factories import employer, job, member, organization
from tests.notifications.helpers import inbox, kinds
from tests.posts.helpers import POST_MOVE, REJECT_POST, community, moderate, post

MOVE_JOB = """
mutation ($input: JobIdInput!) { %s(input: $input) { job { status } userErrors { code } } }
"""
REJECT_JOB = """
mutation ($input: RejectJobInput!) {
  rejectJob(input: $input) { job { status } userErrors { code } }
}
"""


VALID_THROUGH = "query ($id: ID!) { node(id: $id) { ... on Job { validThrough } } }"


def _move(graphql: GraphQLClient, verb: str, job_id: str, token: str) -> dict[str, Any]:
    return graphql.data(MOVE_JOB % verb, {"input": {"id": job_id}}, token=token)[verb]


def test_staff_review_of_a_posting_reaches_the_employers_owners_and_admins(
    graphql: GraphQLClient,
) -> None:
    staff = member(graphql, "Sam Staff", staff=True)
    globex = employer(graphql, "Globex", staff=staff)
    first = job(graphql, globex, title="Backend Engineer")
    assert _move(graphql, "publishJob", first, globex.recruiter.token)["job"]["status"] == (
        "PENDING_REVIEW"
    )

    # when staff approve it, the employer's owner hears, from nobody in particular
    assert _move(graphql, "approveJob", first, staff.token)["job"]["status"] == "PUBLISHED"
    [approved] = inbox(graphql, globex.recruiter)
    assert approved["kind"] == "JOB_APPROVED"
    assert approved["message"] == "Backend Engineer was approved and is live"
    assert approved["actor"] is None
    assert approved["subjectId"] == first
    assert kinds(graphql, staff) == []

    # when staff take it down, the reason comes with it
    rejected = graphql.data(
        REJECT_JOB,
        {"input": {"id": first, "reason": "Salary missing currency"}},
        token=staff.token,
    )["rejectJob"]
    assert rejected["job"]["status"] == "REJECTED"
    latest = inbox(graphql, globex.recruiter)[0]
    assert latest["kind"] == "JOB_REJECTED"
    assert latest["message"] == "Backend Engineer was not approved: Salary missing currency"


def test_a_new_time_or_place_reaches_those_going_and_a_new_description_nobody(
    graphql: GraphQLClient,
) -> None:
    owner = member(graphql, "Olga Owner")
    club = organization(graphql, owner, "Change Club", isPublic=True)
    going, declined = member(graphql, "Gina"), member(graphql, "Dora")
    event_id = create_event(graphql, owner, club, title="Python Night")
    assert rsvp(graphql, going, event_id)["rsvp"]["status"] == "GOING"
    assert rsvp(graphql, declined, event_id, "NOT_GOING")["rsvp"]["status"] == "NOT_GOING"

    def update(**changes: Any) -> None:
        fields = {**event_input(club, title="Python Night"), **changes}
        fields.pop("organizationId")
        edited = graphql.data(
            UPDATE_EVENT, {"input": {"id": event_id, **fields}}, token=owner.token
        )["updateEvent"]
        assert edited["userErrors"] == [], edited

    # an edit of the description alone tells nobody
    update(description="Bring a laptop.")
    assert kinds(graphql, going) == []

    # a new time and place reach those going, saying what changed
    later = future(days=9)
    update(
        startsAt=later.isoformat(),
        endsAt=(later + timedelta(hours=2)).isoformat(),
        venue="c-base",
        description="Bring a laptop.",
    )
    [changed] = inbox(graphql, going)
    assert changed["kind"] == "EVENT_UPDATED"
    assert changed["message"] == "Python Night changed: time, place"
    assert changed["actor"]["name"] == "Olga Owner"
    assert kinds(graphql, declined) == kinds(graphql, owner) == []


def test_moderation_of_a_post_reaches_its_author(graphql: GraphQLClient) -> None:
    club = community(graphql)
    moderate(graphql, club.owner, club.id, "ALL")
    held = post(graphql, club.member, club.id, title="Opening night")
    other = post(graphql, club.member, club.id, title="Spam?")
    assert held["status"] == other["status"] == "PENDING_REVIEW"

    approved = graphql.data(
        POST_MOVE.format(verb="approvePost"),
        {"input": {"postId": held["id"]}},
        token=club.admin.token,
    )["approvePost"]
    assert approved["userErrors"] == [], approved
    rejected = graphql.data(
        REJECT_POST,
        {"input": {"postId": other["id"], "reason": "Off topic"}},
        token=club.admin.token,
    )["rejectPost"]
    assert rejected["userErrors"] == [], rejected

    assert [(n["kind"], n["message"], n["actor"]) for n in inbox(graphql, club.member)] == [
        ("POST_REJECTED", "Spam? was not approved: Off topic", None),
        ("POST_APPROVED", "Opening night was approved and is live", None),
    ]
    assert kinds(graphql, club.admin) == []


def _run_schedule(graphql: GraphQLClient, now: datetime) -> list[str]:
    settings = graphql.http.app.state.settings
    return graphql.http.blocking_portal.call(run_scheduled, settings, now)


def test_those_going_are_reminded_a_day_before_once_per_time(graphql: GraphQLClient) -> None:
    owner = member(graphql, "Olga Owner")
    club = organization(graphql, owner, "Reminder Club", isPublic=True)
    going, declined = member(graphql, "Gina"), member(graphql, "Dora")
    starts = future(days=5)
    event_id = create_event(graphql, owner, club, title="Python Night", startsAt=starts)
    rsvp(graphql, going, event_id)
    rsvp(graphql, declined, event_id, "NOT_GOING")

    # two days before, nothing; twenty hours before, those going are reminded, once
    assert not any("reminders" in run for run in _run_schedule(graphql, starts - timedelta(days=2)))
    assert "event reminders (1)" in _run_schedule(graphql, starts - timedelta(hours=20))
    _run_schedule(graphql, starts - timedelta(hours=19))
    [reminder] = inbox(graphql, going)
    assert (reminder["kind"], reminder["count"]) == ("EVENT_REMINDER", 1)
    assert reminder["message"] == "Python Night starts within a day: you are going"
    assert kinds(graphql, declined) == kinds(graphql, owner) == []


def test_an_employer_is_warned_three_days_before_a_posting_expires(
    graphql: GraphQLClient,
) -> None:
    globex = employer(graphql, "Globex", staff=member(graphql, "Sam Staff", staff=True))
    job_id = job(graphql, globex, "PUBLISHED", title="Backend Engineer")
    valid_through = datetime.fromisoformat(
        graphql.data(VALID_THROUGH, {"id": job_id})["node"]["validThrough"]
    )

    assert "job expiry warnings (1)" in _run_schedule(graphql, valid_through - timedelta(days=2))
    _run_schedule(graphql, valid_through - timedelta(days=1))  # warned once for this date
    [warning] = [n for n in inbox(graphql, globex.recruiter) if n["kind"] == "JOB_EXPIRING"]
    assert (warning["kind"], warning["count"]) == ("JOB_EXPIRING", 1)
    assert warning["message"] == (
        "Backend Engineer expires in 3 days: reopen it to keep it open longer"
    )

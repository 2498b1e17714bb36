"""Saved search alerts over HTTP, on SQLite and PostgreSQL: a scheduled run tells each saved
search's owner of exactly the new matches they may see since the last alert (a members-only
posting of someone else's organization, a resume since hidden from the recruiter's employer,
are not among them), as one SAVED_SEARCH_MATCHES notification, emailed at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api.core.settings import Settings
from api.notifications.duty import run_scheduled
from tests.conftest import GraphQLClient
from tests.factories import (
    Employer,
    Member,
    employer,
    import_resume,
    job,
    member,
    organization,
    settle,
)
from tests.mail.smtp import Inbox
from tests.notifications.helpers import inbox as notifications_of
from tests.notifications.helpers import mark_read, schedule_settled
from tests.notifications.test_email import mails_after_verification, verified
from tests.resumes.test_candidate_search import resume

SAVE_JOB_SEARCH = """
mutation ($input: SaveJobSearchInput!) {
  saveJobSearch(input: $input) {
    savedJobSearch { id name alertFrequency lastAlertAt }
    userErrors { field code message }
  }
}
"""
SAVE_CANDIDATE_SEARCH = """
mutation ($input: SaveCandidateSearchInput!) {
  saveCandidateSearch(input: $input) {
    savedSearch { id alertFrequency }
    userErrors { field code message }
  }
}
"""
SET_ALERT = """
mutation ($input: SetSavedSearchAlertInput!) {
  setSavedSearchAlert(input: $input) {
    savedSearch { id alertFrequency }
    savedJobSearch { id alertFrequency }
    userErrors { field code message }
  }
}
"""
JOB_SEARCHES = """
{ viewer { savedJobSearches { edges { node { id lastAlertAt alertFrequency } } } } }
"""
CANDIDATE_SEARCHES = "{ savedSearches { edges { node { id lastAlertAt newSinceLastRun } } } }"
EXCLUDE = """
mutation ($input: SetResumeExclusionsInput!) {
  setResumeExclusions(input: $input) { userErrors { code } }
}
"""

#: A Monday morning after the digest hour, far from the clock of the server's own runs.
MONDAY_MORNING = datetime(2030, 1, 7, 8, 0, tzinfo=UTC)


def run_schedule(graphql: GraphQLClient, settings: Settings, now: datetime) -> list[str]:
    settle(graphql)  # the alerts search the index: it must hold every write so far
    return graphql.http.blocking_portal.call(run_scheduled, settings, now)


def alerts(graphql: GraphQLClient, who: Member) -> list[dict]:
    return [n for n in notifications_of(graphql, who) if n["kind"] == "SAVED_SEARCH_MATCHES"]


def save_job_search(graphql: GraphQLClient, who: Member, **input: object) -> dict:
    payload = graphql.data(SAVE_JOB_SEARCH, {"input": input}, token=who.token)["saveJobSearch"]
    assert payload["userErrors"] == [], payload
    return payload["savedJobSearch"]


def test_a_job_alert_tells_exactly_the_new_postings_the_seeker_may_see(
    mail_graphql: GraphQLClient, inbox: Inbox, mail_settings: Settings
) -> None:
    graphql = mail_graphql
    schedule_settled(graphql)
    # given a verified job seeker's daily alert on Berlin backend jobs, and a weekly one
    staff = member(graphql, "Staff", staff=True)
    globex: Employer = employer(graphql, "Globex", staff=staff)
    job(graphql, globex, "PUBLISHED", title="Backend Engineer (old)")  # before the search
    seeker = verified(graphql, inbox, "Sam")
    daily = save_job_search(
        graphql,
        seeker,
        name="Backend Berlin",
        query="backend",
        filter={"cities": ["Berlin"]},
        alertFrequency="DAILY",
    )
    assert daily["alertFrequency"] == "DAILY" and daily["lastAlertAt"] is None
    save_job_search(graphql, seeker, name="Anything weekly", alertFrequency="WEEKLY")
    save_job_search(graphql, seeker, name="Never told", query="backend")  # alert OFF
    # and two matching postings published since
    job(graphql, globex, "PUBLISHED", title="Backend Engineer")
    job(graphql, globex, "PUBLISHED", title="Senior Backend Developer")
    job(graphql, globex, "PUBLISHED", title="Sales Manager")  # not a match of the daily one

    # when Monday's alerts run
    done = run_schedule(graphql, mail_settings, MONDAY_MORNING)

    # then the daily search tells of the 2 new matches, the weekly one of all 3 new postings
    assert "saved search alerts DAILY 2030-01-07" in done
    assert "saved search alerts WEEKLY 2030-W02" in done
    messages = sorted(n["message"] for n in alerts(graphql, seeker))
    assert messages == ["2 new jobs match Backend Berlin", "3 new jobs match Anything weekly"]
    [told] = [n for n in alerts(graphql, seeker) if "Backend Berlin" in n["message"]]
    assert told["subjectId"] == daily["id"]
    # emailed at once (the default for alerts), to the seeker only
    mails = mails_after_verification(inbox, seeker, 2)
    assert sorted(m.message["Subject"] for m in mails) == messages
    listed = graphql.data(JOB_SEARCHES, token=seeker.token)["viewer"]["savedJobSearches"]
    last_alerts = [edge["node"]["lastAlertAt"] for edge in listed["edges"]]
    assert last_alerts[0] is not None and last_alerts[1] is not None and last_alerts[2] is None

    # given the alerts read, then 2 more matches, a members-only one the seeker may not see
    # and another non-match
    assert mark_read(graphql, seeker, all=True)["marked"] == 2
    alumni = organization(graphql, member(graphql, "Alma"), "Class of 2010", "ALUMNI_ASSOCIATION")
    job(graphql, globex, "PUBLISHED", title="Backend Lead")
    job(graphql, globex, "PUBLISHED", title="Backend Engineer II")
    job(graphql, globex, "PUBLISHED", title="Backend Alumni Only", membersOnlyOrganizationId=alumni)
    job(graphql, globex, "PUBLISHED", title="Frontend Engineer")

    # when the next day's alerts run (and the same day's again: already done)
    assert run_schedule(graphql, mail_settings, MONDAY_MORNING + timedelta(hours=1)) == []
    done = run_schedule(graphql, mail_settings, MONDAY_MORNING + timedelta(days=1))

    # then exactly the 2 new visible matches; the weekly search waits for next Monday
    assert "saved search alerts DAILY 2030-01-08" in done
    assert not any("WEEKLY" in run for run in done)
    unread = [n for n in alerts(graphql, seeker) if not n["read"]]
    assert [n["message"] for n in unread] == ["2 new jobs match Backend Berlin"]

    # and a day with nothing new tells nothing
    run_schedule(graphql, mail_settings, MONDAY_MORNING + timedelta(days=2))
    assert len([n for n in alerts(graphql, seeker) if not n["read"]]) == 1


def test_an_unread_alert_piles_up_and_is_emailed_again(
    mail_graphql: GraphQLClient, inbox: Inbox, mail_settings: Settings
) -> None:
    graphql = mail_graphql
    schedule_settled(graphql)
    staff = member(graphql, "Staff", staff=True)
    globex = employer(graphql, "Globex", staff=staff)
    seeker = verified(graphql, inbox, "Sam")
    save_job_search(graphql, seeker, name="Backend", query="backend", alertFrequency="DAILY")
    job(graphql, globex, "PUBLISHED", title="Backend Engineer")
    run_schedule(graphql, mail_settings, MONDAY_MORNING)
    job(graphql, globex, "PUBLISHED", title="Backend Lead")
    job(graphql, globex, "PUBLISHED", title="Backend Architect")

    # when the next alert finds more while the first is still unread
    run_schedule(graphql, mail_settings, MONDAY_MORNING + timedelta(days=1))

    # then one notification says the latest and that there were more before; both mailed
    [told] = alerts(graphql, seeker)
    assert told["count"] == 2 and not told["read"]
    assert told["message"] == "2 new jobs match Backend (and more in 1 earlier alert)"
    first, second = mails_after_verification(inbox, seeker, 2)
    assert first.message["Subject"] == "1 new job matches Backend"
    assert second.message["Subject"] == told["message"]


def test_a_candidate_alert_leaves_out_a_resume_hidden_from_the_employer(
    graphql: GraphQLClient, settings: Settings
) -> None:
    schedule_settled(graphql)
    # given a verified employer's recruiter with a daily candidate alert
    staff = member(graphql, "Staff", staff=True)
    globex = employer(graphql, "Globex", staff=staff)
    recruiter = globex.recruiter
    saved = graphql.data(
        SAVE_CANDIDATE_SEARCH,
        {"input": {"name": "Pythonistas", "query": "python", "alertFrequency": "DAILY"}},
        token=recruiter.token,
    )["saveCandidateSearch"]
    assert saved["userErrors"] == [] and saved["savedSearch"]["alertFrequency"] == "DAILY"
    # and three Python developers who publish to employers since, one of whom then hides
    # her resumes from Globex, and a Go developer
    for name in ("Ada", "Bea", "Cleo"):
        person = member(graphql, name)
        import_resume(graphql, person, resume(name, "Developer", ["Python"]), "EMPLOYERS")
        if name == "Bea":
            hidden = graphql.data(
                EXCLUDE, {"input": {"organizationIds": [globex.id]}}, token=person.token
            )
            assert hidden["setResumeExclusions"]["userErrors"] == []
    gopher = member(graphql, "Gus")
    import_resume(graphql, gopher, resume("Gus", "Developer", ["Go"]), "EMPLOYERS")
    settle(graphql)
    # the recruiter's list counts them too, from the index
    [listed] = graphql.data(CANDIDATE_SEARCHES, token=recruiter.token)["savedSearches"]["edges"]
    assert listed["node"]["newSinceLastRun"] == 2

    # when the alerts run
    run_schedule(graphql, settings, MONDAY_MORNING)

    # then the recruiter hears of the two candidates Globex may see, not of Bea
    [told] = alerts(graphql, recruiter)
    assert told["message"] == "2 new candidates match Pythonistas"
    assert told["subjectId"] == saved["savedSearch"]["id"]
    [listed] = graphql.data(CANDIDATE_SEARCHES, token=recruiter.token)["savedSearches"]["edges"]
    assert listed["node"]["lastAlertAt"] is not None

    # and turned off, it alerts no more
    off = graphql.data(
        SET_ALERT,
        {"input": {"id": saved["savedSearch"]["id"], "alertFrequency": "OFF"}},
        token=recruiter.token,
    )["setSavedSearchAlert"]
    assert off["savedSearch"]["alertFrequency"] == "OFF" and off["savedJobSearch"] is None
    import_resume(graphql, member(graphql, "Dora"), resume("Dora", "Dev", ["Python"]), "PUBLIC")
    run_schedule(graphql, settings, MONDAY_MORNING + timedelta(days=1))
    assert len(alerts(graphql, recruiter)) == 1

"""Notifications by email over HTTP, with a real SMTP server: preferences per kind, an email at
once with its one-click unsubscribe (RFC 8058), the daily digest of what is still unread
(claimed once per day), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from api.core.settings import Settings
from api.notifications.duty import run_scheduled
from api.notifications.tables import NotificationKind
from tests.conftest import GraphQLClient
from tests.factories import REQUEST_CONNECTION, Member, member
from tests.mail.smtp import Inbox, Received
from tests.notifications.helpers import inbox as notifications_of
from tests.notifications.helpers import mark_read, schedule_settled
from tests.people.mail_links import token

VERIFY_EMAIL = """
mutation ($input: VerifyEmailInput!) { verifyEmail(input: $input) { userErrors { code } } }
"""
PREFERENCES = """
{ viewer { notificationPreferences { kind email defaultEmail } } }
"""
SET_PREFERENCES = """
mutation ($input: SetNotificationPreferencesInput!) {
  setNotificationPreferences(input: $input) {
    preferences { kind email defaultEmail }
    userErrors { field code message }
  }
}
"""
#: A Monday morning after the digest hour, far from the clock of the server's own runs.
MONDAY_MORNING = datetime(2030, 1, 7, 8, 0, tzinfo=UTC)


def verified(graphql: GraphQLClient, mailbox: Inbox, name: str) -> Member:
    """A member who followed the verification link of their registration mail."""
    person = member(graphql, name)
    [mail] = mailbox.to(person.email)
    answer = graphql.data(VERIFY_EMAIL, {"input": {"token": token(mail, "verify-email")}})
    assert answer["verifyEmail"]["userErrors"] == []
    return person


def choose(graphql: GraphQLClient, who: Member, **choices: str) -> dict[str, Any]:
    preferences = [{"kind": kind, "email": email} for kind, email in choices.items()]
    return graphql.data(SET_PREFERENCES, {"input": {"preferences": preferences}}, token=who.token)[
        "setNotificationPreferences"
    ]


def choices(graphql: GraphQLClient, who: Member) -> dict[str, str]:
    rows = graphql.data(PREFERENCES, token=who.token)["viewer"]["notificationPreferences"]
    return {row["kind"]: row["email"] for row in rows}


def ask_to_connect(graphql: GraphQLClient, asking: Member, asked: Member) -> None:
    payload = graphql.data(
        REQUEST_CONNECTION, {"input": {"personId": asked.person_id}}, token=asking.token
    )["requestConnection"]
    assert payload["userErrors"] == [], payload


def mails_after_verification(mailbox: Inbox, who: Member, count: int) -> list[Received]:
    """The first `count` messages to `who` after their verification mail."""
    return mailbox.to(who.email, count + 1)[1:]


def run_schedule(graphql: GraphQLClient, settings: Settings, now: datetime) -> list[str]:
    return graphql.http.blocking_portal.call(run_scheduled, settings, now)


def test_each_kind_has_a_default_and_a_choice_replaces_it(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    ada = member(mail_graphql, "Ada")
    defaults = choices(mail_graphql, ada)
    assert defaults["APPLICATION_STAGE_CHANGED"] == "IMMEDIATELY"
    assert defaults["CONNECTION_REQUESTED"] == "DAILY"
    assert set(defaults) == {kind.value for kind in NotificationKind}

    chosen = choose(mail_graphql, ada, CONNECTION_REQUESTED="WEEKLY", EVENT_CANCELLED="NEVER")
    assert chosen["userErrors"] == []
    after = {row["kind"]: row for row in chosen["preferences"]}
    assert after["CONNECTION_REQUESTED"] == {
        "kind": "CONNECTION_REQUESTED",
        "email": "WEEKLY",
        "defaultEmail": "DAILY",
    }
    assert choices(mail_graphql, ada) == {
        **defaults,
        "CONNECTION_REQUESTED": "WEEKLY",
        "EVENT_CANCELLED": "NEVER",
    }

    # naming a kind twice changes nothing
    twice = mail_graphql.data(
        SET_PREFERENCES,
        {
            "input": {
                "preferences": [
                    {"kind": "POST_COMMENTED", "email": "NEVER"},
                    {"kind": "POST_COMMENTED", "email": "DAILY"},
                ]
            }
        },
        token=ada.token,
    )["setNotificationPreferences"]
    assert twice["userErrors"][0]["code"] == "DUPLICATE_KIND", twice
    assert choices(mail_graphql, ada)["POST_COMMENTED"] == "DAILY"

    # signed out, there is nothing to read or set
    body = mail_graphql.execute(SET_PREFERENCES, {"input": {"preferences": []}})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_an_immediate_kind_is_mailed_with_a_one_click_unsubscribe(
    mail_graphql: GraphQLClient, inbox: Inbox, mail_settings: Settings
) -> None:
    # given Ada, verified, who wants connection requests emailed at once
    ada = verified(mail_graphql, inbox, "Ada")
    bob, carol = member(mail_graphql, "Bob"), member(mail_graphql, "Carol")
    assert choose(mail_graphql, ada, CONNECTION_REQUESTED="IMMEDIATELY")["userErrors"] == []

    # when Bob asks to connect
    ask_to_connect(mail_graphql, bob, ada)

    # then one email says so, with a link and the headers of a one-click unsubscribe
    [mail] = mails_after_verification(inbox, ada, 1)
    assert mail.message["Subject"] == "Bob asked to connect with you"
    assert "Bob asked to connect with you." in mail.part("plain")
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = str(mail.message["List-Unsubscribe"]).strip("<>")
    assert link.startswith("https://network.example.org/notifications/unsubscribe/")
    assert link in mail.part("plain") and f'href="{link}"' in mail.part("html")
    path = urlsplit(link).path

    # opening the link only asks; a forged one is refused
    page = mail_graphql.http.get(path)
    assert page.status_code == 200 and "connection requests" in page.text
    assert choices(mail_graphql, ada)["CONNECTION_REQUESTED"] == "IMMEDIATELY"
    forged = mail_graphql.http.post(path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB"))
    assert forged.status_code == 404
    assert choices(mail_graphql, ada)["CONNECTION_REQUESTED"] == "IMMEDIATELY"

    # the mail client's one-click POST turns that kind off, without signing in
    done = mail_graphql.http.post(
        path,
        content="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert done.status_code == 200 and "no longer get emails about connection requests" in done.text
    assert choices(mail_graphql, ada)["CONNECTION_REQUESTED"] == "NEVER"

    # so Carol's request is not mailed, even once Ada wants them at once again: the next
    # message she gets is Dan's request
    ask_to_connect(mail_graphql, carol, ada)
    assert choose(mail_graphql, ada, CONNECTION_REQUESTED="IMMEDIATELY")["userErrors"] == []
    ask_to_connect(mail_graphql, member(mail_graphql, "Dan"), ada)
    [_, second] = mails_after_verification(inbox, ada, 2)
    assert second.message["Subject"] == "Dan asked to connect with you"
    assert len(notifications_of(mail_graphql, ada)) == 3  # all three are in the app


def test_the_daily_digest_lists_what_is_unread_once(
    mail_graphql: GraphQLClient, inbox: Inbox, mail_settings: Settings
) -> None:
    schedule_settled(mail_graphql)
    # given Ada (verified) with three connection requests (emailed daily by default), one
    # of which she has read in the app
    ada = verified(mail_graphql, inbox, "Ada")
    for name in ("Bob", "Carol", "Dan"):
        ask_to_connect(mail_graphql, member(mail_graphql, name), ada)
    [dans] = [n for n in notifications_of(mail_graphql, ada) if n["actor"]["name"] == "Dan"]
    assert mark_read(mail_graphql, ada, ids=[dans["id"]])["marked"] == 1

    # when the day's digests run, on one node and then on another
    done = run_schedule(mail_graphql, mail_settings, MONDAY_MORNING)
    again = run_schedule(mail_graphql, mail_settings, MONDAY_MORNING)

    # then Ada gets one digest of the two unread requests, and the second run did nothing
    assert "notification digest DAILY 2030-01-07" in done
    assert again == []
    [digest] = mails_after_verification(inbox, ada, 1)
    text = digest.part("plain")
    assert digest.message["Subject"] == "2 new notifications (today)"
    assert "Bob asked to connect with you" in text and "Carol asked to connect" in text
    assert "Dan" not in text
    # its one-click button turns the whole daily digest off
    path = urlsplit(str(digest.message["List-Unsubscribe"]).strip("<>")).path
    assert mail_graphql.http.post(path, content="List-Unsubscribe=One-Click").status_code == 200
    after = choices(mail_graphql, ada)
    assert {kind for kind, email in after.items() if email == "DAILY"} == set()
    assert after["APPLICATION_STAGE_CHANGED"] == "IMMEDIATELY"  # not a digest kind: kept

    # and with connection requests daily again, the next day's digest has only what is new
    assert choose(mail_graphql, ada, CONNECTION_REQUESTED="DAILY")["userErrors"] == []
    ask_to_connect(mail_graphql, member(mail_graphql, "Eve"), ada)
    next_day = MONDAY_MORNING.replace(day=8)
    assert "notification digest DAILY 2030-01-08" in run_schedule(
        mail_graphql, mail_settings, next_day
    )
    [_, second] = mails_after_verification(inbox, ada, 2)
    assert second.message["Subject"] == "1 new notification (today)"
    assert "Eve asked to connect" in second.part("plain")
    assert "Bob" not in second.part("plain")

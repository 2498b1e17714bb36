"""requestDataExport over HTTP with a real SMTP server: the worker prepares the archive, the
owner gets a link by mail, `GET /exports/<token>` answers the JSON; forged links 404, expired
or replaced ones 410; one pending export at a time, three a day."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import Any

from litestar.testing import TestClient

from api.core.settings import Settings
from api.mail.deliverer import Deliverer
from api.privacy.export import (
    delete_exports_of,
    exports_dir,
    prepare_due_exports,
    prune_expired_exports,
)
from api.privacy.tables import DataExport
from tests.conftest import GraphQLClient
from tests.events.helpers import create_event, rsvp
from tests.factories import (
    PASSWORD,
    Member,
    connect,
    employer,
    import_resume,
    job,
    join,
    member,
    organization,
)
from tests.mail.smtp import Inbox, Received
from tests.messaging.helpers import started
from tests.people.mail_links import token as link_token
from tests.posts.helpers import comment, post

REQUEST_DATA_EXPORT = """
mutation {
  requestDataExport {
    export { status requestedAt readyAt expiresAt }
    userErrors { field code message }
  }
}
"""
APPLY = """
mutation ($input: ApplyToJobInput!) {
  applyToJob(input: $input) { application { id stage } userErrors { field code message } }
}
"""
SAVE_SEARCH = """
mutation ($input: SaveCandidateSearchInput!) {
  saveCandidateSearch(input: $input) { savedSearch { id } userErrors { field code message } }
}
"""

SAMPLE_RESUME = json.loads(
    (resources.files("api.resumes") / "jsonresume" / "sample.resume.json").read_text()
)
LINK = re.compile(r"https://network\.example\.org/exports/([A-Za-z0-9_\-.]+)")


def request_export(graphql: GraphQLClient, who: Member) -> dict[str, Any]:
    return graphql.data(REQUEST_DATA_EXPORT, token=who.token)["requestDataExport"]


def export_link(received: Received) -> str:
    """The path of the one download link in the message (the same in its HTML part)."""
    found = set(LINK.findall(received.part("plain")))
    assert len(found) == 1, received.part("plain")
    [token] = found
    assert f'href="https://network.example.org/exports/{token}"' in received.part("html")
    return f"/exports/{token}"


def export_mails(inbox: Inbox, who: Member, count: int = 1) -> list[Received]:
    """The first `count` export mails to `who` (their verification mail is not one)."""
    found: list[Received] = []
    total = 1
    while len(found) < count:
        total += 1
        found = [
            r for r in inbox.to(who.email, count=total) if "data export" in r.message["Subject"]
        ]
    return found[:count]


def run_duty(http: TestClient[Any], settings: Settings) -> int:
    """What the worker role does once: prepare the pending exports and deliver the mail."""
    prepared = http.blocking_portal.call(prepare_due_exports, settings)
    http.blocking_portal.call(Deliverer(settings).deliver_due)
    return prepared


def test_the_owner_gets_every_section_of_their_data_by_mail(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    # given Ada, with a resume, an application, a membership, an RSVP, a post, a comment, a
    # connection and a saved search
    graphql = mail_graphql
    ada = member(graphql, "Ada Lovelace")
    grace = member(graphql, "Grace Hopper")
    connect(graphql, ada, grace)
    started(graphql, ada, grace, message="Shall we meet at the club?")
    resume_id = import_resume(graphql, ada, SAMPLE_RESUME, visibility="CONNECTIONS")
    globex = employer(graphql, "Globex", staff=member(graphql, "Sam", staff=True))
    job_id = job(graphql, globex, "PUBLISHED", title="Compression Engineer")
    applied = graphql.data(
        APPLY, {"input": {"jobId": job_id, "resumeId": resume_id}}, token=ada.token
    )["applyToJob"]
    assert applied["userErrors"] == []
    olga = member(graphql, "Olga")
    club = organization(graphql, olga, "Analytical Engines Club")
    assert join(graphql, ada, club)["userErrors"] == []
    event_id = create_event(graphql, olga, club, title="Difference Night")
    assert rsvp(graphql, ada, event_id)["userErrors"] == []
    olga_post = post(graphql, olga, club, body="Who brings the punch cards?")
    comment(graphql, ada, olga_post["id"], "I will bring forty.")
    post(graphql, ada, club, body="Notes on the engine, part one.")
    saved = graphql.data(
        SAVE_SEARCH, {"input": {"name": "Engine people", "query": "python"}}, token=ada.token
    )["saveCandidateSearch"]
    assert saved["userErrors"] == []

    # when she asks for an export
    asked = request_export(graphql, ada)

    # then it is recorded as pending, and the worker mails her a link
    assert asked["userErrors"] == [] and asked["export"]["status"] == "PENDING"
    [mail] = export_mails(inbox, ada)
    assert mail.message["Subject"] == "Your data export is ready"
    assert "expires in 7 days" in mail.part("plain")

    # when she follows it
    response = graphql.http.get(export_link(mail))

    # then the archive downloads as a JSON attachment, never cached
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert re.fullmatch(
        r'attachment; filename="confrere-export-\d{8}-[0-9a-f]{32}\.json"',
        response.headers["content-disposition"],
    )
    assert response.headers["cache-control"] == "no-store"
    archive = response.json()
    assert archive["format"] == "confrere-export/1"
    assert archive["account"]["email"] == ada.email
    assert archive["account"]["name"] == "Ada Lovelace"
    assert "password" not in response.text.lower()
    assert archive["profile"]["contactVisibility"] == "CONNECTIONS"
    [resume] = archive["resumes"]
    assert resume["visibility"] == "CONNECTIONS"
    assert resume["jsonResume"]["basics"]["name"] == "Richard Hendriks"
    assert resume["jsonResume"]["work"] == SAMPLE_RESUME["work"]
    [application] = archive["applications"]
    assert application["job"]["title"] == "Compression Engineer"
    assert application["employer"] == "Globex"
    assert application["stage"] == "SUBMITTED"
    assert [m["organization"]["name"] for m in archive["memberships"]] == [
        "Analytical Engines Club"
    ]
    assert archive["memberships"][0]["role"] == "MEMBER"
    assert archive["memberships"][0]["status"] == "ACTIVE"
    assert [(c["person"], c["status"], c["direction"]) for c in archive["connections"]] == [
        ("Grace Hopper", "ACCEPTED", "SENT")
    ]
    assert grace.email not in response.text  # a contact's name, never their address
    [answer] = archive["rsvps"]
    assert answer["event"]["title"] == "Difference Night" and answer["status"] == "GOING"
    assert [p["body"] for p in archive["posts"]] == ["Notes on the engine, part one."]
    [remark] = archive["comments"]
    assert remark["body"] == "I will bring forty."
    assert remark["post"]["organization"] == "Analytical Engines Club"
    assert [(s["name"], s["query"]) for s in archive["savedSearches"]] == [
        ("Engine people", "python")
    ]
    # every section names its fields in the API's camelCase, dates included
    assert {"answeredAt", "updatedAt"} <= answer.keys()
    assert {"organization", "createdAt", "publishedAt"} <= archive["posts"][0].keys()
    assert {"createdAt", "updatedAt"} <= remark.keys()
    assert {"filter", "createdAt", "lastRunAt"} <= archive["savedSearches"][0].keys()
    # what she was told (Grace accepted her request), and her email choices (none made)
    assert "CONNECTION_ACCEPTED" in [n["kind"] for n in archive["notifications"]]
    assert {"kind", "count", "createdAt", "readAt", "subjectTitle"} <= (
        archive["notifications"][0].keys()
    )
    assert archive["notificationPreferences"] == []
    # what she wrote to others, who by name
    [message] = archive["messages"]
    assert message["with"] == ["Grace Hopper"]
    assert message["body"] == "Shall we meet at the club?"
    assert {"createdAt", "editedAt", "deletedAt"} <= message.keys()
    # and the link works again while it is valid (an interrupted download can be retried)
    assert graphql.http.get(export_link(mail)).json() == archive


def test_a_link_opens_its_own_export_and_a_forged_one_nothing(
    mail_graphql: GraphQLClient, inbox: Inbox
) -> None:
    # given Ada's and Bob's exports, mailed
    graphql = mail_graphql
    ada, bob = member(graphql, "Ada"), member(graphql, "Bob")
    request_export(graphql, ada)
    request_export(graphql, bob)
    ada_link = export_link(export_mails(inbox, ada)[0])
    bob_link = export_link(export_mails(inbox, bob)[0])

    # when each link is followed, then it opens its owner's archive only
    assert graphql.http.get(ada_link).json()["account"]["email"] == ada.email
    assert graphql.http.get(bob_link).json()["account"]["email"] == bob.email

    # when a link is forged: Ada's export id under Bob's signature, a made-up one, a token
    # this server signed for another purpose (Ada's email verification)
    ada_id, _, _ = ada_link.removeprefix("/exports/").partition(".")
    _, _, bob_mac = bob_link.partition(".")
    [verification] = [r for r in inbox.to(ada.email, count=2) if "Confirm" in r.message["Subject"]]
    forged = [
        f"/exports/{ada_id}.{bob_mac}",
        "/exports/AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA",
        f"/exports/{link_token(verification, 'verify-email')}",
        "/exports/not-a-token",
    ]
    answers = [graphql.http.get(path) for path in forged]

    # then each is refused as not found, the same way, naming no account
    assert [a.status_code for a in answers] == [404, 404, 404, 404]
    assert {a.json()["error"]["code"] for a in answers} == {"EXPORT_NOT_FOUND"}
    assert all(a.headers["cache-control"] == "no-store" for a in answers)
    assert all(ada.email not in a.text and bob.email not in a.text for a in answers)


def test_an_expired_link_is_gone_and_its_file_deleted(
    idle_graphql: GraphQLClient, mail_settings: Settings, inbox: Inbox
) -> None:
    # given Ada's export, prepared and mailed
    graphql, http = idle_graphql, idle_graphql.http
    ada = member(graphql, "Ada")
    request_export(graphql, ada)
    assert run_duty(http, mail_settings) == 1
    link = export_link(export_mails(inbox, ada)[0])
    [archive_file] = exports_dir(mail_settings).iterdir()
    assert graphql.http.get(link).status_code == 200

    # when its expiry passes
    async def expire() -> None:
        past = datetime.now(UTC) - timedelta(seconds=1)
        await DataExport.update({DataExport.expires_at: past}, force=True)

    http.blocking_portal.call(expire)
    gone = graphql.http.get(link)

    # then the link answers 410 Gone with a way forward
    assert gone.status_code == 410
    assert gone.json()["error"]["code"] == "EXPORT_EXPIRED"
    assert "requestDataExport" in gone.json()["error"]["message"]
    # and the duty's prune deletes the file
    assert archive_file.exists()
    assert http.blocking_portal.call(prune_expired_exports, mail_settings) == 1
    assert list(exports_dir(mail_settings).iterdir()) == []
    assert graphql.http.get(link).status_code == 410


def test_one_pending_export_at_a_time_three_a_day_and_a_new_one_replaces_the_old(
    idle_graphql: GraphQLClient, mail_settings: Settings, inbox: Inbox
) -> None:
    graphql, http = idle_graphql, idle_graphql.http
    ada = member(graphql, "Ada")

    # when Ada asks twice before the first is prepared
    first = request_export(graphql, ada)
    again = request_export(graphql, ada)

    # then the second is refused: one is pending
    assert first["userErrors"] == []
    assert again["export"] is None
    assert [(e["field"], e["code"]) for e in again["userErrors"]] == [(None, "EXPORT_PENDING")]

    # when it is prepared and she asks again, and that one is prepared too
    run_duty(http, mail_settings)
    first_link = export_link(export_mails(inbox, ada)[0])
    assert request_export(graphql, ada)["userErrors"] == []
    run_duty(http, mail_settings)
    second_link = export_link(export_mails(inbox, ada, count=2)[1])

    # then the newer export replaced the older: its link is gone, its file deleted
    assert graphql.http.get(first_link).status_code == 410
    assert graphql.http.get(second_link).status_code == 200
    assert len(list(exports_dir(mail_settings).iterdir())) == 1

    # when she asks a third and a fourth time within the day
    assert request_export(graphql, ada)["userErrors"] == []
    run_duty(http, mail_settings)
    fourth = request_export(graphql, ada)

    # then the fourth is refused, with when to try again
    assert [e["code"] for e in fourth["userErrors"]] == ["TOO_MANY_EXPORTS"]
    assert "try again in" in fourth["userErrors"][0]["message"]
    # and another member is not held back by Ada's limit
    assert request_export(graphql, member(graphql, "Bob"))["userErrors"] == []

    # when her account's exports are deleted (as erasing the account does)
    deleted = http.blocking_portal.call(delete_exports_of, mail_settings, ada.account_id)

    # then her three are gone with their files, and Bob's pending one stays
    assert deleted == 3
    assert list(exports_dir(mail_settings).iterdir()) == []
    assert graphql.http.get(second_link).status_code == 410
    assert run_duty(http, mail_settings) == 1


def test_asking_for_an_export_needs_a_signed_in_member(mail_graphql: GraphQLClient) -> None:
    # when nobody signed in asks
    body = mail_graphql.execute(REQUEST_DATA_EXPORT)

    # then it is refused as unauthenticated
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]


DELETE_ACCOUNT = """
mutation ($input: DeleteAccountInput!) {
  deleteAccount(input: $input) { deleted userErrors { code } }
}
"""


def test_deleting_the_account_deletes_its_exports_and_their_files(
    idle_graphql: GraphQLClient, mail_settings: Settings, inbox: Inbox
) -> None:
    # given Ada's export, prepared and mailed
    graphql, http = idle_graphql, idle_graphql.http
    ada = member(graphql, "Ada")
    request_export(graphql, ada)
    assert run_duty(http, mail_settings) == 1
    link = export_link(export_mails(inbox, ada)[0])
    assert graphql.http.get(link).status_code == 200

    # when Ada deletes her account
    deleted = graphql.data(DELETE_ACCOUNT, {"input": {"password": PASSWORD}}, token=ada.token)

    # then the archive's file is gone and its link opens nothing
    assert deleted["deleteAccount"] == {"deleted": True, "userErrors": []}
    assert list(exports_dir(mail_settings).iterdir()) == []
    assert graphql.http.get(link).status_code in (404, 410)

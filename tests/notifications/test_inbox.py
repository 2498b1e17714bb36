"""A person's notifications: newest first, in pages, unread only; marked read by id or all at
once (never someone else's); erased with their account; a page's cost is the same at any
size."""

from __future__ import annotations

import asyncio

import pytest

from api.core.db import write_transaction
from api.core.viewer import Viewer
from api.notifications import service
from api.notifications.service import Subject, notify, tell_waiting
from api.notifications.tables import NotificationFanout, NotificationKind
from tests.conftest import GraphQLClient
from tests.events.helpers import create_event
from tests.factories import (
    PASSWORD,
    REQUEST_CONNECTION,
    Member,
    database_id,
    employer,
    global_id,
    job,
    member,
    organization,
    settle,
)
from tests.notifications.helpers import NOTIFICATIONS, inbox, mark_read, unread
from tests.posts.helpers import post

DELETE_ACCOUNT = """
mutation ($input: DeleteAccountInput!) {
  deleteAccount(input: $input) { deleted userErrors { code } }
}
"""
PAGE = """
query ($first: Int) {
  viewer {
    unreadNotificationCount
    notifications(first: $first) {
      totalCount
      edges {
        node {
          id kind read count createdAt message subjectId url
          actor { name headline }
          subject { id ... on Job { title } ... on Event { title } ... on Organization { name } }
        }
      }
    }
  }
}
"""


def ask_to_connect(graphql: GraphQLClient, asking: Member, asked: Member) -> None:
    payload = graphql.data(
        REQUEST_CONNECTION, {"input": {"personId": asked.person_id}}, token=asking.token
    )["requestConnection"]
    assert payload["userErrors"] == [], payload


def test_pages_run_newest_first_and_unread_only_leaves_out_what_was_read(
    graphql: GraphQLClient,
) -> None:
    ada = member(graphql, "Ada Lovelace")
    askers = [member(graphql, f"Asker {n}") for n in range(5)]
    for asker in askers:
        ask_to_connect(graphql, asker, ada)

    # Pages of two, newest first, cover all five once
    seen: list[str] = []
    after = None
    while True:
        body = graphql.data(NOTIFICATIONS, {"first": 2, "after": after}, token=ada.token)
        connection = body["viewer"]["notifications"]
        assert connection["totalCount"] == 5
        seen += [edge["node"]["actor"]["name"] for edge in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert seen == [f"Asker {n}" for n in reversed(range(5))]
    assert unread(graphql, ada) == 5

    # When Ada reads the newest two, unreadOnly shows the other three
    newest = [node["id"] for node in inbox(graphql, ada)[:2]]
    marked = mark_read(graphql, ada, ids=newest)
    assert (marked["marked"], marked["unreadNotificationCount"], marked["userErrors"]) == (2, 3, [])
    unread_only = inbox(graphql, ada, unreadOnly=True)
    assert [node["actor"]["name"] for node in unread_only] == ["Asker 2", "Asker 1", "Asker 0"]
    assert [node["read"] for node in inbox(graphql, ada)] == [True, True, False, False, False]
    # Marking them again changes nothing
    assert mark_read(graphql, ada, ids=newest)["marked"] == 0

    # When Ada marks all read, none is unread
    assert mark_read(graphql, ada, all=True)["marked"] == 3
    assert unread(graphql, ada) == 0
    assert inbox(graphql, ada, unreadOnly=True) == []


def test_someone_elses_notification_is_not_found_and_nothing_is_marked(
    graphql: GraphQLClient,
) -> None:
    ada, bob, carol = (member(graphql, n) for n in ("Ada", "Bob", "Carol"))
    ask_to_connect(graphql, carol, ada)
    ask_to_connect(graphql, carol, bob)
    [adas] = inbox(graphql, ada)
    [bobs] = inbox(graphql, bob)

    # When Ada marks her own and Bob's, nothing is marked
    refused = mark_read(graphql, ada, ids=[adas["id"], bobs["id"]])
    assert [error["code"] for error in refused["userErrors"]] == ["NOT_FOUND"]
    assert refused["userErrors"][0]["field"] == "ids"
    assert unread(graphql, ada) == unread(graphql, bob) == 1
    # An id of another type, or of no row, is not found either
    for wrong in (global_id("Job", database_id(adas["id"])), global_id("Notification", 10**6)):
        assert mark_read(graphql, ada, ids=[wrong])["userErrors"][0]["code"] == "NOT_FOUND"
    # `all` marks only the viewer's own
    assert mark_read(graphql, ada, all=True)["marked"] == 1
    assert unread(graphql, bob) == 1
    # A notification is a node for its recipient only
    query = "query ($id: ID!) { node(id: $id) { ... on Notification { id kind } } }"
    assert graphql.data(query, {"id": bobs["id"]}, token=bob.token)["node"]["id"] == bobs["id"]
    assert graphql.data(query, {"id": bobs["id"]}, token=ada.token)["node"] is None


def test_notifications_are_the_signed_in_viewers_own(graphql: GraphQLClient) -> None:
    body = graphql.execute("{ viewer { unreadNotificationCount } }")
    assert body["data"]["viewer"] is None
    body = graphql.execute("mutation { markNotificationsRead(input: {all: true}) { marked } }")
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_erasing_an_account_deletes_its_notifications_and_leaves_others_without_the_actor(
    graphql: GraphQLClient,
) -> None:
    ada, bob = member(graphql, "Ada Lovelace"), member(graphql, "Bob Byte")
    ask_to_connect(graphql, ada, bob)
    ask_to_connect(graphql, member(graphql, "Carol"), ada)
    assert unread(graphql, ada) == 1

    # When Ada deletes her account
    deleted = graphql.data(DELETE_ACCOUNT, {"input": {"password": PASSWORD}}, token=ada.token)
    assert deleted["deleteAccount"]["deleted"] is True

    # Then her notifications are gone, and Bob's no longer names her
    async def hers() -> int:
        from api.notifications.tables import Notification

        return await Notification.count().where(Notification.recipient == ada.account_id)

    assert graphql.http.blocking_portal.call(hers) == 0
    [told] = inbox(graphql, bob)
    assert told["actor"] is None
    assert told["message"] == "Someone asked to connect with you"


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_a_page_of_notifications_costs_the_same_at_10_and_100(
    graphql: GraphQLClient, count_statements: list[str]
) -> None:
    ada = member(graphql, "Ada Lovelace")
    actors = [member(graphql, f"Actor {n}") for n in range(5)]
    staff = member(graphql, "Staff", staff=True)
    globex = employer(graphql, "Globex", staff=staff)
    job_id = database_id(job(graphql, globex, "PUBLISHED", title="Backend Engineer"))
    club = organization(graphql, actors[0], "Chess Club")
    event_id = database_id(create_event(graphql, actors[0], club, title="Python Night"))
    post_id = database_id(post(graphql, actors[0], club, title="Friday")["id"])
    subjects = [
        (NotificationKind.APPLICATION_RECEIVED, Subject("Job", job_id, "Backend Engineer")),
        (NotificationKind.EVENT_CANCELLED, Subject("Event", event_id, "Python Night")),
        (NotificationKind.MEMBERSHIP_REQUESTED, Subject("Organization", database_id(club))),
        (NotificationKind.POST_COMMENTED, Subject("Post", post_id, "Friday")),
        (NotificationKind.CONNECTION_REQUESTED, Subject("ConnectionRequest", 1)),
    ]

    async def fill() -> None:
        # Each notification is read before the next, so each starts a row of its own.
        for n in range(110):
            kind, subject = subjects[n % len(subjects)]
            async with write_transaction():
                await notify(
                    kind,
                    recipients=[ada.account_id],
                    actor=actors[n % 5].account_id,
                    subject=subject,
                )
            if n < 109:
                await service.mark_read(Viewer(account_id=ada.account_id), ids=[], everything=True)

    graphql.http.blocking_portal.call(fill)
    settle(graphql)

    def cost(first: int) -> int:
        count_statements.clear()
        viewer = graphql.data(PAGE, {"first": first}, token=ada.token)["viewer"]
        nodes = [edge["node"] for edge in viewer["notifications"]["edges"]]
        assert len(nodes) == first and viewer["notifications"]["totalCount"] == 110
        assert viewer["unreadNotificationCount"] == 1
        assert {
            node["subject"]["title"] for node in nodes if node["kind"] == "EVENT_CANCELLED"
        } == {"Python Night"}
        assert all(node["url"] for node in nodes if node["kind"] == "APPLICATION_RECEIVED")
        assert all(node["actor"]["name"].startswith("Actor") for node in nodes)
        return len([sql for sql in count_statements if "outbox_event" not in sql])

    small, large = cost(10), cost(100)
    assert small == large, (small, large)


def test_one_change_tells_a_crowd_in_batches_bumping_piles_and_leaving_out_blocks(
    graphql: GraphQLClient,
) -> None:
    """More recipients than one statement takes (an event of thousands cancelled): every one
    is told once, the unread piles among them are bumped, the blocked are left out."""
    from api.people.tables import Account, PersonBlock

    organizer = member(graphql, "Olga Organizer")
    crowd_size = 1_234

    async def fan_out() -> dict[str, int]:
        async with write_transaction():
            rows = await Account.insert(
                *(
                    Account(email=f"crowd.{n}@example.org", name=f"Crowd {n}", password_hash="!")
                    for n in range(crowd_size)
                )
            ).returning(Account.id)
        crowd = [row["id"] for row in rows]
        blockers, piled = crowd[:3], crowd[3:703]
        subject = Subject("Event", 1, "Python Night")
        async with write_transaction():
            await PersonBlock.insert(
                *(PersonBlock(blocker=b, blocked=organizer.account_id) for b in blockers)
            )
            # 700 already have an unread notification of this event's cancellation
            await notify(
                NotificationKind.EVENT_CANCELLED,
                recipients=piled,
                actor=organizer.account_id,
                subject=subject,
            )
        async with write_transaction():
            told = await notify(
                NotificationKind.EVENT_CANCELLED,
                recipients=[*crowd, organizer.account_id],
                actor=organizer.account_id,
                subject=subject,
            )
        # a crowd is told by the worker role, a batch per transaction (this test's app runs
        # it too: whichever takes a batch, each is told once)
        while await tell_waiting():
            pass
        for _ in range(600):  # the last batch may be the app's, still committing
            if not await NotificationFanout.count():
                break
            await asyncio.sleep(0.05)
        assert not await NotificationFanout.count(), "the crowd was not told"
        from api.notifications.tables import Notification

        rows = await Notification.select(Notification.recipient, Notification.occurrences)
        by_recipient: dict[int, int] = {}
        for row in rows:
            assert row["recipient"] not in by_recipient, "one notification per person"
            by_recipient[row["recipient"]] = row["occurrences"]
        return {
            "told": told,
            "rows": len(by_recipient),
            "twice": sum(1 for r in piled if by_recipient.get(r) == 2),
            "blocked": sum(1 for b in blockers if b in by_recipient),
            "organizer": int(organizer.account_id in by_recipient),
        }

    counts = graphql.http.blocking_portal.call(fan_out)

    assert counts == {
        "told": crowd_size,
        "rows": crowd_size - 3,
        "twice": 700,
        "blocked": 0,
        "organizer": 0,
    }

"""People in the member app: a request to connect answered on /app/connections/, a conversation
started on /app/messages/?to=… and answered by the other person, notifications read and marked
read on /app/notifications/ with an email preference saved, and the API's refusals shown in
words next to the control they concern."""

from __future__ import annotations

from typing import Any

from tests.app.conftest import App, shoot, sign_in

PERSON_ID = "query { viewer { person { id } } }"
REQUEST_CONNECTION = """
mutation ($input: RequestConnectionInput!) {
  requestConnection(input: $input) { connection { id status } userErrors { message } }
}
"""
BLOCK = """
mutation ($input: PersonIdInput!) { blockPerson(input: $input) { userErrors { message } } }
"""
NOTIFICATIONS = """
query {
  viewer { unreadNotificationCount notifications(first: 10) { edges { node { kind read } } } }
}
"""
PREFERENCES = "query { viewer { notificationPreferences { kind email } } }"
CONNECTIONS = "query { viewer { connections(first: 10) { edges { node { name } } } } }"


def person_id(app: App, token: str) -> str:
    return app.data(PERSON_ID, token=token)["viewer"]["person"]["id"]


def switch_to(page: Any, app: App, email: str, then: str) -> None:
    """Sign out of the page's context, sign in as someone else and open `then` (a full URL)."""
    page.context.clear_cookies()
    sign_in(page, app, email)
    page.goto(then)


def test_two_members_connect_write_to_each_other_and_read_their_notifications(
    app: App, page: Any
) -> None:
    ada_email, ada_token = app.account("Ada Lovelace")
    grace_email, grace_token = app.account("Grace Hopper")
    grace = person_id(app, grace_token)
    ada = person_id(app, ada_token)

    # Not connected yet: Grace cannot be written to, and the page says so by the message box.
    sign_in(page, app, ada_email, then=f"app/messages/?to={grace}")
    page.get_by_role("heading", name="Write to Grace Hopper").wait_for()
    page.get_by_label("Your message to Grace Hopper").fill("Hello before we are connected")
    page.get_by_role("button", name="Send").click()
    page.get_by_role("alert").filter(has_text="No person you may message has this id.").wait_for()
    shoot(page, "messages-new-error")

    # Grace asks to connect; Ada accepts on /app/connections/.
    variables = {"input": {"personId": ada, "note": "We met at the spring meetup."}}
    requested = app.data(REQUEST_CONNECTION, variables, grace_token)["requestConnection"]
    assert requested["userErrors"] == []
    page.goto(app.page_url("app/connections/"))
    page.get_by_text("“We met at the spring meetup.”").wait_for()
    shoot(page, "connections-request")
    page.get_by_role("button", name="Accept Grace Hopper").click()
    page.get_by_role("status").filter(
        has_text="You are connected with Grace Hopper."
    ).first.wait_for()
    connections = page.get_by_role("list", name="Your connections")
    connections.get_by_text("Grace Hopper").wait_for()
    shoot(page, "connections")
    edges = app.data(CONNECTIONS, token=ada_token)["viewer"]["connections"]["edges"]
    assert [edge["node"]["name"] for edge in edges] == ["Grace Hopper"]

    # The request had notified Ada: she reads it and marks it read.
    page.goto(app.page_url("app/notifications/"))
    notification = page.get_by_role("link", name="Grace Hopper asked to connect with you")
    notification.wait_for()
    page.get_by_text("1 unread.").wait_for()
    shoot(page, "notifications")
    page.get_by_role("button", name="Mark read: Grace Hopper asked to connect with you").click()
    page.get_by_text("Nothing unread.").wait_for()
    viewer = app.data(NOTIFICATIONS, token=ada_token)["viewer"]
    assert viewer["unreadNotificationCount"] == 0
    assert [edge["node"]["read"] for edge in viewer["notifications"]["edges"]] == [True]

    # …and chooses never to be emailed about connection requests.
    page.get_by_label("Someone asks to connect").select_option("NEVER")
    page.get_by_role("button", name="Save email choices").click()
    page.get_by_role("status").filter(has_text="Your email choices are saved.").wait_for()
    preferences = app.data(PREFERENCES, token=ada_token)["viewer"]["notificationPreferences"]
    assert {"kind": "CONNECTION_REQUESTED", "email": "NEVER"} in preferences
    page.reload()
    assert page.get_by_label("Someone asks to connect").input_value() == "NEVER"

    # Connected now, Ada writes to Grace from her connections; markup stays text.
    page.goto(app.page_url("app/connections/"))
    page.get_by_role("link", name="Message Grace Hopper").click()
    page.get_by_role("heading", name="Write to Grace Hopper").wait_for()
    page.get_by_label("Your message to Grace Hopper").fill("Lunch on Friday? <b>not bold</b>")
    page.get_by_role("button", name="Send").click()
    page.wait_for_url("**/app/messages/?conversation=*")
    sent = page.locator(".confrere-app__message-body").filter(has_text="Lunch on Friday?")
    sent.wait_for()
    assert sent.inner_text() == "Lunch on Friday? <b>not bold</b>"
    assert sent.locator("b").count() == 0
    conversation = page.url

    # Grace sees it in her conversations, opens it and answers.
    switch_to(page, app, grace_email, then=app.page_url("app/messages/"))
    row = page.locator(".confrere-app__conversation").filter(has_text="Ada Lovelace")
    row.get_by_text("1 unread").wait_for()
    shoot(page, "messages")
    row.get_by_role("link", name="Ada Lovelace").click()
    page.get_by_text("Lunch on Friday? <b>not bold</b>").wait_for()
    bar = page.get_by_role("navigation", name="Member app")
    bar.get_by_role("link", name="Messages", exact=True).wait_for()  # read now: no count
    page.get_by_label("Your message").fill("Friday works.")
    page.get_by_role("button", name="Send").click()
    page.locator(".confrere-app__message-body").filter(has_text="Friday works.").wait_for()
    shoot(page, "conversation")

    # She corrects her answer (her own, within the quarter of an hour the API allows).
    reply = page.locator(".confrere-app__message[data-mine=true]")
    reply.get_by_role("button", name="Edit").click()
    reply.get_by_label("Edit your message").fill("Friday works, at 12:30.")
    reply.get_by_role("button", name="Save").click()
    reply.get_by_text("Friday works, at 12:30.").wait_for()
    reply.get_by_text("(edited)").wait_for()

    # An empty message is refused in words next to the box.
    page.get_by_role("button", name="Send").click()
    page.locator("#field-body-error").filter(has_text="Write a message.").wait_for()

    # Ada reads the answer, and deletes her own message for everyone.
    switch_to(page, app, ada_email, then=conversation)
    page.get_by_text("Friday works, at 12:30.").wait_for()
    mine = page.locator(".confrere-app__message[data-mine=true]")
    mine.get_by_role("button", name="Delete").click()
    mine.get_by_role("button", name="Delete for everyone? Click again").click()
    mine.get_by_text("message deleted").wait_for()
    assert page.get_by_text("Lunch on Friday?").count() == 0


def test_requests_sent_are_withdrawn_and_blocked_people_unblocked(app: App, page: Any) -> None:
    alan_email, alan_token = app.account("Alan Turing")
    _, joan_token = app.account("Joan Clarke")
    _, max_token = app.account("Max Newman")
    variables = {"input": {"personId": person_id(app, joan_token), "note": ""}}
    assert (
        app.data(REQUEST_CONNECTION, variables, alan_token)["requestConnection"]["userErrors"] == []
    )
    variables = {"input": {"personId": person_id(app, max_token)}}
    assert app.data(BLOCK, variables, alan_token)["blockPerson"]["userErrors"] == []

    sign_in(page, app, alan_email, then="app/connections/")
    page.get_by_role("list", name="Requests you sent").get_by_text("Joan Clarke").wait_for()
    page.get_by_role("list", name="People you blocked").get_by_text("Max Newman").wait_for()
    shoot(page, "connections-sent-blocked")

    page.get_by_role("button", name="Withdraw the request to Joan Clarke").click()
    page.get_by_role("status").filter(
        has_text="You withdrew your request to Joan Clarke."
    ).first.wait_for()
    page.get_by_role("button", name="Unblock Max Newman").click()
    page.get_by_role("status").filter(has_text="You unblocked Max Newman.").first.wait_for()

    page.reload()
    page.get_by_text("No requests of yours are waiting.").wait_for()
    page.get_by_text("You have blocked nobody.").wait_for()

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
ACCEPT_CONNECTION = """
mutation ($input: AnswerConnectionInput!) {
  acceptConnection(input: $input) { connection { status } userErrors { message } }
}
"""
CREATE_EMPLOYER = """
mutation ($input: CreateOrganizationInput!) {
  createOrganization(input: $input) { organization { id } userErrors { message } }
}
"""
VERIFY_EMPLOYER = """
mutation ($input: OrganizationIdInput!) { verifyEmployer(input: $input) { userErrors { message } } }
"""
IMPORT_RESUME = """
mutation ($input: ImportResumeInput!) { importResume(input: $input) { userErrors { message } } }
"""
START_CONVERSATION = """
mutation ($input: StartConversationInput!) {
  startConversation(input: $input) { conversation { id isRequest } userErrors { message } }
}
"""
SEND_MESSAGE = """
mutation ($input: SendMessageInput!) { sendMessage(input: $input) { userErrors { message } } }
"""
PREFERENCES = "query { viewer { notificationPreferences { kind email } } }"
CONNECTIONS = "query { viewer { connections(first: 10) { edges { node { name } } } } }"


def person_id(app: App, token: str) -> str:
    return app.data(PERSON_ID, token=token)["viewer"]["person"]["id"]


def connect(app: App, asker_token: str, answerer_token: str) -> None:
    """Two people connected through the API: one asks, the other accepts."""
    variables = {"input": {"personId": person_id(app, answerer_token), "note": ""}}
    asked = app.data(REQUEST_CONNECTION, variables, asker_token)["requestConnection"]
    variables = {"input": {"connectionId": asked["connection"]["id"]}}
    accepted = app.data(ACCEPT_CONNECTION, variables, answerer_token)["acceptConnection"]
    assert accepted["connection"]["status"] == "ACCEPTED", accepted


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


def test_a_suggested_person_is_asked_to_connect(app: App, page: Any) -> None:
    lin_email, lin_token = app.account("Lin Chen")
    _, bo_token = app.account("Bo Park")
    _, kim_token = app.account("Kim Lee")
    connect(app, lin_token, bo_token)
    connect(app, bo_token, kim_token)  # Kim is a connection of Lin's connection

    sign_in(page, app, lin_email, then="app/connections/")
    suggestions = page.get_by_role("list", name="People you may know")
    suggestions.get_by_text("1 connection in common").wait_for()
    page.get_by_role("button", name="Connect with Kim Lee").click()
    page.get_by_role("status").filter(has_text="Request sent to Kim Lee.").first.wait_for()

    page.reload()
    page.get_by_role("list", name="Requests you sent").get_by_text("Kim Lee").wait_for()
    assert suggestions.get_by_text("Kim Lee").count() == 0

    # Bo's acceptance had notified Lin: she marks everything read at once.
    page.goto(app.page_url("app/notifications/"))
    page.get_by_text("Bo Park accepted your connection request").wait_for()
    page.get_by_role("button", name="Mark all read").click()
    page.get_by_role("status").filter(has_text="1 notification marked read.").wait_for()
    page.get_by_text("Nothing unread.").wait_for()
    assert app.data(NOTIFICATIONS, token=lin_token)["viewer"]["unreadNotificationCount"] == 0


def test_long_lists_show_more_from_the_next_page(app: App, page: Any) -> None:
    popular_email, popular_token = app.account("Popular Person")
    popular = person_id(app, popular_token)
    for number in range(21):
        _, token = app.account(f"Admirer {number:02}")
        variables = {"input": {"personId": popular, "note": ""}}
        assert (
            app.data(REQUEST_CONNECTION, variables, token)["requestConnection"]["userErrors"] == []
        )

    sign_in(page, app, popular_email, then="app/connections/")
    requests = page.get_by_role("list", name="Requests for you")
    requests.get_by_text("Admirer 19").wait_for()
    assert requests.locator("> li").count() == 20
    page.get_by_role("button", name="Show more").first.click()
    requests.get_by_text("Admirer 20").wait_for()
    assert requests.locator("> li").count() == 21

    page.goto(app.page_url("app/notifications/"))
    notifications = page.get_by_role("list", name="Notifications")
    page.get_by_text("21 unread.").wait_for()
    notifications.locator("> li").nth(19).wait_for()
    assert notifications.locator("> li").count() == 20
    page.get_by_role("button", name="Show more").click()
    notifications.locator("> li").nth(20).wait_for()
    assert notifications.get_by_text("Admirer 00 asked to connect with you").count() == 1


def test_a_message_request_is_accepted_and_new_messages_arrive_while_the_page_is_open(
    app: App, page: Any
) -> None:
    _, staff_token = app.account("Staff Person", staff=True)
    _, rita_token = app.account("Rita Recruiter")
    cara_email, cara_token = app.account("Cara Candidate")
    variables = {"input": {"name": "Globex Social", "kind": "EMPLOYER", "joinPolicy": "OPEN"}}
    created = app.data(CREATE_EMPLOYER, variables, rita_token)["createOrganization"]
    variables = {"input": {"organizationId": created["organization"]["id"]}}
    assert app.data(VERIFY_EMPLOYER, variables, staff_token)["verifyEmployer"]["userErrors"] == []
    document = {"basics": {"name": "Cara Candidate", "label": "Developer"}}
    variables = {"input": {"document": document, "visibility": "EMPLOYERS"}}
    assert app.data(IMPORT_RESUME, variables, cara_token)["importResume"]["userErrors"] == []
    variables = {
        "input": {"participantIds": [person_id(app, cara_token)], "message": "We are hiring!"}
    }
    started = app.data(START_CONVERSATION, variables, rita_token)["startConversation"]
    assert started["userErrors"] == [] and started["conversation"]["isRequest"], started

    sign_in(page, app, cara_email, then="app/messages/")
    row = page.locator(".confrere-app__conversation").filter(has_text="Rita Recruiter")
    row.get_by_text("Message request").wait_for()
    row.get_by_role("link", name="Rita Recruiter").click()
    page.get_by_text("This is a message request from Globex Social.").wait_for()
    page.get_by_text("We are hiring!").wait_for()
    shoot(page, "message-request")
    assert page.get_by_label("Your message").is_hidden()  # no reply before accepting
    page.get_by_role("button", name="Accept").click()
    page.get_by_role("status").filter(has_text="Request accepted: you may reply.").wait_for()
    page.get_by_label("Your message").fill("Tell me more.")
    page.get_by_role("button", name="Send").click()
    page.locator(".confrere-app__message-body").filter(has_text="Tell me more.").wait_for()

    # Rita answers through the API; the open page shows it without a reload (it polls).
    variables = {"input": {"conversationId": started["conversation"]["id"], "body": "Gladly."}}
    assert app.data(SEND_MESSAGE, variables, rita_token)["sendMessage"]["userErrors"] == []
    page.locator(".confrere-app__message-body").filter(has_text="Gladly.").wait_for(timeout=25_000)

    # Cara mutes the thread and archives it; it waits in her archived conversations.
    page.get_by_role("button", name="Mute").click()
    page.get_by_role("status").filter(has_text="Muted: you get no notifications of it.").wait_for()
    page.get_by_role("button", name="Archive").click()
    page.get_by_role("status").filter(has_text="Archived").wait_for()
    page.goto(app.page_url("app/messages/"))
    page.get_by_text("No conversations yet.").wait_for()
    page.get_by_role("link", name="Archived conversations").click()
    page.locator(".confrere-app__conversation").filter(has_text="Rita Recruiter").wait_for()
    shoot(page, "messages-archived")

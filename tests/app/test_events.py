"""Organizations and events from a browser: RSVP on a full event's board page and see your
place on the waitlist, then GOING once a seat frees up; the app's list of your groups' events
with your answers; join an OPEN organization from its board page (and leave it), ask to join
one that needs approval; signed out, the pages ask you to sign in and come back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.app.conftest import App, shoot, sign_in

CREATE_ORGANIZATION = """
mutation ($input: CreateOrganizationInput!) {
  createOrganization(input: $input) {
    organization { id slug url } userErrors { field code message }
  }
}
"""
CREATE_EVENT = """
mutation ($input: CreateEventInput!) {
  createEvent(input: $input) { event { id url } userErrors { field code message } }
}
"""
JOIN = """
mutation ($input: OrganizationIdInput!) {
  joinOrganization(input: $input) { membership { status } userErrors { field code message } }
}
"""
RSVP = """
mutation ($input: RsvpInput!) {
  rsvp(input: $input) { rsvp { status } userErrors { field code message } }
}
"""


def organization(app: App, token: str, name: str, policy: str = "OPEN") -> dict[str, Any]:
    variables = {"input": {"name": name, "kind": "MEETUP_GROUP", "joinPolicy": policy}}
    payload = app.data(CREATE_ORGANIZATION, variables, token)["createOrganization"]
    assert payload["userErrors"] == [], payload
    return payload["organization"]


def event(app: App, token: str, organization_id: str, title: str, **fields: Any) -> dict[str, Any]:
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
    variables = {
        "input": {
            "organizationId": organization_id, "title": title, "kind": "MEETUP",
            "format": "IN_PERSON", "startsAt": starts.isoformat(),
            "endsAt": (starts + timedelta(hours=2)).isoformat(), "timeZone": "Europe/Berlin",
            "venue": "The Back Room", **fields,
        }
    }  # fmt: skip
    payload = app.data(CREATE_EVENT, variables, token)["createEvent"]
    assert payload["userErrors"] == [], payload
    return payload["event"]


def join(app: App, token: str, organization_id: str) -> None:
    variables = {"input": {"organizationId": organization_id}}
    payload = app.data(JOIN, variables, token)["joinOrganization"]
    assert payload["userErrors"] == [], payload


def rsvp(app: App, token: str, event_id: str, response: str) -> str:
    variables = {"input": {"eventId": event_id, "response": response}}
    payload = app.data(RSVP, variables, token)["rsvp"]
    assert payload["userErrors"] == [], payload
    return str(payload["rsvp"]["status"])


def path_of(app: App, url: str) -> str:
    """A page's address on the site, without the server: `events/night-1a2b/`."""
    assert url.startswith(app.url), url
    return url.removeprefix(app.url).lstrip("/")


def on_the_site(app: App, path: str) -> None:
    """Wait for the server's rebuild to put the page `path` on the site."""
    app.wait_for(
        lambda: app.client.get(f"/{path}").status_code == 200, f"/{path} on the site", seconds=60
    )


def test_a_member_waits_in_line_for_a_full_event_and_gets_the_seat(app: App, page: Any) -> None:
    # given an open group, and its event of one seat that another member has taken
    _, owner = app.account("Olive Owner")
    group = organization(app, owner, "Waitlist Club")
    night = event(app, owner, group["id"], "One Seat Night", capacity=1)
    _, first = app.account("Bea First")
    join(app, first, group["id"])
    assert rsvp(app, first, night["id"], "GOING") == "GOING"
    email, member = app.account("Cleo Second")
    join(app, member, group["id"])
    night_path = path_of(app, night["url"])
    on_the_site(app, night_path)

    # when a visitor who is not signed in opens the event's page
    page.goto(app.page_url(night_path))
    page.get_by_text("0 spots left of 1").wait_for()
    sign_in_link = page.get_by_role("link", name="Sign in to RSVP")
    assert sign_in_link.get_attribute("href").endswith(f"?next=%2F{night_path.replace('/', '%2F')}")
    calendar = page.get_by_role("link", name="Add to calendar (.ics)")
    ics = app.client.get(calendar.evaluate("(link) => link.href"))
    assert ics.status_code == 200 and "One Seat Night" in ics.text
    assert ics.headers["content-type"].startswith("text/calendar")
    shoot(page, "event-signed-out")

    # and the member signs in, comes back and answers the full event
    sign_in(page, app, email, then=night_path)
    page.get_by_text("You have not answered yet.").wait_for()
    page.get_by_role("button", name="Join the waitlist").click()

    # then they see their place in line
    page.get_by_text("You are on the waitlist: number 1 in line.").wait_for()
    page.get_by_role("button", name="Leave the waitlist").wait_for()
    shoot(page, "event-waitlisted")

    # when the member going cancels, and the page is loaded again
    assert rsvp(app, first, night["id"], "NOT_GOING") == "NOT_GOING"
    page.reload()

    # then the seat is theirs
    page.get_by_text("You are going.").wait_for()
    page.get_by_text("0 spots left of 1").wait_for()
    shoot(page, "event-going")

    # and asking for a guest's seat when none is free is answered next to the guests field
    page.get_by_label("Guests you bring (0 to 5)").fill("1")
    page.get_by_role("button", name="Change guests").click()
    error = page.locator("#rsvp-guests-error")
    error.wait_for()
    assert "No seats for more guests" in error.inner_text()
    assert page.get_by_label("Guests you bring (0 to 5)").get_attribute("aria-invalid") == "true"
    shoot(page, "event-guests-error")

    # and the app's list of their groups' events says so, linking to the page
    page.goto(app.page_url("app/events/"))
    entry = page.locator(".confrere-app__event").filter(has_text="One Seat Night")
    entry.get_by_text("You are going").wait_for()
    assert entry.get_by_role("link", name="One Seat Night").get_attribute("href") == night["url"]
    shoot(page, "events")

    # and cancelling from the event's page frees the seat
    entry.get_by_role("link", name="One Seat Night").click()
    page.get_by_role("button", name="Cancel my RSVP").click()
    page.get_by_text("You are not going.").wait_for()
    page.get_by_text("1 spot left of 1").wait_for()


def test_a_members_only_event_is_answered_in_the_app(app: App, page: Any) -> None:
    # given a members-only event (it has no page on the board) of the member's group
    _, owner = app.account("Moe Owner")
    group = organization(app, owner, "Inner Circle")
    event(app, owner, group["id"], "Members Dinner", audience="MEMBERS_ONLY")
    email, member = app.account("Nia Member")
    join(app, member, group["id"])

    # when the member opens their events and answers it there
    sign_in(page, app, email, then="app/events/")
    entry = page.locator(".confrere-app__event").filter(has_text="Members Dinner")
    entry.get_by_text("Not answered").wait_for()
    entry.get_by_role("button", name="RSVP here").click()
    entry.get_by_label("Guests you bring (0 to 5)").fill("2")
    entry.get_by_role("button", name="I'm going").click()

    # then they are going with their guests
    entry.get_by_text("You are going with 2 guests.").wait_for()
    assert entry.locator(".confrere-app__rsvp-state").inner_text() == "You are going with 2 guests"
    shoot(page, "events-members-only")


def test_a_member_joins_an_open_organization_from_its_page(app: App, page: Any) -> None:
    # given an OPEN group on the board
    _, owner = app.account("Jo Owner")
    group = organization(app, owner, "Open Door Club")
    group_path = path_of(app, group["url"])
    on_the_site(app, group_path)
    email, _ = app.account("Kim Joiner")

    # when a visitor opens its page, they are asked to sign in to join
    page.goto(app.page_url(group_path))
    count = page.locator(".confrere-member-count")
    count.get_by_text("1 member", exact=True).wait_for()
    page.get_by_role("link", name="Sign in to join").wait_for()
    shoot(page, "organization-signed-out")

    # and once signed in, they join
    sign_in(page, app, email, then=group_path)
    page.get_by_role("button", name="Join").click()

    # then the button turns into Leave, and they are counted
    page.get_by_role("button", name="Leave").wait_for()
    count.get_by_text("2 members", exact=True).wait_for()
    page.get_by_text("You are a member of Open Door Club.").wait_for()
    page.get_by_role("status").get_by_text("Welcome: you joined Open Door Club.").wait_for()
    shoot(page, "organization-member")

    # and leaving turns it back
    page.get_by_role("button", name="Leave").click()
    page.get_by_role("button", name="Join").wait_for()
    count.get_by_text("1 member", exact=True).wait_for()


def test_asking_to_join_an_organization_that_approves_members(app: App, page: Any) -> None:
    # given a group whose admins approve each member, and one by invitation only
    _, owner = app.account("Ann Approver")
    group = organization(app, owner, "Approved Few", policy="APPROVAL")
    closed = organization(app, owner, "Invited Only", policy="INVITE_ONLY")
    group_path, closed_path = path_of(app, group["url"]), path_of(app, closed["url"])
    on_the_site(app, group_path)
    on_the_site(app, closed_path)
    email, _ = app.account("Ben Asker")

    # when a member asks to join the first
    sign_in(page, app, email, then=group_path)
    page.get_by_role("button", name="Ask to join").click()

    # then the request is pending
    page.get_by_text("You asked to join: pending until an owner or admin approves it.").wait_for()
    assert page.get_by_role("button", name="Ask to join").count() == 0
    shoot(page, "organization-pending")

    # and the other says it admits members by invitation only, with nothing to press
    page.goto(app.page_url(closed_path))
    page.get_by_text("Members join this organization by invitation only.").wait_for()
    assert page.locator(".confrere-app button").count() == 0

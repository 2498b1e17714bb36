"""The invitation link in a real browser: on a real `confrere serve` with no mail server, an
admin invites an address with no account; the `.eml` file's link opens the site's
account/invitation/ page, where the newcomer registers and joins in one step. Headless
Chromium through Playwright (skips with the reason when none can be launched)."""

from __future__ import annotations

import time
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from tests.conftest import LiveServer
from tests.people.test_account_pages import link_in, status
from tests.site.test_browser import TIMEOUT_MS, Site

REGISTER = """
mutation ($input: RegisterInput!) { register(input: $input) { token userErrors { code } } }
"""
CREATE_ORGANIZATION = """
mutation ($input: CreateOrganizationInput!) {
  createOrganization(input: $input) { organization { id } userErrors { code } }
}
"""
INVITE_MEMBER = """
mutation ($input: InviteMemberInput!) {
  inviteMember(input: $input) { invitation { status } userErrors { code } }
}
"""
VIEWER = "query { viewer { emailVerified } myMemberships { role status organization { name } } }"


def invitation_mail(server: LiveServer, address: str) -> EmailMessage:
    """The invitation written to the data dir for `address`, once it is there."""
    folder = Path(server.environment["CONFRERE_DATA_DIR"]) / "mail"
    deadline = time.monotonic() + 30
    while True:
        for path in folder.glob("*.eml"):
            message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
            assert isinstance(message, EmailMessage)
            if message["To"].addresses[0].addr_spec == address and "invited" in message["Subject"]:
                return message
        assert time.monotonic() < deadline, "no invitation was written"
        time.sleep(0.05)


def test_a_newcomer_registers_and_joins_from_the_invitation_link(
    live_server: LiveServer, browser: Any
) -> None:
    site = Site(live_server)
    site.build()

    # given an association whose owner invites an address nobody registered
    owner = {"email": "owner@example.org", "password": "a long enough password", "name": "Owner"}
    owner_token = site.data(REGISTER, {"input": owner})["register"]["token"]
    created = site.data(
        CREATE_ORGANIZATION,
        {
            "input": {
                "name": "Poly Alumni",
                "kind": "ALUMNI_ASSOCIATION",
                "joinPolicy": "INVITE_ONLY",
            }
        },
        owner_token,
    )["createOrganization"]
    invite = {
        "input": {"organizationId": created["organization"]["id"], "email": "new@example.org"}
    }
    invited = site.data(INVITE_MEMBER, invite, owner_token)["inviteMember"]
    assert invited == {"invitation": {"status": "PENDING"}, "userErrors": []}

    # when the newcomer opens the mailed link and registers on the page
    link = link_in(invitation_mail(live_server, "new@example.org"), "invitation")
    assert link.startswith(live_server.url + "/account/invitation/?token=")
    page = browser.new_page()
    page.goto(link)
    page.fill('form.confrere-register input[name="name"]', "New Comer")
    page.fill('form.confrere-register input[name="email"]', "new@example.org")
    page.fill('form.confrere-register input[name="password"]', "another long passphrase")
    page.click("form.confrere-register button")

    # then the page welcomes them (after "Joining…" while it joins), and they are an active
    # member with a verified address
    welcome = '.confrere-account-status[data-kind="ok"]:has-text("Welcome")'
    page.wait_for_selector(welcome, timeout=TIMEOUT_MS)
    login = {"email": "new@example.org", "password": "another long passphrase"}
    token = site.data(
        "mutation ($input: LoginInput!) { login(input: $input) { token } }", {"input": login}
    )["login"]["token"]
    viewer = site.data(VIEWER, {}, token)
    assert viewer["viewer"] == {"emailVerified": True}
    assert viewer["myMemberships"] == [
        {"role": "MEMBER", "status": "ACTIVE", "organization": {"name": "Poly Alumni"}}
    ]

    # and opening the link again says it was accepted already
    page.goto(link)
    page.fill('form.confrere-sign-in input[name="email"]', "new@example.org")
    page.fill('form.confrere-sign-in input[name="password"]', "another long passphrase")
    page.click("form.confrere-sign-in button")
    assert "accepted already" in status(page, "error")

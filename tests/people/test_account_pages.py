"""The README's walk-through in a real browser: on a real `confrere serve` with no mail
server, registering writes a verification email to the data dir's mail/ folder; its link
opens a page of the built site that verifies the address. Then a forgotten password, reset
through the site's pages and the `.eml` files. Headless Chromium through Playwright (skips
with the reason when none can be launched)."""

from __future__ import annotations

import time
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from tests.conftest import LiveServer
from tests.site.test_browser import TIMEOUT_MS, Site

REGISTER = """
mutation ($input: RegisterInput!) { register(input: $input) { token userErrors { code } } }
"""
LOGIN = "mutation ($input: LoginInput!) { login(input: $input) { token userErrors { code } } }"
VIEWER = "query { viewer { emailVerified } }"
PASSWORD = "a long enough password"
NEW_PASSWORD = "another long passphrase"


def mail_files(server: LiveServer) -> list[Path]:
    return sorted((Path(server.environment["CONFRERE_DATA_DIR"]) / "mail").glob("*.eml"))


def wait_for_mail(server: LiveServer, count: int) -> EmailMessage:
    """The `count`-th message written, once it is there (the deliverer runs in the server)."""
    deadline = time.monotonic() + 30
    while len(files := mail_files(server)) < count:
        assert time.monotonic() < deadline, f"{len(files)} messages written, waited for {count}"
        time.sleep(0.05)
    message = BytesParser(policy=policy.default).parsebytes(files[count - 1].read_bytes())
    assert isinstance(message, EmailMessage)
    return message


def link_in(message: EmailMessage, page: str) -> str:
    text = str(message.get_body(("plain",)).get_content())
    [line] = [w for w in text.split() if f"/account/{page}/?token=" in w]
    return line


def status(page: Any, kind: str) -> str:
    selector = f'.confrere-account-status[data-kind="{kind}"]'
    page.wait_for_selector(selector, timeout=TIMEOUT_MS)
    return page.inner_text(selector)


def test_the_verification_and_reset_links_work_in_a_browser(
    live_server: LiveServer, browser: Any
) -> None:
    site = Site(live_server)
    site.build()
    email = "newcomer@example.org"

    # given a newcomer who registers
    variables = {"input": {"email": email, "password": PASSWORD, "name": "New Comer"}}
    token = site.data(REGISTER, variables)["register"]["token"]

    # when the verification email lands in the data dir and its link is opened
    verification = wait_for_mail(live_server, 1)
    assert verification["To"].addresses[0].addr_spec == email
    link = link_in(verification, "verify-email")
    assert link.startswith(live_server.url + "/account/verify-email/?token=")
    page = browser.new_page()
    page.goto(link)

    # then the page says the address is verified, and the API agrees
    assert f"{email} is verified" in status(page, "ok")
    assert site.data(VIEWER, {}, token)["viewer"] == {"emailVerified": True}
    # and opening the link again says it was used
    page.goto(link)
    assert "used already" in status(page, "error")

    # when the member forgets the password and asks the reset page for a link
    page.goto(live_server.url + "/account/reset-password/")
    page.fill('input[name="email"]', email)
    page.click("form.confrere-request-reset button")
    assert "on its way" in status(page, "ok")

    # and follows the mailed link to choose a new password
    page.goto(link_in(wait_for_mail(live_server, 2), "reset-password"))
    page.fill('input[name="password"]', NEW_PASSWORD)
    page.click("form.confrere-new-password button")

    # then the page confirms, the old session is signed out, and the new password logs in
    assert "password is changed" in status(page, "ok")
    assert (
        site.client.post(
            "/graphql", json={"query": VIEWER}, headers={"Authorization": f"Bearer {token}"}
        ).status_code
        == 401
    )
    login = site.data(LOGIN, {"input": {"email": email, "password": NEW_PASSWORD}})["login"]
    assert login["token"]

"""Signing in from a browser: register on /app/register/, land on the app's home signed in
(by the HttpOnly cookie, which the page's JavaScript cannot read), sign out, sign in again on
/app/login/ (a wrong password is answered in words), and an app page asked for while signed out
sends you to sign in and back."""

from __future__ import annotations

from typing import Any

from tests.app.conftest import App, shoot, sign_in
from tests.conftest import PASSWORD


def test_a_newcomer_registers_signs_out_and_signs_in_again(app: App, page: Any) -> None:
    page.goto(app.page_url("app/register/"))
    shoot(page, "register")
    page.get_by_label("Name").fill("Ada Lovelace")
    page.get_by_label("Email").fill("ada.newcomer@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    page.wait_for_url(app.page_url("app/"))
    page.get_by_text("Signed in as Ada Lovelace (ada.newcomer@example.org).").wait_for()
    assert page.evaluate("document.cookie") == ""  # HttpOnly: out of the page's reach
    [cookie] = [c for c in page.context.cookies() if c["name"] == "confrere_session"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    shoot(page, "home")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(app.page_url("app/login/"))
    assert [c for c in page.context.cookies() if c["name"] == "confrere_session"] == []

    page.get_by_label("Email").fill("ada.newcomer@example.org")
    page.get_by_label("Password").fill("not the password at all")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("alert").filter(has_text="password").wait_for()
    shoot(page, "login-error")

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(app.page_url("app/"))
    page.get_by_text("Signed in as Ada Lovelace").wait_for()


def test_registration_errors_are_shown_next_to_their_field(app: App, page: Any) -> None:
    page.goto(app.page_url("app/register/"))
    page.get_by_label("Name").fill("Grace Hopper")
    page.get_by_label("Email").fill("grace.short@example.org")
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Create account").click()

    password = page.get_by_label("Password")
    error = page.locator("#field-password-error")
    error.wait_for()
    assert "at least 10 characters" in error.inner_text()
    assert password.get_attribute("aria-invalid") == "true"
    assert password.get_attribute("aria-describedby") == "field-password-error"
    shoot(page, "register-error")


def test_an_app_page_asks_to_sign_in_then_comes_back(app: App, page: Any) -> None:
    email, _ = app.account("Alan Turing")

    page.goto(app.page_url("app/"))
    page.wait_for_url("**/app/login/?next=%2Fapp%2F")

    sign_in(page, app, email)
    page.get_by_text("Signed in as Alan Turing").wait_for()


def test_the_app_s_element_builder_writes_text_and_never_a_script_address(
    app: App, page: Any
) -> None:
    page.goto(app.page_url("app/login/"))

    built = page.evaluate(
        """async () => {
          const { h } = await import("/assets/app/confrere.js");
          const hostile = "<img src=x onerror=alert(1)>";
          const links = ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\\tscript:x",
                         "data:text/html,<script>alert(1)</script>", "https://example.org/",
                         "/jobs/", "mailto:a@example.org"];
          return {
            text: h("p", {}, hostile).innerHTML,
            hrefs: links.map((href) => h("a", { href: href }).getAttribute("href")),
          };
        }"""
    )

    assert built["text"] == "&lt;img src=x onerror=alert(1)&gt;"
    assert built["hrefs"] == [
        None,
        None,
        None,
        None,
        "https://example.org/",
        "/jobs/",
        "mailto:a@example.org",
    ]

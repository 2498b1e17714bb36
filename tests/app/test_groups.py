"""Associations in the member app: an alumni association's admin lists their organizations,
opens its admin page, approves a request to join, imports a roster CSV chosen as a file and
reads its report, and downloads the directory (a JSON POST the session cookie authenticates);
a member browses the directory, searches it and narrows it by clicking a facet; anyone creates
an organization. Seeded through the API; driven through the browser."""

from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path
from typing import Any

import pytest

from tests.app.conftest import App, shoot, sign_in

CREATE_ORGANIZATION = """
mutation ($input: CreateOrganizationInput!) {
  createOrganization(input: $input) { organization { id slug } userErrors { message } }
}
"""
JOIN = """
mutation ($input: OrganizationIdInput!) {
  joinOrganization(input: $input) { membership { id status } userErrors { message } }
}
"""
APPROVE = """
mutation ($input: MembershipIdInput!) {
  approveMembership(input: $input) { membership { status } userErrors { message } }
}
"""
UPDATE_MEMBERSHIP_PROFILE = """
mutation ($input: UpdateMembershipProfileInput!) {
  updateMembershipProfile(input: $input) { userErrors { message } }
}
"""
DIRECTORY = """
query ($organizationId: ID!) { directory(organizationId: $organizationId) { totalCount } }
"""
MEMBERSHIP_STATUS = "{ myMemberships { status organization { slug } } }"

_names = itertools.count(1)


def _join(app: App, token: str, organization_id: str) -> str:
    payload = app.data(JOIN, {"input": {"organizationId": organization_id}}, token)
    assert payload["joinOrganization"]["userErrors"] == [], payload
    return payload["joinOrganization"]["membership"]["id"]


@pytest.fixture(scope="module")
def association(app: App) -> dict[str, Any]:
    """An ALUMNI_ASSOCIATION that approves requests: Ada and Bob are members with alumni facts,
    Carl has asked to join, and Dora belongs to nothing."""
    name = f"Polytechnic Alumni {next(_names)}"
    owner_email, owner = app.account("Olga Owner")
    created = app.data(
        CREATE_ORGANIZATION,
        {"input": {"name": name, "kind": "ALUMNI_ASSOCIATION", "joinPolicy": "APPROVAL"}},
        owner,
    )["createOrganization"]
    assert created["userErrors"] == [], created
    organization_id, slug = created["organization"]["id"], created["organization"]["slug"]
    people: dict[str, Any] = {"owner": (owner_email, owner)}
    facts = {
        "ada": ("Ada Lovelace", {"school": "ETH Zurich", "degree": "MSc", "classYear": 2015}),
        "bob": ("Bob Babbage", {"school": "ETH Zurich", "degree": "BSc", "classYear": 2001}),
    }
    for key, (person, fields) in facts.items():
        email, token = app.account(person)
        membership = _join(app, token, organization_id)
        approved = app.data(APPROVE, {"input": {"membershipId": membership}}, owner)
        assert approved["approveMembership"]["userErrors"] == [], approved
        profile = app.data(
            UPDATE_MEMBERSHIP_PROFILE, {"input": {"membershipId": membership, **fields}}, token
        )
        assert profile["updateMembershipProfile"]["userErrors"] == [], profile
        people[key] = (email, token)
    carl_email, carl = app.account("Carl Clark")
    _join(app, carl, organization_id)
    people["carl"] = (carl_email, carl)
    people["dora"] = app.account("Dora Dent")

    def indexed() -> bool:
        found = app.data(DIRECTORY, {"organizationId": organization_id}, people["ada"][1])
        return found["directory"]["totalCount"] == 3

    app.wait_for(indexed, "the directory to hold the owner, Ada and Bob")
    return {"name": name, "id": organization_id, "slug": slug, **people}


def test_an_admin_approves_a_request_imports_a_roster_and_downloads_the_directory(
    app: App, page: Any, association: dict[str, Any], tmp_path: Path
) -> None:
    name, slug = association["name"], association["slug"]
    sign_in(page, app, association["owner"][0], then="app/organizations/")
    page.get_by_role("heading", name="Organizations you belong to").wait_for()
    page.get_by_text("Alumni association; you are owner").wait_for()
    shoot(page, "organizations")

    page.get_by_role("link", name=f"Run {name}").click()
    page.wait_for_url(app.page_url(f"app/organizations/admin/?organization={slug}"))
    page.get_by_role("heading", name=f"Run {name}").wait_for()

    # Carl asked to join: the admin lets him in.
    page.get_by_role("button", name="Approve Carl Clark").click()
    page.get_by_text("Carl Clark is now a member.").wait_for()
    page.get_by_text("Nobody is waiting for an answer.").wait_for()
    members = page.locator("#members").locator("xpath=..")
    members.get_by_role("rowheader", name="Carl Clark").wait_for()
    carl = app.data(MEMBERSHIP_STATUS, token=association["carl"][1])["myMemberships"]
    assert [m["status"] for m in carl if m["organization"]["slug"] == slug] == ["ACTIVE"]

    # The roster: Ada is a member (verified), Dora has an account but is no member, one
    # address has no account, and one row is no address at all.
    roster = (
        "email,name,school,degree,class_year\n"
        f"{association['ada'][0]},Ada Lovelace,ETH Zurich,MSc,2015\n"
        f"{association['dora'][0]},Dora Dent,ETH Zurich,BSc,2010\n"
        "nobody.here@example.org,No Body,ETH Zurich,PhD,1999\n"
        "not an address,Bad Row,ETH Zurich,MSc,2000\n"
    )
    page.get_by_label("Roster file (CSV)").set_input_files(
        {"name": "roster.csv", "mimeType": "text/csv", "buffer": roster.encode()}
    )
    page.get_by_text("roster.csv is read").wait_for()
    assert page.get_by_label("Or paste the roster").input_value() == roster
    page.get_by_role("button", name="Import the roster").click()
    page.get_by_role("heading", name="Import report").wait_for()

    counts = dict(
        zip(
            page.locator(".confrere-app__counts dt").all_inner_texts(),
            page.locator(".confrere-app__counts dd").all_inner_texts(),
            strict=True,
        )
    )
    assert counts["Rows read"] == "4"
    assert counts["Members verified"] == "1"
    assert counts["Rows that matched nobody"] == "3"
    table = page.get_by_role("table", name="Rows that matched nobody")
    rows = [row.locator("td").all_inner_texts() for row in table.locator("tbody tr").all()]
    by_line = {row[0]: row for row in rows}
    assert set(by_line) == {"3", "4", "5"}
    assert by_line["3"][1:3] == [association["dora"][0], "Not a member"]
    assert by_line["4"][1:3] == ["nobody.here@example.org", "No account"]
    assert by_line["5"][2] == "Invalid row"
    ada_row = members.get_by_role("row").filter(has_text="Ada Lovelace")
    ada_row.get_by_text("Verified").first.wait_for()
    ada_row.get_by_role("button", name="Withdraw Ada Lovelace's verification").wait_for()
    shoot(page, "organization-admin")

    # Verify Bob by hand.
    page.get_by_role("button", name="Verify Bob Babbage").click()
    page.get_by_text("Bob Babbage's alumni facts are verified.").wait_for()
    members.get_by_role("button", name="Withdraw Bob Babbage's verification").wait_for()

    # The directory export: a POST the session cookie authenticates, saved as a download.
    with page.expect_download() as downloading:
        page.get_by_role("button", name="Download as CSV (spreadsheet)").click()
    download = downloading.value
    assert download.suggested_filename == f"{slug}-directory.csv"
    saved = tmp_path / "directory.csv"
    download.save_as(saved)
    exported = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8"))))
    assert {"Ada Lovelace", "Bob Babbage", "Olga Owner"} <= {row["name"] for row in exported}
    page.get_by_text("The spreadsheet is downloaded.").wait_for()


def test_a_member_cannot_open_the_admin_page(
    app: App, page: Any, association: dict[str, Any]
) -> None:
    slug = association["slug"]
    sign_in(page, app, association["bob"][0], then=f"app/organizations/admin/?organization={slug}")
    page.get_by_role("status").filter(has_text="Only the owners and admins").wait_for()
    assert page.get_by_role("heading", name="Requests to join").count() == 0
    page.get_by_role("link", name=f"Browse the directory of {association['name']}").wait_for()


def test_a_member_searches_the_directory_and_narrows_it_by_a_facet(
    app: App, page: Any, association: dict[str, Any]
) -> None:
    name, slug = association["name"], association["slug"]
    sign_in(page, app, association["ada"][0], then="app/organizations/")
    page.get_by_role("link", name=f"Directory of {name}").click()
    page.wait_for_url(app.page_url(f"app/directory/?organization={slug}"))
    page.get_by_role("heading", name=f"Directory of {name}").wait_for()
    page.get_by_text("members; showing").wait_for()
    assert page.get_by_role("link", name=f"Run {name}").count() == 0
    results = page.locator(".confrere-app__results > li")
    assert results.count() >= 3
    shoot(page, "directory")

    page.get_by_label("Search members").fill("ETH")
    page.get_by_role("button", name="Search").click()
    page.get_by_text("2 members; showing 2.").wait_for()
    assert sorted(results.locator("strong").all_inner_texts()) == ["Ada Lovelace", "Bob Babbage"]

    page.get_by_role("button", name="Degree: MSc (1 member)").click()
    page.get_by_text("1 member; showing 1.").wait_for()
    assert results.locator("strong").all_inner_texts() == ["Ada Lovelace"]
    page.get_by_role("button", name="Remove the filter Degree: MSc").wait_for()
    shoot(page, "directory-facet")

    page.get_by_role("button", name="Remove the filter Degree: MSc").click()
    page.get_by_text("2 members; showing 2.").wait_for()


def test_a_member_creates_an_organization(app: App, page: Any) -> None:
    email, _ = app.account("Nora Newcomer")
    name = f"Riverside Chess Club {next(_names)}"
    sign_in(page, app, email, then="app/organizations/")
    page.get_by_text("You belong to no organization yet.").wait_for()

    page.get_by_role("button", name="Create the organization").click()
    page.locator("#field-name-error").wait_for()  # a name is required, said next to it

    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Kind").select_option("CLUB")
    page.get_by_label("Who may join").select_option("OPEN")
    page.get_by_role("button", name="Create the organization").click()
    page.get_by_text(f"{name} is created, with you as its owner.").wait_for()
    page.get_by_role("link", name=f"Run {name}").wait_for()
    page.get_by_text("Club; you are owner; 1 member.").wait_for()
    shoot(page, "organizations-created")


def test_an_admin_invites_people_and_the_invitee_accepts_in_the_app(
    app: App, page: Any, association: dict[str, Any]
) -> None:
    name, slug = association["name"], association["slug"]
    eve_email, _ = app.account("Eve Evans")
    stranger = f"stranger.{next(_names)}@example.org"
    sign_in(
        page, app, association["owner"][0], then=f"app/organizations/admin/?organization={slug}"
    )
    page.get_by_role("heading", name="Invitations", exact=True).wait_for()

    # A roster the API cannot read is answered next to the text.
    page.get_by_label("Or paste the roster").fill("name\nNo Email\n")
    page.get_by_role("button", name="Import the roster").click()
    error = page.locator("#roster-csv-error")
    error.wait_for()
    assert "email" in error.inner_text().lower()
    assert page.get_by_label("Or paste the roster").get_attribute("aria-invalid") == "true"

    page.get_by_label("Email of the person to invite").fill(eve_email)
    page.get_by_role("button", name="Send the invitation").click()
    page.get_by_text(f"{eve_email} is invited").wait_for()
    page.get_by_role("button", name="Withdraw Eve Evans's invitation").wait_for()

    page.get_by_label("Email of the person to invite").fill(stranger)
    page.get_by_role("button", name="Send the invitation").click()
    page.get_by_text(f"An invitation is mailed to {stranger}.").wait_for()
    page.get_by_role("button", name=f"Revoke the invitation to {stranger}").click()
    page.get_by_text(f"The invitation to {stranger} is revoked.").wait_for()
    page.get_by_role("button", name=f"Send it again to {stranger}").wait_for()
    assert page.get_by_role("button", name=f"Revoke the invitation to {stranger}").count() == 0
    shoot(page, "organization-admin-invitations")

    page.context.clear_cookies()
    sign_in(page, app, eve_email, then="app/organizations/")
    page.get_by_role("heading", name="Invitations for you").wait_for()
    shoot(page, "organizations-invited")
    page.get_by_role("button", name=f"Accept the invitation to {name}").click()
    page.get_by_text(f"You are now a member of {name}.").wait_for()
    page.get_by_role("link", name=f"Directory of {name}").wait_for()
    assert page.get_by_role("heading", name="Invitations for you").count() == 0

"""The job seeker's member app in a browser: register on /app/register/, upload the JSON Resume
sample on /app/resumes/, show it to verified employers, apply to a job from its board page,
and see the application and its stage on /app/applications/. A file that is not JSON is
refused next to the file field; a field error from the API is shown next to its field. The
profile and saved searches pages work the same way."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.app.conftest import App, shoot, sign_in
from tests.conftest import CREATE_ORGANIZATION, PASSWORD

SAMPLE = (
    Path(__file__).resolve().parents[2] / "api" / "resumes" / "jsonresume" / "sample.resume.json"
)

APPLICANTS = """
query ($id: ID!) {
  node(id: $id) {
    ... on Job { applications { edges { node { stage resume { title visibility } } } } }
  }
}
"""
MY_RESUMES = """
query { viewer { person { resumes { edges { node { title visibility basics { name } } } } } } }
"""


def employer_with_job(app: App, name: str, title: str) -> tuple[str, str, str]:
    """A verified employer with one published posting: (recruiter's token, job id, job url)."""
    employer = app.employer(name)
    job = app.published_job(
        employer,
        title=title,
        description="Keep the **pipelines** flowing.",
        employmentType=["FULL_TIME"],
        workplaceType="REMOTE",
        applicantCountries=["US"],
    )
    return employer.recruiter, job["id"], job["url"]


def board_path(url: str) -> str:
    """The posting's page on this server (its url names the site's configured address)."""
    return "jobs/" + url.rstrip("/").rsplit("/jobs/", 1)[1] + "/"


def test_a_job_seeker_registers_uploads_a_resume_and_applies(app: App, page: Any) -> None:
    # given a verified employer with a published posting, on the board
    recruiter, job_id, job_url = employer_with_job(app, "Hooli XYZ", "Compression Engineer")
    job_page = board_path(job_url)
    app.build_site()

    # when a visitor opens the posting's page, it asks them to sign in to apply
    page.goto(app.page_url(job_page))
    sign_in_link = page.get_by_role("link", name="Sign in to apply")
    sign_in_link.wait_for()
    assert sign_in_link.get_attribute("href").endswith(  # type: ignore[union-attr]
        "app/login/?next=" + "%2F" + job_page.replace("/", "%2F")
    )
    shoot(page, "job-signed-out")

    # and a job seeker registers on /app/register/
    page.goto(app.page_url("app/register/"))
    page.get_by_label("Name").fill("Richard Hendriks")
    page.get_by_label("Email").fill("richard.seeker@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(app.page_url("app/"))

    # then uploads the JSON Resume sample on /app/resumes/
    page.goto(app.page_url("app/resumes/"))
    page.get_by_text("You have no resume yet").wait_for()
    shoot(page, "resumes-empty")
    page.get_by_label("JSON Resume file").set_input_files(str(SAMPLE))
    page.get_by_label("Title (optional)").fill("Engineering resume")
    page.get_by_role("button", name="Upload resume").click()
    page.get_by_role("heading", name="Editing: Engineering resume").wait_for()
    assert page.get_by_label("Name", exact=True).first.input_value() == "Richard Hendriks"
    assert page.locator('[name="work[0].name"]').input_value() == "Pied Piper"

    # and makes it visible to verified employers
    page.locator("#resume-visibility").select_option("EMPLOYERS")
    page.get_by_role("button", name="Save audience").click()
    page.get_by_text("Engineering resume is now visible to: Verified employers.").wait_for()
    page.locator("li[data-resume-id]").filter(has_text="visible to: Verified employers").wait_for()
    shoot(page, "resumes")

    # and applies from the posting's board page with that resume and a note
    page.goto(app.page_url(job_page))
    page.get_by_label("Resume to share with the employer").wait_for()
    selected = page.get_by_label("Resume to share with the employer").evaluate(
        "select => select.selectedOptions[0].textContent"
    )
    assert selected == "Engineering resume"
    page.get_by_label("Note to the employer (optional)").fill("I can make it middle-out.")
    shoot(page, "job-apply")
    page.get_by_role("button", name="Apply", exact=True).click()
    page.get_by_text("Your application is sent.").wait_for()
    shoot(page, "job-applied")

    # then the employer sees the application, with the shared resume
    applicants = app.data(APPLICANTS, {"id": job_id}, recruiter)["node"]["applications"]["edges"]
    assert [a["node"]["stage"] for a in applicants] == ["SUBMITTED"]
    assert applicants[0]["node"]["resume"]["title"] == "Engineering resume"

    # and the posting's page now says they applied already
    page.reload()
    page.get_by_text("You have applied to this job already.").wait_for()

    # and /app/applications/ lists it with its stage
    page.get_by_role("link", name="See your applications").click()
    page.wait_for_url(app.page_url("app/applications/"))
    item = page.locator("li.confrere-app__application")
    item.filter(has_text="Compression Engineer").wait_for()
    assert item.locator(".confrere-app__stage").inner_text() == "Submitted"
    assert "with Engineering resume" in item.inner_text()
    assert "Hooli XYZ" in item.inner_text()
    shoot(page, "applications")

    # and withdrawing it moves it to its last stage
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Withdraw from Compression Engineer").click()
    page.get_by_text("Your application to Compression Engineer is withdrawn.").wait_for()
    assert item.locator(".confrere-app__stage").inner_text() == "Withdrawn"
    assert page.get_by_role("button", name="Withdraw from Compression Engineer").count() == 0


def test_a_file_that_is_not_json_is_refused_next_to_the_file_field(
    app: App, page: Any, tmp_path: Path
) -> None:
    email, token = app.account("Gilfoyle")
    not_json = tmp_path / "resume.json"
    not_json.write_text("Bertram Gilfoyle, systems architect\n")
    invalid = tmp_path / "invalid.json"
    invalid.write_text(json.dumps({"basics": {"name": "Gilfoyle", "email": "not an address"}}))
    sign_in(page, app, email, then="app/resumes/")

    # when they upload a file that is not JSON
    page.get_by_label("JSON Resume file").set_input_files(str(not_json))
    page.get_by_role("button", name="Upload resume").click()

    # then the error is next to the file field, and nothing is stored
    error = page.locator("#field-file-error")
    error.wait_for()
    assert "resume.json is not a JSON file" in error.inner_text()
    assert page.get_by_label("JSON Resume file").get_attribute("aria-invalid") == "true"
    shoot(page, "resumes-not-json")

    # and a JSON file the schema refuses is answered with the place and the problem
    page.get_by_label("JSON Resume file").set_input_files(str(invalid))
    page.get_by_role("button", name="Upload resume").click()
    page.locator("#field-file-error").filter(has_text="basics.email").wait_for()
    assert app.data(MY_RESUMES, token=token)["viewer"]["person"]["resumes"]["edges"] == []


def test_an_api_error_is_shown_next_to_its_field(app: App, page: Any) -> None:
    email, _ = app.account("Dinesh")
    sign_in(page, app, email, then="app/profile/")

    # given the profile page, filled in from the profile
    name = page.get_by_label("Name", exact=True)
    name.wait_for()
    assert name.input_value() == "Dinesh"

    # when they give a country code that is not one, and save
    page.get_by_label("Headline").fill("Java developer")
    page.get_by_label("Country code (like DE or US)").fill("Germany")
    page.get_by_role("button", name="Save profile").click()

    # then the API's error is shown next to the country field
    error = page.locator("#field-countryCode-error")
    error.wait_for()
    assert "two-letter ISO 3166 code" in error.inner_text()
    country = page.get_by_label("Country code (like DE or US)")
    assert country.get_attribute("aria-invalid") == "true"
    shoot(page, "profile-error")

    # and once corrected, with a link, the profile is saved
    country.fill("US")
    page.get_by_role("button", name="Add a link").click()
    page.get_by_label("Site (like GitHub)").fill("GitHub")
    page.get_by_label("Address").fill("https://github.example.org/dinesh")
    page.get_by_role("button", name="Save profile").click()
    page.get_by_text("Your profile is saved.").wait_for()
    page.reload()
    page.get_by_label("Headline").wait_for()
    assert page.get_by_label("Headline").input_value() == "Java developer"
    assert page.get_by_label("Address").input_value() == "https://github.example.org/dinesh"
    shoot(page, "profile")


def test_a_job_seeker_saves_a_search_with_alerts_and_runs_it(app: App, page: Any) -> None:
    employer_with_job(app, "Endframe", "Pipeline Engineer")
    email, _ = app.account("Jared")
    sign_in(page, app, email, then="app/saved-searches/")
    page.get_by_text("You have no saved search yet.").wait_for()

    # when they save a search for remote pipeline jobs, alerted weekly
    page.get_by_label("Name (optional)").fill("Remote pipelines")
    page.get_by_label("Search words").fill("pipelines")
    page.get_by_label("Remote").check()
    page.get_by_label("Alerts", exact=True).select_option("WEEKLY")
    page.get_by_role("button", name="Save search").click()
    page.get_by_text("Remote pipelines is saved.").wait_for()
    saved = page.locator("li[data-saved-search-id]")
    assert "new since last run" in saved.inner_text()
    assert page.get_by_label("Alerts for Remote pipelines").input_value() == "WEEKLY"

    # and change its alerts, then run it
    page.get_by_label("Alerts for Remote pipelines").select_option("DAILY")
    page.get_by_role("button", name="Save alerts").click()
    page.get_by_text("Alerts for Remote pipelines: Daily.").wait_for()
    page.get_by_role("button", name="Run Remote pipelines").click()
    saved.locator(".confrere-app__results").get_by_text("Pipeline Engineer").wait_for()
    shoot(page, "saved-searches")

    # and a malformed query is answered next to the query field
    page.get_by_label("Search words").fill('"unclosed')
    page.get_by_role("button", name="Save search").click()
    page.locator("#field-query-error").wait_for()

    # and deleting the search removes it
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete Remote pipelines").click()
    page.get_by_text("Remote pipelines is deleted.").wait_for()
    assert saved.count() == 0


IMPORT_RESUME = """
mutation ($input: ImportResumeInput!) {
  importResume(input: $input) { resume { id } userErrors { field message } }
}
"""
RESUME = "query ($id: ID!) { resume(id: $id) { title jsonResume } }"
OPEN_TO_WORK = """
query { viewer { resumeExclusions person { openToWork { titles workplaceTypes audience } } } }
"""


def test_a_job_seeker_edits_exports_and_deletes_a_resume(app: App, page: Any) -> None:
    # given a resume imported from the sample, and an employer on the network
    email, token = app.account("Monica Hall")
    document = json.loads(SAMPLE.read_text())
    variables = {"input": {"document": document, "title": "Sample resume"}}
    imported = app.data(IMPORT_RESUME, variables, token)["importResume"]
    assert imported["userErrors"] == []
    resume_id = imported["resume"]["id"]
    variables = {"input": {"name": "Raviga Capital", "kind": "EMPLOYER", "joinPolicy": "OPEN"}}
    created = app.data(CREATE_ORGANIZATION, variables, token)["createOrganization"]
    raviga = created["organization"]["id"]
    sign_in(page, app, email, then="app/resumes/")
    page.get_by_role("button", name="Edit Sample resume").click()
    page.get_by_role("heading", name="Editing: Sample resume").wait_for()

    # when the basics get an email that is not one, the API's error is next to that field
    basics_email = page.locator('[name="basics.email"]')
    basics_email.fill("not an address")
    page.get_by_role("button", name="Save basics").click()
    page.locator('[id="field-basics.email-error"]').wait_for()
    assert basics_email.get_attribute("aria-invalid") == "true"
    shoot(page, "resume-basics-error")
    basics_email.fill("monica@raviga.example.com")
    page.get_by_label("Label (like Programmer)").fill("Investor")
    page.get_by_role("button", name="Save basics").click()
    page.get_by_text("The basics are saved.").wait_for()

    # and a work entry is added, another removed
    page.get_by_role("button", name="Add a work entry").click()
    page.locator('[name="work[1].name"]').fill("Raviga Capital")
    page.locator('[name="work[1].position"]').fill("Partner")
    page.locator('[name="work[1].startDate"]').fill("2015-03")
    page.get_by_role("button", name="Remove work entry 1").click()
    assert page.locator('[name="work[0].name"]').input_value() == "Raviga Capital"
    page.get_by_role("button", name="Save work").click()
    page.get_by_text("The work entries are saved.").wait_for()

    # and a section that is not JSON is refused next to it; an empty one is removed
    education = page.get_by_label("Education (JSON)")
    education.fill("[{not json")
    page.get_by_role("button", name="Save other sections").click()
    page.locator("#field-education-error").wait_for()
    education.fill("")
    page.get_by_role("button", name="Save other sections").click()
    page.get_by_text("The other sections are saved.").wait_for()

    # then the stored document has every change
    saved = app.data(RESUME, {"id": resume_id}, token)["resume"]["jsonResume"]
    assert saved["basics"]["email"] == "monica@raviga.example.com"
    assert saved["basics"]["label"] == "Investor"
    assert saved["basics"]["name"] == "Richard Hendriks"  # untouched fields stay
    assert [(w["name"], w["position"], w["startDate"]) for w in saved["work"]] == [
        ("Raviga Capital", "Partner", "2015-03")
    ]
    assert "education" not in saved
    assert saved["skills"] == document["skills"]

    # and the download is that document, built in the browser
    with page.expect_download() as download:
        page.get_by_role("button", name="Download as JSON Resume").click()
    assert download.value.suggested_filename == "Sample-resume.json"
    assert json.loads(Path(download.value.path()).read_text()) == saved

    # when they say they are open to remote work, then are no longer
    page.get_by_label("Titles you want (comma separated)").fill("Partner, Investor")
    page.get_by_label("Remote").check()
    page.get_by_role("button", name="Set open to work").click()
    page.get_by_text("You are open to work (shown to verified employers)").wait_for()
    signal = app.data(OPEN_TO_WORK, token=token)["viewer"]
    assert signal["person"]["openToWork"]["titles"] == ["Partner", "Investor"]
    assert signal["person"]["openToWork"]["workplaceTypes"] == ["REMOTE"]
    shoot(page, "resume-editor")
    page.get_by_role("button", name="No longer open to work").click()
    page.get_by_text("You are not marked as open to work.").wait_for()
    assert app.data(OPEN_TO_WORK, token=token)["viewer"]["person"]["openToWork"] is None

    # and exclude an employer from seeing them
    page.get_by_label("Raviga Capital").check()
    page.get_by_role("button", name="Save excluded employers").click()
    page.get_by_text("Excluded employers saved (1).").wait_for()
    assert app.data(OPEN_TO_WORK, token=token)["viewer"]["resumeExclusions"] == [raviga]

    # and delete the resume
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete this resume").click()
    page.get_by_text("Sample resume is deleted.").wait_for()
    page.get_by_text("You have no resume yet").wait_for()
    assert app.data(RESUME, {"id": resume_id}, token)["resume"] is None


SAVE_JOB_SEARCH = """
mutation ($input: SaveJobSearchInput!) {
  saveJobSearch(input: $input) { savedJobSearch { id } userErrors { field message } }
}
"""


def test_a_long_list_shows_more_through_the_api_cursor(app: App, page: Any) -> None:
    # given 21 saved searches, one more than a page
    email, token = app.account("Big Head")
    for number in range(21):
        variables = {"input": {"name": f"Search {number:02}", "query": f"topic{number}"}}
        assert app.data(SAVE_JOB_SEARCH, variables, token)["saveJobSearch"]["userErrors"] == []
    sign_in(page, app, email, then="app/saved-searches/")

    # when the page opens it shows the first 20, and "Show more" brings the last one
    items = page.locator("li[data-saved-search-id]")
    more = page.get_by_role("button", name="Show more")
    more.wait_for()
    assert items.count() == 20
    more.click()
    # (a locator waits inside the page without eval, which the app's CSP refuses)
    items.nth(20).wait_for()
    assert items.count() == 21
    assert more.is_hidden()
    names = items.locator("h3").all_inner_texts()
    assert sorted(names) == [f"Search {number:02}" for number in range(21)]

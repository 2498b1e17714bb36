"""Job fields over HTTP: one name for employment types, and importJob reading everything a
JSON Resume job document says (salary text, experience, keys of its own) or saying why not."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import pytest

from tests.conftest import GraphQLClient
from tests.factories import Employer, employer

SAMPLE_JOB = json.loads(
    (resources.files("api.resumes") / "jsonresume" / "sample.job.json").read_text()
)
CREATE = """
mutation ($input: CreateJobInput!) {
  createJob(input: $input) { job { id employmentTypes } userErrors { field code message } }
}
"""
IMPORT = """
mutation ($input: ImportJobInput!) {
  importJob(input: $input) {
    job { id salary { currency min max unit } experienceMonths jsonJob }
    userErrors { field code message }
  }
}
"""
INPUT_FIELDS = """
query {
  __type(name: "CreateJobInput") {
    inputFields(includeDeprecated: true) { name isDeprecated deprecationReason }
  }
}
"""
MY_JOBS = "query { jobs(first: 10) { totalCount } }"


@pytest.fixture
def microsoft(graphql: GraphQLClient) -> Employer:
    """The employer the sample job document names."""
    return employer(graphql, "Microsoft", recruiter="Mia")


def create(graphql: GraphQLClient, microsoft: Employer, **fields: Any) -> dict:
    values = {
        "organizationId": microsoft.id,
        "title": "Backend Engineer",
        "locations": [{"city": "Berlin", "countryCode": "DE"}],
        **fields,
    }
    return graphql.data(CREATE, {"input": values}, token=microsoft.recruiter.token)["createJob"]


def import_job(graphql: GraphQLClient, microsoft: Employer, document: Any) -> dict:
    variables = {"input": {"organizationId": microsoft.id, "document": document}}
    return graphql.data(IMPORT, variables, token=microsoft.recruiter.token)["importJob"]


def test_employment_types_go_in_under_the_name_they_come_out_under(
    graphql: GraphQLClient, microsoft: Employer
) -> None:
    payload = create(graphql, microsoft, employmentTypes=["FULL_TIME", "CONTRACTOR"])

    assert payload["userErrors"] == []
    assert payload["job"]["employmentTypes"] == ["FULL_TIME", "CONTRACTOR"]


def test_the_old_input_name_still_works_and_is_deprecated(
    graphql: GraphQLClient, microsoft: Employer
) -> None:
    payload = create(graphql, microsoft, employmentType=["PART_TIME"])
    assert payload["job"]["employmentTypes"] == ["PART_TIME"]

    fields = graphql.data(INPUT_FIELDS)["__type"]["inputFields"]
    by_name = {field["name"]: field for field in fields}
    assert by_name["employmentTypes"]["isDeprecated"] is False
    assert by_name["employmentType"]["isDeprecated"] is True
    assert "employmentTypes" in by_name["employmentType"]["deprecationReason"]


def test_two_differing_lists_are_a_user_error(graphql: GraphQLClient, microsoft: Employer) -> None:
    payload = create(
        graphql, microsoft, employmentTypes=["FULL_TIME"], employmentType=["PART_TIME"]
    )

    assert payload["job"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
        ("employmentType", "INVALID")
    ]


def test_the_sample_jobs_salary_text_becomes_its_salary(
    graphql: GraphQLClient, microsoft: Employer
) -> None:
    payload = import_job(graphql, microsoft, SAMPLE_JOB)

    assert payload["userErrors"] == []
    # "100000" in Berlin: euros a year, the document exported as written
    assert payload["job"]["salary"] == {
        "currency": "EUR",
        "min": 100000,
        "max": 100000,
        "unit": "YEAR",
    }
    assert payload["job"]["jsonJob"] == SAMPLE_JOB


@pytest.mark.parametrize(
    ("text", "country", "salary"),
    [
        ("90000-110000", "US", ("USD", 90000, 110000, "YEAR")),
        ("$90k \u2013 $110k", "CA", ("CAD", 90000, 110000, "YEAR")),
        ("EUR 60.000 to 80.000 a year", "DE", ("EUR", 60000, 80000, "YEAR")),
        ("45/hour", "GB", ("GBP", 45, 45, "HOUR")),
        ("up to 120k CHF", "CH", ("CHF", None, 120000, "YEAR")),
    ],
)
def test_salary_texts_people_write_are_read(
    graphql: GraphQLClient,
    microsoft: Employer,
    text: str,
    country: str,
    salary: tuple[Any, ...],
) -> None:
    document = {"title": "Engineer", "salary": text, "location": {"countryCode": country}}

    payload = import_job(graphql, microsoft, document)

    assert payload["userErrors"] == []
    found = payload["job"]["salary"]
    assert (found["currency"], found["min"], found["max"], found["unit"]) == salary
    assert payload["job"]["jsonJob"]["salary"] == text


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"salary": "competitive", "location": {"countryCode": "DE"}}, "amount or a range"),
        ({"salary": "100000", "remote": "Full"}, "currency"),
        ({"salary": "90000 or 95000 or 99000", "location": {"countryCode": "DE"}}, "one range"),
    ],
)
def test_a_salary_that_cannot_be_read_is_a_user_error_and_nothing_is_stored(
    graphql: GraphQLClient, microsoft: Employer, document: dict, expected: str
) -> None:
    payload = import_job(graphql, microsoft, {"title": "Engineer", **document})

    assert payload["job"] is None
    [error] = payload["userErrors"]
    assert (error["field"], error["code"]) == ("salary", "INVALID_DOCUMENT")
    assert expected in error["message"]
    assert graphql.data(MY_JOBS, token=microsoft.recruiter.token)["jobs"]["totalCount"] == 0


def test_experience_and_keys_of_its_own_are_kept(
    graphql: GraphQLClient, microsoft: Employer
) -> None:
    document = copy.deepcopy(SAMPLE_JOB)
    document["experience"] = "3+ years"
    document["x-apply-by"] = "2030-01-31"
    document["benefits"] = ["Train pass", "Four-day week"]

    payload = import_job(graphql, microsoft, document)

    assert payload["userErrors"] == []
    assert payload["job"]["experienceMonths"] == 36
    assert payload["job"]["jsonJob"] == document


def test_a_document_for_another_company_is_a_user_error(
    graphql: GraphQLClient, microsoft: Employer
) -> None:
    assert (
        import_job(graphql, microsoft, {**SAMPLE_JOB, "company": "Microsoft Corporation"})[
            "userErrors"
        ]
        == []
    )

    payload = import_job(graphql, microsoft, {**SAMPLE_JOB, "company": "Initech"})

    assert payload["job"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
        ("company", "INVALID_DOCUMENT")
    ]

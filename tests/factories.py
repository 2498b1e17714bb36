"""Factories that build valid objects in one call, through the public API where it can."""

from __future__ import annotations

import base64
import itertools
import time
from dataclasses import dataclass
from typing import Any

from tests.conftest import GraphQLClient

PASSWORD = "a long enough password"
_numbers = itertools.count(1)

REGISTER = """
mutation ($input: RegisterInput!) { register(input: $input) { account { id } userErrors { code } } }
"""
LOGIN = """
mutation ($input: LoginInput!) { login(input: $input) { token userErrors { code } } }
"""
CREATE_ORGANIZATION = """
mutation ($input: CreateOrganizationInput!) {
  createOrganization(input: $input) { organization { id slug } userErrors { field code message } }
}
"""
JOIN = """
mutation ($input: OrganizationIdInput!) {
  joinOrganization(input: $input) { membership { id status role } userErrors { code message } }
}
"""
VERIFY = """
mutation ($input: OrganizationIdInput!) {
  verifyEmployer(input: $input) { organization { isVerified } userErrors { code message } }
}
"""
REQUEST_CONNECTION = """
mutation ($input: RequestConnectionInput!) {
  requestConnection(input: $input) { connection { id status } userErrors { code message } }
}
"""
ACCEPT_CONNECTION = """
mutation ($input: AnswerConnectionInput!) {
  acceptConnection(input: $input) { connection { id status } userErrors { code message } }
}
"""
CREATE_JOB = """
mutation ($input: CreateJobInput!) {
  createJob(input: $input) { job { id status } userErrors { field code message } }
}
"""
#: publishJob, approveJob: the moves that take a draft live.
MOVE_JOB = """
mutation ($input: JobIdInput!) {{
  {verb}(input: $input) {{ job {{ status }} userErrors {{ field code message }} }}
}}
"""
IMPORT_RESUME = """
mutation ($input: ImportResumeInput!) {
  importResume(input: $input) { resume { id visibility } userErrors { field code message } }
}
"""


def global_id(type_name: str, node_id: int | str) -> str:
    return base64.b64encode(f"{type_name}:{node_id}".encode()).decode()


def database_id(gid: str) -> int:
    return int(base64.b64decode(gid).decode().split(":", 1)[1])


@dataclass
class Member:
    """A signed-in person: their token, account id and person (profile) id."""

    email: str
    token: str
    account_id: int

    @property
    def person_id(self) -> str:
        return global_id("Person", self.account_id)


def member(graphql: GraphQLClient, name: str = "Person", *, staff: bool = False) -> Member:
    email = f"{name.lower().replace(' ', '.')}.{next(_numbers)}@example.org"
    if staff:
        _create_staff(graphql, email, name)
    else:
        payload = graphql.data(
            REGISTER, {"input": {"email": email, "password": PASSWORD, "name": name}}
        )["register"]
        assert payload["userErrors"] == [], payload
    login = graphql.data(LOGIN, {"input": {"email": email, "password": PASSWORD}})["login"]
    assert login["userErrors"] == [], login
    viewer = graphql.data("{ viewer { id } }", token=login["token"])["viewer"]
    return Member(email=email, token=login["token"], account_id=database_id(viewer["id"]))


def _create_staff(graphql: GraphQLClient, email: str, name: str) -> None:
    """Staff accounts are made by the CLI's service call, never by `register`."""
    from api.people import service

    async def create() -> None:
        await service.register(email=email, password=PASSWORD, name=name, is_staff=True)

    graphql.http.blocking_portal.call(create)


def organization(
    graphql: GraphQLClient, owner: Member, name: str, kind: str = "CLUB", **fields: Any
) -> str:
    variables = {"input": {"name": name, "kind": kind, "joinPolicy": "OPEN", **fields}}
    payload = graphql.data(CREATE_ORGANIZATION, variables, token=owner.token)["createOrganization"]
    assert payload["userErrors"] == [], payload
    return payload["organization"]["id"]


def join(graphql: GraphQLClient, person: Member, organization_id: str) -> dict[str, Any]:
    payload = graphql.data(JOIN, {"input": {"organizationId": organization_id}}, token=person.token)
    return payload["joinOrganization"]


def verify_employer(graphql: GraphQLClient, staff: Member, organization_id: str) -> None:
    payload = graphql.data(
        VERIFY, {"input": {"organizationId": organization_id}}, token=staff.token
    )["verifyEmployer"]
    assert payload["userErrors"] == [], payload


@dataclass
class Employer:
    """An employer organization and its recruiter (the owner); `staff` verified it, when
    anyone did, and approves its postings when they wait for review."""

    graphql: GraphQLClient
    recruiter: Member
    id: str
    staff: Member | None = None


def employer(
    graphql: GraphQLClient,
    name: str = "Globex",
    *,
    recruiter: str = "Rita",
    staff: Member | None = None,
) -> Employer:
    """An EMPLOYER organization owned by a new member; verified when `staff` is given."""
    owner = member(graphql, recruiter)
    organization_id = organization(graphql, owner, name, "EMPLOYER")
    if staff is not None:
        verify_employer(graphql, staff, organization_id)
    return Employer(graphql, owner, organization_id, staff)


def job_input(organization_id: str, **fields: Any) -> dict[str, Any]:
    """createJob's variables: a full, valid posting, with `fields` in place of the defaults."""
    values = {
        "organizationId": organization_id,
        "title": "Backend Engineer",
        "description": "Build **APIs** in Python. [Apply](https://example.org/apply)",
        "employmentTypes": ["FULL_TIME"],
        "workplaceType": "HYBRID",
        "locations": [{"city": "Berlin", "countryCode": "DE"}],
        "salary": {"currency": "EUR", "min": 60000, "max": 80000, "unit": "YEAR"},
        "skills": ["Python", "PostgreSQL"],
    }
    values.update(fields)
    return {"input": values}


def job(graphql: GraphQLClient, at: Employer, status: str = "DRAFT", **fields: Any) -> str:
    """A posting of `at` in `status`, with `fields` over `job_input`'s: drafted and
    published (approved by its staff when it waits for review) through the API, so search
    and feeds learn of it; any other status is put straight into the database."""
    created = graphql.data(CREATE_JOB, job_input(at.id, **fields), token=at.recruiter.token)[
        "createJob"
    ]
    assert created["userErrors"] == [], created
    job_id: str = created["job"]["id"]
    if status == "PUBLISHED":
        moved = _move_job(graphql, "publishJob", job_id, at.recruiter)
        if moved == "PENDING_REVIEW":
            assert at.staff is not None, "an unverified employer's posting waits for staff"
            moved = _move_job(graphql, "approveJob", job_id, at.staff)
        assert moved == "PUBLISHED", moved
    elif status != "DRAFT":
        _put_job(graphql, database_id(job_id), status)
    return job_id


def _move_job(graphql: GraphQLClient, verb: str, job_id: str, by: Member) -> str:
    payload = graphql.data(MOVE_JOB.format(verb=verb), {"input": {"id": job_id}}, token=by.token)
    assert payload[verb]["userErrors"] == [], payload
    return payload[verb]["job"]["status"]


def _put_job(graphql: GraphQLClient, job_id: int, status: str) -> None:
    """Set-up only: the posting is `status` as if it had got there (an EXPIRED one is past
    its closing date)."""
    from datetime import UTC, datetime, timedelta

    from api.jobs.tables import JobPosting

    now = datetime.now(UTC)
    valid_through = now - timedelta(days=1) if status == "EXPIRED" else now + timedelta(days=30)

    async def put() -> None:
        await JobPosting.update(
            {
                JobPosting.status: status,
                JobPosting.date_posted: now - timedelta(days=2),
                JobPosting.valid_through: valid_through,
            }
        ).where(JobPosting.id == job_id)

    graphql.http.blocking_portal.call(put)


def connect(graphql: GraphQLClient, first: Member, second: Member) -> None:
    asked = graphql.data(
        REQUEST_CONNECTION, {"input": {"personId": second.person_id}}, token=first.token
    )["requestConnection"]
    assert asked["userErrors"] == [], asked
    accepted = graphql.data(
        ACCEPT_CONNECTION,
        {"input": {"connectionId": asked["connection"]["id"]}},
        token=second.token,
    )["acceptConnection"]
    assert accepted["connection"]["status"] == "ACCEPTED", accepted


def import_resume(
    graphql: GraphQLClient, owner: Member, document: dict[str, Any], visibility: str = "PUBLIC"
) -> str:
    payload = graphql.data(
        IMPORT_RESUME,
        {"input": {"document": document, "visibility": visibility}},
        token=owner.token,
    )["importResume"]
    assert payload["userErrors"] == [], payload
    return payload["resume"]["id"]


def settle(graphql: GraphQLClient, stalled_after: float = 30.0) -> None:
    """Wait until the in-process indexer has applied every outbox row to every index (so its
    background statements are not counted, and searches see every write).

    A busy machine (CI runs two test processes on two cores) may take long over a big
    backlog, so this waits as long as the indexes keep advancing; it fails once none has
    moved for `stalled_after` seconds: an indexer that stopped, not a slow one."""
    from api.core.indexing import latest_sequence

    indexes = graphql.http.app.state.search.values()
    progress: list[int] = []
    deadline = time.monotonic() + stalled_after
    while time.monotonic() < deadline:
        latest = graphql.http.blocking_portal.call(latest_sequence)
        applied = [index.last_sequence() for index in indexes]
        if all(sequence >= latest for sequence in applied):
            return
        if applied != progress:
            progress = applied
            deadline = time.monotonic() + stalled_after
        time.sleep(0.02)
    raise AssertionError(f"the indexer stopped short of {latest}: {progress}")

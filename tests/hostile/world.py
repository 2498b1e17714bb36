"""A small world for the hostile-input suite: one object of every kind, built once per
module through the public API, so bad values meet ids that exist as well as ids that do not.

Two viewers act in it: `staff` (a staff account that owns every organization, so owner-only
paths are reached) and `member` (an ordinary member who belongs, applies, RSVPs, comments
and reports). `ids[viewer][key]` is the id each viewer would pass for an argument of that key:
a type name (`Resume`, `Job`, ...) or a role (`chamber`, `business`, `alumni`, `employer`).
"""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar.testing import TestClient

from api.app import create_app
from api.core.settings import Settings
from tests.conftest import GraphQLClient
from tests.factories import (
    Member,
    connect,
    import_resume,
    join,
    member,
    organization,
    settle,
    verify_employer,
)

VIEWERS = ("staff", "member")

CREATE_JOB = """
mutation ($input: CreateJobInput!) {
  createJob(input: $input) { job { id } userErrors { field code message } }
}
"""
MOVE_JOB = """
mutation ($input: JobIdInput!) {{
  {verb}(input: $input) {{ job {{ id status }} userErrors {{ field code message }} }}
}}
"""
APPLY_TO_JOB = """
mutation ($input: ApplyToJobInput!) {
  applyToJob(input: $input) { application { id } userErrors { field code message } }
}
"""
CREATE_EVENT = """
mutation ($input: CreateEventInput!) {
  createEvent(input: $input) { event { id } userErrors { field code message } }
}
"""
RSVP = """
mutation ($input: RsvpInput!) {
  rsvp(input: $input) { rsvp { id status } userErrors { field code message } }
}
"""
CREATE_POST = """
mutation ($input: CreatePostInput!) {
  createPost(input: $input) { post { id } userErrors { field code message } }
}
"""
ADD_COMMENT = """
mutation ($input: AddCommentInput!) {
  addComment(input: $input) { comment { id } userErrors { field code message } }
}
"""
REPORT_POST = """
mutation ($input: ReportPostInput!) {
  reportPost(input: $input) { report { id } userErrors { field code message } }
}
"""
APPLY_FOR_BUSINESS_MEMBERSHIP = """
mutation ($input: ApplyForBusinessMembershipInput!) {
  applyForBusinessMembership(input: $input) {
    businessMembership { id } userErrors { field code message }
  }
}
"""
APPROVE_BUSINESS_MEMBERSHIP = """
mutation ($input: BusinessMembershipIdInput!) {
  approveBusinessMembership(input: $input) {
    businessMembership { id status } userErrors { field code message }
  }
}
"""
SUBMIT_PERK = """
mutation ($input: SubmitPerkInput!) {
  submitPerk(input: $input) { perk { id status } userErrors { field code message } }
}
"""
SAVE_SEARCH = """
mutation ($input: SaveCandidateSearchInput!) {
  saveCandidateSearch(input: $input) { savedSearch { id } userErrors { field code message } }
}
"""
REQUEST_CONNECTION = """
mutation ($input: RequestConnectionInput!) {
  requestConnection(input: $input) { connection { id } userErrors { field code message } }
}
"""
VIEWER = """
{
  viewer {
    id
    person { id }
    sessions { edges { node { id } } }
    connectionRequests { edges { node { id } } }
  }
  myMemberships { id organization { id } }
}
"""
ORGANIZATION_SLUG = "query ($id: ID!) { node(id: $id) { ... on Organization { slug } } }"


def document(name: str, title: str) -> dict[str, Any]:
    """A small valid JSON Resume document."""
    return {
        "basics": {
            "name": name,
            "label": title,
            "location": {"city": "Berlin", "countryCode": "DE"},
        },
        "work": [{"name": "Globex", "position": title, "startDate": "2020-01"}],
        "skills": [{"name": "Python"}],
    }


def hostile_settings(data_dir: Any, database_url: str = "") -> Settings:
    """Test settings without the per-account posting limit: each job case must reach the
    validation it attacks, not the twentieth-posting refusal."""
    from tests.conftest import TEST_SECRET

    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        secret_key=TEST_SECRET,
        job_posts_per_day=100_000,
    )


@contextlib.contextmanager
def running_app(settings: Settings) -> Iterator[GraphQLClient]:
    with TestClient(app=create_app(settings)) as client:
        yield GraphQLClient(client)


@dataclass
class World:
    graphql: GraphQLClient
    staff: Member
    member: Member
    third: Member
    ids: dict[str, dict[str, str]] = field(default_factory=dict)
    slugs: dict[str, str] = field(default_factory=dict)

    def token(self, viewer: str) -> str | None:
        return {"staff": self.staff.token, "member": self.member.token}.get(viewer)


def _payload(body: dict[str, Any], name: str) -> dict[str, Any]:
    payload = body[name]
    assert payload["userErrors"] == [], payload
    return payload


def build_world(graphql: GraphQLClient) -> World:
    """Every kind of object once, owned by staff, used by the member."""
    staff = member(graphql, "Stella Staff", staff=True)
    person = member(graphql, "Milo Member")
    third = member(graphql, "Theo Third")
    world = World(graphql=graphql, staff=staff, member=person, third=third)

    club = organization(graphql, staff, "Hostile Club", "CLUB")
    employer = organization(graphql, staff, "Hostile Employer", "EMPLOYER")
    verify_employer(graphql, staff, employer)
    alumni = organization(graphql, staff, "Hostile Alumni", "ALUMNI_ASSOCIATION")
    chamber = organization(graphql, staff, "Hostile Chamber", "CHAMBER_OF_COMMERCE")
    for org in (club, alumni, chamber):
        assert join(graphql, person, org)["userErrors"] == []

    business_membership = _payload(
        graphql.data(
            APPLY_FOR_BUSINESS_MEMBERSHIP,
            {"input": {"chamberId": chamber, "businessId": employer, "category": "RETAIL"}},
            token=staff.token,
        ),
        "applyForBusinessMembership",
    )["businessMembership"]["id"]
    _payload(
        graphql.data(
            APPROVE_BUSINESS_MEMBERSHIP,
            {"input": {"businessMembershipId": business_membership}},
            token=staff.token,
        ),
        "approveBusinessMembership",
    )
    perk = _payload(
        graphql.data(
            SUBMIT_PERK,
            {
                "input": {
                    "chamberId": chamber,
                    "offeredById": employer,
                    "title": "Ten percent off",
                    "code": "HOSTILE10",
                }
            },
            token=staff.token,
        ),
        "submitPerk",
    )["perk"]["id"]

    staff_resume = import_resume(graphql, staff, document("Stella Staff", "Recruiter"))
    member_resume = import_resume(graphql, person, document("Milo Member", "Engineer"))

    job = _payload(
        graphql.data(
            CREATE_JOB,
            {
                "input": {
                    "organizationId": employer,
                    "title": "Hostile Engineer",
                    "description": "Write *robust* code.",
                    "locations": [{"city": "Berlin", "countryCode": "DE"}],
                    "skills": ["Python"],
                }
            },
            token=staff.token,
        ),
        "createJob",
    )["job"]["id"]
    moved = graphql.data(
        MOVE_JOB.format(verb="publishJob"), {"input": {"id": job}}, token=staff.token
    )
    if moved["publishJob"]["job"]["status"] == "PENDING_REVIEW":
        graphql.data(MOVE_JOB.format(verb="approveJob"), {"input": {"id": job}}, token=staff.token)
    application = _payload(
        graphql.data(
            APPLY_TO_JOB,
            {"input": {"jobId": job, "resumeId": member_resume, "note": "Hello"}},
            token=person.token,
        ),
        "applyToJob",
    )["application"]["id"]

    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=7)
    event = _payload(
        graphql.data(
            CREATE_EVENT,
            {
                "input": {
                    "organizationId": club,
                    "title": "Hostile Night",
                    "kind": "MEETUP",
                    "format": "IN_PERSON",
                    "startsAt": starts.isoformat(),
                    "endsAt": (starts + timedelta(hours=2)).isoformat(),
                    "timeZone": "Europe/Berlin",
                    "venue": "Hall",
                }
            },
            token=staff.token,
        ),
        "createEvent",
    )["event"]["id"]
    rsvp = _payload(
        graphql.data(RSVP, {"input": {"eventId": event, "response": "GOING"}}, token=person.token),
        "rsvp",
    )["rsvp"]["id"]

    post = _payload(
        graphql.data(
            CREATE_POST,
            {"input": {"organizationId": club, "kind": "DISCUSSION", "body": "Hello, club"}},
            token=staff.token,
        ),
        "createPost",
    )["post"]["id"]
    comment = _payload(
        graphql.data(ADD_COMMENT, {"input": {"postId": post, "body": "Hi"}}, token=person.token),
        "addComment",
    )["comment"]["id"]
    report = _payload(
        graphql.data(
            REPORT_POST, {"input": {"postId": post, "reason": "SPAM"}}, token=person.token
        ),
        "reportPost",
    )["report"]["id"]

    saved = {
        viewer.email: _payload(
            graphql.data(
                SAVE_SEARCH,
                {"input": {"name": "Engineers", "query": "engineer"}},
                token=viewer.token,
            ),
            "saveCandidateSearch",
        )["savedSearch"]["id"]
        for viewer in (staff, person)
    }

    connect(graphql, staff, person)
    pending = _payload(
        graphql.data(
            REQUEST_CONNECTION, {"input": {"personId": person.person_id}}, token=third.token
        ),
        "requestConnection",
    )["connection"]["id"]

    shared = {
        "Organization": club,
        "club": club,
        "employer": employer,
        "alumni": alumni,
        "chamber": chamber,
        "business": employer,
        "Job": job,
        "Application": application,
        "Event": event,
        "Rsvp": rsvp,
        "Post": post,
        "Comment": comment,
        "PostReport": report,
        "BusinessMembership": business_membership,
        "Perk": perk,
        "ConnectionRequest": pending,
    }
    for name, viewer, other, resume in (
        ("staff", staff, person, staff_resume),
        ("member", person, staff, member_resume),
    ):
        seen = graphql.data(VIEWER, token=viewer.token)
        memberships = {row["organization"]["id"]: row["id"] for row in seen["myMemberships"]}
        own_membership = memberships[club]
        # Staff acts on the member's membership (verify, approve, remove); the member on theirs.
        member_memberships = {
            row["organization"]["id"]: row["id"]
            for row in graphql.data(VIEWER, token=person.token)["myMemberships"]
        }
        world.ids[name] = {
            **shared,
            "Account": seen["viewer"]["id"],
            "Person": other.person_id,
            "Session": seen["viewer"]["sessions"]["edges"][0]["node"]["id"],
            "Resume": resume,
            "SavedSearch": saved[viewer.email],
            "Membership": member_memberships[alumni] if name == "staff" else own_membership,
        }
    world.ids["anonymous"] = world.ids["staff"]  # for ids an anonymous case must still pass
    for key in ("club", "employer", "alumni", "chamber"):
        world.slugs[key] = graphql.data(ORGANIZATION_SLUG, {"id": shared[key]})["node"]["slug"]
    settle(graphql)
    return world


def node_type(global_id: str) -> str:
    return base64.b64decode(global_id).decode().split(":", 1)[0]

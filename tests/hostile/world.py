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

#: The mutations that build the world: field -> (input type, what the payload answers).
MUTATIONS = {
    "startConversation": ("StartConversationInput", "conversation { id }"),
    "sendMessage": ("SendMessageInput", "message { id }"),
    "createJob": ("CreateJobInput", "job { id }"),
    "publishJob": ("JobIdInput", "job { id status }"),
    "approveJob": ("JobIdInput", "job { id status }"),
    "applyToJob": ("ApplyToJobInput", "application { id }"),
    "createEvent": ("CreateEventInput", "event { id }"),
    "rsvp": ("RsvpInput", "rsvp { id status }"),
    "createPost": ("CreatePostInput", "post { id }"),
    "addComment": ("AddCommentInput", "comment { id }"),
    "reportPost": ("ReportPostInput", "report { id }"),
    "applyForBusinessMembership": ("ApplyForBusinessMembershipInput", "businessMembership { id }"),
    "approveBusinessMembership": ("BusinessMembershipIdInput", "businessMembership { id status }"),
    "submitPerk": ("SubmitPerkInput", "perk { id status }"),
    "saveCandidateSearch": ("SaveCandidateSearchInput", "savedSearch { id }"),
    "saveJobSearch": ("SaveJobSearchInput", "savedJobSearch { id }"),
    "requestConnection": ("RequestConnectionInput", "connection { id }"),
    "updateProfile": ("UpdateProfileInput", ""),
    "setResumeExclusions": ("SetResumeExclusionsInput", ""),
    "blockPerson": ("PersonIdInput", ""),
    "updateDirectoryListing": ("UpdateDirectoryListingInput", ""),
}
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
        require_verified_email=False,
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


def act(graphql: GraphQLClient, field: str, values: dict[str, Any], by: Member) -> Any:
    """Run one of `MUTATIONS` as `by`; it must succeed. Answers what the payload holds
    besides its userErrors (None when it holds nothing else)."""
    input_type, answers = MUTATIONS[field]
    document = (
        f"mutation ($input: {input_type}!) {{ {field}(input: $input) "
        f"{{ {answers} userErrors {{ field code message }} }} }}"
    )
    payload = graphql.data(document, {"input": values}, token=by.token)[field]
    assert payload["userErrors"] == [], payload
    return next((value for key, value in payload.items() if key != "userErrors"), None)


def publish_job(graphql: GraphQLClient, values: dict[str, Any], by: Member) -> str:
    """A published posting, created by `by` (staff, who approve it if it waits for review)."""
    job = act(graphql, "createJob", values, by)["id"]
    if act(graphql, "publishJob", {"id": job}, by)["status"] == "PENDING_REVIEW":
        act(graphql, "approveJob", {"id": job}, by)
    return job


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

    business_membership = act(
        graphql,
        "applyForBusinessMembership",
        {"chamberId": chamber, "businessId": employer, "category": "RETAIL"},
        staff,
    )["id"]
    act(graphql, "approveBusinessMembership", {"businessMembershipId": business_membership}, staff)
    perk = act(
        graphql,
        "submitPerk",
        {
            "chamberId": chamber,
            "offeredById": employer,
            "title": "Ten percent off",
            "code": "HOSTILE10",
        },
        staff,
    )["id"]

    staff_resume = import_resume(graphql, staff, document("Stella Staff", "Recruiter"))
    member_resume = import_resume(graphql, person, document("Milo Member", "Engineer"))

    job = publish_job(
        graphql,
        {
            "organizationId": employer,
            "title": "Hostile Engineer",
            "description": "Write *robust* code.",
            "locations": [{"city": "Berlin", "countryCode": "DE"}],
            "skills": ["Python"],
        },
        staff,
    )
    application = act(
        graphql, "applyToJob", {"jobId": job, "resumeId": member_resume, "note": "Hello"}, person
    )["id"]

    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=7)
    event = act(
        graphql,
        "createEvent",
        {
            "organizationId": club,
            "title": "Hostile Night",
            "kind": "MEETUP",
            "format": "IN_PERSON",
            "startsAt": starts.isoformat(),
            "endsAt": (starts + timedelta(hours=2)).isoformat(),
            "timeZone": "Europe/Berlin",
            "venue": "Hall",
        },
        staff,
    )["id"]
    rsvp = act(graphql, "rsvp", {"eventId": event, "response": "GOING"}, person)["id"]

    post = act(
        graphql,
        "createPost",
        {"organizationId": club, "kind": "DISCUSSION", "body": "Hello, club"},
        staff,
    )["id"]
    comment = act(graphql, "addComment", {"postId": post, "body": "Hi"}, person)["id"]
    report = act(graphql, "reportPost", {"postId": post, "reason": "SPAM"}, person)["id"]

    saved = {
        viewer.email: act(
            graphql, "saveCandidateSearch", {"name": "Engineers", "query": "engineer"}, viewer
        )["id"]
        for viewer in (staff, person)
    }
    saved_jobs = {
        viewer.email: act(
            graphql, "saveJobSearch", {"name": "Backend", "query": "backend"}, viewer
        )["id"]
        for viewer in (staff, person)
    }

    connect(graphql, staff, person)
    conversation = act(
        graphql, "startConversation", {"participantIds": [person.person_id], "message": "Hi"}, staff
    )["id"]
    message = act(graphql, "sendMessage", {"conversationId": conversation, "body": "Hi"}, staff)[
        "id"
    ]
    pending = act(graphql, "requestConnection", {"personId": person.person_id}, third)["id"]

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
        "Conversation": conversation,
        "Message": message,
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
            "SavedJobSearch": saved_jobs[viewer.email],
            "Membership": member_memberships[alumni] if name == "staff" else own_membership,
        }
    world.ids["anonymous"] = world.ids["staff"]  # for ids an anonymous case must still pass
    for key in ("club", "employer", "alumni", "chamber"):
        world.slugs[key] = graphql.data(ORGANIZATION_SLUG, {"id": shared[key]})["node"]["slug"]
    settle(graphql)
    return world


def node_type(global_id: str) -> str:
    return base64.b64decode(global_id).decode().split(":", 1)[0]

"""Each kind of notification reaches the people it concerns, in the write that causes it:
never the actor, never someone on the other side of a block, never a bystander."""

from __future__ import annotations

from tests.conftest import GraphQLClient
from tests.events.helpers import CANCEL_EVENT, create_event, rsvp
from tests.factories import (
    ACCEPT_CONNECTION,
    REQUEST_CONNECTION,
    Member,
    database_id,
    employer,
    job,
    member,
    organization,
)
from tests.notifications.conftest import SITE_URL
from tests.notifications.helpers import inbox, kinds, mark_read
from tests.posts.helpers import ADD_COMMENT, comment, community, invite, post

BLOCK = """
mutation ($input: PersonIdInput!) { blockPerson(input: $input) { userErrors { code } } }
"""
JOIN = """
mutation ($input: OrganizationIdInput!) {
  joinOrganization(input: $input) { membership { id status } userErrors { code } }
}
"""
APPROVE = """
mutation ($input: MembershipIdInput!) {
  approveMembership(input: $input) { membership { status } userErrors { code } }
}
"""
APPLY = """
mutation ($input: ApplyToJobInput!) {
  applyToJob(input: $input) { application { id } userErrors { field code message } }
}
"""
INVITE = """
mutation ($input: InviteMemberInput!) {
  inviteMember(input: $input) { membership { id } userErrors { code } }
}
"""
MOVE = """
mutation ($input: MoveApplicationInput!) {
  moveApplication(input: $input) { application { stage } userErrors { code } }
}
"""


def block(graphql: GraphQLClient, blocker: Member, blocked: Member) -> None:
    payload = graphql.data(BLOCK, {"input": {"personId": blocked.person_id}}, token=blocker.token)
    assert payload["blockPerson"]["userErrors"] == []


def apply(graphql: GraphQLClient, seeker: Member, job_id: str) -> str:
    payload = graphql.data(APPLY, {"input": {"jobId": job_id}}, token=seeker.token)["applyToJob"]
    assert payload["userErrors"] == [], payload
    return payload["application"]["id"]


def test_a_connection_request_tells_the_person_asked_and_acceptance_the_one_who_asked(
    graphql: GraphQLClient,
) -> None:
    ada, bob, carol = (member(graphql, n) for n in ("Ada Lovelace", "Bob Byte", "Carol C"))

    # When Ada asks Bob to connect
    asked = graphql.data(
        REQUEST_CONNECTION, {"input": {"personId": bob.person_id}}, token=ada.token
    )["requestConnection"]
    request_id = asked["connection"]["id"]

    # Then Bob is told, with the request to answer; Ada and Carol are not
    [told] = inbox(graphql, bob)
    assert told["kind"] == "CONNECTION_REQUESTED"
    assert told["message"] == "Ada Lovelace asked to connect with you"
    assert told["subjectId"] == request_id
    assert told["actor"]["name"] == "Ada Lovelace"
    assert (told["read"], told["count"], told["url"]) == (False, 1, None)
    assert kinds(graphql, ada) == kinds(graphql, carol) == []

    # When Bob accepts, Ada is told; Bob is not told of his own act
    graphql.data(ACCEPT_CONNECTION, {"input": {"connectionId": request_id}}, token=bob.token)
    [accepted] = inbox(graphql, ada)
    assert accepted["kind"] == "CONNECTION_ACCEPTED"
    assert accepted["message"] == "Bob Byte accepted your connection request"
    assert kinds(graphql, bob) == ["CONNECTION_REQUESTED"]
    assert kinds(graphql, carol) == []


def test_a_request_to_join_tells_owners_and_admins_and_approval_tells_the_member(
    graphql: GraphQLClient,
) -> None:
    owner, admin, plain = (member(graphql, n) for n in ("Olga Owner", "Adam Admin", "Mia"))
    society = organization(graphql, owner, "Vetted Society", joinPolicy="APPROVAL")
    invite(graphql, owner, admin, society, "ADMIN")
    invite(graphql, owner, plain, society, "MEMBER")
    ada, eve = member(graphql, "Ada Lovelace"), member(graphql, "Eve Evil")
    # Given the admin blocked Eve
    block(graphql, admin, eve)

    # When Ada and Eve ask to join
    joined = graphql.data(JOIN, {"input": {"organizationId": society}}, token=ada.token)
    graphql.data(JOIN, {"input": {"organizationId": society}}, token=eve.token)

    # Then the owner hears of both, in one pile; the admin only of Ada; the member of neither
    [pile] = inbox(graphql, owner)
    assert (pile["kind"], pile["count"]) == ("MEMBERSHIP_REQUESTED", 2)
    assert pile["message"] == "2 people asked to join Vetted Society"
    assert pile["subjectId"] == society
    assert pile["actor"]["name"] == "Eve Evil"
    [admin_told] = inbox(graphql, admin)
    assert admin_told["message"] == "Ada Lovelace asked to join Vetted Society"
    assert kinds(graphql, plain) == []

    # When the admin approves Ada, Ada is told and nobody else
    membership = joined["joinOrganization"]["membership"]["id"]
    graphql.data(APPROVE, {"input": {"membershipId": membership}}, token=admin.token)
    [approved] = inbox(graphql, ada)
    assert approved["kind"] == "MEMBERSHIP_APPROVED"
    assert approved["message"] == "You are now a member of Vetted Society"
    assert kinds(graphql, eve) == []
    assert kinds(graphql, admin) == ["MEMBERSHIP_REQUESTED"]


def test_an_invitation_tells_the_person_invited_with_the_membership_to_accept(
    graphql: GraphQLClient,
) -> None:
    owner, ada, bystander = (member(graphql, n) for n in ("Olga Owner", "Ada Lovelace", "Bo"))
    society = organization(graphql, owner, "Vetted Society", joinPolicy="INVITE_ONLY")

    # When the owner invites Ada as an admin
    invited = graphql.data(
        INVITE, {"input": {"organizationId": society, "email": ada.email, "role": "ADMIN"}},
        token=owner.token,
    )["inviteMember"]  # fmt: skip
    assert invited["userErrors"] == []

    # Then Ada is told, with the membership acceptInvitation takes; nobody else is
    [told] = inbox(graphql, ada, leave_out=())
    assert told["kind"] == "MEMBERSHIP_INVITED"
    assert told["message"] == "Olga Owner invited you to join Vetted Society as an admin"
    assert told["subjectId"] == invited["membership"]["id"]
    assert inbox(graphql, owner, leave_out=()) == inbox(graphql, bystander, leave_out=()) == []


def test_applications_pile_up_for_the_employers_admins_and_stage_changes_reach_the_applicant(
    graphql: GraphQLClient,
) -> None:
    staff = member(graphql, "Staff", staff=True)
    globex = employer(graphql, "Globex", recruiter="Rita", staff=staff)
    colleague = member(graphql, "Colin")
    invite(graphql, globex.recruiter, colleague, globex.id, "ADMIN")
    outsider = member(graphql, "Otto")
    job_id = job(graphql, globex, "PUBLISHED", title="Backend Engineer")
    for admin in (globex.recruiter, colleague):  # staff's approval of the posting, read
        assert [n["kind"] for n in inbox(graphql, admin)] == ["JOB_APPROVED"]
        mark_read(graphql, admin, all=True)
    seekers = [member(graphql, f"Seeker {n}") for n in range(3)]
    # Given the colleague blocked the last seeker
    block(graphql, colleague, seekers[2])

    # When three people apply
    applications = [apply(graphql, seeker, job_id) for seeker in seekers]

    # Then the recruiter has one notification for the three, linking to the posting
    [pile] = inbox(graphql, globex.recruiter, unreadOnly=True)
    assert (pile["kind"], pile["count"]) == ("APPLICATION_RECEIVED", 3)
    assert pile["message"] == "3 people applied to Backend Engineer"
    assert pile["actor"]["name"] == "Seeker 2"
    assert pile["subjectId"] == job_id
    assert pile["url"] is not None and pile["url"].startswith(f"{SITE_URL}jobs/")
    # and the colleague one for the two they have not blocked
    [colleague_pile] = inbox(graphql, colleague, unreadOnly=True)
    assert colleague_pile["count"] == 2
    assert kinds(graphql, outsider) == []

    # Once read, the next application starts a new notification
    assert mark_read(graphql, globex.recruiter, all=True)["marked"] == 1
    apply(graphql, member(graphql, "Late Larry"), job_id)
    newest, older, _approved = inbox(graphql, globex.recruiter)
    assert (newest["count"], newest["read"], newest["message"]) == (
        1,
        False,
        "Late Larry applied to Backend Engineer",
    )
    assert (older["count"], older["read"]) == (3, True)

    # When the recruiter moves the first application, only its applicant is told
    moved = graphql.data(
        MOVE,
        {"input": {"applicationId": applications[0], "stage": "INTERVIEW"}},
        token=globex.recruiter.token,
    )["moveApplication"]
    assert moved["userErrors"] == []
    [stage] = inbox(graphql, seekers[0])
    assert stage["kind"] == "APPLICATION_STAGE_CHANGED"
    assert stage["message"] == "Your application to Backend Engineer moved to interview"
    assert stage["subjectId"] == applications[0]
    assert kinds(graphql, seekers[1]) == []


def test_a_promotion_from_the_waitlist_and_a_cancellation_reach_the_people_answering(
    graphql: GraphQLClient,
) -> None:
    owner = member(graphql, "Olga Owner")
    club = organization(graphql, owner, "Capacity Club", isPublic=True)
    going, waiting, declined = (member(graphql, n) for n in ("Gina", "Walt", "Dora"))
    event_id = create_event(graphql, owner, club, capacity=1, title="Python Night")
    assert rsvp(graphql, going, event_id)["rsvp"]["status"] == "GOING"
    assert rsvp(graphql, waiting, event_id)["rsvp"]["status"] == "WAITLISTED"
    assert rsvp(graphql, declined, event_id, "NOT_GOING")["rsvp"]["status"] == "NOT_GOING"

    # When Gina gives up her seat, Walt is promoted and told, with the event's page
    rsvp(graphql, going, event_id, "NOT_GOING")
    [promoted] = inbox(graphql, waiting)
    assert promoted["kind"] == "WAITLIST_PROMOTED"
    assert promoted["message"] == "A seat opened at Python Night: you are going"
    assert promoted["subjectId"] == event_id
    assert promoted["url"] == f"{SITE_URL}events/python-night-{database_id(event_id)}/"
    assert promoted["actor"] is None
    assert kinds(graphql, going) == []

    # When a new waitlisted guest arrives and the owner cancels, those going or waiting hear
    late = member(graphql, "Lou")
    assert rsvp(graphql, late, event_id)["rsvp"]["status"] == "WAITLISTED"
    cancelled = graphql.data(CANCEL_EVENT, {"input": {"id": event_id}}, token=owner.token)
    assert cancelled["cancelEvent"]["userErrors"] == []
    assert kinds(graphql, waiting) == ["EVENT_CANCELLED", "WAITLIST_PROMOTED"]
    [told] = inbox(graphql, late)
    assert told["message"] == "Python Night was cancelled"
    assert told["url"] is None  # a cancelled event has no page
    assert kinds(graphql, going) == kinds(graphql, declined) == kinds(graphql, owner) == []


def test_a_reply_tells_the_comments_author_and_the_post_author_once(
    graphql: GraphQLClient,
) -> None:
    club = community(graphql)
    post_id = post(graphql, club.member, club.id, title="Friday plans")["id"]
    first = comment(graphql, club.admin, post_id, "Count me in")
    mark_read(graphql, club.member, all=True)

    # When the owner answers the admin's comment, the admin hears of the reply and the
    # post's author of a comment, each once
    reply = comment(graphql, club.owner, post_id, "Great", replyToCommentId=first["id"])
    [replied] = inbox(graphql, club.admin)
    assert replied["kind"] == "COMMENT_REPLIED"
    assert replied["message"] == "Olga Owner replied to your comment on Friday plans"
    assert replied["subjectId"] == post_id
    assert [n["kind"] for n in inbox(graphql, club.member) if not n["read"]] == ["POST_COMMENTED"]
    answered = graphql.data(
        "query ($id: ID!) { node(id: $id) { ... on Comment { replyTo { id } } } }",
        {"id": reply["id"]},
        token=club.member.token,
    )["node"]
    assert answered == {"replyTo": {"id": first["id"]}}

    # When the admin answers the post author's own comment, the author hears only of the reply
    own = comment(graphql, club.member, post_id, "See you there")
    mark_read(graphql, club.member, all=True)
    comment(graphql, club.admin, post_id, "Yes!", replyToCommentId=own["id"])
    unread = [n for n in inbox(graphql, club.member) if not n["read"]]
    assert [n["kind"] for n in unread] == ["COMMENT_REPLIED"]
    assert kinds(graphql, club.outsider) == []

    # A reply to a comment of another post, or to nothing, is refused and writes nothing
    other_post = post(graphql, club.member, club.id, title="Other")["id"]
    for wrong in (first["id"], post_id):
        refused = graphql.data(
            ADD_COMMENT,
            {"input": {"postId": other_post, "body": "?", "replyToCommentId": wrong}},
            token=club.admin.token,
        )["addComment"]
        assert refused["comment"] is None
        assert [e["field"] for e in refused["userErrors"]] == ["replyToCommentId"]
    assert graphql.data(
        "query ($id: ID!) { node(id: $id) { ... on Post { commentCount } } }",
        {"id": other_post},
        token=club.member.token,
    )["node"] == {"commentCount": 0}


def test_a_comment_tells_the_posts_author_unless_blocked_or_their_own(
    graphql: GraphQLClient,
) -> None:
    club = community(graphql)
    post_id = post(graphql, club.member, club.id, title="Friday plans")["id"]

    # When the author comments on their own post, nobody is told
    comment(graphql, club.member, post_id, "Me first")
    assert kinds(graphql, club.member) == []

    # When the admin and the owner comment, the author has one pile of two
    comment(graphql, club.admin, post_id, "Count me in")
    comment(graphql, club.owner, post_id, "Me too")
    [pile] = inbox(graphql, club.member)
    assert pile["kind"] == "POST_COMMENTED"
    assert pile["message"] == "Olga Owner and 1 other commented on your post Friday plans"
    assert pile["subjectId"] == post_id
    assert kinds(graphql, club.admin) == kinds(graphql, club.outsider) == []

    # When the author blocked the admin, the admin's next comment tells nobody
    mark_read(graphql, club.member, all=True)
    block(graphql, club.member, club.admin)
    comment(graphql, club.admin, post_id, "Still here")
    assert [n["read"] for n in inbox(graphql, club.member)] == [True]

"""Operations and helpers shared by the posts tests: an organization with people in each
role, and one-call post, comment and report builders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.conftest import GraphQLClient
from tests.factories import Member, join, member, organization

POST_FIELDS = """
id kind title body bodyHtml status audience pinned rejectionReason publishedAt
author { name } organization { name } commentCount
viewerCanEdit viewerCanDelete viewerCanModerate viewerCanComment viewerHasReported
"""
ERRORS = "userErrors { field code message }"
CREATE_POST = f"""
mutation ($input: CreatePostInput!) {{
  createPost(input: $input) {{ post {{ {POST_FIELDS} }} {ERRORS} }}
}}
"""
UPDATE_POST = f"""
mutation ($input: UpdatePostInput!) {{
  updatePost(input: $input) {{ post {{ {POST_FIELDS} }} {ERRORS} }}
}}
"""
POST_MOVE = """
mutation ($input: PostIdInput!) {{
  {verb}(input: $input) {{ post {{ id status pinned }} userErrors {{ field code message }} }}
}}
"""
REJECT_POST = f"""
mutation ($input: RejectPostInput!) {{
  rejectPost(input: $input) {{ post {{ id status rejectionReason }} {ERRORS} }}
}}
"""
SET_MODERATION = f"""
mutation ($input: SetPostModerationInput!) {{
  setPostModeration(input: $input) {{
    settings {{ moderation organization {{ name }} }} {ERRORS}
  }}
}}
"""
POST = f"""
query ($id: ID!) {{ post(id: $id) {{ {POST_FIELDS} }} }}
"""
POSTS = """
query ($org: ID!, $kind: PostKind, $status: PostStatus, $first: Int, $after: String) {
  posts(organizationId: $org, kind: $kind, status: $status, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id title kind status pinned } }
  }
}
"""
COMMENT_FIELDS = """
id body bodyHtml status author { name } post { id }
viewerCanEdit viewerCanDelete viewerCanModerate viewerHasReported
"""
ADD_COMMENT = f"""
mutation ($input: AddCommentInput!) {{
  addComment(input: $input) {{ comment {{ {COMMENT_FIELDS} }} {ERRORS} }}
}}
"""
UPDATE_COMMENT = f"""
mutation ($input: UpdateCommentInput!) {{
  updateComment(input: $input) {{ comment {{ {COMMENT_FIELDS} }} {ERRORS} }}
}}
"""
COMMENT_MOVE = """
mutation ($input: CommentIdInput!) {{
  {verb}(input: $input) {{ comment {{ id status }} userErrors {{ field code message }} }}
}}
"""
REPORT_FIELDS = """
id reason details status resolvedAt reporter { name } organization { name }
post { id status } comment { id status }
"""
REPORT_POST = f"""
mutation ($input: ReportPostInput!) {{
  reportPost(input: $input) {{ report {{ id reason details status }} {ERRORS} }}
}}
"""
REPORT_COMMENT = f"""
mutation ($input: ReportCommentInput!) {{
  reportComment(input: $input) {{ report {{ id reason details status }} {ERRORS} }}
}}
"""
RESOLVE_REPORT = f"""
mutation ($input: ResolvePostReportInput!) {{
  resolvePostReport(input: $input) {{ report {{ {REPORT_FIELDS} }} {ERRORS} }}
}}
"""
REPORTS = f"""
query ($org: ID!, $status: ReportStatus, $first: Int, $after: String) {{
  postReports(organizationId: $org, status: $status, first: $first, after: $after) {{
    totalCount
    pageInfo {{ hasNextPage endCursor }}
    edges {{ node {{ {REPORT_FIELDS} }} }}
  }}
}}
"""
INVITE = """
mutation ($input: InviteMemberInput!) {
  inviteMember(input: $input) { membership { id } userErrors { field code } }
}
"""
ACCEPT = """
mutation ($input: AcceptInvitationInput!) {
  acceptInvitation(input: $input) { membership { status } userErrors { field code } }
}
"""


@dataclass
class Community:
    """An organization with one person in each place: owner, admin, member, guest, outsider."""

    id: str
    owner: Member
    admin: Member
    member: Member
    guest: Member
    outsider: Member


def invite(graphql: GraphQLClient, inviter: Member, invitee: Member, org: str, role: str) -> None:
    variables = {"input": {"organizationId": org, "email": invitee.email, "role": role}}
    invited = graphql.data(INVITE, variables, token=inviter.token)["inviteMember"]
    assert invited["userErrors"] == [], invited
    accepted = graphql.data(
        ACCEPT, {"input": {"membershipId": invited["membership"]["id"]}}, token=invitee.token
    )["acceptInvitation"]
    assert accepted["membership"]["status"] == "ACTIVE", accepted


def community(graphql: GraphQLClient, name: str = "Chess Club", **fields: Any) -> Community:
    owner = member(graphql, "Olga Owner")
    org = organization(graphql, owner, name, **fields)
    admin = member(graphql, "Adam Admin")
    invite(graphql, owner, admin, org, "ADMIN")
    regular = member(graphql, "Mia Member")
    if fields.get("joinPolicy", "OPEN") == "OPEN":
        assert join(graphql, regular, org)["membership"]["status"] == "ACTIVE"
    else:
        invite(graphql, owner, regular, org, "MEMBER")
    guest = member(graphql, "Gus Guest")
    invite(graphql, owner, guest, org, "GUEST")
    outsider = member(graphql, "Otto Outsider")
    return Community(org, owner, admin, regular, guest, outsider)


def create_post(
    graphql: GraphQLClient,
    author: Member,
    org: str,
    kind: str = "DISCUSSION",
    body: str = "Who is coming on Friday?",
    **fields: Any,
) -> dict[str, Any]:
    """The createPost payload (post and userErrors)."""
    variables = {"input": {"organizationId": org, "kind": kind, "body": body, **fields}}
    return graphql.data(CREATE_POST, variables, token=author.token)["createPost"]


def post(graphql: GraphQLClient, author: Member, org: str, **fields: Any) -> dict[str, Any]:
    """A post that must be created without user errors."""
    payload = create_post(graphql, author, org, **fields)
    assert payload["userErrors"] == [], payload
    return payload["post"]


def move(graphql: GraphQLClient, verb: str, who: Member | None, post_id: str) -> Any:
    """The whole response body of a post lifecycle verb (approvePost, deletePost, ...)."""
    return graphql.execute(
        POST_MOVE.format(verb=verb),
        {"input": {"postId": post_id}},
        token=who.token if who else None,
    )


def comment(
    graphql: GraphQLClient, author: Member, post_id: str, body: str, **fields: Any
) -> dict[str, Any]:
    payload = graphql.data(
        ADD_COMMENT, {"input": {"postId": post_id, "body": body, **fields}}, token=author.token
    )["addComment"]
    assert payload["userErrors"] == [], payload
    return payload["comment"]


def moderate(graphql: GraphQLClient, admin: Member, org: str, moderation: str) -> None:
    payload = graphql.data(
        SET_MODERATION,
        {"input": {"organizationId": org, "moderation": moderation}},
        token=admin.token,
    )["setPostModeration"]
    assert payload["userErrors"] == [], payload


def error_code(body: dict[str, Any]) -> str:
    """The extensions.code of a response's one error."""
    assert body.get("errors"), body
    return body["errors"][0]["extensions"]["code"]


def pages(fetch: Callable[[str | None], dict[str, Any]]) -> list[dict[str, Any]]:
    """Every page of a connection, first to last: `fetch(after)` answers the page after the
    cursor `after` (None for the first)."""
    walked = [fetch(None)]
    while walked[-1]["pageInfo"]["hasNextPage"]:
        walked.append(fetch(walked[-1]["pageInfo"]["endCursor"]))
    return walked


def answer(body: dict[str, Any], field: str) -> str:
    """What a mutation answered, in one word: "ok", its first user error's code, or the
    code of the request's error (FORBIDDEN, UNAUTHENTICATED)."""
    if body.get("errors"):
        return body["errors"][0]["extensions"]["code"]
    errors = body["data"][field]["userErrors"]
    return errors[0]["code"] if errors else "ok"

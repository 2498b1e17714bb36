"""Secret calendar addresses: a member's calendar for apps that cannot sign in, revocable."""

from __future__ import annotations

from typing import Any

import icalendar
import pytest

from tests.conftest import GraphQLClient
from tests.events.helpers import SITE_URL, create_event, rsvp
from tests.factories import Member, global_id, join, member, organization

CREATE = """
mutation ($input: CreateCalendarSubscriptionInput!) {
  createCalendarSubscription(input: $input) {
    calendarSubscription { id url createdAt organization { name } }
    userErrors { field code message }
  }
}
"""
REVOKE = """
mutation ($input: RevokeCalendarSubscriptionInput!) {
  revokeCalendarSubscription(input: $input) {
    revokedCalendarSubscriptionId
    userErrors { field code message }
  }
}
"""
MINE = """
query { myCalendarSubscriptions(first: 10) { totalCount edges { node { id url } } } }
"""
NODE = """
query ($id: ID!) { node(id: $id) { id } }
"""
LEAVE = """
mutation ($input: OrganizationIdInput!) {
  leaveOrganization(input: $input) { userErrors { code message } }
}
"""


def _subscribe(graphql: GraphQLClient, who: Member, club: str) -> dict[str, Any]:
    payload = graphql.data(CREATE, {"input": {"organizationId": club}}, token=who.token)
    return payload["createCalendarSubscription"]


def _path(url: str) -> str:
    assert url.startswith(SITE_URL), url
    return "/" + url.removeprefix(SITE_URL)


def _fetch(graphql: GraphQLClient, url: str) -> Any:
    """As a calendar app fetches: the address alone, no Authorization header."""
    return graphql.http.get(_path(url))


def _summaries(graphql: GraphQLClient, url: str) -> list[str]:
    response = _fetch(graphql, url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    return [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(response.content).events]


def _club(graphql: GraphQLClient) -> tuple[Member, Member, str]:
    """An owner, a member, and their club with a public, a members-only and an online event."""
    owner = member(graphql, "Owner")
    insider = member(graphql, "Insider")
    club = organization(graphql, owner, "Subscribers Club")
    join(graphql, insider, club)
    create_event(graphql, owner, club, title="Open Night")
    create_event(graphql, owner, club, title="AGM", audience="MEMBERS_ONLY")
    online = create_event(
        graphql,
        owner,
        club,
        title="Online Talk",
        format="VIRTUAL",
        onlineUrl="https://meet.example.org/talk",
        audience="MEMBERS_ONLY",
    )
    rsvp(graphql, insider, online)
    return owner, insider, club


def test_a_secret_address_shows_what_its_member_sees(graphql: GraphQLClient) -> None:
    _, insider, club = _club(graphql)

    created = _subscribe(graphql, insider, club)

    assert created["userErrors"] == []
    subscription = created["calendarSubscription"]
    assert subscription["organization"] == {"name": "Subscribers Club"}
    assert subscription["url"].startswith(
        f"{SITE_URL}organizations/subscribers-club/calendar.ics?token="
    )
    assert sorted(_summaries(graphql, subscription["url"])) == ["AGM", "Online Talk", "Open Night"]
    assert b"https://meet.example.org/talk" in _fetch(graphql, subscription["url"]).content
    public = graphql.http.get("/organizations/subscribers-club/calendar.ics")
    assert [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(public.content).events] == [
        "Open Night"
    ]


def test_the_owner_sees_the_address_again_and_nobody_else_does(graphql: GraphQLClient) -> None:
    _, insider, club = _club(graphql)
    subscription = _subscribe(graphql, insider, club)["calendarSubscription"]
    other = member(graphql)

    mine = graphql.data(MINE, token=insider.token)["myCalendarSubscriptions"]
    theirs = graphql.data(MINE, token=other.token)["myCalendarSubscriptions"]
    anonymous = graphql.execute(MINE)

    assert mine["totalCount"] == 1
    assert mine["edges"][0]["node"] == {"id": subscription["id"], "url": subscription["url"]}
    assert theirs == {"totalCount": 0, "edges": []}
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert graphql.data(NODE, {"id": subscription["id"]}, token=insider.token)["node"] is None


def test_the_secret_is_not_stored(graphql: GraphQLClient) -> None:
    _, insider, club = _club(graphql)
    url = _subscribe(graphql, insider, club)["calendarSubscription"]["url"]
    token = url.rpartition("token=")[2]
    from api.events.tables import CalendarSubscription

    async def stored() -> list[dict[str, Any]]:
        return await CalendarSubscription.select()

    rows = graphql.http.blocking_portal.call(stored)

    assert len(token) == 43  # an HMAC-SHA256, base64url without padding
    assert len(rows) == 1
    assert [column for column, value in rows[0].items() if token in str(value)] == []


def test_asking_again_replaces_the_address(graphql: GraphQLClient) -> None:
    _, insider, club = _club(graphql)
    first = _subscribe(graphql, insider, club)["calendarSubscription"]["url"]

    second = _subscribe(graphql, insider, club)["calendarSubscription"]["url"]

    assert second != first
    assert _fetch(graphql, first).status_code == 404
    assert "AGM" in _summaries(graphql, second)
    mine = graphql.data(MINE, token=insider.token)["myCalendarSubscriptions"]
    assert [edge["node"]["url"] for edge in mine["edges"]] == [second]


def test_a_revoked_address_stops_at_once(graphql: GraphQLClient) -> None:
    owner, insider, club = _club(graphql)
    subscription = _subscribe(graphql, insider, club)["calendarSubscription"]
    revoke = {"input": {"id": subscription["id"]}}

    by_someone_else = graphql.data(REVOKE, revoke, token=owner.token)["revokeCalendarSubscription"]
    assert by_someone_else["userErrors"][0]["code"] == "NOT_FOUND"
    assert _fetch(graphql, subscription["url"]).status_code == 200
    revoked = graphql.data(REVOKE, revoke, token=insider.token)["revokeCalendarSubscription"]

    assert revoked == {"revokedCalendarSubscriptionId": subscription["id"], "userErrors": []}
    gone = _fetch(graphql, subscription["url"])
    assert gone.status_code == 404
    assert "createCalendarSubscription" in gone.text
    again = graphql.data(REVOKE, revoke, token=insider.token)["revokeCalendarSubscription"]
    assert again["userErrors"][0]["code"] == "NOT_FOUND"
    assert graphql.data(MINE, token=insider.token)["myCalendarSubscriptions"]["totalCount"] == 0


def test_leaving_the_organization_ends_the_address(graphql: GraphQLClient) -> None:
    _, insider, club = _club(graphql)
    url = _subscribe(graphql, insider, club)["calendarSubscription"]["url"]

    left = graphql.data(LEAVE, {"input": {"organizationId": club}}, token=insider.token)

    assert left["leaveOrganization"]["userErrors"] == []
    assert _fetch(graphql, url).status_code == 404
    assert graphql.data(MINE, token=insider.token)["myCalendarSubscriptions"]["totalCount"] == 0


@pytest.mark.parametrize(
    "query",
    [
        "token=",
        "token=forged",
        "token={token_but_its_last_character}",
        "token={token}x",
        "token=" + "a" * 10_000,
        "token=%00%ff",
        "token={other_token}",  # another organization's address
    ],
    ids=["empty", "forged", "cut", "extended", "long", "bytes", "other"],
)
def test_bad_addresses_are_not_found(graphql: GraphQLClient, query: str) -> None:
    _, insider, club = _club(graphql)
    token = _subscribe(graphql, insider, club)["calendarSubscription"]["url"].rpartition("=")[2]
    other = organization(graphql, insider, "Other Subscribers")
    other_url = _subscribe(graphql, insider, other)["calendarSubscription"]["url"]
    tokens = {
        "token": token,
        "token_but_its_last_character": token[:-1],
        "other_token": other_url.rpartition("=")[2],
    }

    response = graphql.http.get(
        f"/organizations/subscribers-club/calendar.ics?{query.format(**tokens)}"
    )

    assert response.status_code == 404


def test_an_address_is_of_its_organization_and_wins_over_a_header(graphql: GraphQLClient) -> None:
    owner, insider, club = _club(graphql)
    url = _subscribe(graphql, insider, club)["calendarSubscription"]["url"]
    token = url.rpartition("token=")[2]

    unknown = graphql.http.get(f"/organizations/no-such-club/calendar.ics?token={token}")
    # The address wins over a header a calendar app would not send anyway.
    with_header = graphql.http.get(_path(url), headers={"Authorization": f"Bearer {owner.token}x"})

    assert unknown.status_code == 404
    assert with_header.status_code == 200


def test_only_members_get_an_address(graphql: GraphQLClient) -> None:
    owner, _, club = _club(graphql)
    stranger = member(graphql)

    refused = _subscribe(graphql, stranger, club)
    unknown = _subscribe(graphql, owner, global_id("Organization", 999_999))
    not_an_organization = _subscribe(graphql, owner, global_id("Event", 1))
    anonymous = graphql.execute(CREATE, {"input": {"organizationId": club}})

    assert refused["calendarSubscription"] is None
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
        ("organizationId", "NOT_ALLOWED")
    ]
    assert unknown["userErrors"][0]["code"] == "NOT_FOUND"
    assert not_an_organization["userErrors"][0]["code"] == "NOT_FOUND"
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert _subscribe(graphql, owner, club)["userErrors"] == []

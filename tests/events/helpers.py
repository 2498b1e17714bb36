"""Operations and builders the event tests share."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.conftest import GraphQLClient
from tests.factories import Member, database_id, global_id

#: The public address the events tests' app is configured with (tests/events/conftest.py).
SITE_URL = "https://events.example.org/"
CREATE_EVENT = """
mutation ($input: CreateEventInput!) {
  createEvent(input: $input) {
    event { id title status timeZone startsAt endsAt capacity audience format onlineUrl }
    userErrors { field code message }
  }
}
"""
UPDATE_EVENT = """
mutation ($input: UpdateEventInput!) {
  updateEvent(input: $input) {
    event { id capacity goingCount waitlistCount spotsLeft }
    userErrors { field code message }
  }
}
"""
CANCEL_EVENT = """
mutation ($input: EventIdInput!) {
  cancelEvent(input: $input) { event { id status cancelledAt } userErrors { field code message } }
}
"""
RSVP = """
mutation ($input: RsvpInput!) {
  rsvp(input: $input) { rsvp { id status guests } userErrors { field code message } }
}
"""
EVENT = """
query ($id: ID!) {
  node(id: $id) {
    ... on Event {
      id title status onlineUrl goingCount waitlistCount spotsLeft capacity
      viewerRsvp { status guests }
    }
  }
}
"""
ATTENDEES = """
query ($id: ID!, $status: RsvpStatus!) {
  node(id: $id) {
    ... on Event {
      attendees(status: $status, first: 50) {
        totalCount
        edges { node { status guests person { id } } }
      }
    }
  }
}
"""


def future(days: float = 7, hour: int = 18) -> datetime:
    base = datetime.now(UTC) + timedelta(days=days)
    return base.replace(hour=hour, minute=0, second=0, microsecond=0)


def event_input(organization_id: str, **fields: Any) -> dict[str, Any]:
    starts = fields.pop("startsAt", None) or future()
    ends = fields.pop("endsAt", None) or starts + timedelta(hours=2)
    values: dict[str, Any] = {
        "organizationId": organization_id,
        "title": "Python Night",
        "kind": "MEETUP",
        "format": "IN_PERSON",
        "startsAt": starts.isoformat() if isinstance(starts, datetime) else starts,
        "endsAt": ends.isoformat() if isinstance(ends, datetime) else ends,
        "timeZone": "Europe/Berlin",
        "capacity": None,
        "venue": "Betahaus",
        "address": "Rudi-Dutschke-Straße 23, Berlin",
    }
    values.update(fields)
    return values


def create_event(graphql: GraphQLClient, admin: Member, organization_id: str, **fields: Any) -> str:
    payload = graphql.data(
        CREATE_EVENT, {"input": event_input(organization_id, **fields)}, token=admin.token
    )["createEvent"]
    assert payload["userErrors"] == [], payload
    return payload["event"]["id"]


def past_event(
    graphql: GraphQLClient, admin: Member, organization_id: str, title: str, days_ago: float = 3
) -> str:
    """An event that took place `days_ago` (set up through the service: the API refuses to
    create one in the past)."""
    from api.core.viewer import Viewer
    from api.events import service
    from api.events.tables import EventFormat, EventKind

    async def create() -> int:
        starts = datetime.now(UTC) - timedelta(days=days_ago)
        event = await service.create_event(
            Viewer(account_id=admin.account_id),
            database_id(organization_id),
            service.EventFields(
                title=title,
                kind=EventKind.MIXER,
                format=EventFormat.IN_PERSON,
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                time_zone="Europe/Berlin",
            ),
            now=starts - timedelta(days=1),
        )
        return event.id

    return global_id("Event", graphql.http.blocking_portal.call(create))


def rsvp(
    graphql: GraphQLClient, person: Member, event_id: str, response: str = "GOING", guests: int = 0
) -> dict[str, Any]:
    variables = {"input": {"eventId": event_id, "response": response, "guests": guests}}
    return graphql.data(RSVP, variables, token=person.token)["rsvp"]


def status_of(graphql: GraphQLClient, person: Member, event_id: str) -> str | None:
    node = graphql.data(EVENT, {"id": event_id}, token=person.token)["node"]
    return node["viewerRsvp"]["status"] if node and node["viewerRsvp"] else None


def event_as(graphql: GraphQLClient, person: Member | None, event_id: str) -> Any:
    return graphql.data(EVENT, {"id": event_id}, token=person.token if person else None)["node"]


INVITE = """
mutation ($input: InviteMemberInput!) {
  inviteMember(input: $input) { membership { id role status } userErrors { field code } }
}
"""
ACCEPT = """
mutation ($input: AcceptInvitationInput!) {
  acceptInvitation(input: $input) { membership { role status } userErrors { field code } }
}
"""


def make_admin(graphql: GraphQLClient, owner: Member, person: Member, organization_id: str) -> None:
    """`person` becomes an active ADMIN of the organization (invited, then accepting)."""
    invite = {"input": {"organizationId": organization_id, "email": person.email, "role": "ADMIN"}}
    invited = graphql.data(INVITE, invite, token=owner.token)["inviteMember"]
    assert invited["userErrors"] == [], invited
    accepted = graphql.data(
        ACCEPT, {"input": {"membershipId": invited["membership"]["id"]}}, token=person.token
    )["acceptInvitation"]
    assert accepted["membership"] == {"role": "ADMIN", "status": "ACTIVE"}, accepted

"""The events part of the GraphQL schema: events, their lifecycle, RSVPs."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay

from api.core.context import Info
from api.core.pagination import After, Connection, First, Page
from api.core.records import mutation
from api.core.types import row_id
from api.core.viewer import Viewer
from api.events import service, subscriptions
from api.events.loaders import EventByIdLoader
from api.events.records import EventRecord, RsvpRecord
from api.events.types import (
    CalendarSubscription,
    CalendarSubscriptionPayload,
    CreateCalendarSubscriptionInput,
    CreateEventInput,
    Event,
    EventIdInput,
    EventPayload,
    RevokeCalendarSubscriptionInput,
    RevokeCalendarSubscriptionPayload,
    Rsvp,
    RsvpInput,
    RsvpPayload,
    UpdateEventInput,
)

_EMPTY = Page(rows=[], total_count=0, has_next_page=False, has_previous_page=False)


@strawberry.type
class EventsQuery:
    @strawberry.field(
        description="Events the viewer may see, by start time: of one organization or of "
        "all; `from` keeps those not over by then, `to` those starting before it."
    )
    async def events(
        self,
        info: Info,
        organization_id: Annotated[
            relay.GlobalID | None,
            strawberry.argument(
                description=(
                    "Only this organization's events; null for the events of "
                    "every organization you may see."
                )
            ),
        ] = None,
        first: First = None,
        after: After = None,
        from_: Annotated[
            datetime | None,
            strawberry.argument(
                name="from",
                description=(
                    "Keep only events not over by this time (pass the current "
                    "time for upcoming events)."
                ),
            ),
        ] = None,
        to: Annotated[
            datetime | None,
            strawberry.argument(description="Keep only events that start before this time."),
        ] = None,
        include_cancelled: Annotated[
            bool, strawberry.argument(description="Also list cancelled events.")
        ] = False,
    ) -> Connection[Event]:
        wanted_organization = None
        if organization_id is not None:
            wanted_organization = row_id(organization_id.node_id)
            if organization_id.type_name != "Organization" or wanted_organization is None:
                return Connection.from_page(_EMPTY, Event.from_row)  # no such organization
        wanted = service.EventFilter(
            organization_id=wanted_organization,
            starts_from=from_,
            starts_before=to,
            include_cancelled=include_cancelled,
        )
        page = await service.list_events(info.context.viewer, wanted, first=first, after=after)
        connection = Connection.from_page(page, Event.from_row)
        # Events page by start time, so their cursors carry it.
        for edge in connection.edges:
            edge.cursor = service.event_cursor(edge.node.source)
        connection.page_info.start_cursor = connection.edges[0].cursor if page.rows else None
        connection.page_info.end_cursor = connection.edges[-1].cursor if page.rows else None
        return connection

    @strawberry.field(description="An event by id; null when it does not exist or is hidden.")
    async def event(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="The event's global id.")],
    ) -> Event | None:
        event_id = row_id(id.node_id)
        if id.type_name != "Event" or event_id is None:
            return None
        event = await info.context.loaders.get(EventByIdLoader).load(event_id)
        return Event.from_record(event) if event else None

    @strawberry.field(description="Your RSVPs, in the order you answered.")
    async def my_rsvps(
        self,
        info: Info,
        upcoming: Annotated[
            bool, strawberry.argument(description="Only RSVPs to events that are not over yet.")
        ] = False,
        first: First = None,
        after: After = None,
    ) -> Connection[Rsvp]:
        page = await service.my_rsvps(
            info.context.viewer, upcoming=upcoming, first=first, after=after
        )
        return Connection.from_page(page, Rsvp.from_row)

    @strawberry.field(
        description="Your secret calendar addresses (createCalendarSubscription), of the "
        "organizations you are still an active member of."
    )
    async def my_calendar_subscriptions(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[CalendarSubscription]:
        page = await subscriptions.my_calendar_subscriptions(
            info.context.viewer, first=first, after=after
        )
        return Connection.from_page(page, CalendarSubscription.from_row)


def _event_payload(event: EventRecord) -> EventPayload:
    return EventPayload(event=Event.from_record(event))


def _rsvp_payload(answer: RsvpRecord) -> RsvpPayload:
    return RsvpPayload(rsvp=Rsvp.from_record(answer))


async def _revoke(viewer: Viewer, input: RevokeCalendarSubscriptionInput) -> relay.GlobalID:
    await subscriptions.revoke_calendar_subscription(viewer, input.subscription())
    return input.id


def _revoked(subscription_id: relay.GlobalID) -> RevokeCalendarSubscriptionPayload:
    return RevokeCalendarSubscriptionPayload(revoked_calendar_subscription_id=subscription_id)


@strawberry.type
class EventsMutation:
    create_event = mutation(
        "Owners and admins: publish an event of the organization.",
        CreateEventInput,
        "The organization and the event's fields.",
        lambda viewer, input: service.create_event(viewer, input.organization(), input.to_fields()),
        _event_payload,
    )

    update_event = mutation(
        "Owners and admins: change an upcoming event; a larger capacity lets the waitlist in, "
        "in order.",
        UpdateEventInput,
        "The event and all of its fields, as on create.",
        lambda viewer, input: service.update_event(viewer, input.event(), input.to_fields()),
        _event_payload,
    )

    cancel_event = mutation(
        "Owners and admins: cancel an upcoming event.",
        EventIdInput,
        "The event to cancel.",
        lambda viewer, input: service.cancel_event(viewer, input.event()),
        _event_payload,
    )

    rsvp = mutation(
        "Answer an event. GOING takes seats for you and your guests, or a place on the "
        "waitlist when it is full; NOT_GOING frees your seats for the waitlist.",
        RsvpInput,
        "The event, your answer and how many guests you bring.",
        lambda viewer, input: service.rsvp(viewer, input.event(), input.answer(), input.guests),
        _rsvp_payload,
    )

    # Not `mutation(...)`: the address is made with the server's secret key, from settings.
    @strawberry.mutation(
        description="Members: a secret address of the organization's calendar for calendar "
        "apps, showing what you see. Asking again replaces it: the old address stops working."
    )
    async def create_calendar_subscription(
        self,
        info: Info,
        input: Annotated[
            CreateCalendarSubscriptionInput,
            strawberry.argument(description="The organization whose calendar to subscribe to."),
        ],
    ) -> CalendarSubscriptionPayload:
        subscription = await subscriptions.create_calendar_subscription(
            info.context.viewer,
            input.organization(),
            info.context.settings.resolved_secret_key(),
        )
        return CalendarSubscriptionPayload(
            calendar_subscription=CalendarSubscription.from_record(subscription)
        )

    revoke_calendar_subscription = mutation(
        "End a secret calendar address at once.",
        RevokeCalendarSubscriptionInput,
        "The subscription whose address stops working.",
        _revoke,
        _revoked,
    )

"""Live notifications: GraphQL subscriptions over WebSocket (graphql-transport-ws at
/graphql, the token in the connection_init payload).

`notify` and `markNotificationsRead` publish on the recipient's topic when they commit
(api/core/live.py); a subscription hears it and reads what changed from the database, under
its viewer read afresh: a session revoked meanwhile ends the subscription (UNAUTHENTICATED).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from api.core import live
from api.core.auth import InvalidToken, viewer_again
from api.core.context import Context, Info
from api.core.errors import Unauthenticated
from api.core.loaders import Loaders
from api.core.viewer import Viewer
from api.notifications import service
from api.notifications.types import Notification


async def _fresh_viewer(context: Context) -> Viewer:
    """The connection's viewer read again before an event is sent (and new loaders: nothing
    read for an earlier event is shown as current)."""
    try:
        viewer = await viewer_again(context.viewer, context.settings)
    except InvalidToken as problem:
        raise Unauthenticated(problem.message) from None
    context.viewer = viewer
    context.loaders = Loaders(viewer)
    return viewer


@strawberry.type
class NotificationsSubscription:
    @strawberry.subscription(
        description="Each notification of yours as it arrives, or as a pile of the same kind "
        "grows (`count`). Over WebSocket at /graphql (graphql-transport-ws), with "
        '`{"Authorization": "Bearer <token>"}` as the connection_init payload.'
    )
    async def notification_added(self, info: Info) -> AsyncGenerator[Notification, None]:
        context = info.context
        me = context.viewer.require_account()
        async with live.events.subscribe(service.live_topic(me)) as events:
            while True:
                group = (await events.get()).get("group")
                if not isinstance(group, str):
                    continue  # notifications were marked read: nothing was added
                viewer = await _fresh_viewer(context)
                record = await service.unread_in_group(viewer, group)
                if record is not None:
                    yield Notification.from_record(record)

    @strawberry.subscription(
        description="How many of your notifications are unread: now, then again whenever "
        "the number changes (a notification arrives, or some are marked read)."
    )
    async def unread_notification_count(self, info: Info) -> AsyncGenerator[int, None]:
        context = info.context
        me = context.viewer.require_account()
        async with live.events.subscribe(service.live_topic(me)) as events:
            last = await service.unread_count(context.viewer)
            yield last
            while True:
                await events.get()
                while not events.empty():  # a burst of events: one count after them all
                    events.get_nowait()
                count = await service.unread_count(await _fresh_viewer(context))
                if count != last:
                    last = count
                    yield count

"""The notifications mutation: `markNotificationsRead` (the viewer's notifications are
fields of `viewer`, in `api.people.types.Account`)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.core.context import Info
from api.core.types import row_id
from api.notifications import service
from api.notifications.types import MarkNotificationsReadInput, MarkNotificationsReadPayload


@strawberry.type
class NotificationsMutation:
    @strawberry.mutation(
        description="Mark notifications of yours read: those of `ids`, or `all` of them. If "
        "an id names no notification of yours, nothing is marked (NOT_FOUND)."
    )
    async def mark_notifications_read(
        self,
        info: Info,
        input: Annotated[
            MarkNotificationsReadInput,
            strawberry.argument(description="The notifications to mark read."),
        ],
    ) -> MarkNotificationsReadPayload:
        viewer = info.context.viewer
        ids = [
            row_id(global_id.node_id) if global_id.type_name == "Notification" else None
            for global_id in input.ids or []
        ]
        marked = await service.mark_read(viewer, ids=ids, everything=input.all)
        return MarkNotificationsReadPayload(
            marked=marked, unread_notification_count=await service.unread_count(viewer)
        )

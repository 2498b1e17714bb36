"""Notification preferences in the schema: `viewer.notificationPreferences` (see
`api.people.types.Account`) and `setNotificationPreferences`."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.core.context import Info
from api.core.types import UserError
from api.notifications import preferences
from api.notifications.tables import EmailChoice
from api.notifications.types import NotificationKind

NotificationEmail = strawberry.enum(
    EmailChoice,
    name="NotificationEmail",
    description="When a kind of notification is also emailed (it is always in the app): "
    "IMMEDIATELY, one email each (a pile that grows while unread is emailed once); DAILY or "
    "WEEKLY, in one digest of what is still unread (daily after CONFRERE_DIGEST_HOUR, weekly "
    "on Mondays); NEVER. Email goes only to a verified address.",
)
PreferenceErrorCode = strawberry.enum(
    preferences.PreferenceErrorCode,
    description="DUPLICATE_KIND: a kind is named twice. INVALID_CHARACTERS: text holds "
    "characters no field may hold.",
)


@strawberry.type(description="Your choice for one kind of notification.")
class NotificationPreference:
    kind: NotificationKind
    email: NotificationEmail
    default_email: NotificationEmail = strawberry.field(
        description="What applies when you make no choice."
    )

    @classmethod
    def from_record(cls, preference: preferences.Preference) -> NotificationPreference:
        return cls(kind=preference.kind, email=preference.email, default_email=preference.default)


@strawberry.input
class NotificationPreferenceInput:
    kind: NotificationKind = strawberry.field(description="The kind of notification.")
    email: NotificationEmail = strawberry.field(
        description="When it is also emailed: IMMEDIATELY, DAILY, WEEKLY or NEVER."
    )


@strawberry.input
class SetNotificationPreferencesInput:
    preferences: list[NotificationPreferenceInput] = strawberry.field(
        description="The kinds to set; the others stay as they are. Choosing a kind's default "
        "removes your own choice."
    )


@strawberry.type(description="A problem with notification preferences.")
class NotificationPreferenceError(UserError):
    code: PreferenceErrorCode


@strawberry.type
class SetNotificationPreferencesPayload:
    preferences: list[NotificationPreference] | None = strawberry.field(
        default=None, description="Your choices for every kind, after the change."
    )
    user_errors: list[NotificationPreferenceError] = strawberry.field(default_factory=list)


@strawberry.type
class NotificationPreferencesMutation:
    @strawberry.mutation(
        description="Choose when kinds of notification are emailed. Notifications of those "
        "kinds not emailed yet follow the new choice."
    )
    async def set_notification_preferences(
        self,
        info: Info,
        input: Annotated[
            SetNotificationPreferencesInput,
            strawberry.argument(description="The kinds and when each is emailed."),
        ],
    ) -> SetNotificationPreferencesPayload:
        chosen = await preferences.set_preferences(
            info.context.viewer, [(choice.kind, choice.email) for choice in input.preferences]
        )
        return SetNotificationPreferencesPayload(
            preferences=[NotificationPreference.from_record(p) for p in chosen]
        )

"""Notifications: one row per thing a person is told, grouped while it stays unread."""

from enum import Enum

from piccolo.columns import BigInt, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from api.people.tables import Account


class NotificationKind(Enum):
    """Every kind of notification, in one place. A capability names its kind when it calls
    `api.notifications.service.notify`."""

    CONNECTION_REQUESTED = "CONNECTION_REQUESTED"
    CONNECTION_ACCEPTED = "CONNECTION_ACCEPTED"
    MEMBERSHIP_REQUESTED = "MEMBERSHIP_REQUESTED"
    MEMBERSHIP_APPROVED = "MEMBERSHIP_APPROVED"
    MEMBERSHIP_INVITED = "MEMBERSHIP_INVITED"
    APPLICATION_RECEIVED = "APPLICATION_RECEIVED"
    APPLICATION_STAGE_CHANGED = "APPLICATION_STAGE_CHANGED"
    WAITLIST_PROMOTED = "WAITLIST_PROMOTED"
    EVENT_CANCELLED = "EVENT_CANCELLED"
    POST_COMMENTED = "POST_COMMENTED"
    EVENT_UPDATED = "EVENT_UPDATED"
    JOB_APPROVED = "JOB_APPROVED"
    JOB_REJECTED = "JOB_REJECTED"
    POST_APPROVED = "POST_APPROVED"
    POST_REJECTED = "POST_REJECTED"
    PERK_APPROVED = "PERK_APPROVED"
    PERK_REJECTED = "PERK_REJECTED"
    EVENT_REMINDER = "EVENT_REMINDER"
    JOB_EXPIRING = "JOB_EXPIRING"
    SAVED_SEARCH_MATCHES = "SAVED_SEARCH_MATCHES"
    COMMENT_REPLIED = "COMMENT_REPLIED"
    MESSAGE_RECEIVED = "MESSAGE_RECEIVED"


class Notification(Table, tablename="notification"):
    """One notification of one recipient.

    While unread, a notification of the same kind about the same subject is bumped instead
    of repeated (`occurrences` + 1, `created_at` now, `actor` the latest): "12 people applied to
    Backend Engineer". `group_key` names that pile (kind + subject); once read, the next one
    starts a new row.
    """

    recipient = ForeignKey(references=Account, on_delete=OnDelete.cascade)
    kind = Varchar(length=40, choices=NotificationKind)
    actor = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True, index=True)
    """Who did it (the latest, for a pile); null for the system or an erased account."""
    subject_type = Varchar(length=40)
    """The Relay type name of what it is about (`Job`, `Event`, `Post`, …)."""
    subject_id = BigInt()
    """The subject's database id: with `subject_type`, its Relay id."""
    subject_title = Varchar(length=200, default="")
    """The subject's name when the notification was written ("Backend Engineer"), for the
    message; the subject itself may have been renamed or deleted since."""
    detail = Varchar(length=200, default="")
    """What changed, where the kind says more than who did what ("INTERVIEW": the stage an
    application moved to)."""
    group_key = Varchar(length=200)
    occurrences = Integer(default=1)
    """How many times it happened while unread (named so: `count` is a Table method)."""
    created_at = Timestamptz(default=TimestamptzNow())
    read_at = Timestamptz(null=True, default=None)
    email_plan = Varchar(length=20, default="NEVER")
    """When it is emailed (an `EmailChoice`): the recipient's choice for its kind when it was
    written, and again whenever they change it before it is sent."""
    emailed_at = Timestamptz(null=True, default=None)
    """When it was mailed, alone or in a digest (or passed over: nowhere to send it)."""


class EmailChoice(Enum):
    """When a kind of notification is also emailed (it is always shown in the app)."""

    IMMEDIATELY = "IMMEDIATELY"
    DAILY = "DAILY"
    WEEKLY = "WEEKLY"
    NEVER = "NEVER"


class NotificationPreference(Table, tablename="notification_preference"):
    """A person's choice for one kind, where it differs from the kind's default (the
    defaults live in code, `api.notifications.preferences.DEFAULT_EMAIL`)."""

    account = ForeignKey(references=Account, on_delete=OnDelete.cascade)
    kind = Varchar(length=40, choices=NotificationKind)
    email = Varchar(length=20, choices=EmailChoice)


class NotificationFanout(Table, tablename="notification_fanout"):
    """A notification for more people than one request should write (an event of thousands
    cancelled): recorded in the change's transaction, told by the worker role in batches
    (`api.notifications.service.tell_waiting`), so the change commits at once and requests
    go on while the crowd is told."""

    kind = Varchar(length=40, choices=NotificationKind)
    actor = ForeignKey(references=Account, on_delete=OnDelete.set_null, null=True)
    subject_type = Varchar(length=40)
    subject_id = BigInt()
    subject_title = Varchar(length=200, default="")
    detail = Varchar(length=200, default="")
    recipients = Text(default="[]")
    """The account ids to tell, as a JSON list."""
    told = Integer(default=0)
    """How many of `recipients` are told; compare-and-set, so two workers never tell one
    batch twice."""
    created_at = Timestamptz(default=TimestamptzNow())

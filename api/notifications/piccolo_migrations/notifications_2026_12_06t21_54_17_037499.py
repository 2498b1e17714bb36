from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from enum import Enum
from piccolo.columns.column_types import Varchar

ID = "2026-12-06T21:54:17:037499"
VERSION = "1.38.0"
DESCRIPTION = "The COMMENT_REPLIED kind"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="notifications", description=DESCRIPTION
    )

    manager.alter_column(
        table_class_name="Notification",
        tablename="notification",
        column_name="kind",
        db_column_name="kind",
        params={
            "choices": Enum(
                "NotificationKind",
                {
                    "CONNECTION_REQUESTED": "CONNECTION_REQUESTED",
                    "CONNECTION_ACCEPTED": "CONNECTION_ACCEPTED",
                    "MEMBERSHIP_REQUESTED": "MEMBERSHIP_REQUESTED",
                    "MEMBERSHIP_APPROVED": "MEMBERSHIP_APPROVED",
                    "MEMBERSHIP_INVITED": "MEMBERSHIP_INVITED",
                    "APPLICATION_RECEIVED": "APPLICATION_RECEIVED",
                    "APPLICATION_STAGE_CHANGED": "APPLICATION_STAGE_CHANGED",
                    "WAITLIST_PROMOTED": "WAITLIST_PROMOTED",
                    "EVENT_CANCELLED": "EVENT_CANCELLED",
                    "POST_COMMENTED": "POST_COMMENTED",
                    "EVENT_UPDATED": "EVENT_UPDATED",
                    "JOB_APPROVED": "JOB_APPROVED",
                    "JOB_REJECTED": "JOB_REJECTED",
                    "POST_APPROVED": "POST_APPROVED",
                    "POST_REJECTED": "POST_REJECTED",
                    "PERK_APPROVED": "PERK_APPROVED",
                    "PERK_REJECTED": "PERK_REJECTED",
                    "EVENT_REMINDER": "EVENT_REMINDER",
                    "JOB_EXPIRING": "JOB_EXPIRING",
                    "SAVED_SEARCH_MATCHES": "SAVED_SEARCH_MATCHES",
                    "COMMENT_REPLIED": "COMMENT_REPLIED",
                },
            )
        },
        old_params={
            "choices": Enum(
                "NotificationKind",
                {
                    "CONNECTION_REQUESTED": "CONNECTION_REQUESTED",
                    "CONNECTION_ACCEPTED": "CONNECTION_ACCEPTED",
                    "MEMBERSHIP_REQUESTED": "MEMBERSHIP_REQUESTED",
                    "MEMBERSHIP_APPROVED": "MEMBERSHIP_APPROVED",
                    "MEMBERSHIP_INVITED": "MEMBERSHIP_INVITED",
                    "APPLICATION_RECEIVED": "APPLICATION_RECEIVED",
                    "APPLICATION_STAGE_CHANGED": "APPLICATION_STAGE_CHANGED",
                    "WAITLIST_PROMOTED": "WAITLIST_PROMOTED",
                    "EVENT_CANCELLED": "EVENT_CANCELLED",
                    "POST_COMMENTED": "POST_COMMENTED",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    manager.alter_column(
        table_class_name="NotificationFanout",
        tablename="notification_fanout",
        column_name="kind",
        db_column_name="kind",
        params={
            "choices": Enum(
                "NotificationKind",
                {
                    "CONNECTION_REQUESTED": "CONNECTION_REQUESTED",
                    "CONNECTION_ACCEPTED": "CONNECTION_ACCEPTED",
                    "MEMBERSHIP_REQUESTED": "MEMBERSHIP_REQUESTED",
                    "MEMBERSHIP_APPROVED": "MEMBERSHIP_APPROVED",
                    "MEMBERSHIP_INVITED": "MEMBERSHIP_INVITED",
                    "APPLICATION_RECEIVED": "APPLICATION_RECEIVED",
                    "APPLICATION_STAGE_CHANGED": "APPLICATION_STAGE_CHANGED",
                    "WAITLIST_PROMOTED": "WAITLIST_PROMOTED",
                    "EVENT_CANCELLED": "EVENT_CANCELLED",
                    "POST_COMMENTED": "POST_COMMENTED",
                    "EVENT_UPDATED": "EVENT_UPDATED",
                    "JOB_APPROVED": "JOB_APPROVED",
                    "JOB_REJECTED": "JOB_REJECTED",
                    "POST_APPROVED": "POST_APPROVED",
                    "POST_REJECTED": "POST_REJECTED",
                    "PERK_APPROVED": "PERK_APPROVED",
                    "PERK_REJECTED": "PERK_REJECTED",
                    "EVENT_REMINDER": "EVENT_REMINDER",
                    "JOB_EXPIRING": "JOB_EXPIRING",
                    "SAVED_SEARCH_MATCHES": "SAVED_SEARCH_MATCHES",
                    "COMMENT_REPLIED": "COMMENT_REPLIED",
                },
            )
        },
        old_params={
            "choices": Enum(
                "NotificationKind",
                {
                    "CONNECTION_REQUESTED": "CONNECTION_REQUESTED",
                    "CONNECTION_ACCEPTED": "CONNECTION_ACCEPTED",
                    "MEMBERSHIP_REQUESTED": "MEMBERSHIP_REQUESTED",
                    "MEMBERSHIP_APPROVED": "MEMBERSHIP_APPROVED",
                    "MEMBERSHIP_INVITED": "MEMBERSHIP_INVITED",
                    "APPLICATION_RECEIVED": "APPLICATION_RECEIVED",
                    "APPLICATION_STAGE_CHANGED": "APPLICATION_STAGE_CHANGED",
                    "WAITLIST_PROMOTED": "WAITLIST_PROMOTED",
                    "EVENT_CANCELLED": "EVENT_CANCELLED",
                    "POST_COMMENTED": "POST_COMMENTED",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    manager.alter_column(
        table_class_name="NotificationPreference",
        tablename="notification_preference",
        column_name="kind",
        db_column_name="kind",
        params={
            "choices": Enum(
                "NotificationKind",
                {
                    "CONNECTION_REQUESTED": "CONNECTION_REQUESTED",
                    "CONNECTION_ACCEPTED": "CONNECTION_ACCEPTED",
                    "MEMBERSHIP_REQUESTED": "MEMBERSHIP_REQUESTED",
                    "MEMBERSHIP_APPROVED": "MEMBERSHIP_APPROVED",
                    "MEMBERSHIP_INVITED": "MEMBERSHIP_INVITED",
                    "APPLICATION_RECEIVED": "APPLICATION_RECEIVED",
                    "APPLICATION_STAGE_CHANGED": "APPLICATION_STAGE_CHANGED",
                    "WAITLIST_PROMOTED": "WAITLIST_PROMOTED",
                    "EVENT_CANCELLED": "EVENT_CANCELLED",
                    "POST_COMMENTED": "POST_COMMENTED",
                    "EVENT_UPDATED": "EVENT_UPDATED",
                    "JOB_APPROVED": "JOB_APPROVED",
                    "JOB_REJECTED": "JOB_REJECTED",
                    "POST_APPROVED": "POST_APPROVED",
                    "POST_REJECTED": "POST_REJECTED",
                    "PERK_APPROVED": "PERK_APPROVED",
                    "PERK_REJECTED": "PERK_REJECTED",
                    "EVENT_REMINDER": "EVENT_REMINDER",
                    "JOB_EXPIRING": "JOB_EXPIRING",
                    "SAVED_SEARCH_MATCHES": "SAVED_SEARCH_MATCHES",
                    "COMMENT_REPLIED": "COMMENT_REPLIED",
                },
            )
        },
        old_params={
            "choices": Enum(
                "NotificationKind",
                {
                    "CONNECTION_REQUESTED": "CONNECTION_REQUESTED",
                    "CONNECTION_ACCEPTED": "CONNECTION_ACCEPTED",
                    "MEMBERSHIP_REQUESTED": "MEMBERSHIP_REQUESTED",
                    "MEMBERSHIP_APPROVED": "MEMBERSHIP_APPROVED",
                    "MEMBERSHIP_INVITED": "MEMBERSHIP_INVITED",
                    "APPLICATION_RECEIVED": "APPLICATION_RECEIVED",
                    "APPLICATION_STAGE_CHANGED": "APPLICATION_STAGE_CHANGED",
                    "WAITLIST_PROMOTED": "WAITLIST_PROMOTED",
                    "EVENT_CANCELLED": "EVENT_CANCELLED",
                    "POST_COMMENTED": "POST_COMMENTED",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager

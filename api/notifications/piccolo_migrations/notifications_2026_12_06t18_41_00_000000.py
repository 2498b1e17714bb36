from enum import Enum

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table


class Account(Table, tablename="account", schema=None):
    id = Serial(
        null=False,
        primary_key=True,
        unique=False,
        index=False,
        index_method=IndexMethod.btree,
        choices=None,
        db_column_name="id",
        secret=False,
    )


ID = "2026-12-06T18:41:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "email of notifications: a person's choice per kind, each one's plan and when it went"


_KINDS = Enum(
    "NotificationKind",
    {
        name: name
        for name in (
            "CONNECTION_REQUESTED",
            "CONNECTION_ACCEPTED",
            "MEMBERSHIP_REQUESTED",
            "MEMBERSHIP_APPROVED",
            "MEMBERSHIP_INVITED",
            "APPLICATION_RECEIVED",
            "APPLICATION_STAGE_CHANGED",
            "WAITLIST_PROMOTED",
            "EVENT_CANCELLED",
            "POST_COMMENTED",
        )
    },
)
_EMAIL_CHOICES = Enum(
    "EmailChoice", {name: name for name in ("IMMEDIATELY", "DAILY", "WEEKLY", "NEVER")}
)


def _params(**overrides):
    params = {
        "null": False,
        "primary_key": False,
        "unique": False,
        "index": False,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
    }
    params.update(overrides)
    return params


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="notifications", description=DESCRIPTION)
    manager.add_table(
        class_name="NotificationPreference",
        tablename="notification_preference",
        schema=None,
        columns=None,
    )
    columns = [
        (
            "account",
            ForeignKey,
            _params(
                references=Account,
                on_delete=OnDelete.cascade,
                on_update=OnUpdate.cascade,
                target_column=None,
                null=True,
            ),
        ),
        ("kind", Varchar, _params(length=40, default="", choices=_KINDS)),
        ("email", Varchar, _params(length=20, default="", choices=_EMAIL_CHOICES)),
    ]
    for name, column_class, params in columns:
        manager.add_column(
            table_class_name="NotificationPreference",
            tablename="notification_preference",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )

    for name, column_class, params in (
        ("email_plan", Varchar, _params(length=20, default="NEVER")),
        ("emailed_at", Timestamptz, _params(default=None, null=True)),
    ):
        manager.add_column(
            table_class_name="Notification",
            tablename="notification",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )

    return manager

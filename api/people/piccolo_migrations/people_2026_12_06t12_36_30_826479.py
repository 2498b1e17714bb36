from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from enum import Enum
from piccolo.columns.column_types import Varchar

ID = "2026-12-06T12:36:30:826479"
VERSION = "1.38.0"
DESCRIPTION = ""


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="people", description=DESCRIPTION
    )

    manager.alter_column(
        table_class_name="AccountToken",
        tablename="account_token",
        column_name="purpose",
        db_column_name="purpose",
        params={
            "choices": Enum(
                "TokenPurpose",
                {
                    "VERIFY_EMAIL": "VERIFY_EMAIL",
                    "RESET_PASSWORD": "RESET_PASSWORD",
                    "CHANGE_EMAIL": "CHANGE_EMAIL",
                },
            )
        },
        old_params={
            "choices": Enum(
                "TokenPurpose",
                {
                    "VERIFY_EMAIL": "VERIFY_EMAIL",
                    "RESET_PASSWORD": "RESET_PASSWORD",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager

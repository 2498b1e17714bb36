from enum import Enum

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Timestamptz, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-06T19:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "saved job searches beside candidate searches, and alerts for both"

_KINDS = Enum("SavedSearchKind", {"CANDIDATES": "CANDIDATES", "JOBS": "JOBS"})
_FREQUENCIES = Enum("AlertFrequency", {"DAILY": "DAILY", "WEEKLY": "WEEKLY", "OFF": "OFF"})


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
    manager = MigrationManager(migration_id=ID, app_name="resumes", description=DESCRIPTION)
    columns = [
        ("kind", Varchar, _params(length=20, default="CANDIDATES", choices=_KINDS)),
        (
            "alert_frequency",
            Varchar,
            _params(length=10, default="OFF", choices=_FREQUENCIES, index=True),
        ),
        ("last_alert_at", Timestamptz, _params(default=None, null=True)),
    ]
    for name, column_class, params in columns:
        manager.add_column(
            table_class_name="SavedSearch",
            tablename="saved_search",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )
    return manager

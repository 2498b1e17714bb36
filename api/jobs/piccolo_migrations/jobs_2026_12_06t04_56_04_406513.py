import json
from datetime import datetime

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.table import Table
from piccolo.columns.column_types import JSON
from piccolo.columns.indexes import IndexMethod


ID = "2026-12-06T04:56:04:406513"
VERSION = "1.38.0"
DESCRIPTION = "application resume snapshot"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="jobs", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="Application",
        tablename="application",
        column_name="resume_snapshot",
        db_column_name="resume_snapshot",
        column_class_name="JSON",
        column_class=JSON,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    async def snapshot_existing_applications():
        # Bound here, not at import: the engine is whichever the migration runs against.
        class _Application(Table, tablename="application", db=engine_finder()):
            pass

        # Applications made before snapshots existed: the resume as it is now is the best
        # record left of what was shared. Withdrawn ones share nothing any more.
        rows = await _Application.raw(
            'SELECT a.id AS application_id, r.* FROM "application" a JOIN "resume" r '
            "ON r.id = a.resume WHERE a.stage <> 'WITHDRAWN'"
        )
        for row in rows:
            application_id = row.pop("application_id")
            snapshot = {}
            for key, value in row.items():
                if isinstance(value, datetime):
                    value = value.isoformat()
                elif key in ("document", "skill_keywords") and isinstance(value, str):
                    value = json.loads(value)
                snapshot[key] = value
            snapshot["taken_at"] = snapshot.get("updated_at")
            await _Application.raw(
                'UPDATE "application" SET resume_snapshot = {} WHERE id = {}',
                json.dumps(snapshot),
                application_id,
            )

    manager.add_raw(snapshot_existing_applications)

    return manager

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-06T05:12:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "one pending verification request per employer"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="networks", description=DESCRIPTION)

    async def add_partial_unique_index():
        # A partial unique index (SQLite and PostgreSQL alike): a second request while one
        # is pending is refused by the database too, whatever races past the service.
        await engine_finder().run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS employer_verification_one_pending "
            'ON "employer_verification_request" ("organization") '
            "WHERE \"status\" = 'PENDING'"
        )

    manager.add_raw(add_partial_unique_index)
    return manager

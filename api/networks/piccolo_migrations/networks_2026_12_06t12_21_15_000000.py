from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-06T12:21:15:000000"
VERSION = "1.38.0"
DESCRIPTION = "one invitation per organization and address"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="networks", description=DESCRIPTION)

    async def add_unique_index():
        # Two admins inviting one address at once make one row: the second insert is refused
        # by the database and the service refreshes the row instead.
        await engine_finder().run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS invitation_one_per_address "
            'ON "invitation" ("organization", "email")'
        )

    manager.add_raw(add_unique_index)
    return manager

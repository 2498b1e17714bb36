from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-06T04:56:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "one calendar subscription per member and organization"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="events", description=DESCRIPTION)

    async def add_unique_index():
        # Piccolo's Unique constraint is ALTER TABLE ... ADD CONSTRAINT, which SQLite
        # lacks; a unique index does the same job on both engines.
        await engine_finder().run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS calendar_subscription_one_per_member ON "
            '"calendar_subscription" ("account", "organization")'
        )

    manager.add_raw(add_unique_index)
    return manager

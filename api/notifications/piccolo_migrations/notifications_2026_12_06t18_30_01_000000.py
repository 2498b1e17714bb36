from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-06T18:30:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes for a recipient's notifications and for grouping them"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="notifications", description=DESCRIPTION)

    async def add_indexes():
        engine = engine_finder()
        # A recipient's page (newest first) and unread count.
        await engine.run_ddl(
            'CREATE INDEX IF NOT EXISTS notification_inbox ON "notification" '
            '("recipient", "read_at", "created_at")'
        )
        # notify's lookup of an unread pile of the same kind and subject.
        await engine.run_ddl(
            'CREATE INDEX IF NOT EXISTS notification_pile ON "notification" '
            '("recipient", "group_key", "read_at")'
        )

    manager.add_raw(add_indexes)
    return manager

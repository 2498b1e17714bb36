from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-27T03:51:36:000000"
VERSION = "1.38.0"
DESCRIPTION = "one block per blocker and blocked person"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="people", description=DESCRIPTION)

    async def add_unique_index():
        # Piccolo's Unique constraint is ALTER TABLE ... ADD CONSTRAINT, which SQLite
        # lacks; a unique index does the same job on both engines.
        await engine_finder().run_ddl('CREATE UNIQUE INDEX IF NOT EXISTS person_block_one_per_pair ON "person_block" ("blocker", "blocked")')

    manager.add_raw(add_unique_index)
    return manager

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-27T00:46:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "one exclusion per person and organization"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="resumes", description=DESCRIPTION)

    async def add_unique_index():
        # Piccolo's Unique constraint is ALTER TABLE ... ADD CONSTRAINT, which SQLite
        # lacks; a unique index does the same job on both engines.
        await engine_finder().run_ddl('CREATE UNIQUE INDEX IF NOT EXISTS resume_exclusion_one_per_pair ON "resume_exclusion" ("account", "organization")')

    manager.add_raw(add_unique_index)
    return manager

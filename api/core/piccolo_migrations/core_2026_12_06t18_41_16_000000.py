from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-06T18:41:16:000000"
VERSION = "1.38.0"
DESCRIPTION = "one claim per scheduled run"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def one_claim_per_run():
        # A second process claiming the same run fails to insert (api/core/schedule.py).
        # Apart from the table's migration: Piccolo runs raw steps before the others.
        await engine_finder().run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS scheduled_run_name_period "
            'ON "scheduled_run" ("name", "period")'
        )

    manager.add_raw(one_claim_per_run)
    return manager

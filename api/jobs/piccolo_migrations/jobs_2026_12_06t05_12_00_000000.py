from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-06T05:12:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "stage history for the applications made before it was kept"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="jobs", description=DESCRIPTION)

    async def backfill_history():
        # Each existing application was submitted by its applicant when it was created; if
        # it has moved since, the move to its current stage is known only by its time.
        engine = engine_finder()
        await engine.run_ddl(
            'INSERT INTO "application_stage_change" '
            '("application", "from_stage", "stage", "moved_by", "moved_at") '
            "SELECT \"id\", '', 'SUBMITTED', \"applicant\", \"created_at\" FROM \"application\""
        )
        await engine.run_ddl(
            'INSERT INTO "application_stage_change" '
            '("application", "from_stage", "stage", "moved_by", "moved_at") '
            "SELECT \"id\", 'SUBMITTED', \"stage\", NULL, \"updated_at\" FROM \"application\" "
            "WHERE \"stage\" <> 'SUBMITTED'"
        )

    manager.add_raw(backfill_history)
    return manager

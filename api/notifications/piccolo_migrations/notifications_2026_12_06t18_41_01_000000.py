from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-06T18:41:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes for email choices and for what waits to be emailed"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="notifications", description=DESCRIPTION)

    async def one_choice_per_kind():
        # One choice per person and kind. (Apart from the tables' migration: Piccolo runs
        # raw steps before the others.)
        engine = engine_finder()
        await engine.run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS notification_preference_account_kind "
            'ON "notification_preference" ("account", "kind")'
        )
        # The mailer's and the digests' lookup of what waits to be emailed.
        await engine.run_ddl(
            "CREATE INDEX IF NOT EXISTS notification_to_email "
            'ON "notification" ("email_plan", "emailed_at")'
        )

    manager.add_raw(one_choice_per_kind)
    return manager

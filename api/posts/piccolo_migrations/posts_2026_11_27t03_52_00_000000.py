from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-27T03:52:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "one report per person and item; indexes for post and comment pages"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="posts", description=DESCRIPTION)

    async def add_indexes():
        # Piccolo's Unique constraint is ALTER TABLE ... ADD CONSTRAINT, which SQLite
        # lacks; unique indexes do the same job on both engines. NULLs are distinct in a
        # unique index, so a comment report (post NULL) never collides with a post report.
        engine = engine_finder()
        await engine.run_ddl(
            'CREATE UNIQUE INDEX IF NOT EXISTS post_report_one_per_person_post ON "post_report" '
            '("post", "reporter")'
        )
        await engine.run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS post_report_one_per_person_comment "
            'ON "post_report" ("comment", "reporter")'
        )
        # A page of an organization's posts: pinned first, newest first.
        await engine.run_ddl(
            'CREATE INDEX IF NOT EXISTS post_page ON "post" '
            '("organization", "status", "pinned", "id")'
        )
        await engine.run_ddl(
            'CREATE INDEX IF NOT EXISTS post_comment_page ON "post_comment" ("post", "status", "id")'
        )

    manager.add_raw(add_indexes)
    return manager

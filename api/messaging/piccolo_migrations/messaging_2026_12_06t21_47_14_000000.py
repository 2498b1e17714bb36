from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-06T21:47:14:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes for a person's conversations, a conversation's messages and quotas"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="messaging", description=DESCRIPTION)

    async def add_indexes():
        engine = engine_finder()
        # One row per person and conversation; a person's conversations (archived or not).
        await engine.run_ddl(
            'CREATE UNIQUE INDEX IF NOT EXISTS participant_person ON "participant" '
            '("account", "conversation")'
        )
        await engine.run_ddl(
            'CREATE INDEX IF NOT EXISTS participant_conversation ON "participant" '
            '("conversation")'
        )
        # A conversation's messages, newest first, and the unread ones after a read mark.
        await engine.run_ddl(
            'CREATE INDEX IF NOT EXISTS message_conversation ON "message" ("conversation", "id")'
        )
        # An employer's message requests of the past week (its quota).
        await engine.run_ddl(
            'CREATE INDEX IF NOT EXISTS conversation_requests ON "conversation" '
            '("organization", "is_request", "created_at")'
        )
        await engine.run_ddl(
            'CREATE INDEX IF NOT EXISTS conversation_newest ON "conversation" ("last_message_id")'
        )

    manager.add_raw(add_indexes)
    return manager

"""Piccolo app for shared tables: the search outbox."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="core",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=table_finder(modules=["api.core.outbox"], exclude_imported=True),
    migration_dependencies=[],
    commands=[],
)

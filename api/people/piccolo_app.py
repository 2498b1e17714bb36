"""Piccolo app for the people capability: its tables and migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="people",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=table_finder(modules=["api.people.tables"], exclude_imported=True),
    migration_dependencies=[],
    commands=[],
)

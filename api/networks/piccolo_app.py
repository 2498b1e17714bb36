"""Piccolo app for networks: organizations and memberships."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="networks",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=table_finder(modules=["api.networks.tables"], exclude_imported=True),
    migration_dependencies=["api.people.piccolo_app"],
    commands=[],
)

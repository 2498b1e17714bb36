"""Piccolo app for posts: posts, comments, reports and each organization's post settings."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="posts",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=table_finder(modules=["api.posts.tables"], exclude_imported=True),
    migration_dependencies=["api.people.piccolo_app", "api.networks.piccolo_app"],
    commands=[],
)

"""Each capability's Piccolo app, declared the same way: its tables, its migrations, the
capabilities its migrations build on."""

from __future__ import annotations

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder


def capability_app(
    app_file: str, *, tables: tuple[str, ...] = ("tables",), depends_on: tuple[str, ...] = ()
) -> AppConfig:
    """The Piccolo app of the capability whose `piccolo_app.py` is `app_file`: the tables of
    its modules named in `tables`, the migrations in its `piccolo_migrations/`, after the
    migrations of the capabilities named in `depends_on`."""
    folder = Path(app_file).parent
    return AppConfig(
        app_name=folder.name,
        migrations_folder_path=str(folder / "piccolo_migrations"),
        table_classes=table_finder(
            modules=[f"api.{folder.name}.{module}" for module in tables], exclude_imported=True
        ),
        migration_dependencies=[f"api.{name}.piccolo_app" for name in depends_on],
        commands=[],
    )

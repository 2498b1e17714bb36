"""Piccolo's configuration: the apps whose tables and migrations make up Confrere.

`DB` is assigned at start-up by `api.core.db.use_database(settings)`, never here, so the
same code serves SQLite, PostgreSQL and a fresh database per test.
"""

from piccolo.conf.apps import AppRegistry
from piccolo.engine.base import Engine

DB: Engine | None = None

APP_REGISTRY = AppRegistry(
    apps=[
        "api.core.piccolo_app",
        "api.people.piccolo_app",
        "api.networks.piccolo_app",
        "api.resumes.piccolo_app",
        "api.jobs.piccolo_app",
        "api.events.piccolo_app",
        "api.posts.piccolo_app",
        "api.chambers.piccolo_app",
        "api.mail.piccolo_app",
        "api.privacy.piccolo_app",
        "api.notifications.piccolo_app",
        "api.messaging.piccolo_app",
    ]
)

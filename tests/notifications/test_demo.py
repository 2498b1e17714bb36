"""The demo network, seeded through the real services, leaves Ada with unread notifications
of several kinds, as `make run` shows her."""

from __future__ import annotations

import pytest

from tests.conftest import GraphQLClient
from tests.factories import LOGIN
from tests.notifications.helpers import NOTIFICATIONS


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_ada_has_unread_notifications_right_after_seeding(graphql: GraphQLClient) -> None:
    from api.demo import DEMO_MEMBER_EMAIL, DEMO_PASSWORD, seed_demo

    settings = graphql.http.app.state.settings
    graphql.http.blocking_portal.call(lambda: seed_demo(settings, accounts=30, alumni=20))

    login = graphql.data(LOGIN, {"input": {"email": DEMO_MEMBER_EMAIL, "password": DEMO_PASSWORD}})[
        "login"
    ]
    viewer = graphql.data(NOTIFICATIONS, {"first": 50}, token=login["token"])["viewer"]

    assert viewer["unreadNotificationCount"] > 0
    nodes = [edge["node"] for edge in viewer["notifications"]["edges"]]
    assert len({node["kind"] for node in nodes}) >= 2, nodes
    assert all(node["message"] for node in nodes)

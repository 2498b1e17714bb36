"""The demo network gives Ada conversations, one of them a pending message request from a
verified employer, as `make run` shows her."""

from __future__ import annotations

import pytest

from tests.conftest import GraphQLClient
from tests.factories import LOGIN

ADAS_CONVERSATIONS = """
{
  viewer {
    unreadMessageCount
    conversations(first: 20) {
      edges { node { kind isRequest viewerRequestStatus organization { name } } }
    }
  }
}
"""


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_ada_has_conversations_and_a_pending_request(graphql: GraphQLClient) -> None:
    from api.demo import DEMO_MEMBER_EMAIL, DEMO_PASSWORD, seed_demo

    settings = graphql.http.app.state.settings
    graphql.http.blocking_portal.call(lambda: seed_demo(settings, accounts=30, alumni=20))
    credentials = {"input": {"email": DEMO_MEMBER_EMAIL, "password": DEMO_PASSWORD}}
    token = graphql.data(LOGIN, credentials)["login"]["token"]
    viewer = graphql.data(ADAS_CONVERSATIONS, token=token)["viewer"]
    nodes = [edge["node"] for edge in viewer["conversations"]["edges"]]
    assert {node["kind"] for node in nodes} == {"DIRECT", "GROUP"}
    requests = [node for node in nodes if node["isRequest"]]
    assert len(requests) == 1
    assert requests[0]["viewerRequestStatus"] == "PENDING"
    assert requests[0]["organization"]["name"]
    assert viewer["unreadMessageCount"] >= 1

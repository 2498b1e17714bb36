"""Fixtures for the resumes tests: the audience network every visibility test starts from."""

from __future__ import annotations

import pytest

from tests.conftest import GraphQLClient
from tests.resumes.audiences import Network, build_network


@pytest.fixture
def network(graphql: GraphQLClient) -> Network:
    return build_network(graphql)

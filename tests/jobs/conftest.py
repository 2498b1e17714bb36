"""The jobs tests' cast: staff, a verified employer (Globex) and a rival one (Initech)."""

from __future__ import annotations

import pytest

from tests.conftest import GraphQLClient
from tests.factories import Employer, Member, employer, member


@pytest.fixture
def staff(graphql: GraphQLClient) -> Member:
    return member(graphql, "Staff", staff=True)


@pytest.fixture
def globex(graphql: GraphQLClient, staff: Member) -> Employer:
    """A verified employer: its first posting waits for review, later ones go straight out."""
    return employer(graphql, "Globex", staff=staff)


@pytest.fixture
def initech(graphql: GraphQLClient) -> Employer:
    """Another employer, which must never touch Globex's postings or applicants."""
    return employer(graphql, "Initech", recruiter="Rick")

"""Anonymous queries' answers are given again while nothing they were made from has changed:
never to a signed-in request, never for a mutation or an error, and never past a commit to
the database or to a search index."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from litestar import Response
from litestar.testing import TestClient

from api.app import create_app
from api.core.indexing import Indexer
from api.core.response_cache import ENTRY_OVERHEAD, ResponseCache
from api.core.settings import IndexerMode, Settings, SettingsError
from api.indexes import indexes
from api.people.account_mail import MAILS_PER_ADDRESS
from tests.conftest import GraphQLClient
from tests.core.test_metrics import samples
from tests.factories import employer, job, member

JOBS = "{ jobs(first: 50) { totalCount edges { node { title } } } }"
SEARCH_JOBS = """
query ($query: String) { searchJobs(query: $query) { totalCount edges { node { title } } } }
"""
VIEWER = "{ viewer { id } }"
REQUEST_RESET = """
mutation ($input: RequestPasswordResetInput!) {
  requestPasswordReset(input: $input) { userErrors { code } }
}
"""
MISSING_JOB = '{ job(id: "not-an-id") { title } }'


def given(http: TestClient[Any]) -> dict[str, float]:
    """How many anonymous queries were given a kept answer ("hit") and made afresh ("miss")."""
    counts = samples(http, "confrere_kept_answer_lookups_total")
    return {dict(labels)["outcome"]: value for labels, value in counts.items()}


def hits(http: TestClient[Any]) -> float:
    return given(http).get("hit", 0.0)


@pytest.fixture
def long_lived(settings: Settings) -> Iterator[TestClient[Any]]:
    """An app whose answers would live an hour: only a change can make one afresh."""
    with TestClient(app=create_app(replace(settings, response_cache_seconds=3600))) as client:
        yield client


def test_an_anonymous_query_is_given_its_kept_answer(graphql: GraphQLClient) -> None:
    # Given an anonymous query answered once
    first = graphql.execute(JOBS)

    # When it is asked again, until an answer comes from what was kept (the app's start-up
    # work may still be committing, and each commit makes the next answer afresh)
    for _ in range(100):
        before = hits(graphql.http)
        again = graphql.execute(JOBS)
        assert again == first
        if hits(graphql.http) == before + 1:
            break
    else:
        pytest.fail("no answer was given from what was kept")


@pytest.fixture
def unindexed(settings: Settings) -> Iterator[TestClient[Any]]:
    """An app whose answers would live an hour and whose indexes only move when a test
    applies the outbox: only a commit to the database, or one the test makes to an index,
    can make an answer afresh."""
    stopped = replace(settings, indexer=IndexerMode.EXTERNAL, response_cache_seconds=3600)
    with TestClient(app=create_app(stopped)) as client:
        client.blocking_portal.call(Indexer(indexes(stopped)).prepare)  # the indexes, empty
        yield client


def _close_in_the_database(http: TestClient[Any], title: str) -> None:
    """Close a posting by another connection than the app's requests use (as an
    administrator's script would), without touching the search index."""
    from api.jobs.tables import JobPosting

    async def close() -> None:
        await JobPosting.update({JobPosting.status: "CLOSED"}).where(JobPosting.title == title)

    http.blocking_portal.call(close)


def test_a_commit_makes_the_next_answer_afresh(unindexed: TestClient[Any]) -> None:
    # Given the board's answer kept while it listed two postings
    graphql = GraphQLClient(unindexed)
    globex = employer(graphql, staff=member(graphql, "Staff", staff=True))
    job(graphql, globex, "PUBLISHED", title="Lighthouse Keeper")
    job(graphql, globex, "PUBLISHED", title="Harbour Pilot")
    assert graphql.data(JOBS)["jobs"]["totalCount"] == 2
    assert graphql.data(JOBS)["jobs"]["totalCount"] == 2

    # When one is closed straight in the database
    _close_in_the_database(unindexed, "Harbour Pilot")

    # Then the next anonymous answer follows the commit at once
    listed = graphql.data(JOBS)["jobs"]
    assert [edge["node"]["title"] for edge in listed["edges"]] == ["Lighthouse Keeper"]


def test_a_search_answer_follows_the_index(unindexed: TestClient[Any]) -> None:
    # Given a posting committed that the index does not have yet: an answer of none is kept
    graphql = GraphQLClient(unindexed)
    staff = member(graphql, "Staff", staff=True)
    job(graphql, employer(graphql, staff=staff), "PUBLISHED", title="Lighthouse Keeper")
    variables = {"query": "lighthouse"}
    assert graphql.data(SEARCH_JOBS, variables)["searchJobs"]["totalCount"] == 0
    assert graphql.data(SEARCH_JOBS, variables)["searchJobs"]["totalCount"] == 0

    # When the indexer applies the outbox (a commit to the index, none to the database)
    settings = unindexed.app.state.settings
    applied = unindexed.blocking_portal.call(Indexer(indexes(settings)).catch_up)
    assert applied >= 1

    # Then the next search finds the posting
    assert graphql.data(SEARCH_JOBS, variables)["searchJobs"]["totalCount"] == 1


def test_a_signed_in_request_never_gets_an_anonymous_answer(
    long_lived: TestClient[Any],
) -> None:
    graphql = GraphQLClient(long_lived)
    ada = member(graphql, "Ada")
    # Given the anonymous answer kept
    assert graphql.data(VIEWER) == {"viewer": None}
    assert graphql.data(VIEWER) == {"viewer": None}
    looked_up = given(long_lived)

    # When the same document comes with a token, and with a session cookie
    with_token = graphql.data(VIEWER, token=ada.token)
    with_cookie = long_lived.post(
        "/graphql", json={"query": VIEWER}, cookies={"confrere_session": ada.token}
    )
    long_lived.cookies.clear()

    # Then each is answered for its own viewer, without looking among the kept answers
    assert with_token["viewer"]["id"]
    assert with_cookie.json()["data"]["viewer"]["id"] == with_token["viewer"]["id"]
    assert given(long_lived) == looked_up
    # and the anonymous answer is still no one's
    assert graphql.data(VIEWER) == {"viewer": None}


def test_a_mutation_is_never_kept(long_lived: TestClient[Any]) -> None:
    # Given an anonymous mutation that sets no cookie, asked as often as an address may
    graphql = GraphQLClient(long_lived)
    variables = {"input": {"email": "ghost@example.org"}}
    answers = [graphql.data(REQUEST_RESET, variables) for _ in range(MAILS_PER_ADDRESS)]
    assert all(answer["requestPasswordReset"]["userErrors"] == [] for answer in answers)

    # When the same request comes once more, then it runs again, and is refused this time
    refused = graphql.data(REQUEST_RESET, variables)["requestPasswordReset"]
    assert [error["code"] for error in refused["userErrors"]] == ["TOO_MANY_ATTEMPTS"]
    assert given(long_lived).get("hit", 0.0) == 0
    # and none of the answers was kept (each commit would make it afresh: this is the
    # guard for a mutation that commits nothing)
    assert long_lived.app.state.response_cache.size_bytes == 0
    graphql.data(JOBS)
    assert long_lived.app.state.response_cache.size_bytes > 0


def test_an_answer_with_errors_is_never_kept(long_lived: TestClient[Any]) -> None:
    graphql = GraphQLClient(long_lived)
    for _ in range(2):
        assert "errors" in graphql.execute(MISSING_JOB)
    assert given(long_lived).get("hit", 0.0) == 0
    assert given(long_lived)["miss"] == 2


def test_no_answer_is_kept_when_turned_off(settings: Settings) -> None:
    with TestClient(app=create_app(replace(settings, response_cache_seconds=0))) as http:
        graphql = GraphQLClient(http)
        for _ in range(3):
            graphql.data(JOBS)
        assert given(http) == {}


def _answer(size: int) -> Response[bytes]:
    return Response(b"x" * size, status_code=200, media_type="application/json")


def test_the_answers_kept_stay_within_the_budget() -> None:
    # Given a megabyte filled with 17 answers of 60 kB, the first of them used again since
    cache = ResponseCache(seconds=60, megabytes=1)
    names = [f"query {n}".encode() for n in range(18)]
    for name in names[:17]:
        cache.keep(name, "now", _answer(60_000))
    assert cache.get(names[0], "now") is not None

    # When an 18th is kept
    cache.keep(names[17], "now", _answer(60_000))

    # Then the least recently used one went, and the bytes held stay within the budget
    assert cache.size_bytes <= cache.budget
    assert cache.get(names[1], "now") is None
    assert all(cache.get(name, "now") is not None for name in [names[0], *names[2:]])


def test_tiny_answers_are_counted_with_what_holds_them() -> None:
    # Given a budget of 64 kB
    cache = ResponseCache(seconds=60, megabytes=1 / 16)

    # When a thousand answers of ten bytes are kept
    for n in range(1000):
        cache.keep(f"{n}".encode(), "now", _answer(10))

    # Then far fewer than a thousand stay: each counts what holds it, not its ten bytes
    kept = sum(cache.get(f"{n}".encode(), "now") is not None for n in range(1000))
    assert 0 < kept <= cache.budget // ENTRY_OVERHEAD
    assert cache.size_bytes <= cache.budget


def test_an_answer_larger_than_its_share_is_not_kept() -> None:
    cache = ResponseCache(seconds=60, megabytes=1)
    cache.keep(b"big", "now", _answer(1024 * 1024 // 16 + 1))
    assert cache.get(b"big", "now") is None
    assert cache.size_bytes == 0


def test_an_answer_is_not_given_once_its_time_is_up() -> None:
    cache = ResponseCache(seconds=0.2, megabytes=1)
    cache.keep(b"query", "now", _answer(10))
    assert cache.get(b"query", "now") is not None

    time.sleep(0.3)

    assert cache.get(b"query", "now") is None
    assert cache.size_bytes == 0


def test_an_answer_made_from_another_state_is_not_given() -> None:
    cache = ResponseCache(seconds=60, megabytes=1)
    cache.keep(b"query", ("database", 1), _answer(10))
    assert cache.get(b"query", ("database", 2)) is None
    assert cache.get(b"query", ("database", 1)) is None  # dropped when found stale


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CONFRERE_RESPONSE_CACHE_SECONDS", "soon"),
        ("CONFRERE_RESPONSE_CACHE_SECONDS", "-1"),
        ("CONFRERE_RESPONSE_CACHE_SECONDS", "nan"),
        ("CONFRERE_RESPONSE_CACHE_MB", "lots"),
    ],
)
def test_a_bad_setting_is_refused_with_its_name(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_environment({name: value, "CONFRERE_SECRET_KEY": "k" * 32})

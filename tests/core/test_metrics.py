"""/metrics in Prometheus text format, and the one log line per request."""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from typing import Any

import pytest
from litestar.testing import TestClient
from prometheus_client.parser import text_string_to_metric_families

from api.app import create_app
from api.core.metrics import MAX_OPERATION_NAMES
from api.core.settings import IndexerMode, Settings, SettingsError
from api.indexes import KINDS
from tests.conftest import GraphQLClient
from tests.factories import member, organization

NAMED_QUERY = "query WhoAmI { __typename }"
ANONYMOUS_QUERY = "{ __typename }"


def samples(http: TestClient[Any], name: str) -> dict[tuple[tuple[str, str], ...], float]:
    """The samples of one metric family, keyed by their sorted labels."""
    response = http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    found = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            if sample.name == name:
                found[tuple(sorted(sample.labels.items()))] = sample.value
    return found


def search_index_names() -> list[str]:
    return [kind.name for kind in KINDS]


def graphql_count(http: TestClient[Any], operation: str) -> float:
    counts = samples(http, "confrere_requests_total")
    return sum(
        value
        for labels, value in counts.items()
        if dict(labels)["route"] == "/graphql" and dict(labels)["operation"] == operation
    )


def test_a_graphql_request_is_counted_under_its_operation_name(
    http: TestClient[Any], graphql: GraphQLClient
) -> None:
    before = graphql_count(http, "WhoAmI")

    graphql.data(NAMED_QUERY)
    graphql.data(ANONYMOUS_QUERY)

    assert graphql_count(http, "WhoAmI") == before + 1
    assert graphql_count(http, "anonymous") >= 1
    durations = samples(http, "confrere_request_duration_seconds_count")
    assert durations[(("operation", "WhoAmI"), ("route", "/graphql"))] == 1


def test_other_routes_are_counted_by_their_route(http: TestClient[Any]) -> None:
    http.get("/healthz")

    counts = samples(http, "confrere_requests_total")

    assert counts[(("operation", ""), ("route", "/healthz"), ("status", "200"))] == 1


def test_a_hostile_operation_name_makes_no_new_label(
    http: TestClient[Any], graphql: GraphQLClient
) -> None:
    hostile = 'x" } evil{label="1'
    response = http.post("/graphql", json={"query": ANONYMOUS_QUERY, "operationName": hostile})
    assert response.status_code in (200, 400)

    operations = {dict(labels)["operation"] for labels in samples(http, "confrere_requests_total")}

    assert hostile not in operations
    assert "other" in operations


def test_client_chosen_names_are_capped_in_number(http: TestClient[Any]) -> None:
    for n in range(MAX_OPERATION_NAMES + 5):
        http.post("/graphql", json={"query": f"query Name{n} {{ __typename }}"})

    operations = {dict(labels)["operation"] for labels in samples(http, "confrere_requests_total")}

    assert len(operations - {"", "other", "anonymous"}) == MAX_OPERATION_NAMES
    assert f"Name{MAX_OPERATION_NAMES + 4}" not in operations
    assert graphql_count(http, "other") == 5


def test_outbox_lag_counts_the_events_an_index_has_not_applied(settings: Settings) -> None:
    # Given an external indexer that is not running: nothing applies what is written here
    stopped_indexer = replace(settings, indexer=IndexerMode.EXTERNAL)
    with TestClient(app=create_app(stopped_indexer)) as http:
        graphql = GraphQLClient(http)
        before = samples(http, "confrere_search_outbox_lag")
        assert set(before) == {(("index", name),) for name in search_index_names()}

        # When two people found clubs (each new membership is an outbox event)
        for name in ("Ada Lovelace", "Grace Hopper"):
            organization(graphql, member(graphql, name), f"{name}'s club")

        # Then every index lags by the events written since
        after = samples(http, "confrere_search_outbox_lag")
        grown = {labels: after[labels] - before[labels] for labels in after}
        assert min(grown.values()) >= 2
        assert samples(http, "confrere_outbox_pending_events")[()] == max(after.values())


def test_each_request_logs_one_line(
    graphql: GraphQLClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="confrere.requests"):
        graphql.data(NAMED_QUERY)

    lines = [r.getMessage() for r in caplog.records if r.name == "confrere.requests"]
    assert len(lines) == 1
    assert lines[0].startswith("POST /graphql operation=WhoAmI status=200 duration_ms=")


def test_a_newline_in_the_path_cannot_forge_a_log_line(
    http: TestClient[Any], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="confrere.requests"):
        http.get("/jobs/x%0AGET /admin operation=- status=200")

    [line] = [r.getMessage() for r in caplog.records if r.name == "confrere.requests"]
    assert "\n" not in line
    assert "x\\nGET /admin" in line


def test_the_servers_site_builds_are_timed(sqlite_settings: Settings) -> None:
    # Given a server that rebuilds the site soon after a public change
    quick = replace(sqlite_settings, site_rebuild_delay=0.3)
    with TestClient(app=create_app(quick)) as http:
        graphql = GraphQLClient(http)
        assert samples(http, "confrere_site_build_duration_seconds_count") == {(): 0}

        # When something changes, the server builds the site
        organization(graphql, member(graphql, "Ada Lovelace"), "Analytical Engine Club")

        # Then that build is timed
        deadline = time.monotonic() + 120
        while samples(http, "confrere_site_build_duration_seconds_count") == {(): 0}:
            assert time.monotonic() < deadline, "no site build was timed"
            time.sleep(0.2)
        assert "confrere site build" not in http.get("/").text  # the placeholder page is gone


METRICS_TOKEN = "a-metrics-token-for-tests-0123456789"


@pytest.mark.parametrize(
    ("authorization", "status"),
    [
        (None, 401),
        ("Bearer wrong-token-of-some-length", 401),
        (METRICS_TOKEN, 401),  # the scheme is part of the header
        (f"Bearer {METRICS_TOKEN}", 200),
    ],
)
def test_with_a_metrics_token_only_its_bearer_reads_the_metrics(
    sqlite_settings: Settings, authorization: str | None, status: int
) -> None:
    # Given a server with a metrics token
    guarded = replace(sqlite_settings, metrics_token=METRICS_TOKEN)
    with TestClient(app=create_app(guarded)) as http:
        # When /metrics is asked with (or without) an Authorization header
        headers = {"Authorization": authorization} if authorization else {}
        response = http.get("/metrics", headers=headers)

        # Then only the token's bearer reads them
        assert response.status_code == status
        assert ("confrere_requests_total" in response.text) is (status == 200)


@pytest.mark.parametrize("token", ["short", "sixteen chars\nno"])
def test_a_metrics_token_that_is_too_weak_is_refused_at_start(token: str) -> None:
    with pytest.raises(SettingsError, match="CONFRERE_METRICS_TOKEN"):
        Settings.from_environment({"CONFRERE_METRICS_TOKEN": token})

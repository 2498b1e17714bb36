"""Documents are parsed and validated once, then reused: the limits that depend on the
variables still hold for every request, and a document that fails is never reused."""

from __future__ import annotations

from tests.conftest import GraphQLClient
from tests.factories import database_id, member

PAGES_OF_PAGES = """
query Pages($n: Int) {
  publicResumes(first: $n) { edges { node { id owner { resumes(first: $n) { edges { node {
    id owner { resumes(first: $n) { totalCount } } } } } } } } }
}
"""
UNKNOWN_FIELD = "{ viewer { id nonsenseField } }"


def test_a_reused_document_is_still_costed_with_each_request_s_variables(
    graphql: GraphQLClient,
) -> None:
    # Given a document that passed once with small pages (and was kept)
    assert graphql.data(PAGES_OF_PAGES, {"n": 1}) == {"publicResumes": {"edges": []}}
    assert graphql.data(PAGES_OF_PAGES, {"n": 1}) == {"publicResumes": {"edges": []}}

    # When the same text comes with pages too large to allow
    refused = graphql.execute(PAGES_OF_PAGES, {"n": 100})

    # Then it is refused before it runs, as it would be the first time
    assert refused["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert refused.get("data") is None


def test_a_document_that_fails_validation_fails_every_time(graphql: GraphQLClient) -> None:
    for _ in range(3):
        body = graphql.execute(UNKNOWN_FIELD)

        assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert "nonsenseField" in body["errors"][0]["message"]


def test_a_kept_document_answers_each_viewer_with_their_own_data(graphql: GraphQLClient) -> None:
    ada, grace = member(graphql, "Ada"), member(graphql, "Grace")
    document = "{ viewer { id } }"

    first = graphql.data(document, token=ada.token)["viewer"]["id"]
    second = graphql.data(document, token=grace.token)["viewer"]["id"]

    assert (database_id(first), database_id(second)) == (ada.account_id, grace.account_id)

"""The directory exports fetched with a POST, as the member app does: a JSON POST is the only
request the browser session's cookie authenticates, so the admin page asks for
/organizations/<slug>/directory.csv and .vcf with `POST {}`; a GET carrying only the cookie
stays anonymous (401), and a non-admin's cookie is refused (403)."""

from __future__ import annotations

import csv
import io

import pytest

from api.core.auth import SESSION_COOKIE
from tests.conftest import GraphQLClient
from tests.factories import Member, member
from tests.networks.directory_helpers import alumni_association, alumnus

SLUG = "posted-alumni"


def _post(graphql: GraphQLClient, path: str, cookie: Member | None, **kwargs: object):
    # The client keeps the cookies of the registrations that seeded the test: start clean.
    graphql.http.cookies.clear()
    cookies = {SESSION_COOKIE: cookie.token} if cookie else None
    return graphql.http.post(path, cookies=cookies, **kwargs)


@pytest.fixture
def association(graphql: GraphQLClient) -> dict[str, Member]:
    owner = member(graphql, "Olga Owner")
    organization_id = alumni_association(graphql, owner, "Posted Alumni")
    ada, _ = alumnus(graphql, organization_id, "Ada Lovelace", school="ETH Zurich", classYear=2015)
    return {"owner": owner, "ada": ada}


@pytest.mark.parametrize("extension", ["csv", "vcf"])
def test_an_admin_s_browser_cookie_fetches_the_export_with_a_json_post(
    graphql: GraphQLClient, association: dict[str, Member], extension: str
) -> None:
    response = _post(
        graphql, f"/organizations/{SLUG}/directory.{extension}", association["owner"], json={}
    )

    assert response.status_code == 200, response.text
    assert f"{SLUG}-directory.{extension}" in response.headers["content-disposition"]
    assert response.headers["cache-control"] == "no-store"
    assert "Ada Lovelace" in response.text
    if extension == "csv":
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert {row["name"] for row in rows} == {"Olga Owner", "Ada Lovelace"}
    else:
        assert response.text.startswith("BEGIN:VCARD\r\n")


def test_a_bearer_token_works_on_the_post_too(
    graphql: GraphQLClient, association: dict[str, Member]
) -> None:
    graphql.http.cookies.clear()
    response = graphql.http.post(
        f"/organizations/{SLUG}/directory.csv",
        json={},
        headers={"Authorization": f"Bearer {association['owner'].token}"},
    )
    assert response.status_code == 200
    assert "Ada Lovelace" in response.text


def test_a_member_who_is_not_an_admin_is_refused(
    graphql: GraphQLClient, association: dict[str, Member]
) -> None:
    response = _post(graphql, f"/organizations/{SLUG}/directory.csv", association["ada"], json={})
    assert response.status_code == 403
    assert "Ada Lovelace" not in response.text


@pytest.mark.parametrize("extension", ["csv", "vcf"])
def test_a_get_with_only_the_cookie_is_anonymous(
    graphql: GraphQLClient, association: dict[str, Member], extension: str
) -> None:
    graphql.http.cookies.clear()
    response = graphql.http.get(
        f"/organizations/{SLUG}/directory.{extension}",
        cookies={SESSION_COOKIE: association["owner"].token},
    )
    assert response.status_code == 401
    assert "Ada Lovelace" not in response.text


def test_a_post_that_is_not_json_is_anonymous_even_with_the_cookie(
    graphql: GraphQLClient, association: dict[str, Member]
) -> None:
    # What a cross-site form could send: the cookie rides along, but must not act.
    response = _post(
        graphql,
        f"/organizations/{SLUG}/directory.csv",
        association["owner"],
        data={"x": "1"},
    )
    assert response.status_code == 401
    assert "Ada Lovelace" not in response.text


def test_only_the_exports_answer_a_post(
    graphql: GraphQLClient, association: dict[str, Member]
) -> None:
    owner = association["owner"]
    assert _post(graphql, f"/organizations/{SLUG}/calendar.ics", owner, json={}).status_code == 404
    assert _post(graphql, f"/organizations/{SLUG}/", owner, json={}).status_code == 404
    missing = _post(graphql, "/organizations/no-such-slug/directory.csv", owner, json={})
    assert missing.status_code == 404

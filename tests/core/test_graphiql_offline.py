"""GraphiQL at /graphql loads nothing from another host: its files are served by Confrere."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.core.graphql import GRAPHIQL_DIR
from api.core.settings import Environment, Settings

HTML = {"Accept": "text/html"}
ANY_URL = re.compile(r"\b(?:https?:)?//[^\s\"'`<>]+", re.IGNORECASE)
CONTENT_TYPES = {".js": ("text/javascript", "application/javascript"), ".css": ("text/css",)}
YEAR = 365 * 24 * 3600


class References(HTMLParser):
    """Every address the page's tags load (script src, link href), with its integrity."""

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[tuple[str, str, str | None]] = []  # (tag, address, integrity)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        for attribute in ("src", "href"):
            address = named.get(attribute)
            if address:
                self.loaded.append((tag, address, named.get("integrity")))


def references(page: str) -> list[tuple[str, str, str | None]]:
    parser = References()
    parser.feed(page)
    return parser.loaded


def test_graphiql_names_no_other_host(http: TestClient[Any]) -> None:
    page = http.get("/graphql", headers=HTML)

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "GraphiQL.createFetcher" in page.text
    assert ANY_URL.findall(page.text) == []  # no http://, https:// or //host anywhere
    addresses = [address for _, address, _ in references(page.text)]
    assert addresses, "the page loads its scripts and styles"
    assert all(
        address.startswith("/graphql/assets/") or address == "data:," for address in addresses
    ), addresses


def test_every_file_graphiql_loads_is_served_with_its_type_hash_and_a_long_cache(
    http: TestClient[Any],
) -> None:
    page = http.get("/graphql", headers=HTML).text
    loaded = [(tag, a, i) for tag, a, i in references(page) if a.startswith("/graphql/")]
    assert {a.rsplit(".", 1)[1] for _, a, _ in loaded} == {"js", "css"}

    for _, address, integrity in loaded:
        response = http.get(address)

        assert response.status_code == 200, address
        kind = address[address.rindex(".") :]
        assert response.headers["content-type"].split(";")[0] in CONTENT_TYPES[kind], address
        cache = response.headers["cache-control"]
        assert f"max-age={YEAR}" in cache and "immutable" in cache, (address, cache)
        # Strawberry's subresource-integrity hashes are kept: they must match what is served.
        digest = base64.b64encode(hashlib.sha384(response.content).digest()).decode()
        assert integrity == f"sha384-{digest}", address


def test_the_page_keeps_the_subscriptions_address(http: TestClient[Any]) -> None:
    page = http.get("/graphql", headers=HTML).text

    # GraphiQL's WebSocket goes to this page's own address, ws: or wss: as the page is served.
    assert "subscriptionUrl = httpUrlToWebSockeUrl(fetchURL)" in page
    assert "subscriptionUrl," in page


def test_an_unknown_asset_is_a_404(http: TestClient[Any]) -> None:
    assert http.get("/graphql/assets/graphiql-3.8.3/nothing.js").status_code == 404


@pytest.fixture
def production(settings: Settings) -> Iterator[TestClient[Any]]:
    hardened = Settings(
        data_dir=settings.data_dir,
        database_url=settings.database_url,
        secret_key=settings.secret_key,
        environment=Environment.PRODUCTION,
    )
    with TestClient(app=create_app(hardened)) as client:
        yield client


def test_production_serves_neither_graphiql_nor_its_files(production: TestClient[Any]) -> None:
    # (No development app runs beside it: two apps on one PostgreSQL engine in one process
    # would share its pool across their event loops.)
    address = "/graphql/assets/react-18.2.0/react.production.min.js"
    assert (GRAPHIQL_DIR / address.removeprefix("/graphql/")).is_file()  # what development serves

    assert production.get("/graphql", headers=HTML).status_code == 404
    assert production.get(address).status_code == 404

"""GraphiQL works with the network cut off: in Chromium, with every request to a host other than
the server's aborted, /graphql shows the GraphiQL editor and runs a query."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from tests.app.conftest import App, shoot

TYPENAME = "{ __typename }"


def test_graphiql_runs_a_query_with_only_the_server_reachable(app: App, page: Any) -> None:
    server = urlsplit(app.url)
    elsewhere: list[str] = []

    def only_the_server(route: Any) -> None:
        address = urlsplit(route.request.url)
        if (address.scheme, address.netloc) in {(server.scheme, server.netloc), ("data", "")}:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.context.route("**/*", only_the_server)
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))

    page.goto(app.page_url(f"graphql?q={quote(TYPENAME)}"))
    editor = page.locator(".graphiql-query-editor .CodeMirror")
    editor.wait_for()
    assert TYPENAME in editor.inner_text()
    shoot(page, "graphiql")

    page.get_by_role("button", name="Execute query (Ctrl-Enter)").click()
    result = page.locator(".graphiql-response .CodeMirror")
    result.filter(has_text='"__typename": "Query"').wait_for()
    shoot(page, "graphiql-result")

    assert elsewhere == []  # nothing even tried another host
    assert failed == []

"""The GraphQL context: who is asking, the settings, and this request's loaders."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeAlias

import strawberry
from msgspec import field
from strawberry.litestar import BaseContext
from strawberry.types.graphql import OperationType

from api.core.auth import InvalidToken
from api.core.loaders import Loaders
from api.core.settings import Settings
from api.core.viewer import Viewer
from search.engine import SearchIndex


class Context(BaseContext, kw_only=True):
    settings: Settings
    viewer: Viewer
    token_problem: InvalidToken | None = None
    """Why the request's token does not authenticate, when it carried one that does not."""
    client_address: str = ""
    search: Mapping[str, SearchIndex] = field(default_factory=dict)
    """The search indexes by kind (`{"candidates": SearchIndex}`), where the process has them."""
    loaders: Loaders
    connection_params: dict[str, object] | None = None
    """A WebSocket's connection_init payload (graphql-transport-ws), where its token is."""
    operation_types: set[OperationType] = field(default_factory=set)
    """The kinds of operation the request ran (only queries' answers may be kept)."""

    @classmethod
    def of(cls, settings: Settings, viewer: Viewer, **values: object) -> Context:
        """The context of one request by `viewer`, with its own loaders."""
        return cls(settings=settings, viewer=viewer, loaders=Loaders(viewer), **values)  # type: ignore[arg-type]


Info: TypeAlias = strawberry.Info[Context, None]

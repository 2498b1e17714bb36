"""The GraphQL context: who is asking, the settings, and this request's loaders."""

from __future__ import annotations

from typing import Any, TypeAlias

import strawberry
from strawberry.litestar import BaseContext

from api.core.loaders import Loaders
from api.core.viewer import ANONYMOUS


class Context(BaseContext, kw_only=True):
    settings: Any
    viewer: Any = ANONYMOUS
    loaders: Any = None
    token_problem: Any = None
    """An `InvalidToken` when the request carried a token that does not authenticate."""
    client_address: str = ""
    search: Any = None
    """The search indexes by kind (`{"candidates": SearchIndex}`), where the process has them."""

    def __post_init__(self) -> None:
        if self.loaders is None:
            self.loaders = Loaders(self.viewer)


Info: TypeAlias = strawberry.Info[Context, None]

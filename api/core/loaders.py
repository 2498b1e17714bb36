"""Per-request DataLoaders: one instance of each loader class per request, made on first use."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from api.core.types import row_id
from api.core.viewer import Viewer, write_stamp

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
L = TypeVar("L", bound="KeyLoader[Any, Any]")


def rows_by_key(keys: Sequence[K], rows: Iterable[V], key_of: Callable[[V], K]) -> list[V | None]:
    """Order fetched rows as the keys asked for them, None where a key has no row."""
    found = {key_of(row): row for row in rows}
    return [found.get(key) for key in keys]


class KeyLoader(DataLoader[K, V]):
    """A DataLoader whose batch function is the `load_batch` method of the subclass.

    Loaders belong to one request, so they know its viewer: a loader of things with an
    audience returns None for what the viewer may not see.
    """

    def __init__(self, viewer: Viewer) -> None:
        super().__init__(load_fn=self.load_batch)
        self.viewer = viewer

    async def load_batch(self, keys: list[K]) -> list[V | None]:  # pragma: no cover
        raise NotImplementedError


class Loaders:
    """The loaders of one request. `loaders.get(AccountByIdLoader).load(3)`."""

    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer
        self._loaders: dict[type[KeyLoader[Any, Any]], KeyLoader[Any, Any]] = {}
        self._stamp = write_stamp()

    def get(self, loader_class: type[L]) -> L:
        # A mutation's write makes what the loaders hold stale: the fields after it (in the
        # same document) load afresh, as the next request would.
        if (stamp := write_stamp()) != self._stamp:
            self._loaders.clear()
            self._stamp = stamp
        loader = self._loaders.get(loader_class)
        if loader is None:
            loader = self._loaders[loader_class] = loader_class(self.viewer)
        return loader  # type: ignore[return-value]


async def load_nodes(loader: KeyLoader[int, V], node_ids: Sequence[str]) -> list[V | None]:
    """What a loader holds for Relay node ids (`Node.resolve_nodes`), in their order, in one
    batch; None where the id names no row the viewer may see, or no row at all (`²`, a
    number past 64 bits: never sent to the database)."""
    numbers = [row_id(node_id) for node_id in node_ids]
    found = await loader.load_many([number for number in numbers if number is not None])
    rows = iter(found)
    return [next(rows) if number is not None else None for number in numbers]

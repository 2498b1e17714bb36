"""DataLoaders for accounts."""

from __future__ import annotations

from typing import Any

from api.core.loaders import KeyLoader, rows_by_key
from api.people import service


class AccountByIdLoader(KeyLoader[int, dict[str, Any]]):
    async def load_batch(self, keys: list[int]) -> list[dict[str, Any] | None]:
        return rows_by_key(keys, await service.accounts_by_ids(keys), lambda row: row["id"])

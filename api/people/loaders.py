"""DataLoaders for accounts."""

from __future__ import annotations

from typing import Any

from api.core.loaders import KeyLoader, rows_by_key
from api.people import profiles, service
from api.people.profiles import ProfileView


class AccountByIdLoader(KeyLoader[int, dict[str, Any]]):
    async def load_batch(self, keys: list[int]) -> list[dict[str, Any] | None]:
        return rows_by_key(keys, await service.accounts_by_ids(keys), lambda row: row["id"])


class PersonByIdLoader(KeyLoader[int, "ProfileView"]):
    """Profiles the viewer may see, by account id; None for the rest."""

    async def load_batch(self, keys: list[int]) -> list[ProfileView | None]:
        views = await profiles.visible_profiles(self.viewer, sorted(set(keys)))
        return [views.get(key) for key in keys]

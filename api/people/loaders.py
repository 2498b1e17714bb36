"""DataLoaders for accounts, people and how they are connected to the viewer."""

from __future__ import annotations

from typing import Any

from api.core.loaders import KeyLoader, rows_by_key
from api.people import degrees, profiles, service
from api.people.profiles import ProfileView


class AccountByIdLoader(KeyLoader[int, dict[str, Any]]):
    async def load_batch(self, keys: list[int]) -> list[dict[str, Any] | None]:
        return rows_by_key(keys, await service.accounts_by_ids(keys), lambda row: row["id"])


class PersonByIdLoader(KeyLoader[int, "ProfileView"]):
    """Profiles the viewer may see, by account id; None for the rest."""

    async def load_batch(self, keys: list[int]) -> list[ProfileView | None]:
        views = await profiles.visible_profiles(self.viewer, sorted(set(keys)))
        return [views.get(key) for key in keys]


class DegreeByPersonLoader(KeyLoader[int, "degrees.Degree"]):
    """Each person's degree relative to the viewer, for a whole page in two queries."""

    async def load_batch(self, keys: list[int]) -> list[degrees.Degree | None]:
        found = await degrees.degrees(self.viewer, sorted(set(keys)))
        return [found.get(key) for key in keys]


class MutualConnectionIdsByPersonLoader(KeyLoader[int, list[int]]):
    """The viewer's connections each person shares (those the viewer may see), by id."""

    async def load_batch(self, keys: list[int]) -> list[list[int] | None]:
        found = await degrees.mutual_connection_ids(self.viewer, sorted(set(keys)))
        return [found.get(key, []) for key in keys]

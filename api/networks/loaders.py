"""DataLoaders for organizations."""

from __future__ import annotations

from typing import Any

from api.core.loaders import KeyLoader, rows_by_key
from api.networks import directory, service
from api.networks.directory import DirectoryEntry
from api.people.audience import circle_of


class OrganizationByIdLoader(KeyLoader[int, dict[str, Any]]):
    """Organizations the viewer may see (public ones, and members-only ones they belong to)."""

    async def load_batch(self, keys: list[int]) -> list[dict[str, Any] | None]:
        circle = await circle_of(self.viewer)
        rows = await service.organizations_by_ids(sorted(set(keys)))
        visible = [
            row for row in rows if service.may_see_organization(row, set(circle.organization_ids))
        ]
        return rows_by_key(keys, visible, lambda row: row["id"])


class DirectoryEntryByMembershipIdLoader(KeyLoader[int, "DirectoryEntry"]):
    """Directory entries the viewer may see now (listed, active, fields per the privacy
    matrix), re-checked against the database; None for the rest."""

    async def load_batch(self, keys: list[int]) -> list[DirectoryEntry | None]:
        entries = await directory.entries_for(self.viewer, sorted(set(keys)))
        return [entries.get(key) for key in keys]


class MemberCountByOrganizationIdLoader(KeyLoader[int, int]):
    """Active members of each organization (the caller has checked it may be seen)."""

    async def load_batch(self, keys: list[int]) -> list[int | None]:
        counts = await service.member_counts(keys)
        return [counts.get(key, 0) for key in keys]

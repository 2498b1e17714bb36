"""DataLoaders for chambers: business memberships, perks and what the viewer is to them."""

from __future__ import annotations

from api.chambers import perks, service
from api.chambers.records import BusinessMembershipRecord, ListedOrganization, PerkRecord
from api.core.loaders import KeyLoader, rows_by_key

ChamberAndOrganization = tuple[int, int]


class BusinessMembershipByIdLoader(KeyLoader[int, BusinessMembershipRecord]):
    """Business memberships the viewer may see; None for the rest."""

    async def load_batch(self, keys: list[int]) -> list[BusinessMembershipRecord | None]:
        found = await service.business_memberships_by_ids(self.viewer, sorted(set(keys)))
        return [found.get(key) for key in keys]


class BusinessMembershipByChamberAndBusinessLoader(
    KeyLoader[ChamberAndOrganization, BusinessMembershipRecord]
):
    """A business's membership in a chamber, for rows already shown (a perk's category)."""

    async def load_batch(
        self, keys: list[ChamberAndOrganization]
    ) -> list[BusinessMembershipRecord | None]:
        found = await service.business_memberships_by_pairs(keys)
        return [found.get(key) for key in keys]


class ListedOrganizationByIdLoader(KeyLoader[int, ListedOrganization]):
    """Name, slug, website and location of organizations shown in a chamber's directory."""

    async def load_batch(self, keys: list[int]) -> list[ListedOrganization | None]:
        listed = await service.listed_organizations(sorted(set(keys)))
        return rows_by_key(keys, listed, lambda organization: organization.id)


class PerkByIdLoader(KeyLoader[int, PerkRecord]):
    """Perks the viewer may see; None for the rest."""

    async def load_batch(self, keys: list[int]) -> list[PerkRecord | None]:
        found = await perks.perks_by_ids(self.viewer, sorted(set(keys)))
        return [found.get(key) for key in keys]


class RedemptionVisibleByPerkLoader(KeyLoader[ChamberAndOrganization, bool]):
    """Whether the viewer may see how to redeem a perk of (chamber, offering organization)."""

    async def load_batch(self, keys: list[ChamberAndOrganization]) -> list[bool | None]:
        found = await perks.redemption_visible(self.viewer, keys)
        return [found[key] for key in keys]


class PerkManagerByPerkLoader(KeyLoader[ChamberAndOrganization, bool]):
    """Whether the viewer manages a perk of (chamber, offering organization)."""

    async def load_batch(self, keys: list[ChamberAndOrganization]) -> list[bool | None]:
        found = await perks.perk_managers(self.viewer, keys)
        return [found[key] for key in keys]

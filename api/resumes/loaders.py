"""DataLoaders for resumes and open-to-work signals: each batches one page's worth of lookups."""

from __future__ import annotations

from api.core.loaders import KeyLoader
from api.core.pagination import Page
from api.resumes import service
from api.resumes.records import OpenToWorkRecord, ResumeView


class ResumeByIdLoader(KeyLoader[int, ResumeView]):
    """Resumes the viewer may see, by id; None for the rest."""

    async def load_batch(self, keys: list[int]) -> list[ResumeView | None]:
        views = await service.visible_resumes(self.viewer, sorted(set(keys)))
        return [views.get(key) for key in keys]


class FirstResumesByOwnerLoader(KeyLoader[tuple[int, int], tuple[Page, dict[int, ResumeView]]]):
    """The first page of each owner's resumes the viewer may see, keyed (owner, page size):
    `Person.resumes` on a page of people costs the same queries as on one person."""

    async def load_batch(
        self, keys: list[tuple[int, int]]
    ) -> list[tuple[Page, dict[int, ResumeView]] | None]:
        by_size: dict[int, list[int]] = {}
        for owner_id, size in keys:
            by_size.setdefault(size, []).append(owner_id)
        found = {}
        for size, owners in by_size.items():
            pages = await service.first_resume_pages(self.viewer, sorted(set(owners)), size)
            found.update({(owner_id, size): page for owner_id, page in pages.items()})
        return [found.get(key) for key in keys]


class ExclusionsByOwnerLoader(KeyLoader[int, frozenset[int]]):
    """The organizations each owner hides their resumes from (for the public site's rule)."""

    async def load_batch(self, keys: list[int]) -> list[frozenset[int] | None]:
        found = await service.excluded_organizations(sorted(set(keys)))
        return [frozenset(found.get(key, ())) for key in keys]


class OpenToWorkByOwnerLoader(KeyLoader[int, OpenToWorkRecord]):
    """The open-to-work signals the viewer may see, by owner; None for the rest."""

    async def load_batch(self, keys: list[int]) -> list[OpenToWorkRecord | None]:
        signals = await service.visible_open_to_work(self.viewer, sorted(set(keys)))
        return [signals.get(key) for key in keys]

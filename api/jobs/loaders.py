"""DataLoaders for postings, applications and their histories, each under its audience."""

from __future__ import annotations

from api.core.loaders import KeyLoader
from api.jobs import applications, service
from api.jobs.records import ApplicationRecord, JobRecord, StageChangeRecord


class JobByIdLoader(KeyLoader[int, JobRecord]):
    """Postings the viewer may see; None for the rest."""

    async def load_batch(self, keys: list[int]) -> list[JobRecord | None]:
        found = await service.jobs_by_ids(self.viewer, sorted(set(keys)))
        return [found.get(key) for key in keys]


class ApplicationByIdLoader(KeyLoader[int, ApplicationRecord]):
    """The viewer's own applications and those to their employers' postings."""

    async def load_batch(self, keys: list[int]) -> list[ApplicationRecord | None]:
        found = await applications.visible_applications(self.viewer, sorted(set(keys)))
        return [found.get(key) for key in keys]


class StageHistoryByApplicationLoader(KeyLoader[int, list[StageChangeRecord]]):
    """Each visible application's moves, oldest first (empty for the rest)."""

    async def load_batch(self, keys: list[int]) -> list[list[StageChangeRecord] | None]:
        found = await applications.stage_history(self.viewer, sorted(set(keys)))
        return [found.get(key, []) for key in keys]

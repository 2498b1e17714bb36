"""The kinds of searchable documents and where their indexes live."""

from __future__ import annotations

from api.core.indexing import SearchKind, open_indexes
from api.core.outbox import PEOPLE
from api.core.settings import Settings
from api.jobs import search as job_search
from api.networks import directory
from api.resumes import candidates
from search.candidates import CANDIDATES
from search.engine import SearchIndex
from search.jobs import JOBS

KINDS = [
    SearchKind(
        name="candidates",
        spec=CANDIDATES,
        load=candidates.candidate_documents,
        batches=candidates.all_candidate_batches,
        count=candidates.candidate_count,
        follows={PEOPLE: candidates.resume_ids_of_owners},
    ),
    SearchKind(
        name="jobs",
        spec=JOBS,
        load=job_search.job_documents,
        batches=job_search.all_job_batches,
        count=job_search.job_count,
    ),
    *directory.search_kinds(),
]


def indexes(settings: Settings) -> dict[str, tuple[SearchIndex, SearchKind]]:
    return open_indexes(settings.index_dir, KINDS, settings.search_cache_mb)

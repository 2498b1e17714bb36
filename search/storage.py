"""An index's life on disk: create, open and check it, write under the single-writer lock,
rebuild it into a fresh directory and swap that in atomically.

`directory` is a symlink to the current build; the last applied outbox sequence is kept in
a state file inside the build, beside Whoosh's own files.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from whoosh import index, writing
from whoosh.codec.base import Segment as WhooshSegment

from search.bulk_writer import write_documents
from search.cache import DEFAULT_CACHE_MB, ByteBudgetCache
from search.interface import IndexSpec
from search.whoosh_internals import (
    WhooshInternalsChanged,
    WritingCodec,
    check_internals,
    live_segment_ids,
    live_segment_sizes,
)

STATE_FILE = "confrere-state.json"
WRITER_LOCK_FILE = "confrere-writer.lock"

#: What every writer is opened with. Segments stay as separate files: Whoosh 2.7.4 copies a
#: compound segment file whole into memory each time a reader opens it (whoosh/filedb/
#: compound.py), which every searcher refresh after a commit paid for every segment. The
#: codec writes what Whoosh's own writes, faster (see `WritingCodec`).
WRITER_OPTIONS: dict[str, Any] = {"compound": False, "codec": WritingCodec()}

#: The postings a rebuild gathers in memory (each indexing process) before it writes them
#: out as one segment.
REBUILD_LIMIT_MB = 1024

#: `merge_small_segments` merges only when the index holds more segments than this...
MERGE_SEGMENTS_OVER = 8
#: ...and then leaves at most this many segments unmerged.
MERGE_KEEP_SEGMENTS = 4
#: Segments of at least this many documents (a rebuild's, mostly) are never merged when idle:
#: Whoosh's merge rewrites a document in about a millisecond, so one would hold the indexer,
#: and every change waiting for it, for tens of seconds. Their deleted documents stay (and
#: are filtered out) until the next rebuild.
MERGE_LARGE_DOCS = 20_000


class IndexCorrupt(RuntimeError):
    """The index cannot be opened or read: rebuild it from the database."""


class IndexBusy(RuntimeError):
    """Another process holds this index's writer lock."""


class IndexStorage:
    """One index directory: opening, checking, writing and rebuilding it."""

    def __init__(
        self, directory: Path, spec: IndexSpec, cache_mb: float = DEFAULT_CACHE_MB
    ) -> None:
        self.directory = Path(directory)
        self.spec = spec
        #: What searches read from the segments, at most `cache_mb` megabytes of it.
        self.cache = ByteBudgetCache(int(cache_mb * 1024 * 1024))
        self._open_lock = threading.Lock()
        self._index: index.Index | None = None
        self._index_target: str | None = None

    # opening and checking

    def build_target(self) -> str:
        """Which build the index's directory names now: the target of its link (one
        `readlink`, where `realpath` took a system call for every part of the path, and
        every anonymous request asks), or the path itself when it is no link."""
        try:
            return os.readlink(self.directory)
        except OSError:  # not a link (an index made before links), or not there yet
            return os.path.realpath(self.directory)

    def exists(self) -> bool:
        """Whether an index was ever written here (readable or not: see `check`)."""
        return self.directory.is_dir() and any(self.directory.glob("_MAIN_*.toc"))

    def _open(self) -> index.Index:
        target = self.build_target()
        with self._open_lock:
            if self._index is None or self._index_target != target:
                if not self.exists():
                    raise IndexCorrupt(f"no {self.spec.name} index in {self.directory}")
                try:
                    opened = index.open_dir(str(self.directory))
                except Exception as error:
                    raise IndexCorrupt(f"cannot open {self.directory}: {error}") from error
                check_internals(opened)
                self._index = opened
                self._index_target = target
            return self._index

    def create_empty(self) -> None:
        """Make an empty index (and its directory), replacing nothing that exists."""
        if self.exists():
            return
        build = self._new_build_dir()
        index.create_in(str(build), self.spec.schema)
        self._write_state(build, 0)
        self._swap_in(build)

    def check(self) -> int:
        """Open the index and read every segment's basics; returns the document count.

        Whoosh never fsyncs, so after an OS crash an index may be unreadable: callers
        rebuild from the database when this raises IndexCorrupt.
        """
        try:
            opened = self._open()
            with opened.searcher() as searcher:
                count: int = searcher.doc_count()
                for reader, _ in searcher.reader().leaf_readers():
                    reader.doc_count_all()
            json.loads((self.directory / STATE_FILE).read_text())
            return count
        except (IndexCorrupt, WhooshInternalsChanged):
            raise  # a rebuild would not help against the second
        except Exception as error:
            self._index = None
            raise IndexCorrupt(f"{self.spec.name} index is unreadable: {error}") from error

    def last_sequence(self) -> int:
        """The last outbox sequence number applied to this index."""
        try:
            return int(json.loads((self.directory / STATE_FILE).read_text())["last_sequence"])
        except FileNotFoundError:
            return 0

    # writing

    @contextlib.contextmanager
    def writer_lock(self) -> Iterator[None]:
        """The single-writer lock. A crashed writer's lock dies with its process (flock)."""
        self.directory.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.directory.parent / f"{self.spec.name}.{WRITER_LOCK_FILE}"
        with open(lock_path, "a+") as handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                raise IndexBusy(
                    f"another process ({handle.read().strip() or 'unknown'}) is writing the "
                    f"{self.spec.name} index"
                ) from None
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def apply(
        self,
        *,
        upserts: Sequence[Mapping[str, Any]] = (),
        deletes: Sequence[str] = (),
        last_sequence: int,
    ) -> None:
        """Apply one batch in one commit, then record the batch's last outbox sequence.

        Upserts replace by unique id and deletes are by id, so replaying a batch after a
        crash between the commit and the state write leaves every document present once.
        """
        opened = self._open()
        writer = opened.writer(limitmb=128, **WRITER_OPTIONS)
        try:
            unique = self.spec.unique_field
            fields = [self.spec.to_fields(document) for document in upserts]
            # One searcher for the whole batch: Whoosh's update_document opens a reader of
            # every segment for each document, which made a batch cost segments x documents.
            with writer.searcher() as searcher:
                for document_id in (*deletes, *(each[unique] for each in fields)):
                    writer.delete_by_term(unique, str(document_id), searcher=searcher)
            for each in fields:
                writer.add_document(**each)
        except BaseException:
            writer.cancel()
            raise
        # No merge here: the batch's documents become one new small segment, so the
        # commit costs the batch alone; merge_small_segments() merges when the indexer idles.
        writer.commit(mergetype=writing.NO_MERGE)
        self._write_state(self.directory, last_sequence)
        self._forget_retired(opened)

    def merge_small_segments(self) -> bool:
        """Merge the small segments into one when there are more than MERGE_SEGMENTS_OVER;
        returns whether it merged. The indexer calls it when idle (nothing pending).

        Only segments under MERGE_LARGE_DOCS documents count and are merged. The smallest
        are merged until at most MERGE_KEEP_SEGMENTS of them would stay, then further ones
        only while each is no bigger than all those merged so far: a document is rewritten
        a few times at most. Deleted documents of merged segments are dropped for good.
        """
        opened = self._open()
        sizes = live_segment_sizes(opened).values()
        if sum(size < MERGE_LARGE_DOCS for size in sizes) <= MERGE_SEGMENTS_OVER:
            return False
        writer = opened.writer(limitmb=128, **WRITER_OPTIONS)
        try:
            writer.commit(mergetype=_merge_small)
        except BaseException:
            if not writer.is_closed:
                writer.cancel()
            raise
        self._forget_retired(opened)
        return True

    def segment_count(self) -> int:
        """How many segments the index's latest generation holds."""
        return len(live_segment_ids(self._open()))

    def _forget_retired(self, opened: index.Index) -> None:
        # Merged segments are gone for good: so are their caches.
        live = live_segment_ids(opened)
        self.cache.forget(lambda key: key[0] in live)

    def advance(self, last_sequence: int) -> None:
        """Record that every outbox row up to `last_sequence` is applied (none concerned us)."""
        self._write_state(self.directory, last_sequence)

    def rebuild(
        self,
        documents: Iterable[Mapping[str, Any]],
        *,
        last_sequence: int,
        procs: int = 1,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Index every document into a fresh build and swap it in atomically.

        `procs` > 1 starts that many indexing processes (see `bulk_writer`): only in the
        `confrere index rebuild` command, never inside the server.
        """
        build = self._new_build_dir()
        fresh = index.create_in(str(build), self.spec.schema)
        try:
            count = write_documents(
                fresh,
                documents,
                self.spec.to_fields,
                limit_mb=REBUILD_LIMIT_MB,
                procs=procs,
                progress=progress,
            )
        except BaseException:
            shutil.rmtree(build, ignore_errors=True)
            raise
        if progress:
            progress(count)
        self._write_state(build, last_sequence)
        self._swap_in(build)
        return count

    def _new_build_dir(self) -> Path:
        self.directory.parent.mkdir(parents=True, exist_ok=True)
        stamp = f"{time.strftime('%Y%m%dT%H%M%S')}-{time.monotonic_ns() % 1_000_000_000}"
        build = self.directory.parent / f"{self.directory.name}-{stamp}"
        build.mkdir()
        return build

    def _swap_in(self, build: Path) -> None:
        link = self.directory
        if link.exists() and not link.is_symlink():
            link.rename(link.with_name(f"{link.name}.replaced-{int(time.time())}"))
        previous = os.path.realpath(link) if link.is_symlink() else None
        temporary = link.with_name(f".{link.name}.link-{os.getpid()}")
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(build.name, target_is_directory=True)
        os.replace(temporary, link)
        with self._open_lock:
            self._index = None
        self.cache.forget(lambda key: False)
        if previous and previous != os.path.realpath(build):
            # Searchers still open on the old build keep the files they opened (POSIX unlink
            # semantics); one that then reads a file it had not opened yet fails, and
            # `SearchIndex.search` runs it again on the new build.
            shutil.rmtree(previous, ignore_errors=True)

    @staticmethod
    def _write_state(directory: Path, last_sequence: int) -> None:
        temporary = directory / f".{STATE_FILE}.tmp"
        temporary.write_text(json.dumps({"last_sequence": last_sequence}))
        os.replace(temporary, directory / STATE_FILE)


def _merge_small(writer: Any, segments: list[WhooshSegment]) -> list[WhooshSegment]:
    """A Whoosh merge policy (see `IndexStorage.merge_small_segments`): merges the smallest
    segments into the writer's new one and returns the segments it keeps."""
    from whoosh.reading import SegmentReader

    ordered = sorted(
        (segment for segment in segments if segment.doc_count_all() < MERGE_LARGE_DOCS),
        key=lambda segment: segment.doc_count_all(),
    )
    merged: list[WhooshSegment] = []
    merged_docs = 0
    for segment in ordered:
        size = segment.doc_count_all()
        if len(ordered) - len(merged) <= MERGE_KEEP_SEGMENTS and size > merged_docs:
            break
        merged.append(segment)
        merged_docs += size
    if len(merged) < 2:
        return segments
    for segment in merged:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment not in merged]

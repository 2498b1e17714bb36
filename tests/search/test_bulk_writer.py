"""search.bulk_writer: a rebuild's segments are what Whoosh's own writer writes, byte for byte
when encoded as Whoosh encodes, and otherwise the same postings and stored fields; split by
memory or written by several processes, the index holds the same postings; and what it cannot
write the same way, it refuses."""

from __future__ import annotations

import json
import multiprocessing
import random
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from whoosh import fields, index, writing
from whoosh.codec import whoosh3
from whoosh.index import Index

from search import bulk_writer, whoosh_internals
from search.bulk_writer import BulkSegmentWriter, _counted_postings, write_documents
from search.candidates import CANDIDATES
from search.directory import DIRECTORY
from search.engine import SearchIndex, SearchRequest
from search.interface import IndexSpec
from search.jobs import JOBS
from search.whoosh_internals import WhooshInternalsChanged

SAMPLE = Path(__file__).parents[2] / "api" / "resumes" / "jsonresume" / "sample.resume.json"
#: Words of a real resume, and words that stress the analyzers (see test_terms.py).
SPECIAL = ["C++", "c#", ".NET", "node.js", "K8s", "Zoë", "Ångström", "straße", "東京", "x86_64",
           "v1.2.3", "the", "and", "engineering", "engineers", "...", "½"]  # fmt: skip
DOCUMENTS = 300  # enough for the commonest terms to fill several posting blocks of 128


def vocabulary() -> list[str]:
    words = " ".join(_strings(json.loads(SAMPLE.read_text()))).split()
    return sorted(set(words)) + SPECIAL


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for each in value.values() for s in _strings(each)]
    if isinstance(value, list):
        return [s for each in value for s in _strings(each)]
    return []


def text(rng: random.Random, words: list[str], low: int, high: int) -> str:
    # a few very common words, so that their postings span several blocks
    count = rng.randint(low, high)
    return " ".join(rng.choice(words[:8] if rng.random() < 0.3 else words) for _ in range(count))


def candidate(rng: random.Random, words: list[str], n: int) -> dict[str, Any]:
    return {
        "id": str(n),
        "owner": "" if n % 50 == 0 else str(1000 + n % 37),  # an empty id is a term too
        "audience": rng.choice(["PUBLIC", "EMPLOYERS", "MEMBERS", "PRIVATE"]),
        "owner_organizations": [str(o) for o in rng.sample(range(9), rng.randint(0, 3))],
        "excluded_organizations": ["4"] if n % 7 == 0 else [],
        "open_to_work": rng.choice(["", "PUBLIC", "EMPLOYERS"]),
        "workplace_types": rng.sample(["REMOTE", "HYBRID", "ON_SITE"], rng.randint(0, 2)),
        "name": text(rng, words, 1, 3),
        "title": text(rng, words, 0, 4),
        "headline": text(rng, words, 0, 6),
        "summary": text(rng, words, 0, 60),
        "work": [
            {
                "position": text(rng, words, 1, 3),
                "name": text(rng, words, 1, 2),
                "summary": text(rng, words, 5, 80),
                "highlights": [text(rng, words, 3, 12)],
            }
            for _ in range(rng.randint(0, 4))
        ],
        "companies": [text(rng, words, 1, 2) for _ in range(rng.randint(0, 3))],
        "schools": [text(rng, words, 1, 3) for _ in range(rng.randint(0, 2))],
        "degrees": ["Master", "Master"] if n % 9 == 0 else ["Bachelor"],  # a repeated keyword
        "graduation_years": [2000 + n % 20],
        "languages": rng.sample(["English", "German", "Français"], rng.randint(0, 2)),
        "skills": rng.sample(words, rng.randint(0, 12)) + ["JS", "js", "Postgres"][: n % 4],
        "city": rng.choice(["Berlin", "Zürich", "", "São Paulo"]),
        "region": "",
        "country": rng.choice(["DE", "CH", "BR", ""]),
        "years": rng.random() * 30,
        "updated": 1_700_000_000 + n * 3600,
    }


def job(rng: random.Random, words: list[str], n: int) -> dict[str, Any]:
    return {
        "id": str(n),
        "organization": str(n % 5),
        "organization_name": text(rng, words, 1, 2),
        "members_only": "" if n % 3 else str(n % 5),
        "title": text(rng, words, 1, 5),
        "description": text(rng, words, 10, 150),
        "skills": rng.sample(words, rng.randint(0, 8)),
        "employment_types": rng.sample(["FULL_TIME", "PART_TIME", "CONTRACTOR"], 2),
        "workplace_type": rng.choice(["REMOTE", "HYBRID", "ON_SITE"]),
        "cities": ["Berlin", "Zürich"][: n % 3],
        "countries": ["DE", "CH"][: n % 3],
        "salary_floor": n * 1000,
        "posted": 1_700_000_000 + n * 60,
    }


def alumnus(rng: random.Random, words: list[str], n: int) -> dict[str, Any]:
    return {
        "id": str(n),
        "organization": str(n % 3),
        "person": str(n),
        "verified": n % 2 == 0,
        "name": text(rng, words, 1, 3),
        "headline": text(rng, words, 0, 8),
        "title": text(rng, words, 0, 3),
        "employer": text(rng, words, 0, 2),
        "school": text(rng, words, 1, 3),
        "degree": rng.choice(["MSc", "BSc", ""]),
        "field_of_study": text(rng, words, 0, 2),
        "location": rng.choice(["Zurich, CH", "Berlin, DE", ""]),
        "industry": rng.choice(["Software", "Finance", ""]),
        "class_year": 1990 + n % 30,
        "joined": 1_700_000_000 + n * 86400,
    }


KINDS: dict[str, tuple[IndexSpec, Callable[[random.Random, list[str], int], dict[str, Any]]]] = {
    "candidates": (CANDIDATES, candidate),
    "jobs": (JOBS, job),
    "directory": (DIRECTORY, alumnus),
}


def documents(kind: str, count: int = DOCUMENTS, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)  # noqa: S311  # seeded test data, not a secret
    words = vocabulary()
    make = KINDS[kind][1]
    return [make(rng, words, n) for n in range(count)]


def fresh(path: Path, spec: IndexSpec) -> Index:
    path.mkdir(parents=True)
    return index.create_in(str(path), spec.schema)


def segment_files(opened: Index) -> dict[str, bytes]:
    """Each file of the index's one segment by its name without the segment's random id."""
    (segment,) = opened._segments()
    prefix = segment.segment_id()
    folder = Path(opened.storage.folder)
    return {
        path.name[len(prefix) :]: path.read_bytes()
        for path in folder.iterdir()
        if path.name.startswith(prefix)
    }


def postings(opened: Index) -> dict[tuple[str, bytes], dict[str, tuple[float, bytes]]]:
    """Every term's postings through Whoosh's public reader, by the documents' own ids, with
    each term's statistics: what a search can read, whatever the segments."""
    found: dict[tuple[str, bytes], dict[str, tuple[float, bytes]]] = {}
    with opened.reader() as reader:
        ids = {docnum: stored["id"] for docnum, stored in reader.iter_docs()}
        for fieldname, term in reader.all_terms():
            matcher = reader.postings(fieldname, term)
            each: dict[str, Any] = {}
            while matcher.is_active():
                each[ids[matcher.id()]] = (matcher.weight(), matcher.value())
                matcher.next()
            info = reader.term_info(fieldname, term)
            each["(stats)"] = (info.weight(), info.doc_frequency(), info.max_weight())
            found[(fieldname, term)] = each
    return found


def stored_fields(opened: Index) -> list[dict[str, Any]]:
    with opened.reader() as reader:
        return [stored for _, stored in reader.iter_docs()]


def whoosh_writes(opened: Index, spec: IndexSpec, batch: list[dict[str, Any]]) -> None:
    writer = opened.writer(codec=whoosh3.W3Codec(), compound=False, limitmb=256)
    for document in batch:
        writer.add_document(**spec.to_fields(document))
    writer.commit()


def bulk_writes_whoosh_bytes(opened: Index, spec: IndexSpec, batch: list[dict[str, Any]]) -> None:
    writer = BulkSegmentWriter(opened, limit_mb=256, whoosh_bytes=True)
    for document in batch:
        writer.add_document(**spec.to_fields(document))
    writer.commit(mergetype=writing.NO_MERGE)


@pytest.mark.parametrize("kind", KINDS)
def test_a_segment_is_byte_for_byte_what_whooshs_own_writer_writes(
    tmp_path: Path, kind: str
) -> None:
    # given the same documents, written by Whoosh's writer and by the rebuild's, encoding
    # as Whoosh does
    spec = KINDS[kind][0]
    batch = documents(kind)
    theirs = fresh(tmp_path / "whoosh", spec)
    whoosh_writes(theirs, spec, batch)
    ours = fresh(tmp_path / "bulk", spec)
    bulk_writes_whoosh_bytes(ours, spec, batch)

    # then every file of the segment holds the same bytes: terms, postings, lengths, stored
    expected, written = segment_files(theirs), segment_files(ours)
    assert {".trm", ".pst", "._stored.col"} <= set(expected)
    assert set(written) == set(expected)
    for name, content in expected.items():
        assert written[name] == content, name


@pytest.mark.parametrize("kind", KINDS)
def test_encoded_its_own_way_a_segment_reads_as_whooshs_own(tmp_path: Path, kind: str) -> None:
    # given the same documents, written by Whoosh's writer and by a rebuild (pickle protocol
    # 4, ISA-L's deflate)
    spec = KINDS[kind][0]
    batch = documents(kind)
    theirs = fresh(tmp_path / "whoosh", spec)
    whoosh_writes(theirs, spec, batch)
    ours = fresh(tmp_path / "bulk", spec)
    assert write_documents(ours, batch, spec.to_fields, limit_mb=256) == len(batch)

    # then Whoosh reads the same postings, statistics and stored fields from both
    assert postings(ours) == postings(theirs)
    assert stored_fields(ours) == stored_fields(theirs)
    # and the encoded files are other (and fewer) bytes, every other file the same
    expected, written = segment_files(theirs), segment_files(ours)
    assert set(written) == set(expected)
    compressed = {".trm", ".pst", "._stored.col"}  # .trm: the blocks' offsets and sizes
    for name, content in expected.items():
        assert (written[name] == content) is (name not in compressed), name
    assert len(written[".pst"]) < len(expected[".pst"])


def test_past_its_memory_limit_it_writes_several_segments_with_the_same_postings(
    tmp_path: Path,
) -> None:
    # given the same documents written in one segment and with room for a few dozen each
    batch = documents("candidates")
    whole = fresh(tmp_path / "whole", CANDIDATES)
    write_documents(whole, batch, CANDIDATES.to_fields, limit_mb=256)
    split = fresh(tmp_path / "split", CANDIDATES)
    limit_mb = 10_000 * bulk_writer.BYTES_PER_POSTING / 1024 / 1024  # 10,000 postings
    write_documents(split, batch, CANDIDATES.to_fields, limit_mb=limit_mb)

    # then the second holds several segments, and the same postings and statistics
    assert len(split._segments()) > 3
    assert postings(split) == postings(whole)


def test_indexing_processes_write_the_same_index_and_leave_nothing_behind(
    tmp_path: Path,
) -> None:
    # given the same documents written here and by two indexing processes
    batch = documents("candidates", count=900)
    here = fresh(tmp_path / "here", CANDIDATES)
    write_documents(here, batch, CANDIDATES.to_fields, limit_mb=256)
    apart = fresh(tmp_path / "apart", CANDIDATES)
    progress: list[int] = []
    count = write_documents(
        apart, batch, CANDIDATES.to_fields, limit_mb=256, procs=2, progress=progress.append
    )

    # then the index holds every document's postings once, in a segment per process at most
    assert count == len(batch)
    assert progress and progress == sorted(progress) and progress[-1] <= count
    assert 1 <= len(apart._segments()) <= 2
    assert postings(apart) == postings(here)
    # and no process, temporary folder or lock is left
    assert not multiprocessing.active_children()
    assert [p.name for p in (tmp_path / "apart").iterdir() if p.is_dir()] == []
    lock = apart.lock("WRITELOCK")
    assert lock.acquire(blocking=False)
    lock.release()


def unknown_field_for_the_tenth(document: Mapping[str, Any]) -> dict[str, Any]:
    """Candidate fields, with a field the schema lacks for document 10."""
    found = CANDIDATES.to_fields(document)
    if document["id"] == "10":
        found["no_such_field"] = "x"
    return found


def test_a_failing_indexing_process_stops_the_rebuild_with_its_error(tmp_path: Path) -> None:
    # given an index with documents, and a rebuild one of whose documents cannot be written
    built = SearchIndex(tmp_path / "candidates", CANDIDATES)
    built.rebuild(documents("candidates", count=20), last_sequence=1)
    spec = replace(CANDIDATES, to_fields=unknown_field_for_the_tenth)
    failing = SearchIndex(tmp_path / "candidates", spec)

    # when it is rebuilt by two processes
    with pytest.raises(RuntimeError, match="indexing process failed") as failed:
        failing.rebuild(documents("candidates", count=600), last_sequence=2, procs=2)

    # then the error says which field, no process is left, and the index is the one before
    assert "no_such_field" in str(failed.value)
    assert not multiprocessing.active_children()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("candidates-")] == [
        Path(built.directory).resolve().name
    ]
    assert built.search(SearchRequest()).total == 20


def test_a_whoosh_whose_writer_changed_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a Whoosh whose posting block writer is not the one the rebuild copies
    monkeypatch.setitem(whoosh_internals._COPIED, "W3PostingsWriter._write_block", "0" * 12)

    # then a rebuild refuses to start, naming it
    with pytest.raises(WhooshInternalsChanged, match=r"W3PostingsWriter\._write_block"):
        BulkSegmentWriter(fresh(tmp_path / "index", CANDIDATES), limit_mb=16)


def test_fields_it_cannot_write_the_same_way_are_refused(tmp_path: Path) -> None:
    schema = fields.Schema(id=fields.ID(stored=True), body=fields.TEXT(vector=True))
    (tmp_path / "index").mkdir()
    opened = index.create_in(str(tmp_path / "index"), schema)
    with pytest.raises(ValueError, match="cannot index field 'body'"):
        BulkSegmentWriter(opened, limit_mb=16)


COUNTED_VALUES = ["", "a", "Zoë", " spaced out ", "a\x1fb\x1fa", "\x1f\x1f", "x\x1f", "1\x1f2"]


def counted_fields() -> list[tuple[str, Any]]:
    return [
        (f"{spec.name}.{name}", field)
        for spec in (CANDIDATES, JOBS, DIRECTORY)
        for name, field in spec.schema.items()
        if field.indexed and not isinstance(field, fields.TEXT)
    ]


@pytest.mark.parametrize(("name", "field"), counted_fields(), ids=[n for n, _ in counted_fields()])
def test_ids_and_keyword_lists_are_counted_as_whoosh_counts_them(name: str, field: Any) -> None:
    counted = _counted_postings(field)
    assert counted is not None, f"{name} takes Whoosh's own path"
    for value in COUNTED_VALUES:
        ours = sorted((t.encode("utf-8"), n, w, v) for t, n, w, v in counted(value))
        assert ours == sorted(field.index(value)), (name, value)

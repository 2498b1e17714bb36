"""Every read of Whoosh's private parts, in one place, checked when an index is opened.

Whoosh's public API reads postings and field lengths one document at a time in Python, which
costs seconds for a common word on 100k documents. The engine reads three private parts of
the pinned whoosh 2.7.4 instead:

- a field's length column, through the per-document reader's cached column reader;
- whole posting blocks, through the block reader methods of the codec's leaf matcher;
- the table of contents' segment list, to forget the caches of merged segments;
- while a writer finishes a segment, the new segment's length columns, read once per field
  (`WritingCodec`) instead of once per posting.

Our writers write Whoosh's W3 format with two encodings of their own, which Whoosh reads as
its own: posting blocks pickled with protocol 4, and blocks and stored fields deflated by
ISA-L (`WritingCodec`; `bulk_writer` writes the format itself, for rebuilds). Both refuse a
Whoosh whose writer is not the one they copy (`check_writing_internals`), and the tests
compare their files with Whoosh's byte for byte when told to encode as Whoosh does.

Each fast path here has a public twin, and tests/search/test_whoosh_internals.py compares
them on a real index. `check_internals` runs whenever an index is opened and refuses, with
a message saying what changed, to run on a Whoosh whose private parts are not as expected.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import pickle
from typing import Any

import numpy as np
import numpy.typing as npt
import whoosh
from isal import isal_zlib
from whoosh.codec import whoosh3
from whoosh.columns import NumericColumn
from whoosh.index import FileIndex, Index
from whoosh.reading import IndexReader, SegmentReader, TermNotFound
from whoosh.util.numeric import byte_to_length, length_to_byte

#: The Whoosh release these reads were written for (pinned in pyproject.toml).
EXPECTED_VERSION = (2, 7, 4)

#: A numeric column's reader keeps where its values start, how many it stores, their type.
_COLUMN_READER_PARTS = ("_dbfile", "_basepos", "_count", "_typecode")

#: The codec's leaf matcher reads a block at a time with these.
_BLOCK_READERS = ("_read_ids", "_read_weights", "_next_block")

FloatArray = npt.NDArray[np.float32]

_LENGTH_OF_BYTE: FloatArray = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)
_INT_LENGTH_OF_BYTE: tuple[int, ...] = tuple(byte_to_length(b) for b in range(256))


class WhooshInternalsChanged(RuntimeError):
    """The installed Whoosh is not the one the engine's fast paths read: pin whoosh==2.7.4."""


def check_internals(opened: Index) -> None:
    """Raise `WhooshInternalsChanged` unless every private part read here is as expected.

    Called when an index is opened: a Whoosh upgrade then fails at start-up, naming what
    changed, instead of returning wrong scores or empty results later.
    """
    problems = writing_problems()
    if tuple(whoosh.__version__[:3]) != EXPECTED_VERSION:
        problems.append(f"whoosh {whoosh.versionstring()} is installed")
    if not callable(getattr(whoosh3, "_lenfield", None)):
        problems.append("whoosh.codec.whoosh3._lenfield is gone")
    if not isinstance(getattr(whoosh3, "LENGTHS_COLUMN", None), NumericColumn):
        problems.append("whoosh.codec.whoosh3.LENGTHS_COLUMN is not a numeric column")
    cached_reader = getattr(whoosh3.W3PerDocReader, "_cached_reader", None)
    if cached_reader is None or list(inspect.signature(cached_reader).parameters) != [
        "self",
        "fieldname",
        "column",
    ]:
        problems.append("W3PerDocReader._cached_reader(fieldname, column) is gone")
    if "self._doccount =" not in inspect.getsource(whoosh3.W3PerDocReader.__init__):
        problems.append("W3PerDocReader keeps no _doccount")
    column_reader = inspect.getsource(NumericColumn.Reader.__init__)
    if not all(f"self.{name} =" in column_reader for name in _COLUMN_READER_PARTS):
        problems.append(f"NumericColumn.Reader lacks one of {', '.join(_COLUMN_READER_PARTS)}")
    missing = [name for name in _BLOCK_READERS if not hasattr(whoosh3.W3LeafMatcher, name)]
    if missing:
        problems.append(f"W3LeafMatcher lacks {', '.join(missing)}")
    if isinstance(opened, FileIndex) and not callable(getattr(opened, "_segments", None)):
        problems.append("FileIndex._segments() is gone")
    if not problems:
        problems = _check_readers(opened)
    if problems:
        raise WhooshInternalsChanged(
            "the search engine reads private parts of whoosh "
            f"{'.'.join(map(str, EXPECTED_VERSION))} and they changed: {'; '.join(problems)}"
        )


def _check_readers(opened: Index) -> list[str]:
    """What the opened index's segment readers look like, against what the fast paths read."""
    problems = []
    with opened.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            if not isinstance(leaf, SegmentReader):
                continue  # an empty index: nothing to read yet
            perdoc = getattr(leaf, "_perdoc", None)
            if not isinstance(perdoc, whoosh3.W3PerDocReader):
                problems.append(f"a segment reader's _perdoc is {type(perdoc).__name__}")
                continue
            # The first document's lengths through both paths: the column holds what Whoosh
            # reads (a few column reads, once per opening).
            for fieldname in leaf.schema.scorable_names():
                fast = float(field_lengths(leaf, fieldname, 1)[0])
                public = float(leaf.doc_field_length(0, fieldname, 0) or 0)
                if fast != public:
                    problems.append(
                        f"the {fieldname} length column reads {fast}, Whoosh says {public}"
                    )
    if isinstance(opened, FileIndex):
        segments = opened._segments()
        if not isinstance(segments, list) or not all(
            hasattr(segment, "segment_id") for segment in segments
        ):
            problems.append("FileIndex._segments() no longer lists segments")
    return problems


# Writing


#: ISA-L's level for posting blocks and stored fields. Against zlib at Whoosh's level 3, on
#: benchmarks/search.py's resumes: posting blocks deflate 2x faster into 6% more bytes,
#: stored fields 3.5x faster into as many bytes.
DEFLATE_LEVEL = 1
#: The pickle protocol of a posting block's data. Whoosh's writer uses 2, which pickles each
#: bytes object (a posting's encoded positions) as a call to `codecs.encode` of a latin-1
#: string: ten times slower to write and to read (a block of 128 postings: 44 against 4 µs
#: to write, 38 against 4 to read). Whoosh's reader unpickles any protocol.
BLOCK_PROTOCOL = 4


def fast_deflate(data: bytes) -> bytes:
    """`data` as a zlib stream, deflated by ISA-L: what Whoosh's readers decompress (with
    zlib) as their own."""
    return isal_zlib.compress(data, DEFLATE_LEVEL)


#: The Whoosh methods whose output our writers reproduce (`bulk_writer`'s posting blocks and
#: term infos, `_EncodedPostingsWriter._write_block`, the stored fields' column), with digests
#: of their source: a Whoosh whose writer differs is refused. Named from whoosh.codec.whoosh3.
_COPIED = {
    "W3PostingsWriter.add_posting": "09bb36fe5125",
    "W3PostingsWriter.finish_postings": "d73a95bf811a",
    "W3PostingsWriter._write_block": "1bb86c65818c",
    "W3PostingsWriter._mini_ids": "f2287d08ab76",
    "W3PostingsWriter._mini_weights": "9471308d1d7d",
    "W3PostingsWriter._mini_values": "2b6770f09266",
    "W3TermInfo.add_block": "e483f804944e",
    "W3TermInfo.to_bytes": "54a91d2768cf",
    "W3FieldWriter.start_field": "14b57944c4ae",
    "W3FieldWriter.finish_term": "ead26346d814",
    "W3PerDocWriter.__init__": "6dc955f1c87f",
    "columns.CompressedBytesColumn.Writer.__init__": "9fd40b5d98ca",
    "columns.CompressedBytesColumn.Writer.add": "5702f8470a14",
}


def _source_digest(name: str) -> str:
    method = functools.reduce(getattr, name.split("."), whoosh3)
    source = inspect.getsource(method)
    return hashlib.sha256(source.encode()).hexdigest()[:12]


def writing_problems() -> list[str]:
    """What differs from the Whoosh writer our writers copy (nothing, on whoosh 2.7.4)."""
    changed = [name for name, digest in _COPIED.items() if _source_digest(name) != digest]
    if not changed:
        return []
    return [f"our writers copy whoosh's W3 format and {', '.join(changed)} changed"]


def check_writing_internals() -> None:
    """Raise `WhooshInternalsChanged` unless Whoosh's W3 writer is the one copied here."""
    problems = writing_problems()
    if problems:
        raise WhooshInternalsChanged(f"{'; '.join(problems)}: pin whoosh==2.7.4")


class WritingCodec(whoosh3.W3Codec):  # type: ignore[misc]  # whoosh is untyped
    """Whoosh's codec, for writers (the indexer's batches, merges, rebuilds).

    - When a writer finishes a segment it looks up a document's length for every posting it
      writes (a block keeps its shortest and longest document), which reads the length
      column a posting at a time, a seventh of a rebuild. Its per-document reader reads each
      column once instead.
    - Posting blocks are pickled with `BLOCK_PROTOCOL` and deflated by `fast_deflate`, and so
      are stored fields, unless `whoosh_bytes` (then every file is what Whoosh writes, for
      tests to compare byte for byte).

    The segments it makes name the plain `W3Codec`, so no index on disk depends on this
    class, and readers never use it.
    """

    def __init__(self, *, whoosh_bytes: bool = False) -> None:
        super().__init__()
        self.whoosh_bytes = whoosh_bytes

    def new_segment(self, storage: Any, indexname: str) -> Any:
        return whoosh3.W3Segment(whoosh3.W3Codec(), indexname)

    def per_document_reader(self, storage: Any, segment: Any) -> Any:
        return _ColumnLengths(storage, segment)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        if self.whoosh_bytes:
            return super().postings_writer(dbfile, byteids=byteids)
        return _EncodedPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def per_document_writer(self, storage: Any, segment: Any) -> Any:
        writer = super().per_document_writer(storage, segment)
        if not self.whoosh_bytes:
            # The stored fields' column, which the writer made at once (STORED_COLUMN:
            # pickles compressed by `_compress(data, level)`), deflates by ours.
            writer._get_column("_stored")._child._compress = _fast_deflate_at_any_level
        return writer


def _fast_deflate_at_any_level(data: bytes, _level: int) -> bytes:
    return fast_deflate(data)


class _EncodedPostingsWriter(whoosh3.W3PostingsWriter):  # type: ignore[misc]
    """Whoosh's postings writer, a block's data pickled with `BLOCK_PROTOCOL` and deflated by
    `fast_deflate`: `_write_block` is Whoosh's but for those two calls (and without its dead
    "under 20 bytes" test, which it overwrites: every block is compressed, as Whoosh's)."""

    def _write_block(self, last: bool = False) -> None:
        if not self._blockcount:
            self._postfile.write(whoosh3.WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        data = (self._mini_ids(), self._mini_weights(), self._mini_values())
        compression = self._compression
        databytes = pickle.dumps(data, BLOCK_PROTOCOL)
        if compression:
            databytes = fast_deflate(databytes)
        ids = self._ids
        infobytes = pickle.dumps(
            (
                len(ids),
                ids[-1],
                self._maxweight,
                compression,
                length_to_byte(self._minlength),
                length_to_byte(self._maxlength),
            ),
            2,
        )
        blocklength = len(infobytes) + len(databytes)
        postfile = self._postfile
        postfile.write_int(-blocklength if last else blocklength)
        postfile.write(infobytes)
        postfile.write(databytes)
        self._blockcount += 1
        self._new_block()


class _ColumnLengths(whoosh3.W3PerDocReader):  # type: ignore[misc]  # whoosh is untyped
    """A finished segment's per-document reader whose `doc_field_length` reads a field's
    length column whole on first use (a byte per document) and answers from it."""

    def __init__(self, storage: Any, segment: Any) -> None:
        super().__init__(storage, segment)
        self._length_codes: dict[str, bytes | None] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        if docnum > self._doccount:
            raise IndexError(f"Asked for docnum {docnum!r} of {self._doccount}")
        codes = self._length_codes.get(fieldname, b"")
        if codes == b"":
            column = self._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
            codes = None if column is None else _length_codes(column, self._doccount).tobytes()
            self._length_codes[fieldname] = codes
        if codes is None:
            return default
        code = codes[docnum] if docnum < len(codes) else 0
        # As W3PerDocReader answers: None (not the default) for a length byte of 0.
        return _INT_LENGTH_OF_BYTE[code] if code else None


# Field lengths


def field_lengths(reader: IndexReader, fieldname: str, size: int) -> FloatArray:
    """Every document's length in a field of one segment, read as one column."""
    perdoc = getattr(reader, "_perdoc", None)
    if not isinstance(perdoc, whoosh3.W3PerDocReader):
        return field_lengths_public(reader, fieldname, size)
    column = perdoc._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
    if column is None:  # no document of this segment has the field
        return np.zeros(size, dtype=np.float32)
    lengths: FloatArray = _LENGTH_OF_BYTE[_length_codes(column, size)]
    return lengths


def _length_codes(column: Any, size: int) -> npt.NDArray[np.uint8]:
    """A length column's bytes. The column is a run of one byte per document up to the last
    one with a length (the rest are 0): read it in one piece, not a document at a time
    (20 ms for 100k documents, each field of each segment, the first time it is read)."""
    if type(column) is not NumericColumn.Reader or column._typecode != "B":
        return np.fromiter(column, dtype=np.uint8, count=size)
    codes = np.zeros(size, dtype=np.uint8)
    stored = min(column._count, size)
    if stored:
        codes[:stored] = np.frombuffer(column._dbfile.get(column._basepos, stored), np.uint8)
    return codes


def field_lengths_public(reader: IndexReader, fieldname: str, size: int) -> FloatArray:
    """The same through Whoosh's public API, a Python call per document.

    Whoosh answers None (not the default) for a document whose field is empty: that is a
    length of 0, and must not become NaN, which would poison every BM25 score it touches.
    """
    return np.fromiter(
        (reader.doc_field_length(docnum, fieldname, 0) or 0 for docnum in range(size)),
        dtype=np.float32,
        count=size,
    )


# Postings


def term_frequencies(reader: IndexReader, fieldname: str, text: str, size: int) -> FloatArray:
    """A term's frequency in each document of one segment (0 where absent).

    Deleted documents may keep their frequency: callers only look up documents they matched.
    """
    found = np.zeros(size, dtype=np.float32)
    ids, weights = term_postings(reader, fieldname, text)
    found[ids] = weights
    return found


def term_postings(
    reader: IndexReader, fieldname: str, text: str
) -> tuple[npt.NDArray[np.int32], FloatArray]:
    """A term's postings in one segment: the documents holding it (ascending) and its
    frequency in each; a fraction of a dense per-document array's size for most terms.

    Reads whole posting blocks through the codec's block readers.
    """
    try:
        matcher = reader.postings(fieldname, text)
    except TermNotFound:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
    leaf = getattr(matcher, "child", matcher)  # unwrap the deletion filter
    ids: list[int] = []
    weights: list[float] = []
    if not isinstance(leaf, whoosh3.W3LeafMatcher):
        # postings stored inline with the term
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    else:
        while leaf.is_active():
            leaf._read_ids()
            leaf._read_weights()
            ids.extend(leaf._ids)
            weights.extend(leaf._weights)
            leaf._next_block()
    return np.asarray(ids, dtype=np.int32), np.asarray(weights, dtype=np.float32)


def term_frequencies_public(
    reader: IndexReader, fieldname: str, text: str, size: int
) -> FloatArray:
    """The same through Whoosh's public matcher API, a Python call per posting."""
    found = np.zeros(size, dtype=np.float32)
    try:
        matcher = reader.postings(fieldname, text)
    except TermNotFound:
        return found
    return _read_postings(matcher, found)


def _read_postings(matcher: Any, found: FloatArray) -> FloatArray:
    while matcher.is_active():
        found[matcher.id()] = matcher.weight()
        matcher.next()
    return found


# Segments


def live_segment_sizes(opened: Index) -> dict[str, int]:
    """The segments the index's latest generation holds: each one's id and its number of
    documents (deleted ones included), from the table of contents alone (opening a reader
    would open every segment's files)."""
    if isinstance(opened, FileIndex):
        segments = opened._segments()
        return {str(segment.segment_id()): segment.doc_count_all() for segment in segments}
    return live_segment_sizes_public(opened)


def live_segment_sizes_public(opened: Index) -> dict[str, int]:
    """The same through a reader over the latest generation."""
    with opened.reader() as reader:
        return {
            str(leaf.segment().segment_id()): leaf.doc_count_all()
            for leaf, _ in reader.leaf_readers()
            if leaf.segment() is not None
        }


def live_segment_ids(opened: Index) -> set[str]:
    """The ids of the segments the index's latest generation holds."""
    return set(live_segment_sizes(opened))

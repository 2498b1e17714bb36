"""Sets of a segment's document numbers as sorted, unique int32 arrays, and their algebra.

Four bytes a document instead of a Python int's forty in a frozenset, and set operations
through a boolean mask the segment's size (measured faster than frozensets and than
numpy's intersect1d/union1d/setdiff1d, which sort).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

Docs = npt.NDArray[np.int32]

EMPTY: Docs = np.zeros(0, dtype=np.int32)


def from_ids(ids: Iterable[int]) -> Docs:
    """Document numbers in any order, repeated or not, as a set."""
    found: Docs = np.unique(np.fromiter(ids, dtype=np.int32))
    return found


def every(size: int) -> Docs:
    """All document numbers below `size`."""
    return np.arange(size, dtype=np.int32)


def union(size: int, parts: Sequence[Docs]) -> Docs:
    if not parts:
        return EMPTY
    if len(parts) == 1:
        return parts[0]
    mask = np.zeros(size, dtype=bool)
    for part in parts:
        mask[part] = True
    return np.flatnonzero(mask).astype(np.int32)


def intersect(size: int, first: Docs, second: Docs) -> Docs:
    if not len(first) or not len(second):
        return EMPTY
    mask = np.zeros(size, dtype=bool)
    mask[first] = True
    both: Docs = second[mask[second]]
    return both


def difference(size: int, kept: Docs, removed: Docs) -> Docs:
    if not len(kept) or not len(removed):
        return kept
    mask = np.zeros(size, dtype=bool)
    mask[removed] = True
    rest: Docs = kept[~mask[kept]]
    return rest


def contains(docs: Docs, wanted: npt.NDArray[np.integer]) -> npt.NDArray[np.bool_]:
    """For each of `wanted`, whether `docs` holds it."""
    if not len(docs):
        return np.zeros(len(wanted), dtype=bool)
    at = np.minimum(np.searchsorted(docs, wanted), len(docs) - 1)
    found: npt.NDArray[np.bool_] = docs[at] == wanted
    return found


def holds(docs: Docs, number: int) -> bool:
    """Whether `docs` holds document `number`."""
    # The number as the array's own type: numpy then skips resolving a Python int's type,
    # which took nine tenths of the call (5.7 µs against 0.6, measured on 30,000 documents).
    at = int(docs.searchsorted(docs.dtype.type(number)))
    return at < len(docs) and int(docs[at]) == number

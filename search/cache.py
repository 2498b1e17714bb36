"""What an index's segments cache, bounded in bytes: least recently used entries go first."""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import numpy as np

#: Per index, unless the caller says otherwise (`CONFRERE_SEARCH_CACHE_MB` in the server).
DEFAULT_CACHE_MB = 256.0

T = TypeVar("T")
#: (segment id, what, field, term...)
Key = tuple[Hashable, ...]


def size_of(value: Any) -> int:
    """Bytes a cached value holds: numpy arrays by their buffers, containers by their parts."""
    if isinstance(value, np.ndarray):
        return int(value.nbytes) + 112  # the array object itself
    if isinstance(value, (tuple, list)):
        return sys.getsizeof(value) + sum(size_of(item) for item in value)
    if isinstance(value, dict):
        return sys.getsizeof(value) + sum(size_of(k) + size_of(v) for k, v in value.items())
    return sys.getsizeof(value)


class ByteBudgetCache:
    """Values by key, at most `budget_bytes` of them (counted with `size_of`) at a time.

    One per index, shared by its segments (keys start with the segment id) and by every
    thread's searcher. A budget of 0 caches nothing: every read is recomputed.
    """

    def __init__(self, budget_bytes: int) -> None:
        if budget_bytes < 0:
            raise ValueError("a cache budget cannot be negative")
        self.budget_bytes = budget_bytes
        self.used_bytes = 0
        self._entries: OrderedDict[Key, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def held(self) -> list[Key]:
        """The keys held, least recently used first."""
        with self._lock:
            return list(self._entries)

    def get(self, key: Key, compute: Callable[[], T]) -> T:
        """The cached value of `key`, or `compute()`'s, kept if it fits the budget."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                value: T = found[0]
                return value
        # Computed outside the lock: two threads may both compute a value, never wait.
        value = compute()
        if isinstance(value, np.ndarray):
            value.flags.writeable = False  # shared by every search: never changed in place
        size = size_of(value)
        if size > self.budget_bytes:
            return value
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self.used_bytes -= previous[1]
            while self._entries and self.used_bytes + size > self.budget_bytes:
                _, (_, evicted) = self._entries.popitem(last=False)
                self.used_bytes -= evicted
            self._entries[key] = (value, size)
            self.used_bytes += size
        return value

    def forget(self, keep: Callable[[Key], bool]) -> None:
        """Drop every entry whose key `keep` refuses."""
        with self._lock:
            for key in [k for k in self._entries if not keep(k)]:
                _, size = self._entries.pop(key)
                self.used_bytes -= size

"""Answers to anonymous GraphQL queries, kept while nothing they were made from has changed.

A public board's first page, or a search every visitor runs, is one answer for everyone who
is not signed in, and making it costs tens of times what sending it again does. An answer is
kept under its exact request (method, content type, media type asked for, query string and
body) together with what it was made from:

- the database's change counter: SQLite's `PRAGMA data_version` on the event loop's reader
  connection, or PostgreSQL's current snapshot (which transactions have committed); any
  commit by any connection of any process changes it;
- each search index's build and generation, which the indexer moves after the database
  (a search answer follows the index, not only the rows);
- its age: what depends on the clock alone (a posting past its validThrough, an event that
  has begun) is at most `Settings.response_cache_seconds` late.

Both are read before the query runs, so a commit made while it runs makes the next request
miss. The background work's own commits (leases, queues) make answers afresh too: a busy
node keeps fewer answers, never a wrong one.

Only queries are kept, never a mutation, and only from requests that carry no credentials
(no Authorization header, no session cookie), answered 200 with no error and no cookie set;
the answers held stay within a byte budget, the least recently used dropped first.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from litestar import Request, Response

from api.core import db
from api.core.auth import SESSION_COOKIE
from search.engine import SearchIndex
from search.storage import IndexCorrupt

#: A request whose query string and body are longer than this is answered afresh each time:
#: the documents worth keeping are small, and keys count against the budget.
MAX_REQUEST_BYTES = 16 * 1024
#: No one answer may take more than this part of the budget.
LARGEST_SHARE = 16
#: Bytes counted for each answer besides its key and content: the objects that hold it, so
#: that a flood of tiny answers cannot hold many times the budget.
ENTRY_OVERHEAD = 512


@dataclass(frozen=True, slots=True)
class _Answer:
    made_from: Hashable
    expires: float  # on time.monotonic()
    status_code: int
    content: bytes
    media_type: Any  # a MediaType or a string, as the response had it
    headers: tuple[tuple[str, str], ...]

    def response(self) -> Response[bytes]:
        return Response(
            self.content,
            status_code=self.status_code,
            media_type=self.media_type,
            headers=dict(self.headers),
        )


class ResponseCache:
    """One app's kept answers (the event loop's alone: nothing here awaits between a read
    and a write of the table)."""

    def __init__(self, seconds: float, megabytes: float) -> None:
        self.seconds = seconds
        self.budget = int(megabytes * 1024 * 1024)
        self._answers: OrderedDict[bytes, _Answer] = OrderedDict()
        self._bytes = 0

    @property
    def size_bytes(self) -> int:
        return self._bytes

    async def key(self, request: Request[Any, Any, Any], media_type: str) -> bytes | None:
        """What names the request's answer for every anonymous client, or None when the
        request carries credentials or is too long to keep."""
        if "authorization" in request.headers or SESSION_COOKIE in request.cookies:
            return None
        query_string: bytes = request.scope["query_string"]
        body = await request.body() if request.method == "POST" else b""
        if len(query_string) + len(body) > MAX_REQUEST_BYTES:
            return None
        content_type = request.headers.get("content-type", "").encode("latin-1")
        return b"\0".join(
            (request.method.encode(), content_type, media_type.encode(), query_string, body)
        )

    async def made_from(self, search: Mapping[str, SearchIndex]) -> Hashable | None:
        """The database's change counter and the search indexes' versions, now; None when
        either cannot be read at once (the database locked, an index being built)."""
        database = await db.change_counter()
        if database is None:
            return None
        try:
            indexes = tuple(index.version() for index in search.values())
        except IndexCorrupt:
            return None
        return (database, indexes)

    def get(self, key: bytes, made_from: Hashable) -> Response[bytes] | None:
        """The answer kept for `key`, while what it was made from is still what it is."""
        answer = self._answers.get(key)
        if answer is None:
            return None
        if answer.made_from != made_from or answer.expires <= time.monotonic():
            self._drop(key)
            return None
        self._answers.move_to_end(key)
        return answer.response()

    def keep(self, key: bytes, made_from: Hashable, response: Response[Any]) -> None:
        """Keep a query's answer, unless it is an error, sets a cookie or is too large."""
        content = response.content
        if (
            response.status_code != 200
            or response.cookies
            or not isinstance(content, bytes)
            or b'"errors"' in content
        ):
            return
        size = _size(key, content)
        if size * LARGEST_SHARE > self.budget:
            return
        self._drop(key)
        self._answers[key] = _Answer(
            made_from=made_from,
            expires=time.monotonic() + self.seconds,
            status_code=response.status_code,
            content=content,
            media_type=response.media_type,
            headers=tuple(response.headers.items()),
        )
        self._bytes += size
        while self._bytes > self.budget:
            self._drop(next(iter(self._answers)))

    def _drop(self, key: bytes) -> None:
        answer = self._answers.pop(key, None)
        if answer is not None:
            self._bytes -= _size(key, answer.content)


def _size(key: bytes, content: bytes) -> int:
    return len(key) + len(content) + ENTRY_OVERHEAD

"""Who is asking: every service function takes the viewer explicitly.

What the viewer is to the world (their memberships, connections, blocks, employers) is read
once per request into one object (`api.people.audience.Circle`), kept on the viewer by a
`RequestMemo`, and read again after any write the request commits: a mutation that joins an
organization is followed, in the same document, by one that posts there as a member. Other
accounts' organizations, which a page asks for from several loaders (a resume's access, its
owner's profile), are kept the same way for each account by a `KeyedRequestMemo`.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from api.core.errors import Forbidden, Unauthenticated

T = TypeVar("T")


class WriteCount:
    """How many write transactions one request (or, outside requests, the process) has
    committed: what a memo of the viewer's world compares to know it may be stale."""

    def __init__(self) -> None:
        self.value = 0


#: Outside a request (the CLI, the demo seeder, background tasks) writes count here.
_PROCESS_WRITES = WriteCount()
_writes: ContextVar[WriteCount] = ContextVar("confrere_writes", default=_PROCESS_WRITES)


def begin_request() -> None:
    """Count this request's writes apart from everyone else's (call where a request starts:
    then another request's writes never make this one read its viewer's world again)."""
    _writes.set(WriteCount())


def note_write() -> None:
    """A write transaction committed (`api.core.db.write_transaction` calls this)."""
    _writes.get().value += 1


def write_stamp() -> tuple[int, int]:
    """Where this request's writes stand: it changes after each write the request commits
    (what was read before it may be stale)."""
    counter = _writes.get()
    return id(counter), counter.value


class RequestMemo(Generic[T]):
    """One value about the viewer, computed once and shared by the request's resolvers (they
    run concurrently: every caller awaits the same computation), computed again after a
    write the request committed."""

    def __init__(self) -> None:
        self._pending: asyncio.Future[T] | None = None
        self._counter: WriteCount | None = None
        self._seen = -1

    async def get(self, compute: Callable[[], Awaitable[T]]) -> T:
        counter = _writes.get()
        stale = counter is not self._counter or counter.value != self._seen
        if self._pending is None or stale:
            self._counter, self._seen = counter, counter.value
            self._pending = asyncio.ensure_future(compute())
        return await self._pending


K = TypeVar("K")


class KeyedRequestMemo(Generic[K, T]):
    """Values about other accounts, by key: each key read at most once per request (a page
    asks for the same owners from several loaders), all read again after a write the
    request committed."""

    def __init__(self) -> None:
        self._known: dict[K, T] = {}
        self._counter: WriteCount | None = None
        self._seen = -1

    async def get_many(
        self, keys: list[K], read: Callable[[list[K]], Awaitable[dict[K, T]]]
    ) -> dict[K, T]:
        """The value of each key; `read` is given the keys not known yet, and must answer
        for every one of them."""
        counter = _writes.get()
        if counter is not self._counter or counter.value != self._seen:
            self._known = {}
            self._counter, self._seen = counter, counter.value
        seen = counter.value
        values = {key: self._known[key] for key in keys if key in self._known}
        missing = [key for key in dict.fromkeys(keys) if key not in values]
        if missing:
            found = await read(missing)
            values.update(found)
            if counter.value == seen == self._seen:  # no write of this request meanwhile
                self._known.update(found)
        return {key: values[key] for key in keys}


@dataclass(frozen=True)
class Viewer:
    account_id: int | None = None
    is_staff: bool = False
    session_token_id: uuid.UUID | None = None
    must_verify_email: bool = False
    """The token's account had not verified its email when the request began, and the site
    requires it before reaching beyond one's circle (see `api.people.verified`)."""
    circle: RequestMemo[Any] = field(
        default_factory=RequestMemo, compare=False, repr=False, hash=False
    )
    """What the viewer is to the world, read once per request (see the module docstring)."""
    organizations_of: KeyedRequestMemo[int, set[int]] = field(
        default_factory=KeyedRequestMemo, compare=False, repr=False, hash=False
    )
    """Other accounts' organizations, read once per request for each account (audiences)."""

    def require_account(self) -> int:
        """The signed-in account's id; `Unauthenticated` for an anonymous viewer."""
        if self.account_id is None:
            raise Unauthenticated("Sign in first: send `Authorization: Bearer <token>`.")
        return self.account_id

    def require_staff(self) -> int:
        account_id = self.require_account()
        if not self.is_staff:
            raise Forbidden("Only staff may do this.")
        return account_id

"""Explicit lifecycles: a status column, its verbs, and one compare-and-set move.

Each capability declares its table's legal moves once, verb by verb (python.org's jobs app
names its states and moves the same way):

    POSTINGS = Lifecycle(
        JobPosting,
        noun="posting",
        field="id",
        code=JobErrorCode.ILLEGAL_TRANSITION,
        moves=[Move("publish", {DRAFT, REJECTED}, PENDING_REVIEW), ...],
    )
    row = await POSTINGS.apply("publish", job_id, to=PUBLISHED, values={...})

`apply` moves the row with `UPDATE … WHERE id = ? AND status IN (legal starting states)`: of
two verbs racing for one row, exactly one moves it, and the other is told what the row is
now (ILLEGAL_TRANSITION, naming the state) — a check outside the transaction followed by an
update by id would let both succeed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, TypeVar

from piccolo.custom_types import Combinable
from piccolo.table import Table

from api.core.db import current_engine, write_transaction
from api.core.errors import CommonErrorCode, FieldError, InvalidInput

S = TypeVar("S", bound=Enum)


@dataclass(frozen=True)
class Move(Generic[S]):
    """A verb, the states it may start from, and the state it leads to (None: the caller
    names it, for a verb whose outcome depends on the row, like publish-or-review)."""

    verb: str
    starting: frozenset[S]
    to: S | None = None

    def __init__(self, verb: str, starting: Iterable[S], to: S | None = None) -> None:
        object.__setattr__(self, "verb", verb)
        object.__setattr__(self, "starting", frozenset(starting))
        object.__setattr__(self, "to", to)


class Lifecycle(Generic[S]):
    """The legal moves of one table's `status` column."""

    def __init__(
        self,
        table: type[Table],
        *,
        noun: str,
        field: str,
        code: Enum,
        moves: Iterable[Move[S]],
        status_column: str = "status",
    ) -> None:
        self.table = table
        self.noun = noun
        self.field = field
        self.code = code
        self.moves: Mapping[str, Move[S]] = {move.verb: move for move in moves}
        self.status = getattr(table, status_column)

    @property
    def a_noun(self) -> str:
        """The noun with its indefinite article ("an application", "a post")."""
        return f"{'an' if self.noun[0] in 'aeiou' else 'a'} {self.noun}"

    def may(self, verb: str, status: S | str) -> bool:
        """Whether `verb` may start from `status` (for a `viewerCan…` field, say)."""
        value = status.value if isinstance(status, Enum) else status
        return any(state.value == value for state in self.moves[verb].starting)

    def illegal(
        self, verb: str, status: str, field: str | None = None, hint: str = ""
    ) -> InvalidInput:
        """The user error for `verb` tried on a row that is `status` (`hint`: what to do
        instead, after a semicolon)."""
        return InvalidInput(
            FieldError(
                field or self.field,
                self.code,
                f"Cannot {verb} {self.a_noun} that is {status.lower().replace('_', ' ')}{hint}.",
            )
        )

    def check(self, verb: str, status: str, field: str | None = None, hint: str = "") -> None:
        """Refuse early, before other work, when `verb` cannot start from `status` (the move
        itself checks again, in its transaction)."""
        if not self.may(verb, status):
            raise self.illegal(verb, status, field, hint)

    async def apply(
        self,
        verb: str,
        row_id: int,
        *,
        to: S | None = None,
        values: Mapping[Any, Any] | None = None,
        where: Combinable | None = None,
        field: str | None = None,
    ) -> dict[str, Any]:
        """Move the row by `verb` (to `to` when the verb leaves it to the caller), setting
        `values` too, compare-and-set. Runs in the caller's write transaction, or its own."""
        move = self.moves[verb]
        target = to or move.to
        if target is None:
            raise ValueError(f"{verb} needs a target state")
        if current_engine().current_transaction.get() is None:
            async with write_transaction():
                return await self._apply(move, target, row_id, values, where, field)
        return await self._apply(move, target, row_id, values, where, field)

    async def _apply(
        self,
        move: Move[S],
        target: S,
        row_id: int,
        values: Mapping[Any, Any] | None,
        where: Combinable | None,
        field: str | None,
    ) -> dict[str, Any]:
        table = self.table
        condition = (table._meta.primary_key == row_id) & self.status.is_in(
            sorted(state.value for state in move.starting)
        )
        if where is not None:
            condition &= where
        moved = (
            await table.update({self.status: target.value, **(values or {})})
            .where(condition)
            .returning(*table.all_columns())
        )
        if moved:
            return dict(moved[0])
        current = await table.select(self.status).where(table._meta.primary_key == row_id).first()
        if current is None:  # deleted meanwhile
            raise InvalidInput(
                FieldError(
                    field or self.field,
                    CommonErrorCode.NOT_FOUND,
                    f"This {self.noun} no longer exists.",
                )
            )
        raise self.illegal(move.verb, current[self.status._meta.name], field)

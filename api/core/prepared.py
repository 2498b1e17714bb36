"""Reads that a request runs every time, built by Piccolo once per shape instead of each time.

Piccolo builds a query's SQL anew on every run: the select's columns, joins and conditions
become nested query strings, then one string, with a copy of a foreign key and a `dir()` of
it for every attribute read through one. That costs 150-250 µs per statement, more than
SQLite takes to run most of them, and a signed-in request runs about ten (the session, the
viewer's circle, the page's owners).

`prepared` keeps, for each shape of a query (how many values each list holds), the SQL that
Piccolo compiled and where in its arguments the call's values go. The query is built by
Piccolo, from the same builder function, the first time a shape is asked for, with
stand-ins for the values; its rows are processed by Piccolo as its own run would (JSON
loaded, dicts made). So a prepared read is the builder's query, exactly, minus the building.

A builder takes the values as its positional arguments and returns a Piccolo query; it may
look at how many values a list holds, never at the values (they are stand-ins the first
time). The values are ints, strings, floats, booleans, UUIDs, dates and times, as the
database takes them (an enum's `.value`, not the enum): Piccolo converts what it is given
only while building. A value that may be left out is a list of none or one.

Keyword arguments pick the builder's branch instead (a count instead of a page; a page's
`LIMIT`, which Piccolo writes into the SQL): they are part of the shape, given to the
builder as they are, and never reach the database as values.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from functools import lru_cache, wraps
from typing import Any

from piccolo.query.base import Query
from piccolo.querystring import QueryString

from api.core.db import current_engine

#: The values a prepared read takes: those Piccolo hands to the driver as they are. Not None:
#: Piccolo builds `column == None` as `IS NULL`, a query of another shape.
PLAIN_VALUES = (int, str, float, bool, uuid.UUID, datetime, date)
#: Every prepared read (its builder is its `__wrapped__`), for the tests that hold each to
#: its builder's own rows.
READS: list[Callable[..., Awaitable[Any]]] = []
#: What a keyword argument (a branch of the builder, part of the shape) may be.
BRANCH_VALUES = (bool, int, str)
#: Shapes kept per read (lists of every length up to a page's): the least recently used go.
MAX_SHAPES = 256


class _StandIn:
    """A value's place while the query is built: found again among the compiled arguments."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index

    def __repr__(self) -> str:
        return f"<value {self.index}>"


class CompiledString(QueryString):
    """A query string compiled already: the prepared SQL and this run's arguments."""

    __slots__ = ("_compiled",)

    def __init__(self, sql: str, args: list[Any], *, query_type: str, table: Any) -> None:
        super().__init__("", query_type=query_type, table=table)
        self._compiled = (sql, args)

    def compile_string(self, engine_type: str = "postgres") -> tuple[str, list[Any]]:
        return self._compiled

    def __str__(self) -> str:
        return f"{self._compiled[0]} -- {self._compiled[1]!r}"


class _Plan:
    """One shape's query: its SQL for the engine, and each argument's source."""

    def __init__(self, query: Query[Any, Any], engine_type: str, values: int) -> None:
        if not isinstance(query, Query):
            raise TypeError(
                "a prepared read's builder returns a query (`.limit(1)`, not `.first()`)"
            )
        querystrings = query.querystrings
        if len(querystrings) != 1:
            raise TypeError("a prepared read is one statement")
        self.query = query
        self.querystring = querystrings[0]
        self.sql, arguments = self.querystring.compile_string(engine_type=engine_type)
        #: For each argument: the index of the call's value, or None for a constant.
        self.sources = [a.index if isinstance(a, _StandIn) else None for a in arguments]
        self.constants = [None if isinstance(a, _StandIn) else a for a in arguments]
        if {index for index in self.sources if index is not None} != set(range(values)):
            raise TypeError(
                "a prepared read's builder must use every value it is given, as is "
                "(an enum's .value, not the enum)"
            )

    def arguments(self, values: list[Any]) -> list[Any]:
        return [
            values[source] if source is not None else constant
            for source, constant in zip(self.sources, self.constants, strict=True)
        ]


def prepared(build: Callable[..., Query[Any, Any]]) -> Callable[..., Awaitable[Any]]:
    """`build(*values, **branches)` as a read whose SQL Piccolo compiles once per shape:
    awaiting `read(*values, **branches)` gives the rows `await build(*values, **branches)`
    would. A value is a plain value or a list of them; a branch a boolean, int or string."""

    @lru_cache(maxsize=MAX_SHAPES)
    def plan_for(
        engine_type: str, shape: tuple[int | None, ...], branches: tuple[tuple[str, Any], ...]
    ) -> _Plan:
        counter = itertools.count()
        stand_ins = [
            _StandIn(next(counter))
            if size is None
            else [_StandIn(next(counter)) for _ in range(size)]
            for size in shape
        ]
        return _Plan(build(*stand_ins, **dict(branches)), engine_type, next(counter))

    @wraps(build)
    async def read(*arguments: Any, **branches: Any) -> Any:
        for name, branch in branches.items():
            if not isinstance(branch, BRANCH_VALUES):
                raise TypeError(
                    f"a prepared read's keyword argument picks its shape: a boolean, int or "
                    f"string, not {name}={branch!r}"
                )
        engine = current_engine()
        values: list[Any] = []
        shape: list[int | None] = []
        for argument in arguments:
            if isinstance(argument, list | tuple):
                values.extend(argument)
                shape.append(len(argument))
            else:
                values.append(argument)
                shape.append(None)
        for value in values:
            if not isinstance(value, PLAIN_VALUES):
                raise TypeError(f"a prepared read takes plain values, not {value!r}")
        plan = plan_for(engine.engine_type, tuple(shape), tuple(sorted(branches.items())))
        querystring = plan.querystring
        compiled = CompiledString(
            plan.sql,
            plan.arguments(values),
            query_type=querystring.query_type,
            table=querystring.table,
        )
        results = await engine.run_querystring(compiled)
        return await plan.query._process_results(results)

    READS.append(read)
    return read

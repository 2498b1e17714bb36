"""Typed records between services and GraphQL types, and the types built from them.

A service answers with a `Record` — a frozen dataclass read from a table row once: enum
columns become their enums, JSON columns are decoded, nothing else changes. A Strawberry type
declares plain fields and is built from a record in one place (`build`), as Saleor's types
map a typed model; a Relay node type that its loader finds by id mixes in `LoadedNode`. A
mutation that takes one input, calls one service verb and answers one payload is declared
with `mutation(...)` instead of a hand-written resolver (Saleor's base mutation).
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Awaitable, Callable, Mapping
from enum import Enum
from functools import cache
from typing import Annotated, Any, ClassVar, Self, TypeVar

import msgspec
import strawberry

from api.core.context import Info
from api.core.loaders import KeyLoader, load_nodes
from api.core.viewer import Viewer

T = TypeVar("T")
R = TypeVar("R")
I = TypeVar("I")  # noqa: E741 - the input of a mutation


@cache
def _converters(cls: type) -> dict[str, Callable[[Any], Any]]:
    """How each field of a record class is read from a row value: enums by value, JSON
    columns (declared as dict or list) decoded when the driver hands them over as text."""
    converters: dict[str, Callable[[Any], Any]] = {}
    for name, hint in typing.get_type_hints(cls).items():
        if typing.get_origin(hint) is ClassVar:
            continue
        arguments = [a for a in typing.get_args(hint) if a is not type(None)]
        optional = typing.get_origin(hint) in (typing.Union, types.UnionType)
        target = arguments[0] if optional and len(arguments) == 1 else hint
        base = typing.get_origin(target) or target
        if isinstance(base, type) and issubclass(base, Enum):
            converters[name] = _enum(base)
        elif base in (dict, list):
            converters[name] = _json
    return converters


def _enum(enum: type[Enum]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else enum(value)


def _json(value: Any) -> Any:
    return decode_json(value) if isinstance(value, str | bytes) else value


def decode_json(text: str | bytes) -> Any:
    """A JSON column's text as Python values: by msgspec (twice as fast as `json` on a
    resume), or by `json` for what msgspec refuses and `json` reads (NaN, 1e400, a lone
    surrogate escape) in rows written before anything checked them."""
    try:
        return _MSGSPEC_JSON.decode(text)
    except msgspec.DecodeError:
        return json.loads(text)


_MSGSPEC_JSON = msgspec.json.Decoder()


@dataclasses.dataclass(frozen=True)
class Record:
    """A row as a service hands it on: read once, typed, immutable."""

    @classmethod
    def from_row(cls, row: Mapping[str, Any], **values: Any) -> Self:
        """The record of `row` (a table row as Piccolo returns it): each field from the
        column of its name, converted by its type, unless given in `values`."""
        record_class = typing.cast(type, cls)  # a class is hashable; mypy's Self is not
        converters = _converters(record_class)
        fields = {}
        for name, has_default in _record_fields(record_class):
            if name in values:
                continue
            if has_default and name not in row:
                continue
            value = row[name]
            convert = converters.get(name)
            fields[name] = convert(value) if convert else value
        return cls(**fields, **values)


def build(cls: type[T], record: Any, /, **values: Any) -> T:
    """The Strawberry type `cls` built from `record`: each of its plain fields from the
    record's attribute of the same name, unless given in `values`."""
    fields = {
        name: getattr(record, name)
        for name in _init_fields(typing.cast(type, cls))
        if name not in values and hasattr(record, name)
    }
    return cls(**fields, **values)


# Read once per class: `dataclasses.fields` walks every field of a Strawberry type on each
# call, and a page of twenty postings builds twenty of them.
@cache
def _init_fields(cls: type) -> tuple[str, ...]:
    """The names of the fields a dataclass's constructor takes."""
    return tuple(field.name for field in dataclasses.fields(cls) if field.init)


@cache
def _record_fields(cls: type) -> tuple[tuple[str, bool], ...]:
    """Each field of a record class, and whether it has a default."""
    return tuple(
        (field.name, field.default is not dataclasses.MISSING) for field in dataclasses.fields(cls)
    )


class LoadedNode:
    """A Relay node type that its loader finds by id: name the loader class in `loader` and
    build the type in `from_record`; Relay's `node(id:)` and `nodes(ids:)` then batch."""

    loader: ClassVar[type[KeyLoader[int, Any]]]

    @classmethod
    def from_record(cls, record: Any) -> Self:
        raise NotImplementedError

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[Self | None]:
        records = await load_nodes(info.context.loaders.get(cls.loader), node_ids)
        return [cls.from_record(record) if record is not None else None for record in records]


def mutation(
    description: str,
    input: type[I],
    argument: str,
    perform: Callable[[Viewer, I], Awaitable[R]],
    payload: Callable[[R], T],
) -> Any:
    """A mutation field: `perform(viewer, input)` calls the service, `payload(result)` shapes
    the answer; `UserErrorPayloads` turns the service's `InvalidInput` into userErrors. The
    payload type is read from `payload`'s return annotation (a class, or a function that
    names one)."""

    async def resolve(info: Info, input: Any) -> Any:
        return payload(await perform(info.context.viewer, input))

    answer = payload if isinstance(payload, type) else typing.get_type_hints(payload)["return"]
    resolve.__annotations__ = {
        "info": Info,
        "input": Annotated[input, strawberry.argument(description=argument)],
        "return": answer,
    }
    return strawberry.mutation(resolver=resolve, description=description)

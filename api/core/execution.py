"""Executing the schema: plain fields answered without graphql-core's per-field machinery.

Most fields of a page are plain: a posting's title, its dates, its places' cities, each
read from an attribute of the record behind the type and turned into JSON by its scalar or
enum. For each of them graphql-core builds a resolve info and a path, asks for arguments,
calls Strawberry's wrapper around `getattr`, tests the value for awaitability and walks its
type to complete it. `PlainFieldExecutor` answers such a field with the attribute and the
type's own `coerce_output_value`, the two steps that decide its value. Measured side by side
(the board's `jobs(first: 20)` made afresh, one server process each): 7.7 -> 6.1 ms of CPU
per request; a page of twenty postings has about 290 plain fields.

An object field read from an attribute (a posting's `locations` and `salary`, a hit's
`highlights`, a search's `facets`, a connection's `pageInfo`) whose whole selection in the
query is plain — leaves, `__typename` and such objects again, to any depth — is answered as
a whole: one dict per object, without graphql-core completing the object, its list, each
item and each of their fields (measured in one process, the fast path on and off in turn:
`searchJobs` afresh ~8.3 -> ~7.8 ms of CPU a request, `jobs` afresh ~4.9 -> ~4.6). Which
selections are plain is worked out once per field group of the operation.

Which fields are plain is decided once, when the schema is built (`mark_plain_fields`): a
Strawberry field with no resolver, no field extension and no arguments, read with the
default `getattr`, whose type is a scalar or an enum, or a list of them (`PlainField`), or
an object type without an `is_type_of` of its own, or a list of it (`PlainObject`); and a
Relay `id` whose type keeps `Node`'s own id. Anything else, and any value that would be an
error (null where the type forbids it, a value the type cannot serialize, an exception
raised by the read, an object not exactly of its type's class), goes through graphql-core's
own `execute_field` — for an object, the whole field, nothing of it having been answered —
so errors keep their message, path and location. A schema extension that wraps resolvers
(`resolve`) switches the fast path off for the operation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from operator import attrgetter
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
)
from graphql.pyutils import Undefined
from strawberry import relay
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.cast import TYPE_CAST_ATTRIBUTE
from strawberry.types.field import StrawberryField

#: The key, in a graphql-core field's `extensions`, of its `PlainField`.
PLAIN = "confrere-plain-field"
#: The key, in a graphql-core field's `extensions`, of its `PlainObject`.
PLAIN_OBJECT = "confrere-plain-object"
#: The directives a plain selection may carry: graphql-core has applied them when it
#: collected the fields. Any other (`@stream`, `@defer`) leaves the selection to it.
APPLIED_DIRECTIVES = frozenset({"skip", "include"})


class _Slow:
    """The answer of a plain field that must go through graphql-core after all."""


SLOW = _Slow()


@dataclass(frozen=True, slots=True)
class PlainField:
    """How to answer one plain field: read the value, coerce it (each item of a list)."""

    read: Callable[[Any], Any]
    leaf: GraphQLLeafType
    non_null: bool
    is_list: bool
    item_non_null: bool

    def answer(self, source: Any) -> Any:
        """The field's value in the response, or `SLOW` when graphql-core must decide it
        (it then reports the error, if there is one, as it always has)."""
        try:
            value = self.read(source)
            return _completed(value, self.non_null, self.is_list, self.item_non_null, self._coerce)
        except Exception:  # the read or the coercion failed: graphql-core reports it
            return SLOW

    def _coerce(self, value: Any) -> Any:
        if isinstance(value, Exception):
            return SLOW
        coerced = self.leaf.coerce_output_value(value)
        return SLOW if coerced is None or coerced is Undefined else coerced


@dataclass(frozen=True, slots=True)
class PlainSelection:
    """A selection of an object type every field of which is plain (leaves, `__typename`
    and plain objects, to any depth): answered as a whole, or `SLOW` as a whole."""

    origin: type
    """The Strawberry class whose instances (exactly) it answers."""
    steps: tuple[tuple[str, Callable[[Any], Any]], ...]
    """Each response name, and how to answer it from the object."""

    def answer(self, value: Any) -> Any:
        # Exactly the type's class: an instance of another class, or one cast to another
        # type (`strawberry.cast`), is for graphql-core's `is_type_of` to judge.
        if type(value) is not self.origin or getattr(value, TYPE_CAST_ATTRIBUTE, None):
            return SLOW
        result: dict[str, Any] = {}
        for name, step in self.steps:
            answered = step(value)
            if answered is SLOW:
                return SLOW
            result[name] = answered
        return result


@dataclass(frozen=True, slots=True)
class PlainObject:
    """How to read one plain object field (an object, or a list of objects, read from an
    attribute); what of it is answered is the query's selection (`PlainSelection`)."""

    read: Callable[[Any], Any]
    object_type: GraphQLObjectType
    origin: type
    non_null: bool
    is_list: bool
    item_non_null: bool

    def answer(self, source: Any, selection: PlainSelection) -> Any:
        """The field's value in the response, or `SLOW` when graphql-core must decide it."""
        try:
            value = self.read(source)
        except Exception:  # graphql-core reports it
            return SLOW
        return _completed(value, self.non_null, self.is_list, self.item_non_null, selection.answer)


def _completed(
    value: Any, non_null: bool, is_list: bool, item_non_null: bool, one: Callable[[Any], Any]
) -> Any:
    """A value read for a field, completed as its type says (`one` completes a value that
    is not null, or each item of a list), or `SLOW` at the first thing graphql-core must
    judge: null where the type forbids it, anything but a list or tuple for a list type."""
    if value is None or value is Undefined:
        return SLOW if non_null else None
    if not is_list:
        return one(value)
    if not isinstance(value, list | tuple):
        return SLOW
    items: list[Any] = []
    for item in value:
        if item is None or item is Undefined:
            if item_non_null:
                return SLOW
            items.append(None)
            continue
        answered = one(item)
        if answered is SLOW:
            return SLOW
        items.append(answered)
    return items


def plain_field(field: GraphQLField) -> PlainField | None:
    """The plain way to answer `field`, or None when it needs its resolver."""
    shape = _leaf_shape(field.type)
    read = _attribute_reader(field)
    if shape is None or read is None:
        return None
    return PlainField(read, *shape)


def plain_object(field: GraphQLField) -> PlainObject | None:
    """The plain way to read object field `field`, or None when it needs its resolver or
    its type decides by itself what is of it (a user-defined `is_type_of`)."""
    non_null, is_list, item_non_null, named = _unwrapped(field.type)
    read = _attribute_reader(field)
    if not isinstance(named, GraphQLObjectType) or read is None:
        return None
    definition = (named.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if not isinstance(definition, StrawberryObjectDefinition) or definition.is_type_of:
        return None
    return PlainObject(read, named, definition.origin, non_null, is_list, item_non_null)


def _attribute_reader(field: GraphQLField) -> Callable[[Any], Any] | None:
    """How `field` reads its value when it is a Strawberry field read with the default
    `getattr`: no resolver, no field extension, no arguments."""
    if field.args:
        return None
    definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if not isinstance(definition, StrawberryField):
        return None
    if not (
        getattr(field.resolve, "_is_default", False)
        and definition.is_basic_field
        and definition.default_resolver is getattr
    ):
        return None
    return attrgetter(definition.python_name)


def _leaf_shape(type_: Any) -> tuple[GraphQLLeafType, bool, bool, bool] | None:
    """(leaf, non_null, is_list, item_non_null) for a leaf or a list of leaves."""
    non_null, is_list, item_non_null, named = _unwrapped(type_)
    if not isinstance(named, GraphQLScalarType | GraphQLEnumType):
        return None
    return named, non_null, is_list, item_non_null


def _unwrapped(type_: Any) -> tuple[bool, bool, bool, Any]:
    """(non_null, is_list, item_non_null, the type inside) of a type or a list of it; a
    list of lists stays a list inside."""
    non_null = isinstance(type_, GraphQLNonNull)
    if non_null:
        type_ = type_.of_type
    is_list = isinstance(type_, GraphQLList)
    item_non_null = False
    if is_list:
        type_ = type_.of_type
        item_non_null = isinstance(type_, GraphQLNonNull)
        if item_non_null:
            type_ = type_.of_type
    return non_null, is_list, item_non_null, type_


def mark_plain_fields(schema: GraphQLSchema) -> int:
    """Give each plain field of `schema` its `PlainField` (or `PlainObject`) and each Relay
    `id` of a type that keeps `Node`'s own id a resolver without Strawberry's machinery; how
    many were marked."""
    marked = 0
    for named in schema.type_map.values():
        if not isinstance(named, GraphQLObjectType) or named.name.startswith("__"):
            continue
        node_id = _node_id_reader(named)
        for name, field in named.fields.items():
            plain: PlainField | None
            if name == "id" and node_id is not None:
                field.resolve = partial(_resolve_node_id, node_id)
                plain = PlainField(node_id, *_leaf_shape(field.type))  # type: ignore[misc]
            else:
                plain = plain_field(field)
            if plain is not None:
                field.extensions = {**(field.extensions or {}), PLAIN: plain}
                marked += 1
            elif (readable := plain_object(field)) is not None:
                field.extensions = {**(field.extensions or {}), PLAIN_OBJECT: readable}
                marked += 1
    return marked


def _node_id_reader(named: GraphQLObjectType) -> Callable[[Any], relay.GlobalID] | None:
    """How to read a Node's id without Strawberry's Info, argument and extension chain: the
    type's name and the attribute, as `Node.resolve_id` and `Node.resolve_typename` give
    them. A type that overrides either keeps Strawberry's resolver."""
    if "id" not in named.fields:
        return None
    definition = (named.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    origin = getattr(definition, "origin", None)
    if not (
        isinstance(origin, type)
        and issubclass(origin, relay.Node)
        and origin.resolve_id.__func__ is relay.Node.resolve_id.__func__  # type: ignore[attr-defined]
        and origin.resolve_typename.__func__ is relay.Node.resolve_typename.__func__  # type: ignore[attr-defined]
    ):
        return None
    return partial(_node_id, named.name, attrgetter(origin.resolve_id_attr()))


def _node_id(type_name: str, read: Callable[[Any], Any], root: Any) -> relay.GlobalID:
    return relay.GlobalID(type_name=type_name, node_id=str(read(root)))


def _resolve_node_id(read: Callable[[Any], relay.GlobalID], root: Any, info: Any) -> relay.GlobalID:
    return read(root)


class PlainFieldExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor, answering plain fields (`mark_plain_fields`) directly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        self.plain_fields = manager is None or not manager.middlewares
        # Per field group of the operation (by identity, kept alive with its answer, as
        # graphql-core's `collect_subfields` memoizes): its plain selection, or None.
        self._selections: dict[int, tuple[Any, PlainSelection | None]] = {}

    def execute_field(
        self, parent_type: GraphQLObjectType, source: Any, field_details_list: Any, *rest: Any
    ) -> Any:
        if self.plain_fields:
            field = parent_type.fields.get(field_details_list[0].node.name.value)
            if field is not None:
                extensions = field.extensions
                plain = extensions.get(PLAIN)
                if plain is not None:
                    answer = plain.answer(source)
                    if answer is not SLOW:
                        return answer
                elif (readable := extensions.get(PLAIN_OBJECT)) is not None:
                    selection = self._selection(readable, field_details_list)
                    if selection is not None:
                        answer = readable.answer(source, selection)
                        if answer is not SLOW:
                            return answer
        return super().execute_field(parent_type, source, field_details_list, *rest)

    def _selection(self, readable: PlainObject, field_details_list: Any) -> PlainSelection | None:
        """The plain selection this field group asks of its object, or None when any of
        it is not plain."""
        cached = self._selections.get(id(field_details_list))
        if cached is not None and cached[0] is field_details_list:
            return cached[1]
        selection = self._plain_selection(readable, field_details_list)
        self._selections[id(field_details_list)] = (field_details_list, selection)
        return selection

    def _plain_selection(
        self, readable: PlainObject, field_details_list: Any
    ) -> PlainSelection | None:
        if not _only_applied_directives(field_details_list):
            return None
        object_type = readable.object_type
        collected = self.collect_subfields(object_type, field_details_list)
        if collected.new_defer_usages or collected.forbidden_directive_instances:
            return None
        steps: list[tuple[str, Callable[[Any], Any]]] = []
        for response_name, details in collected.grouped_field_set.items():
            if not _only_applied_directives(details):
                return None
            name = details[0].node.name.value
            field = object_type.fields.get(name)
            if name == "__typename":
                steps.append((response_name, partial(_constant, object_type.name)))
            elif field is None:
                return None
            elif (plain := field.extensions.get(PLAIN)) is not None:
                steps.append((response_name, plain.answer))
            elif (nested := field.extensions.get(PLAIN_OBJECT)) is not None:
                selection = self._selection(nested, details)
                if selection is None:
                    return None
                steps.append((response_name, partial(nested.answer, selection=selection)))
            else:
                return None
        return PlainSelection(readable.origin, tuple(steps))


def _only_applied_directives(field_details_list: Any) -> bool:
    return all(
        details.defer_usage is None
        and all(d.name.value in APPLIED_DIRECTIVES for d in details.node.directives or ())
        for details in field_details_list
    )


def _constant(value: Any, source: Any) -> Any:
    return value

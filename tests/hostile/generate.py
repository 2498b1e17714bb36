"""What the hostile-input suite sends, read from the schema when the tests are collected.

Every argument of every root field (and of every field on a `Node` type, reached through
`node(id:)`), and every field of their input objects, recursively, whose type is ID, String,
Int, Float, DateTime, Date or JSON is a *leaf*. Each leaf gets a table of bad values by its
category; a request carries one bad value at one leaf, every other required argument a
minimal valid value, so only one thing is wrong at a time. A field added to the schema is
attacked without anyone remembering to.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
    is_enum_type,
    is_input_object_type,
    is_interface_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
    is_union_type,
)
from graphql.language import Lexer, Source, TokenKind
from graphql.pyutils import Undefined

from api.schema import schema as strawberry_schema

SCHEMA: GraphQLSchema = strawberry_schema._schema

#: Scalars and the category of bad values each gets; other scalars (Boolean, enums) have
#: nothing hostile to say.
CATEGORIES = {
    "ID": "id",
    "String": "string",
    "Int": "int",
    "Float": "float",
    "DateTime": "datetime",
    "Date": "date",
    "PartialDate": "date",
    "JSON": "json",
}
CURSOR_ARGUMENTS = ("after", "before")
#: The document token limit is 2000; selections are cut to stay well inside it.
TOKEN_BUDGET = 1200

LITERAL_MARKER = "__HOSTILE_LITERAL__"
RAW_MARKER = "__HOSTILE_RAW__"


# --- targets and leaves -------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A field whose arguments are attacked: a root field, or a field of a Node type."""

    owner: str
    field: str

    @property
    def name(self) -> str:
        return f"{self.owner}.{self.field}"

    @property
    def is_mutation(self) -> bool:
        return self.owner == "Mutation"

    @property
    def is_root(self) -> bool:
        return self.owner in ("Query", "Mutation")

    @property
    def definition(self) -> Any:
        owner = SCHEMA.get_type(self.owner)
        assert isinstance(owner, GraphQLObjectType)
        return owner.fields[self.field]


@dataclass(frozen=True)
class Leaf:
    """One scalar position in a target's arguments: `input.locations.countryCode`."""

    target: Target
    path: tuple[str, ...]
    scalar: str

    @property
    def category(self) -> str:
        if self.path[-1] in CURSOR_ARGUMENTS and self.scalar == "String" and len(self.path) == 1:
            return "cursor"
        return CATEGORIES[self.scalar]

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


def targets() -> list[Target]:
    """Queries first (they change nothing), then fields on Node types, then mutations."""
    found = [Target("Query", name) for name in SCHEMA.query_type.fields]
    for name, type_ in sorted(SCHEMA.type_map.items()):
        if is_object_type(type_) and any(i.name == "Node" for i in type_.interfaces):
            found += [Target(name, field) for field, f in type_.fields.items() if f.args]
    assert SCHEMA.mutation_type is not None
    found += [Target("Mutation", name) for name in SCHEMA.mutation_type.fields]
    return found


def _leaves_of(
    type_: GraphQLInputType, path: tuple[str, ...], seen: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], str]]:
    named = get_named_type(type_)
    if is_input_object_type(named):
        if named.name in seen:  # a recursive input type: one level is enough
            return
        for name, input_field in named.fields.items():
            yield from _leaves_of(input_field.type, (*path, name), (*seen, named.name))
    elif named.name in CATEGORIES:
        yield path, named.name


def leaves(target: Target) -> list[Leaf]:
    return [
        Leaf(target, path, scalar)
        for name, argument in target.definition.args.items()
        for path, scalar in _leaves_of(argument.type, (name,), ())
    ]


# --- bad values ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Bad:
    """A bad value: sent as a variable (`value`), spliced into the variables as raw JSON text
    (`raw`: NaN, 10000-deep nesting), or written into the document as a literal (`literal`)."""

    kind: str
    value: Any = None
    raw: str | None = None
    literal: str | None = None

    def describe(self) -> str:
        shown = self.literal or self.raw or repr(self.value)
        return shown if len(shown) < 60 else f"{shown[:40]}... ({len(shown)} characters)"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


MILLION = "x" * 1_000_000
NESTED = "(" * 250 + "a" + ")" * 250
HUGE_NUMBERS = (str(2**63), "1" + "0" * 29)
NEGATIVE_NUMBERS = ("-1", str(-(2**63) - 1))

STRING_VALUES = {
    "string:nul": [Bad("string:nul", "a\x00b")],
    "string:control": [Bad("string:control", "a\x1b[31mb\x08")],
    "string:surrogate": [Bad("string:surrogate", raw='"a\\ud800b"')],
    "string:million": [Bad("string:million", MILLION)],
    "string:numeric": [Bad("string:numeric", "9" * 30)],
}
#: Search query strings also get deep nesting.
QUERY_STRING_VALUES = {**STRING_VALUES, "string:nested": [Bad("string:nested", NESTED)]}
#: Cursors are strings too; these are the string kinds that matter for them.
CURSOR_STRING_KINDS = ("string:nul", "string:surrogate", "string:million")
INT_VALUES = {
    "int:huge": [
        Bad("int:huge", 2**31 - 1),
        Bad("int:huge", 2**63),
        Bad("int:huge", literal="1" + "0" * 30),
    ],
    "int:negative": [Bad("int:negative", -1)],
    "int:zero": [Bad("int:zero", 0)],
    "int:nan": [Bad("int:nan", "NaN"), Bad("int:nan", raw="NaN")],
}
FLOAT_VALUES = {
    "float:huge": [
        Bad("float:huge", 1e308),
        Bad("float:huge", -1e308),
        Bad("float:huge", literal="1e309"),
    ],
    "float:negative": [Bad("float:negative", -1.5)],
    "float:zero": [Bad("float:zero", 0)],
    "float:nan": [Bad("float:nan", "NaN"), Bad("float:nan", raw="NaN")],
}
DATETIME_VALUES = {
    "datetime:range": [
        Bad("datetime:range", "9999-12-31T23:59:59-14:00"),
        Bad("datetime:range", "0001-01-01T00:00:00+14:00"),
        Bad("datetime:range", "2026-06-01T12:00:00"),
    ],
    "datetime:junk": [
        Bad("datetime:junk", "99999-01-01T00:00:00Z"),
        Bad("datetime:junk", "a\x00b"),
        Bad("datetime:junk", 10**30),
    ],
}
DATE_VALUES = {
    "date:range": [Bad("date:range", "9999-12-31"), Bad("date:range", "0001-01-01")],
    "date:junk": [Bad("date:junk", "99999-01-01"), Bad("date:junk", "2026-02-30")],
}
JSON_VALUES = {
    "json:shape": [
        Bad("json:shape", None),
        Bad("json:shape", "x"),
        Bad("json:shape", [1, [2]]),
        Bad("json:shape", {"basics": "\x00", "title": ["x"] * 3}),
    ],
    "json:deep": [
        Bad("json:deep", raw="[" * 250 + "]" * 250),
        Bad("json:deep", raw="[" * 100_000 + "]" * 100_000),
    ],
    "json:huge": [
        Bad("json:huge", {"basics": {"name": MILLION}}),
        Bad("json:huge", raw='{"basics": {"name": "x", "age": ' + "9" * 5000 + "}}"),
    ],
}


def id_values(type_name: str, wrong: str) -> dict[str, list[Bad]]:
    def typed(kind: str, key: str) -> Bad:
        return Bad(kind, b64(f"{type_name}:{key}"))

    return {
        "id:huge": [typed("id:huge", str(2**63)), Bad("id:huge", literal="1" + "0" * 30)],
        "id:negative": [typed("id:negative", "-1")],
        "id:non-numeric": [typed("id:non-numeric", "1.5"), typed("id:non-numeric", "abc")],
        "id:wrong-type": [Bad("id:wrong-type", wrong)],
        "id:junk": [
            Bad("id:junk", "VXNlcjox"),  # "User:1": a type that does not exist
            Bad("id:junk", ""),
        ],
        "id:control": [typed("id:control", "1\x00")],
        "id:million": [Bad("id:million", "A" * 1_000_000)],
    }


#: Cursor formats the connections use today; cursors read from the world are added to these.
CURSOR_TEMPLATES = (
    "cursor:{n}",
    "search:{n}",
    "post:0:{n}",
    "event:2026-01-01T00:00:00+00:00|{n}",
    'directory:["a", {n}]',
)


def cursor_templates(observed: list[str], *, fallback: bool = True) -> list[str]:
    """Each cursor format once, with `{n}` where its last number stands (with the formats
    the connections use today when `fallback`)."""
    templates = dict.fromkeys(CURSOR_TEMPLATES if fallback else ())
    for cursor in observed:
        try:
            text = base64.urlsafe_b64decode(cursor.encode()).decode()
        except ValueError:
            continue
        template = re.sub(r"-?\d+(?=\D*$)", "{n}", text.replace("{", "{{").replace("}", "}}"))
        if "{n}" in template:
            templates[template] = None
    return list(templates)


def cursor_values(templates: list[str]) -> dict[str, list[Bad]]:
    def each(kind: str, numbers: tuple[str, ...]) -> list[Bad]:
        return [
            Bad(kind, base64.urlsafe_b64encode(t.format(n=n).encode()).decode())
            for t in templates
            for n in numbers
        ]

    return {
        "cursor:huge": each("cursor:huge", HUGE_NUMBERS),
        "cursor:negative": each("cursor:negative", NEGATIVE_NUMBERS),
        "cursor:junk": [
            Bad("cursor:junk", "VXNlcjox"),
            Bad("cursor:junk", "cursor:1"),
            Bad("cursor:junk", base64.urlsafe_b64encode(b"\xff\xfe").decode()),
        ],
        **{kind: STRING_VALUES[kind] for kind in CURSOR_STRING_KINDS},
    }


def value_table(
    leaf: Leaf, world_ids: dict[str, str], templates: list[str]
) -> dict[str, list[Bad]]:
    """Kind -> bad values for one leaf."""
    category = leaf.category
    if category == "id":
        expected = id_type(leaf, world_ids)
        # One existing id of another type (which one varies with the expected type).
        others = [name for name in ("Person", "Organization", "Job") if name != expected]
        return id_values(expected, world_ids.get(others[0], b64(f"{others[0]}:1")))
    if category == "cursor":
        return cursor_values(templates)
    if category == "string" and leaf.path[-1] in ("query", "q"):
        return QUERY_STRING_VALUES
    return {
        "string": STRING_VALUES,
        "int": INT_VALUES,
        "float": FLOAT_VALUES,
        "datetime": DATETIME_VALUES,
        "date": DATE_VALUES,
        "json": JSON_VALUES,
    }[category]


# --- minimal valid values ------------------------------------------------------------------

#: Which world object an ID argument names, by the argument's name.
ID_ARGUMENTS = {
    "chamberId": "chamber",
    "businessId": "business",
    "offeredById": "business",
    "membersOnlyOrganizationId": "alumni",
    "personId": "Person",
    "participantIds": "Person",
    "connectionId": "ConnectionRequest",
    "membershipId": "Membership",
    "businessMembershipId": "BusinessMembership",
    "sessionId": "Session",
    "reportId": "PostReport",
}
#: Fields whose `organizationId` is not the club's.
ORGANIZATION_BY_FIELD = {
    "Query.directory": "alumni",
    "Mutation.importRoster": "alumni",
    "Query.searchJobs": "employer",
    "Query.jobs": "employer",
    "Mutation.createJob": "employer",
    "Mutation.importJob": "employer",
    "Mutation.setResumeExclusions": "employer",
    "Mutation.verifyEmployer": "employer",
}
#: Values the schema cannot tell: what makes an input valid beyond its required fields.
INPUT_DEFAULTS: dict[str, dict[str, Any]] = {
    "CreateJobInput": {"workplaceType": "REMOTE"},  # else a location is required
    "UpdateJobInput": {"workplaceType": "REMOTE"},
    "CreatePostInput": {"kind": "DISCUSSION", "body": "A body"},  # a blog post needs a title
}
#: Fields only an anonymous visitor may use (a signed-in request is refused before any
#: validation): their cases run anonymously.
ANONYMOUS_TARGETS = ("Mutation.register", "Mutation.login")
NODE_TYPES = sorted(
    name
    for name, type_ in SCHEMA.type_map.items()
    if is_object_type(type_) and any(i.name == "Node" for i in type_.interfaces)
)


def id_type(leaf: Leaf, world_ids: dict[str, str]) -> str:
    """The Node type an ID leaf expects, from its name and its field's name."""
    key = id_key(leaf)
    if key in world_ids:
        from tests.hostile.world import node_type

        return node_type(world_ids[key])
    return key


def id_key(leaf: Leaf) -> str:
    name = leaf.path[-1]
    if name in ID_ARGUMENTS:
        return ID_ARGUMENTS[name]
    if name in ("organizationId", "organizationIds"):
        return ORGANIZATION_BY_FIELD.get(leaf.target.name, "club")
    if name.endswith("Id") and name[0].upper() + name[1:-2] in NODE_TYPES:
        return name[0].upper() + name[1:-2]
    if not leaf.target.is_root:
        return leaf.target.owner
    # `id`: the longest Node type named in the field (`setResumeVisibility` -> Resume).
    field_name = leaf.target.field.lower()
    named = [t for t in NODE_TYPES if t.lower() in field_name]
    return max(named, key=len) if named else "Person"


_emails = itertools.count(1)

STRING_DEFAULTS = {
    "password": "a long enough password",
    "name": "Hostile",
    "title": "Hostile title",
    "reason": "Looks like spam",
    "body": "A body",
    "csv": "email\nnobody@example.org\n",
    "timeZone": "Europe/Berlin",
    "countryCode": "DE",
    "currency": "EUR",
    "note": "Hello",
    "details": "Details",
}


def minimal_string(leaf_name: str, target: Target, world: Any) -> str:
    if leaf_name == "email":
        if target.field == "login":
            return "nobody@example.org"
        if target.field == "inviteMember":
            return world.third.email
        return f"hostile.{next(_emails)}@example.org"
    if leaf_name == "slug":
        return world.slugs["club"]
    return STRING_DEFAULTS.get(leaf_name, "x")


def minimal_value(
    type_: GraphQLInputType, name: str, target: Target, world: Any, viewer: str
) -> Any:
    """A valid value for a required position."""
    if is_non_null_type(type_):
        type_ = type_.of_type
    if is_list_type(type_):
        return []
    named = get_named_type(type_)
    if is_enum_type(named):
        return next(iter(named.values))
    if is_input_object_type(named):
        return _minimal_object(named, target, world, viewer)
    scalar = named.name
    if scalar == "ID":
        leaf = Leaf(target, (name,), "ID")
        return world.ids[viewer].get(id_key(leaf), world.ids[viewer]["Organization"])
    if scalar == "String":
        return minimal_string(name, target, world)
    if scalar in ("Int", "Float"):
        return 0
    if scalar == "Boolean":
        return False
    if scalar == "DateTime":
        start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
        return (start + timedelta(hours=2 if name == "endsAt" else 0)).isoformat()
    if scalar in ("Date", "PartialDate"):
        return date.today().isoformat()
    if scalar == "JSON":
        if name == "document" and "Job" in target.field:
            return {"title": "Hostile title", "remote": "Full"}
        if name == "document":
            return {"basics": {"name": "Hostile"}}
        return {}
    raise AssertionError(f"no minimal value for scalar {scalar}")


def _minimal_object(
    type_: GraphQLInputObjectType, target: Target, world: Any, viewer: str
) -> dict[str, Any]:
    value = {
        name: minimal_value(f.type, name, target, world, viewer)
        for name, f in type_.fields.items()
        if _required(f)
    }
    return {**value, **INPUT_DEFAULTS.get(type_.name, {})}


def _required(position: GraphQLArgument | GraphQLInputField) -> bool:
    return is_non_null_type(position.type) and position.default_value is Undefined


# --- requests -----------------------------------------------------------------------------


@dataclass
class Request:
    """A document and its variables as JSON text (raw values spliced in)."""

    document: str
    variables: str
    carrier: bool = False  # the target is reached through node(id: $carrier)


def _with_bad(
    type_: GraphQLInputType,
    path: tuple[str, ...],
    bad_value: Any,
    target: Target,
    world: Any,
    viewer: str,
) -> Any:
    """The value for `type_` with `bad_value` at `path` and minimal values elsewhere."""
    if not path:
        return [bad_value] if is_list_type(_nullable(type_)) else bad_value
    inner = _nullable(type_)
    if is_list_type(inner):
        return [_with_bad(inner.of_type, path, bad_value, target, world, viewer)]
    assert isinstance(inner, GraphQLInputObjectType)
    value = _minimal_object(inner, target, world, viewer)
    head, *rest = path
    value[head] = _with_bad(inner.fields[head].type, tuple(rest), bad_value, target, world, viewer)
    return value


def _nullable(type_: Any) -> Any:
    return type_.of_type if is_non_null_type(type_) else type_


def _literal(value: Any, type_: Any) -> str:
    """A Python value written as a GraphQL literal of `type_`."""
    if isinstance(value, str) and value == LITERAL_MARKER:
        return value
    if value is None:
        return "null"
    inner = _nullable(type_)
    if is_list_type(inner):
        items = value if isinstance(value, list) else [value]
        return "[" + ", ".join(_literal(item, inner.of_type) for item in items) + "]"
    named = get_named_type(inner)
    if is_input_object_type(named):
        return (
            "{"
            + ", ".join(f"{k}: {_literal(v, named.fields[k].type)}" for k, v in value.items())
            + "}"
        )
    if is_enum_type(named):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):  # a JSON scalar
        return "{" + ", ".join(f"{k}: {_literal(v, named)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(item, named) for item in value) + "]"
    return json.dumps(value)


def selection(type_: Any, depth: int) -> str:
    """The fields of `type_` that take no required arguments, `depth` object levels down."""
    named = get_named_type(type_)
    if is_leaf_type(named):
        return ""
    if is_union_type(named):
        return "{ __typename }"
    parts = ["__typename"]
    for name, f in named.fields.items():
        if any(_required(a) for a in f.args.values()):
            continue
        child = get_named_type(f.type)
        if is_leaf_type(child):
            parts.append(name)
        elif depth > 0 and (is_object_type(child) or is_interface_type(child)):
            parts.append(f"{name} {selection(child, depth - 1)}")
        elif depth > 0 and is_union_type(child):
            parts.append(f"{name} {{ __typename }}")
    return "{ " + " ".join(parts) + " }"


def token_count(document: str) -> int:
    lexer = Lexer(Source(document))
    count = 0
    while lexer.advance().kind != TokenKind.EOF:
        count += 1
    return count


_selections: dict[str, str] = {}


def target_selection(target: Target) -> str:
    """The richest selection that keeps the document inside the token budget."""
    if target.name not in _selections:
        type_ = target.definition.type
        # A mutation's payload one level down: its object and userErrors. Deeper, a value
        # a mutation accepted (a million characters) would ride along in every payload.
        for depth in (1, 0) if target.is_mutation else (2, 1, 0):
            chosen = selection(type_, depth)
            if token_count(chosen) <= TOKEN_BUDGET:
                break
        _selections[target.name] = chosen
    return _selections[target.name]


def build_request(
    target: Target, leaf: Leaf | None, bad: Bad | None, world: Any, viewer: str
) -> Request:
    """The document attacking `leaf` with `bad` (None: a valid request for the target)."""
    definition = target.definition
    arguments: list[str] = []
    declarations: list[str] = []
    variables: dict[str, Any] = {}
    bad_value = bad.value if bad and bad.raw is None and bad.literal is None else None
    if bad and bad.raw is not None:
        bad_value = RAW_MARKER
    if bad and bad.literal is not None:
        bad_value = LITERAL_MARKER
    for name, argument in definition.args.items():
        attacked = leaf is not None and leaf.path[0] == name
        if attacked:
            assert leaf is not None
            value = _with_bad(argument.type, leaf.path[1:], bad_value, target, world, viewer)
        elif _required(argument):
            value = minimal_value(argument.type, name, target, world, viewer)
        else:
            continue
        if attacked and bad is not None and bad.literal is not None:
            arguments.append(f"{name}: {_literal(value, argument.type)}")
        else:
            arguments.append(f"{name}: ${name}")
            declarations.append(f"${name}: {argument.type}")
            variables[name] = value
    call = f"{target.field}({', '.join(arguments)})" if arguments else target.field
    body = f"{call} {target_selection(target)}"
    carrier = not target.is_root
    if carrier:
        declarations.append("$carrier: ID!")
        variables["carrier"] = world.ids[viewer][target.owner]
        body = f"node(id: $carrier) {{ __typename ... on {target.owner} {{ {body} }} }}"
    operation = "mutation" if target.is_mutation else "query"
    heading = f"{operation} Hostile({', '.join(declarations)})" if declarations else operation
    document = f"{heading} {{ {body} }}"
    if bad and bad.literal is not None:
        document = document.replace(json.dumps(LITERAL_MARKER), bad.literal).replace(
            LITERAL_MARKER, bad.literal
        )
    text = json.dumps(variables)
    if bad and bad.raw is not None:
        text = text.replace(json.dumps(RAW_MARKER), bad.raw)
    return Request(document=document, variables=text, carrier=carrier)


@dataclass
class Case:
    """One pytest case: the values of one kind at one leaf, as one viewer."""

    viewer: str
    leaf: Leaf
    kind: str
    key: str = field(init=False)

    def __post_init__(self) -> None:
        self.key = f"{self.leaf.target.name} {self.leaf.dotted} {self.kind}"

    @property
    def id(self) -> str:
        return f"{self.viewer}-{self.leaf.target.name}-{self.leaf.dotted}-{self.kind}"


#: Kinds whose values the table has for any world (the id table's kinds do not depend on
#: which ids exist, only its values do).
def kinds_of(leaf: Leaf) -> list[str]:
    return list(value_table(leaf, {}, list(CURSOR_TEMPLATES)))

"""The API reference: Markdown pages generated from the exported SDL (`schema.graphql`).

The site build writes them into its copy of the docs (`site/api/reference/`) before running
MkDocs, so the reference can never drift from the schema. mkdocs.yml's nav names every page in
`PAGES`, so every page is always written, even when the schema has nothing of its kind.
Descriptions are ours, yet every piece of text is escaped as if it were not: a `<`, `|` or `_`
in a description must not turn into markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLEnumValue,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLType,
    GraphQLUnionType,
    Undefined,
    ast_from_value,
    build_schema,
    get_named_type,
    print_ast,
    specified_directives,
)

#: Every generated page and its title, in the order of the nav in mkdocs.yml.
PAGES = {
    "index.md": "API reference",
    "query.md": "Queries",
    "mutation.md": "Mutations",
    "objects.md": "Object types",
    "interfaces.md": "Interfaces and unions",
    "inputs.md": "Input types",
    "enums.md": "Enums",
    "scalars.md": "Scalars",
}

#: The longest signature written on one line: what a phone shows without scrolling.
SIGNATURE_WIDTH = 40
#: The class of every reference page's title, which the site's stylesheet keys on
#: (site/assets/reference.css).
PAGE_CLASS = "api-reference"

#: Characters that mean something to Markdown or HTML somewhere; written as character
#: references, which both read as the plain character.
_SPECIAL = frozenset("\\`*_{}[]()<>#+-.!|&~^$=:\"'")
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_PLAIN_URL = re.compile(r"https?://[^\s<>()\[\]\"'`|]+")


def default_literal(value: GraphQLArgument | GraphQLInputField) -> str | None:
    """The default value as GraphQL writes it (`null`, `[]`, `"x"`); None without one."""
    try:  # graphql-core 3.3 keeps SDL defaults as literals
        from graphql.utilities import get_default_value_ast
    except ImportError:  # graphql-core 3.2
        if value.default_value is Undefined:
            return None
        literal = ast_from_value(value.default_value, value.type)
    else:
        literal = get_default_value_ast(value)
    return print_ast(literal) if literal is not None else None


def escape(text: str) -> str:
    """Text that Markdown and HTML show exactly as written."""
    return "".join(f"&#{ord(char)};" if char in _SPECIAL else char for char in text)


def code(text: str) -> str:
    """Text in a code font, escaped (raw `<code>`, so backticks in it cannot end it)."""
    return f"<code>{escape(text)}</code>"


def _inline(text: str) -> str:
    """One line of a description: `code spans` kept, everything else escaped."""
    parts: list[str] = []
    position = 0
    for match in _CODE_SPAN.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(code(match.group(1)))
        position = match.end()
    parts.append(escape(text[position:]))
    return "".join(parts)


def _paragraphs(description: str | None) -> list[str]:
    if not description:
        return []
    blocks = re.split(r"\n\s*\n", description.strip())
    return [" ".join(line.strip() for line in block.splitlines()) for block in blocks]


def block(description: str | None) -> str:
    """A description as Markdown paragraphs."""
    return "\n\n".join(_inline(paragraph) for paragraph in _paragraphs(description))


def cell(description: str | None) -> str:
    """A description inside one table cell (no line breaks of its own)."""
    return "<br><br>".join(_inline(paragraph) for paragraph in _paragraphs(description))


def summary(description: str | None) -> str:
    """The first sentence of a description, for overview tables."""
    paragraphs = _paragraphs(description)
    if not paragraphs:
        return ""
    first = re.split(r"(?<=[.!?])\s", paragraphs[0], maxsplit=1)[0]
    return _inline(first)


class Reference:
    """The reference pages of one schema."""

    def __init__(self, schema: GraphQLSchema) -> None:
        self.schema = schema
        self.query = schema.query_type
        self.mutation = schema.mutation_type
        self.types = sorted(
            (t for name, t in schema.type_map.items() if not name.startswith("__")),
            key=lambda t: t.name,
        )

    # -- where things are ------------------------------------------------------------------

    def page_of(self, named: GraphQLNamedType) -> str:
        if named is self.query:
            return "query.md"
        if named is self.mutation:
            return "mutation.md"
        if isinstance(named, GraphQLObjectType):
            return "objects.md"
        if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
            return "interfaces.md"
        if isinstance(named, GraphQLInputObjectType):
            return "inputs.md"
        if isinstance(named, GraphQLEnumType):
            return "enums.md"
        return "scalars.md"

    def link(self, type_: GraphQLType) -> str:
        """The type as written in SDL (`[Job!]!`), linked to its named type's section."""
        named = get_named_type(type_)
        return f"[{code(str(type_))}]({self.page_of(named)}#{named.name})"

    def names(self, types: Iterable[GraphQLNamedType]) -> str:
        return ", ".join(self.link(t) for t in sorted(types, key=lambda t: t.name))

    def of_kind(self, kind: type) -> list[GraphQLNamedType]:
        roots = (self.query, self.mutation)
        return [t for t in self.types if isinstance(t, kind) and t not in roots]

    # -- pieces ----------------------------------------------------------------------------

    @staticmethod
    def default(value: GraphQLArgument | GraphQLInputField) -> str:
        literal = default_literal(value)
        return code(literal) if literal is not None else ""

    @staticmethod
    def deprecation(reason: str | None) -> str:
        return f"**Deprecated:** {_inline(reason)}" if reason is not None else ""

    def about(
        self,
        described: GraphQLField | GraphQLArgument | GraphQLInputField | GraphQLEnumValue,
        *more: str,
    ) -> str:
        """A table's description cell: the description, the deprecation, and `more`."""
        parts = [cell(described.description), self.deprecation(described.deprecation_reason)]
        return "<br><br>".join(part for part in (*parts, *more) if part)

    def values_table(
        self, heading: str, values: dict[str, GraphQLArgument] | dict[str, GraphQLInputField]
    ) -> list[str]:
        """The arguments of a field or the fields of an input, with their defaults."""
        rows = [f"| {heading} | Type | Default | Description |", "| --- | --- | --- | --- |"]
        for name, value in values.items():
            rows.append(
                f"| `{name}` | {self.link(value.type)} | {self.default(value)} "
                f"| {self.about(value)} |"
            )
        return rows

    def arguments_cell(self, field: GraphQLField) -> str:
        lines = []
        for name, argument in field.args.items():
            line = f"`{name}`: {self.link(argument.type)}"
            if default := self.default(argument):
                line += f" = {default}"
            if argument.description:
                line += f" — {cell(argument.description)}"
            if argument.deprecation_reason is not None:
                line += f" {self.deprecation(argument.deprecation_reason)}"
            lines.append(line)
        return "**Arguments:**<br>" + "<br>".join(lines) if lines else ""

    def fields_table(self, fields: dict[str, GraphQLField]) -> list[str]:
        rows = ["| Field | Type | Description |", "| --- | --- | --- |"]
        for name, field in fields.items():
            about = self.about(field, self.arguments_cell(field))
            rows.append(f"| `{name}` | {self.link(field.type)} | {about} |")
        return rows

    def heading(self, named: GraphQLNamedType, kind: str) -> list[str]:
        lines = [f"## {named.name} {{#{named.name}}}", "", f"*{kind}*"]
        if named.description:
            lines += ["", block(named.description)]
        return lines

    # -- sections --------------------------------------------------------------------------

    def object_section(self, named: GraphQLObjectType | GraphQLInterfaceType) -> list[str]:
        kind = "Interface" if isinstance(named, GraphQLInterfaceType) else "Object"
        lines = self.heading(named, kind)
        if named.interfaces:
            lines += ["", f"Implements {self.names(named.interfaces)}."]
        if isinstance(named, GraphQLInterfaceType):
            implementations = self.schema.get_implementations(named)
            implementers = [*implementations.objects, *implementations.interfaces]
            if implementers:
                lines += ["", f"Implemented by {self.names(implementers)}."]
        return [*lines, "", *self.fields_table(named.fields), ""]

    def union_section(self, named: GraphQLUnionType) -> list[str]:
        lines = self.heading(named, "Union")
        return [*lines, "", f"One of {self.names(named.types)}.", ""]

    def input_section(self, named: GraphQLInputObjectType) -> list[str]:
        return [*self.heading(named, "Input"), "", *self.values_table("Field", named.fields), ""]

    def enum_section(self, named: GraphQLEnumType) -> list[str]:
        lines = [*self.heading(named, "Enum"), "", "| Value | Description |", "| --- | --- |"]
        for name, value in named.values.items():
            lines.append(f"| `{name}` | {self.about(value)} |")
        return [*lines, ""]

    def scalar_section(self, named: GraphQLScalarType) -> list[str]:
        lines = self.heading(named, "Scalar")
        url = named.specified_by_url
        if url:
            shown = f"<{url}>" if _PLAIN_URL.fullmatch(url) else code(url)
            lines += ["", f"Specified by {shown}."]
        return [*lines, ""]

    @staticmethod
    def signature(name: str, field: GraphQLField) -> str:
        """The field as SDL writes it; one argument a line when one line would be long, so a
        phone shows it without scrolling and a long signature never breaks mid-argument."""
        parameters = []
        for arg, argument in field.args.items():
            literal = default_literal(argument)
            parameters.append(
                f"{arg}: {argument.type}" + (f" = {literal}" if literal is not None else "")
            )
        one_line = f"{name}({', '.join(parameters)})" if parameters else name
        if len(one_line) + len(f": {field.type}") <= SIGNATURE_WIDTH:
            return f"{one_line}: {field.type}"
        return "\n".join([f"{name}(", *(f"  {p}" for p in parameters), f"): {field.type}"])

    def operation_section(
        self, root: GraphQLObjectType, name: str, field: GraphQLField
    ) -> list[str]:
        lines = [f"## {name} {{#{root.name}.{name}}}", ""]
        signature = self.signature(name, field)
        fence = "`" * max(3, 1 + max((len(r) for r in re.findall(r"`+", signature)), default=0))
        lines += [f"{fence}graphql", signature, fence, ""]
        if field.deprecation_reason is not None:
            lines += [
                '!!! warning "Deprecated"',
                "",
                f"    {_inline(field.deprecation_reason)}",
                "",
            ]
        if field.description:
            lines += [block(field.description), ""]
        lines += [f"Returns {self.link(field.type)}.", ""]
        if field.args:
            lines += [*self.values_table("Argument", field.args), ""]
        return lines

    # -- pages -----------------------------------------------------------------------------

    def operations_page(self, root: GraphQLObjectType | None, title: str) -> str:
        if root is None:
            return f"# {title} {{.{PAGE_CLASS}}}\n\nThis schema has none.\n"
        lines = [f"# {title} {{#{root.name} .{PAGE_CLASS}}}", ""]
        if root.description:
            lines += [block(root.description), ""]
        lines += [
            f"The fields of the root type `{root.name}`. ",
            "See the [overview](index.md) for every type.",
            "",
        ]
        for name, field in root.fields.items():
            lines += self.operation_section(root, name, field)
        return "\n".join(lines)

    def kind_page(self, title: str, sections: list[list[str]]) -> str:
        lines = [f"# {title} {{.{PAGE_CLASS}}}", ""]
        if not sections:
            lines += ["This schema has none.", ""]
        for section in sections:
            lines += section
        return "\n".join(lines)

    def overview_table(self, types: list[GraphQLNamedType]) -> list[str]:
        if not types:
            return ["None.", ""]
        rows = ["| Type | Description |", "| --- | --- |"]
        rows += [f"| {self.link(t)} | {summary(t.description)} |" for t in types]
        return [*rows, ""]

    def operations_table(self, root: GraphQLObjectType | None) -> list[str]:
        if root is None:
            return ["None.", ""]
        page = self.page_of(root)
        rows = ["| Field | Returns | Description |", "| --- | --- | --- |"]
        rows += [
            f"| [`{name}`]({page}#{root.name}.{name}) | {self.link(field.type)} "
            f"| {summary(field.description)} |"
            for name, field in root.fields.items()
        ]
        return [*rows, ""]

    def directives(self) -> list[str]:
        custom = [d for d in self.schema.directives if d not in specified_directives]
        if not custom:
            return []
        lines = [
            "## Directives",
            "",
            "| Directive | Arguments | Description |",
            "| --- | --- | --- |",
        ]
        for directive in custom:
            arguments = "<br>".join(
                f"`{name}`: {self.link(argument.type)}" for name, argument in directive.args.items()
            )
            lines.append(f"| `@{directive.name}` | {arguments} | {cell(directive.description)} |")
        return [*lines, ""]

    def index_page(self) -> str:
        lines = [
            f"# API reference {{.{PAGE_CLASS}}}",
            "",
            "Every query, mutation and type of the GraphQL API at `/graphql`, generated from the "
            "schema (`schema.graphql`) each time the site is built. New to the API? Start with "
            "[Getting started](../getting-started.md).",
            "",
            "## Queries",
            "",
            *self.operations_table(self.query),
            "## Mutations",
            "",
            *self.operations_table(self.mutation),
        ]
        for title, kind in (
            ("Object types", GraphQLObjectType),
            ("Interfaces", GraphQLInterfaceType),
            ("Unions", GraphQLUnionType),
            ("Input types", GraphQLInputObjectType),
            ("Enums", GraphQLEnumType),
            ("Scalars", GraphQLScalarType),
        ):
            lines += [f"## {title}", "", *self.overview_table(self.of_kind(kind))]
        lines += self.directives()
        return "\n".join(lines)

    def pages(self) -> dict[str, str]:
        abstract: list[list[str]] = []
        for named in self.of_kind(GraphQLInterfaceType) + self.of_kind(GraphQLUnionType):
            if isinstance(named, GraphQLInterfaceType):
                abstract.append(self.object_section(named))
            else:
                abstract.append(self.union_section(named))
        pages = {
            "index.md": self.index_page(),
            "query.md": self.operations_page(self.query, PAGES["query.md"]),
            "mutation.md": self.operations_page(self.mutation, PAGES["mutation.md"]),
            "objects.md": self.kind_page(
                PAGES["objects.md"],
                [self.object_section(t) for t in self.of_kind(GraphQLObjectType)],
            ),
            "interfaces.md": self.kind_page(PAGES["interfaces.md"], abstract),
            "inputs.md": self.kind_page(
                PAGES["inputs.md"],
                [self.input_section(t) for t in self.of_kind(GraphQLInputObjectType)],
            ),
            "enums.md": self.kind_page(
                PAGES["enums.md"], [self.enum_section(t) for t in self.of_kind(GraphQLEnumType)]
            ),
            "scalars.md": self.kind_page(
                PAGES["scalars.md"],
                [self.scalar_section(t) for t in self.of_kind(GraphQLScalarType)],
            ),
        }
        assert pages.keys() == PAGES.keys()
        return pages


def reference_pages(sdl: str) -> dict[str, str]:
    """The reference as Markdown, by file name."""
    return Reference(build_schema(sdl)).pages()


def schema_sdl() -> str:
    """The code's own schema, as `confrere export-schema` writes it."""
    from api.schema import schema

    return schema.as_str()


def write_reference(sdl: str, directory: Path) -> list[Path]:
    """Write the reference pages into `directory` (created); returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in reference_pages(sdl).items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written

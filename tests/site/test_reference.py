"""The API reference generated from the SDL: complete, cross-linked, escaped, and built into the
site with working links."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlparse

import markdown
import pytest
import yaml
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    build_schema,
)

from api.core.settings import Settings
from api.site.build import build_site
from api.site.reference import PAGES, Reference, reference_pages, write_reference

ROOT = Path(__file__).resolve().parents[2]
SDL = (ROOT / "schema.graphql").read_text()

SMALL_SDL = '''
"""A thing with <b>bold</b> ideas | pipes_and_stars * and `code | span`."""
type Thing implements Named {
  name: String!
  """Old name."""
  label: String @deprecated(reason: "Use `name` <now>.")
  parts(first: Int = 10, order: Order = NEWEST, tags: [String!]! = ["a|b"]): [Part!]!
}

interface Named { name: String! }

union Found = Thing | Part

type Part { size: Int }

enum Order {
  NEWEST
  OLDEST @deprecated(reason: "Nobody asked.")
}

input ThingInput {
  name: String! = "x_y"
  oldName: String @deprecated(reason: "Gone_soon.")
}

type Query {
  thing(order: Order = OLDEST): Thing
  oldThing: Thing @deprecated(reason: "Ask `thing`.")
}

type Mutation { make(input: ThingInput!): Thing }
'''

MARKDOWN_EXTENSIONS = ["admonition", "attr_list", "tables", "toc"]

#: What a page's layout does to the reader, measured in the browser: how far the page scrolls
#: sideways, names in tables broken inside a word, tables wider than their place, and the
#: longest line of each signature that needs a sideways scroll in its code block.
LAYOUT = """
() => {
  const article = document.querySelector("article.md-typeset");
  const names = [...article.querySelectorAll("table code")]
    .filter((code) => !/\\s/.test(code.textContent.trim()));
  return {
    pageOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    brokenNames: names.filter((code) => code.getClientRects().length > 1)
      .map((code) => code.textContent),
    names: names.length,
    wideTables: [...article.querySelectorAll(".md-typeset__scrollwrap, table")]
      .filter((element) => element.scrollWidth > element.clientWidth + 1).length,
    scrollingSignatures: [...article.querySelectorAll("pre > code")]
      .filter((code) => code.scrollWidth > code.clientWidth + 1)
      .map((code) => code.textContent.split("\\n")
        .reduce((longest, line) => (line.length > longest.length ? line : longest), "")),
  };
}
"""


def render(text: str) -> str:
    return markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS)


class Page(HTMLParser):
    """An HTML page's element ids, links, table rows and text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.tags: list[str] = []
        self.rows: list[list[str]] = []
        self.text = ""
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.text += data
        if self._cell is not None:
            self._cell.append(data)


def section(page: str, anchor: str) -> str:
    """The Markdown of one type's section: its heading to the next heading of that level."""
    match = re.search(rf"^(#+) .*\{{#{re.escape(anchor)}( [^}}]*)?\}}$", page, re.MULTILINE)
    assert match, f"no section {{#{anchor}}}"
    level = match.group(1)
    rest = page[match.end() :]
    following = re.search(rf"^{level} ", rest, re.MULTILINE)
    return rest[: following.start()] if following else rest


def test_every_type_field_argument_and_enum_value_of_the_schema_is_documented() -> None:
    schema = build_schema(SDL)
    reference = Reference(schema)
    pages = reference_pages(SDL)
    documented = 0

    for name, named in schema.type_map.items():
        if name.startswith("__"):
            continue
        page = pages[reference.page_of(named)]
        text = section(page, name)
        if named in (schema.query_type, schema.mutation_type):
            for field_name, field in named.fields.items():
                operation = section(page, f"{name}.{field_name}")
                for argument in field.args:
                    assert f"| `{argument}` |" in operation, (name, field_name, argument)
                documented += 1
        elif isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in named.fields.items():
                assert f"| `{field_name}` |" in text, (name, field_name)
                for argument in field.args:
                    assert f"`{argument}`: " in text, (name, field_name, argument)
                documented += 1
        elif isinstance(named, GraphQLInputObjectType):
            for field_name in named.fields:
                assert f"| `{field_name}` |" in text, (name, field_name)
                documented += 1
        elif isinstance(named, GraphQLEnumType):
            for value in named.values:
                assert f"| `{value}` |" in text, (name, value)
                documented += 1
        if named not in (schema.query_type, schema.mutation_type):
            assert f"[<code>{name}</code>]" in pages["index.md"], f"{name} is not in the overview"

    assert documented > 500


def test_query_and_mutation_come_first_in_the_overview() -> None:
    index = reference_pages(SDL)["index.md"]

    headings = re.findall(r"^## (.+)$", index, re.MULTILINE)

    assert headings[:3] == ["Queries", "Mutations", "Object types"]
    assert "[`searchJobs`](query.md#Query.searchJobs)" in index


def test_arguments_and_input_fields_show_their_defaults() -> None:
    pages = reference_pages(SMALL_SDL)

    parts = section(pages["objects.md"], "Thing")
    assert "`first`: [<code>Int</code>](scalars.md#Int) = <code>10</code>" in parts
    assert "`order`: [<code>Order</code>](enums.md#Order) = <code>NEWEST</code>" in parts
    thing = Page(render(section(pages["query.md"], "Query.thing")))
    assert ["order", "Order", "OLDEST", ""] in thing.rows
    inputs = Page(render(pages["inputs.md"]))
    assert ["name", "String!", '"x_y"', ""] in inputs.rows
    tags = Page(render(parts))
    assert 'tags: [String!]! = ["a|b"]' in tags.text.replace("`", "")


def test_the_schema_s_own_defaults_show() -> None:
    pages = reference_pages(SDL)

    search = Page(render(section(pages["query.md"], "Query.searchJobs")))
    create_job = Page(render(section(pages["inputs.md"], "CreateJobInput")))

    first = ["first", "Int", "null", "How many items to return: 0 to 100; 20 when left out."]
    assert first in search.rows  # described once for every connection (api/core/pagination)
    workplace = ["workplaceType", "WorkplaceType!", "ON_SITE", "On site, hybrid or remote."]
    assert workplace in create_job.rows


def test_deprecations_show_their_reasons() -> None:
    pages = reference_pages(SMALL_SDL)

    thing = Page(render(section(pages["objects.md"], "Thing")))
    order = Page(render(section(pages["enums.md"], "Order")))
    thing_input = Page(render(section(pages["inputs.md"], "ThingInput")))
    old_query = render(section(pages["query.md"], "Query.oldThing"))
    old_query_text = Page(old_query).text

    assert ["label", "String", "Old name.Deprecated: Use name <now>."] in thing.rows
    assert ["OLDEST", "Deprecated: Nobody asked."] in order.rows
    assert ["oldName", "String", "", "Deprecated: Gone_soon."] in thing_input.rows
    assert 'class="admonition warning"' in old_query
    assert "Ask thing." in old_query_text
    assert "<code>thing</code>" in old_query


def test_descriptions_cannot_become_markup() -> None:
    pages = reference_pages(SMALL_SDL)

    html = render(pages["objects.md"])
    page = Page(html)

    # the only emphasis is each section's kind line (*Object*): none comes from descriptions
    assert page.tags.count("em") == pages["objects.md"].count("\n*Object*\n") == 2
    assert not {"b", "script", "img"} & set(page.tags)
    assert "A thing with <b>bold</b> ideas | pipes_and_stars * and code | span." in page.text, (
        page.text
    )
    assert "<code>code &#124; span</code>" in pages["objects.md"]
    # the pipe inside a default did not split its table row
    assert all(len(row) == 3 for row in page.rows), page.rows


def test_interfaces_and_unions_name_their_members() -> None:
    pages = reference_pages(SMALL_SDL)

    named = section(pages["interfaces.md"], "Named")
    found = section(pages["interfaces.md"], "Found")

    assert "Implemented by [<code>Thing</code>](objects.md#Thing)." in named
    assert (
        "One of [<code>Part</code>](objects.md#Part), [<code>Thing</code>](objects.md#Thing)"
        in found
    )
    assert "Implements [<code>Named</code>](interfaces.md#Named)." in pages["objects.md"]


@pytest.mark.parametrize("sdl", [SMALL_SDL, SDL], ids=["small", "confrere"])
def test_every_markdown_link_points_at_an_anchor_that_exists(sdl: str) -> None:
    pages = reference_pages(sdl)
    links = [
        (name, target)
        for name, text in pages.items()
        for target in re.findall(r"\]\(([^)]+)\)", text)
    ]

    assert len(links) > 10
    assert [(source, target) for source, target in links if not _resolves(target, pages)] == []


def _resolves(target: str, pages: dict[str, str]) -> bool:
    """Whether a link names a page that exists (a hand-written one for `../`) and, when it
    has an anchor, an anchor on that page."""
    page, _, anchor = target.partition("#")
    if page.startswith("../"):
        return (ROOT / "site" / "api" / page[3:]).is_file()
    if page not in pages:
        return False
    return not anchor or anchor in set(re.findall(r"\{#([^\s}]+)", pages[page]))


def test_every_page_is_in_the_nav_and_always_written(tmp_path: Path) -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    api = next(entry["API"] for entry in config["nav"] if "API" in entry)
    reference = next(entry["Reference"] for entry in api if "Reference" in entry)

    written = write_reference("type Query { hello: String }", tmp_path / "reference")

    assert [next(iter(entry.values())) for entry in reference] == [
        f"api/reference/{name}" for name in PAGES
    ]
    assert sorted(path.name for path in written) == sorted(PAGES)
    assert "This schema has none." in (tmp_path / "reference" / "mutation.md").read_text()


@pytest.fixture
def built_site(sqlite_settings: Settings) -> Path:
    return build_site(sqlite_settings).output


def test_the_built_site_carries_the_reference_with_working_links(built_site: Path) -> None:
    reference = built_site / "api" / "reference"
    pages = {path: Page(path.read_text()) for path in reference.rglob("index.html")}
    assert len(pages) == len(PAGES)

    checked = 0
    for path, page in pages.items():
        base = "http://site/" + path.parent.relative_to(built_site).as_posix() + "/"
        for href in page.links:
            target = urlparse(urljoin(base, href))
            if target.netloc != "site" or not target.path.startswith("/api/"):
                continue
            file = built_site / unquote(target.path).lstrip("/") / "index.html"
            assert file.is_file(), (path, href)
            if target.fragment:
                target_page = pages.get(file) or Page(file.read_text())
                assert unquote(target.fragment) in target_page.ids, (path, href)
                checked += 1
    assert checked > 1000

    job = pages[reference / "objects" / "index.html"]
    assert {"Job", "Resume", "Organization"} <= job.ids
    search = pages[reference / "query" / "index.html"]
    assert "Query.searchJobs" in search.ids
    home = (built_site / "index.html").read_text()
    assert 'href="api/reference/"' in home


@pytest.mark.parametrize("width", [390, 1280])
def test_the_reference_reads_well_on_a_phone_and_a_laptop(
    built_site: Path,
    browser: Any,
    width: int,
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})

    for name in PAGES:
        path = built_site / "api" / "reference" / name.removesuffix(".md") / "index.html"
        if name == "index.md":
            path = built_site / "api" / "reference" / "index.html"
        page.goto(path.as_uri())
        layout = page.evaluate(LAYOUT)

        assert layout["pageOverflow"] <= 0, (name, layout)
        assert layout["brokenNames"] == [], (name, layout["brokenNames"][:10])
        if name in ("query.md", "objects.md", "inputs.md"):
            assert layout["names"] > 50, (name, layout["names"])
        if width < 720:  # a phone: every table fits, one row a card
            assert layout["wideTables"] == 0, (name, layout)
            # a signature scrolls only where one argument is longer than the screen
            assert all(
                line.startswith("  ") and len(line) > 40 for line in layout["scrollingSignatures"]
            ), (name, layout["scrollingSignatures"])
        else:
            assert layout["scrollingSignatures"] == [], (name, layout["scrollingSignatures"])
    page.close()


def test_long_signatures_take_one_argument_a_line_and_short_ones_one_line() -> None:
    pages = reference_pages(SDL)

    search = section(pages["query.md"], "Query.searchJobs")
    job = section(pages["query.md"], "Query.job")

    assert "```graphql\nsearchJobs(\n  query: String = null\n  filter: " in search
    assert "\n  after: String = null\n): JobSearchResult!\n```" in search
    assert "```graphql\njob(id: ID!): Job\n```" in job


def test_every_argument_and_input_field_of_the_schema_is_described() -> None:
    """The reference is only as good as the schema's own descriptions: a new argument or
    input field without one fails here (`strawberry.argument(description=…)`,
    `strawberry.field(description=…)`)."""
    from api.schema import schema

    undescribed = []
    described = 0
    for name, named in schema._schema.type_map.items():
        if name.startswith("__"):
            continue
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in named.fields.items():
                for argument_name, argument in field.args.items():
                    if (argument.description or "").strip():
                        described += 1
                    else:
                        undescribed.append(f"{name}.{field_name}({argument_name}:)")
        if isinstance(named, GraphQLInputObjectType):
            for field_name, input_field in named.fields.items():
                if (input_field.description or "").strip():
                    described += 1
                else:
                    undescribed.append(f"{name}.{field_name}")

    assert undescribed == [], f"describe these in the schema: {undescribed}"
    assert described > 400

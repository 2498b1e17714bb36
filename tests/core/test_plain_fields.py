"""Plain fields are answered without graphql-core's per-field machinery
(`api.core.execution`): the same responses, errors included, as graphql-core's own path;
only fields read straight from an attribute take it; Relay ids keep their type and row;
objects whose whole selection is plain are answered as a whole."""

from __future__ import annotations

import enum
import json
from importlib import resources
from typing import Any

import pytest
import strawberry
from graphql import GraphQLObjectType
from strawberry import relay
from strawberry.extensions import FieldExtension, SchemaExtension

from api.core.execution import (
    PLAIN,
    PLAIN_OBJECT,
    SLOW,
    PlainField,
    PlainFieldExecutor,
    PlainObject,
    mark_plain_fields,
)
from api.schema import build_schema
from tests.conftest import GraphQLClient
from tests.factories import (
    connect,
    employer,
    import_resume,
    job,
    join,
    member,
    organization,
    settle,
)

SAMPLE = json.loads(
    (resources.files("api.resumes") / "jsonresume" / "sample.resume.json").read_text()
)

BOARD = """
{ jobs(first: 5) {
    totalCount
    edges { cursor node {
      id slug title description descriptionHtml status datePosted validThrough
      employmentTypes workplaceType applicantCountries skills experienceMonths
      educationLevel identifier applyUrl responsibilities qualifications createdAt
      url
      locations { city region countryCode }
      salary { currency min max unit }
      hiringOrganization { id name slug kind joinPolicy isVerified createdAt }
    } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
} }
"""
PEOPLE = """
query ($id: ID!) {
  node(id: $id) { __typename id ... on Person {
    name headline summary industry location { city region countryCode }
    links { network username url } email phone visibility contactVisibility isViewer
    resumes(first: 3) { edges { node {
      id title isPrimary visibility createdAt updatedAt yearsOfExperience currentTitle
      basics { name label email } work { name position startDate highlights }
      skills { name level keywords }
    } } }
  } }
}
"""
SEARCH = """
{ searchJobs(query: "engineer", first: 5) {
    totalCount
    edges { cursor node { id title locations { city countryCode } } highlights { field snippet } }
    facets { field values { value count } }
    pageInfo { hasNextPage endCursor }
} }
"""
VIEWER = "{ viewer { id email } }"
NODE = "query ($id: ID!) { node(id: $id) { __typename id } }"


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many fields took the plain path (one entry each)."""
    taken: list[int] = []
    answer = PlainField.answer

    def counted(self: PlainField, source: Any) -> Any:
        result = answer(self, source)
        if result is not SLOW:
            taken.append(1)
        return result

    monkeypatch.setattr(PlainField, "answer", counted)
    return taken


@pytest.fixture
def objects(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The object fields answered as a whole (their type's name, one entry each)."""
    taken: list[str] = []
    answer = PlainObject.answer

    def counted(self: PlainObject, source: Any, selection: Any) -> Any:
        result = answer(self, source, selection)
        if result is not SLOW:
            taken.append(self.object_type.name)
        return result

    monkeypatch.setattr(PlainObject, "answer", counted)
    return taken


def test_pages_answer_the_same_with_and_without_the_plain_path(
    graphql: GraphQLClient,
    answers: list[int],
    objects: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    staff = member(graphql, "Sam", staff=True)
    globex = employer(graphql, "Globex", staff=staff)
    for title in ("Backend Engineer", "Data Engineer"):
        job(graphql, globex, "PUBLISHED", title=title, applicantCountries=["DE", "FR"])
    ada, grace = member(graphql, "Ada"), member(graphql, "Grace")
    connect(graphql, ada, grace)
    club = organization(graphql, ada, "Chess Club")
    join(graphql, grace, club)
    import_resume(graphql, ada, SAMPLE, "CONNECTIONS")
    settle(graphql)
    requests = [
        (BOARD, {}, None),
        (SEARCH, {}, None),
        (PEOPLE, {"id": ada.person_id}, grace.token),
        (PEOPLE, {"id": ada.person_id}, None),
        (VIEWER, {}, ada.token),
    ]

    fast = [graphql.execute(query, variables, token=token) for query, variables, token in requests]
    taken, whole = len(answers), sorted(set(objects))
    # Every leaf refused: no object can be answered as a whole either.
    monkeypatch.setattr(PlainField, "answer", lambda self, source: SLOW)
    slow = [graphql.execute(query, variables, token=token) for query, variables, token in requests]

    assert taken > 100  # the plain path answered many of these fields
    # ...and these objects as a whole: places, salaries, highlights, facets and page infos
    assert {"Facet", "Highlight", "JobLocation", "PageInfo", "Salary"} <= set(whole), whole
    assert fast == slow
    assert all("errors" not in body for body in fast), fast


def test_every_node_type_of_the_schema_reads_its_id_plainly() -> None:
    schema = build_schema(production=False)._schema
    nodes = [
        named
        for named in schema.type_map.values()
        if isinstance(named, GraphQLObjectType)
        and any(interface.name == "Node" for interface in named.interfaces)
    ]
    assert len(nodes) > 20
    for named in nodes:
        assert PLAIN in named.fields["id"].extensions, named.name


def test_the_ids_answered_are_the_type_and_the_row_and_find_their_node(
    graphql: GraphQLClient,
) -> None:
    globex = employer(graphql, "Globex", staff=member(graphql, "Sam", staff=True))
    posted = job(graphql, globex, "PUBLISHED")

    edge = graphql.data("{ jobs(first: 5) { edges { node { id hiringOrganization { id } } } } }")[
        "jobs"
    ]["edges"][0]["node"]

    assert edge["id"] == posted
    job_id = relay.GlobalID.from_id(edge["id"])
    assert job_id.type_name == "Job" and int(job_id.node_id) > 0
    assert edge["hiringOrganization"]["id"] == globex.id
    for global_id, type_name in ((edge["id"], "Job"), (globex.id, "Organization")):
        found = graphql.data(NODE, {"id": global_id})["node"]
        assert found == {"__typename": type_name, "id": global_id}


# A schema of its own, for what the application's records never hold.


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Thing(relay.Node):
    code: relay.NodeID[str]
    name: str
    nickname: str | None
    count: int
    colours: list[Colour]
    maybe_colours: list[Colour | None] | None
    broken: str

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()


class Upper(FieldExtension):
    def resolve(self, next_: Any, source: Any, info: Any, **kwargs: Any) -> Any:
        return next_(source, info, **kwargs).upper()


@strawberry.type
class Extended:
    word: str = strawberry.field(extensions=[Upper()])


@strawberry.type
class Renamed(relay.Node):
    """Overrides how its id is read: Strawberry's resolver stays."""

    code: relay.NodeID[str]

    @classmethod
    def resolve_id(cls, root: Any, *, info: Any) -> str:
        return f"renamed-{root.code}"


class Failing(Thing):
    """A record whose attribute raises when read."""

    @property  # type: ignore[misc]
    def broken(self) -> str:
        raise RuntimeError("the read failed")


THING: dict[str, Any] = {
    "code": "t1",
    "name": "Ada",
    "nickname": None,
    "count": 3,
    "colours": [Colour.RED, Colour.BLUE],
    "maybe_colours": [Colour.BLUE, None],
    "broken": "fine",
}


def _thing(**fields: Any) -> Thing:
    return Thing(**{**THING, **fields})


@strawberry.type
class Place:
    city: str
    country: str | None = None


class Elsewhere(Place):
    """Not exactly a Place: graphql-core decides."""


@strawberry.type
class Holder:
    place: Place
    maybe_place: Place | None
    places: list[Place]
    maybe_places: list[Place | None] | None
    thing: Thing


HOLDER: dict[str, Any] = {
    "place": Place(city="Bern", country="CH"),
    "maybe_place": None,
    "places": [Place(city="Basel"), Place(city="Zug", country="CH")],
    "maybe_places": [None, Place(city="Chur")],
    "thing": _thing(),
}


def _holder(**fields: Any) -> Holder:
    return Holder(**{**HOLDER, **fields})


@strawberry.type
class Query:
    @strawberry.field
    def things(self) -> list[Thing | None]:
        return [
            _thing(),
            _thing(code="t2", name=None),  # null where the type forbids it
            _thing(code="t3", count="three"),  # a value Int cannot serialize
            _thing(code="t4", colours=[Colour.RED, None]),  # a null item where forbidden
            _thing(code="t5", colours={Colour.RED: 1}),  # a mapping: no list
        ]

    @strawberry.field
    def failing(self) -> Thing | None:
        failing = Failing.__new__(Failing)
        failing.__dict__.update(vars(_thing(code="t6")))
        return failing

    @strawberry.field
    def extended(self) -> Extended:
        return Extended(word="quiet")

    @strawberry.field
    def renamed(self) -> Renamed:
        return Renamed(code="b")

    @strawberry.field
    def holders(self) -> list[Holder | None]:
        return [
            _holder(),
            _holder(maybe_place=Place(city="Genf")),
            _holder(place=Place(city=None)),  # a null leaf where forbidden: bubbles up
            _holder(place=None),  # a null object where forbidden
            _holder(places=[Place(city="Sion"), None]),  # a null item where forbidden
            _holder(maybe_places={"a": Place(city="Thun")}),  # a mapping: no list
            _holder(place=Elsewhere(city="Olten")),  # not exactly the type's class
            _holder(maybe_place=strawberry.cast(Place, Place(city="Aarau"))),
        ]


THINGS = """
{ things { id name nickname count colours maybeColours shout }
  failing { name broken } extended { word } renamed { id } }
"""


def _schemas() -> tuple[strawberry.Schema, strawberry.Schema]:
    """The schema with the plain path, and without it (graphql-core's own)."""
    fast = strawberry.Schema(query=Query, execution_context_class=PlainFieldExecutor)
    mark_plain_fields(fast._schema)
    return fast, strawberry.Schema(query=Query)


def _body(result: Any) -> dict[str, Any]:
    errors = sorted(
        (error.message, tuple(error.path or ()), str(error.locations))
        for error in result.errors or []
    )
    return {"data": result.data, "errors": errors}


def test_only_fields_read_straight_from_an_attribute_are_marked() -> None:
    fast, _ = _schemas()
    fields = fast._schema.type_map["Thing"].fields

    marked = {name for name, field in fields.items() if PLAIN in field.extensions}

    assert marked == {"id", "name", "nickname", "count", "colours", "maybeColours", "broken"}
    assert PLAIN not in fast._schema.type_map["Extended"].fields["word"].extensions
    assert PLAIN not in fast._schema.type_map["Renamed"].fields["id"].extensions


def test_errors_and_nulls_are_graphql_core_s_own() -> None:
    fast, slow = _schemas()

    answered, expected = fast.execute_sync(THINGS), slow.execute_sync(THINGS)

    assert _body(answered) == _body(expected)
    messages = " ".join(error.message for error in answered.errors or [])
    assert "Cannot return null for non-nullable field Thing.name" in messages
    assert "Int cannot represent non-integer value: 'three'" in messages
    assert "the read failed" in messages
    assert answered.data is not None
    first = answered.data["things"][0]
    assert first["colours"] == ["RED", "BLUE"] and first["maybeColours"] == ["BLUE", None]
    assert answered.data["extended"] == {"word": "QUIET"}
    assert relay.GlobalID.from_id(answered.data["renamed"]["id"]).node_id == "renamed-b"


def test_an_extension_that_wraps_resolvers_sees_every_field() -> None:
    seen: list[str] = []

    class Watch(SchemaExtension):
        def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
            seen.append(info.field_name)
            return _next(root, info, *args, **kwargs)

    schema = strawberry.Schema(
        query=Query, extensions=[Watch], execution_context_class=PlainFieldExecutor
    )
    mark_plain_fields(schema._schema)

    schema.execute_sync("{ extended { word } renamed { id } }")

    assert sorted(seen) == ["extended", "id", "renamed", "word"]


# Objects answered as a whole, against graphql-core: `Query.holders`.


HOLDERS = """
query ($country: Boolean!) {
  holders {
    place { city country @include(if: $country) __typename }
    maybePlace { town: city }
    places { ... on Place { city } ...Where }
    maybePlaces { city country }
    thing { name }
    shouting: thing { name shout }
  }
}
fragment Where on Place { country }
"""


@pytest.mark.parametrize("country", [True, False])
def test_objects_answered_whole_are_graphql_core_s_answers(
    objects: list[str], country: bool
) -> None:
    fast, slow = _schemas()

    answered = fast.execute_sync(HOLDERS, variable_values={"country": country})
    expected = slow.execute_sync(HOLDERS, variable_values={"country": country})

    assert _body(answered) == _body(expected)
    messages = " ".join(error.message for error in answered.errors or [])
    assert "Cannot return null for non-nullable field Place.city" in messages
    assert "Cannot return null for non-nullable field Holder.place" in messages
    assert "Cannot return null for non-nullable field Holder.places" in messages
    assert "Expected Iterable" in messages
    assert answered.data is not None
    first = answered.data["holders"][0]
    assert first["place"] == {
        "city": "Bern",
        **({"country": "CH"} if country else {}),
        "__typename": "Place",
    }
    assert first["places"][1] == {"city": "Zug", "country": "CH"}
    assert answered.data["holders"][6]["place"]["city"] == "Olten"
    # Answered whole: the thing without its resolver field, not the one with it (`shout`),
    # in every holder but the three a null ends before it is reached; and four places a
    # holder, but for what graphql-core answered: the null city and the null place (and the
    # rest of each holder), the null item (and what follows it), the mapping, the subclass
    # and the cast.
    assert objects.count("Thing") == 5
    assert objects.count("Place") == 4 + 4 + 0 + 0 + 2 + 3 + 3 + 3


def test_only_objects_read_straight_from_an_attribute_are_marked() -> None:
    fast, _ = _schemas()
    fields = fast._schema.type_map["Holder"].fields
    query = fast._schema.type_map["Query"].fields

    marked = {name for name, field in fields.items() if PLAIN_OBJECT in field.extensions}

    assert marked == {"place", "maybePlace", "places", "maybePlaces", "thing"}
    assert PLAIN_OBJECT not in query["holders"].extensions  # a resolver

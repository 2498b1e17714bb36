"""Relay node ids are resolved straight from each type's `NodeID` attribute
(`api.core.graphql.plain_node_ids`): the same ids Strawberry's own resolver gives, and a
type that overrides how its id or type name is resolved keeps Strawberry's resolver."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLObjectType
from strawberry import relay

from api.core.graphql import _node_id, plain_node_ids
from api.schema import build_schema
from tests.conftest import GraphQLClient
from tests.factories import employer, job, member

BOARD = """
{ jobs(first: 5) { edges { node { id hiringOrganization { id } } } } }
"""
NODE = "query ($id: ID!) { node(id: $id) { __typename id } }"


def test_every_node_type_of_the_schema_takes_the_plain_resolver() -> None:
    schema = build_schema(production=False)._schema
    nodes = [
        named
        for named in schema.type_map.values()
        if isinstance(named, GraphQLObjectType)
        and any(interface.name == "Node" for interface in named.interfaces)
    ]
    assert len(nodes) > 20
    for named in nodes:
        resolve = named.fields["id"].resolve
        assert getattr(resolve, "func", None) is _node_id, named.name


def test_the_ids_answered_are_the_type_and_the_row_and_find_their_node(
    graphql: GraphQLClient,
) -> None:
    globex = employer(graphql, "Globex", staff=member(graphql, "Sam", staff=True))
    posted = job(graphql, globex, "PUBLISHED")

    edge = graphql.data(BOARD)["jobs"]["edges"][0]["node"]

    assert edge["id"] == posted
    job_id = relay.GlobalID.from_id(edge["id"])
    organization_id = relay.GlobalID.from_id(edge["hiringOrganization"]["id"])
    assert job_id.type_name == "Job" and int(job_id.node_id) > 0
    assert edge["hiringOrganization"]["id"] == globex.id
    assert organization_id.type_name == "Organization"
    for global_id, type_name in ((edge["id"], "Job"), (globex.id, "Organization")):
        found = graphql.data(NODE, {"id": global_id})["node"]
        assert found == {"__typename": type_name, "id": global_id}


@strawberry.type
class Plain(relay.Node):
    code: relay.NodeID[str]


@strawberry.type
class Renamed(relay.Node):
    """Overrides how its id is read: Strawberry's resolver stays."""

    code: relay.NodeID[str]

    @classmethod
    def resolve_id(cls, root: Any, *, info: Any) -> str:
        return f"renamed-{root.code}"


@strawberry.type
class Query:
    @strawberry.field
    def plain(self) -> Plain:
        return Plain(code="a")

    @strawberry.field
    def renamed(self) -> Renamed:
        return Renamed(code="b")


def test_a_type_that_resolves_its_own_id_keeps_strawberry_s_resolver() -> None:
    schema = strawberry.Schema(query=Query)
    assert plain_node_ids(schema._schema) == 1

    answer = schema.execute_sync("{ plain { id } renamed { id } }")

    assert answer.errors is None
    assert relay.GlobalID.from_id(answer.data["plain"]["id"]) == relay.GlobalID("Plain", "a")
    assert relay.GlobalID.from_id(answer.data["renamed"]["id"]) == relay.GlobalID(
        "Renamed", "renamed-b"
    )

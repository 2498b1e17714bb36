"""The business directory: active member businesses by name and category, counts, visibility."""

from __future__ import annotations

from tests.chambers.helpers import LEAVE, apply, chamber, error_code, member_business, move
from tests.conftest import GraphQLClient
from tests.factories import join, member, organization

DIRECTORY = """
query ($chamberId: ID!, $category: BusinessCategory, $query: String, $first: Int, $after: String) {
  businessDirectory(
    chamberId: $chamberId, category: $category, query: $query, first: $first, after: $after
  ) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    categoryCounts { category count }
    edges { cursor node { name category blurb website location business { name } } }
  }
}
"""


def _names(directory: dict) -> list[str]:
    return [edge["node"]["name"] for edge in directory["edges"]]


def _counts(directory: dict) -> dict[str, int]:
    return {c["category"]: c["count"] for c in directory["categoryCounts"] if c["count"]}


def test_the_directory_lists_active_businesses_by_name_with_category_counts(
    graphql: GraphQLClient,
) -> None:
    springfield = chamber(graphql)
    member_business(graphql, springfield, "zebra Books", "RETAIL", blurb="Used books")
    member_business(
        graphql,
        springfield,
        "Apple Orchard Cafe",
        "FOOD_AND_DRINK",
        blurb="Pies and cider",
        website="https://orchard.example",
        location="12 Orchard Road, Springfield",
    )
    member_business(graphql, springfield, "Bright Dental", "HEALTH")
    member_business(graphql, springfield, "Mango Market", "RETAIL", blurb="Fresh fruit")
    _, left_id, left_owner = member_business(graphql, springfield, "Gone Gadgets", "RETAIL")
    move(graphql, LEAVE, left_owner, left_id)
    waiting_owner = member(graphql, "Waiting")
    waiting = organization(graphql, waiting_owner, "Waiting Widgets", "EMPLOYER")
    apply(graphql, waiting_owner, springfield.id, waiting, "RETAIL")
    elsewhere = chamber(graphql, "Shelbyville Chamber")
    member_business(graphql, elsewhere, "Shelbyville Shoes", "RETAIL")

    everything = graphql.data(DIRECTORY, {"chamberId": springfield.id})["businessDirectory"]

    # Case does not decide the order; the left, requested and other chamber's businesses are out.
    assert _names(everything) == [
        "Apple Orchard Cafe",
        "Bright Dental",
        "Mango Market",
        "zebra Books",
    ]
    assert everything["totalCount"] == 4
    assert _counts(everything) == {"RETAIL": 2, "FOOD_AND_DRINK": 1, "HEALTH": 1}
    assert len(everything["categoryCounts"]) == 14  # every category, zeros included
    assert everything["edges"][1]["node"]["location"] is None
    assert everything["edges"][0]["node"] == {
        "name": "Apple Orchard Cafe",
        "category": "FOOD_AND_DRINK",
        "blurb": "Pies and cider",
        "website": "https://orchard.example",
        "location": "12 Orchard Road, Springfield",
        "business": {"name": "Apple Orchard Cafe"},
    }

    retail = graphql.data(DIRECTORY, {"chamberId": springfield.id, "category": "RETAIL"})
    assert _names(retail["businessDirectory"]) == ["Mango Market", "zebra Books"]
    assert retail["businessDirectory"]["totalCount"] == 2
    # Counts ignore the category filter, so other categories stay visible beside it.
    assert _counts(retail["businessDirectory"]) == _counts(everything)

    fruit = graphql.data(DIRECTORY, {"chamberId": springfield.id, "query": "FRUIT"})
    assert _names(fruit["businessDirectory"]) == ["Mango Market"]  # matched in the blurb
    assert _counts(fruit["businessDirectory"]) == {"RETAIL": 1}
    by_name = graphql.data(DIRECTORY, {"chamberId": springfield.id, "query": "dent brig"})
    assert _names(by_name["businessDirectory"]) == ["Bright Dental"]
    none = graphql.data(DIRECTORY, {"chamberId": springfield.id, "query": "100%"})
    assert none["businessDirectory"]["totalCount"] == 0


def test_the_directory_pages_by_name(graphql: GraphQLClient) -> None:
    springfield = chamber(graphql)
    names = [
        "Delta Deli",
        "alpha Arts",
        "Charlie Cars",
        "Bravo Bikes",
        "Echo Events",
        "Bravo Bikes",
    ]
    for name in names:
        member_business(graphql, springfield, name, "OTHER")

    def page_after(after: str | None) -> dict:
        variables = {"chamberId": springfield.id, "first": 2, "after": after}
        return graphql.data(DIRECTORY, variables)["businessDirectory"]

    first = page_after(None)
    second = page_after(first["pageInfo"]["endCursor"])
    third = page_after(second["pageInfo"]["endCursor"])

    pages = [first, second, third]
    assert [_names(page) for page in pages] == [
        ["alpha Arts", "Bravo Bikes"],
        ["Bravo Bikes", "Charlie Cars"],
        ["Delta Deli", "Echo Events"],
    ]
    assert [page["totalCount"] for page in pages] == [6, 6, 6]
    assert [page["pageInfo"]["hasPreviousPage"] for page in pages] == [False, True, True]
    assert [page["pageInfo"]["hasNextPage"] for page in pages] == [True, True, False]
    bad = graphql.execute(DIRECTORY, {"chamberId": springfield.id, "after": "bm90LWEtY3Vyc29y"})
    assert error_code(bad) == "BAD_USER_INPUT"
    too_many = graphql.execute(DIRECTORY, {"chamberId": springfield.id, "first": 101})
    assert error_code(too_many) == "BAD_USER_INPUT"


def test_a_private_chambers_directory_is_for_its_members(graphql: GraphQLClient) -> None:
    private = chamber(graphql, "Members Only Chamber", isPublic=False, joinPolicy="OPEN")
    business_id, _, business_owner = member_business(
        graphql, private, "Inner Circle Consulting", "FINANCE"
    )
    employee = member(graphql, "Employee")
    join(graphql, employee, business_id)
    direct_member = member(graphql, "Direct")
    join(graphql, direct_member, private.id)
    stranger = member(graphql, "Stranger")

    def directory(token: str | None) -> dict:
        return graphql.execute(DIRECTORY, {"chamberId": private.id}, token=token)

    insiders = {
        "chamber owner": private.owner,
        "direct member": direct_member,
        "member business's owner": business_owner,
        "member business's employee": employee,
    }
    seen = {
        who: _names(directory(insider.token)["data"]["businessDirectory"])
        for who, insider in insiders.items()
    }
    assert seen == {who: ["Inner Circle Consulting"] for who in insiders}
    assert error_code(directory(stranger.token)) == "FORBIDDEN"
    assert error_code(directory(None)) == "UNAUTHENTICATED"


def test_the_directory_needs_a_chamber(graphql: GraphQLClient) -> None:
    owner = member(graphql)
    club = organization(graphql, owner, "Chess Club", "CLUB")

    assert error_code(graphql.execute(DIRECTORY, {"chamberId": club})) == "BAD_USER_INPUT"
    person = graphql.execute(DIRECTORY, {"chamberId": owner.person_id})
    assert error_code(person) == "BAD_USER_INPUT"

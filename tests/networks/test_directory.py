"""Member directories over HTTP: organizations' directory settings, alumni facts and their
verification, who may browse, the unlisted rule, search, filters and facets."""

from __future__ import annotations

import pytest

from tests.conftest import GraphQLClient
from tests.factories import CREATE_ORGANIZATION, import_resume, join, member
from tests.networks.directory_helpers import (
    UPDATE_MEMBERSHIP_PROFILE,
    alumni_association,
    alumnus,
    browse,
    facet,
    membership_id,
    names,
    set_alumni_facts,
    set_listing,
    set_profile,
    update_organization,
)

VERIFY_MEMBER = """
mutation ($input: MembershipIdInput!) {
  verifyMember(input: $input) {
    membership { id verification verifiedAt verifiedBy { id } }
    userErrors { field code message }
  }
}
"""
UNVERIFY_MEMBER = """
mutation ($input: MembershipIdInput!) {
  unverifyMember(input: $input) {
    membership { id verification verifiedAt verifiedBy { id } }
    userErrors { field code message }
  }
}
"""
MEMBERS = """
query ($slug: String!, $verification: Verification) {
  organization(slug: $slug) {
    members(verification: $verification) {
      totalCount
      edges { node { id school classYear verification person { name } } }
    }
  }
}
"""
ORGANIZATION = """
query ($slug: String!) { organization(slug: $slug) { location directoryVisibility } }
"""


def _verify(graphql: GraphQLClient, admin, membership: str, mutation=VERIFY_MEMBER) -> dict:
    name = "verifyMember" if mutation is VERIFY_MEMBER else "unverifyMember"
    return graphql.data(mutation, {"input": {"membershipId": membership}}, token=admin.token)[name]


# Organizations


def test_admins_edit_the_organization_and_its_directory_visibility(
    graphql: GraphQLClient,
) -> None:
    owner = member(graphql, "Olga")
    organization_id = alumni_association(graphql, owner, location="Zurich, Switzerland")
    outsider = member(graphql, "Otto")
    fellow, _ = alumnus(graphql, organization_id, "Fay")

    edited = update_organization(
        graphql,
        owner,
        organization_id,
        name="ETH Alumni Association",
        location="Zürich",
        directoryVisibility="PUBLIC",
    )

    assert edited["userErrors"] == []
    assert edited["organization"]["name"] == "ETH Alumni Association"
    assert edited["organization"]["location"] == "Zürich"
    assert edited["organization"]["directoryVisibility"] == "PUBLIC"
    assert edited["organization"]["joinPolicy"] == "OPEN"  # omitted: unchanged
    refusals = [
        graphql.execute(
            """mutation ($input: UpdateOrganizationInput!) {
                 updateOrganization(input: $input) { userErrors { code } } }""",
            {"input": {"organizationId": organization_id, "name": "Mine now"}},
            token=stranger.token,
        )["errors"][0]["extensions"]["code"]
        for stranger in (outsider, fellow)
    ]
    assert refusals == ["FORBIDDEN", "FORBIDDEN"]
    invalid = update_organization(
        graphql, owner, organization_id, name=" ", website="nope", location="x" * 201
    )
    assert {(e["field"], e["code"]) for e in invalid["userErrors"]} == {
        ("name", "NAME_REQUIRED"),
        ("website", "INVALID_WEBSITE"),
        ("location", "LOCATION_TOO_LONG"),
    }


def test_an_interest_too_long_is_refused_not_cut(graphql: GraphQLClient) -> None:
    owner = member(graphql, "Olga")
    created = graphql.data(
        CREATE_ORGANIZATION,
        {"input": {"name": "Chess club", "kind": "CLUB", "interest": "x" * 201}},
        token=owner.token,
    )["createOrganization"]
    organization_id = alumni_association(graphql, owner, interest="Chess")

    edited = update_organization(graphql, owner, organization_id, interest="y" * 201)

    too_long = (None, [("interest", "INTEREST_TOO_LONG")])
    assert [
        (payload["organization"], [(e["field"], e["code"]) for e in payload["userErrors"]])
        for payload in (created, edited)
    ] == [too_long, too_long]
    assert (
        update_organization(graphql, owner, organization_id, interest="y" * 200)["userErrors"] == []
    )


def test_a_new_organization_has_a_location_and_a_members_only_directory(
    graphql: GraphQLClient,
) -> None:
    owner = member(graphql, "Olga")
    alumni_association(graphql, owner, "Basel Alumni", location="Basel")

    found = graphql.data(ORGANIZATION, {"slug": "basel-alumni"})["organization"]

    assert found == {"location": "Basel", "directoryVisibility": "MEMBERS"}


# Alumni facts and verification by hand


def test_members_state_alumni_facts_with_validation(graphql: GraphQLClient) -> None:
    owner = member(graphql, "Olga")
    organization_id = alumni_association(graphql, owner)
    person, membership = alumnus(graphql, organization_id, "Ada")
    other = member(graphql, "Eve")

    saved = set_alumni_facts(
        graphql,
        person,
        membership,
        school=" ETH Zurich ",
        degree="MSc",
        fieldOfStudy="Computer Science",
        classYear=2015,
    )
    assert saved["userErrors"] == []
    assert saved["membership"]["school"] == "ETH Zurich"
    assert saved["membership"]["classYear"] == 2015
    assert saved["membership"]["verification"] == "UNVERIFIED"

    bad = set_alumni_facts(graphql, person, membership, classYear=1850, degree="x" * 121)
    assert {(e["field"], e["code"]) for e in bad["userErrors"]} == {
        ("classYear", "INVALID_CLASS_YEAR"),
        ("degree", "TOO_LONG"),
    }
    not_theirs = set_alumni_facts(graphql, other, membership, school="Hijacked")
    assert not_theirs["userErrors"][0]["code"] == "NOT_FOUND"
    unchanged = set_alumni_facts(graphql, person, membership)
    assert unchanged["membership"]["school"] == "ETH Zurich"
    assert unchanged["membership"]["classYear"] == 2015


def test_admins_verify_and_unverify_members_by_hand(graphql: GraphQLClient) -> None:
    owner = member(graphql, "Olga")
    organization_id = alumni_association(graphql, owner)
    person, membership = alumnus(graphql, organization_id, "Ada", school="ETH", classYear=2015)
    fellow, _ = alumnus(graphql, organization_id, "Fay")

    refused = graphql.execute(
        VERIFY_MEMBER, {"input": {"membershipId": membership}}, token=fellow.token
    )
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    anonymous = graphql.execute(VERIFY_MEMBER, {"input": {"membershipId": membership}})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    verified = _verify(graphql, owner, membership)
    assert verified["userErrors"] == []
    assert verified["membership"]["verification"] == "VERIFIED"
    assert verified["membership"]["verifiedAt"] is not None
    assert verified["membership"]["verifiedBy"]["id"] == owner.person_id
    again = _verify(graphql, owner, membership)
    assert again["userErrors"][0]["code"] == "ILLEGAL_TRANSITION"
    assert browse(graphql, organization_id, fellow, query="Ada")["edges"][0]["node"]["verified"]

    unverified = _verify(graphql, owner, membership, UNVERIFY_MEMBER)
    assert unverified["membership"]["verification"] == "UNVERIFIED"
    assert unverified["membership"]["verifiedBy"] is None
    assert _verify(graphql, owner, membership, UNVERIFY_MEMBER)["userErrors"][0]["code"] == (
        "ILLEGAL_TRANSITION"
    )
    left = graphql.data(
        "mutation ($input: OrganizationIdInput!) { leaveOrganization(input: $input) "
        "{ userErrors { code } } }",
        {"input": {"organizationId": organization_id}},
        token=person.token,
    )
    assert left["leaveOrganization"]["userErrors"] == []
    assert _verify(graphql, owner, membership)["userErrors"][0]["code"] == "ILLEGAL_TRANSITION"


def test_changing_verified_facts_unverifies_but_the_field_of_study_does_not(
    graphql: GraphQLClient,
) -> None:
    owner = member(graphql, "Olga")
    organization_id = alumni_association(graphql, owner)
    person, membership = alumnus(graphql, organization_id, "Ada", school="ETH", classYear=2015)
    _verify(graphql, owner, membership)

    kept = set_alumni_facts(graphql, person, membership, fieldOfStudy="Physics", school="ETH")
    assert kept["membership"]["verification"] == "VERIFIED"

    changed = set_alumni_facts(graphql, person, membership, classYear=2016)
    assert changed["membership"]["verification"] == "UNVERIFIED"
    assert changed["membership"]["verifiedBy"] is None


def test_admins_list_members_with_their_alumni_facts(graphql: GraphQLClient) -> None:
    owner = member(graphql, "Olga")
    organization_id = alumni_association(graphql, owner, "Bern Alumni")
    _, verified = alumnus(graphql, organization_id, "Ada", school="ETH", classYear=2015)
    alumnus(graphql, organization_id, "Bob", school="EPFL", classYear=2012)
    fellow, _ = alumnus(graphql, organization_id, "Fay")
    _verify(graphql, owner, verified)
    # Hidden from the directory, still the association's record for verification.
    set_listing(graphql, fellow, membership_id(graphql, fellow, organization_id), listed=False)

    everyone = graphql.data(MEMBERS, {"slug": "bern-alumni"}, token=owner.token)
    only_verified = graphql.data(
        MEMBERS, {"slug": "bern-alumni", "verification": "VERIFIED"}, token=owner.token
    )

    assert everyone["organization"]["members"]["totalCount"] == 4
    assert [e["node"]["id"] for e in only_verified["organization"]["members"]["edges"]] == [
        verified
    ]
    refused = graphql.execute(MEMBERS, {"slug": "bern-alumni"}, token=fellow.token)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


# Who may browse


def test_a_members_directory_is_for_active_members_only(graphql: GraphQLClient) -> None:
    owner = member(graphql, "Olga")
    organization_id = alumni_association(graphql, owner, joinPolicy="APPROVAL")
    outsider = member(graphql, "Otto")
    applicant = member(graphql, "Apu")
    join(graphql, applicant, organization_id)  # REQUESTED, not active

    refusals = [
        graphql.execute(
            "query ($id: ID!) { directory(organizationId: $id) { totalCount } }",
            {"id": organization_id},
            token=viewer.token,
        )["errors"][0]["extensions"]["code"]
        for viewer in (outsider, applicant)
    ]
    assert refusals == ["FORBIDDEN", "FORBIDDEN"]
    anonymous = graphql.execute(
        "query ($id: ID!) { directory(organizationId: $id) { totalCount } }",
        {"id": organization_id},
    )
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert names(browse(graphql, organization_id, owner)) == ["Olga"]


def test_a_public_directory_is_open_to_anyone(graphql: GraphQLClient) -> None:
    owner = member(graphql, "Olga")
    organization_id = alumni_association(graphql, owner)
    alumnus(graphql, organization_id, "Ada", school="ETH", classYear=2015)
    update_organization(graphql, owner, organization_id, directoryVisibility="PUBLIC")
    outsider = member(graphql, "Otto")

    anonymous = browse(graphql, organization_id)
    signed_in = browse(graphql, organization_id, outsider)

    assert names(anonymous) == names(signed_in) == ["Ada", "Olga"]
    # Education defaults to MEMBERS: the public sees the name, not the class year.
    ada = next(e["node"] for e in anonymous["edges"] if e["node"]["name"] == "Ada")
    assert ada["classYear"] is None
    assert facet(anonymous, "classYears") == {}
    # A members-only organization keeps its directory to members, whatever it says.
    update_organization(graphql, owner, organization_id, isPublic=False)
    hidden = graphql.execute(
        "query ($id: ID!) { directory(organizationId: $id) { userErrors { code } } }",
        {"id": organization_id},
        token=outsider.token,
    )
    assert hidden["data"]["directory"]["userErrors"][0]["code"] == "NOT_FOUND"


# The unlisted rule


@pytest.mark.parametrize("viewer_role", ["self", "admin", "member", "public"])
def test_unlisted_members_are_absent_from_results_counts_and_facets(
    graphql: GraphQLClient, viewer_role: str
) -> None:
    owner = member(graphql, "Olga")
    organization_id = alumni_association(graphql, owner, directoryVisibility="PUBLIC")
    hidden, hidden_membership = alumnus(
        graphql, organization_id, "Hugo", school="HSG", degree="PhD", classYear=1999
    )
    fellow, _ = alumnus(graphql, organization_id, "Fay", school="ETH", degree="MSc", classYear=2015)
    set_listing(
        graphql,
        hidden,
        hidden_membership,
        listed=False,
        educationVisibility="PUBLIC",
    )
    viewer = {"self": hidden, "admin": owner, "member": fellow, "public": None}[viewer_role]

    everyone = browse(graphql, organization_id, viewer)
    searched = browse(graphql, organization_id, viewer, query="Hugo OR HSG OR PhD")
    filtered = browse(graphql, organization_id, viewer, filter={"degrees": ["PhD"]})

    assert "Hugo" not in names(everyone)
    assert everyone["totalCount"] == len(everyone["edges"]) == 2
    counted = {*facet(everyone, "classYears"), *facet(everyone, "degrees")}
    assert counted.isdisjoint({"1999", "PhD"})
    assert searched["totalCount"] == 0
    assert filtered["totalCount"] == 0

    set_listing(graphql, hidden, hidden_membership, listed=True)
    assert "Hugo" in names(browse(graphql, organization_id, viewer))


BLOCK = """
mutation ($input: PersonIdInput!) { blockPerson(input: $input) { userErrors { code } } }
"""
UNBLOCK = """
mutation ($input: PersonIdInput!) { unblockPerson(input: $input) { userErrors { code } } }
"""


def test_a_person_who_blocked_the_viewer_is_not_in_their_directory(
    graphql: GraphQLClient,
) -> None:
    owner = member(graphql, "Olga")
    organization_id = alumni_association(graphql, owner)
    blocker, _ = alumnus(graphql, organization_id, "Hugo", degree="PhD", classYear=1999)
    blocked, _ = alumnus(graphql, organization_id, "Fay", degree="MSc", classYear=2015)
    assert "Hugo" in names(browse(graphql, organization_id, blocked))

    variables = {"input": {"personId": blocked.person_id}}
    assert graphql.data(BLOCK, variables, token=blocker.token)["blockPerson"]["userErrors"] == []

    page = browse(graphql, organization_id, blocked)
    assert names(page) == ["Fay", "Olga"]
    assert page["totalCount"] == 2
    assert "PhD" not in facet(page, "degrees")
    assert browse(graphql, organization_id, blocked, query="Hugo")["totalCount"] == 0
    # The blocker still sees the person they blocked, and everyone else still sees both.
    assert "Fay" in names(browse(graphql, organization_id, blocker))
    assert "Hugo" in names(browse(graphql, organization_id, owner))

    graphql.data(UNBLOCK, variables, token=blocker.token)
    assert "Hugo" in names(browse(graphql, organization_id, blocked))


def test_members_who_leave_disappear_from_the_directory(graphql: GraphQLClient) -> None:
    owner = member(graphql, "Olga")
    organization_id = alumni_association(graphql, owner)
    person, _ = alumnus(graphql, organization_id, "Ada")
    assert names(browse(graphql, organization_id, owner)) == ["Ada", "Olga"]

    graphql.data(
        "mutation ($input: OrganizationIdInput!) { leaveOrganization(input: $input) "
        "{ userErrors { code } } }",
        {"input": {"organizationId": organization_id}},
        token=person.token,
    )

    page = browse(graphql, organization_id, owner)
    assert names(page) == ["Olga"]
    assert page["totalCount"] == 1


# Search, filters and facets


DELETE_RESUME = """
mutation ($input: DeleteResumeInput!) { deleteResume(input: $input) { userErrors { code } } }
"""


def _class_of(graphql: GraphQLClient) -> tuple[str, dict]:
    owner = member(graphql, "Olga")
    organization_id = alumni_association(graphql, owner)
    people = {}
    for name, school, degree, field, year, city, employer, industry in (
        ("Ada Lovelace", "ETH Zurich", "MSc", "Computer Science", 2012, "Zurich", "Globex",
         "Software"),
        ("Bob Meier", "ETH Zurich", "BSc", "Physics", 2015, "Basel", "Initech", "Research"),
        ("Cleo Roth", "EPFL", "MSc", "Computer Science", 2018, "Zurich", "Globex", "Software"),
        ("Dan Wolf", "EPFL", "PhD", "Chemistry", 2020, "Geneva", "Umbrella", "Pharma"),
    ):  # fmt: skip
        person, membership = alumnus(
            graphql,
            organization_id,
            name,
            school=school,
            degree=degree,
            fieldOfStudy=field,
            classYear=year,
        )
        set_profile(graphql, person, headline=f"{field} person", city=city, industry=industry)
        import_resume(
            graphql,
            person,
            {
                "basics": {"name": name, "label": "Engineer"},
                "work": [{"name": employer, "position": "Engineer", "startDate": "2019-01"}],
            },
            visibility="MEMBERS",
        )
        people[name] = (person, membership)
    return organization_id, {"owner": owner, **people}


def test_filters_and_facets(graphql: GraphQLClient) -> None:
    organization_id, people = _class_of(graphql)
    owner = people["owner"]

    def total(**filter_values) -> list[str]:
        page = browse(graphql, organization_id, owner, filter=filter_values)
        assert page["userErrors"] == [], page
        assert page["totalCount"] == len(page["edges"])
        return names(page)

    everyone = browse(graphql, organization_id, owner)
    assert everyone["totalCount"] == 5
    assert facet(everyone, "classYears") == {"2012": 1, "2015": 1, "2018": 1, "2020": 1}
    assert facet(everyone, "degrees") == {"MSc": 2, "BSc": 1, "PhD": 1}
    assert facet(everyone, "fieldsOfStudy") == {
        "Computer Science": 2,
        "Physics": 1,
        "Chemistry": 1,
    }
    assert facet(everyone, "employers") == {"Globex": 2, "Initech": 1, "Umbrella": 1}
    assert facet(everyone, "industries") == {"Software": 2, "Research": 1, "Pharma": 1}
    assert facet(everyone, "locations") == {"Zurich": 2, "Basel": 1, "Geneva": 1}

    assert total(classYearMin=2015, classYearMax=2018) == ["Bob Meier", "Cleo Roth"]
    assert total(classYearMax=2014) == ["Ada Lovelace"]
    assert total(degrees=["msc"]) == ["Ada Lovelace", "Cleo Roth"]
    assert total(fieldsOfStudy=["Computer Science"], locations=["Zurich"]) == [
        "Ada Lovelace",
        "Cleo Roth",
    ]
    assert total(employers=["Globex", "Umbrella"]) == ["Ada Lovelace", "Cleo Roth", "Dan Wolf"]
    assert total(industries=["Research"]) == ["Bob Meier"]
    assert total(schools=["EPFL"], degrees=["PhD"]) == ["Dan Wolf"]
    _verify(graphql, owner, people["Bob Meier"][1])
    assert total(verifiedOnly=True) == ["Bob Meier"]

    filtered = browse(graphql, organization_id, owner, filter={"schools": ["ETH Zurich"]})
    assert facet(filtered, "degrees") == {"MSc": 1, "BSc": 1}
    bad = browse(
        graphql, organization_id, owner, filter={"classYearMin": 2020, "classYearMax": 2010}
    )
    assert bad["userErrors"][0]["code"] == "INVALID_FILTER"


def test_text_search_with_highlights_and_paging(graphql: GraphQLClient) -> None:
    organization_id, people = _class_of(graphql)
    viewer = people["Ada Lovelace"][0]

    found = browse(graphql, organization_id, viewer, query="chemistry")
    assert names(found) == ["Dan Wolf"]
    assert any("<mark>" in h["snippet"] for h in found["edges"][0]["highlights"])
    assert names(browse(graphql, organization_id, viewer, query="employer:globex")) == [
        "Ada Lovelace",
        "Cleo Roth",
    ]
    mine = browse(graphql, organization_id, viewer, query="Lovelace")
    assert mine["edges"][0]["node"]["isViewer"] is True
    broken = browse(graphql, organization_id, viewer, query='"unclosed')
    assert broken["userErrors"][0]["code"] == "INVALID_QUERY"

    first = browse(graphql, organization_id, viewer, first=2)
    second = browse(graphql, organization_id, viewer, first=2, after=first["pageInfo"]["endCursor"])
    assert first["pageInfo"]["hasNextPage"] is True
    assert len(first["edges"]) == len(second["edges"]) == 2
    assert not set(names(first)) & set(names(second))


def test_profile_and_resume_changes_reach_the_directory(graphql: GraphQLClient) -> None:
    organization_id, people = _class_of(graphql)
    owner = people["owner"]
    ada = people["Ada Lovelace"][0]

    set_profile(graphql, ada, name="Ada King", industry="Aerospace")

    page = browse(graphql, organization_id, owner, query="King")
    assert names(page) == ["Ada King"]
    assert page["edges"][0]["node"]["industry"] == "Aerospace"
    assert facet(browse(graphql, organization_id, owner), "industries")["Aerospace"] == 1


def test_deleting_a_resume_takes_its_employer_out_of_the_directory(
    graphql: GraphQLClient,
) -> None:
    organization_id, people = _class_of(graphql)
    owner = people["owner"]
    dan = people["Dan Wolf"][0]
    mine = "{ viewer { person { resumes { edges { node { id } } } } } }"
    [resume] = graphql.data(mine, token=dan.token)["viewer"]["person"]["resumes"]["edges"]
    assert facet(browse(graphql, organization_id, owner), "employers")["Umbrella"] == 1

    deleted = graphql.data(DELETE_RESUME, {"input": {"id": resume["node"]["id"]}}, token=dan.token)
    assert deleted["deleteResume"]["userErrors"] == []

    page = browse(graphql, organization_id, owner)
    assert "Umbrella" not in facet(page, "employers")
    assert next(e for e in page["edges"] if e["node"]["name"] == "Dan Wolf")["node"][
        "employer"
    ] in (None, "")
    # The indexer went on: later changes still arrive.
    set_profile(graphql, dan, name="Dan Wolff")
    assert names(browse(graphql, organization_id, owner, query="Wolff")) == ["Dan Wolff"]


def test_membership_profile_mutation_refuses_foreign_ids(graphql: GraphQLClient) -> None:
    person = member(graphql, "Ada")

    payload = graphql.data(
        UPDATE_MEMBERSHIP_PROFILE,
        {"input": {"membershipId": person.person_id, "school": "ETH"}},
        token=person.token,
    )["updateMembershipProfile"]

    assert payload["userErrors"][0]["code"] == "NOT_FOUND"


def test_the_demo_seeds_a_browsable_alumni_directory(graphql: GraphQLClient) -> None:
    from api.core.viewer import Viewer
    from api.networks.directory_demo import seed_directory_demo
    from tests.factories import PASSWORD, global_id

    owner = member(graphql, "Olga")

    async def seed():
        return await seed_directory_demo(
            Viewer(account_id=owner.account_id), password=PASSWORD, alumni=24
        )

    demo = graphql.http.blocking_portal.call(seed)
    organization_id = global_id("Organization", demo.organization_id)

    page = browse(graphql, organization_id, owner, first=100)
    public = browse(graphql, organization_id, None, first=100)
    assert page["totalCount"] == 24 - demo.unlisted + 1  # the alumni listed, and the owner
    assert public["totalCount"] == page["totalCount"]
    assert 0 < demo.verified < 24
    assert 0 < sum(edge["node"]["verified"] for edge in page["edges"]) <= demo.verified
    assert facet(page, "degrees")


def test_the_directory_indexes_rebuild_from_the_database(graphql: GraphQLClient) -> None:
    from api.core.indexing import rebuild
    from api.indexes import KINDS

    organization_id, people = _class_of(graphql)
    owner = people["owner"]
    update_organization(graphql, owner, organization_id, directoryVisibility="PUBLIC")
    before = browse(graphql, organization_id, owner)
    public_before = browse(graphql, organization_id, None)
    indexes = graphql.http.app.state.search
    kinds = {kind.name: kind for kind in KINDS}

    counts = [
        graphql.http.blocking_portal.call(rebuild, indexes[name], kinds[name])
        for name in ("directory", "directory_public")
    ]
    assert counts == [5, 5]

    after = browse(graphql, organization_id, owner)
    assert (after["totalCount"], after["facets"]) == (before["totalCount"], before["facets"])
    public_after = browse(graphql, organization_id, None)
    assert public_after["facets"] == public_before["facets"]

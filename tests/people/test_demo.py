"""Demo people read like people: a given name and a family name, no honorifics or titles, and
nobody twice across the demo network (members, alumni)."""

from __future__ import annotations

import re

import pytest

from api.people.demo_names import email_local_part, person_names, unique_email
from tests.conftest import GraphQLClient
from tests.factories import settle

PEOPLE = """
query ($alumni: ID!) {
  publicResumes(first: 100) { edges { node { basics { name } } } }
  directory(organizationId: $alumni, first: 100) { edges { node { name } } }
}
"""
ALUMNI = """
{ organizations(kind: ALUMNI_ASSOCIATION, first: 1) { edges { node { id } } } }
"""
HONORIFIC = re.compile(
    r"\b(Herr|Frau|Dr|Prof|Dipl|Ing|Mr|Mrs|Ms|Miss|Mme|Mlle|Sr|Sra|Sig|Sig\.ra|Univ)\b\.?",
)


def test_names_are_plain_and_never_repeat() -> None:
    taken = ["Ada Lovelace", "Lena Fischer"]

    names = person_names(2000, seed=1, taken=taken)

    assert len(set(names)) == len(names) == 2000
    assert not set(taken) & set(names)
    assert [name for name in names if HONORIFIC.search(name)] == []
    assert all(len(name.split()) >= 2 for name in names)
    assert person_names(50, seed=1) == person_names(50, seed=1)


def test_email_addresses_are_the_name_in_plain_ascii() -> None:
    assert email_local_part("Zoë de Vries") == "zoe.de.vries"
    assert email_local_part("Hans-Jürgen Müller") == "hans.jurgen.muller"
    assert email_local_part("¿?") == "member"
    taken: set[str] = set()
    assert unique_email("Zoé Martin", "demo.example", taken) == "zoe.martin@demo.example"
    assert unique_email("Zoe Martin", "demo.example", taken) == "zoe.martin.2@demo.example"
    assert taken == {"zoe.martin@demo.example", "zoe.martin.2@demo.example"}


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_the_demo_network_names_each_person_once(graphql: GraphQLClient) -> None:
    from api.demo import seed_demo

    settings = graphql.http.app.state.settings
    graphql.http.blocking_portal.call(lambda: seed_demo(settings, accounts=30, alumni=60))
    settle(graphql)  # the directory is searched in its index
    alumni = graphql.data(ALUMNI)["organizations"]["edges"][0]["node"]["id"]

    seen = graphql.data(PEOPLE, {"alumni": alumni})
    resume_owners = [edge["node"]["basics"]["name"] for edge in seen["publicResumes"]["edges"]]
    listed = [edge["node"]["name"] for edge in seen["directory"]["edges"]]

    assert len(resume_owners) > 10 and len(listed) > 30
    assert len(set(resume_owners)) == len(resume_owners)
    assert len(set(listed)) == len(listed)
    assert [name for name in resume_owners + listed if HONORIFIC.search(name)] == []

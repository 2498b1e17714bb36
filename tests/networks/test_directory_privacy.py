"""The directory's privacy matrix over HTTP: viewer role by field group by the setting.

A field shows to the member themself always; to admins and fellow members when set to
MEMBERS or PUBLIC; to the public (an open directory) when set to PUBLIC. Facets and filters
follow the same audiences, so a hidden value is never counted or matched. Fields from the
profile and resume never show wider than those allow.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import GraphQLClient
from tests.factories import Member, import_resume, member
from tests.networks.directory_helpers import (
    alumni_association,
    alumnus,
    browse,
    facet,
    set_listing,
    set_profile,
)

LEVELS = ("HIDDEN", "MEMBERS", "PUBLIC")
RANK = {"HIDDEN": 0, "MEMBERS": 1, "PUBLIC": 2}
#: The audience each viewer role belongs to (None: sees everything of their own entry).
AUDIENCE = {"self": None, "admin": "MEMBERS", "member": "MEMBERS", "public": "PUBLIC"}
#: Each field group: its entry fields with the subject's values, and a facet that counts it.
GROUPS: dict[str, tuple[dict[str, Any], tuple[str, str, str] | None]] = {
    "email": ({"email": "ada@work.example"}, None),
    "phone": ({"phone": "+41 44 000 00 00"}, None),
    "location": ({"location": "Zurich, CH"}, ("locations", "locations", "Zurich, CH")),
    "employment": (
        {"employer": "Globex", "title": "Data Engineer", "industry": "Software"},
        ("employers", "employers", "Globex"),
    ),
    "education": (
        {"school": "ETH Zurich", "degree": "MSc", "fieldOfStudy": "Physics", "classYear": 2015},
        ("degrees", "degrees", "MSc"),
    ),
}


def _shown(role: str, level: str) -> bool:
    audience = AUDIENCE[role]
    return audience is None or RANK[level] >= RANK[audience]


def _counted(role: str, level: str) -> bool:
    """Facets and filters read the audience's index: the member's own entry counts as a
    fellow member sees it."""
    return RANK[level] >= RANK[AUDIENCE[role] or "MEMBERS"]


@pytest.fixture
def directory_people(graphql: GraphQLClient) -> dict[str, Any]:
    owner = member(graphql, "Olga Owner")
    organization_id = alumni_association(graphql, owner, directoryVisibility="PUBLIC")
    subject, membership = alumnus(
        graphql,
        organization_id,
        "Ada Lovelace",
        school="ETH Zurich",
        degree="MSc",
        fieldOfStudy="Physics",
        classYear=2015,
    )
    fellow, _ = alumnus(graphql, organization_id, "Fay Fellow")
    set_profile(
        graphql,
        subject,
        headline="Physicist",
        city="Zurich",
        countryCode="CH",
        industry="Software",
        email="ada@work.example",
        phone="+41 44 000 00 00",
    )
    import_resume(
        graphql,
        subject,
        {
            "basics": {"name": "Ada Lovelace"},
            "work": [{"name": "Globex", "position": "Data Engineer", "startDate": "2020-01"}],
        },
        visibility="PUBLIC",
    )
    return {
        "organization_id": organization_id,
        "subject": subject,
        "membership": membership,
        "viewers": {"self": subject, "admin": owner, "member": fellow, "public": None},
    }


def _entry(page: dict[str, Any]) -> dict[str, Any]:
    [node] = [e["node"] for e in page["edges"] if e["node"]["name"] == "Ada Lovelace"]
    return node


@pytest.mark.parametrize("group", list(GROUPS))
@pytest.mark.parametrize("role", list(AUDIENCE))
def test_privacy_matrix(
    graphql: GraphQLClient, directory_people: dict[str, Any], role: str, group: str
) -> None:
    organization_id = directory_people["organization_id"]
    viewer: Member | None = directory_people["viewers"][role]
    values, counted_in = GROUPS[group]
    for level in LEVELS:
        set_listing(
            graphql,
            directory_people["subject"],
            directory_people["membership"],
            **{f"{group}Visibility": level},
        )

        page = browse(graphql, organization_id, viewer)
        entry = _entry(page)

        shown = _shown(role, level)
        expected = {name: value if shown else None for name, value in values.items()}
        assert {name: entry[name] for name in values} == expected, (role, group, level)
        assert entry["name"] == "Ada Lovelace"  # the name always shows with the entry
        if counted_in is not None:
            facet_name, filter_name, value = counted_in
            counted = _counted(role, level)
            assert (value in facet(page, facet_name)) is counted, (role, group, level)
            filtered = browse(graphql, organization_id, viewer, filter={filter_name: [value]})
            assert filtered["totalCount"] == (1 if counted else 0), (role, group, level)


@pytest.mark.parametrize("role", ["admin", "member", "public"])
def test_fields_never_show_wider_than_their_source(
    graphql: GraphQLClient, directory_people: dict[str, Any], role: str
) -> None:
    subject = directory_people["subject"]
    organization_id = directory_people["organization_id"]
    viewer = directory_people["viewers"][role]
    set_listing(
        graphql,
        subject,
        directory_people["membership"],
        locationVisibility="PUBLIC",
        employmentVisibility="PUBLIC",
    )
    # The profile is for connections only, so its location, industry and headline are hidden.
    set_profile(graphql, subject, visibility="CONNECTIONS")

    entry = _entry(browse(graphql, organization_id, viewer))

    assert entry["location"] is None
    assert entry["industry"] is None
    assert entry["headline"] is None
    assert entry["employer"] == "Globex"  # from the public resume
    # Nor can a search find them by what is hidden.
    assert browse(graphql, organization_id, viewer, query="software")["totalCount"] == 0
    assert browse(graphql, organization_id, viewer, query="globex")["totalCount"] == 1

    own = _entry(browse(graphql, organization_id, subject))
    assert own["location"] == "Zurich, CH"

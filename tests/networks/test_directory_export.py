"""The admin export over HTTP: /organizations/<slug>/directory.csv and .vcf, who may fetch
them, and that they honor every privacy choice (parsed back with csv and icalendar)."""

from __future__ import annotations

import csv
import io

import pytest
from icalendar import Component
from icalendar.prop import vText

from tests.conftest import GraphQLClient
from tests.factories import Member, import_resume, member
from tests.networks.directory_helpers import (
    alumni_association,
    alumnus,
    set_listing,
    set_profile,
)

SLUG = "export-alumni"


def _get(graphql: GraphQLClient, extension: str, viewer: Member | None, slug: str = SLUG):
    headers = {"Authorization": f"Bearer {viewer.token}"} if viewer else {}
    return graphql.http.get(f"/organizations/{slug}/directory.{extension}", headers=headers)


@pytest.fixture
def association(graphql: GraphQLClient) -> dict:
    owner = member(graphql, "Olga Owner")
    organization_id = alumni_association(graphql, owner, "Export Alumni")
    ada, ada_membership = alumnus(
        graphql,
        organization_id,
        "Ada Lovelace",
        school="ETH Zurich",
        degree="MSc",
        fieldOfStudy="Physics",
        classYear=2015,
    )
    set_profile(graphql, ada, city="Zurich", countryCode="CH", email="ada@work.example")
    import_resume(
        graphql,
        ada,
        {"work": [{"name": "Globex; Inc, R&D", "position": "=SUM(A1)", "startDate": "2020-01"}]},
        visibility="MEMBERS",
    )
    set_listing(graphql, ada, ada_membership, emailVisibility="MEMBERS")
    # the owner never fills in a profile: only a resume, whose basics fill it
    import_resume(
        graphql,
        owner,
        {
            "basics": {
                "label": "Alumni relations lead",
                "location": {"city": "New York", "region": "NY", "countryCode": "US"},
            }
        },
        visibility="MEMBERS",
    )
    bob, bob_membership = alumnus(graphql, organization_id, "Bob Brown", classYear=2001)
    set_listing(graphql, bob, bob_membership, educationVisibility="HIDDEN")
    hidden, hidden_membership = alumnus(graphql, organization_id, "Hugo Hidden", classYear=1999)
    set_listing(graphql, hidden, hidden_membership, listed=False)
    fellow, _ = alumnus(graphql, organization_id, "Fay Fellow")
    return {"owner": owner, "fellow": fellow, "ada": ada}


def test_the_csv_export_honors_every_privacy_choice(
    graphql: GraphQLClient, association: dict
) -> None:
    response = _get(graphql, "csv", association["owner"])

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "export-alumni-directory.csv" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    by_name = {row["name"]: row for row in rows}
    assert sorted(by_name) == ["Ada Lovelace", "Bob Brown", "Fay Fellow", "Olga Owner"]
    ada = by_name["Ada Lovelace"]
    assert ada["email"] == "ada@work.example"
    assert ada["location"] == "Zurich, CH"
    assert ada["employer"] == "Globex; Inc, R&D"
    assert ada["title"] == "'=SUM(A1)"  # never a formula in a spreadsheet
    assert (ada["school"], ada["degree"], ada["class_year"]) == ("ETH Zurich", "MSc", "2015")
    assert ada["verified"] == "no"
    bob = by_name["Bob Brown"]
    assert (bob["school"], bob["class_year"]) == ("", "")  # hidden education is blank
    assert bob["email"] == ""  # email is hidden by default
    assert by_name["Olga Owner"]["email"] == ""  # the admin's own row too


def test_the_owner_who_only_imported_a_resume_is_not_blank(
    graphql: GraphQLClient, association: dict
) -> None:
    rows = csv.DictReader(io.StringIO(_get(graphql, "csv", association["owner"]).text))

    owner = next(row for row in rows if row["name"] == "Olga Owner")

    assert owner["headline"] == "Alumni relations lead"
    assert owner["location"] == "New York, NY, US"


def test_the_vcard_export_parses_back(graphql: GraphQLClient, association: dict) -> None:
    response = _get(graphql, "vcf", association["owner"])

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/vcard")
    raw = response.content
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cards = Component.from_ical(raw.decode(), multiple=True)
    assert [card.name for card in cards] == ["VCARD"] * 4

    def text(card: Component, name: str) -> str:
        return vText.from_ical(card[name].to_ical().decode())

    by_name = {text(card, "FN"): card for card in cards}
    assert sorted(by_name) == ["Ada Lovelace", "Bob Brown", "Fay Fellow", "Olga Owner"]
    ada = by_name["Ada Lovelace"]
    assert raw.decode().count("VERSION:4.0") == 4
    assert text(ada, "EMAIL") == "ada@work.example"
    # icalendar splits ORG on escaped semicolons too; the line itself shows the escaping.
    assert "\r\nORG:Globex\\; Inc\\, R&D\r\n" in raw.decode()
    # the location's parts in their own components: locality, region, country
    assert "\r\nADR:;;;Zurich;;;CH\r\n" in raw.decode()
    assert "\r\nADR:;;;New York;NY;;US\r\n" in raw.decode()
    assert "ETH Zurich" in text(ada, "NOTE")
    assert "2015" in text(ada, "NOTE")
    bob = by_name["Bob Brown"]
    assert "2001" not in text(bob, "NOTE")
    assert "EMAIL" not in bob
    assert "Hugo Hidden" not in raw.decode()


@pytest.mark.parametrize("extension", ["csv", "vcf"])
def test_only_admins_export(graphql: GraphQLClient, association: dict, extension: str) -> None:
    assert _get(graphql, extension, None).status_code == 401
    assert "Bearer" in _get(graphql, extension, None).headers["www-authenticate"]
    bad = graphql.http.get(
        f"/organizations/{SLUG}/directory.{extension}",
        headers={"Authorization": "Bearer not-a-token"},
    )
    assert bad.status_code == 401
    assert _get(graphql, extension, association["fellow"]).status_code == 403
    assert _get(graphql, extension, member(graphql, "Otto")).status_code == 403
    assert _get(graphql, extension, association["owner"], "no-such-slug").status_code == 404


def test_vcard_text_is_escaped_and_folded_per_rfc_6350() -> None:
    from api.networks.export import escape_text, fold

    assert escape_text("a\\b,c;d\r\ne") == "a\\\\b\\,c\\;d\\ne"
    line = "NOTE:" + "é" * 100
    folded = fold(line).encode()
    assert all(len(part) <= 75 for part in folded.split(b"\r\n"))
    assert folded.replace(b"\r\n ", b"").decode() == line  # no character was split

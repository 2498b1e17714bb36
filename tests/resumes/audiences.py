"""The resume audience matrix, written once: every kind of viewer, every audience, and who
sees what; the network that gives each viewer their relation to the owner."""

from __future__ import annotations

from dataclasses import dataclass

from tests.conftest import GraphQLClient
from tests.factories import Member, connect, join, member, organization, verify_employer

LEVELS = ["PRIVATE", "CONNECTIONS", "MEMBERS", "EMPLOYERS", "PUBLIC"]
# Audiences nest: PRIVATE < CONNECTIONS < MEMBERS < EMPLOYERS < PUBLIC.
SEES = {
    "anonymous": {"PUBLIC"},
    "owner": set(LEVELS),
    "connection": {"CONNECTIONS", "MEMBERS", "EMPLOYERS", "PUBLIC"},
    "fellow_member": {"MEMBERS", "EMPLOYERS", "PUBLIC"},
    "verified_employer": {"EMPLOYERS", "PUBLIC"},
    "unverified_employer": {"PUBLIC"},
    "other_member": {"PUBLIC"},
}
VIEWERS = list(SEES)
# Contact details follow the owner's contact audience (CONNECTIONS by default).
SEES_CONTACT_BY_DEFAULT = {"owner", "connection"}


@dataclass
class Network:
    """An owner and one viewer of each kind: a connection, a fellow club member, a verified
    and an unverified employer's recruiter, a member of another club, and nobody."""

    owner: Member
    viewers: dict[str, Member | None]
    employer_id: str
    club_id: str

    def token(self, kind: str) -> str | None:
        viewer = self.viewers[kind]
        return viewer.token if viewer else None


def build_network(graphql: GraphQLClient) -> Network:
    owner = member(graphql, "Olivia")
    connection = member(graphql, "Carl")
    fellow = member(graphql, "Fiona")
    recruiter = member(graphql, "Erin")
    unverified = member(graphql, "Uma")
    other = member(graphql, "Oscar")
    staff = member(graphql, "Staff", staff=True)

    connect(graphql, owner, connection)
    club = organization(graphql, fellow, "Berlin Chess Club", "CLUB")
    assert join(graphql, owner, club)["userErrors"] == []
    employer = organization(graphql, recruiter, "Globex", "EMPLOYER")
    verify_employer(graphql, staff, employer)
    organization(graphql, unverified, "Fly-by-night Ltd", "EMPLOYER")
    organization(graphql, other, "Knitting Circle", "CLUB")
    return Network(
        owner=owner,
        viewers={
            "anonymous": None,
            "owner": owner,
            "connection": connection,
            "fellow_member": fellow,
            "verified_employer": recruiter,
            "unverified_employer": unverified,
            "other_member": other,
        },
        employer_id=employer,
        club_id=club,
    )

"""Demo data for member directories: an alumni association with a few hundred alumni.

Deterministic (seeded), and everything goes through the services: registration, joining,
alumni facts, profiles, resumes, directory choices, a roster import and hand verification.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import anyio

from api.core.viewer import Viewer
from api.networks import directory, roster
from api.networks import service as networks
from api.networks.tables import DirectoryVisibility, FieldVisibility, JoinPolicy, OrganizationKind
from api.people import profiles
from api.people import service as people
from api.people.demo_names import person_names, unique_email
from api.people.tables import Visibility
from api.resumes import service as resumes

SCHOOL = "Confrere Institute of Technology"
DEGREES = [("BSc", 40), ("MSc", 35), ("PhD", 10), ("MBA", 15)]
PLACES = [("Zurich", "", "CH"), ("Berlin", "", "DE"), ("London", "", "GB"),
          ("New York", "NY", "US"), ("Toronto", "ON", "CA"), ("Singapore", "", "SG"),
          ("Paris", "", "FR"), ("Munich", "BY", "DE")]  # fmt: skip
#: Where graduates of each field work: (employer, title, industry).
WORK = {
    "Computer Science": [("Gotthard Systems", "Software Engineer", "Software"),
                         ("Northwind Data", "Product Manager", "Software")],
    "Mechanical Engineering": [("Isar Robotics", "Mechanical Engineer", "Manufacturing"),
                               ("Brenner Mobility", "Test Engineer", "Automotive")],
    "Physics": [("Limmat Analytics", "Data Scientist", "Financial services"),
                ("Forth Energy", "Grid Analyst", "Renewable energy")],
    "Economics": [("Rivergate Bank", "Financial Analyst", "Banking"),
                  ("Seefeld Insurance", "Actuary", "Insurance")],
    "Chemistry": [("Rhône Bioinformatics", "Research Chemist", "Biotechnology"),
                  ("Alpine Foods", "Food Scientist", "Food")],
    "Architecture": [("Kestrel Architects", "Architect", "Construction")],
    "Mathematics": [("Limmat Analytics", "Quantitative Analyst", "Financial services"),
                    ("Gotthard Systems", "Software Engineer", "Software")],
    "Biology": [("Lakeshore Genomics", "Bioinformatician", "Biotechnology"),
                ("Alpine Foods", "Food Scientist", "Food")],
}  # fmt: skip
#: Two alumni in every three keep a resume (all but every third).
RESUME_EVERY = 3
LEVELS = [FieldVisibility.HIDDEN, FieldVisibility.MEMBERS, FieldVisibility.PUBLIC]


@dataclass(frozen=True)
class DirectoryDemo:
    organization_id: int
    alumni: int
    verified: int
    unlisted: int
    resumes: int


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


async def seed_directory_demo(
    owner: Viewer,
    *,
    password: str,
    alumni: int = 300,
    seed: int = 2027,
    email_domain: str = "alumni.demo.confrere.dev",
    taken_names: Collection[str] = (),
) -> DirectoryDemo:
    """Create an alumni association owned by `owner`, with `alumni` new accounts (password
    `password`, emails `<name>@<email_domain>`) who joined it and gave their alumni facts,
    profiles and (for two in three) a resume. About 60% are verified (most by a roster
    import, a few by hand), about 8% are unlisted, and directory privacy choices vary.
    The directory is PUBLIC, so it can be browsed signed out too. No alumnus is named like
    anyone in `taken_names` (the rest of the demo network).
    """
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    association = await networks.create_organization(
        owner,
        name="Confrere Institute of Technology Alumni",
        kind=OrganizationKind.ALUMNI_ASSOCIATION,
        join_policy=JoinPolicy.APPROVAL,
        interest="Graduates of the Confrere Institute of Technology",
        description="Alumni of CIT: find classmates, mentors and colleagues.",
        location="Zurich, Switzerland",
        directory_visibility=DirectoryVisibility.PUBLIC,
    )
    organization_id = association["id"]
    planned: list[tuple[str, str]] = []
    emails: set[str] = set()
    for name in person_names(alumni, seed=seed, taken=taken_names):
        planned.append((unique_email(name, email_domain, emails), name))

    accounts: dict[str, dict[str, Any]] = {}
    limiter = anyio.CapacityLimiter(4)  # argon2 hashing runs in threads; keep it bounded

    async def register(email: str, name: str) -> None:
        async with limiter:
            accounts[email] = await people.register(
                email=email, password=password, name=name, verified=True
            )

    async with anyio.create_task_group() as group:
        for email, name in planned:
            group.start_soon(register, email, name)

    roster_text = io.StringIO()
    roster_csv = csv.writer(roster_text)
    roster_csv.writerow(["email", "name", "school", "degree", "field_of_study", "class_year"])
    by_hand: list[int] = []
    unlisted = resumes_made = 0
    for number, (email, name) in enumerate(planned):
        viewer = Viewer(account_id=accounts[email]["id"])
        requested = await networks.join_organization(viewer, organization_id)
        membership = await networks.approve_membership(owner, requested["id"])
        degree = _pick(rng, DEGREES)
        field_of_study = rng.choice(list(WORK))
        class_year = rng.randrange(1975, 2026)
        facts = {"school": SCHOOL, "degree": degree, "class_year": class_year}
        if rng.random() < 0.8:
            facts["field_of_study"] = field_of_study
        if rng.random() < 0.15:
            facts.pop("class_year")  # left for the roster to fill in
        await directory.update_alumni_facts(viewer, membership["id"], facts)
        city, region, country = rng.choice(PLACES)
        employer, title, industry = rng.choice(WORK[field_of_study])
        await profiles.update_profile(
            viewer,
            {
                "headline": f"{title} at {employer}",
                "city": city,
                "region": region,
                "country_code": country,
                "industry": industry,
                "visibility": rng.choice(
                    [Visibility.PUBLIC.value] * 3 + [Visibility.MEMBERS.value]
                ),
            },
        )
        if number % RESUME_EVERY != RESUME_EVERY - 1:
            resumes_made += 1
            await resumes.import_resume(
                viewer,
                {
                    "basics": {"name": name, "label": title},
                    "work": [
                        {
                            "name": employer,
                            "position": title,
                            "startDate": f"{min(2025, class_year + 1)}-09",
                        }
                    ],
                    "education": [
                        {
                            "institution": SCHOOL,
                            "studyType": degree,
                            "area": field_of_study,
                            "endDate": str(class_year),
                        }
                    ],
                },
                visibility=rng.choice([Visibility.PUBLIC, Visibility.MEMBERS, Visibility.PRIVATE]),
            )
        listed = rng.random() >= 0.08
        unlisted += not listed
        await directory.update_directory_listing(
            viewer,
            membership["id"],
            {
                "listed": listed,
                "email_visibility": rng.choice(LEVELS),
                "phone_visibility": FieldVisibility.HIDDEN,
                "location_visibility": rng.choice(LEVELS[1:]),
                "employment_visibility": rng.choice(LEVELS[1:]),
                "education_visibility": rng.choice([*LEVELS[1:], FieldVisibility.PUBLIC]),
            },
        )
        chance = rng.random()
        if chance < 0.5:
            roster_csv.writerow([email, name, SCHOOL, degree, field_of_study, class_year])
        elif chance < 0.6:
            by_hand.append(membership["id"])
    # The school's roster also names graduates who never joined: reported, not verified.
    for n in range(20):
        roster_csv.writerow([f"graduate.{n}@graduates.example", "", SCHOOL, "MSc", "", 2010])
    report = await roster.import_roster(owner, organization_id, roster_text.getvalue())
    for membership_id in by_hand:
        await directory.verify_member(owner, membership_id)
    return DirectoryDemo(
        organization_id=organization_id,
        alumni=alumni,
        verified=report.verified + len(by_hand),
        unlisted=unlisted,
        resumes=resumes_made,
    )

"""Demo employers and the text of their postings: two dozen invented companies, each in its own
city, and job descriptions written from a few hand-written parts per role (`demo.json`), so no
two postings read the same and none reads like filler."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from importlib import resources
from typing import Any

from api.jobs.service import JobFields


@dataclass(frozen=True)
class DemoEmployer:
    name: str
    city: str
    region: str
    country: str
    industry: str
    about: str
    """The organization's description, and the first lines of its postings."""
    titles: tuple[str, ...]
    """What it hires for, one posting each; a title is a ROLES key, maybe with "Senior "."""


@dataclass(frozen=True)
class Role:
    skills: tuple[str, ...]
    salary: tuple[int, int]
    """The yearly range in euros, for a mid-level hire; other currencies scale it."""
    openings: tuple[str, ...]
    """First paragraphs after the employer's own line: `{team}` and `{city}` are filled in."""
    duties: tuple[str, ...]
    requirements: tuple[str, ...]


def _tuples(values: dict[str, Any]) -> dict[str, Any]:
    return {
        key: tuple(value) if isinstance(value, list) else value for key, value in values.items()
    }


#: The employers and the parts of each role's postings, kept as data.
_DEMO = json.loads(resources.files("api.jobs").joinpath("demo.json").read_text(encoding="utf-8"))
EMPLOYERS = [DemoEmployer(**_tuples(employer)) for employer in _DEMO["employers"]]
ROLES = {title: Role(**_tuples(role)) for title, role in _DEMO["roles"].items()}

TEAMS = ("platform", "payments", "customer", "operations", "data", "growth", "core", "mobile")

#: How each workplace type is put in a posting's last paragraph.
WORKPLACE_LINES = {
    "ON_SITE": (
        "This role is based in our office in {city}.",
        "You will work with the team in our {city} office.",
    ),
    "HYBRID": (
        "We work from our office in {city} two or three days a week and from home the rest.",
        "Hybrid: the team meets in {city} on Tuesdays and Thursdays.",
    ),
    "REMOTE": (
        "This role is remote, for people living in {country_name}; we meet in person twice a year.",
        "Work from anywhere in {country_name}, with a yearly team week together.",
    ),
}
CLOSINGS = (
    "We offer 30 days of holiday, a learning budget and a pension plan.",
    "Expect a small team, short meetings and room to grow.",
    "We are happy to talk about part-time and flexible hours.",
    "Apply with your resume; we answer every application within two weeks.",
)
COUNTRY_NAMES = {"DE": "Germany", "CH": "Switzerland", "FR": "France", "GB": "the UK",
                 "NL": "the Netherlands", "CA": "Canada", "US": "the US"}  # fmt: skip
#: A currency per country, and how salaries there compare with euro salaries.
CURRENCIES = {"DE": ("EUR", 1.0), "FR": ("EUR", 0.9), "NL": ("EUR", 1.0), "CH": ("CHF", 1.5),
              "GB": ("GBP", 0.9), "CA": ("CAD", 1.3), "US": ("USD", 1.4)}  # fmt: skip


def role_of(title: str) -> Role:
    return ROLES[title.removeprefix("Senior ")]


def job_fields(
    employer: DemoEmployer, title: str, rng: random.Random, *, workplace: str, contract: bool
) -> JobFields:
    """A posting for `title` at `employer`, written from the role's parts."""
    role = role_of(title)
    senior = title.startswith("Senior ")
    team = rng.choice(TEAMS)
    country_name = COUNTRY_NAMES[employer.country]
    duties = rng.sample(role.duties, k=4)
    requirements = rng.sample(role.requirements, k=3)
    if senior:
        requirements.insert(0, "Five or more years in a similar role, and the wish to mentor.")
    place = rng.choice(WORKPLACE_LINES[workplace]).format(
        city=employer.city, country_name=country_name
    )
    description = "\n\n".join(
        [
            f"{employer.about}",
            rng.choice(role.openings).format(team=team, city=employer.city),
            "**What you will do**",
            "\n".join(f"- {duty}" for duty in duties),
            "**What you bring**",
            "\n".join(f"- {requirement}" for requirement in requirements),
            f"{place} {rng.choice(CLOSINGS)}",
        ]
    )
    currency, scale = CURRENCIES[employer.country]
    low, high = role.salary
    if senior:
        low, high = int(low * 1.25), int(high * 1.25)
    remote = workplace == "REMOTE"
    return JobFields(
        title=title,
        description=description,
        employment_types=("CONTRACTOR",) if contract else ("FULL_TIME",),
        workplace_type=workplace,
        applicant_countries=(employer.country,) if remote else (),
        locations=()
        if remote
        else ({"city": employer.city, "region": employer.region, "countryCode": employer.country},),
        salary_currency=currency,
        salary_min=round(low * scale, -3),
        salary_max=round(high * scale, -3),
        salary_unit="YEAR",
        skills=role.skills,
        experience_months=60 if senior else rng.choice([None, 12, 24, 36]),
    )

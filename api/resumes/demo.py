"""Realistic JSON Resume documents for the demo network (and the search benchmark's corpus)."""

from __future__ import annotations

import random
import re
import unicodedata
from datetime import date
from typing import Any

from faker import Faker

TRACKS: dict[str, dict[str, list[str]]] = {
    "software": {
        "titles": ["Software Engineer", "Backend Developer", "Staff Engineer",
                   "Frontend Developer"],
        "skills": ["Python", "JavaScript", "TypeScript", "Go", "PostgreSQL", "Kubernetes",
                   "React", "Docker", "AWS", "GraphQL", "Rust", "Django"],
        "fields": ["Computer Science", "Software Engineering", "Mathematics"],
    },
    "data": {
        "titles": ["Data Engineer", "Data Scientist", "Analytics Engineer", "ML Engineer"],
        "skills": ["Python", "SQL", "Spark", "Airflow", "dbt", "Pandas", "PyTorch",
                   "Statistics", "Kafka", "Snowflake"],
        "fields": ["Statistics", "Computer Science", "Physics"],
    },
    "design": {
        "titles": ["Product Designer", "UX Researcher", "UI Designer"],
        "skills": ["Figma", "User Research", "Prototyping", "Accessibility", "Design Systems",
                   "Illustration"],
        "fields": ["Design", "Human-Computer Interaction", "Psychology"],
    },
    "operations": {
        "titles": ["Operations Manager", "Project Manager", "Supply Chain Analyst"],
        "skills": ["Project Management", "Excel", "Lean", "SAP", "Negotiation", "Logistics"],
        "fields": ["Business Administration", "Industrial Engineering", "Economics"],
    },
}  # fmt: skip

SCHOOLS = [
    "Technical University of Munich",
    "University of Toronto",
    "ETH Zurich",
    "University of Michigan",
    "Sorbonne University",
    "University of Edinburgh",
]
DEGREES = ["Bachelor", "Master", "PhD"]
LANGUAGES = [("English", "Fluent"), ("German", "Native"), ("French", "Professional"),
             ("Spanish", "Conversational")]  # fmt: skip
PLACES = [
    ("Berlin", "Berlin", "DE"),
    ("Munich", "Bavaria", "DE"),
    ("Toronto", "Ontario", "CA"),
    ("Zurich", "Zurich", "CH"),
    ("Ann Arbor", "Michigan", "US"),
    ("Paris", "Île-de-France", "FR"),
    ("Edinburgh", "Scotland", "GB"),
    ("Remote", "", ""),
]


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _email(name: str) -> str:
    """An address the email format accepts: the name's letters, folded to ASCII, by dots
    ("Dr. Jürgen Müller" -> dr.jurgen.muller@mail.example)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return ".".join(re.findall(r"[a-z0-9]+", folded) or ["someone"]) + "@mail.example"


def resume_document(fake: Faker, rng: random.Random, name: str, today: date) -> dict[str, Any]:
    """One plausible career: a track, a few jobs in order, a degree, skills, languages."""
    track = TRACKS[rng.choice(list(TRACKS))]
    city, region, country = rng.choice(PLACES)
    career_start = date(today.year - rng.randint(1, 22), rng.randint(1, 12), 1)
    work = []
    cursor = career_start
    for index in range(rng.randint(1, 4)):
        months = rng.randint(8, 60)
        end_year = cursor.year + (cursor.month - 1 + months) // 12
        end = date(end_year, (cursor.month - 1 + months) % 12 + 1, 1)
        last = end >= today or index == 3
        entry: dict[str, Any] = {
            "name": fake.company(),
            "position": rng.choice(track["titles"]),
            "startDate": _month(cursor),
            "summary": fake.sentence(nb_words=14),
            "highlights": [fake.sentence(nb_words=8) for _ in range(rng.randint(1, 3))],
        }
        if not last:
            entry["endDate"] = _month(end)
        work.append(entry)
        if last:
            break
        cursor = date(end.year, end.month, 1)
    work.reverse()  # most recent first, as resumes are written
    graduated = career_start.year - rng.randint(0, 2)
    skills = rng.sample(track["skills"], k=min(len(track["skills"]), rng.randint(3, 6)))
    return {
        "basics": {
            "name": name,
            "label": work[0]["position"],
            "email": _email(name),
            "phone": fake.phone_number(),
            "summary": fake.paragraph(nb_sentences=3),
            "location": {"city": city, "region": region, "countryCode": country},
            "profiles": [{"network": "GitHub", "username": fake.user_name()}],
        },
        "work": work,
        "education": [
            {
                "institution": rng.choice(SCHOOLS),
                "area": rng.choice(track["fields"]),
                "studyType": rng.choice(DEGREES),
                "startDate": str(graduated - 4),
                "endDate": str(graduated),
            }
        ],
        "skills": [
            {"name": skill, "level": rng.choice(["Intermediate", "Advanced", "Expert"])}
            for skill in skills
        ],
        "languages": [
            {"language": language, "fluency": fluency}
            for language, fluency in rng.sample(LANGUAGES, k=rng.randint(1, 3))
        ],
    }

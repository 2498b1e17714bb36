"""Believable JSON Resume documents for the demo network: a career in one of four tracks, told in
plain English from a few hand-written sentences per track, in a real city with its country's
phone prefix and languages. One hand-written resume (PERSONA) answers the employers guide's
example search."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from api.people.demo_names import email_local_part


@dataclass(frozen=True)
class Track:
    titles: tuple[str, ...]
    skills: tuple[str, ...]
    fields: tuple[str, ...]
    """What people on this track studied."""
    summaries: tuple[str, ...]
    """`{title}`, `{years}`, `{skill}`, `{skill2}` and `{skill3}` are filled in."""
    duties: tuple[str, ...]
    """A job's summary: `{area}` is filled in."""
    highlights: tuple[str, ...]
    """`{skill}`, `{skill2}`, `{n}` and `{percent}` are filled in."""
    areas: tuple[str, ...]


TRACKS = {
    "software": Track(
        ("Software Engineer", "Backend Developer", "Senior Software Engineer",
         "Frontend Developer", "Staff Engineer"),
        ("Python", "JavaScript", "TypeScript", "Go", "PostgreSQL", "Kubernetes", "React",
         "Docker", "AWS", "GraphQL", "Rust", "Django"),
        ("Computer Science", "Software Engineering", "Mathematics"),
        ("{title} with {years} years of building web services in {skill} and {skill2}. I like "
         "small, well-tested changes, clear APIs and on-call rotations nobody dreads.",
         "I build backend systems that stay fast as they grow, mostly with {skill}, {skill2} "
         "and {skill3}. Lately I have been mentoring junior engineers and improving how we "
         "release.",
         "Engineer who enjoys the whole path from a customer's problem to a deployed feature. "
         "Most at home in {skill} and {skill2}; comfortable with {skill3}.",
         "{years} years of shipping software in small product teams. I care about readable "
         "code, fast feedback and {skill}."),
        ("Worked on the {area}: design, code, reviews and operations.",
         "Member of the team that owns the {area}.",
         "Built and ran the {area} with three other engineers.",
         "Responsible for the {area}, from planning to production support."),
        ("Cut the response time of the busiest API from 800 ms to 120 ms by adding caching "
         "and removing N+1 queries.",
         "Led the move of {n} services to {skill}, without downtime.",
         "Introduced contract tests between {n} teams, halving the bugs found in staging.",
         "Wrote the {skill} service that now handles most of the company's traffic.",
         "Mentored {n} junior engineers through their first year.",
         "Reduced cloud costs by {percent}% by right-sizing clusters and cleaning up storage.",
         "Made the test suite run in four minutes instead of twenty."),
        ("payments service", "customer-facing web app", "public API", "search backend",
         "billing system", "mobile app's backend", "internal developer platform"),
    ),
    "data": Track(
        ("Data Engineer", "Data Scientist", "Analytics Engineer", "Machine Learning Engineer"),
        ("Python", "SQL", "Spark", "Airflow", "dbt", "Pandas", "PyTorch", "Statistics",
         "Kafka", "Snowflake", "Kubernetes"),
        ("Statistics", "Computer Science", "Physics", "Mathematics"),
        ("{title} with {years} years of designing data pipelines in {skill} and {skill2}. I "
         "care about tests, lineage and numbers people can trust.",
         "I build the batch and streaming data pipelines that analysts and models depend on, "
         "mostly with {skill}, {skill2} and {skill3}.",
         "From raw events to reliable dashboards and models: {years} years of data work with "
         "{skill} and {skill2}.",
         "Data person who likes clean models, documented metrics and {skill}. I enjoy "
         "explaining numbers to people who have to act on them."),
        ("Built and ran the data pipelines behind the {area}.",
         "Owned the {area} and the data it is built on.",
         "Worked with analysts and product managers on the {area}.",
         "Responsible for the {area}, from raw data to the weekly review."),
        ("Rebuilt the nightly data pipelines in {skill}, cutting their run time from six "
         "hours to forty minutes.",
         "Moved {n} reports from spreadsheets to a tested {skill2} project with documented "
         "metrics.",
         "Set up data quality checks that catch broken loads before the morning reports.",
         "Designed the event schema used by {n} product teams.",
         "Trained a demand forecast that reduced stock-outs by {percent}%.",
         "Introduced {skill} to the team and taught it in weekly sessions."),
        ("company's reporting", "pricing models", "demand forecast", "customer analytics",
         "recommendation system", "finance data warehouse"),
    ),
    "design": Track(
        ("Product Designer", "UX Researcher", "UI Designer", "Senior Product Designer"),
        ("Figma", "User Research", "Prototyping", "Accessibility", "Design Systems",
         "Illustration"),
        ("Design", "Human-Computer Interaction", "Psychology"),
        ("{title} with {years} years of research-led design for web and mobile. I work "
         "closely with engineers and test early with real users.",
         "I turn messy workflows into calm interfaces. Strong in {skill} and {skill2}; I run "
         "usability tests every sprint.",
         "Designer who loves the unglamorous parts: forms, settings and error messages that "
         "help. {skill} and {skill2} are my daily tools."),
        ("Designed the {area}, from research to final specs.",
         "Sole designer on the {area}.",
         "Led research and design for the {area}."),
        ("Redesigned onboarding; the share of new customers who finish it rose by "
         "{percent}%.",
         "Built and maintained the design system used by {n} product teams.",
         "Ran {n} rounds of usability tests for the new checkout.",
         "Made the customer portal meet WCAG 2.1 AA.",
         "Introduced {skill} reviews with engineers before every release."),
        ("customer portal", "mobile app", "booking flow", "admin tools", "onboarding"),
    ),
    "operations": Track(
        ("Operations Manager", "Project Manager", "Supply Chain Analyst"),
        ("Project Management", "Excel", "Lean", "SAP", "Negotiation", "Logistics", "SQL"),
        ("Business Administration", "Industrial Engineering", "Economics"),
        ("{title} with {years} years in operations and logistics. I like clear processes, "
         "good data and teams that can run without me.",
         "I plan and deliver projects across teams and suppliers, with {skill} and {skill2} "
         "and honest status reports.",
         "Operations generalist: {skill}, {skill2} and a lot of listening to the people who "
         "do the work."),
        ("Ran the {area} for three sites.",
         "Responsible for the {area} and its budget.",
         "Planned and steered the {area}."),
        ("Reduced picking errors by {percent}% with a new warehouse layout.",
         "Managed a team of {n} and a yearly budget of two million euros.",
         "Negotiated new carrier contracts, saving {percent}% on freight.",
         "Rolled out {skill} across {n} sites, on time and on budget.",
         "Cut average delivery time from four days to two."),
        ("distribution centre", "supplier programme", "ERP roll-out", "customer service team",
         "fleet planning"),
    ),
}  # fmt: skip

#: (city, region, country code, phone prefix, local language)
PLACES = [
    ("Berlin", "Berlin", "DE", "+49 30", "German"),
    ("Munich", "Bavaria", "DE", "+49 89", "German"),
    ("Hamburg", "Hamburg", "DE", "+49 40", "German"),
    ("Zurich", "Zurich", "CH", "+41 44", "German"),
    ("Paris", "Île-de-France", "FR", "+33 1", "French"),
    ("Lyon", "Auvergne-Rhône-Alpes", "FR", "+33 4", "French"),
    ("Edinburgh", "Scotland", "GB", "+44 131", "English"),
    ("London", "England", "GB", "+44 20", "English"),
    ("Amsterdam", "North Holland", "NL", "+31 20", "Dutch"),
    ("Toronto", "Ontario", "CA", "+1 416", "English"),
    ("Austin", "Texas", "US", "+1 512", "English"),
    ("New York", "New York", "US", "+1 212", "English"),
]
SCHOOLS = [
    "Technical University of Munich",
    "Humboldt University of Berlin",
    "University of Toronto",
    "ETH Zurich",
    "University of Michigan",
    "Sorbonne University",
    "University of Edinburgh",
    "Delft University of Technology",
]
DEGREES = ["Bachelor", "Master", "PhD"]
OTHER_LANGUAGES = [("Spanish", "Conversational"), ("French", "Professional"),
                   ("German", "Professional"), ("Italian", "Conversational")]  # fmt: skip
COMPANIES = [
    "Northwind Data", "Lindenhof Health", "Spreewerk Logistics", "Isar Robotics",
    "Limmat Analytics", "Gotthard Systems", "Canal Software", "Forth Energy",
    "Marylebone Payments", "Grachten Mobility", "Maple Ledger", "Bluebonnet Energy",
    "Hudson Freight", "Kestrel Consulting", "Bergmann Maschinenbau", "Oakridge Retail",
    "Cobalt Insurance", "Pinewood Studios Digital", "Tessera Labs", "Rivergate Bank",
]  # fmt: skip


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _phone(rng: random.Random, prefix: str) -> str:
    return f"{prefix} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"


def resume_document(rng: random.Random, name: str, today: date) -> dict[str, Any]:
    """One plausible career: a track, a few jobs in order, a degree, skills, languages."""
    track = TRACKS[rng.choice(list(TRACKS))]
    city, region, country, prefix, language = rng.choice(PLACES)
    career_start = date(today.year - rng.randint(2, 22), rng.randint(1, 12), 1)
    skills = rng.sample(track.skills, k=min(len(track.skills), rng.randint(3, 6)))
    title = rng.choice(track.titles)

    def fill(template: str) -> str:
        return template.format(
            skill=skills[0],
            skill2=skills[1],
            skill3=skills[2],
            n=rng.randint(2, 12),
            percent=rng.choice([12, 18, 25, 30, 40]),
            area=rng.choice(track.areas),
            title=title,
            years=today.year - career_start.year,
        )

    work = []
    cursor = career_start
    employers = rng.sample(COMPANIES, k=4)
    jobs = rng.randint(1, 4)
    for index in range(jobs):
        months = rng.randint(8, 60)
        end_year = cursor.year + (cursor.month - 1 + months) // 12
        end = date(end_year, (cursor.month - 1 + months) % 12 + 1, 1)
        last = end >= today or index == jobs - 1  # the latest job is the current one
        entry: dict[str, Any] = {
            "name": employers[index],
            "position": title if last else rng.choice(track.titles),
            "location": city,
            "startDate": _month(cursor),
            "summary": fill(rng.choice(track.duties)),
            "highlights": [fill(h) for h in rng.sample(track.highlights, k=rng.randint(1, 3))],
        }
        if not last:
            entry["endDate"] = _month(end)
        work.append(entry)
        if last:
            break
        cursor = date(end.year, end.month, 1)
    work.reverse()  # most recent first, as resumes are written
    graduated = career_start.year - rng.randint(0, 2)
    languages = [{"language": "English", "fluency": "Native" if language == "English" else
                  "Fluent"}]  # fmt: skip
    if language != "English":
        languages.insert(0, {"language": language, "fluency": "Native"})
    if rng.random() < 0.4:
        extra = rng.choice([x for x in OTHER_LANGUAGES if x[0] != language])
        languages.append({"language": extra[0], "fluency": extra[1]})
    handle = email_local_part(name).replace(".", "")
    return {
        "basics": {
            "name": name,
            "label": work[0]["position"],
            "email": f"{email_local_part(name)}@mail.example",
            "phone": _phone(rng, prefix),
            "summary": fill(rng.choice(track.summaries)),
            "location": {"city": city, "region": region, "countryCode": country},
            "profiles": [
                {
                    "network": "GitHub",
                    "username": handle,
                    "url": f"https://github.example/{handle}",
                }
            ],
        },
        "work": work,
        "education": [
            {
                "institution": rng.choice(SCHOOLS),
                "area": rng.choice(track.fields),
                "studyType": rng.choice(DEGREES),
                "startDate": str(graduated - 4),
                "endDate": str(graduated),
            }
        ],
        "skills": [
            {"name": skill, "level": rng.choice(["Intermediate", "Advanced", "Expert"])}
            for skill in skills
        ],
        "languages": languages,
    }


#: A data engineer in Berlin whom the employers guide's example search finds:
#: (python OR golang) AND "data pipelines", Kubernetes, in DE, five years or more.
PERSONA_NAME = "Lena Fischer"
PERSONA = {
    "basics": {
        "name": PERSONA_NAME,
        "label": "Senior Data Engineer",
        "email": "lena.fischer@mail.example",
        "phone": "+49 30 555 0142",
        "summary": "Data engineer who has built data pipelines in Python and SQL since 2015, "
        "lately for same-day delivery in Berlin. I like boring, well-tested pipelines, clear "
        "data contracts, and running things on Kubernetes without drama.",
        "location": {"city": "Berlin", "region": "Berlin", "countryCode": "DE"},
        "profiles": [
            {
                "network": "GitHub",
                "username": "lenafischer",
                "url": "https://github.example/lenafischer",
            }
        ],
    },
    "work": [
        {
            "name": "Spreewerk Logistics",
            "position": "Senior Data Engineer",
            "location": "Berlin",
            "startDate": "2021-03",
            "summary": "Lead engineer of the three-person data platform team.",
            "highlights": [
                "Rebuilt the delivery data pipelines on Airflow and Kubernetes; the morning "
                "reports have not been late since.",
                "Introduced dbt and data quality checks for every table the dispatchers use.",
                "Mentored two junior engineers who now run the platform's on-call.",
            ],
        },
        {
            "name": "Rivergate Bank",
            "position": "Data Engineer",
            "location": "Frankfurt",
            "startDate": "2017-09",
            "endDate": "2021-02",
            "summary": "Built the pipelines feeding the bank's regulatory reporting.",
            "highlights": [
                "Moved forty nightly batch jobs from cron scripts to Airflow.",
                "Wrote the Python library the team uses to validate incoming files.",
            ],
        },
        {
            "name": "Tessera Labs",
            "position": "Software Engineer",
            "location": "Berlin",
            "startDate": "2015-06",
            "endDate": "2017-08",
            "summary": "Backend work on a B2B analytics product in Python and PostgreSQL.",
        },
    ],
    "education": [
        {
            "institution": "Humboldt University of Berlin",
            "area": "Computer Science",
            "studyType": "Master",
            "startDate": "2013",
            "endDate": "2015",
        }
    ],
    "skills": [
        {"name": "Python", "level": "Expert", "keywords": ["Pandas", "pytest"]},
        {"name": "SQL", "level": "Expert", "keywords": ["PostgreSQL", "dbt"]},
        {"name": "Airflow", "level": "Advanced"},
        {"name": "Kubernetes", "level": "Advanced", "keywords": ["Helm"]},
        {"name": "Kafka", "level": "Intermediate"},
    ],
    "languages": [
        {"language": "German", "fluency": "Native"},
        {"language": "English", "fluency": "Fluent"},
    ],
}

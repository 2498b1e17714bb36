"""Site build benchmark: the whole `confrere site build` against MkDocs' floor.

    .venv/bin/python benchmarks/site.py --postings 10000

Seeds a fresh SQLite database with N published public postings (bulk inserts through the
tables: this is the data set-up, not what is measured) across 50 employers and 40 cities,
then in the same run times:

- `build_site`: the anonymous GraphQL reads, writing the board pages, `mkdocs build` and
  the swap — everything `confrere site build` does;
- the floor: a plain `mkdocs build` of the same configuration and theme with N empty pages
  in place of the board.

The last line printed is one JSON object; `ratio` is build_site over the floor, and the
target is `ratio <= 1.5`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api.core import db  # noqa: E402
from api.core.markup import render_markdown  # noqa: E402
from api.core.settings import Settings  # noqa: E402
from api.networks.tables import Organization  # noqa: E402
from api.site import build  # noqa: E402

TITLES = ["Backend Engineer", "Frontend Developer", "Data Engineer", "Product Designer",
          "Site Reliability Engineer", "Project Manager", "Machine Learning Engineer",
          "Supply Chain Analyst", "Account Executive", "Nurse Practitioner"]  # fmt: skip
SKILLS = ["Python", "PostgreSQL", "Kubernetes", "TypeScript", "React", "SQL", "Airflow",
          "Figma", "Terraform", "Go", "Excel", "SAP", "Scrum", "PyTorch"]  # fmt: skip
CITIES = [(f"City {i}", ["DE", "FR", "CA", "US", "GB"][i % 5]) for i in range(40)]
WORKPLACES = ["ON_SITE", "HYBRID", "REMOTE"]
DESCRIPTION = """**{org}** is hiring a {title}.

- Build and run services used by thousands of people.
- Work with a small team that reviews each other's code.
- Mentor, and be mentored.

We offer a fair salary, a four-day week option and a training budget. Apply with your
resume; we answer every application within two weeks.
"""


async def seed(settings: Settings, postings: int) -> None:
    from api.jobs.tables import JobPosting

    engine = db.use_database(settings)
    await db.open_pool(engine)
    try:
        await db.migrate()
        rng = random.Random(2026)
        now = datetime.now(UTC)
        organizations = [
            Organization(
                name=f"Employer {i}",
                slug=f"employer-{i}",
                kind="EMPLOYER",
                join_policy="OPEN",
                description="An employer of the benchmark.",
                website=f"https://employer-{i}.example",
                is_public=True,
                verified_at=now,
            )
            for i in range(50)
        ]
        await Organization.insert(*organizations)
        org_ids = [row["id"] for row in await Organization.select(Organization.id)]
        rows = []
        for number in range(postings):
            org = rng.randrange(len(org_ids))
            title = rng.choice(TITLES)
            city, country = rng.choice(CITIES)
            posted = now - timedelta(minutes=rng.randrange(20 * 24 * 60))
            description = DESCRIPTION.format(org=f"Employer {org}", title=title)
            rows.append(
                JobPosting(
                    organization=org_ids[org],
                    slug=f"{title.lower().replace(' ', '-')}-{number:08x}",
                    title=title,
                    description=description,
                    description_html=render_markdown(description),
                    status="PUBLISHED",
                    date_posted=posted,
                    valid_through=posted + timedelta(days=30),
                    employment_types=json.dumps(["FULL_TIME"]),
                    workplace_type=rng.choice(WORKPLACES),
                    applicant_countries=json.dumps([country]),
                    locations=json.dumps([{"city": city, "countryCode": country}]),
                    salary_currency="EUR",
                    salary_min=40000 + rng.randrange(40) * 1000,
                    salary_max=90000 + rng.randrange(40) * 1000,
                    salary_unit="YEAR",
                    skills=json.dumps(rng.sample(SKILLS, 3)),
                    identifier=f"REQ-{number}",
                    updated_at=posted,
                    created_at=posted,
                )
            )
        for start in range(0, len(rows), 1000):
            await JobPosting.insert(*rows[start : start + 1000])
    finally:
        await db.close_pool(engine)


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (mkdocs runs as a child)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def floor(settings: Settings, work: Path, postings: int) -> tuple[float, float]:
    """A plain `mkdocs build` of the same configuration with N empty pages as the board."""
    sources = work / "floor-sources"
    sources.mkdir()
    config = build._prepare_sources(settings, sources)
    docs = sources / "site"
    for folder in ("jobs", "people", "organizations", "events"):
        (docs / folder).mkdir(parents=True, exist_ok=True)
        (docs / folder / "index.md").write_text("")
    for number in range(postings):  # laid out as the board's pages are: jobs/<slug>.md
        (docs / "jobs" / f"posting-{number}.md").write_text("")
    build_config = build._build_config(settings, config)
    started, cpu = time.monotonic(), cpu_seconds()
    asyncio.run(build.run_mkdocs(build_config, work / "floor-output"))
    return time.monotonic() - started, cpu_seconds() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=10_000)
    parser.add_argument("--workdir", type=Path, default=None, help="keep the data here")
    arguments = parser.parse_args()
    work = arguments.workdir or Path(tempfile.mkdtemp(prefix="confrere-site-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    settings = replace(Settings(data_dir=work / "data"), site_url="https://jobs.example.org/")
    try:
        started = time.monotonic()
        asyncio.run(seed(settings, arguments.postings))
        print(f"seeded {arguments.postings} postings in {time.monotonic() - started:.1f} s")
        floor_seconds, floor_cpu = floor(settings, work, arguments.postings)
        print(f"floor: mkdocs build of {arguments.postings} empty pages: {floor_seconds:.1f} s")
        started, cpu = time.monotonic(), cpu_seconds()
        built = build.build_site(settings)
        build_seconds, build_cpu = time.monotonic() - started, cpu_seconds() - cpu
        print(f"build_site: {build_seconds:.1f} s, pages {built.pages}")
        ratio = build_seconds / floor_seconds
        print(
            json.dumps(
                {
                    "postings": arguments.postings,
                    "job_pages": built.pages.get("jobs", 0),
                    "build_site_s": round(build_seconds, 2),
                    "floor_s": round(floor_seconds, 2),
                    "ratio": round(ratio, 3),
                    # on a shared machine wall time varies with the neighbours; CPU less so
                    "build_site_cpu_s": round(build_cpu, 2),
                    "floor_cpu_s": round(floor_cpu, 2),
                    "cpu_ratio": round(build_cpu / floor_cpu, 3),
                    "within_1_5x": ratio <= 1.5,
                }
            )
        )
    finally:
        if arguments.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

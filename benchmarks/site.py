"""Site benchmark: a full `confrere site build` against MkDocs' floor, and how soon one
posting's change is on the served site.

    .venv/bin/python benchmarks/site.py --postings 10000

Seeds a fresh SQLite database with N published public postings (bulk inserts through the
tables: this is the data set-up, not what is measured) across 50 employers and 40 cities,
then in the same run times:

- the floor: a plain `mkdocs build` of the same configuration and theme with N empty pages
  in place of the board;
- `build_site`: everything `confrere site build` does on a fresh data dir — the docs'
  `mkdocs build` (nothing cached yet), the anonymous GraphQL reads, the board's pages, the
  sitemaps and the swap;
- one posting changed: the server's site loop runs (as `confrere serve` runs it, started
  after that build), a posting's title is changed through the jobs service, as the
  `updateJob` mutation does, and the clock runs from the commit until the served page shows
  the new title; `--changes` times, p50 and p95.

The last line printed is one JSON object; `ratio` is build_site over the floor (target
<= 1.5) and `change_visible_s` the p95 of one change to its page (target <= 2 s).
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
from api.core.viewer import Viewer  # noqa: E402
from api.networks.tables import Membership, Organization  # noqa: E402
from api.people.tables import Account  # noqa: E402
from api.site import build, shell  # noqa: E402
from api.site.rebuild import rebuild_after_changes  # noqa: E402

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


RECRUITER = "rita@employer-0.example"


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
        # The recruiter whose changes are timed: an owner of the first employer.
        await Account.insert(
            Account(email=RECRUITER, name="Rita Recruiter", password_hash="!unusable")
        )
        account = await Account.select(Account.id).where(Account.email == RECRUITER).first()
        assert account is not None
        await Membership.insert(
            Membership(
                organization=org_ids[0], account=account["id"], role="OWNER", status="ACTIVE"
            )
        )
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
    build_config = shell._prepare_sources(settings, sources)
    docs = sources / "site"
    for number in range(postings):  # laid out as the board's pages are: jobs/<slug>.md
        (docs / "jobs" / f"posting-{number}.md").write_text("")
    started, cpu = time.monotonic(), cpu_seconds()
    asyncio.run(build.run_mkdocs(build_config, work / "floor-output"))
    return time.monotonic() - started, cpu_seconds() - cpu


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def time_changes(settings: Settings, changes: int) -> list[float]:
    """Seconds from each change's commit until its served page shows it."""
    from api.jobs.service import JobFields, update_job
    from api.jobs.tables import JobPosting

    engine = db.use_database(settings)
    await db.open_pool(engine)
    stop = asyncio.Event()
    loop = asyncio.create_task(rebuild_after_changes(settings, stop))
    try:
        account = await Account.select(Account.id).where(Account.email == RECRUITER).first()
        assert account is not None
        viewer = Viewer(account_id=account["id"])
        organization = (
            await Organization.select(Organization.id)
            .where(Organization.slug == "employer-0")
            .first()
        )
        assert organization is not None
        rows = await JobPosting.select(JobPosting.id, JobPosting.slug).where(
            JobPosting.organization == organization["id"]
        )
        rng = random.Random(14)
        seconds = []
        await asyncio.sleep(1.0)  # the loop has read the outbox's position
        for number in range(changes):
            row = rng.choice(rows)
            title = f"Changed Engineer {number}"
            fields = JobFields(
                title=title,
                description="Still hiring.",
                employment_types=("FULL_TIME",),
                workplace_type="REMOTE",
                applicant_countries=("DE",),
            )
            page = settings.site_dir / "jobs" / row["slug"] / "index.html"
            await update_job(viewer, row["id"], fields)
            committed = time.monotonic()
            while True:
                try:
                    if title in await asyncio.to_thread(page.read_text):
                        break
                except FileNotFoundError:
                    pass
                if time.monotonic() - committed > 120:
                    raise RuntimeError(f"change {number} never reached {page}")
                await asyncio.sleep(0.01)
            seconds.append(time.monotonic() - committed)
            await asyncio.sleep(0.2)
        return seconds
    finally:
        stop.set()
        await loop
        await db.close_pool(engine)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=20, help="posting changes to time")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the data here")
    arguments = parser.parse_args()
    work = arguments.workdir or Path(tempfile.mkdtemp(prefix="confrere-site-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    settings = replace(
        Settings(data_dir=work / "data"),
        site_url="https://jobs.example.org/",
        site_rebuild_delay=30.0,
    )
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
        changes = asyncio.run(time_changes(settings, arguments.changes))
        print(
            f"one posting changed -> its served page: p50 {percentile(changes, 0.5):.2f} s, "
            f"p95 {percentile(changes, 0.95):.2f} s, max {max(changes):.2f} s "
            f"({len(changes)} changes)"
        )
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
                    "change_visible_s": round(percentile(changes, 0.95), 3),
                    "change_visible_p50_s": round(percentile(changes, 0.5), 3),
                    "change_visible_max_s": round(max(changes), 3),
                    "changes_timed": len(changes),
                    "within_2_s": percentile(changes, 0.95) <= 2.0,
                }
            )
        )
    finally:
        if arguments.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

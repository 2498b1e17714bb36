"""Candidate search benchmark: the search package, searchCandidates over HTTP, and SQLite FTS5.

    .venv/bin/python benchmarks/search.py --docs 100000

Builds a deterministic synthetic corpus of realistic resumes (seeded: titles, skills, work
history, education, locations), stores it in a fresh Confrere database, indexes it with
`confrere index rebuild`'s code path, and runs one fixed query mix (single term, AND, phrase,
field-restricted, filtered, faceted, highlighted) three ways in the same run:

- the `search` package directly (what `searchCandidates` calls, audience filter included);
- `searchCandidates` over HTTP against a real `confrere serve` (one client, sequential);
- an SQLite FTS5 baseline over the same corpus with the same features: BM25 with column
  weights, the same filters, facet counts by GROUP BY, snippets for the page.

The last line printed is one JSON object with the figures and their ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api.core import db  # noqa: E402
from api.core.settings import Settings  # noqa: E402

TRACKS = {
    "software": (
        ["Software Engineer", "Backend Developer", "Staff Engineer", "Frontend Developer",
         "Platform Engineer", "Mobile Developer"],
        ["Python", "JavaScript", "TypeScript", "Go", "PostgreSQL", "Kubernetes", "React",
         "Docker", "AWS", "GraphQL", "Rust", "Django", "Java", "Kotlin", "Swift", "Redis"],
    ),
    "data": (
        ["Data Engineer", "Data Scientist", "Analytics Engineer", "Machine Learning Engineer"],
        ["Python", "SQL", "Spark", "Airflow", "dbt", "Pandas", "PyTorch", "Statistics",
         "Kafka", "Snowflake", "Machine Learning", "Tableau"],
    ),
    "design": (
        ["Product Designer", "UX Researcher", "UI Designer", "Design Lead"],
        ["Figma", "User Research", "Prototyping", "Accessibility", "Design Systems",
         "Illustration", "Sketch"],
    ),
    "operations": (
        ["Operations Manager", "Project Manager", "Supply Chain Analyst", "Program Manager"],
        ["Project Management", "Excel", "Lean", "SAP", "Negotiation", "Logistics", "Scrum"],
    ),
    "reliability": (
        ["Site Reliability Engineer", "DevOps Engineer", "Infrastructure Engineer"],
        ["Kubernetes", "Terraform", "Go", "Prometheus", "Linux", "AWS", "Ansible", "Python"],
    ),
}  # fmt: skip
COMPANIES = [f"{a} {b}" for a in ("Globex", "Initech", "Hooli", "Umbrella", "Vandelay",
             "Acme", "Stark", "Wayne", "Tyrell", "Cyberdyne", "Soylent", "Wonka")
             for b in ("Labs", "Systems", "Analytics", "Industries", "Group")]  # fmt: skip
SCHOOLS = ["Technical University of Munich", "University of Toronto", "ETH Zurich",
           "University of Michigan", "Sorbonne University", "University of Edinburgh",
           "Politecnico di Milano", "KTH Royal Institute of Technology", "University of Tokyo",
           "University of Cape Town", "National University of Singapore", "MIT"]  # fmt: skip
PLACES = [("Berlin", "Berlin", "DE"), ("Munich", "Bavaria", "DE"), ("Hamburg", "Hamburg", "DE"),
          ("Toronto", "Ontario", "CA"), ("Zurich", "Zurich", "CH"), ("Paris", "Ile-de-France", "FR"),
          ("London", "England", "GB"), ("Edinburgh", "Scotland", "GB"), ("Austin", "Texas", "US"),
          ("Seattle", "Washington", "US"), ("Amsterdam", "North Holland", "NL"),
          ("Stockholm", "Stockholm", "SE"), ("Milan", "Lombardy", "IT"), ("Tokyo", "Tokyo", "JP")]  # fmt: skip
FIRST = ["Ada", "Grace", "Alan", "Linus", "Margaret", "Barbara", "Ken", "Dennis", "Frances",
         "Edsger", "Donald", "Radia", "Guido", "Anita", "John", "Katherine", "Tim", "Hedy"]  # fmt: skip
LAST = ["Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Liskov", "Thompson", "Ritchie",
        "Allen", "Dijkstra", "Knuth", "Perlman", "Rossum", "Borg", "McCarthy", "Johnson"]  # fmt: skip
VERBS = ["built", "designed", "scaled", "migrated", "automated", "led", "shipped", "optimized",
         "maintained", "launched", "mentored", "refactored"]  # fmt: skip
OBJECTS = ["data pipelines", "payment services", "search infrastructure", "mobile apps",
           "design systems", "reporting dashboards", "streaming platforms", "internal tools",
           "customer onboarding", "supply chains", "machine learning models", "APIs"]  # fmt: skip
LANGUAGES = ["English", "German", "French", "Spanish", "Italian", "Japanese", "Swedish"]
VISIBILITIES = ["PUBLIC"] * 5 + ["EMPLOYERS"] * 3 + ["MEMBERS", "CONNECTIONS", "PRIVATE"]
DEGREES = ["Bachelor", "Master", "PhD"]


def synthetic_resume(rng: random.Random, today: datetime) -> dict[str, Any]:
    titles, skills = TRACKS[rng.choice(list(TRACKS))]
    city, region, country = rng.choice(PLACES)
    years_back = rng.randint(1, 25)
    cursor = today.year - years_back
    work = []
    while cursor < today.year:
        span = rng.randint(1, 6)
        entry = {
            "name": rng.choice(COMPANIES),
            "position": rng.choice(titles),
            "startDate": f"{cursor}-{rng.randint(1, 12):02d}",
            "summary": f"{rng.choice(VERBS).title()} {rng.choice(OBJECTS)} and "
            f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}.",
            "highlights": [f"{rng.choice(VERBS).title()} {rng.choice(OBJECTS)}" for _ in range(2)],
        }
        if cursor + span < today.year:
            entry["endDate"] = f"{cursor + span}-{rng.randint(1, 12):02d}"
        work.append(entry)
        cursor += span
    work.reverse()
    graduated = today.year - years_back - rng.randint(0, 2)
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    chosen = rng.sample(skills, k=min(len(skills), rng.randint(3, 8)))
    return {
        "basics": {
            "name": name,
            "label": work[0]["position"],
            "summary": f"{work[0]['position']} who {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
            f"and {rng.choice(OBJECTS)} at {work[0]['name']}.",
            "location": {"city": city, "region": region, "countryCode": country},
        },
        "work": work,
        "education": [
            {
                "institution": rng.choice(SCHOOLS),
                "studyType": rng.choice(DEGREES),
                "area": "Computer Science",
                "endDate": str(graduated),
            }
        ],
        "skills": [{"name": skill} for skill in chosen],
        "languages": [{"language": lang} for lang in rng.sample(LANGUAGES, k=rng.randint(1, 3))],
    }


@dataclass(frozen=True)
class Case:
    kind: str
    query: str | None
    filter: dict[str, Any]
    facets: bool
    highlight: bool


def query_mix() -> list[Case]:
    cases = []
    for term in ["python", "kubernetes", "designer", "pipelines", "figma", "react"]:
        cases.append(Case("single", term, {}, facets=False, highlight=False))
    for query in ["python AND django", "kafka AND spark", "react AND typescript",
                  "terraform AND aws", "figma AND prototyping"]:  # fmt: skip
        cases.append(Case("and", query, {}, facets=False, highlight=False))
    for query in ['"data pipelines"', '"machine learning"', '"site reliability"',
                  '"design systems"', '"payment services"']:  # fmt: skip
        cases.append(Case("phrase", query, {}, facets=False, highlight=False))
    for query in ["title:engineer", "skill:go", "company:globex", "school:eth",
                  "title:designer"]:  # fmt: skip
        cases.append(Case("field", query, {}, facets=False, highlight=False))
    for query, wanted in [
        ("python", {"countries": ["DE"], "minYearsOfExperience": 5}),
        ("engineer", {"skills": ["Kubernetes"], "cities": ["Berlin"]}),
        ("designer", {"countries": ["GB", "FR"]}),
        ("data", {"skills": ["SQL"], "maxYearsOfExperience": 8}),
        (None, {"skills": ["Python", "AWS"], "countries": ["US"]}),
    ]:
        cases.append(Case("filtered", query, wanted, facets=False, highlight=False))
    for query in ["python", "engineer", "manager", "react OR vue", "data"]:
        cases.append(Case("faceted", query, {}, facets=True, highlight=False))
    for query in ["pipelines", "python", "dashboards", "kubernetes", "apis"]:
        cases.append(Case("highlighted", query, {}, facets=False, highlight=True))
    return cases


# --- building the database and the index -----------------------------------------------


async def fill_database(settings: Settings, docs: int, seed: int) -> None:
    from api.people.tables import Account
    from api.resumes.service import _for_storage, derived_columns
    from api.resumes.tables import Resume

    engine = db.use_database(settings)
    await db.open_pool(engine)
    rng = random.Random(seed)
    today = datetime.now(UTC)
    try:
        await db.migrate()
        owners = max(1, docs // 4)
        for start in range(0, owners, 2000):
            async with db.write_transaction():
                await Account.insert(
                    *[
                        Account(
                            email=f"person{n}@bench.example", name=f"Person {n}", password_hash="x"
                        )
                        for n in range(start, min(owners, start + 2000))
                    ]
                )
        for start in range(0, docs, 1000):
            rows = []
            for n in range(start, min(docs, start + 1000)):
                document = synthetic_resume(rng, today)
                updated = today - timedelta(days=rng.randint(0, 900))
                rows.append(
                    Resume(
                        owner=1 + n % owners,
                        title=document["basics"]["label"],
                        visibility=rng.choice(VISIBILITIES),
                        document=json.dumps(document),
                        created_at=updated,
                        updated_at=updated,
                        **_for_storage(derived_columns(document)),
                    )
                )
            async with db.write_transaction():
                await Resume.insert(*rows)
            print(f"  stored {min(docs, start + 1000)} resumes", end="\r", flush=True)
        print()
    finally:
        await db.close_pool(engine)


async def build_index(settings: Settings, procs: int) -> float:
    from api.core.indexing import rebuild
    from api.indexes import indexes

    engine = db.use_database(settings)
    await db.open_pool(engine)
    try:
        index, kind = indexes(settings)["candidates"]
        started = time.perf_counter()
        count = await rebuild(
            index,
            kind,
            procs=procs,
            progress=lambda n, total: print(f"  indexed {n}/{total}", end="\r", flush=True),
        )
        elapsed = time.perf_counter() - started
        print()
        return count / elapsed
    finally:
        await db.close_pool(engine)


# --- the three ways -----------------------------------------------------------------------


def employer_circle() -> Any:
    """A verified employer's recruiter with a few memberships and connections."""
    from api.networks.tables import MembershipRole, MembershipStatus, OrganizationKind
    from api.people.audience import Circle, MembershipFact

    def membership(organization_id: int, kind: OrganizationKind) -> MembershipFact:
        employer = kind is OrganizationKind.EMPLOYER
        return MembershipFact(
            organization_id=organization_id,
            role=MembershipRole.ADMIN if employer else MembershipRole.MEMBER,
            status=MembershipStatus.ACTIVE,
            kind=kind,
            verified_employer=employer,
        )

    return Circle(
        account_id=1,
        connection_ids=frozenset(range(2, 60)),
        memberships={
            1: membership(1, OrganizationKind.EMPLOYER),
            2: membership(2, OrganizationKind.ALUMNI_ASSOCIATION),
            3: membership(3, OrganizationKind.ALUMNI_ASSOCIATION),
        },
    )


def engine_runner(settings: Settings) -> Callable[[Case], float]:
    from api.core.viewer import Viewer
    from api.resumes.candidate_search import CandidateFilter, index_filters
    from search.candidates import CANDIDATES
    from search.engine import SearchIndex, SearchRequest

    index = SearchIndex(settings.index_dir / "candidates", CANDIDATES)
    circle = employer_circle()
    viewer = Viewer(account_id=1)

    def run(case: Case) -> float:
        wanted = CandidateFilter.from_json(case.filter)
        filters = tuple(index_filters(viewer, circle, wanted))
        started = time.perf_counter()
        index.search(
            SearchRequest(
                query=case.query,
                filters=filters,
                limit=20,
                facets=("skills", "locations", "schools", "titles", "experience")
                if case.facets
                else (),
                highlight=case.highlight,
                suggest=False,
            )
        )
        return (time.perf_counter() - started) * 1000

    return run


GRAPHQL = """
query ($query: String, $filter: CandidateFilterInput) {
  searchCandidates(query: $query, filter: $filter, first: 20) {
    totalCount
    edges { node { id title } highlights { field snippet } matchedSkills }
    facets { field values { value count } }
    suggestion
    userErrors { code message }
  }
}
"""


@contextlib.contextmanager
def server(settings: Settings) -> Iterator[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    environment = {
        **os.environ,
        "CONFRERE_DATA_DIR": str(settings.data_dir),
        "CONFRERE_SECRET_KEY": settings.secret_key,
        "CONFRERE_ENV": "production",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "api", "serve", "--port", str(port)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("confrere serve did not start")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


async def employer_token(settings: Settings, reuse: bool) -> str:
    """A verified employer's recruiter, made through the services, and their token."""
    from api.core.viewer import Viewer
    from api.networks import service as networks
    from api.networks.tables import OrganizationKind
    from api.people import service as people

    engine = db.use_database(settings)
    await db.open_pool(engine)
    try:
        if reuse:
            result = await people.login(
                settings, email="recruiter@bench.example", password="benchmark-password"
            )
            return result.token
        await people.register(
            email="staff@bench.example", password="benchmark-password", name="Staff",
            is_staff=True,
        )  # fmt: skip
        account = await people.register(
            email="recruiter@bench.example", password="benchmark-password", name="Recruiter"
        )
        staff = await people.login(settings, email="staff@bench.example",
                                   password="benchmark-password")  # fmt: skip
        recruiter = Viewer(account_id=account["id"])
        employer = await networks.create_organization(
            recruiter, name="Bench Employer", kind=OrganizationKind.EMPLOYER
        )
        await networks.verify_employer(
            Viewer(account_id=staff.account["id"], is_staff=True), employer["id"]
        )
        result = await people.login(
            settings, email="recruiter@bench.example", password="benchmark-password"
        )
        return result.token
    finally:
        await db.close_pool(engine)


def graphql_runner(url: str, token: str) -> Callable[[Case], float]:
    client = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60)

    def run(case: Case) -> float:
        started = time.perf_counter()
        response = client.post(
            "/graphql",
            json={"query": GRAPHQL, "variables": {"query": case.query, "filter": case.filter}},
        )
        elapsed = (time.perf_counter() - started) * 1000
        body = response.json()
        if "errors" in body or body["data"]["searchCandidates"]["userErrors"]:
            raise RuntimeError(f"searchCandidates failed for {case}: {body}")
        return elapsed

    return run


FTS_COLUMNS = ("name", "title", "skills", "summary", "work", "companies", "schools")
FTS_WEIGHTS = (2.0, 3.0, 3.0, 1.5, 1.0, 1.5, 1.0)  # the same boosts as the Whoosh fields
FTS_FIELDS = {"title": "title", "skill": "skills", "company": "companies", "school": "schools"}


def build_fts5(settings: Settings, path: Path) -> None:
    """The baseline's own database: an FTS5 table and plain tables for filters and facets."""
    from search.analysis import skill_table

    table = skill_table()
    source = sqlite3.connect(settings.sqlite_path)
    target = sqlite3.connect(path)
    target.executescript(
        """
        CREATE VIRTUAL TABLE fts USING fts5(
            name, title, skills, summary, work, companies, schools,
            tokenize = 'porter unicode61'
        );
        CREATE TABLE candidate (
            id INTEGER PRIMARY KEY, owner INTEGER, audience TEXT, city TEXT, country TEXT,
            months INTEGER, updated REAL, title TEXT, school TEXT, experience TEXT
        );
        CREATE TABLE candidate_skill (id INTEGER, skill TEXT);
        CREATE INDEX candidate_skill_id ON candidate_skill (id);
        CREATE INDEX candidate_skill_skill ON candidate_skill (skill);
        CREATE INDEX candidate_country ON candidate (country);
        CREATE INDEX candidate_city ON candidate (city);
        """
    )
    from search.candidates import experience_bucket

    rows = source.execute(
        "SELECT id, owner, visibility, document, experience_days, city, country_code, "
        "current_title, updated_at FROM resume"
    )
    for rid, owner, visibility, document, days, city, country, title, updated in rows:
        data = json.loads(document)
        skills = [s["name"] for s in data.get("skills", [])]
        work = "\n".join(
            " ".join(
                [
                    w.get("position", ""),
                    w.get("name", ""),
                    w.get("summary", ""),
                    *w.get("highlights", []),
                ]
            )
            for w in data.get("work", [])
        )
        schools = [e.get("institution", "") for e in data.get("education", [])]
        title = title or data["basics"].get("label", "")
        target.execute(
            "INSERT INTO fts (rowid, name, title, skills, summary, work, companies, schools) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                rid,
                data["basics"]["name"],
                title,
                "\n".join(skills),
                data["basics"]["summary"],
                work,
                "\n".join(w.get("name", "") for w in data.get("work", [])),
                "\n".join(schools),
            ),
        )
        months = round(days / 365.25 * 12)
        target.execute(
            "INSERT INTO candidate VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (rid, owner, visibility, city, country, months,
             datetime.fromisoformat(str(updated)).timestamp(), title,
             schools[0] if schools else "", experience_bucket(months / 12)),
        )  # fmt: skip
        target.executemany(
            "INSERT INTO candidate_skill VALUES (?, ?)",
            [(rid, table.display(table.canonical(s))) for s in skills],
        )
    target.commit()
    source.close()
    target.close()


def fts_match(query: str) -> str:
    """The benchmark's queries in FTS5 syntax (field:term -> {column}: term)."""
    parts = []
    for token in query.split(" "):
        field, sep, rest = token.partition(":")
        if sep and field in FTS_FIELDS:
            parts.append(f"{{{FTS_FIELDS[field]}}} : {rest}")
        else:
            parts.append(token)
    return " ".join(parts)


def fts_runner(path: Path) -> Callable[[Case], float]:
    from search.analysis import skill_table

    connection = sqlite3.connect(path)
    table = skill_table()
    circle = employer_circle()
    connections = ",".join(str(c) for c in circle.connection_ids)
    # The same audience as the engine's: public and employer-visible resumes, and
    # connections' resumes (organization membership is not modelled in the baseline).
    audience = (
        f"(c.audience IN ('PUBLIC', 'EMPLOYERS') OR (c.audience IN ('CONNECTIONS', 'MEMBERS') "
        f"AND c.owner IN ({connections})) OR c.owner = 1)"
    )
    weights = ", ".join(str(w) for w in FTS_WEIGHTS)

    def where(case: Case) -> tuple[str, list[Any]]:
        clauses = [audience]
        args: list[Any] = []
        wanted = case.filter
        for skill in wanted.get("skills", []):
            clauses.append("c.id IN (SELECT id FROM candidate_skill WHERE skill = ?)")
            args.append(table.display(table.canonical(skill)))
        if wanted.get("countries"):
            clauses.append(f"c.country IN ({','.join('?' * len(wanted['countries']))})")
            args.extend(wanted["countries"])
        if wanted.get("cities"):
            clauses.append(f"c.city IN ({','.join('?' * len(wanted['cities']))})")
            args.extend(wanted["cities"])
        if "minYearsOfExperience" in wanted:
            clauses.append("c.months >= ?")
            args.append(wanted["minYearsOfExperience"] * 12)
        if "maxYearsOfExperience" in wanted:
            clauses.append("c.months <= ?")
            args.append(wanted["maxYearsOfExperience"] * 12)
        return " AND ".join(clauses), args

    def run(case: Case) -> float:
        condition, args = where(case)
        started = time.perf_counter()
        if case.query:
            match = fts_match(case.query)
            matched = f"SELECT c.id FROM fts JOIN candidate c ON c.id = fts.rowid WHERE fts MATCH ? AND {condition}"
            page_sql = (
                f"SELECT c.id, bm25(fts, {weights}) AS score"
                + (", snippet(fts, -1, '<mark>', '</mark>', ' … ', 12)" if case.highlight else "")
                + f" FROM fts JOIN candidate c ON c.id = fts.rowid WHERE fts MATCH ? AND {condition}"
                " ORDER BY score LIMIT 20"
            )
            params = [match, *args]
        else:
            matched = f"SELECT c.id FROM candidate c WHERE {condition}"
            page_sql = (
                f"SELECT c.id FROM candidate c WHERE {condition} ORDER BY c.updated DESC LIMIT 20"
            )
            params = args
        connection.execute(page_sql, params).fetchall()
        if not case.facets:
            connection.execute(f"SELECT count(*) FROM ({matched})", params).fetchone()
        else:
            # Match once into a temporary table, then count and group against it.
            connection.execute("DROP TABLE IF EXISTS temp.matched")
            connection.execute("CREATE TEMP TABLE matched (id INTEGER PRIMARY KEY)")
            connection.execute(f"INSERT INTO temp.matched {matched}", params)
            connection.execute("SELECT count(*) FROM temp.matched").fetchone()
            connection.execute(
                "SELECT s.skill, count(*) FROM temp.matched m JOIN candidate_skill s "
                "ON s.id = m.id GROUP BY s.skill ORDER BY 2 DESC LIMIT 10"
            ).fetchall()
            for column in ("city", "school", "title", "experience"):
                connection.execute(
                    f"SELECT c.{column}, count(*) FROM temp.matched m JOIN candidate c "
                    f"ON c.id = m.id GROUP BY c.{column} ORDER BY 2 DESC LIMIT 10"
                ).fetchall()
        return (time.perf_counter() - started) * 1000

    return run


def measure(run: Callable[[Case], float], cases: list[Case], rounds: int) -> list[float]:
    for case in cases:  # warm caches once, as a running server would be
        run(case)
    timings = []
    for _ in range(rounds):
        timings.extend(run(case) for case in cases)
    return timings


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def by_kind(timings: list[float], cases: list[Case]) -> dict[str, float]:
    medians: dict[str, list[float]] = {}
    for index, value in enumerate(timings):
        medians.setdefault(cases[index % len(cases)].kind, []).append(value)
    return {kind: round(statistics.median(values), 1) for kind, values in medians.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3, help="Passes over the query mix.")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--procs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--workdir", type=Path, help="Keep the data here (default: a temp dir).")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Query the corpus and index already in --workdir (no indexing figure).",
    )
    options = parser.parse_args()

    workdir = options.workdir or Path(tempfile.mkdtemp(prefix="confrere-bench-"))
    if options.reuse and not options.workdir:
        parser.error("--reuse needs --workdir")
    if workdir.exists() and not options.reuse:
        shutil.rmtree(workdir)
    settings = Settings(data_dir=workdir / "data", secret_key="benchmark-secret-key-" * 3)
    settings.ensure_data_dir()
    cases = query_mix()
    fts_path = workdir / "fts5.sqlite3"
    try:
        docs_per_s = 0.0
        if not options.reuse:
            print(f"corpus: {options.docs} synthetic resumes (seed {options.seed})")
            asyncio.run(fill_database(settings, options.docs, options.seed))
            docs_per_s = asyncio.run(build_index(settings, options.procs))
            print(f"indexing: {docs_per_s:.0f} documents/s (procs={options.procs})")

        engine = measure(engine_runner(settings), cases, options.rounds)
        print(f"engine:  p50 {percentile(engine, 0.5):.1f} ms  p95 {percentile(engine, 0.95):.1f} ms"
              f"  by kind {by_kind(engine, cases)}")  # fmt: skip

        fts_path.unlink(missing_ok=True)
        build_fts5(settings, fts_path)
        fts = measure(fts_runner(fts_path), cases, options.rounds)
        print(f"fts5:    p50 {percentile(fts, 0.5):.1f} ms  p95 {percentile(fts, 0.95):.1f} ms"
              f"  by kind {by_kind(fts, cases)}")  # fmt: skip

        token = asyncio.run(employer_token(settings, options.reuse))
        with server(settings) as url:
            graphql = measure(graphql_runner(url, token), cases, options.rounds)
        print(f"graphql: p50 {percentile(graphql, 0.5):.1f} ms  p95 {percentile(graphql, 0.95):.1f} ms"
              f"  by kind {by_kind(graphql, cases)}")  # fmt: skip

        figures = {
            "docs": options.docs,
            "index_docs_per_s": round(docs_per_s),
            "engine_p50_ms": round(percentile(engine, 0.5), 1),
            "engine_p95_ms": round(percentile(engine, 0.95), 1),
            "graphql_p50_ms": round(percentile(graphql, 0.5), 1),
            "graphql_p95_ms": round(percentile(graphql, 0.95), 1),
            "fts5_p50_ms": round(percentile(fts, 0.5), 1),
            "fts5_p95_ms": round(percentile(fts, 0.95), 1),
        }
        figures["engine_p95_over_fts5_p95"] = round(
            figures["engine_p95_ms"] / max(figures["fts5_p95_ms"], 0.01), 2
        )
        figures["engine_p50_over_fts5_p50"] = round(
            figures["engine_p50_ms"] / max(figures["fts5_p50_ms"], 0.01), 2
        )
        figures["targets_met"] = (
            figures["graphql_p95_ms"] <= 150
            and figures["engine_p95_over_fts5_p95"] <= 2.0
            and figures["index_docs_per_s"] >= 600
        )
        print(json.dumps(figures))
    finally:
        if not options.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
        elif fts_path.exists():
            fts_path.unlink()


if __name__ == "__main__":
    main()

"""Candidate search benchmark: Confrere's search engine against SQLite FTS5 and tantivy, per query category.

    .venv/bin/python benchmarks/search.py --docs 100000
    .venv/bin/python benchmarks/search.py --sizes 100000,300000

Generates a deterministic corpus of realistic resumes (`--seed`; see search_corpus.py: 2-6 jobs
with descriptions and highlights, summaries of a few sentences, 10-30 skills, locations,
education), stores it in a fresh Confrere database and indexes it three ways from the same
rows: Confrere's engine (the `confrere index rebuild` code path), an SQLite FTS5 table and a
tantivy index. Then each engine in turn, in its own fresh process, runs one query mix by
category (single terms, AND, phrases, field-restricted, location-filtered, faceted,
highlighted), each doing only what the query needs: a page of 20 and the total count always,
facet counts only on faceted queries (FTS5: GROUP BY over the matching rowids), snippets only
on highlighted ones. Each process also reports its resident memory after warm-up and after
2,000 queries of distinct words, and how long one changed document takes to become
searchable.

tantivy is optional: `pip install -e '.[bench]'` (or `pip install tantivy`); without it the
tantivy column is skipped with a notice. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api.core import db  # noqa: E402
from api.core.settings import Settings  # noqa: E402
from benchmarks.search_corpus import resumes, vocabulary  # noqa: E402

ENGINES = ("engine", "fts5", "tantivy")
TANTIVY_MISSING = (
    "tantivy is not installed: its column is skipped. "
    "Install it with `.venv/bin/pip install -e '.[bench]'` (or `pip install tantivy`)."
)
FACETS = ("skills", "locations", "schools", "titles", "experience")
FIELDS = ("name", "title", "skills", "summary", "work", "companies", "schools")
WEIGHTS = {"title": 3.0, "skills": 3.0, "name": 2.0, "summary": 1.5, "companies": 1.5,
           "schools": 1.0, "work": 1.0}  # fmt: skip  # the same boosts as the engine's fields
ALIASES = {"title": "title", "skill": "skills", "company": "companies", "school": "schools"}


@dataclass(frozen=True)
class Case:
    kind: str
    query: str | None
    filter: dict[str, Any] = dataclasses.field(default_factory=dict)
    facets: bool = False
    highlight: bool = False


def query_mix() -> list[Case]:
    cases = [
        Case("single", t)
        for t in ["python", "kubernetes", "designer", "pipelines", "figma", "react"]
    ]
    cases += [
        Case("and", q)
        for q in [
            "python AND django",
            "kafka AND spark",
            "react AND typescript",
            "terraform AND aws",
            "figma AND prototyping",
            "billing AND migrated",
        ]
    ]
    cases += [
        Case("phrase", q)
        for q in [
            '"data pipelines"',
            '"machine learning"',
            '"site reliability"',
            '"design systems"',
            '"payment services"',
            '"cutting costs"',
        ]
    ]
    cases += [
        Case("field", q)
        for q in [
            "title:engineer",
            "skill:go",
            "company:globex",
            "school:eth",
            "title:designer",
            "skill:kafka",
        ]
    ]
    cases += [
        Case("location", q, f)
        for q, f in [
            ("python", {"countries": ["DE"], "minYearsOfExperience": 5}),
            ("engineer", {"skills": ["Kubernetes"], "cities": ["Berlin"]}),
            ("designer", {"countries": ["GB", "FR"]}),
            ("data", {"skills": ["SQL"], "maxYearsOfExperience": 8}),
            ("manager", {"cities": ["Toronto", "Austin"]}),
            (None, {"skills": ["Python", "AWS"], "countries": ["US"]}),
        ]
    ]
    cases += [
        Case("faceted", q, {}, facets=True)
        for q in ["python", "engineer", "manager", "react OR vue", "data", "dashboards"]
    ]
    cases += [
        Case("highlighted", q, {}, highlight=True)
        for q in ["pipelines", "python", "dashboards", "kubernetes", "apis", "checkout"]
    ]
    return cases  # fmt: skip


def distinct_words(seed: int, count: int) -> list[str]:
    """Words of the corpus, past the most common ones: each query opens fresh postings."""
    words = vocabulary(seed)
    return words[100 : 100 + count]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


# --- the corpus in the database --------------------------------------------------------


async def fill_database(settings: Settings, docs: int, seed: int) -> float:
    """Stores the corpus as Confrere resumes; returns the seconds generation took."""
    from api.people.tables import Account
    from api.resumes.service import _for_storage, derived_columns
    from api.resumes.tables import Resume

    engine = db.use_database(settings)
    await db.open_pool(engine)
    today = datetime.now(UTC)
    generating = 0.0
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
        corpus = resumes(docs, seed, today)
        for start in range(0, docs, 1000):
            began = time.perf_counter()
            batch = [next(corpus) for _ in range(start, min(docs, start + 1000))]
            generating += time.perf_counter() - began
            rows = []
            for n, document in enumerate(batch, start):
                visibility = document.pop("visibility")
                updated = today - timedelta(days=document.pop("updated_days"))
                rows.append(
                    Resume(
                        owner=1 + n % owners,
                        title=document["basics"]["label"],
                        visibility=visibility,
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
    return generating


def flat_rows(settings: Settings) -> Iterator[dict[str, Any]]:
    """The stored resumes as the baselines index them: one read of the same rows."""
    from search.analysis import skill_table
    from search.candidates import experience_bucket

    table = skill_table()
    source = sqlite3.connect(settings.sqlite_path)
    try:
        rows = source.execute(
            "SELECT id, owner, visibility, document, experience_days, city, country_code, "
            "current_title, updated_at FROM resume ORDER BY id"
        )
        for rid, owner, visibility, document, days, city, country, title, updated in rows:
            yield flat(table, experience_bucket, rid, owner, visibility, json.loads(document),
                       days, city, country, title, updated)  # fmt: skip
    finally:
        source.close()


def flat(table: Any, bucket: Any, rid: int, owner: int, visibility: str, data: dict[str, Any],
         days: int, city: str, country: str, title: str | None, updated: Any) -> dict[str, Any]:  # fmt: skip
    skills = [s["name"] for s in data.get("skills", [])]
    work = data.get("work", [])
    schools = [e.get("institution", "") for e in data.get("education", [])]
    months = round((days or 0) / 365.25 * 12)
    return {
        "id": rid,
        "owner": owner,
        "audience": visibility,
        "name": data["basics"]["name"],
        "title": title or data["basics"].get("label", ""),
        "skills": "\n".join(skills),
        "summary": data["basics"].get("summary", ""),
        "work": "\n".join(
            " ".join(
                [
                    w.get("position", ""),
                    w.get("name", ""),
                    w.get("summary", ""),
                    *w.get("highlights", []),
                ]
            )
            for w in work
        ),
        "companies": "\n".join(w.get("name", "") for w in work),
        "schools": "\n".join(schools),
        "skill_keys": [table.display(table.canonical(s)) for s in skills],
        "city": city or "",
        "country": country or "",
        "school": schools[0] if schools else "",
        "months": months,
        "experience": bucket(months / 12),
        "updated": int(datetime.fromisoformat(str(updated)).timestamp()),
    }


# --- Confrere's engine -----------------------------------------------------------------


async def build_engine(settings: Settings, procs: int) -> float:
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


class Engine:
    """What `searchCandidates` calls: the search package, audience filter included."""

    def __init__(self, settings: Settings) -> None:
        from api.core.viewer import Viewer
        from api.indexes import indexes

        self.index, self.kind = indexes(settings)["candidates"]
        self.circle = employer_circle()
        self.viewer = Viewer(account_id=1)
        self.loop = asyncio.new_event_loop()
        self.pool = db.use_database(settings)
        self.loop.run_until_complete(db.open_pool(self.pool))
        # As the server's indexer does when it starts (Indexer.prepare): the per-segment
        # arrays facets, ranges, recency and scoring read.
        self.index.warm()

    def search(self, case: Case) -> int:
        from api.resumes.candidate_search import CandidateFilter, index_filters
        from search.engine import SearchRequest

        wanted = CandidateFilter.from_json(case.filter)
        result = self.index.search(
            SearchRequest(
                query=case.query,
                filters=tuple(index_filters(self.viewer, self.circle, wanted)),
                limit=20,
                facets=FACETS if case.facets else (),
                highlight=case.highlight,
                suggest=False,
            )
        )
        return result.total

    def change(self, rid: int, word: str) -> None:
        """What the indexer does for one outbox row: load the document, apply, refresh."""
        document = self.loop.run_until_complete(self.kind.load([rid]))[rid]
        document["summary"] = f"{document['summary']} {word}"
        self.index.apply(upserts=[document], last_sequence=self.index.last_sequence())
        self.index.warm()

    def idle(self) -> None:
        """What the indexer does once caught up (not timed): merge small segments."""
        if self.index.merge_small_segments():
            self.index.warm()

    def close(self) -> None:
        self.loop.run_until_complete(db.close_pool(self.pool))
        self.loop.close()


# --- SQLite FTS5 -----------------------------------------------------------------------


def build_fts5(settings: Settings, path: Path) -> float:
    """The baseline's own database: an FTS5 table and plain tables for filters and facets."""
    target = sqlite3.connect(path)
    target.executescript(
        f"""
        CREATE VIRTUAL TABLE fts USING fts5({", ".join(FIELDS)}, tokenize = 'porter unicode61');
        CREATE TABLE candidate (
            id INTEGER PRIMARY KEY, owner INTEGER, audience TEXT, city TEXT, country TEXT,
            months INTEGER, updated INTEGER, title TEXT, school TEXT, experience TEXT
        );
        CREATE TABLE candidate_skill (id INTEGER, skill TEXT);
        """
    )
    started = time.perf_counter()
    count = 0
    for row in flat_rows(settings):
        target.execute(
            f"INSERT INTO fts (rowid, {', '.join(FIELDS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (row["id"], *(row[f] for f in FIELDS)),
        )
        target.execute(
            "INSERT INTO candidate VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row["id"], row["owner"], row["audience"], row["city"], row["country"],
             row["months"], row["updated"], row["title"], row["school"], row["experience"]),
        )  # fmt: skip
        target.executemany(
            "INSERT INTO candidate_skill VALUES (?, ?)", [(row["id"], s) for s in row["skill_keys"]]
        )
        count += 1
    target.executescript(
        """
        CREATE INDEX candidate_skill_id ON candidate_skill (id);
        CREATE INDEX candidate_skill_skill ON candidate_skill (skill);
        CREATE INDEX candidate_country ON candidate (country);
        CREATE INDEX candidate_city ON candidate (city);
        """
    )
    target.commit()
    target.close()
    return count / (time.perf_counter() - started)


def fts_match(query: str) -> str:
    """The benchmark's queries in FTS5 syntax (field:term -> {column} : term)."""
    parts = []
    for token in query.split(" "):
        field, sep, rest = token.partition(":")
        parts.append(f"{{{ALIASES[field]}}} : {rest}" if sep and field in ALIASES else token)
    return " ".join(parts)


class Fts5:
    def __init__(self, settings: Settings, path: Path) -> None:
        from search.analysis import skill_table

        self.connection = sqlite3.connect(path)
        self.source = sqlite3.connect(settings.sqlite_path)
        self.table = skill_table()
        connections = ",".join(str(c) for c in employer_circle().connection_ids)
        # The engine's audience: public and employer-visible resumes, and connections'
        # resumes (organization membership is not modelled in the baselines).
        self.audience = (
            f"(c.audience IN ('PUBLIC', 'EMPLOYERS') OR (c.audience IN ('CONNECTIONS', "
            f"'MEMBERS') AND c.owner IN ({connections})) OR c.owner = 1)"
        )
        self.weights = ", ".join(str(WEIGHTS[f]) for f in FIELDS)

    def where(self, case: Case) -> tuple[str, list[Any]]:
        clauses = [self.audience]
        args: list[Any] = []
        wanted = case.filter
        for skill in wanted.get("skills", []):
            clauses.append("c.id IN (SELECT id FROM candidate_skill WHERE skill = ?)")
            args.append(self.table.display(self.table.canonical(skill)))
        for key, column in (("countries", "country"), ("cities", "city")):
            if wanted.get(key):
                clauses.append(f"c.{column} IN ({','.join('?' * len(wanted[key]))})")
                args.extend(wanted[key])
        if "minYearsOfExperience" in wanted:
            clauses.append("c.months >= ?")
            args.append(wanted["minYearsOfExperience"] * 12)
        if "maxYearsOfExperience" in wanted:
            clauses.append("c.months <= ?")
            args.append(wanted["maxYearsOfExperience"] * 12)
        return " AND ".join(clauses), args

    def search(self, case: Case) -> int:
        condition, args = self.where(case)
        run = self.connection.execute
        if case.query:
            source = "fts JOIN candidate c ON c.id = fts.rowid WHERE fts MATCH ? AND "
            params = [fts_match(case.query), *args]
            order = f"bm25(fts, {self.weights})"
        else:
            source, params, order = "candidate c WHERE ", args, "c.updated DESC"
        snippet = ", snippet(fts, -1, '<mark>', '</mark>', ' … ', 12)" if case.highlight else ""
        run(f"SELECT c.id{snippet} FROM {source}{condition} ORDER BY {order} LIMIT 20", params)
        if not case.facets:
            return int(run(f"SELECT count(*) FROM {source}{condition}", params).fetchone()[0])
        # As an application would: the matching rowids once, then GROUP BY over them.
        run("DROP TABLE IF EXISTS temp.matched")
        run("CREATE TEMP TABLE matched (id INTEGER PRIMARY KEY)")
        run(f"INSERT INTO temp.matched SELECT c.id FROM {source}{condition}", params)
        total = int(run("SELECT count(*) FROM temp.matched").fetchone()[0])
        run("SELECT s.skill, count(*) FROM temp.matched m JOIN candidate_skill s ON s.id = m.id "
            "GROUP BY s.skill ORDER BY 2 DESC LIMIT 10").fetchall()  # fmt: skip
        for column in ("city", "school", "title", "experience"):
            run(f"SELECT c.{column}, count(*) FROM temp.matched m JOIN candidate c ON c.id = m.id "
                f"GROUP BY c.{column} ORDER BY 2 DESC LIMIT 10").fetchall()  # fmt: skip
        return total

    def change(self, rid: int, word: str) -> None:
        (document,) = self.source.execute(
            "SELECT document FROM resume WHERE id = ?", (rid,)
        ).fetchone()
        summary = json.loads(document)["basics"]["summary"]
        self.connection.execute(
            "UPDATE fts SET summary = ? WHERE rowid = ?", (f"{summary} {word}", rid)
        )
        self.connection.commit()

    def close(self) -> None:
        self.connection.close()
        self.source.close()


# --- tantivy ---------------------------------------------------------------------------


def tantivy_schema() -> Any:
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("id", stored=True, indexed=True, fast=True)
    builder.add_unsigned_field("owner", indexed=True, fast=True)
    for field in FIELDS:
        builder.add_text_field(field, stored=field in ("summary", "work"), tokenizer_name="en_stem")
    for field in ("audience", "city", "country", "skill_keys", "school", "title_key", "experience"):
        builder.add_text_field(field, tokenizer_name="raw", fast=True)
    builder.add_integer_field("months", indexed=True, fast=True)
    builder.add_integer_field("updated", fast=True)
    return builder.build()


def tantivy_document(row: dict[str, Any]) -> dict[str, Any]:
    return {**{k: row[k] for k in ("id", "owner", "audience", "city", "country", "skill_keys",
                                    "school", "experience", "months", "updated", *FIELDS)},
            "title_key": row["title"]}  # fmt: skip


def build_tantivy(settings: Settings, path: Path, procs: int) -> float:
    import tantivy

    path.mkdir(parents=True)
    schema = tantivy_schema()
    index = tantivy.Index(schema, path=str(path))
    writer = index.writer(heap_size=256_000_000, num_threads=procs)
    started = time.perf_counter()
    count = 0
    for row in flat_rows(settings):
        writer.add_document(tantivy.Document.from_dict(tantivy_document(row), schema))
        count += 1
    writer.commit()
    writer.wait_merging_threads()
    return count / (time.perf_counter() - started)


class Tantivy:
    def __init__(self, settings: Settings, path: Path) -> None:
        import tantivy

        self.tantivy = tantivy
        self.schema = tantivy_schema()
        self.index = tantivy.Index.open(str(path))
        self.source = sqlite3.connect(settings.sqlite_path)
        self.writer: Any = None
        from search.analysis import skill_table

        self.table = skill_table()
        Q, occur = tantivy.Query, tantivy.Occur
        connections = sorted(employer_circle().connection_ids)
        self.audience = Q.boolean_query([
            (occur.Should, Q.term_set_query(self.schema, "audience", ["PUBLIC", "EMPLOYERS"])),
            (occur.Should, Q.boolean_query([
                (occur.Must, Q.term_set_query(self.schema, "audience", ["CONNECTIONS", "MEMBERS"])),
                (occur.Must, Q.term_set_query(self.schema, "owner", connections)),
            ])),
            (occur.Should, Q.term_query(self.schema, "owner", 1)),
        ])  # fmt: skip

    def query(self, case: Case) -> Any:
        Q, occur, schema = self.tantivy.Query, self.tantivy.Occur, self.schema
        clauses = [(occur.Must, self.audience)]
        if case.query:
            text = " ".join(
                f"{ALIASES[t.partition(':')[0]]}:{t.partition(':')[2]}"
                if ":" in t and t.partition(":")[0] in ALIASES else t
                for t in case.query.split(" ")
            )  # fmt: skip
            parsed = self.index.parse_query(text, list(FIELDS), field_boosts=WEIGHTS)
            clauses.append((occur.Must, parsed))
        wanted = case.filter
        for skill in wanted.get("skills", []):
            key = self.table.display(self.table.canonical(skill))
            clauses.append((occur.Must, Q.term_query(schema, "skill_keys", key)))
        for key, field in (("countries", "country"), ("cities", "city")):
            if wanted.get(key):
                clauses.append((occur.Must, Q.term_set_query(schema, field, wanted[key])))
        low, high = wanted.get("minYearsOfExperience"), wanted.get("maxYearsOfExperience")
        if low is not None or high is not None:
            clauses.append((occur.Must, Q.range_query(
                schema, "months", self.tantivy.FieldType.Integer,
                None if low is None else low * 12, None if high is None else high * 12,
            )))  # fmt: skip
        return Q.boolean_query(clauses)

    def search(self, case: Case) -> int:
        query = self.query(case)
        searcher = self.index.searcher()
        if case.query:
            result = searcher.search(query, 20, count=True)
        else:
            result = searcher.search(query, 20, count=True, order_by_field="updated")
        if case.highlight:
            generators = [
                self.tantivy.SnippetGenerator.create(searcher, query, self.schema, field)
                for field in ("summary", "work")
            ]
            for _, address in result.hits:
                document = searcher.doc(address)
                for generator in generators:
                    generator.snippet_from_doc(document).to_html()
        if case.facets:
            fields = {"skills": "skill_keys", "locations": "city", "schools": "school",
                      "titles": "title_key", "experience": "experience"}  # fmt: skip
            searcher.aggregate(
                query, {name: {"terms": {"field": f, "size": 10}} for name, f in fields.items()}
            )
        return int(result.count or 0)

    def change(self, rid: int, word: str) -> None:
        from search.candidates import experience_bucket

        if self.writer is None:
            self.writer = self.index.writer(heap_size=50_000_000, num_threads=1)
        row = self.source.execute(
            "SELECT id, owner, visibility, document, experience_days, city, country_code, "
            "current_title, updated_at FROM resume WHERE id = ?",
            (rid,),
        ).fetchone()
        document = flat(self.table, experience_bucket, *row[:3], json.loads(row[3]), *row[4:])
        document["summary"] = f"{document['summary']} {word}"
        self.writer.delete_documents_by_term("id", rid)
        self.writer.add_document(
            self.tantivy.Document.from_dict(tantivy_document(document), self.schema)
        )
        self.writer.commit()
        self.index.reload()

    def close(self) -> None:
        if self.writer is not None:
            self.writer.wait_merging_threads()
        self.source.close()


def tantivy_installed() -> bool:
    try:
        import tantivy  # noqa: F401
    except ImportError:
        return False
    return True


# --- one engine's process --------------------------------------------------------------


def measure_engine(name: str, workdir: Path, docs: int, rounds: int, seed: int,
                   words: int, updates: int) -> dict[str, Any]:  # fmt: skip
    """Runs in a fresh process so its resident memory is this engine's alone."""
    settings = bench_settings(workdir)
    searcher: Engine | Fts5 | Tantivy
    if name == "engine":
        searcher = Engine(settings)
    elif name == "fts5":
        searcher = Fts5(settings, workdir / "fts5.sqlite3")
    else:
        searcher = Tantivy(settings, workdir / "tantivy")
    cases = query_mix()
    for case in cases:  # warm up once, as a running server would be
        searcher.search(case)
    warm = rss_mb()
    timings: dict[str, list[float]] = {}
    for _ in range(rounds):
        for case in cases:
            started = time.perf_counter()
            searcher.search(case)
            timings.setdefault(case.kind, []).append((time.perf_counter() - started) * 1000)
    for word in distinct_words(seed, words):
        searcher.search(Case("single", word, {}))
    after = rss_mb()
    visible = []
    for n in range(updates):
        # The viewer's own resumes (owner 1): visible to the audience filter whatever their
        # visibility, so the change is searched for exactly as a request would.
        rid = 1 + (n % 4) * max(1, docs // 4)
        word = "zqx" + "".join("abcdefghij"[int(c)] for c in str(n)) + "update"
        started = time.perf_counter()
        searcher.change(rid, word)
        while not searcher.search(Case("single", word, {})):
            if time.perf_counter() - started > 30:
                raise RuntimeError(f"{name}: a changed document never became searchable")
        visible.append((time.perf_counter() - started) * 1000)
        if isinstance(searcher, Engine):
            searcher.idle()
    searcher.close()
    return {
        "categories": {
            kind: {"p50_ms": round(percentile(v, 0.5), 2), "p95_ms": round(percentile(v, 0.95), 2)}
            for kind, v in timings.items()
        },
        "all_p50_ms": round(percentile([t for v in timings.values() for t in v], 0.5), 2),
        "all_p95_ms": round(percentile([t for v in timings.values() for t in v], 0.95), 2),
        "update_visible_p50_ms": round(statistics.median(visible), 1) if visible else None,
        "update_visible_p95_ms": round(percentile(visible, 0.95), 1) if visible else None,
        "rss_warm_mb": warm,
        "rss_mb": after,
    }


def run_engine(name: str, workdir: Path, options: argparse.Namespace, docs: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--measure", name, "--workdir", str(workdir),
               "--docs", str(docs), "--rounds", str(options.rounds), "--seed", str(options.seed),
               "--words", str(options.words), "--updates", str(options.updates)]  # fmt: skip
    output = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def bench_settings(workdir: Path) -> Settings:
    return Settings(data_dir=workdir / "data", secret_key="benchmark-secret-key-" * 3)


# --- one corpus size -------------------------------------------------------------------


def ratio(value: float | None, base: float | None) -> float | None:
    return None if value is None or not base else round(value / base, 2)


def run_size(docs: int, workdir: Path, options: argparse.Namespace) -> dict[str, Any]:
    if workdir.exists():
        shutil.rmtree(workdir)
    settings = bench_settings(workdir)
    settings.ensure_data_dir()
    engines = [e for e in ENGINES if e != "tantivy" or tantivy_installed()]
    print(f"corpus: {docs} synthetic resumes (seed {options.seed})")
    began = time.perf_counter()
    generating = asyncio.run(fill_database(settings, docs, options.seed))
    print(f"  generated in {generating:.1f} s, stored in {time.perf_counter() - began:.1f} s")
    per_s = {"engine": asyncio.run(build_engine(settings, options.procs))}
    per_s["fts5"] = build_fts5(settings, workdir / "fts5.sqlite3")
    if "tantivy" in engines:
        per_s["tantivy"] = build_tantivy(settings, workdir / "tantivy", options.procs)
    for name, rate in per_s.items():
        print(f"index {name:8} {rate:9.0f} docs/s")
    results = {}
    for name in engines:
        print(f"querying {name} ...", flush=True)
        results[name] = run_engine(name, workdir, options, docs)
    kinds = list(dict.fromkeys(case.kind for case in query_mix()))
    print(f"\n{'category':12} " + "  ".join(f"{e + ' p50/p95 ms':>24}" for e in engines)
          + "  engine/fts5  engine/tantivy")  # fmt: skip
    categories = {}
    for kind in kinds:
        p95 = {e: results[e]["categories"][kind]["p95_ms"] for e in engines}
        cells = "  ".join(
            f"{results[e]['categories'][kind]['p50_ms']:>11.2f} / {p95[e]:<10.2f}" for e in engines
        )
        over_fts = ratio(p95["engine"], p95["fts5"])
        over_tantivy = ratio(p95["engine"], p95.get("tantivy"))
        print(f"{kind:12} {cells}  {over_fts!s:>11}  {over_tantivy!s:>14}")
        categories[kind] = {
            "engine_p95_ms": p95["engine"],
            "fts5_p95_ms": p95["fts5"],
            "tantivy_p95_ms": p95.get("tantivy"),
            "engine_over_fts5": over_fts,
            "engine_over_tantivy": over_tantivy,
        }
    print()
    for name in engines:
        r = results[name]
        print(f"{name:8} one update visible p50/p95 {r['update_visible_p50_ms']} / "
              f"{r['update_visible_p95_ms']} ms; rss {r['rss_warm_mb']} MB warm, {r['rss_mb']} MB "
              f"after {options.words} distinct words")  # fmt: skip
    if "tantivy" not in engines:
        print(TANTIVY_MISSING)
    engine = results["engine"]
    return {
        "docs": docs,
        "index_docs_per_s": round(per_s["engine"]),
        "update_visible_p95_ms": engine["update_visible_p95_ms"],
        "rss_warm_mb": engine["rss_warm_mb"],
        "rss_mb": engine["rss_mb"],
        "engine_p95_ms": engine["all_p95_ms"],
        "categories": categories,
        "baselines": {
            name: {
                "index_docs_per_s": round(per_s[name]),
                "p95_ms": results[name]["all_p95_ms"],
                "update_visible_p95_ms": results[name]["update_visible_p95_ms"],
                "rss_mb": results[name]["rss_mb"],
            }
            for name in engines
            if name != "engine"
        },
        "tantivy": "tantivy" in engines,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--sizes", help="Comma-separated corpus sizes, e.g. 100000,300000 "
                        "(overrides --docs; the JSON line's top level is the last size).")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=3, help="Passes over the query mix.")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--procs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument(
        "--words", type=int, default=2000, help="Distinct-word queries before rss_mb."
    )
    parser.add_argument("--updates", type=int, default=20, help="Single-document changes timed.")
    parser.add_argument("--workdir", type=Path, help="Keep the data here (default: a temp dir).")
    parser.add_argument("--measure", choices=ENGINES, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        figures = measure_engine(options.measure, options.workdir, options.docs, options.rounds,
                                 options.seed, options.words, options.updates)  # fmt: skip
        print(json.dumps(figures))
        return
    if not tantivy_installed():
        print(TANTIVY_MISSING)
    sizes = [int(s) for s in options.sizes.split(",")] if options.sizes else [options.docs]
    workdir = options.workdir or Path(tempfile.mkdtemp(prefix="confrere-bench-"))
    runs = []
    try:
        for docs in sizes:
            runs.append(run_size(docs, workdir / str(docs), options))
            print()
    finally:
        if not options.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    figures = dict(runs[-1])
    if len(runs) > 1:
        figures["sizes"] = {str(r["docs"]): {k: r[k] for k in ("index_docs_per_s",
                            "update_visible_p95_ms", "rss_mb", "engine_p95_ms")} for r in runs}  # fmt: skip
    print(json.dumps(figures))


if __name__ == "__main__":
    main()

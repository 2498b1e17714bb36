"""Candidate ranking quality: Confrere's engine against FTS5's bm25 and tantivy's BM25.

    .venv/bin/python benchmarks/relevance.py --docs 100000

Recruiter queries of several kinds — a role, skills, role + skill, role + location, seniority
words, synonyms, misspellings — run over the synthetic corpus of `search_corpus.py`, stored
and indexed exactly as `benchmarks/search.py` does (the same three engines, the same field
weights, a verified employer's audience). Each resume is graded 0-3 for each query from its
structure alone, never from the indexed text: its current title, past titles, listed skills,
years of experience and city (see `Profile` and each query's grade). A resume that mentions
"Kubernetes" once in an old job description is not a Kubernetes engineer; one that lists it
as a skill is.

Printed per query kind and engine: nDCG@10 (gains 2^grade - 1), MRR (the first hit of grade
2 or more) and precision@10 (grade 2 or more), over all queries and separately over the tuning
two thirds and the held-out third (every third query of each kind), so a change tuned to the
set shows as a gap between the halves. tantivy is optional (`pip install -e '.[bench]'`).
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api.core import db  # noqa: E402
from benchmarks.search import (  # noqa: E402
    FIELDS,
    TANTIVY_MISSING,
    WEIGHTS,
    Case,
    Engine,
    Fts5,
    Tantivy,
    bench_settings,
    build_engine,
    build_fts5,
    build_tantivy,
    employer_circle,
    fill_database,
    tantivy_installed,
)
from benchmarks.search_corpus import TRACKS  # noqa: E402
from search.analysis import skill_table  # noqa: E402

TOP = 10
#: A hit of this grade or more counts as relevant for MRR and precision.
RELEVANT = 2
TRACK_OF = {title: track for track, (titles, _) in TRACKS.items() for title in titles}


# --- what each resume is, read from its structure ---------------------------------------


@dataclass(frozen=True)
class Profile:
    id: int
    visible: bool
    current_title: str
    past_titles: frozenset[str]
    skills: frozenset[str]  # canonical skill keys
    years: float
    city: str

    def title_grade(self, role: str) -> int:
        """2 for the current title, 1 for a past one, else 0."""
        if self.current_title == role:
            return 2
        return 1 if role in self.past_titles else 0

    def same_track(self, role: str) -> bool:
        return TRACK_OF.get(self.current_title) == TRACK_OF.get(role)


def profiles(settings: Any) -> list[Profile]:
    """Every stored resume as the judge sees it, and whether the benchmark's recruiter may."""
    table = skill_table()
    circle = employer_circle()
    source = sqlite3.connect(settings.sqlite_path)
    try:
        rows = source.execute(
            "SELECT id, owner, visibility, document, experience_days, city FROM resume ORDER BY id"
        ).fetchall()
    finally:
        source.close()
    judged = []
    for rid, owner, visibility, document, days, city in rows:
        data = json.loads(document)
        positions = [w.get("position", "") for w in data.get("work", [])]
        visible = (
            visibility in ("PUBLIC", "EMPLOYERS")
            or owner == circle.account_id
            or (visibility == "CONNECTIONS" and owner in circle.connection_ids)
        )
        judged.append(
            Profile(
                id=rid,
                visible=visible,
                current_title=positions[0] if positions else "",
                past_titles=frozenset(positions[1:]),
                skills=frozenset(table.canonical(s["name"]) for s in data.get("skills", [])),
                years=(days or 0) / 365.25,
                city=city or "",
            )
        )
    return judged


# --- the queries and their grades -------------------------------------------------------


@dataclass(frozen=True)
class Query:
    kind: str
    text: str
    grade: Callable[[Profile], int]
    filter: dict[str, Any] = field(default_factory=dict)
    held_out: bool = False


def skill_keys(*skills: str) -> frozenset[str]:
    table = skill_table()
    return frozenset(table.canonical(s) for s in skills)


def role(title: str) -> Callable[[Profile], int]:
    """3 holds the role now, 2 held it before, 1 works in the same field."""

    def grade(p: Profile) -> int:
        held = p.title_grade(title)
        return held + 1 if held else int(p.same_track(title))

    return grade


def skills(*names: str) -> Callable[[Profile], int]:
    """3 lists every skill, 2 all but one of three or more, 1 some, 0 none (mentions in
    prose do not count)."""
    wanted = skill_keys(*names)

    def grade(p: Profile) -> int:
        missing = len(wanted - p.skills)
        if missing == len(wanted):
            return 0
        return 3 if not missing else 2 if missing == 1 and len(wanted) >= 3 else 1

    return grade


def role_and_skill(title: str, skill: str) -> Callable[[Profile], int]:
    """The role (2 now, 1 before) plus 1 for listing the skill."""
    wanted = skill_keys(skill)

    def grade(p: Profile) -> int:
        return min(3, p.title_grade(title) + int(wanted <= p.skills))

    return grade


def role_in(title: str, city: str) -> Callable[[Profile], int]:
    """The role graded as `role`, for people in the city only (the query filters on it)."""
    of_role = role(title)

    def grade(p: Profile) -> int:
        return of_role(p) if p.city == city else 0

    return grade


def seniority(title: str, low: float | None, high: float | None) -> Callable[[Profile], int]:
    """The role (2 now, 1 before) plus 1 when the years fit the seniority word."""

    def grade(p: Profile) -> int:
        fits = (low is None or p.years >= low) and (high is None or p.years <= high)
        held = p.title_grade(title)
        return held + int(fits) if held else 0

    return grade


def query_set() -> list[Query]:
    kinds: dict[str, list[tuple[str, Callable[[Profile], int], dict[str, Any]]]] = {
        "role": [
            (t.lower(), role(t), {})
            for t in [
                "Site Reliability Engineer", "Data Scientist", "Product Designer",
                "Backend Developer", "Project Manager", "Machine Learning Engineer",
                "UX Researcher", "Platform Engineer", "Supply Chain Analyst", "DevOps Engineer",
            ]
        ],
        "skills": [
            (" ".join(s).lower(), skills(*s), {})
            for s in [
                ("Kubernetes", "Terraform"), ("Python", "Airflow", "Snowflake"),
                ("Figma", "Prototyping"), ("React", "TypeScript", "GraphQL"),
                ("Spark", "Kafka", "Airflow"), ("SAP", "Logistics"),
                ("PyTorch", "Statistics", "SQL"), ("Prometheus", "Linux"),
                ("Rust", "Redis", "Docker"), ("Scrum", "Negotiation", "Excel"),
            ]
        ],
        "role_skill": [
            (f"{t} {s}".lower(), role_and_skill(t, s), {})
            for t, s in [
                ("Data Engineer", "Airflow"), ("Backend Developer", "Python"),
                ("Site Reliability Engineer", "Terraform"), ("Product Designer", "Figma"),
                ("Frontend Developer", "React"), ("Data Scientist", "PyTorch"),
                ("Project Manager", "Scrum"), ("Platform Engineer", "Kubernetes"),
                ("Mobile Developer", "Swift"), ("Analytics Engineer", "dbt"),
            ]
        ],
        "role_location": [
            (t.lower(), role_in(t, c), {"cities": [c]})
            for t, c in [
                ("Data Scientist", "Berlin"), ("Software Engineer", "Toronto"),
                ("DevOps Engineer", "London"), ("UX Researcher", "Paris"),
                ("Operations Manager", "Austin"), ("Frontend Developer", "Amsterdam"),
                ("Staff Engineer", "Zurich"), ("Program Manager", "Singapore"),
            ]
        ],
        "seniority": [
            (f"{w} {t}".lower(), seniority(t, low, high), {})
            for w, t, low, high in [
                ("senior", "Data Engineer", 8, None), ("senior", "Software Engineer", 8, None),
                ("junior", "Frontend Developer", None, 3), ("senior", "Product Designer", 8, None),
                ("lead", "DevOps Engineer", 10, None), ("experienced", "Project Manager", 5, None),
            ]
        ],
        "synonyms": [
            ("k8s", skills("Kubernetes"), {}),
            ("js react", skills("JavaScript", "React"), {}),
            ("postgres redis", skills("PostgreSQL", "Redis"), {}),
            ("golang docker", skills("Go", "Docker"), {}),
            ("ml pytorch", skills("Machine Learning", "PyTorch"), {}),
            ("aws terraform", skills("AWS", "Terraform"), {}),
        ],
        "misspellings": [
            ("kubernets", skills("Kubernetes"), {}),
            ("pyhton django", skills("Python", "Django"), {}),
            ("data scientst", role("Data Scientist"), {}),
            ("figam prototyping", skills("Figma", "Prototyping"), {}),
            ("terrafrom", skills("Terraform"), {}),
            ("prometeus linux", skills("Prometheus", "Linux"), {}),
        ],
    }  # fmt: skip
    return [
        Query(kind, text, grade, wanted, held_out=n % 3 == 2)
        for kind, cases in kinds.items()
        for n, (text, grade, wanted) in enumerate(cases)
    ]


# --- each engine's ranking --------------------------------------------------------------


def engine_ranking(engine: Engine) -> Callable[[Query], list[int]]:
    from api.resumes.candidate_search import CandidateFilter, index_filters
    from search.engine import SearchRequest

    def ranked(query: Query) -> list[int]:
        wanted = CandidateFilter.from_json(query.filter)
        result = engine.index.search(
            SearchRequest(
                query=query.text,
                filters=tuple(index_filters(engine.viewer, engine.circle, wanted)),
                limit=TOP,
                highlight=False,
                suggest=False,
                autocorrect=True,  # as searchCandidates asks
            )
        )
        return [int(hit.id) for hit in result.hits]

    return ranked


def fts5_ranking(fts5: Fts5) -> Callable[[Query], list[int]]:
    """bm25 over the same columns with the same weights, words ANDed as FTS5 does."""

    def ranked(query: Query) -> list[int]:
        condition, args = fts5.where(Case(query.kind, query.text, query.filter))
        words = " ".join(f'"{w}"' for w in query.text.split())
        rows = fts5.connection.execute(
            "SELECT c.id FROM fts JOIN candidate c ON c.id = fts.rowid "
            f"WHERE fts MATCH ? AND {condition} ORDER BY bm25(fts, {fts5.weights}) LIMIT {TOP}",
            [words, *args],
        )
        return [rid for (rid,) in rows]

    return ranked


def tantivy_ranking(tantivy: Tantivy) -> Callable[[Query], list[int]]:
    """BM25 over the same fields with the same boosts; words ANDed like the others."""

    def ranked(query: Query) -> list[int]:
        text = " ".join(f"+{w}" for w in query.text.split())
        built = tantivy.query(Case(query.kind, None, query.filter))
        parsed = tantivy.index.parse_query(text, list(FIELDS), field_boosts=WEIGHTS)
        occur = tantivy.tantivy.Occur
        combined = tantivy.tantivy.Query.boolean_query([(occur.Must, built), (occur.Must, parsed)])
        searcher = tantivy.index.searcher()
        hits = searcher.search(combined, TOP).hits
        return [int(searcher.doc(address)["id"][0]) for _, address in hits]

    return ranked


# --- the measures -----------------------------------------------------------------------


def dcg(grades: Iterable[int]) -> float:
    return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(grades))


@dataclass
class Scores:
    ndcg10: float
    mrr: float
    p10: float


def score(query: Query, ranked: list[int], by_id: dict[int, Profile], ideal: list[int]) -> Scores:
    grades = [query.grade(by_id[rid]) for rid in ranked[:TOP]]
    best = dcg(ideal[:TOP])
    first = next((n for n, g in enumerate(grades) if g >= RELEVANT), None)
    return Scores(
        ndcg10=dcg(grades) / best if best else 0.0,
        mrr=0.0 if first is None else 1 / (first + 1),
        p10=sum(g >= RELEVANT for g in grades) / TOP,
    )


def mean(scores: list[Scores]) -> dict[str, float]:
    if not scores:
        return {"ndcg10": 0.0, "mrr": 0.0, "p10": 0.0}
    return {
        name: round(sum(getattr(s, name) for s in scores) / len(scores), 4)
        for name in ("ndcg10", "mrr", "p10")
    }


def evaluate(
    name: str, ranked: Callable[[Query], list[int]], queries: list[Query], judged: list[Profile]
) -> dict[str, Any]:
    by_id = {p.id: p for p in judged}
    visible = [p for p in judged if p.visible]
    per_query: list[tuple[Query, Scores]] = []
    started = time.perf_counter()
    for query in queries:
        ideal = sorted(
            (g for p in visible if (g := query.grade(p)) and _passes(p, query.filter)),
            reverse=True,
        )
        per_query.append((query, score(query, ranked(query), by_id, ideal)))
    print(f"  {name}: {len(queries)} queries in {time.perf_counter() - started:.1f} s")
    kinds = list(dict.fromkeys(q.kind for q in queries))
    return {
        **mean([s for _, s in per_query]),
        "tuning": mean([s for q, s in per_query if not q.held_out]),
        "held_out": mean([s for q, s in per_query if q.held_out]),
        "kinds": {
            kind: {
                **mean([s for q, s in per_query if q.kind == kind]),
                "held_out": mean([s for q, s in per_query if q.kind == kind and q.held_out]),
            }
            for kind in kinds
        },
        "queries": {q.text: round(s.ndcg10, 4) for q, s in per_query},
    }


def _passes(profile: Profile, wanted: dict[str, Any]) -> bool:
    cities = wanted.get("cities")
    return not cities or profile.city in cities


# --- a small hand-judged set on the demo data -------------------------------------------

#: Queries a recruiter of the demo network (`confrere seed --demo`) might type, with the resumes
#: a person judged by reading them: the pooled top 10 of the three engines, each read for its
#: current title, history and listed skills. 3 is what was asked for, 2 close (the role held
#: before, or a near role with the skill), 1 related; every other resume counts 0. Keys are the
#: owners' names, which the seeded demo keeps from one machine to the next.
DEMO_JUDGMENTS: dict[str, dict[str, int]] = {
    "machine learning engineer": {
        "Tomas Atzler": 3, "Astrid Baudry": 3, "Krista Kelley": 3, "Tiziano Torricelli": 3,
        "Hailey Greij": 3,
    },
    "data engineer kafka": {
        "David Shaw": 3, "Achim Schmiedecke": 3, "Terence Newton": 3, "Lena Fischer": 3,
        "Lorraine Gray": 1, "Astrid Baudry": 1,
    },
    "senior software engineer go": {
        "Ernst Juncken": 3, "Lutz Häring": 3, "Karen Willis": 2, "Diego Montenegro": 2,
        "Adeline Stiebitz": 2, "Laurence Berthelot": 1,
    },
    "product designer": {
        "Grace Johnson": 3, "John Mendez": 3, "Larissa Schaaf": 3, "Danilo Dörschner": 3,
        "Emmanuelle Foucher": 3, "William Heath": 2, "Roselinde Schinke": 1,
        "Amelia van de Wal": 1,
    },
    "frontend developer typescript": {
        "Adeline Stiebitz": 3, "Laurence Berthelot": 3, "Curtis Walker": 3,
        "Diego Montenegro": 1,
    },
    "backend developer graphql": {
        "Carolyn Hawkins": 3, "Georges Julien": 2, "Lutz Häring": 2, "Else Röhricht": 1,
    },
    "data scientist": {
        "Raymond Bennett": 3, "Johnny Miller": 3, "Joan Yates": 3, "David Shaw": 2,
        "Hailey Greij": 2, "Tomas Atzler": 2,
    },
    "designer figma": {
        "Grace Johnson": 3, "Danilo Dörschner": 3, "Roselinde Schinke": 3, "William Heath": 3,
        "Larissa Schaaf": 3, "Amelia van de Wal": 2, "Frieda Dobes": 1, "Phileine Nek": 1,
    },
    "quantitative analyst": {
        "Encarna Casanova": 3, "Heinz Klotz": 3, "Hayley Hall": 3, "Guido Lussu": 3,
    },
    "architect": {
        "Donald Powell": 3, "Michael Aguilar": 3, "Jennifer Patterson": 3, "Ekrem Mitschke": 3,
        "Javier Crespi": 3,
    },
}  # fmt: skip


async def seed_demo_database(settings: Any) -> None:
    from api.demo import seed_demo

    engine = db.use_database(settings)
    await db.open_pool(engine)
    try:
        await db.migrate()
        await seed_demo(settings)
    finally:
        await db.close_pool(engine)


def demo_leg(workdir: Path, procs: int, has_tantivy: bool) -> dict[str, dict[str, float]]:
    """The hand-judged queries on the demo network, through the same three engines."""
    settings = bench_settings(workdir)
    if not (workdir / "built").exists():
        shutil.rmtree(workdir, ignore_errors=True)
        settings.ensure_data_dir()
        print("demo network: seeding and indexing")
        asyncio.run(seed_demo_database(settings))
        asyncio.run(build_engine(settings, procs))
        build_fts5(settings, workdir / "fts5.sqlite3")
        if has_tantivy:
            build_tantivy(settings, workdir / "tantivy", procs)
        (workdir / "built").write_text("demo\n")
    source = sqlite3.connect(settings.sqlite_path)
    try:
        owner_of = dict(
            source.execute("SELECT r.id, a.name FROM resume r JOIN account a ON a.id = r.owner")
        )
    finally:
        source.close()
    missing = {n for judged in DEMO_JUDGMENTS.values() for n in judged} - set(owner_of.values())
    if missing:
        # the demo data changed since the judging: judge its resumes again
        print(f"judged resumes no longer in the demo network: {', '.join(sorted(missing))}")
    engines: list[tuple[str, Any, Callable[[Any], Callable[[Query], list[int]]]]] = [
        ("confrere", Engine(settings), engine_ranking),
        ("fts5", Fts5(settings, workdir / "fts5.sqlite3"), fts5_ranking),
    ]
    if has_tantivy:
        engines.append(("tantivy", Tantivy(settings, workdir / "tantivy"), tantivy_ranking))
    results = {}
    for name, searcher, ranking in engines:
        ranked = ranking(searcher)
        scores = []
        for text, judged in DEMO_JUDGMENTS.items():
            grades = [
                judged.get(owner_of[rid], 0)
                for rid in ranked(Query("demo", text, grade=lambda _: 0))
            ]
            ideal = sorted(judged.values(), reverse=True)[:TOP]
            first = next((n for n, g in enumerate(grades) if g >= RELEVANT), None)
            scores.append(
                Scores(
                    ndcg10=dcg(grades) / dcg(ideal),
                    mrr=0.0 if first is None else 1 / (first + 1),
                    p10=sum(g >= RELEVANT for g in grades) / TOP,
                )
            )
        searcher.close()
        results[name] = mean(scores)
    print(f"\nhand-judged on the demo network ({len(DEMO_JUDGMENTS)} queries)")
    for name, figures in results.items():
        print(f"  {name:9} nDCG@10 {figures['ndcg10']:.3f}  MRR {figures['mrr']:.3f}  "
              f"P@10 {figures['p10']:.3f}")  # fmt: skip
    return results


# --- the run ----------------------------------------------------------------------------


def report(results: dict[str, dict[str, Any]], queries: list[Query]) -> None:
    names = list(results)
    kinds = list(dict.fromkeys(q.kind for q in queries))
    header = "  ".join(f"{n + ' nDCG/MRR/P@10':>26}" for n in names)
    print(f"\n{'kind':14} {'n':>3}  {header}")
    rows = [(kind, kind) for kind in kinds] + [("all", None), ("tuning", "t"), ("held out", "h")]
    for label, key in rows:
        cells = []
        for name in names:
            r = results[name]
            part = (
                r["kinds"][key] if key in r["kinds"] else
                r["tuning"] if key == "t" else r["held_out"] if key == "h" else r
            )  # fmt: skip
            cells.append(f"{part['ndcg10']:>10.3f} /{part['mrr']:>6.3f} /{part['p10']:>6.3f}")
        count = sum(
            1
            for q in queries
            if key is None or q.kind == key or (key == "t" and not q.held_out)
            or (key == "h" and q.held_out)
        )  # fmt: skip
        print(f"{label:14} {count:>3}  " + "  ".join(f"{c:>26}" for c in cells))
    peers = [n for n in names if n != "confrere"]
    print()
    for kind in kinds:
        own = results["confrere"]["kinds"][kind]["held_out"]["ndcg10"]
        best = max((results[p]["kinds"][kind]["held_out"]["ndcg10"] for p in peers), default=0)
        verdict = "ok" if own >= best else "below"
        print(f"held-out nDCG@10 {kind:14} confrere {own:.3f}  best peer {best:.3f}  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--procs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--workdir", type=Path, help="Keep (and reuse) the data here.")
    options = parser.parse_args()
    workdir = options.workdir or Path(tempfile.mkdtemp(prefix="confrere-relevance-"))
    settings = bench_settings(workdir)
    has_tantivy = tantivy_installed()
    if not has_tantivy:
        print(TANTIVY_MISSING)
    try:
        if not (workdir / "built").exists():
            settings.ensure_data_dir()
            print(f"corpus: {options.docs} synthetic resumes (seed {options.seed})")
            asyncio.run(fill_database(settings, options.docs, options.seed))
            asyncio.run(build_engine(settings, options.procs))
            build_fts5(settings, workdir / "fts5.sqlite3")
            if has_tantivy:
                shutil.rmtree(workdir / "tantivy", ignore_errors=True)
                build_tantivy(settings, workdir / "tantivy", options.procs)
            (workdir / "built").write_text(f"{options.docs} {options.seed}\n")
        judged = profiles(settings)
        queries = query_set()
        print(f"judging {len(queries)} queries over {len(judged)} resumes")
        engine = Engine(settings)
        fts5 = Fts5(settings, workdir / "fts5.sqlite3")
        results = {
            "confrere": evaluate("confrere", engine_ranking(engine), queries, judged),
            "fts5": evaluate("fts5", fts5_ranking(fts5), queries, judged),
        }
        engine.close()
        fts5.close()
        if has_tantivy:
            tantivy = Tantivy(settings, workdir / "tantivy")
            results["tantivy"] = evaluate("tantivy", tantivy_ranking(tantivy), queries, judged)
            tantivy.close()
        report(results, queries)
        demo = demo_leg(workdir / "demo", options.procs, has_tantivy)
    finally:
        if not options.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    print(
        json.dumps(
            {
                "docs": len(judged),
                "queries": len(queries),
                "held_out_queries": sum(q.held_out for q in queries),
                **{
                    name: {k: v for k, v in r.items() if k != "queries"}
                    for name, r in results.items()
                },
                "demo": demo,
                "tantivy_installed": has_tantivy,
            }
        )
    )


if __name__ == "__main__":
    main()

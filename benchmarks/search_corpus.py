"""Deterministic synthetic resumes for the search benchmark, built from precomputed word pools."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from faker.providers.lorem.en_US import Provider as Lorem

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
GENERAL_SKILLS = [
    "Communication", "Leadership", "Mentoring", "Public Speaking", "Agile", "Jira", "Git",
    "Confluence", "Vue", "Angular", "Node.js", "C++", "C#", ".NET", "Scala", "Haskell", "Elixir",
    "Ruby", "Rails", "PHP", "Laravel", "MySQL", "MongoDB", "Cassandra", "Elasticsearch",
    "RabbitMQ", "gRPC", "REST", "OAuth", "Azure", "GCP", "Helm", "Jenkins", "GitHub Actions",
    "CircleCI", "Grafana", "Datadog", "Splunk", "Hadoop", "Hive", "Flink", "Looker", "Power BI",
    "R", "MATLAB", "NumPy", "scikit-learn", "TensorFlow", "Keras", "NLP", "Computer Vision",
    "Product Management", "Roadmapping", "Stakeholder Management", "Budgeting", "Hiring",
    "Technical Writing", "Security", "Penetration Testing", "Networking", "Bash", "Vim",
    "Photoshop", "Illustrator", "InVision", "Usability Testing", "Copywriting", "SEO",
    "Salesforce", "HubSpot", "Six Sigma", "Kanban", "Procurement", "Forecasting",
    "Inventory Management", "Quality Assurance", "Selenium", "Cypress", "Playwright",
    "WebAssembly", "Unity", "OpenGL", "Embedded C", "FPGA", "Verilog", "Microservices",
]  # fmt: skip
VERBS = ["built", "designed", "scaled", "migrated", "automated", "led", "shipped", "optimized",
         "maintained", "launched", "mentored", "refactored", "introduced", "owned", "rewrote",
         "drove", "simplified", "standardized", "coordinated", "delivered"]  # fmt: skip
OBJECTS = ["data pipelines", "payment services", "search infrastructure", "mobile apps",
           "design systems", "reporting dashboards", "streaming platforms", "internal tools",
           "customer onboarding", "supply chains", "machine learning models", "APIs",
           "site reliability practices", "billing systems", "release processes",
           "observability tooling", "recommendation engines", "checkout flows"]  # fmt: skip
OUTCOMES = ["reducing latency by", "cutting costs by", "raising conversion by",
            "improving uptime by", "saving engineering time by", "growing revenue by",
            "shrinking build times by", "lowering error rates by"]  # fmt: skip
PLACES = [("Berlin", "Berlin", "DE"), ("Munich", "Bavaria", "DE"), ("Hamburg", "Hamburg", "DE"),
          ("Cologne", "North Rhine-Westphalia", "DE"), ("Toronto", "Ontario", "CA"),
          ("Vancouver", "British Columbia", "CA"), ("Montreal", "Quebec", "CA"),
          ("Zurich", "Zurich", "CH"), ("Geneva", "Geneva", "CH"), ("Paris", "Ile-de-France", "FR"),
          ("Lyon", "Auvergne-Rhone-Alpes", "FR"), ("London", "England", "GB"),
          ("Manchester", "England", "GB"), ("Edinburgh", "Scotland", "GB"),
          ("Austin", "Texas", "US"), ("Seattle", "Washington", "US"),
          ("New York", "New York", "US"), ("San Francisco", "California", "US"),
          ("Chicago", "Illinois", "US"), ("Boston", "Massachusetts", "US"),
          ("Amsterdam", "North Holland", "NL"), ("Rotterdam", "South Holland", "NL"),
          ("Stockholm", "Stockholm", "SE"), ("Gothenburg", "Vastra Gotaland", "SE"),
          ("Milan", "Lombardy", "IT"), ("Rome", "Lazio", "IT"), ("Madrid", "Madrid", "ES"),
          ("Barcelona", "Catalonia", "ES"), ("Lisbon", "Lisbon", "PT"), ("Dublin", "Leinster", "IE"),
          ("Warsaw", "Masovia", "PL"), ("Prague", "Prague", "CZ"), ("Vienna", "Vienna", "AT"),
          ("Copenhagen", "Capital Region", "DK"), ("Oslo", "Oslo", "NO"),
          ("Helsinki", "Uusimaa", "FI"), ("Tokyo", "Tokyo", "JP"), ("Osaka", "Osaka", "JP"),
          ("Singapore", "Singapore", "SG"), ("Sydney", "New South Wales", "AU"),
          ("Melbourne", "Victoria", "AU"), ("Bangalore", "Karnataka", "IN"),
          ("Sao Paulo", "Sao Paulo", "BR"), ("Cape Town", "Western Cape", "ZA")]  # fmt: skip
SCHOOL_NAMES = ["Technical University of Munich", "University of Toronto", "ETH Zurich",
                "University of Michigan", "Sorbonne University", "University of Edinburgh",
                "Politecnico di Milano", "KTH Royal Institute of Technology",
                "University of Tokyo", "University of Cape Town",
                "National University of Singapore", "MIT", "Stanford University",
                "Carnegie Mellon University", "Imperial College London", "EPFL",
                "Delft University of Technology", "University of Washington",
                "Georgia Institute of Technology", "University of Amsterdam"]  # fmt: skip
AREAS = ["Computer Science", "Mathematics", "Physics", "Design", "Economics",
         "Electrical Engineering", "Statistics", "Business Administration", "Psychology"]  # fmt: skip
DEGREES = ["Bachelor", "Master", "PhD"]
LANGUAGES = ["English", "German", "French", "Spanish", "Italian", "Japanese", "Swedish",
             "Portuguese", "Dutch", "Polish"]  # fmt: skip
FIRST = ["Ada", "Grace", "Alan", "Linus", "Margaret", "Barbara", "Ken", "Dennis", "Frances",
         "Edsger", "Donald", "Radia", "Guido", "Anita", "John", "Katherine", "Tim", "Hedy",
         "Sophie", "Mateo", "Aiko", "Lars", "Priya", "Omar", "Chloe", "Yuki", "Nia", "Felix"]  # fmt: skip
LAST = ["Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Liskov", "Thompson", "Ritchie",
        "Allen", "Dijkstra", "Knuth", "Perlman", "Rossum", "Borg", "McCarthy", "Johnson",
        "Nakamura", "Schmidt", "Rossi", "Dubois", "Novak", "Larsen", "Okafor", "Silva"]  # fmt: skip
VISIBILITIES = ["PUBLIC"] * 5 + ["EMPLOYERS"] * 3 + ["MEMBERS", "CONNECTIONS", "PRIVATE"]
SYLLABLES = ["ka", "lo", "mi", "tre", "sun", "bar", "vel", "dor", "pin", "qua", "ros", "tel",
             "ny", "gar", "fen", "lux", "mor", "dai", "zen", "cor", "bri", "sol", "ven", "hal"]  # fmt: skip

VOCABULARY_SIZE = 8000
SENTENCES = 40_000
HIGHLIGHTS = 20_000


@dataclass(frozen=True)
class Pools:
    """Everything a resume is drawn from; the same for the same seed."""

    vocabulary: list[str]
    sentences: list[str]
    highlights: list[str]
    companies: list[str]
    schools: list[str]


def vocabulary(seed: int) -> list[str]:
    """Domain words first, then English words, then made-up words: the long tail real
    resumes have (names of products, places and in-house tools)."""
    rng = np.random.default_rng(seed)
    words: dict[str, None] = {}
    for text in [*VERBS, *OBJECTS, *OUTCOMES, *AREAS]:
        words.update(dict.fromkeys(text.lower().split()))
    words.update(dict.fromkeys(w for w in Lorem.word_list if w.isalpha()))
    while len(words) < VOCABULARY_SIZE:
        parts = rng.integers(0, len(SYLLABLES), size=rng.integers(2, 5))
        words["".join(SYLLABLES[p] for p in parts)] = None
    return list(words)[:VOCABULARY_SIZE]


def word_pools(seed: int) -> Pools:
    """Sentences drawn once, Zipf-distributed over the vocabulary, then reused by reference."""
    rng = np.random.default_rng(seed)
    words = np.array(vocabulary(seed), dtype=object)
    weights = 1.0 / (np.arange(len(words)) + 10.0)
    weights /= weights.sum()
    skills = sorted({s for _, track in TRACKS.values() for s in track} | set(GENERAL_SKILLS))

    def filler(count: int, low: int, high: int) -> list[str]:
        lengths = rng.integers(low, high, size=count)
        drawn = rng.choice(words, size=int(lengths.sum()), p=weights)
        bounds = np.concatenate([[0], np.cumsum(lengths)])
        return [" ".join(drawn[bounds[i] : bounds[i + 1]]) for i in range(count)]

    verbs = rng.integers(0, len(VERBS), size=SENTENCES)
    objects = rng.integers(0, len(OBJECTS), size=SENTENCES)
    tools = rng.integers(0, len(skills), size=SENTENCES)
    tails = filler(SENTENCES, 5, 14)
    sentences = [
        f"{VERBS[verbs[i]].capitalize()} {OBJECTS[objects[i]]} {tails[i]} with {skills[tools[i]]}."
        for i in range(SENTENCES)
    ]
    verbs = rng.integers(0, len(VERBS), size=HIGHLIGHTS)
    objects = rng.integers(0, len(OBJECTS), size=HIGHLIGHTS)
    outcomes = rng.integers(0, len(OUTCOMES), size=HIGHLIGHTS)
    percents = rng.integers(5, 80, size=HIGHLIGHTS)
    tails = filler(HIGHLIGHTS, 2, 6)
    highlights = [
        f"{VERBS[verbs[i]].capitalize()} {OBJECTS[objects[i]]} for {tails[i]}, "
        f"{OUTCOMES[outcomes[i]]} {percents[i]}%"
        for i in range(HIGHLIGHTS)
    ]
    prefixes = ["Globex", "Initech", "Hooli", "Umbrella", "Vandelay", "Acme", "Stark", "Wayne",
                "Tyrell", "Cyberdyne", "Soylent", "Wonka"]  # fmt: skip
    made_up = [w.capitalize() for w in words[-600:]]
    suffixes = ["Labs", "Systems", "Analytics", "Industries", "Group", "GmbH", "Health", "Bank"]
    companies = [f"{a} {b}" for a in [*prefixes, *made_up] for b in suffixes]
    schools = [*SCHOOL_NAMES, *(f"University of {city}" for city, _, _ in PLACES)]
    return Pools(list(words), sentences, highlights, companies, schools)


def resumes(count: int, seed: int, today: datetime) -> Iterator[dict[str, Any]]:
    """`count` JSON Resume documents, each with 2-6 jobs, a few-sentence summary, 10-30
    skills, a location and education, plus `visibility` and `updated_days` (not part of
    JSON Resume) for the benchmark to store."""
    pools = word_pools(seed)
    rng = np.random.default_rng(seed + 1)
    tracks = list(TRACKS.values())
    general = np.array(GENERAL_SKILLS, dtype=object)
    batch = 1000
    for start in range(0, count, batch):
        size = min(batch, count - start)
        # One block of random integers per batch; each resume takes its draws by column.
        draws = rng.integers(0, 2**31 - 1, size=(size, 96))
        for row in draws:
            yield resume(pools, tracks, general, row, today)


def resume(
    pools: Pools,
    tracks: list[tuple[list[str], list[str]]],
    general: Any,
    draws: Any,
    today: datetime,
) -> dict[str, Any]:
    d = iter(int(x) for x in draws)
    titles, track_skills = tracks[next(d) % len(tracks)]
    city, region, country = PLACES[next(d) % len(PLACES)]
    jobs = 2 + next(d) % 5
    cursor = today.year - 1 - next(d) % 4
    work = []
    for _ in range(jobs):
        span = 1 + next(d) % 5
        sentences = 2 + next(d) % 3
        first = next(d)
        highlights = 2 + next(d) % 4
        top = next(d)
        end = f"{cursor}-{1 + next(d) % 12:02d}"
        work.append(
            {
                "name": pools.companies[next(d) % len(pools.companies)],
                "position": titles[next(d) % len(titles)],
                "startDate": f"{cursor - span}-{1 + next(d) % 12:02d}",
                **({"endDate": end} if work else {}),
                "summary": " ".join(
                    pools.sentences[(first + k * 7919) % len(pools.sentences)]
                    for k in range(sentences)
                ),
                "highlights": [
                    pools.highlights[(top + k * 104_729) % len(pools.highlights)]
                    for k in range(highlights)
                ],
            }
        )
        cursor -= span
    wanted = 10 + next(d) % 21
    own = min(len(track_skills), wanted // 2 + next(d) % 4)
    start = next(d) % len(track_skills)
    chosen = [track_skills[(start + k) % len(track_skills)] for k in range(own)]
    step = next(d) % 50 + 1
    offset = next(d)
    for k in range(len(general)):
        if len(chosen) >= wanted:
            break
        skill = general[(offset + k * step) % len(general)]
        if skill not in chosen:
            chosen.append(skill)
    summary_first = next(d)
    education = [
        {
            "institution": pools.schools[next(d) % len(pools.schools)],
            "studyType": DEGREES[next(d) % len(DEGREES)],
            "area": AREAS[next(d) % len(AREAS)],
            "endDate": str(cursor - next(d) % 3),
        }
        for _ in range(1 + next(d) % 2)
    ]
    languages = [LANGUAGES[(next(d) + k) % len(LANGUAGES)] for k in range(1 + next(d) % 3)]
    return {
        "basics": {
            "name": f"{FIRST[next(d) % len(FIRST)]} {LAST[next(d) % len(LAST)]}",
            "label": work[0]["position"],
            "summary": " ".join(
                pools.sentences[(summary_first + k * 15_485_863) % len(pools.sentences)]
                for k in range(3 + next(d) % 3)
            ),
            "location": {"city": city, "region": region, "countryCode": country},
        },
        "work": work,
        "education": education,
        "skills": [{"name": skill} for skill in chosen],
        "languages": [{"language": lang} for lang in dict.fromkeys(languages)],
        "visibility": VISIBILITIES[next(d) % len(VISIBILITIES)],
        "updated_days": next(d) % 900,
    }

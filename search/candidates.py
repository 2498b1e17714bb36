"""The candidates index: one document per resume, with its audience inside.

`api` hands over plain dictionaries (see `CandidateDocument`); this module decides how each
part is analyzed, boosted, filtered and faceted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from whoosh import columns, fields
from whoosh.analysis import RegexTokenizer

from search.analysis import plain_analyzer, prose_analyzer, skill_analyzer, skill_table
from search.engine import IndexSpec
from search.interface import RangeWord
from search.terms import Text

SEPARATOR = "\x1f"

#: Seniority words in a query rank by years of experience (`months`) instead of requiring
#: the word: few resumes say "senior", while their work history says how long. The years
#: are the common reading of each word in job ads.
SENIORITY_WORDS = {
    "intern": RangeWord("months", high=12),
    "entry": RangeWord("months", high=24),
    "graduate": RangeWord("months", high=24),
    "junior": RangeWord("months", high=36),
    "mid": RangeWord("months", low=36, high=84),
    "intermediate": RangeWord("months", low=36, high=84),
    "experienced": RangeWord("months", low=60),
    "senior": RangeWord("months", low=72),
    "lead": RangeWord("months", low=96),
    "principal": RangeWord("months", low=120),
}

#: Experience buckets for the facet: label and the years it starts at.
EXPERIENCE_BUCKETS = (("0-2", 0), ("3-5", 3), ("6-10", 6), ("11-15", 11), ("16+", 16))


def keyword_list(**options: Any) -> fields.KEYWORD:
    """A keyword field taking several values (display forms kept, compared folded)."""
    field = fields.KEYWORD(scorable=False, **options)
    field.analyzer = RegexTokenizer(rf"[^{SEPARATOR}]+")
    return field


def join_values(values: Any) -> str:
    """Several values of a keyword field, as one stored text."""
    return SEPARATOR.join([text for v in values or [] if (text := str(v).strip())])


def skills_and_keys(values: Any) -> tuple[list[str], list[str]]:
    """The skills as written, and their keys: known skills by their canonical name
    ("PostgreSQL" for "postgres"), others as written, each once."""
    table = skill_table()
    skills = [s for s in values or [] if isinstance(s, str) and s.strip()]
    keys = list(
        dict.fromkeys(
            table.display(key) if (key := table.canonical(s)) in table.canonical_names else s
            for s in skills
        )
    )
    return skills, keys


def experience_bucket(years: float) -> str:
    label = EXPERIENCE_BUCKETS[0][0]
    for name, start in EXPERIENCE_BUCKETS:
        if years >= start:
            label = name
    return label


SCHEMA = fields.Schema(
    id=fields.ID(stored=True, unique=True),
    owner=fields.ID(),
    audience=fields.ID(),
    owner_orgs=keyword_list(),
    excluded_orgs=keyword_list(),
    has_exclusions=fields.ID(),
    open_to_work=fields.ID(),
    workplace=keyword_list(),
    name=Text(analyzer=plain_analyzer(), field_boost=2.0),
    title=Text(analyzer=prose_analyzer(), field_boost=3.0, stored=True),
    skills=Text(analyzer=skill_analyzer(), field_boost=3.0, stored=True),
    summary=Text(analyzer=prose_analyzer(), field_boost=1.5, stored=True),
    work=Text(analyzer=prose_analyzer(), field_boost=1.0, stored=True),
    companies=Text(analyzer=plain_analyzer(), field_boost=1.5),
    schools=Text(analyzer=plain_analyzer(), field_boost=1.0),
    skill_keys=keyword_list(),
    company_keys=keyword_list(),
    school_keys=keyword_list(),
    title_key=keyword_list(),
    degrees=keyword_list(),
    graduation_years=keyword_list(),
    languages=keyword_list(),
    city=keyword_list(),
    region=keyword_list(),
    country=keyword_list(),
    location=keyword_list(),
    experience=keyword_list(),
    # Numbers live in columns only: ranges, sorts and recency are read as arrays (numpy),
    # so Whoosh's numeric trie terms would cost a third of the indexing time for nothing.
    # (Integers: whoosh 2.7.4's float columns cannot be written, a struct.pack bug.)
    months=fields.COLUMN(columns.NumericColumn("i")),
    updated=fields.COLUMN(columns.NumericColumn("q")),
    spelling=Text(analyzer=plain_analyzer(), phrase=False),
)


def to_fields(document: Mapping[str, Any]) -> dict[str, Any]:
    """The index fields of one plain candidate document: `id`, `owner`, `audience`,
    `owner_organizations`, `excluded_organizations`, `open_to_work` ("", "PUBLIC" or
    "EMPLOYERS"), `workplace_types`, `name`, `title`, `headline`, `summary`, `work` (JSON
    Resume work entries), `companies`, `schools`, `degrees`, `graduation_years`, `languages`,
    `skills`, `city`, `region`, `country`, `years` (of experience), `updated` (seconds since
    the epoch)."""
    skills, skill_keys = skills_and_keys(document.get("skills"))
    work_text = "\n".join(
        " ".join(
            str(part)
            for part in (
                entry.get("position"),
                entry.get("name"),
                entry.get("summary"),
                *(entry.get("highlights") or []),
            )
            if part
        )
        for entry in document.get("work") or []
    )
    title = document.get("title") or ""
    headline = document.get("headline") or ""
    summary = document.get("summary") or ""
    city = document.get("city") or ""
    country = document.get("country") or ""
    location = ", ".join(part for part in (city, country) if part)
    years = float(document.get("years") or 0.0)
    excluded = document.get("excluded_organizations") or []
    return {
        "id": str(document["id"]),
        "owner": str(document.get("owner") or ""),
        "audience": document.get("audience") or "PRIVATE",
        "owner_orgs": join_values(document.get("owner_organizations")),
        "excluded_orgs": join_values(excluded),
        "has_exclusions": "1" if excluded else "0",
        "open_to_work": document.get("open_to_work") or "NONE",
        "workplace": join_values(document.get("workplace_types")),
        "name": document.get("name") or "",
        "title": " — ".join(part for part in (title, headline) if part),
        "skills": "\n".join(skills),
        "summary": summary,
        "work": work_text,
        "companies": "\n".join(document.get("companies") or []),
        "schools": "\n".join(document.get("schools") or []),
        "skill_keys": join_values(skill_keys),
        "company_keys": join_values(document.get("companies")),
        "school_keys": join_values(document.get("schools")),
        "title_key": join_values([title] if title else []),
        "degrees": join_values(document.get("degrees")),
        "graduation_years": join_values(document.get("graduation_years")),
        "languages": join_values(document.get("languages")),
        "city": join_values([city] if city else []),
        "region": join_values([document.get("region")] if document.get("region") else []),
        "country": join_values([country] if country else []),
        "location": join_values([location] if location else []),
        "experience": experience_bucket(years),
        "months": round(years * 12),
        "updated": round(float(document.get("updated") or 0) * 1000),  # milliseconds
        # What "did you mean" corrects against: unstemmed words of the short, telling fields,
        # each once (frequencies do not matter here, and the long work history would
        # cost a third of the index's postings for little).
        "spelling": " ".join(
            dict.fromkeys(
                " ".join(
                    [document.get("name") or "", title, headline, summary, *skills, *skill_keys]
                ).split()
            )
        ),
    }


CANDIDATES = IndexSpec(
    name="candidates",
    schema=SCHEMA,
    to_fields=to_fields,
    default_fields={
        "title": 3.0,
        "skills": 3.0,
        "name": 2.0,
        "summary": 1.5,
        "companies": 1.5,
        "schools": 1.0,
        "work": 1.0,
    },
    field_aliases={
        "title": ("title",),
        "skill": ("skills",),
        "company": ("companies",),
        "school": ("schools",),
        "name": ("name",),
    },
    facet_fields={
        "skills": "skill_keys",
        "locations": "location",
        "schools": "school_keys",
        "titles": "title_key",
        "experience": "experience",
    },
    keyword_fields=frozenset(
        {
            "skill_keys",
            "company_keys",
            "school_keys",
            "title_key",
            "degrees",
            "languages",
            "city",
            "region",
            "country",
            "location",
            "workplace",
        }
    ),
    highlight_fields=("title", "skills", "summary", "work"),
    spelling_field="spelling",
    recency_field="updated",
    recency_unit_seconds=0.001,
    skill_field="skills",
    range_words=SENIORITY_WORDS,
)

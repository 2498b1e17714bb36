"""The jobs index: one document per PUBLISHED posting (others are removed from it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from whoosh import columns, fields

from search.analysis import plain_analyzer, prose_analyzer, skill_analyzer
from search.candidates import join_values, keyword_list, skills_and_keys
from search.engine import IndexSpec
from search.terms import Text

SCHEMA = fields.Schema(
    id=fields.ID(stored=True, unique=True),
    organization=fields.ID(),
    members_only=fields.ID(),
    title=Text(analyzer=prose_analyzer(), field_boost=3.0, stored=True),
    description=Text(analyzer=prose_analyzer(), stored=True),
    skills=Text(analyzer=skill_analyzer(), field_boost=2.0, stored=True),
    company=Text(analyzer=plain_analyzer(), field_boost=1.5),
    skill_keys=keyword_list(),
    employment_types=keyword_list(),
    workplace=keyword_list(),
    city=keyword_list(),
    country=keyword_list(),
    location=keyword_list(),
    organization_name=keyword_list(),
    salary=fields.COLUMN(columns.NumericColumn("q")),
    posted=fields.COLUMN(columns.NumericColumn("q")),
    spelling=Text(analyzer=plain_analyzer(), phrase=False),
)


def to_fields(document: Mapping[str, Any]) -> dict[str, Any]:
    """The index fields of one plain job document: `id`, `organization` (its id),
    `organization_name`, `members_only` ("" for everyone, else the organization id), `title`,
    `description`, `skills`, `employment_types`, `workplace_type`, `cities` and `countries`
    (pairwise), `salary_floor` (the yearly maximum, for "pays at least"), `posted` (seconds
    since the epoch)."""
    skills, keys = skills_and_keys(document.get("skills"))
    cities = document.get("cities") or []
    countries = document.get("countries") or []
    locations = [", ".join(p for p in (c, k) if p) for c, k in zip(cities, countries, strict=False)]
    title = document.get("title") or ""
    return {
        "id": str(document["id"]),
        "organization": str(document.get("organization") or ""),
        "members_only": str(document.get("members_only") or "NONE"),
        "title": title,
        "description": document.get("description") or "",
        "skills": "\n".join(skills),
        "company": document.get("organization_name") or "",
        "skill_keys": join_values(keys),
        "employment_types": join_values(document.get("employment_types")),
        "workplace": join_values([document.get("workplace_type")]),
        "city": join_values(cities),
        "country": join_values(countries),
        "location": join_values(locations or countries),
        "organization_name": join_values([document.get("organization_name")]),
        "salary": int(document.get("salary_floor") or 0),
        "posted": round(float(document.get("posted") or 0) * 1000),
        "spelling": " ".join(dict.fromkeys(" ".join([title, *skills, *keys]).split())),
    }


JOBS = IndexSpec(
    name="jobs",
    schema=SCHEMA,
    to_fields=to_fields,
    default_fields={"title": 3.0, "skills": 2.0, "company": 1.5, "description": 1.0},
    field_aliases={
        "title": ("title",),
        "skill": ("skills",),
        "company": ("company",),
    },
    facet_fields={
        "employmentTypes": "employment_types",
        "workplaceTypes": "workplace",
        "locations": "location",
        "skills": "skill_keys",
        "organizations": "organization_name",
    },
    keyword_fields=frozenset(
        {
            "skill_keys",
            "employment_types",
            "workplace",
            "city",
            "country",
            "location",
            "organization_name",
        }
    ),
    highlight_fields=("title", "skills", "description"),
    spelling_field="spelling",
    recency_field="posted",
    recency_unit_seconds=0.001,
    skill_field="skills",
)

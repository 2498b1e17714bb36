"""The directory people index: one document per listed, active membership, for one audience.

An organization's directory is seen by two audiences: its members (and admins) and, when the
organization opens it, the public. Each audience has its own index built from this spec
(`directory_spec(name)`), holding only the fields that audience may see, so a hidden field
can never surface through a text match, a filter, a facet count or a highlight.

`api` hands over plain dictionaries (see `api.networks.directory.directory_document`), with
hidden fields blank.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from whoosh import columns, fields

from search.analysis import plain_analyzer, prose_analyzer
from search.candidates import SEPARATOR, keyword_list
from search.engine import IndexSpec
from search.terms import Text


def _one(value: Any) -> str:
    text = str(value or "").strip()
    return text.replace(SEPARATOR, " ")


SCHEMA = fields.Schema(
    id=fields.ID(stored=True, unique=True),
    organization=fields.ID(),
    # The member's account: whoever blocked the viewer is filtered out by it.
    person=fields.ID(),
    verified=fields.ID(),
    name=Text(analyzer=plain_analyzer(), field_boost=3.0, stored=True),
    headline=Text(analyzer=prose_analyzer(), field_boost=1.5, stored=True),
    title=Text(analyzer=prose_analyzer(), field_boost=2.0, stored=True),
    employer=Text(analyzer=plain_analyzer(), field_boost=2.0, stored=True),
    education=Text(analyzer=prose_analyzer(), field_boost=1.5, stored=True),
    place=Text(analyzer=plain_analyzer(), field_boost=1.0, stored=True),
    industry=Text(analyzer=plain_analyzer(), field_boost=1.0),
    school_key=keyword_list(),
    degree_key=keyword_list(),
    field_key=keyword_list(),
    class_year_key=keyword_list(),
    location_key=keyword_list(),
    employer_key=keyword_list(),
    industry_key=keyword_list(),
    # Numbers live in columns (see search.candidates): 0 means "not given or hidden".
    class_year=fields.COLUMN(columns.NumericColumn("i")),
    joined=fields.COLUMN(columns.NumericColumn("q")),
    spelling=Text(analyzer=plain_analyzer(), phrase=False),
)


def to_fields(document: Mapping[str, Any]) -> dict[str, Any]:
    """The index fields of one plain directory document."""
    name = _one(document.get("name"))
    headline = _one(document.get("headline"))
    school = _one(document.get("school"))
    degree = _one(document.get("degree"))
    field_of_study = _one(document.get("field_of_study"))
    location = _one(document.get("location"))
    employer = _one(document.get("employer"))
    title = _one(document.get("title"))
    industry = _one(document.get("industry"))
    class_year = int(document.get("class_year") or 0)
    education = "\n".join(part for part in (school, degree, field_of_study) if part)
    return {
        "id": str(document["id"]),
        "organization": str(document.get("organization") or ""),
        "person": str(document.get("person") or ""),
        "verified": "1" if document.get("verified") else "0",
        "name": name,
        "headline": headline,
        "title": title,
        "employer": employer,
        "education": education,
        "place": location,
        "industry": industry,
        "school_key": school,
        "degree_key": degree,
        "field_key": field_of_study,
        "class_year_key": str(class_year) if class_year else "",
        "location_key": location,
        "employer_key": employer,
        "industry_key": industry,
        "class_year": class_year,
        "joined": round(float(document.get("joined") or 0) * 1000),  # milliseconds
        "spelling": " ".join(
            dict.fromkeys(" ".join([name, headline, title, employer, education]).split())
        ),
    }


def directory_spec(name: str) -> IndexSpec:
    """The spec of one audience's directory index (`directory`, `directory_public`)."""
    return IndexSpec(
        name=name,
        schema=SCHEMA,
        to_fields=to_fields,
        default_fields={
            "name": 3.0,
            "title": 2.0,
            "employer": 2.0,
            "headline": 1.5,
            "education": 1.5,
            "place": 1.0,
            "industry": 1.0,
        },
        field_aliases={
            "name": ("name",),
            "title": ("title",),
            "employer": ("employer",),
            "company": ("employer",),
            "school": ("education",),
            "education": ("education",),
            "location": ("place",),
            "industry": ("industry",),
        },
        facet_fields={
            "classYears": "class_year_key",
            "degrees": "degree_key",
            "fieldsOfStudy": "field_key",
            "locations": "location_key",
            "employers": "employer_key",
            "industries": "industry_key",
            "schools": "school_key",
        },
        keyword_fields=frozenset(
            {
                "school_key",
                "degree_key",
                "field_key",
                "class_year_key",
                "location_key",
                "employer_key",
                "industry_key",
            }
        ),
        highlight_fields=("name", "headline", "title", "employer", "education", "place"),
        spelling_field="spelling",
        recency_field="joined",
        recency_unit_seconds=0.001,
    )


#: What fellow members (and admins) may see.
DIRECTORY = directory_spec("directory")
#: What anyone may see in a directory its organization opened to the public.
PUBLIC_DIRECTORY = directory_spec("directory_public")

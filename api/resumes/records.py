"""What the resumes services hand on: resumes and open-to-work signals, typed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cached_property
from typing import Any, Self

from api.core.records import Record, decode_json
from api.people.tables import Visibility
from api.resumes.document import without_contact
from api.resumes.tables import EmploymentType, OpenToWorkAudience, WorkplaceType


@dataclass(frozen=True)
class ResumeRecord(Record):
    """A stored resume: its JSON Resume document and the facts derived from it on save.

    The document is decoded when first asked for (`document`), not with the row: a page of
    candidates or of a person's resumes shows the facts and never needs it (a profile of a
    `searchCandidates` page put decoding and redacting its twenty documents at 9% of its CPU).
    """

    id: int
    owner: int
    title: str
    is_primary: bool
    visibility: Visibility
    #: The `document` column as the row holds it: JSON text, or already decoded.
    stored_document: str | bytes | dict[str, Any] = field(repr=False)
    experience_days: int
    current_title: str
    current_employer: str
    skill_keywords: list[str]
    city: str
    region: str
    country_code: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any], **values: Any) -> Self:
        return super().from_row(row, stored_document=row["document"], **values)

    @cached_property
    def document(self) -> dict[str, Any]:
        stored = self.stored_document
        document: dict[str, Any] = (
            decode_json(stored) if isinstance(stored, str | bytes) else stored
        )
        return document


@dataclass(frozen=True)
class ResumeView:
    """A resume as one viewer may see it."""

    resume: ResumeRecord
    show_contact: bool
    is_owner: bool

    @cached_property
    def document(self) -> dict[str, Any]:
        document = self.resume.document
        return document if self.show_contact else without_contact(document)


@dataclass(frozen=True)
class OpenToWorkRecord(Record):
    """What work a person is open to, and who may see that they are looking."""

    account: int
    titles: list[str]
    locations: list[str]
    workplace_types: list[WorkplaceType]
    employment_types: list[EmploymentType]
    earliest_start: date | None
    audience: OpenToWorkAudience
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Any, **values: Any) -> Self:
        # The lists hold enum values: decoded as JSON first, then each read as its enum.
        read = super().from_row(row, **values)
        return replace(
            read,
            workplace_types=[WorkplaceType(v) for v in read.workplace_types],
            employment_types=[EmploymentType(v) for v in read.employment_types],
        )

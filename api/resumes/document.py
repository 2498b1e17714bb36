"""JSON Resume documents: validation against the official schema, paths, contact redaction.

The schema (draft-07, MIT, see jsonresume/LICENSE.md) ships inside the package. Validation
is exactly the schema's: `format` is an annotation in draft-07 and is not asserted, so a
document is accepted if and only if the standard validator accepts it.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from enum import Enum
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError

from api.core.errors import FieldError

SECTIONS = (
    "basics",
    "work",
    "volunteer",
    "education",
    "awards",
    "certificates",
    "publications",
    "skills",
    "languages",
    "interests",
    "references",
    "projects",
    "meta",
)
#: Contact details inside `basics`, shown only to the owner's contact audience.
CONTACT_FIELDS = ("email", "phone")
CONTACT_LOCATION_FIELDS = ("address", "postalCode")
MAX_DOCUMENT_BYTES = 512 * 1024
MAX_REPORTED_ERRORS = 50


class ResumeErrorCode(Enum):
    INVALID_DOCUMENT = "INVALID_DOCUMENT"
    DOCUMENT_TOO_LARGE = "DOCUMENT_TOO_LARGE"
    UNKNOWN_SECTION = "UNKNOWN_SECTION"
    NOT_FOUND = "NOT_FOUND"
    TITLE_TOO_LONG = "TITLE_TOO_LONG"
    INVALID_VISIBILITY = "INVALID_VISIBILITY"
    INVALID_PREFERENCE = "INVALID_PREFERENCE"
    UNKNOWN_ORGANIZATION = "UNKNOWN_ORGANIZATION"


@cache
def schema() -> dict[str, Any]:
    text = resources.files("api.resumes").joinpath("jsonresume/schema.json").read_text()
    return json.loads(text)


@cache
def _validator() -> Draft7Validator:
    return Draft7Validator(schema())


def json_path(parts: Iterable[str | int], root: str = "") -> str:
    """["work", 0, "startDate"] -> "work[0].startDate" (the root prefix, when given, first)."""
    path = root
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _describe(error: ValidationError) -> str:
    where = json_path(error.absolute_path) or "the document"
    if error.validator == "type":
        return (
            f"{where} must be of type {error.validator_value}, not {type(error.instance).__name__}"
        )
    if error.validator == "pattern":
        return f"{where} must be a date like 2024, 2024-06 or 2024-06-29 (got {error.instance!r})"
    return f"{where}: {error.message}"


def validate_document(document: Any, *, root: str = "document") -> list[FieldError]:
    """Every problem the schema finds, each with the JSON path of its place."""
    size = len(json.dumps(document, ensure_ascii=False).encode())
    if size > MAX_DOCUMENT_BYTES:
        return [
            FieldError(
                root,
                ResumeErrorCode.DOCUMENT_TOO_LARGE,
                f"The document is {size // 1024} KiB; "
                f"the limit is {MAX_DOCUMENT_BYTES // 1024} KiB.",
            )
        ]
    errors = sorted(_validator().iter_errors(document), key=lambda e: list(map(str, e.path)))
    return [
        FieldError(
            json_path(error.absolute_path) or root,
            ResumeErrorCode.INVALID_DOCUMENT,
            _describe(error),
        )
        for error in errors[:MAX_REPORTED_ERRORS]
    ]


def profile_fields(document: Any) -> dict[str, Any]:
    """What a resume's `basics` says about the profile's own fields: headline (the label),
    summary, city, region, country and links (the profiles). Never email or phone: those
    stay in the resume, under its contact audience."""
    basics = document.get("basics") if isinstance(document, dict) else None
    if not isinstance(basics, dict):
        return {}
    location = basics.get("location") if isinstance(basics.get("location"), dict) else {}
    links = [
        {key: str(link.get(key) or "") for key in ("network", "username", "url")}
        for link in basics.get("profiles") or []
        if isinstance(link, dict)
    ]
    fields = {
        "headline": basics.get("label"),
        "summary": basics.get("summary"),
        "city": location.get("city"),
        "region": location.get("region"),
        "country_code": location.get("countryCode"),
        "links": links,
    }
    return {key: value for key, value in fields.items() if value}


def without_contact(document: dict[str, Any]) -> dict[str, Any]:
    """A copy with the contact details (email, phone, street address) taken out."""
    basics = document.get("basics")
    if not isinstance(basics, dict):
        return document
    redacted = copy.copy(document)
    redacted["basics"] = {k: v for k, v in basics.items() if k not in CONTACT_FIELDS}
    location = basics.get("location")
    if isinstance(location, dict):
        redacted["basics"]["location"] = {
            k: v for k, v in location.items() if k not in CONTACT_LOCATION_FIELDS
        }
    return redacted

"""JSON Resume documents: validation against the official schema, paths, contact redaction.

The schema (draft-07, MIT, see jsonresume/LICENSE.md) ships inside the package. Draft-07
treats `format` as an annotation; Confrere asserts the formats the schema declares all the
same, so `basics.email: "x"` is refused with its path:

- `email`: checked by email-validator (syntax only, no DNS lookup);
- `uri`: an RFC 3986 URI with its scheme (`https://…`), checked by rfc3986-validator, the
  checker jsonschema itself uses;
- the `iso8601` dates (`2024`, `2024-06`, `2024-06-29`): the schema's pattern, and a real
  calendar date (no month 13, no 30 February).

An empty string is "not given" and passes every format, as it does in the many documents
that export `"url": ""`.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from datetime import date
from enum import Enum
from functools import cache
from importlib import resources
from typing import Any

from email_validator import EmailNotValidError, validate_email
from jsonschema import Draft7Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from rfc3986_validator import validate_rfc3986

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
    INVALID_CHARACTERS = "INVALID_CHARACTERS"
    EMAIL_NOT_VERIFIED = "EMAIL_NOT_VERIFIED"


@cache
def schema() -> dict[str, Any]:
    text = resources.files("api.resumes").joinpath("jsonresume/schema.json").read_text()
    return json.loads(text)


#: The format the shipped schema's `iso8601` dates are given here (see the module docstring).
PARTIAL_DATE_FORMAT = "partial-date"
#: What each asserted format expects, in the words of an error message.
FORMAT_WORDS = {
    "email": "an email address like ada@example.org",
    "uri": "a full address with its scheme, like https://example.org",
    PARTIAL_DATE_FORMAT: "a real date like 2024, 2024-06 or 2024-06-29",
}

format_checker = FormatChecker(formats=())


@format_checker.checks("email", raises=EmailNotValidError)
def _is_email(instance: object) -> bool:
    if isinstance(instance, str) and instance:
        validate_email(instance, check_deliverability=False)
    return True


@format_checker.checks("uri")
def _is_uri(instance: object) -> bool:
    return not isinstance(instance, str) or not instance or bool(validate_rfc3986(instance, "URI"))


@format_checker.checks(PARTIAL_DATE_FORMAT, raises=ValueError)
def _is_partial_date(instance: object) -> bool:
    if not isinstance(instance, str) or not instance:
        return True
    parts = [int(part) for part in instance.split("-") if part.isdigit()]
    if len(parts) == 3:
        date(*parts)
    elif len(parts) == 2 and not 1 <= parts[1] <= 12:
        raise ValueError(f"there is no month {parts[1]}")
    return True


def with_date_format(json_schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of a JSON Resume schema whose `iso8601` dates carry the partial-date format."""
    checked = copy.deepcopy(json_schema)
    dates = checked.get("definitions", {}).get("iso8601")
    if dates is not None:
        dates["format"] = PARTIAL_DATE_FORMAT
    return checked


@cache
def _validator() -> Draft7Validator:
    return Draft7Validator(with_date_format(schema()), format_checker=format_checker)


def json_path(parts: Iterable[str | int], root: str = "") -> str:
    """["work", 0, "startDate"] -> "work[0].startDate" (the root prefix, when given, first)."""
    path = root
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def describe_error(error: ValidationError) -> str:
    """A schema error in a user's words, led by its JSON path."""
    where = json_path(error.absolute_path) or "the document"
    if error.validator == "type":
        return (
            f"{where} must be of type {error.validator_value}, not {type(error.instance).__name__}"
        )
    if error.validator == "pattern":
        return f"{where} must be a date like 2024, 2024-06 or 2024-06-29 (got {error.instance!r})"
    if error.validator == "format":
        expected = FORMAT_WORDS.get(str(error.validator_value), f"a {error.validator_value}")
        reason = f": {error.cause}" if error.cause else ""
        return f"{where} must be {expected} (got {error.instance!r}){reason}"
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
            describe_error(error),
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

"""Facts derived from a resume on every save: experience, current role, skill keywords.

Pure functions over the JSON Resume document, so they are tested directly and search,
filters and the GraphQL API all read the same numbers.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
DAYS_PER_YEAR = 365.25


class PartialDateError(ValueError):
    pass


def parse_partial_date(text: str, *, end: bool = False) -> date:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD` as a date.

    A start date is the first day of the period it names; an end date (`end=True`) is its
    last day, so "2019-01" to "2019-12" is a whole year.
    """
    match = _PARTIAL_DATE.match(text.strip())
    if not match:
        raise PartialDateError(f"{text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        if month is None:
            return date(year, 12, 31) if end else date(year, 1, 1)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return date(year, month, last) if end else date(year, month, 1)
        return date(year, month, day)
    except ValueError as error:
        raise PartialDateError(f"{text!r} is not a real date: {error}") from None


def _period(entry: Mapping[str, Any], today: date) -> tuple[date, date] | None:
    """The days a work entry covers, or None when it has no usable start."""
    start_text = entry.get("startDate")
    if not isinstance(start_text, str) or not start_text:
        return None
    try:
        start = parse_partial_date(start_text)
        end_text = entry.get("endDate")
        end = parse_partial_date(end_text, end=True) if end_text else today
    except PartialDateError:
        return None
    end = min(end, today)  # a planned end in the future counts only up to today
    if start > end:
        return None
    return start, end


def experience_days(work: Iterable[Mapping[str, Any]], today: date) -> int:
    """Days of experience: overlapping periods merged, current roles counted to today."""
    periods = sorted(p for entry in work if (p := _period(entry, today)))
    total = 0
    current_start: date | None = None
    current_end: date | None = None
    for start, end in periods:
        if current_end is not None and start <= current_end:
            current_end = max(current_end, end)
            continue
        if current_start is not None and current_end is not None:
            total += (current_end - current_start).days + 1
        current_start, current_end = start, end
    if current_start is not None and current_end is not None:
        total += (current_end - current_start).days + 1
    return total


def years_from_days(days: int) -> float:
    return round(days / DAYS_PER_YEAR, 1)


@dataclass(frozen=True)
class CurrentRole:
    title: str
    employer: str


def current_role(work: Iterable[Mapping[str, Any]], today: date) -> CurrentRole | None:
    """The role held now (no end date, or one in the future), latest started first."""
    ongoing = []
    for entry in work:
        period = _period(entry, today)
        end_text = entry.get("endDate")
        if period is None:
            continue
        try:
            still_on = not end_text or parse_partial_date(end_text, end=True) >= today
        except PartialDateError:
            continue
        if still_on:
            ongoing.append((period[0], entry))
    if not ongoing:
        return None
    _, entry = max(ongoing, key=lambda item: item[0])
    return CurrentRole(
        title=str(entry.get("position") or ""), employer=str(entry.get("name") or "")
    )


def normalize_keyword(text: str) -> str:
    """Case-folded, accents kept, inner whitespace collapsed: "  Node.JS " -> "node.js"."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(folded.split())


def skill_keywords(skills: Iterable[Mapping[str, Any]]) -> list[str]:
    """Every skill name and keyword, normalized, first occurrence kept, in order."""
    seen: dict[str, None] = {}
    for skill in skills:
        candidates = [skill.get("name"), *(skill.get("keywords") or [])]
        for candidate in candidates:
            if isinstance(candidate, str) and (keyword := normalize_keyword(candidate)):
                seen.setdefault(keyword, None)
    return list(seen)

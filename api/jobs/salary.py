"""Salaries written as text, as JSON Resume's job format keeps them (`"salary": "100000"`).

`parse_salary` reads what people write — `100000`, `90000-110000`, `$90k - $110k`,
`EUR 60.000 to 80.000 a year`, `45.50/hour`, `up to 120k`, `from 70000` — into the posting's
salary columns. The currency is the ISO code or symbol in the text; without one, the
currency of the posting's country (from Babel's territory data, as `$` in Canada is CAD);
with neither, the text cannot be read. The unit is a word in the text (hour, day, week,
month, year), else a year. Anything else (`competitive`, three amounts) is a `ValueError`
whose message says what to write instead: a salary is never dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from babel.numbers import get_territory_currencies, list_currencies

#: Symbols that name one currency; `$` is resolved through the country (see `_dollar`).
SYMBOLS = {"€": "EUR", "£": "GBP", "₹": "INR", "₩": "KRW", "₪": "ILS", "₺": "TRY", "₽": "RUB"}
DOLLARS = ("USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN", "TWD")
UNITS = tuple(
    (unit, re.compile(rf"(?<![a-z])(?:{words})(?![a-z])", re.IGNORECASE))
    for unit, words in (
        ("HOUR", r"hours?|hourly|hrs?|h"),
        ("DAY", r"days?|daily|d"),
        ("WEEK", r"weeks?|weekly|wk"),
        ("MONTH", r"months?|monthly|mo"),
        ("YEAR", r"years?|yearly|annual(?:ly)?|annum|yrs?|p\.\s?a\.?|pa|y"),
    )
)
#: 100000, 100,000, 100.000, 100 000, 1'000'000, 45.50, 1,000.50 (and a k for thousands)
_AMOUNT = re.compile(
    r"(\d{1,3}(?:[.,'\u00a0\u202f ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?)\s*([kK](?![a-zA-Z]))?"
)
_CODE = re.compile(r"\b[A-Z]{3}\b")
_UP_TO = re.compile(r"\b(up\s+to|max(?:imum)?|under)\b", re.IGNORECASE)
_FROM = re.compile(r"\b(from|min(?:imum)?|at\s+least)\b|\+", re.IGNORECASE)
#: What may stand beside the amounts, currency and unit (anything else: unreadable).
_FILLER = re.compile(
    r"\b(per|a|an|each|gross|net|base|salary|up|to|from|max|maximum|min|minimum|at|least|"
    r"under|between|and|brutto|netto)\b|[-\u2013\u2014/+~,.:()\s$€£₹₩₪₺₽]",
    re.IGNORECASE,
)
EXAMPLE = '"90000-110000 EUR"'


@dataclass(frozen=True)
class ParsedSalary:
    currency: str
    min: int | None
    max: int | None
    unit: str


def _number(digits: str, *, thousands: bool) -> float:
    text = re.sub(r"[\s'\u00a0\u202f]", "", digits)
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal == "," else ",", "").replace(decimal, ".")
    elif "," in text or "." in text:
        separator = "," if "," in text else "."
        head, *groups = text.split(separator)
        if all(len(group) == 3 for group in groups) and len(head) <= 3:
            text = "".join([head, *groups])  # 100,000 and 100.000 are thousands
        else:
            text = text.replace(",", ".")
    value = float(text)
    return value * 1000 if thousands else value


def _dollar(country: str) -> str:
    local = _territory_currency(country)
    return local if local in DOLLARS else "USD"


def _territory_currency(country: str) -> str | None:
    if not re.fullmatch(r"[A-Z]{2}", country or ""):
        return None
    try:
        found = get_territory_currencies(country, start_date=datetime.now(UTC).date())
    except Exception:  # an unknown territory
        return None
    return found[0] if found else None


def _currency(text: str, country: str) -> str | None:
    known = set(list_currencies())
    for code in _CODE.findall(text):
        if code in known:
            return code
    for symbol, code in SYMBOLS.items():
        if symbol in text:
            return code
    if "$" in text:
        return _dollar(country)
    return _territory_currency(country)


def _unit(rest: str) -> str:
    for unit, pattern in UNITS:
        if pattern.search(rest):
            return unit
    return "YEAR"


def parse_salary(text: str, country: str = "") -> ParsedSalary:
    """The salary `text` states; `ValueError` with a message for the user when it cannot be
    read. `country` (ISO 3166) is where the job is, for a salary that names no currency."""
    amounts = [_number(digits, thousands=bool(k)) for digits, k in _AMOUNT.findall(text)]
    if not amounts:
        raise ValueError(f"give an amount or a range, like {EXAMPLE}; not {text!r}")
    if len(amounts) > 2:
        raise ValueError(f"give one amount or one range, like {EXAMPLE}; not {text!r}")
    currency = _currency(text, country)
    if currency is None:
        raise ValueError(f"name the currency, like {EXAMPLE}; {text!r} has none")
    # Without its amounts and currency codes ("k" in "90k" and "DAY" are no units), the
    # text may hold a unit and filler words, nothing else.
    rest = _CODE.sub(" ", _AMOUNT.sub(" ", text))
    unit = _unit(rest)
    for _, pattern in UNITS:
        rest = pattern.sub(" ", rest)
    if _FILLER.sub("", rest).strip():
        raise ValueError(f"write only the amount, like {EXAMPLE}; not {text!r}")
    values = [round(amount) for amount in amounts]
    if len(values) == 2:
        low, high = sorted(values)
    elif _UP_TO.search(text):
        low, high = None, values[0]
    elif _FROM.search(text):
        low, high = values[0], None
    else:
        low = high = values[0]
    return ParsedSalary(currency=currency, min=low, max=high, unit=unit)


_EXPERIENCE = re.compile(
    r"^\s*(\d+)\s*(?:\+|(?:-|\u2013|to)\s*\d+)?\s*(years?|yrs?|months?)\b", re.IGNORECASE
)


def experience_months(text: str) -> int | None:
    """`"3+ years"`, `"2-4 years"`, `"18 months"`: the least experience, in months; None for
    a level such as `"Mid-level"` (kept as written)."""
    found = _EXPERIENCE.match(text or "")
    if not found:
        return None
    number = int(found.group(1))
    return number if found.group(2).lower().startswith("month") else number * 12

"""GraphQL types every capability shares: the UserError interface and scalars."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, NewType

import strawberry
from strawberry import relay
from strawberry.schema.config import StrawberryConfig

from api.core.errors import BadUserInput, CommonErrorCode, FieldError, InvalidInput

if TYPE_CHECKING:
    from search.engine import Hit

#: A date as JSON Resume writes it; the scalar keeps the precision the person gave.
PartialDate = NewType("PartialDate", str)
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _parse_partial_date(value: Any) -> str:
    if not isinstance(value, str) or not _PARTIAL_DATE.match(value):
        raise ValueError("expected a date as YYYY, YYYY-MM or YYYY-MM-DD")
    return value


SCALARS: dict[object, Any] = {
    PartialDate: strawberry.scalar(
        name="PartialDate",
        description="A date as JSON Resume writes it: YYYY, YYYY-MM or YYYY-MM-DD.",
        serialize=str,
        parse_value=_parse_partial_date,
    )
}


def given(value: str | None) -> str | None:
    """A text field as the API answers it: null when there is nothing in it.

    Null means "not shown to you, or not given", everywhere: no output field answers "" (or
    blanks), so a client tests one thing. Every optional text field of an output type
    passes through here.
    """
    return value if value and value.strip() else None


def schema_config() -> StrawberryConfig:
    return StrawberryConfig(scalar_map=SCALARS)


@strawberry.interface(
    description="A problem with a mutation's input that the user can fix; nothing was changed."
)
class UserError:
    field: str | None = strawberry.field(
        description="The input field at fault, as a path (`email`, `work[0].startDate`); "
        "null when the input as a whole is at fault."
    )
    message: str = strawberry.field(description="What is wrong, in words to show the user.")

    @classmethod
    def from_field_errors(cls, errors: list[FieldError]) -> list[Any]:
        """The service's field errors as this capability's error type (with its code enum)."""
        return [cls(field=e.field, code=e.code, message=e.message) for e in errors]  # type: ignore[call-arg]


#: The largest row id the databases hold (a signed 64-bit integer).
MAX_ROW_ID = 2**63 - 1


def row_id(text: str) -> int | None:
    """The row id an id's digits name (`Event:42` -> 42), or None when no row can have it:
    not plain ASCII digits (`²`, `٣`, `-1`), zero, or past a 64-bit integer. Every id a
    client sends goes through here before it meets the database."""
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ROW_ID else None


def as_utc(instant: datetime) -> datetime:
    """An aware time in UTC; times beyond the calendar's ends (year 1, year 9999 with an
    offset) become its first or last moment, which every range check then refuses."""
    try:
        return instant.astimezone(UTC)
    except OverflowError:
        edge = datetime.max if instant.year > 1 else datetime.min
        return edge.replace(tzinfo=UTC)


def time_argument(value: datetime | None, argument: str) -> datetime | None:
    """A time given as a query argument, in UTC: it needs its offset (the data it filters
    lies in many time zones), else BAD_USER_INPUT."""
    if value is None:
        return None
    if value.utcoffset() is None:
        raise BadUserInput(
            f"Give `{argument}` with its UTC offset, like 2027-01-01T00:00:00Z or "
            "2027-01-01T00:00:00+01:00.",
            argument=argument,
        )
    return as_utc(value)


def database_id(
    global_id: relay.GlobalID,
    type_name: str,
    *,
    field: str,
    code: Enum = CommonErrorCode.NOT_FOUND,
) -> int:
    """The row id behind a global id of `type_name`; a user error on `field` otherwise."""
    number = row_id(global_id.node_id) if global_id.type_name == type_name else None
    if number is None:
        raise InvalidInput(FieldError(field, code, f"This is no {type_name} id."))
    return number


def argument_id(global_id: relay.GlobalID, type_name: str, argument: str) -> int:
    """The row id behind a global id passed as a query argument, where there is no payload to
    carry a user error: a wrong id is the client's mistake (BAD_USER_INPUT)."""
    number = row_id(global_id.node_id) if global_id.type_name == type_name else None
    if number is None:
        raise BadUserInput(f"`{argument}` is no {type_name} id.", argument=argument)
    return number


@strawberry.type(description="A matched part of a field, with matches wrapped in <mark>.")
class Highlight:
    field: str
    snippet: str

    @classmethod
    def from_hit(cls, hit: Hit, shown: Callable[[str], bool] = lambda _: True) -> list[Highlight]:
        """A search hit's highlights, those of fields the viewer may see (`shown`)."""
        return [cls(field=f, snippet=s) for f, s in hit.highlights.items() if shown(f)]


@strawberry.type
class FacetValue:
    value: str
    count: int


@strawberry.type(description="Counts of the values of one field over all matches.")
class Facet:
    field: str
    values: list[FacetValue]

    @classmethod
    def from_counts(cls, facets: dict[str, list[tuple[str, int]]]) -> list[Facet]:
        return [
            cls(field=name, values=[FacetValue(value=v, count=c) for v, c in values])
            for name, values in facets.items()
        ]

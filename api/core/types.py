"""GraphQL types every capability shares: the UserError interface and scalars."""

from __future__ import annotations

import re
from enum import Enum
from typing import Any, NewType

import strawberry
from strawberry import relay
from strawberry.schema.config import StrawberryConfig

from api.core.errors import BadUserInput, FieldError, InvalidInput

#: A date as JSON Resume writes it; the scalar keeps the precision the person gave.
PartialDate = NewType("PartialDate", str)
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _parse_partial_date(value: Any) -> str:
    if not isinstance(value, str) or not _PARTIAL_DATE.match(value):
        raise ValueError("expected a date as YYYY, YYYY-MM or YYYY-MM-DD")
    return value


SCALARS = {
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


def database_id(global_id: relay.GlobalID, type_name: str, *, field: str, code: Enum) -> int:
    """The row id behind a global id of `type_name`; a user error on `field` otherwise."""
    if global_id.type_name != type_name or not global_id.node_id.isdigit():
        raise InvalidInput(FieldError(field, code, f"This is no {type_name} id."))
    return int(global_id.node_id)


def argument_id(global_id: relay.GlobalID, type_name: str, argument: str) -> int:
    """The row id behind a global id passed as a query argument, where there is no payload to
    carry a user error: a wrong id is the client's mistake (BAD_USER_INPUT)."""
    if global_id.type_name != type_name or not global_id.node_id.isdigit():
        raise BadUserInput(f"`{argument}` is no {type_name} id.", argument=argument)
    return int(global_id.node_id)


@strawberry.type(description="A matched part of a field, with matches wrapped in <mark>.")
class Highlight:
    field: str
    snippet: str


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

"""Errors the services raise, and how they reach a GraphQL client.

Two families, as DESIGN.md says:

- `InvalidInput` carries `FieldError`s a user can fix; resolvers turn it into a payload's
  `userErrors { field code message }`;
- `ConfrereError` subclasses (not signed in, not allowed, bad arguments) become GraphQL
  errors with `extensions.code`. Anything else is a bug and is masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from search.engine import QuerySyntaxError


class CommonErrorCode(Enum):
    """Codes raised outside the capabilities (by `api.core`), shown in each payload as its
    own error enum's value of the same name: INVALID_CHARACTERS in every capability's enum,
    NOT_FOUND in every one whose input names rows by id, EMAIL_NOT_VERIFIED in every one with
    an action an unverified account may not take (`api.people.verified`)."""

    INVALID_CHARACTERS = "INVALID_CHARACTERS"
    NOT_FOUND = "NOT_FOUND"
    EMAIL_NOT_VERIFIED = "EMAIL_NOT_VERIFIED"


@dataclass(frozen=True)
class FieldError:
    """A problem with one input field (None: the input as a whole), in the user's words."""

    field: str | None
    code: Enum
    message: str


class InvalidInput(Exception):
    """The input cannot be accepted as it is; nothing was changed."""

    def __init__(self, *errors: FieldError) -> None:
        super().__init__("; ".join(error.message for error in errors))
        self.errors = list(errors)


def query_error(error: QuerySyntaxError, code: Enum) -> InvalidInput:
    """The userError for a search query that does not parse: what is wrong, and where."""
    return InvalidInput(
        FieldError("query", code, f"{error.message} (at character {error.position + 1}).")
    )


class ConfrereError(Exception):
    """An error shown to the client as a GraphQL error with `extensions.code`."""

    code = "BAD_REQUEST"

    def __init__(self, message: str, **extensions: object) -> None:
        super().__init__(message)
        self.message = message
        self.extensions = extensions


class Unauthenticated(ConfrereError):
    """The request needs a signed-in viewer, or its token is not valid."""

    code = "UNAUTHENTICATED"


class Forbidden(ConfrereError):
    """The viewer is signed in but may not do this."""

    code = "FORBIDDEN"


class BadUserInput(ConfrereError):
    """An argument is out of range in a way the client, not the end user, must fix."""

    code = "BAD_USER_INPUT"

"""User errors, shaped in one place (Saleor's base mutation, as a schema extension).

A resolver whose type carries `userErrors` — every mutation's payload, and the search
results — calls its service and returns its payload; when the service (or the input's own
parsing) raises `InvalidInput`, the `UserErrorPayloads` extension answers with that type
holding the errors as the capability's error type — `field`, `code` (the capability's enum
value of the same name) and `message` — and its other fields at their defaults. No resolver
catches `InvalidInput` itself. Forbidden characters in any argument (`api.core.text`) are
refused here too, before the resolver runs: as INVALID_CHARACTERS in such a payload, for
any other field as a BAD_USER_INPUT error.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable
from enum import Enum
from functools import cache
from typing import Any

from graphql import GraphQLNonNull, GraphQLObjectType, GraphQLResolveInfo
from strawberry.extensions import SchemaExtension
from strawberry.types.base import StrawberryList, StrawberryObjectDefinition

from api.core.errors import BadUserInput, CommonErrorCode, FieldError, InvalidInput
from api.core.text import describe, first_forbidden


@cache
def _payload_shape(graphql_type: GraphQLObjectType) -> tuple[type, type, type[Enum]] | None:
    """The payload class, its error class and the error code enum behind a payload type."""
    definition = (graphql_type.extensions or {}).get("strawberry-definition")
    if not isinstance(definition, StrawberryObjectDefinition):
        return None
    errors_field = next((f for f in definition.fields if f.python_name == "user_errors"), None)
    if errors_field is None or not isinstance(errors_field.type, StrawberryList):
        return None
    error_class = errors_field.type.of_type
    error_definition = getattr(error_class, "__strawberry_definition__", None)
    code_field = next(
        (f for f in getattr(error_definition, "fields", []) if f.python_name == "code"), None
    )
    code_enum = getattr(getattr(code_field, "type", None), "wrapped_cls", None)
    if not (isinstance(code_enum, type) and issubclass(code_enum, Enum)):
        return None
    if not isinstance(error_class, type):
        return None
    return definition.origin, error_class, code_enum


def _shape_of(info: GraphQLResolveInfo[Any]) -> tuple[type, type, type[Enum]] | None:
    """The field's payload shape, when its type carries userErrors."""
    graphql_type = info.return_type
    if isinstance(graphql_type, GraphQLNonNull):
        graphql_type = graphql_type.of_type
    if not isinstance(graphql_type, GraphQLObjectType):
        return None
    return _payload_shape(graphql_type)


def payload_with_errors(shape: tuple[type, type, type[Enum]], errors: list[FieldError]) -> Any:
    """The payload holding `errors` as its capability's error type."""
    payload_class, error_class, code_enum = shape
    return payload_class(
        user_errors=[
            error_class(field=error.field, code=code_enum[error.code.name], message=error.message)
            for error in errors
        ]
    )


def _relative(path: str) -> str:
    """A userError path, relative to the mutation's `input` as services name fields."""
    return path.removeprefix("input.") if path.startswith("input.") else path


def _forbidden_characters(path: str, character: str) -> str:
    return (
        f"Remove the character {describe(character)}: text may hold any character but "
        "control characters, unpaired surrogates and U+FFFE/U+FFFF (tabs and line breaks "
        "are fine)."
    )


class UserErrorPayloads(SchemaExtension):
    """Shape `InvalidInput` into each payload; refuse forbidden characters in any field's
    arguments before its resolver runs."""

    def resolve(
        self, _next: Any, root: Any, info: GraphQLResolveInfo[Any], *args: Any, **kwargs: Any
    ) -> Any:
        shape = _shape_of(info)
        if kwargs:
            found = first_forbidden(kwargs)
            if found is not None:
                path, character = found
                message = _forbidden_characters(path, character)
                if shape is not None:
                    error = FieldError(_relative(path), CommonErrorCode.INVALID_CHARACTERS, message)
                    return payload_with_errors(shape, [error])
                raise BadUserInput(f"`{path}`: {message}", argument=path)
        if shape is None:
            return _next(root, info, *args, **kwargs)
        try:
            result = _next(root, info, *args, **kwargs)
        except InvalidInput as invalid:
            return payload_with_errors(shape, invalid.errors)
        if inspect.isawaitable(result):
            return self._shaped(result, shape)
        return result

    @staticmethod
    async def _shaped(result: Awaitable[Any], shape: tuple[type, type, type[Enum]]) -> Any:
        try:
            return await result
        except InvalidInput as invalid:
            return payload_with_errors(shape, invalid.errors)

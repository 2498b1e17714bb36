"""User errors, shaped in one place (Saleor's base mutation, as a resolver wrapper).

A resolver whose type carries `userErrors` — every mutation's payload, and the search
results — calls its service and returns its payload; when the service (or the input's own
parsing) raises `InvalidInput`, the `UserErrorPayloads` wrapper put around that resolver when
the schema is built answers with that type holding the errors as the capability's error type
— `field`, `code` (the capability's enum value of the same name) and `message` — and its
other fields at their defaults. No resolver catches `InvalidInput` itself. Forbidden
characters in any argument (`api.core.text`) are refused here too, before the resolver runs:
as INVALID_CHARACTERS in such a payload, for any other field as a BAD_USER_INPUT error.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable
from enum import Enum
from functools import cache
from typing import Any

from graphql import (
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    default_field_resolver,
)
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


class UserErrorPayloads:
    """One field's resolver, wrapped: refuse forbidden characters in its arguments, and
    shape `InvalidInput` into its payload when its type carries userErrors."""

    def __init__(self, resolve: Any, shape: tuple[type, type, type[Enum]] | None) -> None:
        self.resolve = resolve
        self.shape = shape

    def __call__(self, root: Any, info: GraphQLResolveInfo[Any], **kwargs: Any) -> Any:
        shape = self.shape
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
            return self.resolve(root, info, **kwargs)
        try:
            result = self.resolve(root, info, **kwargs)
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


def add_user_error_payloads(schema: GraphQLSchema) -> None:
    """Wrap the resolver of every field that takes arguments or returns a payload with
    userErrors in `UserErrorPayloads`, once, when the schema is built.

    Only those fields need it; a schema extension's `resolve` hook would wrap every field
    of every object in every response (a page of twenty postings: thousands of calls).
    """
    for named in schema.type_map.values():
        if not isinstance(named, GraphQLObjectType) or named.name.startswith("__"):
            continue
        for field in named.fields.values():
            returned = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
            shape = _payload_shape(returned) if isinstance(returned, GraphQLObjectType) else None
            if (field.args or shape is not None) and not isinstance(
                field.resolve, UserErrorPayloads
            ):
                field.resolve = UserErrorPayloads(field.resolve or default_field_resolver, shape)

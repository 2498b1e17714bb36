"""Text from clients: which characters any string argument may hold, checked once for all.

Every string a client sends — an argument, a field of an input object at any depth, a string
inside a JSON document — may hold any character but these, which no page, feed, calendar or
database column of ours can carry: the C0 control characters other than tab, line feed and
carriage return (NUL among them, which PostgreSQL refuses outright), DEL and the C1 controls,
lone UTF-16 surrogates (which cannot be encoded at all) and the noncharacters U+FFFE and
U+FFFF (which XML forbids). `api.core.payloads` refuses them before any resolver runs: in
a mutation's payload as a userError with code INVALID_CHARACTERS on the offending field,
elsewhere as a BAD_USER_INPUT error naming the argument. How long each field may be is the
owning service's rule (one limit per field, with its own code). `writable` drops them from
what we write (rows stored before this policy may hold them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

#: What no stored text may hold (see the module's docstring).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

_BREAKS = re.compile(r"[\t\n]+")


def forbidden_character(text: str) -> str | None:
    """The first character of `text` that no stored text may hold, or None."""
    found = _FORBIDDEN.search(text)
    return found.group() if found else None


def writable(text: str, *, one_line: bool = False) -> str:
    """`text` as every file we write (XML, iCalendar, CSV) can hold it: the forbidden
    characters dropped (rows stored before this policy may hold them) and line ends made
    `\n`; for a one-line value (a title, a name), breaks and tabs become single spaces."""
    text = _FORBIDDEN.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if one_line:
        text = _BREAKS.sub(" ", text)
    return text.strip()


def describe(character: str) -> str:
    return f"U+{ord(character):04X}"


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every string inside `value` (arguments as graphql-core hands them over: dicts, lists,
    scalars, JSON documents), with its path like `input.work[0].summary`."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str):
                yield from _strings(key, f"{path}.{key}" if path else key)
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def first_forbidden(arguments: Mapping[str, Any]) -> tuple[str, str] | None:
    """The path of the first string holding a forbidden character, and that character."""
    for path, text in _strings(arguments, ""):
        character = forbidden_character(text)
        if character is not None:
            return path, character
    return None

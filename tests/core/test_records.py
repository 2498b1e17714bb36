"""api.core.records: a JSON column's text decodes as Python's `json` reads it, whichever
decoder reads it (msgspec, or `json` for what msgspec refuses)."""

from __future__ import annotations

import json

import pytest

from api.core.records import decode_json


@pytest.mark.parametrize(
    "text",
    [
        '{"basics": {"name": "Zoë", "skills": ["C++", 1, 2.5, null, true]}}',
        b'[{"a": {}}, []]',
        '{"a": 1, "a": 2}',
        "123456789012345678901234567890",
        # what msgspec refuses and `json` reads: a row written before anything checked it
        "1e400",
        "[NaN, -Infinity]",
        '"\\ud800"',
    ],
)
def test_a_json_column_reads_as_pythons_json_reads_it(text: str | bytes) -> None:
    assert repr(decode_json(text)) == repr(json.loads(text))


def test_malformed_json_is_an_error_not_a_value() -> None:
    with pytest.raises(json.JSONDecodeError):
        decode_json('{"a": ')

"""The hostile cases today's code fails, in groups, each with what fails (and issue 11's item).

A case is named "<database>/<viewer>/<target> <argument> <kind>", e.g.
"sqlite/staff/Query.node id id:huge". A group matches names by patterns (fnmatch, with
`{a,b}` alternatives) and may leave some out (`unless`). Every case a group matches is an
xfail(strict=True): when a fix lands, its cases pass, the run fails on the unexpected pass,
and the fix removes (or narrows) its group here.

`python -m tests.hostile.known report.xml` lists the failing cases of a
`pytest tests/hostile --runxfail --junitxml=report.xml` run, by kind, to redraw the groups.
"""

from __future__ import annotations

import fnmatch
import re
import sys
from collections import defaultdict
from dataclasses import dataclass


def expand(pattern: str) -> list[str]:
    """`a.{b,c} d` -> ["a.b d", "a.c d"] (nested braces are not needed here)."""
    match = re.search(r"\{([^{}]*)\}", pattern)
    if not match:
        return [pattern]
    head, tail = pattern[: match.start()], pattern[match.end() :]
    return [p for option in match.group(1).split(",") for p in expand(head + option + tail)]


@dataclass(frozen=True)
class Known:
    reason: str
    cases: tuple[str, ...]
    unless: tuple[str, ...] = ()

    def matches(self, name: str) -> bool:
        def any_of(patterns: tuple[str, ...]) -> bool:
            return any(
                fnmatch.fnmatchcase(name, expanded)
                for pattern in patterns
                for expanded in expand(pattern)
            )

        return any_of(self.cases) and not any_of(self.unless)


#: The known failures, grouped. Issue 11 fixed every one the suite first found; a new group
#: goes here only with an issue to fix it, never to make a red run green.
KNOWN_FAILURES: list[Known] = []


def reason_for(name: str) -> str | None:
    for known in KNOWN_FAILURES:
        if known.matches(name):
            return known.reason
    return None


def _failing_cases(report: str) -> dict[str, list[str]]:
    import xml.etree.ElementTree as ET

    by_kind: dict[str, list[str]] = defaultdict(list)
    for case in ET.parse(report).iter("testcase"):  # noqa: S314 (a report pytest wrote)
        found = re.search(
            r"test_bad_value_on_(\w+)\[(\w+)-(\S+?)-(\S+)-(\w+:[\w-]+)\]", case.get("name", "")
        )
        if found and case.find("failure") is not None:
            database, viewer, target, argument, kind = found.groups()
            by_kind[kind].append(f"{database}/{viewer}/{target} {argument} {kind}")
    return by_kind


if __name__ == "__main__":
    for kind, names in sorted(_failing_cases(sys.argv[1]).items()):
        print(f"{kind}: {len(names)}")
        for name in sorted(names):
            print(f"    {name}")

"""The hostile cases today's code fails, each group with the reason (and issue 11's item).

Patterns are matched (fnmatch) against "<database>/<viewer>/<target> <argument> <kind>", e.g.
"*/Query.node id id:huge" on both databases and as both viewers. Every case matched is an
xfail(strict=True): when a fix lands, its cases pass, the run fails on the unexpected pass, and
the fix removes its lines here.
"""

from __future__ import annotations

KNOWN_FAILURES: dict[str, list[str]] = {}

"""Python's garbage collector, tuned for a process that serves requests for a long time.

Measured under `benchmarks/serve.py` (one process, 16 connections, `jobs(first: 20)` made
afresh): the collector took about a sixth of the process's CPU, most of it in full
collections. Each request leaves a few hundred objects in reference cycles (graphql-core's
collected fields, the request's DataLoader futures, Strawberry's validator classes), so
collections keep coming; each full one walked every object the process holds, some 220,000
after start (modules, the schema, the search indexes' readers), to free a few thousand.

Once the app has started, `tuned_collector`:
- collects once and freezes what is left (`gc.freeze`): objects made while starting up
  live as long as the process and are never walked again;
- collects the youngest generation every `YOUNG_THRESHOLD` allocations instead of 700, so
  a request's objects are mostly freed before a collection would move them to an older
  generation (and make the older collections come sooner).

Measured the same way: the collector's share fell to about a twentieth, and requests/s rose
by about a quarter (110 to 140; benchmarks/README.md). The cost: a cycle among
objects alive at start that is dropped later (an index reader replaced) stays in memory;
that happens once per object made at start, so it is bounded.

`confrere serve` runs its app this way (`api.app.create_served_app`); tests and embedders
calling `create_app` keep Python's defaults, since freezing would keep every earlier app
of a test process alive.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import AsyncIterator
from typing import Any

#: Allocations (less deallocations) of tracked objects between two collections of the
#: youngest generation; Python's default is 700. 5,000 to 50,000 measured alike.
YOUNG_THRESHOLD = 10_000


@contextlib.asynccontextmanager
async def tuned_collector(app: Any = None) -> AsyncIterator[None]:
    """A Litestar lifespan, last in the list: entered once everything else has started;
    on the way out, the collector is as it was."""
    before = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()

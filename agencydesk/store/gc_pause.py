"""Python's cyclic garbage collector paused while a big batch is written.

A 100,000-row import makes a few hundred thousand short-lived dicts and tuples; each batch of
allocations sets off a collection that walks every object the process holds (the import plan
itself included), which cost more than converting the rows. Reference counting still frees
everything as usual; only cycles wait until the batch is done. Nested and concurrent pauses
(two threads writing) keep the collector off until the last one ends."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collector_paused(enabled: bool = True) -> Iterator[None]:
    """Pause the collector for the block (``enabled=False``: do nothing, for small batches)."""
    global _depth, _was_enabled
    if not enabled:
        yield
        return
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()

"""Loop-thread work over a big page done in chunks, with a turn for the event loop between.

Everything the sync does to a page on the event loop's thread (noting what a full listing saw,
linking children to parents, remembering stored ids) is per record; a 3,500-record threads page
(500 threads and their messages) done in one go would keep the GUI from repainting for as long as
it takes, which on a loaded machine is well past the 50 ms issue 4 allows."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import TypeVar

T = TypeVar("T")

# Per-record work in the sync is a few microseconds: 250 records stay around a millisecond even
# on a busy 2-core machine, and a page of 3,500 gives the loop 14 turns.
LOOP_CHUNK = 250


async def in_chunks(items: Sequence[T], size: int = LOOP_CHUNK) -> AsyncIterator[Sequence[T]]:
    """``items`` ``size`` at a time; after each chunk but the last, the event loop runs whatever
    else is ready (GUI events, the ticker, other accounts' syncs) before the next."""
    if size < 1:
        raise ValueError(f"chunk size must be at least 1, not {size}")
    for start in range(0, len(items), size):
        if start:
            await asyncio.sleep(0)
        yield items[start : start + size]

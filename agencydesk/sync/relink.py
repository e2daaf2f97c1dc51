"""Linking after a sync or an import: a pass over what changed since the last one in a worker
thread, so the window keeps painting while it runs (``store.link_book``: its reading is done
before it takes the writer lock, and it writes only what changed; nothing new reads nothing)."""

from __future__ import annotations

import asyncio
import logging

from agencydesk.store.book import Book
from agencydesk.store.link_book import LinkReport

log = logging.getLogger(__name__)


async def relink_in_background(book: Book) -> LinkReport | None:
    """Run a linking pass off the event loop's thread. A failure is logged and reported as
    None: the records themselves are stored, only their grouping waits for the next pass."""
    try:
        report = await asyncio.to_thread(book.links.relink_changed)
    except Exception:
        log.exception("linking the book's records failed")
        return None
    log.info(
        "linked %d records in %d groups (%d rows changed, %d suggestions) in %s",
        report.linked,
        report.groups,
        report.changed,
        report.suggestions,
        "the whole book" if report.whole_book else "the part that changed",
    )
    return report

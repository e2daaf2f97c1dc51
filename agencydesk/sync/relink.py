"""Linking after a sync or an import: one pass over the book in a worker thread, so the window
keeps painting while it runs (``store.link_book``: its reading is done before it takes the
writer lock, and it writes only what changed)."""

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
        report = await asyncio.to_thread(book.links.relink)
    except Exception:
        log.exception("linking the book's records failed")
        return None
    log.info(
        "linked %d records in %d groups (%d rows changed, %d suggestions)",
        report.linked,
        report.groups,
        report.changed,
        report.suggestions,
    )
    return report

"""The CSV imports made into a book: the history the import wizard lists, and undoing the last
one."""

from __future__ import annotations

from agencydesk.store.book import Book
from agencydesk.store.ledgers import ImportBatch


class ImportHistory:
    def __init__(self, book: Book) -> None:
        self._book = book

    def batches(self) -> list[ImportBatch]:
        """Newest first; empty while the store keeps no import ledger."""
        try:
            return self._book.ledgers.imports()
        except NotImplementedError:
            return []

    def undo(self, batch_id: int) -> None:
        """Remove what the import added and restore what it updated (one transaction)."""
        self._book.ledgers.undo_import(batch_id)

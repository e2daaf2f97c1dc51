"""Records a vendor sent that could not be read, set aside with the reason (Sync ▸ Set aside…):
listing them and forgetting the ones the user has seen (the vendor's record is untouched)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agencydesk.store.book import Book
    from agencydesk.store.ledger_types import Quarantined


class SetAside:
    def __init__(self, book: Book) -> None:
        self._book = book

    def records(self) -> list[Quarantined]:
        return self._book.ledgers.quarantined()

    def forget(self, ids: list[int]) -> None:
        self._book.ledgers.release_quarantined(ids)

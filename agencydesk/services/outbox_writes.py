"""The Outbox's writes the window asks its writer for (services/record_writes.py runs them off
the GUI thread, in order with every other write): retry, discard or edit a change that waits
for the user (services/outbox_review.py does each)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from agencydesk.domain import Record
from agencydesk.services.outbox_review import OutboxReview

if TYPE_CHECKING:
    from agencydesk.store.book import Book


@dataclass(frozen=True, slots=True)
class RetryChange:
    review: OutboxReview
    entry_id: int
    name: str  # the record, for a failure message

    @property
    def what(self) -> str:
        return f"send the change to {self.name} again"

    def write(self, book: Book) -> Record | None:
        return self.review.retry(self.entry_id).record


@dataclass(frozen=True, slots=True)
class DiscardChange:
    review: OutboxReview
    entry_id: int
    name: str

    @property
    def what(self) -> str:
        return f"discard the change to {self.name}"

    def write(self, book: Book) -> Record | None:
        self.review.discard(self.entry_id)
        return None


@dataclass(frozen=True, slots=True)
class EditChange:
    review: OutboxReview
    entry_id: int
    record: Record  # the corrected values
    name: str
    confirmed_loss: bool = False  # the user agreed the vendor may clear what it cannot read

    @property
    def what(self) -> str:
        return f"send the corrected change to {self.name}"

    def write(self, book: Book) -> Record | None:
        self.review.edit(self.entry_id, self.record, confirmed_loss=self.confirmed_loss)
        return book.get(self.record.kind, self.record.id) if self.record.id is not None else None


OutboxWrite = RetryChange | DiscardChange | EditChange

"""How many local changes each account has in the outbox, and in what state: the one count the
status bar, the sync's account status and ``agencydesk account list`` all show.

Three numbers, never summed into one "pending": a change still to send (``waiting``), one the
vendor refused (``refused``, kept for the user to see and retry) and one the vendor raced
(``conflicts``, the user chooses). Any state that is neither refused nor a conflict is still on
its way, so it counts as waiting.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from agencydesk.store.book import Book
from agencydesk.store.ledgers import OutboxEntry, OutboxState


@dataclass(frozen=True, slots=True)
class OutboxCounts:
    waiting: int = 0
    refused: int = 0
    conflicts: int = 0

    @property
    def unsent(self) -> int:
        """Everything still in the outbox (what removing the account would drop)."""
        return self.waiting + self.refused + self.conflicts

    def describe(self) -> str:
        """'3 waiting, 1 refused, 2 conflicts' (zeros left out; 'nothing waiting' if empty)."""
        parts = [f"{self.waiting} waiting"] if self.waiting else []
        parts += [f"{self.refused} refused"] if self.refused else []
        if self.conflicts:
            parts.append(f"{self.conflicts} conflict{'s' if self.conflicts != 1 else ''}")
        return ", ".join(parts) or "nothing waiting"


def count_entries(entries: Iterable[OutboxEntry]) -> dict[str, OutboxCounts]:
    """Per account label."""
    tally: dict[str, list[int]] = {}
    for entry in entries:
        counts = tally.setdefault(entry.account, [0, 0, 0])
        if entry.state is OutboxState.FAILED:
            counts[1] += 1
        elif entry.state is OutboxState.CONFLICT:
            counts[2] += 1
        else:
            counts[0] += 1
    return {label: OutboxCounts(*numbers) for label, numbers in tally.items()}


def outbox_counts(book: Book) -> dict[str, OutboxCounts]:
    """Every account's counts (an account with an empty outbox is absent: ``OutboxCounts()``)."""
    return count_entries(book.ledgers.outbox())


def account_counts(book: Book, account: str) -> OutboxCounts:
    return count_entries(book.ledgers.outbox(account)).get(account, OutboxCounts())

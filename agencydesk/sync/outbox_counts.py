"""How many local changes each account has in the outbox, and in what state: the one count the
status bar, the sync's account status and ``agencydesk account list`` all show.

Three numbers, never summed into one "pending": a change still on its way (``waiting``: the
store's ON_ITS_WAY states), one that waits for the user because the vendor refused it
(``refused``: FAILED, REFUSED) and one the vendor raced (``conflicts``, the user chooses).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from agencydesk.store.ledger_types import NEEDS_USER, OutboxState

if TYPE_CHECKING:
    from agencydesk.store.book import Book
    from agencydesk.store.ledger_types import OutboxEntry


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
        if entry.state is OutboxState.CONFLICT:
            counts[2] += 1
        elif entry.state in NEEDS_USER:
            counts[1] += 1
        else:  # ON_ITS_WAY
            counts[0] += 1
    return {label: OutboxCounts(*numbers) for label, numbers in tally.items()}


def outbox_counts(book: Book) -> dict[str, OutboxCounts]:
    """Every account's counts (an account with an empty outbox is absent: ``OutboxCounts()``)."""
    return count_entries(book.ledgers.outbox())


def account_counts(book: Book, account: str) -> OutboxCounts:
    return count_entries(book.ledgers.outbox(account)).get(account, OutboxCounts())

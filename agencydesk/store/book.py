"""The store's one entry point for everyone above it: read pages, find, save, delete.

CONTRACT STUB written first so the store and the UI can be built in parallel. The store work fills
in the bodies; signatures change only by agreement (they are what ui/ and services/ code against).

Threading: a ``Book`` may be used from the GUI thread for page reads (each is one indexed query,
bounded by ``limit``) and from worker threads for bulk work; each call opens its own session and
commits or rolls back as one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path

from agencydesk.domain import Message, Note, Record, RecordKind
from agencydesk.store.ledgers import Ledgers
from agencydesk.store.queries import Count, ListItem, ListQuery, SearchHit


class CacheError(Exception):
    """The cache file cannot be used. ``path`` names the file, ``advice`` what the user can do."""

    def __init__(self, path: Path, message: str, advice: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
        self.advice = advice


class CacheLocked(CacheError):
    """Another AgencyDesk (or another program) holds the database."""


class CacheTooNew(CacheError):
    """Made by a newer AgencyDesk: we refuse to touch it rather than damage it."""


class CacheCorrupt(CacheError):
    """Not a database, or fails SQLite's integrity check."""


class Book:
    """Everything in one profile's cache."""

    @classmethod
    def open(cls, path: Path) -> Book:
        """Open (creating and migrating to the current schema) the cache at ``path``.
        Raises CacheLocked, CacheTooNew or CacheCorrupt; never resets a file silently."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    @property
    def ledgers(self) -> Ledgers:
        """Accounts, bookmarks, outbox, quarantine, import batches, export log."""
        raise NotImplementedError

    # --- lists (tabs) -------------------------------------------------------------------------
    def count(self, kind: RecordKind, query: ListQuery) -> int:
        """How many rows ``page`` can return for this query."""
        raise NotImplementedError

    def page(self, kind: RecordKind, query: ListQuery, offset: int, limit: int) -> list[ListItem]:
        """Rows ``offset``..``offset+limit`` in the query's order; never loads more than asked."""
        raise NotImplementedError

    def facet_values(self, kind: RecordKind, field: str) -> list[str]:
        """Distinct non-empty values of ``field`` (producer, status, stage, source, carrier…)."""
        raise NotImplementedError

    def stage_counts(self, query: ListQuery) -> list[Count]:
        """Leads matching ``query`` (ignoring its stage) counted per pipeline stage."""
        raise NotImplementedError

    def renewal_counts(self, within_days: int, today: date | None = None) -> list[Count]:
        """Policies up for renewal in the next ``within_days`` days, counted per producer."""
        raise NotImplementedError

    # --- records ------------------------------------------------------------------------------
    def get(self, kind: RecordKind, record_id: int) -> Record | None:
        raise NotImplementedError

    def find_remote(
        self, kind: RecordKind, vendor: str, account: str, remote_id: str
    ) -> Record | None:
        """The record a vendor knows by ``remote_id``, if cached."""
        raise NotImplementedError

    def remote_ids(self, kind: RecordKind, vendor: str, account: str) -> dict[str, int]:
        """remote_id -> local id for every cached record of one account (for linking a policy to
        its customer, a task to its lead…)."""
        raise NotImplementedError

    def iter_rows(
        self, kind: RecordKind, query: ListQuery, chunk: int = 2000
    ) -> Iterator[ListItem]:
        """Every row of a query in order, read ``chunk`` rows at a time (export, big scans)."""
        raise NotImplementedError

    def related(self, kind: RecordKind, query: ListQuery, limit: int = 200) -> list[ListItem]:
        """Detail-pane lists, e.g. ``related(POLICY, ListQuery(customer_id=7))``."""
        return self.page(kind, query, 0, limit)

    def notes_of(self, parent_kind: RecordKind, parent_id: int) -> list[Note]:
        raise NotImplementedError

    def messages_of(self, thread_id: int) -> list[Message]:
        """A thread's messages, oldest first."""
        raise NotImplementedError

    def quick_find(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Full-text search across all tabs; ``text`` is matched as word prefixes."""
        raise NotImplementedError

    # --- writes (each call is one transaction; the FTS index is kept current) -----------------
    def save(self, record: Record) -> Record:
        """Insert (``id is None``) or update; returns the stored record with its id and times."""
        raise NotImplementedError

    def save_many(self, records: Iterable[Record]) -> list[int]:
        """Insert or update many records in one transaction; returns their ids in order."""
        raise NotImplementedError

    def delete(self, kind: RecordKind, record_ids: Sequence[int]) -> None:
        """Delete records and what hangs only off them (a thread's messages, a record's notes)."""
        raise NotImplementedError

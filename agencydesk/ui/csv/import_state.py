"""What the import wizard's pages share: the book, the tab, the file and every step's result.
Pages read and fill it in order; each step's result is dropped when an earlier step changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QThreadPool, SignalInstance

from agencydesk.domain import RecordKind
from agencydesk.services.csv_io.mapping import ColumnMapping
from agencydesk.services.csv_io.plan import ImportTarget, Match, MatchOn, OnDuplicate
from agencydesk.services.csv_io.presets import PresetStore
from agencydesk.services.csv_io.sniff import Dialect
from agencydesk.services.csv_io.validate import Validation
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow
from agencydesk.ui.csv.worker import BackgroundJob, Job


class AccountSender(Protocol):
    """What sends an account's outbox now and reports it (the window's ``SyncController``):
    ``progress`` carries ``SyncProgress``, ``finished`` the reports."""

    progress: SignalInstance
    finished: SignalInstance

    @property
    def running(self) -> bool: ...

    def sync_now(self, only: str | None = None, *, read: bool = True) -> object: ...


@dataclass
class ImportState:
    book: Book
    kind: RecordKind
    presets: PresetStore
    pool: QThreadPool
    owner: QObject
    path: Path | None = None
    dialect: Dialect | None = None
    headers: list[str] = field(default_factory=list)
    preview: list[list[str]] = field(default_factory=list)  # the first records as read
    mapping: ColumnMapping | None = None
    validation: Validation | None = None
    match_on: MatchOn = MatchOn.NOTHING
    default_action: OnDuplicate = OnDuplicate.UPDATE
    matches: list[Match] = field(default_factory=list)
    target: ImportTarget = field(default_factory=ImportTarget)
    account: AccountRow | None = None  # importing into this vendor account (None: the book)
    sender: AccountSender | None = None  # the window's sync, to send an account's outbox now
    queued: dict[int, tuple[int, ...]] | None = None  # sent to an account: record id -> rows
    committed_batch: int | None = None
    writing: bool = False  # a commit or undo is running: one transaction that cannot be cut short
    jobs: list[BackgroundJob] = field(default_factory=list)

    def prepare(self, job: Job) -> BackgroundJob:
        """A job for the wizard's worker thread. The caller connects to its signals, then calls
        ``start()`` (connecting after starting could miss a quick job's result)."""
        background = BackgroundJob(job, self.pool, self.owner)
        self.jobs = [j for j in self.jobs if j.running]
        self.jobs.append(background)
        return background


def presets_for(book: Book) -> PresetStore:
    """Presets live in the profile beside the cache file."""
    path = getattr(book, "path", None)
    folder = Path(path).parent if path is not None else Path.home()
    return PresetStore.in_profile(folder)

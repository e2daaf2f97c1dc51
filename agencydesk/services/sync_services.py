"""What the sync part of the app stands on, built once per process by the composition root (or
a test) and handed to the sync UI: the accounts (keyring), the ONE account registry (one rate
limiter per account for the sync, the conflict readers and LeadExec search alike), conflicts,
LeadExec search, the set-aside list and the Outbox (Retry, Discard, Edit)."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from agencydesk.domain import RecordKind
from agencydesk.services.accounts import AccountStore
from agencydesk.services.capabilities import CapabilityGate
from agencydesk.services.conflict_cases import ConflictCases
from agencydesk.services.leadexec_search import LeadExecSearch
from agencydesk.services.outbox_review import OutboxReview
from agencydesk.services.record_resync import RecordResync
from agencydesk.services.set_aside import SetAside
from agencydesk.store.book import Book
from agencydesk.sync.events import EventSink
from agencydesk.sync.per_record_queue import WantedRecords
from agencydesk.sync.registry import AccountRegistry
from agencydesk.sync.send_lock import SendLock
from agencydesk.sync.sync_run import SyncRun


@dataclass(frozen=True, eq=False)
class SyncServices:
    book: Book
    accounts: AccountStore
    registry: AccountRegistry
    conflicts: ConflictCases
    leadexec: LeadExecSearch
    set_aside: SetAside
    outbox: OutboxReview
    resync: RecordResync  # the Outbox's Re-sync of a deleted record that could not come back

    @property
    def http(self) -> httpx.AsyncClient | None:
        """The process's shared client (None in tests: each sync opens its own)."""
        return self.registry.http

    def sync_run(
        self, *, only: str | None, http: httpx.AsyncClient | None, on_event: EventSink,
        lock_wait_s: float, read: bool = True,
    ) -> SyncRun:  # fmt: skip
        """One sync of the book's accounts through the one registry, holding the profile's send
        lock (another process syncing it: ``SendLockBusy`` after ``lock_wait_s``). ``read``:
        False only sends the outbox (an import into an account)."""
        lock = SendLock.beside(self.book.path, wait_s=lock_wait_s)
        return SyncRun(
            self.book, self.registry, only=only, http=http, on_event=on_event, send_lock=lock,
            read=read,
        )  # fmt: skip

    def fill_demo_if_empty(self) -> None:
        """The demo's fallback: the local demo book, unless the profile already has records."""
        if not any(self.book.max_id(kind) for kind in (RecordKind.LEAD, RecordKind.CUSTOMER)):
            # (the sandboxes' web server loads only for the demo)
            from agencydesk.services.demo_sandboxes import fill_local_demo_book

            fill_local_demo_book(self.book)


def build_sync_services(
    book: Book, http: httpx.AsyncClient | None, *, wanted: WantedRecords | None = None
) -> SyncServices:
    """``wanted``: the records the window notes as opened or searched for (made before the
    window, which shows before the sync is loaded); None: the registry keeps its own."""
    accounts = AccountStore(book)
    registry = AccountRegistry(book, http, accounts.secrets, wanted=wanted)
    conflicts = ConflictCases(book, registry)
    outbox = OutboxReview(book, conflicts, CapabilityGate())
    return SyncServices(
        book=book,
        accounts=accounts,
        registry=registry,
        conflicts=conflicts,
        leadexec=LeadExecSearch(book, registry),
        set_aside=SetAside(book),
        outbox=outbox,
        resync=RecordResync(outbox, registry),
    )

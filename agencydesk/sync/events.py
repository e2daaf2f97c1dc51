"""What a sync tells the rest of the app, as typed events (never dicts): per-account status for
the status bar, progress for a progress dialog, and a report per account at the end."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Phase(StrEnum):
    IDLE = "idle"
    SENDING = "sending"  # pushing the outbox
    READING = "reading"  # pulling streams
    WAITING = "waiting"  # held by the vendor's rate limit
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class AccountStatus:
    """One account, as the status bar shows it."""

    account: str
    vendor: str
    display_name: str  # "AgencyZoom"
    phase: Phase
    last_synced_at: datetime | None
    pending: int  # local changes not yet sent
    waiting_s: float = 0.0
    error: str = ""
    needs_user: bool = False  # sign in again / permissions: retrying will not help

    @property
    def text(self) -> str:
        """ "waiting for AgencyZoom's rate limit, 40 s", "3 changes waiting to be sent"…"""
        if self.phase is Phase.WAITING and self.waiting_s > 0:
            return f"waiting for {self.display_name}'s rate limit, {round(self.waiting_s)} s"
        if self.error:
            return f"{self.display_name}: {self.error}"
        parts = []
        if self.phase in (Phase.SENDING, Phase.READING):
            parts.append(f"syncing {self.display_name}")
        elif self.last_synced_at is not None:
            parts.append(f"{self.display_name} synced {self.last_synced_at:%H:%M}")
        else:
            parts.append(f"{self.display_name} not synced yet")
        if self.pending:
            parts.append(f"{self.pending} change{'s' if self.pending != 1 else ''} to send")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class SyncProgress:
    account: str
    stream: str  # "" while sending the outbox
    records: int  # read (or sent) so far in this stream
    pages: int


@dataclass(slots=True)
class StreamReport:
    stream: str
    records: int = 0
    pages: int = 0
    deleted: int = 0
    quarantined: int = 0
    error: str = ""


@dataclass(slots=True)
class SyncReport:
    account: str
    vendor: str
    sent: int = 0
    failed: int = 0  # changes the vendor refused (kept in the outbox, with the reason)
    conflicts: int = 0
    streams: list[StreamReport] = field(default_factory=list)
    error: str = ""
    needs_user: bool = False
    cancelled: bool = False
    requests: int = 0  # HTTP requests made
    finished_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return not self.error and not self.cancelled and not any(s.error for s in self.streams)

    @property
    def records(self) -> int:
        return sum(s.records for s in self.streams)

    def summary(self) -> str:
        """One line for the CLI and the log."""
        state = "cancelled" if self.cancelled else ("ok" if self.ok else "FAILED")
        parts = [f"{self.account} ({self.vendor}): {state}"]
        parts.append(f"sent {self.sent}, refused {self.failed}, conflicts {self.conflicts}")
        parts.append(f"read {self.records}")
        deleted = sum(s.deleted for s in self.streams)
        quarantined = sum(s.quarantined for s in self.streams)
        if deleted:
            parts.append(f"deleted {deleted}")
        if quarantined:
            parts.append(f"set aside {quarantined} unreadable")
        parts.append(f"{self.requests} requests")
        errors = [self.error] if self.error else []
        errors += [f"{s.stream}: {s.error}" for s in self.streams if s.error]
        if errors:
            parts.append("; ".join(errors))
        return ", ".join(parts)


SyncEvent = AccountStatus | SyncProgress
EventSink = Callable[[SyncEvent], None]

"""What a sync tells the rest of the app, as typed events (never dicts): per-account status for
the status bar, progress for a progress dialog, and a report per account at the end."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from agencydesk.domain.formats import format_moment


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
    # Per-record calls still ahead (a customer's policies, a lead's notes) and how long they
    # take at the documented rate (None: not known yet, or beyond a month).
    calls_left: int = 0
    eta_s: float | None = None
    # The account's "per-record calls at the night rate" setting, and how many of the calls
    # left wait for it now.
    night_wait: bool = False
    calls_waiting_for_night: int = 0
    # When the calls left were counted, when they come from the book (a restarted app, before
    # the next sync plans them again) rather than from a pass running now.
    calls_known_at: datetime | None = None

    @property
    def text(self) -> str:
        """ "waiting for AgencyZoom's rate limit, 40 s", "3 changes waiting to be sent"…"""
        if self.phase is Phase.WAITING and self.waiting_s > 0:
            text = f"waiting for {self.display_name}'s rate limit, {round(self.waiting_s)} s"
            return f"{text} · {self.calls_text}" if self.calls_left else text
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
        if self.calls_left:
            parts.append(self.calls_text)
        return ", ".join(parts)

    @property
    def calls_text(self) -> str:
        """ "2,140 calls left, about 1 h 12 min" or "19,800 calls wait for the night rate"."""
        as_of = f" as of {moment_text(self.calls_known_at)}" if self.calls_known_at else ""
        if self.calls_waiting_for_night and self.calls_waiting_for_night >= self.calls_left:
            return f"{self.calls_left:,} calls wait for the night rate{as_of}"
        text = f"{self.calls_left:,} call{'s' if self.calls_left != 1 else ''} left{as_of}"
        if self.eta_s is not None:
            text += f", about {duration_text(self.eta_s)}"
        return text


def moment_text(moment: datetime) -> str:
    """ "14:05" today, "03/31/2026 14:05" another day (local time)."""
    local = moment.astimezone()
    if local.date() == datetime.now().astimezone().date():
        return f"{local:%H:%M}"
    return format_moment(local)


def duration_text(seconds: float) -> str:
    """ "40 s", "12 min", "5 h 20 min", "2 days 3 h": as precise as a person needs."""
    s = max(0, round(seconds))
    if s < 60:
        return f"{s} s"
    minutes = round(s / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    text = f"{days} day{'s' if days != 1 else ''}"
    return f"{text} {hours} h" if hours else text


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
    quarantined: int = 0  # set aside: unreadable, or read but the book could not store them
    unstorable: int = 0  # of ``quarantined``, those the book could not store
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
    unexpected: bool = False  # ``error`` is a bug, or an answer the code could not handle
    cancelled: bool = False
    requests: int = 0  # HTTP requests made reading
    edit_requests: int = 0  # HTTP requests made sending the outbox (desks' edits, on the hub)
    finished_at: datetime | None = None
    # Per-record calls still due when the sync ended (waiting for the night rate, or stopped).
    calls_left: int = 0
    calls_wait_for_night: bool = False

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
        if deleted:
            parts.append(f"deleted {deleted}")
        if set_aside := _set_aside_said(self.streams):
            parts.append(set_aside)
        parts.append(f"{self.requests} requests")
        if self.edit_requests:
            parts.append(f"{self.edit_requests} requests sending changes")
        if self.calls_left:
            wait = " (waiting for the night rate)" if self.calls_wait_for_night else ""
            parts.append(f"{self.calls_left} per-record calls left{wait}")
        errors = [self.error] if self.error else []
        errors += [f"{s.stream}: {s.error}" for s in self.streams if s.error]
        if errors:
            parts.append("; ".join(errors))
        return ", ".join(parts)


SyncEvent = AccountStatus | SyncProgress
EventSink = Callable[[SyncEvent], None]


def _set_aside_said(streams: list[StreamReport]) -> str:
    """ "set aside 3 (2 unreadable, 1 could not be stored)", or one kind alone; "" for none."""
    unstorable = sum(s.unstorable for s in streams)
    unreadable = sum(s.quarantined for s in streams) - unstorable
    if unreadable and unstorable:
        total = unreadable + unstorable
        return f"set aside {total} ({unreadable} unreadable, {unstorable} could not be stored)"
    if unstorable:
        return f"set aside {unstorable} that could not be stored"
    return f"set aside {unreadable} unreadable" if unreadable else ""

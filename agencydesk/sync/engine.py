"""``SyncEngine``: for each account, send the outbox in order, then read every stream from its
bookmark. Accounts run side by side (each has its own rate limit); events say what happens;
``cancel()`` stops after the page being stored."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial

from agencydesk.store.book import Book
from agencydesk.sync import calls_left, unexpected
from agencydesk.sync.events import (
    AccountStatus,
    EventSink,
    Phase,
    StreamReport,
    SyncEvent,
    SyncProgress,
    SyncReport,
)
from agencydesk.sync.healer import SetAsideHealer
from agencydesk.sync.outbox_counts import account_counts
from agencydesk.sync.outbox_sender import OutboxSender
from agencydesk.sync.per_record_pass import PassState, PerRecordPass, night_wait_of
from agencydesk.sync.per_record_queue import WantedRecords
from agencydesk.sync.relink import relink_in_background
from agencydesk.sync.send_fence import SendFence
from agencydesk.sync.send_lock import SendLock
from agencydesk.sync.stream_puller import StreamPuller
from agencydesk.vendors.catalog import VENDOR_INFO
from agencydesk.vendors.client_kit import call_tally, errors
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.connector import Connector, Stream
from agencydesk.vendors.per_record import FetchesPerRecord

log = logging.getLogger(__name__)


class SyncEngine:
    def __init__(
        self,
        book: Book,
        connectors: Mapping[str, Connector] | Sequence[Connector],
        *,
        limiters: Mapping[str, AccountLimiter] | None = None,
        on_event: EventSink | None = None,
        send_lock: SendLock | None = None,
        wanted: WantedRecords | None = None,
        fence: SendFence | None = None,
        per_record_workers: int = 1,
        read_ahead: bool = False,
        survive_bugs: bool = False,
    ) -> None:
        """``wanted``: the records the user opened or searched for, whose per-record calls go
        first (the process's one list, from ``AccountRegistry``). ``fence``: someone else
        sends the accounts' outboxes while this engine reads (the team hub; see ``sync(send=
        False)``). ``per_record_workers``: per-record calls made side by side, each behind the
        account's limiter. ``read_ahead``: a listing's next page is requested while one is
        stored. ``survive_bugs``: an unexpected error ends only its account's run, which
        reports it in plain words (the team hub, which must keep every other account going);
        elsewhere it is a bug for the crash dialog."""
        items = connectors.values() if isinstance(connectors, Mapping) else connectors
        self.book = book
        self.connectors: dict[str, Connector] = {c.account: c for c in items}
        self.limiters = dict(limiters or {})
        # One sender per profile (window or CLI): taken for the whole sync, so two processes
        # never send the same entry nor store one's answer under the other's feet.
        self.send_lock = send_lock or SendLock.beside(book.path)
        self._sinks: list[EventSink] = [on_event] if on_event else []
        self._cancelled = False
        self._waiting: dict[str, float] = {}
        self._phase: dict[str, Phase] = {}
        self._ledger_facts: dict[str, tuple[datetime | None, int, str]] = {}
        self.wanted = wanted or WantedRecords()
        self._passes: dict[str, PassState] = {}
        # The calls left as the book last knew them, and their ETA: shown until a pass plans.
        self._known_calls: dict[str, calls_left.KnownCalls] = {}
        self._night_wait: dict[str, bool] = {}
        self.fence = fence or SendFence()
        self.per_record_workers = per_record_workers
        self.read_ahead = read_ahead
        self.survive_bugs = survive_bugs
        for account, limiter in self.limiters.items():
            limiter.add_listener(partial(self._rate_wait, account))

    def add_listener(self, sink: EventSink) -> None:
        self._sinks.append(sink)

    def cancel(self) -> None:
        """Stop soon: after the change being sent or the page being stored."""
        self._cancelled = True

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    async def sync(
        self, accounts: Sequence[str] | None = None, *, read: bool = True, send: bool = True
    ) -> list[SyncReport]:
        """Send, then read, each account (all, or those named) side by side. Raises
        ``SendLockBusy`` when another process is syncing the profile (after ``send_lock``'s
        bounded wait), before anything is sent or stored. ``read=False``: only send;
        ``send=False``: only read, the outbox left to a sender running beside (through
        ``fence``)."""
        self._cancelled = False
        names = list(accounts) if accounts is not None else list(self.connectors)
        unknown = [n for n in names if n not in self.connectors]
        if unknown:
            raise KeyError(f"no connector for account(s): {', '.join(unknown)}")
        async with self.send_lock:  # SendLockBusy: another process syncs this profile
            syncs = (self.sync_account(n, read=read, send=send) for n in names)
            reports = list(await asyncio.gather(*syncs))
        # What came in may be someone already held elsewhere (and local edits sent may have
        # changed an email or a name): a linking pass over what changed, off the loop's thread.
        await relink_in_background(self.book)
        return reports

    async def sync_account(
        self, account: str, *, read: bool = True, send: bool = True
    ) -> SyncReport:
        connector = self.connectors[account]
        report = SyncReport(account, connector.vendor)
        # This run's calls, not the connector's total (a connector may serve many runs, and on
        # the team hub a sender beside the read): reading and sending counted apart.
        reading, counting = call_tally.opened()
        sending = call_tally.CallTally()
        try:
            await self._refresh(account)
            sender = OutboxSender(
                self.book,
                connector,
                report,
                lambda: self._cancelled,
                lambda sent: self._emit(SyncProgress(account, "", sent, 0)),
            )
            if send:
                self._set_phase(account, Phase.SENDING)
                with call_tally.tallied(sending):
                    await sender.send_all()
                await self._refresh(account)
            if read and not self._cancelled:
                self._set_phase(account, Phase.READING)
                await SetAsideHealer(self.book, connector).run()  # before the cursors move on
            per_record = await self._per_record_pass(connector, report) if read else None
            for stream in connector.streams() if read else []:
                if self._cancelled:
                    break
                if per_record is not None and stream.name in per_record.replaced:
                    continue  # made one parent at a time, below
                if per_record is not None and report.streams:
                    await per_record.serve_wanted()  # what the user opened meanwhile
                self._set_phase(account, Phase.READING)
                await self._pull(connector, stream, report)
            # Every listing first (the whole book is listed in minutes), then the calls made
            # one record at a time, most useful first.
            if per_record is not None and not self._cancelled:
                await per_record.plan()
                report.streams.extend(per_record.reports.values())
                await per_record.run()
                left = per_record.pass_.state()
                report.calls_left = left.calls_left
                report.calls_wait_for_night = left.calls_waiting_for_night > 0
            if read and send and not self._cancelled:
                with call_tally.tallied(sending):
                    await sender.link_unlinked()
            if self._cancelled:
                report.cancelled = True
            elif report.ok and read:  # "last synced" means read, not only sent
                await asyncio.to_thread(self.book.ledgers.mark_synced, account, datetime.now(UTC))
        except errors.NeedsUserError as exc:
            report.error, report.needs_user = exc.message, True
        except errors.VendorError as exc:
            report.error = exc.message
        except Exception as exc:
            if not self.survive_bugs or not unexpected.about_the_record(exc):
                raise
            unexpected.log_unexpected(f"reading {account}", exc)
            report.error = unexpected.account_problem(connector.vendor, exc)
            report.unexpected = True
        finally:
            call_tally.closed(counting)
            report.requests, report.edit_requests = reading.requests, sending.requests
            report.finished_at = datetime.now(UTC)
        await self._finish(account, report)
        return report

    async def _per_record_pass(
        self, connector: Connector, report: SyncReport
    ) -> _DeferredCalls | None:
        if not isinstance(connector, FetchesPerRecord):
            return None
        account = connector.account
        connector.defer_per_record()
        rows = await asyncio.to_thread(self.book.ledgers.accounts)
        row = next((a for a in rows if a.label == account), None)
        at_night = night_wait_of(row.settings) if row is not None else False
        self._night_wait[account] = at_night

        def state(s: PassState) -> None:
            self._passes[account] = s
            self._emit(self._status(account))

        def progress(s: StreamReport) -> None:
            self._emit(SyncProgress(account, s.stream, s.records, s.pages))

        return _DeferredCalls(
            PerRecordPass(
                self.book,
                connector,
                self.limiters.get(account),
                self.wanted,
                at_night=at_night,
                cancelled=lambda: self._cancelled,
                on_state=state,
                on_progress=progress,
                workers=self.per_record_workers,
                fence=self.fence,
            )
        )

    async def _pull(self, connector: Connector, stream: Stream, report: SyncReport) -> None:
        account = connector.account

        def progress(s: StreamReport) -> None:
            self._emit(SyncProgress(account, s.stream, s.records, s.pages))

        puller = StreamPuller(
            self.book,
            connector,
            stream,
            lambda: self._cancelled,
            progress,
            self.fence,
            read_ahead=self.read_ahead,
        )
        report.streams.append(puller.report)
        try:
            await puller.run()
        except (errors.BadPayload, errors.ValidationFailed, errors.NotFound) as exc:
            # This stream cannot be read now; the others still can (its bookmark stays put).
            puller.report.error = exc.message
            log.warning("%s/%s: %s", account, stream.name, exc.message)

    # -- status ------------------------------------------------------------------------------
    def status(self, account: str) -> AccountStatus:
        """The account's status read from the book now (a worker thread's call, or a test's)."""
        self._ledger_facts[account] = self._read_facts(account)
        return self._status(account)

    def _read_facts(self, account: str) -> tuple[datetime | None, int, str]:
        row = next((a for a in self.book.ledgers.accounts() if a.label == account), None)
        pending = account_counts(self.book, account).waiting
        limiter = self.limiters.get(account)
        kept = calls_left.at_rest(self.book, row, limiter) if row is not None else None
        if kept is not None:
            self._known_calls[account] = kept
        else:
            self._known_calls.pop(account, None)
        return (row.last_synced_at if row else None, pending, row.last_error if row else "")

    async def _refresh(self, account: str) -> None:
        self._ledger_facts[account] = await asyncio.to_thread(self._read_facts, account)

    def _status(self, account: str) -> AccountStatus:
        """From what is known in memory: events never wait for the database."""
        connector = self.connectors[account]
        last_synced, pending, last_error = self._ledger_facts.get(account, (None, 0, ""))
        phase = self._phase.get(account, Phase.IDLE)
        waiting = self._waiting.get(account, 0.0)
        info = VENDOR_INFO.get(connector.vendor)
        busy = phase in (Phase.SENDING, Phase.READING)
        calls = self._passes.get(account)
        known_at = None
        if calls is None and account in self._known_calls:  # until a pass plans them again
            kept = self._known_calls[account]
            calls = PassState(kept.calls_left, kept.eta_s, kept.waiting_for_night)
            known_at = kept.known_at
        return AccountStatus(
            account=account,
            vendor=connector.vendor,
            display_name=info.display_name if info else connector.vendor,
            phase=Phase.WAITING if waiting > 0 and busy else phase,
            last_synced_at=last_synced,
            pending=pending,
            waiting_s=waiting,
            error=last_error if phase is Phase.FAILED else "",
            calls_left=calls.calls_left if calls else 0,
            eta_s=calls.eta_s if calls else None,
            night_wait=self._night_wait.get(account, False),
            calls_waiting_for_night=calls.calls_waiting_for_night if calls else 0,
            calls_known_at=known_at,
        )

    def _rate_wait(self, account: str, seconds: float) -> None:
        self._waiting[account] = seconds
        if account in self.connectors and self._phase.get(account) in (
            Phase.SENDING,
            Phase.READING,
        ):
            self._emit(self._status(account))

    def _set_phase(self, account: str, phase: Phase) -> None:
        if self._phase.get(account) is not phase:
            self._phase[account] = phase
            self._emit(self._status(account))

    async def _finish(self, account: str, report: SyncReport) -> None:
        if report.cancelled:
            phase = Phase.CANCELLED
        elif report.ok:
            phase = Phase.DONE
        else:
            phase = Phase.FAILED
        self._phase[account] = phase
        self._waiting[account] = 0.0
        if not report.cancelled:
            await asyncio.to_thread(self._remember_error, account, report)
        await self._refresh(account)
        status = self._status(account)
        if report.error or not report.ok:
            errors_ = [report.error] + [f"{s.stream}: {s.error}" for s in report.streams if s.error]
            # (replace: the calls left stay shown after a cancel or an error)
            status = replace(
                status,
                phase=phase,
                waiting_s=0.0,
                error="; ".join(e for e in errors_ if e),
                needs_user=report.needs_user,
            )
        self._emit(status)

    def _remember_error(self, account: str, report: SyncReport) -> None:
        """The account's last error stays with it (the status bar shows it after a restart)."""
        if report.ok:
            return  # mark_synced cleared it
        row = next((a for a in self.book.ledgers.accounts() if a.label == account), None)
        if row is not None:
            text = report.error or "; ".join(
                f"{s.stream}: {s.error}" for s in report.streams if s.error
            )
            self.book.ledgers.save_account(replace(row, last_error=text))

    def _emit(self, event: SyncEvent) -> None:
        for sink in self._sinks:
            try:
                sink(event)
            except Exception:  # a listener's bug must not stop the sync
                log.exception("sync event listener failed")


class _DeferredCalls:
    """The per-record pass of one account, and the listings it replaces."""

    def __init__(self, run: PerRecordPass) -> None:
        self.pass_ = run
        self.replaced = {j.replaces_stream for j in run.jobs if j.replaces_stream}
        self.reports = run.reports

    async def plan(self) -> None:
        await self.pass_.plan()

    async def serve_wanted(self) -> None:
        await self.pass_.serve_wanted()

    async def run(self) -> None:
        await self.pass_.run()

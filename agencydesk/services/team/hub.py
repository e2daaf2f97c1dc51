"""The team hub (issue 14): one headless process that owns the agency's vendor accounts, syncs
them into the team's PostgreSQL book with one rate budget per account, and sends every desk's
edits to the vendors, a person's edit ahead of background sync.

Desks never talk to vendors and never hold vendor secrets: they ship edits into ``team_edits``
and read the book. The hub hears a shipped edit at once (``LISTEN agencydesk_edits``), applies it
to the book (its own outbox takes it from there, exactly once) and sends it; every
``interval_s`` it also reads every account from where it stopped.

The service (``run``) reads and sends side by side, each account under its ONE limiter: the read
never stops for an edit (a first sync takes hours at a vendor's rate, and stopping it for each
edit left the budget unspent while it restarted), and an edit's requests are foreground, so they
take the account's next free call ahead of the read's. ``SendFence`` keeps a page read before an
edit reached the vendor from overwriting what the edit stored.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx
from sqlalchemy import text

from agencydesk.services.conflict_cases import ConflictCases
from agencydesk.services.team import edits, link_decisions, vendor_outcomes
from agencydesk.services.team.hub_lock import HeldByTheRound, TeamSendLock
from agencydesk.services.team.hub_supervision import (
    AccountsResting,
    publish_problems,
    restarting,
)
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow
from agencydesk.store.postgres_engine import CHANGES_CHANNEL, EDITS_CHANNEL
from agencydesk.sync.engine import SyncEngine
from agencydesk.sync.events import SyncReport
from agencydesk.sync.outbox_sender import OutboxSender
from agencydesk.sync.registry import AccountProblem, AccountRegistry, SecretSource
from agencydesk.sync.send_fence import SendFence
from agencydesk.vendors.client_kit import call_tally, errors
from agencydesk.vendors.connector import Connector

log = logging.getLogger(__name__)

# Per-record calls the hub's read makes side by side per account (each waits for the account's
# limiter): while answers are being stored (one transaction for all that wait) the next requests
# are already out, so a loaded server still spends the whole budget. The limiter, not this,
# sets the pace: measured in bench_team_rate (5 desks, load 13), 4 left a thread's messages
# phase at 50-80% of the rate while each store took longer than 4 calls' slots.
READ_WORKERS = 8


@dataclass(slots=True)
class HubRound:
    """What one round of the hub did (printed by ``agencydesk hub``, asserted by tests)."""

    applied: list[edits.AppliedEdit] = field(default_factory=list)
    reports: list[SyncReport] = field(default_factory=list)
    problems: list[AccountProblem] = field(default_factory=list)
    # What vendors answered to desks' edits (refusals and conflicts go back to their desks).
    outcomes: list[vendor_outcomes.VendorOutcome] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [report.summary() for report in self.reports]
        out += [f"{p.account}: FAILED, {p.message}" for p in self.problems]
        refused = [a for a in self.applied if a.state == "refused"]
        if self.applied:
            out.append(f"desk edits: {len(self.applied) - len(refused)} applied")
        out += [f"desk edit {a.origin} refused: {a.error}" for a in refused]
        out += [
            f"desk edit {o.origin} back to its desk: {o.message}"
            for o in self.outcomes
            if o.state != "sent"
        ]
        return out


class TeamHub:
    def __init__(
        self,
        book: Book,
        http: httpx.AsyncClient,
        secrets: SecretSource | Mapping[str, Mapping[str, str]],
        *,
        rate_scale: float = 1.0,
        read_workers: int = READ_WORKERS,
    ) -> None:
        self.book = book
        # One registry for the hub's whole life: each account keeps one limiter, whichever
        # round (a desk's edit or the background read) makes the call.
        self.registry = AccountRegistry(book, http, secrets, rate_scale=rate_scale)
        self.send_lock = TeamSendLock(book)
        self._reading: SyncEngine | None = None  # the engine of the service's read, while it runs
        self.fence = SendFence()  # the service's read and sends, record by record
        self.read_workers = read_workers
        self._connecting = asyncio.Lock()
        self._read_ended = False  # since the sender last looked
        self.resting = AccountsResting()  # accounts an unexpected error stopped, for a while
        # label -> (what the connector was built from, hashed; the connector), kept round to
        # round: a connector holds its sign-in (AgencyZoom's JWT, L141), and a new connector
        # per round signs in again, one call of the account's budget for every desk edit sent.
        self._kept: dict[str, tuple[str, Connector]] = {}

    async def apply_edits(self) -> list[edits.AppliedEdit]:
        def apply() -> list[edits.AppliedEdit]:
            done: list[edits.AppliedEdit] = []
            while True:
                with self.book.writing() as conn:
                    batch = edits.apply_queued(conn)
                done += batch
                if not batch:
                    break
            if any(a.kind == link_decisions.KIND for a in done):
                self.book.links.relink_changed()  # desks' link decisions: the book follows
            return done

        return await asyncio.to_thread(apply)

    async def run_round(self, *, read: bool = True) -> HubRound:
        """Apply shipped edits, then send every account's outbox and (when ``read``) read it,
        all under the team database's send lock: one hub at a time applies and sends
        (``SendLockBusy`` when another holds it)."""
        async with self.send_lock:
            result = HubRound(applied=await self.apply_edits())
            connectors, result.problems = await self._connect()
            if read and connectors:
                engine = SyncEngine(
                    self.book,
                    connectors,
                    limiters=self.registry.limiters,
                    send_lock=HeldByTheRound(self.book),
                    wanted=self.registry.wanted,
                    per_record_workers=self.read_workers,
                    survive_bugs=True,
                )
                result.reports = await engine.sync()
            elif connectors:
                sends = map(self._send, connectors)
                result.reports = list(await asyncio.gather(*sends))
            result.outcomes = await asyncio.to_thread(self._settle_outcomes)
        return result

    async def _connect(self) -> tuple[list[Connector], list[AccountProblem]]:
        """Every account's connector: the one kept from an earlier round while the account's
        row and secrets are unchanged, else a new one (an account edited with ``hub account
        add`` while the hub runs is connected afresh; a removed one is closed)."""
        async with self._connecting:  # the service's read and sender both ask
            return await self._connect_now()

    async def _connect_now(self) -> tuple[list[Connector], list[AccountProblem]]:
        rows = await asyncio.to_thread(self.book.ledgers.accounts)
        connectors: list[Connector] = []
        problems: list[AccountProblem] = []
        for row in rows:
            try:
                built_from = await self._built_from(row)
                kept = self._kept.get(row.label)
                if kept is None or kept[0] != built_from:
                    if kept is not None:
                        await kept[1].aclose()
                    self._kept[row.label] = (built_from, await self.registry.connector(row))
                connectors.append(self._kept[row.label][1])
            except Exception as exc:  # each account on its own: one bad entry must not stop all
                problems.append(AccountProblem(row.label, str(exc) or type(exc).__name__))
        for label in set(self._kept) - {row.label for row in rows}:
            await self._kept.pop(label)[1].aclose()
        return connectors, problems

    async def _built_from(self, row: AccountRow) -> str:
        """A digest of the row and secrets a connector is built from (the secrets themselves
        are not kept beside it)."""
        secrets = dict(await self.registry.secrets_of(row.label))
        what = [row.vendor, row.base_url, row.settings, secrets]
        return hashlib.sha256(json.dumps(what, sort_keys=True, default=str).encode()).hexdigest()

    async def aclose(self) -> None:
        """Close the kept connectors (the shared HTTP client is the caller's)."""
        kept, self._kept = self._kept, {}
        for _built_from, connector in kept.values():
            await connector.aclose()

    def _settle_outcomes(self) -> list[vendor_outcomes.VendorOutcome]:
        found = vendor_outcomes.settle(self.book, ConflictCases(self.book, self.registry))
        if any(o.state != "sent" for o in found):
            with self.book.writing() as conn:  # desks take their outcomes in at once
                conn.execute(text(f"NOTIFY {CHANGES_CHANNEL}"))
        return found

    async def _send(self, connector: Connector, *, link: bool = False) -> SyncReport:
        """Only the account's outbox: a desk's edit does not wait for a full read. ``link``:
        a read has ended, creates made without an id are looked up in what it stored."""
        report = SyncReport(connector.account, connector.vendor)
        sender = OutboxSender(
            self.book,
            connector,
            report,
            lambda: False,
            lambda _sent: None,
            self.fence,
            survive_bugs=True,
        )
        try:
            with call_tally.tallied() as calls:  # not the read's, made beside on this connector
                await sender.send_all()
                if link:
                    await sender.link_unlinked()
        except errors.VendorError as exc:
            report.error = exc.message
        report.edit_requests = calls.requests
        return report

    async def run(
        self,
        url: str,
        password: str | None,
        *,
        interval_s: float,
        stop: asyncio.Event,
        on_round: Callable[[HubRound], None] = lambda _r: None,
    ) -> None:
        """Until ``stop``: every account read from where it stopped, again every
        ``interval_s``, and beside it desks' edits applied and sent as soon as they are
        shipped. The team database's send lock is held throughout (``SendLockBusy`` when
        another hub holds it)."""
        wake = asyncio.Event()
        listener = asyncio.create_task(_listen(url, password, EDITS_CHANNEL, wake, stop))
        try:
            async with self.send_lock:
                # Each side started again after an error nobody foresaw, the other going on.
                reading = asyncio.create_task(
                    restarting(
                        "read", lambda: self._keep_reading(interval_s, stop, wake, on_round), stop
                    )
                )
                sending = asyncio.create_task(
                    restarting(
                        "sender", lambda: self._keep_sending(interval_s, stop, wake, on_round), stop
                    )
                )
                stopping = asyncio.create_task(stop.wait())
                both = {reading, sending}
                await asyncio.wait({*both, stopping}, return_when=asyncio.FIRST_COMPLETED)
                stopping.cancel()
                stop.set()  # asked to, or one side failed: the other ends too
                if self._reading is not None:
                    self._reading.cancel()  # after the page being stored
                wake.set()
                await asyncio.wait(both)
                for task in both:
                    task.result()  # a side that failed says why
        finally:
            listener.cancel()
            await asyncio.gather(listener, return_exceptions=True)
            await self.aclose()

    async def _keep_reading(
        self,
        interval_s: float,
        stop: asyncio.Event,
        wake: asyncio.Event,
        on_round: Callable[[HubRound], None],
    ) -> None:
        while not stop.is_set():
            done = HubRound()
            connectors, done.problems = await self._connect()
            connectors = self.resting.awake(connectors)
            if connectors:
                engine = SyncEngine(
                    self.book,
                    connectors,
                    limiters=self.registry.limiters,
                    send_lock=HeldByTheRound(self.book),
                    wanted=self.registry.wanted,
                    fence=self.fence,
                    per_record_workers=self.read_workers,
                    read_ahead=True,
                    survive_bugs=True,
                )
                self._reading = engine
                try:
                    done.reports = await engine.sync(send=False)
                finally:
                    self._reading = None
                self.resting.note(done.reports)
                await asyncio.to_thread(publish_problems, self.book, done.reports)
            on_round(done)
            self._read_ended = True
            wake.set()  # the sender links creates the read found, and settles what it marked
            await _stopped_within(stop, interval_s)

    async def _keep_sending(
        self,
        interval_s: float,
        stop: asyncio.Event,
        wake: asyncio.Event,
        on_round: Callable[[HubRound], None],
    ) -> None:
        while not stop.is_set():
            await _wait(wake, stop, interval_s)  # an edit, a read ended, or time to retry
            if stop.is_set():
                return
            link, self._read_ended = self._read_ended, False
            async with self.fence.first():  # the read's stores wait for these writes
                done = HubRound(applied=await self.apply_edits())
            connectors, done.problems = await self._connect()
            sends = (self._send(connector, link=link) for connector in connectors)
            done.reports = list(await asyncio.gather(*sends))
            async with self.fence.first():
                done.outcomes = await asyncio.to_thread(self._settle_outcomes)
            on_round(done)


async def _stopped_within(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        return


async def _wait(wake: asyncio.Event, stop: asyncio.Event, interval_s: float) -> None:
    """Wait for ``wake`` (and clear it), a stop or the interval."""
    waiters = [asyncio.create_task(wake.wait()), asyncio.create_task(stop.wait())]
    _done, pending = await asyncio.wait(
        waiters, timeout=interval_s, return_when=asyncio.FIRST_COMPLETED
    )
    for task in pending:
        task.cancel()
    wake.clear()


async def _listen(
    url: str, password: str | None, channel: str, wake: asyncio.Event, stop: asyncio.Event
) -> None:
    """Set ``wake`` on each notification of ``channel``; reconnect after a lost connection."""
    import psycopg

    from agencydesk.store.postgres_engine import libpq_conninfo

    while not stop.is_set():
        try:
            async with await psycopg.AsyncConnection.connect(
                libpq_conninfo(url, password), autocommit=True
            ) as conn:
                await conn.execute(f"LISTEN {channel}")
                wake.set()  # anything shipped while we were not listening
                async for _note in conn.notifies():
                    wake.set()
        except (psycopg.OperationalError, OSError) as exc:
            log.warning("listening for %s: %s; trying again in 2 s", channel, exc)
            await asyncio.sleep(2)

"""The team hub (issue 14): one headless process that owns the agency's vendor accounts, syncs
them into the team's PostgreSQL book with one rate budget per account, and sends every desk's
edits to the vendors, a person's edit ahead of background sync.

Desks never talk to vendors and never hold vendor secrets: they ship edits into ``team_edits``
and read the book. The hub hears a shipped edit at once (``LISTEN agencydesk_edits``), applies it
to the book (its own outbox takes it from there, exactly once) and sends it; every
``interval_s`` it also reads every account from where it stopped.
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
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow
from agencydesk.store.postgres_engine import CHANGES_CHANNEL, EDITS_CHANNEL
from agencydesk.sync.engine import SyncEngine
from agencydesk.sync.events import SyncProgress, SyncReport
from agencydesk.sync.outbox_sender import OutboxSender
from agencydesk.sync.registry import AccountProblem, AccountRegistry, SecretSource
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.connector import Connector

log = logging.getLogger(__name__)


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
    ) -> None:
        self.book = book
        # One registry for the hub's whole life: each account keeps one limiter, whichever
        # round (a desk's edit or the background read) makes the call.
        self.registry = AccountRegistry(book, http, secrets, rate_scale=rate_scale)
        self.send_lock = TeamSendLock(book)
        self._reading: SyncEngine | None = None  # the engine of a reading round, while it runs
        self._pages_read = 0  # pages that round's read has stored
        self._cut_wanted = False  # a desk's edit waits for that read's first page
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
                )
                engine.add_listener(self._on_progress)
                self._pages_read, self._cut_wanted = 0, False
                self._reading = engine
                try:
                    result.reports = await engine.sync()
                finally:
                    self._reading = None
            elif connectors:
                sends = map(self._send, connectors)
                result.reports = list(await asyncio.gather(*sends))
            result.outcomes = await asyncio.to_thread(self._settle_outcomes)
        return result

    async def _connect(self) -> tuple[list[Connector], list[AccountProblem]]:
        """Every account's connector: the one kept from an earlier round while the account's
        row and secrets are unchanged, else a new one (an account edited with ``hub account
        add`` while the hub runs is connected afresh; a removed one is closed)."""
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

    async def _send(self, connector: Connector) -> SyncReport:
        """Only the account's outbox: a desk's edit does not wait for a full read."""
        report = SyncReport(connector.account, connector.vendor)
        sender = OutboxSender(self.book, connector, report, lambda: False, lambda _sent: None)
        try:
            await sender.send_all()
        except errors.VendorError as exc:
            report.error = exc.message
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
        """Rounds until ``stop``: a full one every ``interval_s``, and a sending one as soon as
        a desk ships an edit."""
        wake = asyncio.Event()
        listener = asyncio.create_task(_listen(url, password, EDITS_CHANNEL, wake, stop))
        try:
            read = True
            while not stop.is_set():
                done, cut_short = await self._round_taking_edits(read, wake)
                on_round(done)
                if cut_short:  # a person's edit stopped the read: send it now, then read on
                    on_round(await self.run_round(read=False))
                    read = True
                    continue
                read = await _wait(wake, stop, interval_s)
        finally:
            listener.cancel()
            await asyncio.gather(listener, return_exceptions=True)
            await self.aclose()

    def _cut_short_at_a_page(self) -> None:
        """Stop the read once it has stored a page in this round (now, if it has)."""
        if self._reading is None:
            return
        if self._pages_read:
            self._reading.cancel()
        else:
            self._cut_wanted = True  # at the first page stored (``_on_progress``)

    def _on_progress(self, event: object) -> None:
        if isinstance(event, SyncProgress) and event.stream:  # a page read and stored
            self._pages_read += 1
            if self._cut_wanted and self._reading is not None:
                self._reading.cancel()

    async def _round_taking_edits(self, read: bool, wake: asyncio.Event) -> tuple[HubRound, bool]:
        """One round, and whether a desk's edit cut its read short. A read can take hours (a
        first sync at a vendor's rate): a desk's edit arriving meanwhile is applied to the book
        at once (every desk sees it), and the read stops at its next page, so the edit is sent
        now; the next round reads on from the bookmarks the read stored page by page. (Not
        sent in the middle of the read: a send racing the read of the same record is what the
        solo engine never does either.) A read cut short always stores a page first: desks
        editing faster than the read restarts would otherwise keep the first sync from ever
        finishing, and leave the account's budget unspent while it restarts."""
        round_task = asyncio.create_task(self.run_round(read=read))
        applied: list[edits.AppliedEdit] = []
        while not round_task.done():
            woken = asyncio.create_task(wake.wait())
            await asyncio.wait({round_task, woken}, return_when=asyncio.FIRST_COMPLETED)
            woken.cancel()
            if wake.is_set() and not round_task.done():
                wake.clear()
                batch = await self.apply_edits()
                applied += batch
                if batch and self._reading is not None:
                    self._cut_short_at_a_page()
        done = round_task.result()
        done.applied = applied + done.applied
        cut_short = any(report.cancelled for report in done.reports)
        if applied and not cut_short:
            wake.set()  # applied, not yet sent: the next round is a sending one, now
        return done, cut_short


async def _wait(wake: asyncio.Event, stop: asyncio.Event, interval_s: float) -> bool:
    """Wait for a desk's edit, a stop or the interval; True when it is time for a full read."""
    waiters = [asyncio.create_task(wake.wait()), asyncio.create_task(stop.wait())]
    done, pending = await asyncio.wait(
        waiters, timeout=interval_s, return_when=asyncio.FIRST_COMPLETED
    )
    for task in pending:
        task.cancel()
    woken = wake.is_set()
    wake.clear()
    return not done or not woken


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

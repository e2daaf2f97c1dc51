"""An account's per-record calls, made after every listing of the sync (``SyncEngine``): the
user's requests first, then the most useful parents (``PerRecordQueue``), each call's records
stored with the note that it was made (``RecordFetches.store_many``: one transaction, so a
sync killed anywhere resumes with the calls still due, none repeated, nothing lost).

With the account's ``per_record_at_night`` setting on, the bulk waits for the vendor's faster
rate (AgencyZoom: 60 a minute from 10 PM to 4 AM US Central, agencyzoom-api.txt L82) while the
user's requests still go at once; the sync then ends, and the next sync at night goes on."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from agencydesk.domain import RecordKind
from agencydesk.store.book import Book
from agencydesk.store.record_fetches import DueQuestion, FetchedCall, RecordFetches
from agencydesk.sync import calls_left
from agencydesk.sync.eta import CallsAhead, RateOutlook
from agencydesk.sync.events import StreamReport
from agencydesk.sync.links import linked
from agencydesk.sync.per_record_queue import NextCall, PerRecordQueue, WantedRecords
from agencydesk.sync.send_fence import SendFence
from agencydesk.sync.unstorable import set_aside_unstorable
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.connector import Connector
from agencydesk.vendors.per_record import FetchesPerRecord, PerRecordJob

log = logging.getLogger(__name__)

NIGHT_SETTING = "per_record_at_night"  # an account setting (not a secret): bool
# The ETA is worked out again at most this often (it replays the limiter call by call).
ETA_EVERY_S = 2.0
# Calls whose pace is measured: when the vendor answers (or we store) slower than the limit
# allows, the ETA follows the pace really kept instead of the documented rate.
PACE_CALLS = 200
# The count of calls left is kept in the book this often while the pass runs (and when it is
# planned and when it stops), so a restarted app shows it before the next sync plans again.
KEEP_EVERY_S = 60.0


@dataclass(frozen=True, slots=True)
class PassState:
    """What the status bar shows of the pass."""

    calls_left: int
    eta_s: float | None
    calls_waiting_for_night: int


def round_bookmark(job: str) -> str:
    return f"{job}:round"


class PerRecordPass:
    def __init__(
        self,
        book: Book,
        connector: Connector,
        limiter: AccountLimiter | None,
        wanted: WantedRecords,
        *,
        at_night: bool,
        cancelled: Callable[[], bool],
        on_state: Callable[[PassState], None],
        on_progress: Callable[[StreamReport], None],
        workers: int = 1,
        fence: SendFence | None = None,
    ) -> None:
        """``workers``: calls made side by side (each waits for the account's limiter; while one
        is stored the next is on its way). ``fence``: the account's outbox is sent meanwhile."""
        assert isinstance(connector, FetchesPerRecord)
        self.book = book
        self.connector = connector
        self.fetcher: FetchesPerRecord = connector
        self.limiter = limiter
        self.account = connector.account
        self.fetches = RecordFetches(book)
        self.queue = PerRecordQueue(self.account, wanted)
        self.at_night = at_night
        self._cancelled = cancelled
        self._on_state = on_state
        self._on_progress = on_progress
        self.workers = max(1, workers)
        self._fence = fence or SendFence()
        self._stores = _Stores(self)
        self.reports: dict[str, StreamReport] = {}
        self._parents: dict[RecordKind, dict[str, int]] = {}
        self._eta_at = 0.0
        self._eta: float | None = None
        self._outlook: RateOutlook | None = None
        # (monotonic time, calls made so far) per parent done: the pace really kept.
        self._made_at: deque[tuple[float, int]] = deque(maxlen=PACE_CALLS)
        self._calls_made = 0
        self._kept_at = 0.0

    @property
    def jobs(self) -> Sequence[PerRecordJob]:
        return self.fetcher.per_record_jobs()

    async def plan(self, *, quietly: bool = False) -> None:
        """Which calls are due, in order: after the listings, so every parent is known.
        ``quietly``: between two listings (no count or ETA to show yet)."""
        self.queue = PerRecordQueue(self.account, self.queue.wanted)
        now = datetime.now(UTC)
        for job in self.jobs:
            started = await asyncio.to_thread(self._round, job, now)
            question = DueQuestion(
                self.account,
                self.connector.vendor,
                job.name,
                job.parent,
                started,
                job.when_parent_changes,
                now.date(),
                job.set_aside_parents_of,
            )
            self.queue.add(job, await asyncio.to_thread(self.fetches.due, question))
            self.reports.setdefault(job.name, StreamReport(job.name))
        if not quietly:
            self._state(force=True)
            await self._keep_count(force=True)

    async def serve_wanted(self) -> None:
        """Between two listings: what the user opened or searched for meanwhile (its parent
        already listed) is read now, not after every list."""
        wanted = self.queue.wanted
        if not any(wanted.newest_first(self.account, job.parent) for job in self.jobs):
            return
        await self.plan(quietly=True)
        while not self._cancelled():
            call = self.queue.next(bulk=False)
            if call is None:
                return
            await self._make(call)
            self.queue.done(call)

    def _round(self, job: PerRecordJob, now: datetime) -> datetime | None:
        """When the job's current full round began (a new one once ``every`` has passed)."""
        if job.every is None:
            return None
        name = round_bookmark(job.name)
        stored = self.book.ledgers.bookmark(self.account, name)
        if stored and now - datetime.fromisoformat(stored) < job.every:
            return datetime.fromisoformat(stored)
        self.book.ledgers.store_page(self.account, name, [], bookmark=now.isoformat())
        return now

    def bulk_may_go(self) -> bool:
        """The bulk goes now unless it waits for a faster rate that does not apply yet."""
        if not self.at_night or self.limiter is None:
            return True
        return self._rate_outlook().is_fast(0.0)

    def _rate_outlook(self) -> RateOutlook:
        assert self.limiter is not None
        outlook = self._outlook
        if outlook is None or (self.limiter.wall_now() - outlook.now).total_seconds() > 30:
            outlook = self._outlook = RateOutlook(self.limiter)
        return outlook

    async def run(self) -> None:
        workers = [asyncio.create_task(self._work()) for _ in range(self.workers)]
        try:
            await asyncio.gather(*workers)
        except BaseException:
            for worker in workers:  # the first error ends the pass, as with one worker
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            raise
        self._state(force=True)
        await self._keep_count(force=True)

    async def _work(self) -> None:
        while not self._cancelled():
            call = self.queue.next(bulk=self.bulk_may_go())
            if call is None:
                break
            self.queue.begin(call)
            await self._make(call)
            self.queue.done(call)
            self._calls_made += call.job.calls
            self._made_at.append((time.monotonic(), self._calls_made))
            self._state()
            await self._keep_count()

    async def _keep_count(self, *, force: bool = False) -> None:
        if self.book.engine.dialect.name != "sqlite":
            return  # the team hub's: no window restarts on it, and no extra write in its reads
        now = time.monotonic()
        if not force and now - self._kept_at < KEEP_EVERY_S:
            return
        self._kept_at = now
        state = self.state()
        await asyncio.to_thread(
            calls_left.remember,
            self.book,
            self.account,
            state.calls_left,
            state.calls_waiting_for_night,
        )

    async def _make(self, call: NextCall) -> None:
        since = self._fence.begin()  # before the request: a send after it is newer
        try:
            fetched, answered, unstorable = await self._fetch(call)
            # Stored before this worker's next call, on purpose. On the hub a store waits while
            # a desk's edit is applied or sent (SendFence.first), so the read pauses then: with
            # answers stored behind the workers (tried in bench_team_rate, 5 desks, load 9-11)
            # the read went on parsing answers beside the edit, which then took 2.3-3.0 s
            # instead of 1.6, for no clear gain in rate; 16 workers instead of 8 did the same.
            await self._stores.store(_Pending(fetched, since))
        finally:
            self._fence.end(since)
        report = self.reports[call.job.name]
        report.quarantined += len(fetched.quarantined)
        report.unstorable += unstorable
        if answered:
            report.records += len(fetched.records)
            report.deleted += len(fetched.deleted)
            report.pages += 1
            self._on_progress(report)

    async def _fetch(self, call: NextCall) -> tuple[FetchedCall, bool, int]:
        """What the call brought, whether the vendor answered it with a page, and how many of
        its records the book could not store."""
        job, parent = call.job, call.parent
        try:
            page = await self.fetcher.fetch_for(job.name, parent.remote_id)
        except (errors.NotFound, errors.ValidationFailed) as exc:
            # The parent went (AgencyZoom answers 400 for an unknown id): its next listing says
            # so. Noted as made, so one such parent never holds up the rest.
            log.info("%s/%s %s: %s", self.account, job.name, parent.remote_id, exc.message)
            return FetchedCall(job.name, parent, []), False, 0
        except errors.BadPayload as exc:
            unreadable = [(f"{parent.remote_id}:{job.name}", "", exc.reason)]
            return FetchedCall(job.name, parent, [], quarantined=unreadable), False, 0
        set_aside_unstorable(page, self.book.engine.dialect.name)  # one parent's: a few records
        records = []
        for index, record in enumerate(page.records):
            link = page.links.get(index)
            local = await self._local(link) if link is not None else None
            records.append(
                record if local is None or link is None else linked(record, link[0], local)
            )
        deleted: list[tuple[RecordKind, str]] = []
        if job.answer_is_complete and not page.unreadable:
            cached = await asyncio.to_thread(
                self.fetches.children, self.account, job.kind, job.parent, parent.remote_id
            )
            seen = {r.provenance.remote_id for r in page.records if r.kind is job.kind}
            deleted = [(job.kind, remote_id) for remote_id in cached if remote_id not in seen]
        unreadable = [(u.remote_id, u.payload, u.reason) for u in page.unreadable]
        unstorable = sum(u.unstorable for u in page.unreadable)
        return FetchedCall(job.name, parent, records, deleted, unreadable), True, unstorable

    async def _local(self, link: tuple[RecordKind, str]) -> int | None:
        kind, remote_id = link
        known = self._parents.get(kind)
        if known is None:
            known = self._parents[kind] = await asyncio.to_thread(
                self.book.remote_ids, kind, self.connector.vendor, self.account
            )
        return known.get(remote_id)

    # -- what the status bar shows ---------------------------------------------------------------
    def state(self) -> PassState:
        left = self.queue.calls_left()
        waiting = 0 if self.bulk_may_go() else left
        return PassState(left, self._eta, waiting)

    def _state(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._eta_at >= ETA_EVERY_S:
            self._eta_at = now
            self._eta = self.eta()
        self._on_state(self.state())

    def eta(self) -> float | None:
        """Seconds until every due call is made at the documented rate (the bulk only at the
        faster rate when the setting says so)."""
        if self.limiter is None:
            return None
        left = self.queue.calls_left()
        outlook = RateOutlook(self.limiter)  # fresh: the window as it is now
        if self.at_night and outlook.has_fast_rate:  # now if night, else from 10 PM; to 4 AM
            return outlook.seconds_for(CallsAhead(0, left))
        by_rate = outlook.seconds_for(CallsAhead(left))
        made = self._made_at
        if by_rate is None or len(made) < PACE_CALLS // 2:
            return by_rate
        (first, calls_then), (last, calls_now) = made[0], made[-1]
        per_call = (last - first) / max(1, calls_now - calls_then)
        return max(by_rate, per_call * left)


def night_wait_of(settings: dict[str, object]) -> bool:
    value = settings.get(NIGHT_SETTING)
    return value is True or str(value).lower() in ("1", "true", "yes")


@dataclass(slots=True)
class _Pending:
    call: FetchedCall
    since: int  # the fence's epoch before its request
    stored: bool = False
    error: BaseException | None = None


class _Stores:
    """Calls made side by side are stored together: the worker that gets the turn stores every
    answer waiting, in one transaction, while the others' requests go on (one worker: one
    call per transaction, as before). A call is noted as made only with what it brought."""

    def __init__(self, run: PerRecordPass) -> None:
        self._run = run
        self._waiting: list[_Pending] = []
        self._turn = asyncio.Lock()

    async def store(self, item: _Pending) -> None:
        self._waiting.append(item)
        async with self._turn:
            if not item.stored and item.error is None:
                batch, self._waiting = self._waiting, []
                try:
                    await self._write(batch)
                except BaseException as exc:
                    for other in batch:
                        other.error = exc
                    raise
                for other in batch:
                    other.stored = True
        if item.error is not None:
            raise item.error

    async def _write(self, batch: list[_Pending]) -> None:
        run = self._run
        records = [r for item in batch for r in item.call.records]
        deleted = [d for item in batch for d in item.call.deleted]
        async with run._fence.storing(run.account, 0, records, deleted) as fresh:
            calls = [
                replace(
                    item.call,
                    records=fresh.records(item.call.records, item.since),
                    deleted=fresh.deleted(run.account, item.call.deleted, item.since),
                )
                for item in batch
            ]
            await asyncio.to_thread(run.fetches.store_many, run.account, calls)

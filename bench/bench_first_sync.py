"""First-sync benchmark (issue 13) against the AgencyZoom sandbox's ``large`` data, served on
loopback by ``agencydesk-sandbox`` in its own process, enforcing the documented limit (30 calls a
minute by day, 60 at night, agencyzoom-api.txt L82) with its windows scaled by ``--scale``, as
bench/bench_sync.py scales them; our limiter is scaled the same way.

Printed, in real seconds of this run and converted back to the vendor's real minute:
1. time until every lead and customer is listed;
2. time until the first 100 customers' policies are in;
3. the ETA the sync showed when half of its calls were made, against the time the rest really
   took (the error, target under 10%).

    .venv/bin/python bench/bench_first_sync.py [--size large] [--scale 60]

The whole first sync of ``large`` is ~51,000 calls: at ``--scale 60`` (30 calls a second) about
half an hour; ``--size small`` (~1,000 calls) is for trying it out.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_sync import sandbox_process

from agencydesk.domain import RecordKind
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow
from agencydesk.store.queries import ListQuery
from agencydesk.sync.engine import SyncEngine
from agencydesk.sync.eta import CallsAhead, finish_in
from agencydesk.sync.events import AccountStatus, SyncEvent, SyncProgress
from agencydesk.vendors.agencyzoom.connector import create_connector
from agencydesk.vendors.catalog import agencyzoom_limit, limiter_for

ACCOUNT = "AgencyZoom first sync"


@dataclass
class Watch:
    started: float
    requests: Callable[[], int]
    listed_at: float | None = None  # customers and leads streams both done
    listed_calls: int = 0
    policies_calls: int = 0
    streams_done: set[str] = field(default_factory=set)
    current: str = ""
    policies_at: float | None = None
    customers_with_policies: int = 0
    total_calls: int | None = None  # known once the per-record calls are planned
    half_at: float | None = None
    half_eta: float | None = None
    list_calls: int = 0

    def event(self, event: SyncEvent) -> None:
        now = time.perf_counter() - self.started
        if isinstance(event, SyncProgress) and event.stream:
            if self.current and event.stream != self.current:
                self.streams_done.add(self.current)
                if {"customers", "leads"} <= self.streams_done and self.listed_at is None:
                    self.listed_at, self.listed_calls = now, self.requests()
            self.current = event.stream
            if event.stream == "policies":
                self.customers_with_policies = event.pages
                if event.pages >= 100 and self.policies_at is None:
                    self.policies_at, self.policies_calls = now, self.requests()
        if isinstance(event, AccountStatus) and event.calls_left:
            made = self.requests()
            if self.total_calls is None:
                self.list_calls = made
                self.total_calls = made + event.calls_left
            if self.half_at is None and made >= self.total_calls / 2:
                self.half_at, self.half_eta = now, event.eta_s


async def first_sync(size: str, scale: float, workdir: Path) -> None:
    book = Book.open(workdir / "first.sqlite3")
    with sandbox_process(size, scale) as vendor:
        base = vendor["base_url"]
        book.ledgers.save_account(AccountRow(ACCOUNT, "agencyzoom", base))
        async with httpx.AsyncClient(timeout=60) as http:
            limiter = limiter_for("agencyzoom", rate_scale=scale)
            connector = create_connector(ACCOUNT, base, vendor, http, limiter)
            stats = connector.client.http.stats
            engine = SyncEngine(book, [connector], limiters={ACCOUNT: limiter})
            watch = Watch(time.perf_counter(), lambda: stats.requests)
            engine.add_listener(watch.event)
            [report] = await engine.sync()
            ended = time.perf_counter() - watch.started
    if not report.ok:
        raise SystemExit(f"sync failed: {report.summary()}")
    limit = agencyzoom_limit(datetime.now(UTC))
    minute = 60 / scale  # one of the vendor's minutes, in this run's seconds

    def real(seconds: float | None, calls: int) -> str:
        """This run's time, and the same calls at the real (unscaled) documented rate, where
        the rate, not the vendor's or our speed, is what they wait for."""
        if seconds is None:
            return "n/a"
        at_rate = finish_in(limiter_for("agencyzoom"), CallsAhead(calls)) or 0.0
        real_time = f"{at_rate:.0f} s" if at_rate < 120 else f"{at_rate / 60:.1f} min"
        return (
            f"{calls} calls, {seconds:.1f} s here ({seconds / minute:.1f} of the sandbox's"
            f" minutes); at the real rate {real_time}"
        )

    customers = book.count(RecordKind.CUSTOMER, ListQuery(every_record=True))
    print(
        f"first sync of AgencyZoom '{size}' at {limit}/min x{scale:g} ({limit} per {minute:g} s):"
        f" {stats.requests} calls ({watch.list_calls} before the per-record ones),"
        f" {stats.rate_limited} rate-limit answers, {ended:.0f} s" + f", {customers} customers"
    )
    print(f"  every lead and customer listed: {real(watch.listed_at, watch.listed_calls)}")
    print(f"  first 100 customers' policies in: {real(watch.policies_at, watch.policies_calls)}")
    if watch.half_at is not None and watch.half_eta is not None:
        actual = ended - watch.half_at
        error = (watch.half_eta - actual) / actual * 100
        print(
            f"  ETA at half-way ({watch.total_calls and watch.total_calls // 2} of"
            f" {watch.total_calls} calls): said {watch.half_eta:.1f} s, took {actual:.1f} s"
            f" (error {error:+.1f}%)"
        )
    print(f"  load average {os.getloadavg()[0]:.2f}")
    book.close()


def main() -> None:
    gc.freeze()  # as bench_sync: start-up objects out of every later full collection
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="large", choices=("small", "large"))
    parser.add_argument("--scale", type=float, default=60.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(first_sync(args.size, args.scale, Path(tmp)))


if __name__ == "__main__":
    main()

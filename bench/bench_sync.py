"""Sync benchmark (issue 4) against the AgencyZoom sandbox's ``large`` data, served on loopback
by ``agencydesk-sandbox`` in its own process (as a real vendor would be: the event-loop stall
figure then measures our side only):

1. a full sync: calls made vs the fewest the API allows, and how long the event loop ever
   stalled (what the GUI would feel);
2. a throttled sync with the sandbox enforcing the documented limit (30/min by day, 60 at
   night, windows scaled by ``--throttle-scale``): rate-limit answers provoked (target 0) and
   calls per minute vs allowed (target >= 95%);
3. an incremental sync after 100 vendor changes made through the API by another client (40
   leads, 30 customers, 30 tasks): calls, and which changes it saw.

    .venv/bin/python bench/bench_sync.py [--size large] [--throttle-seconds 60] [--full-only]

The stall figures depend on what else the machine runs: each is printed with the load average
(1 min) at the end of the run.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from agencydesk.domain import RecordKind
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow
from agencydesk.sync.engine import SyncEngine
from agencydesk.sync.events import SyncProgress
from agencydesk.vendors.agencyzoom.connector import AgencyZoomConnector, create_connector
from agencydesk.vendors.agencyzoom.mapping import lead_put_body
from agencydesk.vendors.agencyzoom.sandbox import create_sandbox
from agencydesk.vendors.catalog import agencyzoom_limit, limiter_for
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.sandbox_kit.base import SandboxOptions

ACCOUNT = "AgencyZoom bench"


@dataclass
class Run:
    requests: int
    rate_limited: int
    seconds: float
    max_stall_ms: float
    p99_stall_ms: float
    records: int


def fewest_calls(st: Any) -> int:
    """What a full read of this data needs at least, by the document's page maxima."""
    threads = [t for t in st.threads.values() if not t.deleted]
    per_channel = {c: sum(1 for t in threads if t.channel == c) for c in ("email", "text")}
    return (
        1  # sign in
        + math.ceil(len(st.customers) / 100)  # L343
        + math.ceil(len(st.leads) / 100)
        + len(st.leads)  # notes: one call per lead (L4212)
        + math.ceil(len(st.tasks) / 200)  # L6474
        + sum(math.ceil(max(n, 1) / 500) for n in per_channel.values())  # L1628
        + sum(max(1, math.ceil(len(t.live_messages()) / 500)) for t in threads)
        + 2 * len(st.customers)  # policies and AMS policies per customer (L934, L890)
    )


async def sync_once(
    book: Book, connector: AgencyZoomConnector, limiter: AccountLimiter, stop_after: float | None
) -> Run:
    engine = SyncEngine(book, [connector], limiters={ACCOUNT: limiter})
    lateness: list[float] = []
    running = True

    async def ticker() -> None:
        while running:
            before = time.perf_counter()
            await asyncio.sleep(0.01)
            lateness.append((time.perf_counter() - before - 0.01) * 1000)

    records = 0

    def count(event: object) -> None:
        nonlocal records
        if isinstance(event, SyncProgress) and event.stream:
            records = max(records, event.records)

    engine.add_listener(count)
    tick = asyncio.create_task(ticker())
    started = time.perf_counter()
    before = connector.client.http.stats.requests
    limited_before = connector.client.http.stats.rate_limited
    if stop_after is not None:
        asyncio.get_running_loop().call_later(stop_after, engine.cancel)
    [report] = await engine.sync()
    seconds = time.perf_counter() - started
    running = False
    await tick
    if not report.ok and not report.cancelled:
        raise SystemExit(f"sync failed: {report.summary()}")
    stats = connector.client.http.stats
    lateness.sort()
    p99 = lateness[int(len(lateness) * 0.99)] if lateness else 0.0
    return Run(
        stats.requests - before,
        stats.rate_limited - limited_before,
        seconds,
        lateness[-1] if lateness else 0.0,
        p99,
        records,
    )


@contextmanager
def sandbox_process(size: str, rate_scale: float) -> Iterator[dict[str, str]]:
    """``agencydesk-sandbox`` in a child process; yields its base_url and credentials."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [
        str(Path(sys.executable).with_name("agencydesk-sandbox")),
        "--vendor", "agencyzoom", "--size", size, "--port", str(port),
        "--rate-scale", str(rate_scale),
    ]  # fmt: skip
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603
    try:
        assert child.stdout is not None
        info = json.loads(child.stdout.readline())
        yield info
    finally:
        child.terminate()
        child.wait(10)


async def full_and_incremental(
    size: str, changes: int, workdir: Path, *, incremental: bool = True
) -> None:
    # Same seed and size as the child's: what the vendor holds, to count the fewest calls.
    st = create_sandbox(SandboxOptions(size=size)).state  # type: ignore[arg-type]
    book = Book.open(workdir / "full.sqlite3")
    # A scale this large makes the sandbox's windows microseconds long: no limit in effect.
    with sandbox_process(size, 1_000_000) as vendor:
        base = vendor["base_url"]
        book.ledgers.save_account(AccountRow(ACCOUNT, "agencyzoom", base))
        async with httpx.AsyncClient() as http:
            limiter = AccountLimiter(10**9)
            connector = create_connector(ACCOUNT, base, vendor, http, limiter)
            run = await sync_once(book, connector, limiter, None)
            fewest = fewest_calls(st)
            print(
                f"data: {len(st.customers)} customers, {len(st.leads)} leads, "
                f"{len(st.policies)} policies, {len(st.tasks)} tasks, {len(st.threads)} threads"
            )
            print(
                f"full sync: {run.requests} calls, fewest possible {fewest} "
                f"({(run.requests / fewest - 1) * 100:+.2f}%), {run.seconds:.0f} s, "
                f"event loop late by at most {run.max_stall_ms:.0f} ms "
                f"(99% of 10 ms ticks within {run.p99_stall_ms:.0f} ms), "
                f"load average {os.getloadavg()[0]:.2f}"
            )
            if not incremental:
                book.close()
                return
            editor = create_connector("someone else", base, vendor, http, AccountLimiter(10**9))
            picked = await _change_at_vendor(editor, st, changes)
            limiter = AccountLimiter(10**9)
            connector = create_connector(ACCOUNT, base, vendor, http, limiter)
            inc = await sync_once(book, connector, limiter, None)
        print(
            f"incremental sync after {changes} vendor changes: {inc.requests} calls, "
            f"{inc.seconds:.1f} s; changes seen now: {_seen(book, picked)}"
        )
    book.close()


async def _change_at_vendor(
    editor: AgencyZoomConnector, st: Any, changes: int
) -> dict[str, list[int]]:
    """Another AgencyZoom user edits records (through the API, as the vendor's own UI would)."""
    leads, customers = int(changes * 0.4), int(changes * 0.3)
    tasks = changes - leads - customers
    c = editor.client
    picked = {
        "lead": [i for i in list(st.leads)[:: max(1, len(st.leads) // leads)] if i][:leads],
        "customer": list(st.customers)[:: max(1, len(st.customers) // customers)][:customers],
        "task": list(st.tasks)[:: max(1, len(st.tasks) // tasks)][:tasks],
    }
    for i in picked["lead"]:
        current = await c.lead(str(i))
        path = f"/v1/api/leads/{i}"
        if str(current.get("leadType")) == "commercial":
            path += "/update-biz-lead"
        await c.send("PUT", path, lead_put_body(current, {"city": f"Bench lead {i}"}))
    for i in picked["customer"]:
        await c.send("PUT", f"/v1/api/customers/{i}", {"city": f"Bench customer {i}"})
    for i in picked["task"]:
        await c.send("PUT", f"/v1/api/tasks/{i}", {"title": f"Bench task {i}"})
    return picked


def _seen(book: Book, picked: dict[str, list[int]]) -> str:
    parts = []
    for kind, ids in picked.items():
        field = "title" if kind == "task" else "city"
        got = 0
        for i in ids:
            record = book.find_remote(RecordKind(kind), "agencyzoom", ACCOUNT, str(i))
            if record is not None and getattr(record, field) == f"Bench {kind} {i}":
                got += 1
        parts.append(f"{kind}s {got}/{len(ids)}")
    return (
        ", ".join(parts)
        + " (customers and tasks have no change filter: their 2-hourly full listing brings"
        " the rest)"
    )


async def throttled(size: str, scale: float, seconds: float, workdir: Path) -> None:
    book = Book.open(workdir / "throttled.sqlite3")
    with sandbox_process(size, scale) as vendor:
        base = vendor["base_url"]
        book.ledgers.save_account(AccountRow(ACCOUNT, "agencyzoom", base))
        async with httpx.AsyncClient() as http:
            limiter = limiter_for("agencyzoom", rate_scale=scale)
            connector = create_connector(ACCOUNT, base, vendor, http, limiter)
            run = await sync_once(book, connector, limiter, seconds)
    book.close()
    limit = agencyzoom_limit(datetime.now(UTC))
    allowed = limit * scale  # calls per real minute
    per_minute = run.requests / run.seconds * 60
    # The vendor counts in fixed windows: in this time it would have let through at most
    # this many (the first window's burst included).
    window = 60 / scale
    most = math.ceil(run.seconds / window) * limit
    print(
        f"throttled sync ({run.seconds:.0f} s, documented limit x{scale:g}: {limit} per "
        f"{window:g} s): {run.rate_limited} rate-limit answers; {per_minute:.0f} calls/min of "
        f"{allowed:.0f} allowed ({per_minute / allowed * 100:.1f}%); {run.requests} of the "
        f"{most} calls its windows allowed in that time ({run.requests / most * 100:.1f}%)"
    )


def main() -> None:
    # What the app's composition root should do after start-up too: the objects alive by now
    # (modules, Qt, caches) stay out of every later full collection, which otherwise pauses
    # the event loop ~100 ms at a time on a loaded machine.
    gc.freeze()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="large", choices=("small", "large"))
    parser.add_argument("--changes", type=int, default=100)
    # 30 calls per 6 s: the sandbox answers a 10,000-customer search in ~50 ms on a busy
    # machine, so the limit (not the vendor's speed) is what the run meets.
    parser.add_argument("--throttle-scale", type=float, default=10.0)
    parser.add_argument("--throttle-seconds", type=float, default=60.0)
    parser.add_argument(
        "--full-only", action="store_true", help="only the full sync (calls and event-loop stall)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if not args.full_only:
            asyncio.run(throttled(args.size, args.throttle_scale, args.throttle_seconds, workdir))
        asyncio.run(
            full_and_incremental(args.size, args.changes, workdir, incremental=not args.full_only)
        )


if __name__ == "__main__":
    main()

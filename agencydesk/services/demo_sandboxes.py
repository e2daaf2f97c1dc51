"""``agencydesk --demo`` through the real path: the five vendor sandboxes served on loopback, one
account per vendor added to the fresh demo profile (secrets in the keyring like any other), and
the book filled by syncing through the real clients. If that fails, the local demo book is the
fallback, so the demo always opens with something in it.

The sandboxes' rate-limit windows are shortened by ``DEMO_RATE_SCALE`` (the accounts say so in
their settings, so our limiter keeps to the same shortened windows): the limits are honoured,
only faster, and the demo fills in seconds instead of the minutes AgencyZoom's 30 calls a minute
would take.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import httpx

from agencydesk.services.accounts import AccountDraft, AccountStore, info_names
from agencydesk.store.book import Book
from agencydesk.sync.engine import SyncEngine
from agencydesk.sync.events import EventSink, SyncReport
from agencydesk.sync.registry import AccountRegistry
from agencydesk.vendors.catalog import vendor_info
from agencydesk.vendors.sandbox_kit.base import SandboxOptions
from agencydesk.vendors.sandbox_kit.fleet import Fleet, serve_vendors
from agencydesk.vendors.sandbox_kit.registry import VENDORS

log = logging.getLogger(__name__)

DEMO_SEED = 2026
DEMO_RATE_SCALE = 600.0


@dataclass(slots=True)
class DemoSandboxes:
    fleet: Fleet
    labels: list[str] = field(default_factory=list)  # the accounts added, one per vendor
    problems: dict[str, str] = field(default_factory=dict)  # vendor -> why it is missing

    def stop(self) -> None:
        self.fleet.stop()


def demo_label(vendor: str) -> str:
    return f"{vendor_info(vendor).display_name} (demo)"


async def start_demo_sandboxes(
    store: AccountStore,
    vendors: Sequence[str] = VENDORS,
    options: SandboxOptions | None = None,
) -> DemoSandboxes:
    """Serve the sandboxes (in threads) and add one account per vendor that came up."""
    opts = options or SandboxOptions(seed=DEMO_SEED, size="small", rate_scale=DEMO_RATE_SCALE)
    # On the calling (GUI) thread, ~0.4 s for the five: building the sandboxes' people is a burst
    # of allocation, and a cyclic collection it set off in a worker thread would free Qt
    # wrappers there, which crashes Qt. The servers themselves run in their own threads.
    fleet = serve_vendors(vendors, opts)
    demo = DemoSandboxes(fleet, problems=dict(fleet.skipped))
    for served in fleet.served:
        names = info_names(vendor_info(served.vendor))
        credentials = {k: v for k, v in served.sandbox.credentials.items() if k in names}
        draft = AccountDraft(
            served.vendor,
            demo_label(served.vendor),
            served.base_url,
            credentials,
            {"rate_scale": str(opts.rate_scale)},
        )
        try:
            row = await store.add(draft)
        except Exception as exc:  # one vendor's trouble must not stop the demo
            demo.problems[served.vendor] = str(exc)
            continue
        demo.labels.append(row.label)
    for vendor, why in demo.problems.items():
        log.warning("demo: %s left out: %s", vendor, why)
    return demo


def needs_fallback(reports: Sequence[SyncReport]) -> bool:
    """True when no account brought anything: the local demo book then fills the profile."""
    return not any(r.records for r in reports)


def fill_local_demo_book(book: Book) -> None:
    from agencydesk.services.demo_book import fill_demo_book

    fill_demo_book(book, seed=DEMO_SEED)


async def fill_demo_profile(
    book: Book,
    http: httpx.AsyncClient,
    *,
    on_event: EventSink | None = None,
    vendors: Sequence[str] = VENDORS,
) -> tuple[DemoSandboxes | None, list[SyncReport]]:
    """Headless: sandboxes up, accounts added, one sync through the real clients; the local demo
    book when that brings nothing. The caller stops the returned sandboxes at exit."""
    store = AccountStore(book)
    demo: DemoSandboxes | None = None
    reports: list[SyncReport] = []
    try:
        demo = await start_demo_sandboxes(store, vendors)
        registry = AccountRegistry(book, http, store.secrets, rate_scale=DEMO_RATE_SCALE)
        connectors, problems = await registry.connect()
        for problem in problems:
            log.warning("demo: %s: %s", problem.account, problem.message)
        if connectors:
            engine = SyncEngine(book, connectors, limiters=registry.limiters, on_event=on_event)
            try:
                reports = await engine.sync()
            finally:
                for connector in connectors:
                    await connector.aclose()
    except Exception:
        log.exception("demo: the sandboxes could not fill the book")
    if needs_fallback(reports):
        log.warning("demo: falling back to the local demo book")
        await asyncio.to_thread(fill_local_demo_book, book)
    return demo, reports

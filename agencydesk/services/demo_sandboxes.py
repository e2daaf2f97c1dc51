"""``agencydesk --demo`` through the real path: the five vendor sandboxes served on loopback, one
account per vendor added to the fresh demo profile (secrets in the keyring like any other), and
the book filled by syncing through the real clients. If that fails, the local demo book is the
fallback, so the demo always opens with something in it.

The sandboxes' credentials are throwaway (made up by the sandboxes for this session), so when the
machine has no usable OS keyring (a fresh Linux desktop without a Secret Service) the demo keeps
them in an in-process memory keyring instead of skipping the real path: ``use_demo_keyring``,
called only on this demo path. A real profile never gets it: its secrets go to the OS keyring or
nowhere.

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
import keyring
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringError, PasswordDeleteError

from agencydesk.services.accounts import AccountDraft, AccountStore, info_names
from agencydesk.store.book import Book
from agencydesk.sync.events import EventSink, SyncReport
from agencydesk.sync.registry import AccountRegistry
from agencydesk.sync.sync_run import SyncRun
from agencydesk.vendors.catalog import vendor_info
from agencydesk.vendors.sandbox_kit.base import SandboxOptions
from agencydesk.vendors.sandbox_kit.fleet import Fleet, serve_vendors
from agencydesk.vendors.sandbox_kit.registry import VENDORS

DEMO_VENDORS = VENDORS  # every vendor's sandbox serves the demo (the window's default)

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


class NotASandboxAccount(KeyringError):
    """The demo's memory keyring holds only the sandbox accounts' throwaway secrets."""


class DemoMemoryKeyring(KeyringBackend):
    """Secrets in this process only, gone at exit with the demo profile. It defines no
    ``priority``, so keyring's own backend discovery never picks it: only ``use_demo_keyring``
    installs it, explicitly. It keeps only the accounts the demo itself added for its sandboxes
    (``allow``): a real account added during the demo is refused, since its secret would be lost
    at exit while the user believes it saved."""

    def __init__(self) -> None:
        # (KeyringBackend.__init__ only reads KEYRING_PROPERTY_* settings, none of which apply)
        self._secrets: dict[tuple[str, str], str] = {}
        self._sandbox_labels: set[str] = set()

    def allow(self, label: str) -> None:
        """``label`` is one of the demo's sandbox accounts."""
        self._sandbox_labels.add(label)

    def get_password(self, service: str, username: str) -> str | None:
        return self._secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        if username not in self._sandbox_labels:
            raise NotASandboxAccount(
                "this demo has no system keyring, so it keeps only its sandbox accounts' "
                "throwaway credentials, in memory; add real accounts in your own profile "
                "(agencydesk --profile DIR) on a machine with a system keyring"
            )
        self._secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self._secrets.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


def keyring_usable() -> bool:
    """False when keyring found no store to keep secrets in (its fail or null backend, or a
    chain of none)."""
    found = keyring.get_keyring()
    if isinstance(found, chainer.ChainerBackend):
        return bool(found.backends)
    return not isinstance(found, fail.Keyring | null.Keyring)


def use_demo_keyring() -> bool:
    """For the demo only: without a usable OS keyring, keep the sandbox accounts' throwaway
    secrets in a memory keyring so the demo still syncs through the real clients. Returns True
    when it was installed."""
    if keyring_usable():
        return False
    keyring.set_keyring(DemoMemoryKeyring())
    log.info("demo: no usable OS keyring, the sandbox credentials are kept in memory")
    return True


def demo_label(vendor: str) -> str:
    return f"{vendor_info(vendor).display_name} (demo)"


async def start_demo_sandboxes(
    store: AccountStore,
    vendors: Sequence[str] = VENDORS,
    options: SandboxOptions | None = None,
) -> DemoSandboxes:
    """Serve the sandboxes (in threads) and add one account per vendor that came up (their
    secrets in a memory keyring when the OS has none usable: ``use_demo_keyring``)."""
    use_demo_keyring()
    opts = options or SandboxOptions(seed=DEMO_SEED, size="small", rate_scale=DEMO_RATE_SCALE)
    # On the calling (GUI) thread, ~0.4 s for the five: building the sandboxes' people is a burst
    # of allocation, and a cyclic collection it set off in a worker thread would free Qt
    # wrappers there, which crashes Qt. The servers themselves run in their own threads.
    fleet = serve_vendors(vendors, opts)
    demo = DemoSandboxes(fleet, problems=dict(fleet.skipped))
    memory = keyring.get_keyring()
    for served in fleet.served:
        if isinstance(memory, DemoMemoryKeyring):
            memory.allow(demo_label(served.vendor))
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
        outcome = await SyncRun(book, registry, on_event=on_event).run()
        for problem in outcome.problems:
            log.warning("demo: %s: %s", problem.account, problem.message)
        reports = outcome.reports
    except Exception:
        log.exception("demo: the sandboxes could not fill the book")
    if needs_fallback(reports):
        log.warning("demo: falling back to the local demo book")
        await asyncio.to_thread(fill_local_demo_book, book)
    return demo, reports

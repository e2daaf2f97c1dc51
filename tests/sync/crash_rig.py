"""What the exactly-once crash tests share: a vendor sandbox served on loopback behind the
``AfterApply`` hook, a profile with one account of that vendor, and ``agencydesk sync`` run as a
child process that the hook can SIGKILL right after the vendor applied a write."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agencydesk.domain import Record, RecordKind
from agencydesk.profile import Profile, prepare_profile
from agencydesk.store.book import Book
from agencydesk.store.convert import TABLES
from agencydesk.store.ledgers import AccountRow
from agencydesk.sync.registry import AccountRegistry
from agencydesk.vendors.catalog import vendor_info
from agencydesk.vendors.client_kit.tls import new_http_client
from agencydesk.vendors.connector import ChecksWrites
from agencydesk.vendors.sandbox_kit.after_apply import AfterApply, Applied
from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions
from agencydesk.vendors.sandbox_kit.registry import create_sandbox
from agencydesk.vendors.sandbox_kit.server import serve

ROOT = Path(__file__).resolve().parents[2]
RATE_SCALE = 600.0  # the documented limits, in windows 600 times shorter: kept, only faster


@dataclass
class Killer:
    """The hook's callback: SIGKILLs ``pid`` when armed (then disarms)."""

    pid: int | None = None
    kills: list[Applied] = field(default_factory=list)

    def __call__(self, applied: Applied) -> None:
        if self.pid is not None:
            os.kill(self.pid, signal.SIGKILL)
            self.kills.append(applied)
            self.pid = None


@dataclass
class CrashRig:
    vendor: str
    sandbox: Sandbox
    profile: Profile
    label: str
    base_url: str
    secrets: dict[str, str]
    hook: AfterApply
    killer: Killer

    def arm(self, method: str, path: str) -> None:
        """The next ``method`` request whose path matches ``path`` kills the sync once applied."""
        self.hook.method, self.hook.path, self.hook.times = method, path, 1

    def sync(self, *, kill: bool, read: bool = False) -> subprocess.CompletedProcess[str]:
        """``agencydesk sync`` (``--send-only`` unless ``read``: a full read of even a small
        sandbox is hundreds of calls, and reading is not what these tests are about)."""
        process = self.start_sync() if read else self.start_sync("--send-only")
        if kill:
            self.killer.pid = process.pid
        out, err = process.communicate(timeout=120)
        self.killer.pid = None
        return subprocess.CompletedProcess(process.args, process.returncode, out, err)

    def start_sync(self, *extra: str) -> subprocess.Popen[str]:
        env = {
            **os.environ,
            "PYTHON_KEYRING_BACKEND": "tests.sync.env_keyring.EnvKeyring",
            "AGENCYDESK_TEST_KEYRING": json.dumps({self.label: json.dumps(self.secrets)}),
            "QT_QPA_PLATFORM": "offscreen",
        }
        command = [sys.executable, "-m", "agencydesk", "sync", "--profile", str(self.profile.root)]
        return subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
            [*command, *extra],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    @contextmanager
    def book(self) -> Iterator[Book]:
        opened = Book.open(self.profile.cache_path)
        try:
            yield opened
        finally:
            opened.close()

    def read(self, kind: RecordKind, remote_id: str) -> Record:
        """One vendor record read through the vendor's own client (its ``read_back``)."""
        with self.book() as book:

            async def read() -> Record:
                async with new_http_client() as http:
                    registry = AccountRegistry(book, http, lambda _label: dict(self.secrets))
                    [row] = [a for a in book.ledgers.accounts() if a.label == self.label]
                    connector = await registry.connector(row)
                    assert isinstance(connector, ChecksWrites)
                    found = await connector.read_back(kind, remote_id)
                    await connector.aclose()
                    assert found is not None, f"{self.vendor} {kind} {remote_id} not readable"
                    return found

            return asyncio.run(read())

    def seed(self, kind: RecordKind, remote_id: str) -> int:
        """One vendor record into the book as a sync would have stored it; its local id."""
        record = self.read(kind, remote_id)
        with self.book() as book:
            [local_id] = book.ledgers.store_page(self.label, "seed", [record])
        return local_id


@contextmanager
def crash_rig(vendor: str, tmp_path: Path) -> Iterator[CrashRig]:
    sandbox = create_sandbox(vendor, SandboxOptions(size="small", rate_scale=RATE_SCALE))
    killer = Killer()
    hook = AfterApply(sandbox.app, "POST", r"^$", killer, times=0)
    info = vendor_info(vendor)
    names = {c.name for c in info.credentials}
    secret = {c.name for c in info.credentials if c.secret}
    creds = {k: v for k, v in sandbox.credentials.items() if k in names}
    label = f"{info.display_name} crash"
    profile = prepare_profile(tmp_path / "profile")
    with serve(hook) as server:
        book = Book.open(profile.cache_path)
        settings: dict[str, Any] = {k: v for k, v in creds.items() if k not in secret}
        settings["rate_scale"] = str(RATE_SCALE)
        book.ledgers.save_account(AccountRow(label, vendor, server.base_url, settings))
        book.close()
        yield CrashRig(
            vendor,
            sandbox,
            profile,
            label,
            server.base_url,
            {k: v for k, v in creds.items() if k in secret},
            hook,
            killer,
        )


def rows_where(book: Book, kind: RecordKind, **equal: Any) -> list[dict[str, Any]]:
    """The book's rows of ``kind`` whose columns equal ``equal`` (case-insensitive text)."""
    from sqlalchemy import func, select

    table = TABLES[kind]
    stmt = select(table)
    for name, value in equal.items():
        column = table.c[name]
        stmt = stmt.where(func.lower(column) == str(value).lower())
    with book.reading() as conn:
        return [dict(r._mapping) for r in conn.execute(stmt)]

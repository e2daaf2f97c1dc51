"""Fixtures for the account tests: a book in the temporary profile and an AgencyZoom sandbox
served on loopback (real HTTP, as the app would reach the vendor)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agencydesk.store.book import Book
from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions
from agencydesk.vendors.sandbox_kit.registry import create_sandbox
from agencydesk.vendors.sandbox_kit.server import RunningServer, serve


@pytest.fixture
def book(profile_dir: Path) -> Iterator[Book]:
    opened = Book.open(profile_dir / "book.sqlite3")
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def agencyzoom_served() -> Iterator[tuple[Sandbox, RunningServer]]:
    sandbox = create_sandbox("agencyzoom", SandboxOptions(size="small"))
    with serve(sandbox.app) as server:
        yield sandbox, server

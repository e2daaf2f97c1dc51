"""Fixtures for the account tests: a book in the temporary profile and an AgencyZoom sandbox
served on loopback (real HTTP, as the app would reach the vendor).

The profile starts with a current, empty cache copied from the session's migrated one
(``empty_cache``), so the book and the CLI open it as on any start after the first instead of
migrating it again in every test (creating and migrating a cache is tested in tests/store)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agencydesk.profile import prepare_profile
from agencydesk.store.book import Book
from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions
from agencydesk.vendors.sandbox_kit.registry import create_sandbox
from agencydesk.vendors.sandbox_kit.server import RunningServer, serve
from tests.book_files import place_cache


@pytest.fixture
def profile_dir(profile_dir: Path, empty_cache: Path) -> Path:
    place_cache(empty_cache, prepare_profile(profile_dir).cache_path)
    return profile_dir


@pytest.fixture
def book(profile_dir: Path) -> Iterator[Book]:
    opened = Book.open(prepare_profile(profile_dir).cache_path)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def agencyzoom_served() -> Iterator[tuple[Sandbox, RunningServer]]:
    sandbox = create_sandbox("agencyzoom", SandboxOptions(size="small"))
    with serve(sandbox.app) as server:
        yield sandbox, server

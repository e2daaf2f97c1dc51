"""CSV fixtures: a fresh book in a temporary profile, and a way to write test files byte-exact.

The profile starts with a current, empty cache copied from the session's migrated one
(``empty_cache``), so the book and the CLI open it as on any start after the first instead of
migrating it again in every test (creating and migrating a cache is tested in tests/store)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from agencydesk.profile import prepare_profile
from agencydesk.store.book import Book
from tests.book_files import place_cache

WriteCsv = Callable[..., Path]


@pytest.fixture
def profile_dir(profile_dir: Path, empty_cache: Path) -> Path:
    place_cache(empty_cache, prepare_profile(profile_dir).cache_path)
    return profile_dir


@pytest.fixture
def csv_book(profile_dir: Path) -> Iterator[Book]:
    opened = Book.open(prepare_profile(profile_dir).cache_path)
    yield opened
    opened.close()


@pytest.fixture
def write_csv(tmp_path: Path) -> WriteCsv:
    """write_csv(text_or_bytes, name="in.csv", encoding="utf-8") -> path of the file."""

    def write(content: str | bytes, name: str = "in.csv", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        data = content if isinstance(content, bytes) else content.encode(encoding)
        path.write_bytes(data)
        return path

    return write

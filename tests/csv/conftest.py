"""CSV fixtures: a fresh book in a temporary profile, and a way to write test files byte-exact."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from agencydesk.profile import prepare_profile
from agencydesk.store.book import Book

WriteCsv = Callable[..., Path]


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

"""A test's own book, copied from the migrated empty cache the session made once (the
``empty_cache`` fixture): the same schema as a freshly opened one, without migrating again."""

from __future__ import annotations

import shutil
from pathlib import Path

from agencydesk.store.book import Book


def fresh_book(empty_cache: Path, path: Path) -> Book:
    return Book.open(place_cache(empty_cache, path))


def place_cache(empty_cache: Path, path: Path) -> Path:
    """A copy of the migrated empty cache at ``path`` (e.g. a profile's ``cache_path``), so the
    code under test finds a current cache there, as on any start after the first, instead of
    migrating a new one; returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(empty_cache, path)
    return path

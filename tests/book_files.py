"""A test's own book, copied from the migrated empty cache the session made once (the
``empty_cache`` fixture): the same schema as a freshly opened one, without migrating again."""

from __future__ import annotations

import shutil
from pathlib import Path

from agencydesk.store.book import Book


def fresh_book(empty_cache: Path, path: Path) -> Book:
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(empty_cache, path)
    return Book.open(path)

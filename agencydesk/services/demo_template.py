"""Today's demo book, kept ready between demo starts (issue 13: ``./run-demo`` shows its window
in under 2 s). Generating the seeded demo agency and loading it into a fresh cache costs a few
seconds of CPU (its migrations included); the first demo of the day does it and keeps a copy in
the user's cache folder, and every later demo that day starts from a copy of that file.

The copy is taken right after the demo records are loaded, before anything else touches the
book: it holds only the synthetic agency (no profile id, no accounts, no secrets). It is named by
seed, date (the demo's renewals and due dates follow today), schema revision and version, so a
new day or an updated AgencyDesk builds a fresh one; older copies are removed then."""

from __future__ import annotations

import contextlib
import logging
import os
from datetime import date
from pathlib import Path

import platformdirs

from agencydesk import APP_NAME, ORG_NAME, __version__
from agencydesk.store.book import Book
from agencydesk.store.schema import newest_named_revision

log = logging.getLogger(__name__)
_PREFIX = "demo-book-"


def template_folder() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, ORG_NAME))


def template_path(seed: int, today: date, folder: Path | None = None) -> Path:
    name = f"{_PREFIX}{seed}-{today.isoformat()}-{newest_named_revision()}-{__version__}.sqlite3"
    return (folder or template_folder()) / name.replace("+", "_")


def place_demo_book(target: Path, seed: int, today: date, folder: Path | None = None) -> bool:
    """Copy today's kept demo book to ``target`` (a new demo profile's cache, not there yet);
    False when none is kept (the caller fills the book, then ``keep_demo_book``)."""
    source = template_path(seed, today, folder)
    if target.exists() or not source.is_file():
        return False
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out, source.open("rb") as copied:
            while chunk := copied.read(1 << 20):
                out.write(chunk)
    except OSError:
        log.warning("the kept demo book %s could not be copied; building it", source)
        with contextlib.suppress(OSError):
            target.unlink()
        return False
    return True


def forget_demo_book(seed: int, today: date, folder: Path | None = None) -> None:
    """A kept copy that failed to open (damaged on disk): the next demo builds it again."""
    with contextlib.suppress(OSError):
        template_path(seed, today, folder).unlink()


def keep_demo_book(book: Book, seed: int, today: date, folder: Path | None = None) -> None:
    """Keep a copy of ``book``, just filled with the demo agency, for the next demo starts; older
    copies go. Best effort: a demo that cannot keep one still starts (slower next time)."""
    path = template_path(seed, today, folder)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        for old in path.parent.glob(f"{_PREFIX}*"):
            if old != path:
                old.unlink()
        partial = path.with_name(path.name + ".partial")
        book.copy_to(partial)
        os.replace(partial, path)  # whole or not at all: a half-written copy is never used
    except OSError as error:
        log.warning("could not keep the demo book for the next start: %s", error)

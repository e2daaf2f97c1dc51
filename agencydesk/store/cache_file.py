"""The cache file itself, with nothing but the standard library (no SQLAlchemy, so the window's
start can use it before SQLAlchemy is loaded): is it ours to use (not locked, SQLite, whole:
quick_check unless it was closed cleanly), owner-only, and at which schema revision.
``sqlite_engine`` re-exports the checks for the store."""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import stat
import time
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_REVISION = re.compile(r'^revision(?:: str)? = "([^"]+)"', re.MULTILINE)
_DOWN = re.compile(r'^down_revision(?:: [^=]+)? = (None|"[^"]+")', re.MULTILINE)


def problem_kind(message: str) -> str:
    """What an SQLite error says about the file: "locked", "unwritable" or "corrupt"."""
    if "locked" in message or "busy" in message:
        return "locked"
    if "unable to open" in message or "readonly" in message or "read-only" in message:
        return "unwritable"
    return "corrupt"


class FileProblem(Exception):
    """Why a file cannot be used: ``kind`` is "locked", "unwritable" or "corrupt"."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


# quick_check reads the whole file: 1.4-2.5 s for the 351 MB 100k-lead benchmark book (7 s with a
# cold disk cache, 2 busy cores), more than everything else a start costs. A damaged cache used
# anyway can lose the edits waiting in its outbox, so it runs on every open that follows anything
# but our own clean close: a crash, a kill, a power cut, a first open, a file copied in or changed
# by another program (``closed_cleanly``). After a clean close nothing has written the file since
# we last had it whole, and the check would only re-read what we wrote. Above this size the
# caller is told first (and every few seconds after) why opening takes a moment.
PROGRESS_ABOVE = 64 * 1024 * 1024
PROGRESS_EVERY_S = 2.0
Progress = Callable[[str], None]
CACHE_FILE_MODE = 0o600
SIDE_FILES = ("", "-wal", "-shm")


def make_private(path: Path) -> None:
    """The cache and its -wal and -shm files are the owner's only (0600), whoever's umask made
    them: a missing cache is created 0600 (SQLite gives the -wal and -shm files it makes later
    the database file's mode), an existing one loses any group and other access."""
    if os.name != "posix":
        return  # Windows: the profile folder's ACL (the user's data folder) protects it
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, CACHE_FILE_MODE)
    except FileExistsError:
        pass
    except OSError:
        return  # a missing folder or a read-only place: Book.open reports it
    else:
        os.close(fd)
    for suffix in SIDE_FILES:
        side = path.with_name(path.name + suffix)
        with contextlib.suppress(OSError):  # not there (yet), or not ours: SQLite will say
            mode = stat.S_IMODE(side.stat().st_mode)
            if mode & 0o077:  # only taken away: a read-only cache stays read-only
                side.chmod(mode & 0o700)


CLEAN_CLOSE_SUFFIX = ".closed-cleanly"


def _file_states(path: Path) -> list[list[int]]:
    """Size and modification time (ns) of the cache and its -wal file ([] for a missing one)."""
    states: list[list[int]] = []
    for suffix in ("", "-wal"):
        try:
            found = Path(f"{path}{suffix}").stat()
        except OSError:
            states.append([])
        else:
            states.append([found.st_size, found.st_mtime_ns])
    return states


def mark_closed_cleanly(path: Path) -> None:
    """After the engine's last connection closed: remember the files as we left them."""
    marker = Path(f"{path}{CLEAN_CLOSE_SUFFIX}")
    with contextlib.suppress(OSError):  # no marker: the next open checks the file, no harm
        marker.write_text(json.dumps(_file_states(path)), encoding="utf-8")


def closed_cleanly(path: Path) -> bool:
    """Whether the last user of ``path`` closed it cleanly and nothing changed it since. The
    marker is used up: a session that now crashes leaves none behind."""
    marker = Path(f"{path}{CLEAN_CLOSE_SUFFIX}")
    try:
        remembered = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    with contextlib.suppress(OSError):
        marker.unlink()
    return bool(remembered) and remembered == _file_states(path)


def check_file(
    path: Path, lock_timeout: float, verify: bool = True, progress: Progress | None = None
) -> None:
    """Raise FileProblem when ``path`` exists but is locked, not SQLite or fails quick_check
    (unless ``verify`` is False). ``progress`` hears why a big file takes a moment."""
    if not path.exists() or path.stat().st_size == 0:
        return
    size = path.stat().st_size
    try:
        conn = sqlite3.connect(path, timeout=lock_timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise FileProblem("corrupt", str(exc)) from exc
    try:
        conn.execute("BEGIN IMMEDIATE")  # fails after lock_timeout if someone holds the lock
        # Reading the schema proves it is SQLite at all ("file is not a database" otherwise).
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        check = "PRAGMA quick_check" if verify else "SELECT 'ok'"
        if verify and progress is not None and size > PROGRESS_ABOVE:
            _report_progress(conn, path, size, progress)
        result: Sequence[Any] = conn.execute(check).fetchall()
        conn.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        raise FileProblem(problem_kind(str(exc)), str(exc)) from exc
    except sqlite3.DatabaseError as exc:
        raise FileProblem("corrupt", str(exc)) from exc
    finally:
        conn.close()
    problems = [str(row[0]) for row in result if row[0] != "ok"]
    if problems:
        lines = "\n".join(problems).splitlines()
        raise FileProblem("corrupt", "; ".join(lines[:4])[:400])


def _report_progress(conn: sqlite3.Connection, path: Path, size: int, progress: Progress) -> None:
    """Say what is happening before the check starts, then every ``PROGRESS_EVERY_S``."""
    megabytes = size / (1024 * 1024)
    progress(f"Checking the cache {path.name} ({megabytes:,.0f} MB) for damage before using it…")
    started = time.monotonic()
    last = started

    def tick() -> int:
        nonlocal last
        now = time.monotonic()
        if now - last >= PROGRESS_EVERY_S:
            last = now
            progress(f"Still checking {path.name} ({now - started:.0f} s)…")
        return 0  # go on

    conn.set_progress_handler(tick, 100_000)


# --- the schema revision, read without Alembic ------------------------------------------------
@cache
def newest_named_revision() -> str | None:
    """The one revision no other revision file names as its parent, read from the files as
    text; None when that is not exactly one (Alembic then decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS / "versions").glob("[!_]*.py"):
        text = script.read_text(encoding="utf-8")
        revision, down = _REVISION.search(text), _DOWN.search(text)
        if revision is None or down is None:
            return None
        revisions.add(revision.group(1))
        if down.group(1) != "None":
            parents.add(down.group(1).strip('"'))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def is_current(path: Path) -> bool:
    """The cache at ``path`` is at the newest revision the revision files name (False for a
    new or unreadable file, or one at another revision: ``Book.open`` then migrates it or says
    why it cannot)."""
    newest = newest_named_revision()
    if newest is None or not path.exists():
        return False
    try:
        conn = sqlite3.connect(path)  # (it exists: nothing is created; only read)
    except sqlite3.Error:
        return False
    try:
        rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:  # no such table: a new file
        return False
    finally:
        conn.close()
    return [row[0] for row in rows] == [newest]

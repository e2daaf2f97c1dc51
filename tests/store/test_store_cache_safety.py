"""The cache file's safety: a damaged cache is found before it is used whatever its size (a big
one says why opening takes a moment), and the cache and its -wal and -shm files are the owner's
only (0600), whoever's umask created them."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from agencydesk.domain import Lead, RecordKind
from agencydesk.store import cache_file
from agencydesk.store.book import Book, CacheCorrupt
from agencydesk.store.queries import ListQuery

ROOT = Path(__file__).resolve().parents[2]
posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def _scribble_over_index(path: Path, index: str) -> None:
    conn = sqlite3.connect(path)
    [(root,)] = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (index,))
    [(page_size,)] = conn.execute("PRAGMA page_size")
    conn.close()
    with path.open("r+b") as file:
        file.seek((root - 1) * page_size + 8)
        file.write(b"\xff" * 200)


def test_a_big_damaged_cache_is_found_before_use_and_the_wait_is_explained(
    tmp_path: Path,
) -> None:
    path = tmp_path / "big.sqlite3"
    book = Book.open(path)
    book.bulk_load(Lead(id=i + 1, first_name=f"L{i}", stage=f"s{i % 7}") for i in range(2000))
    with book.writing() as conn:  # a book past the size where the check used to be skipped
        conn.exec_driver_sql("CREATE TABLE ballast (b BLOB)")
        size = cache_file.PROGRESS_ABOVE + 8 * 1024 * 1024
        conn.exec_driver_sql(f"INSERT INTO ballast VALUES (zeroblob({size}))")
    book.close()
    _scribble_over_index(path, "ix_leads_stage")
    assert path.stat().st_size > cache_file.PROGRESS_ABOVE

    heard: list[str] = []
    with pytest.raises(CacheCorrupt, match=r"big\.sqlite3") as caught:
        Book.open(path, progress=heard.append)
    assert "page" in caught.value.message
    assert heard
    assert "Checking the cache big.sqlite3" in heard[0]
    assert "MB" in heard[0]


def test_a_small_cache_opens_without_progress_messages(tmp_path: Path) -> None:
    heard: list[str] = []
    Book.open(tmp_path / "small.sqlite3", progress=heard.append).close()
    Book.open(tmp_path / "small.sqlite3", progress=heard.append).close()
    assert heard == []


@pytest.fixture
def loose_umask() -> Iterator[None]:
    previous = os.umask(0o022)  # what a shell usually has: new files readable by everyone
    yield
    os.umask(previous)


def _modes(path: Path) -> dict[str, int]:
    found = {}
    for suffix in ("", "-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        if side.exists():
            found[suffix or "db"] = stat.S_IMODE(side.stat().st_mode)
    return found


@posix_only
def test_a_new_cache_and_its_wal_and_shm_are_0600(tmp_path: Path, loose_umask: None) -> None:
    path = tmp_path / "new.sqlite3"
    book = Book.open(path)
    try:
        book.bulk_load([Lead(id=1, first_name="Wal")])  # the -wal and -shm files exist now
        assert _modes(path) == {"db": 0o600, "-wal": 0o600, "-shm": 0o600}
    finally:
        book.close()


@posix_only
def test_an_existing_world_readable_cache_is_tightened(tmp_path: Path, loose_umask: None) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)  # made by someone else with the loose umask
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    holder = sqlite3.connect(path)
    holder.execute("SELECT * FROM t").fetchall()  # keeps -wal and -shm in place
    conn.close()
    assert _modes(path)["db"] == 0o644
    book = Book.open(path)
    try:
        assert set(_modes(path).values()) == {0o600}
        assert {"db", "-wal", "-shm"} <= set(_modes(path))
    finally:
        book.close()
        holder.close()


@posix_only
def test_the_cli_creates_the_cache_0600_under_a_loose_umask(tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    done = subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "-m", "agencydesk", "account", "list", "--profile", str(profile)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: os.umask(0o022),  # only the child's umask
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert _modes(profile / "book.sqlite3")["db"] == 0o600


# The damage check reads the whole file (seconds on a big book): it runs after anything but our
# own clean close, and is skipped when the file is exactly as a clean close left it.
_OPEN_WRITE_AND_DIE = """
import os, signal, sys
from agencydesk.domain import Lead, RecordKind
from agencydesk.store.book import Book
book = Book.open(sys.argv[1])
book.save(Lead(first_name="Written", last_name="Before the crash"))
os.kill(os.getpid(), signal.SIGKILL)
"""


def _checks_on_open(path: Path) -> bool:
    heard: list[str] = []
    Book.open(path, progress=heard.append).close()
    return any(message.startswith("Checking the cache") for message in heard)


def test_a_clean_close_spares_the_next_open_the_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_file, "PROGRESS_ABOVE", 0)  # every check says so
    path = tmp_path / "book.sqlite3"
    Book.open(path).save(Lead(first_name="Ann"))  # never closed: as after a crash
    assert _checks_on_open(path)  # a file this session did not see closed
    assert not _checks_on_open(path)  # closed cleanly just before
    with sqlite3.connect(path) as other:  # another program wrote to it since
        other.execute("UPDATE leads SET city = 'Austin'")
    other.close()
    assert _checks_on_open(path)


@posix_only
@pytest.mark.system  # kills a real process
def test_after_a_killed_session_the_check_runs_and_the_data_is_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_file, "PROGRESS_ABOVE", 0)
    path = tmp_path / "book.sqlite3"
    Book.open(path).close()
    done = subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "-c", _OPEN_WRITE_AND_DIE, str(path)],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == -9, done.stderr
    assert _checks_on_open(path)
    book = Book.open(path)
    try:
        leads = book.page(RecordKind.LEAD, ListQuery(), 0, 10)
        assert [item.record.display_name for item in leads] == ["Written Before the crash"]
    finally:
        book.close()

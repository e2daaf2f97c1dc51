"""The first window loads only what it needs (issue 13: start-up within 3x a bare PySide6 +
sqlite3 window): the vendors' HTTP and sign-in libraries, the CSV services, Alembic, the
PostgreSQL dialect and the sandboxes' web server load later (after the first rows, or when first
used). A module-level import added on the window's path fails this test."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from agencydesk.domain import Lead
from agencydesk.store.book import Book

LOADED_LATER = (
    "httpx",
    "jwt",
    "alembic",
    "uvicorn",
    "psycopg",
    "sqlalchemy.dialects.postgresql",
    "agencydesk.services.csv_io",
    "agencydesk.services.sync_services",
    "agencydesk.ui.sync.accounts_dialog",
)

SCRIPT = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from agencydesk import app as composition
from agencydesk.profile import prepare_profile
from agencydesk.store.book import Book

qt = QApplication([])
book = Book.open(Path(sys.argv[1]))
window = composition.build_main_window(book, prepare_profile(Path(sys.argv[2])))
window.show()
qt.processEvents()
print(" ".join(sorted(sys.modules)))
window.close()
book.close()
"""


def test_the_first_window_loads_none_of_what_comes_later(tmp_path: Path) -> None:
    cache = tmp_path / "book.sqlite3"
    book = Book.open(cache)
    book.save(Lead(first_name="Ann", last_name="Lee"))
    book.close()
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SCRIPT, str(cache), str(tmp_path / "profile")],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    loaded = set(done.stdout.split())
    assert "agencydesk.ui.main_window" in loaded
    assert [name for name in LOADED_LATER if name in loaded] == []


START = """
import sys
from pathlib import Path
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
from agencydesk import app as composition
from agencydesk.profile import prepare_profile
from agencydesk.store.pending_book import PendingBook

qt = QApplication([])
cache = Path(sys.argv[1])
pending = PendingBook.start(cache)  # as app.open_for_window
if pending is None:
    from agencydesk.store.book import Book
source = pending or Book.open(cache)
window = composition.build_main_window(source, prepare_profile(Path(sys.argv[2])))
tab = window.current_tab()
model = tab.model
seen = []

def shown():
    rows = [
        "/".join(str(model.data(model.index(r, c))) for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]
    seen.append(("sqlalchemy" in sys.modules, rows))

model.shown.connect(shown)
window.show()
while not seen or window.reader.busy:
    waiting = QEventLoop()
    QTimer.singleShot(10, waiting.quit)
    waiting.exec()
print("from the recipe" if pending else "from the store")
print("store loaded" if seen[0][0] else "store not loaded")
print("\\n".join(seen[0][1]))
window.close()
composition.close_after_window(window, source)
"""


def _start(cache: Path, profile: Path) -> list[str]:
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", START, str(cache), str(profile)],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_the_next_start_shows_the_same_rows_before_the_store_loads(tmp_path: Path) -> None:
    """The first start reads through the store (and keeps its first question's statements when
    the window closes); the next one shows the same rows from the cache before SQLAlchemy is
    loaded. A cache changed by another program since is opened by the store again (checked),
    and the rows are the ones it holds now."""
    cache = tmp_path / "book.sqlite3"
    book = Book.open(cache)
    for first, last in (("Ann", "Lee"), ("Bob", "Diaz"), ("Cy", "Young")):
        book.save(Lead(first_name=first, last_name=last, email=f"{first.lower()}@example.com"))
    book.close()
    profile = tmp_path / "profile"

    first = _start(cache, profile)
    assert first[:2] == ["from the store", "store loaded"]
    assert len(first[2:]) == 3
    assert (tmp_path / "book.start-page.json").stat().st_mode & 0o077 == 0

    second = _start(cache, profile)
    assert second[:2] == ["from the recipe", "store not loaded"]
    assert second[2:] == first[2:]

    with sqlite3.connect(cache) as other:  # another program changes the cache meanwhile
        other.execute("UPDATE leads SET first_name = 'Anna' WHERE first_name = 'Ann'")
    other.close()
    third = _start(cache, profile)
    assert third[0] == "from the store"  # not closed by us as it is now: checked, then read
    assert any(row.startswith("Anna Lee/") for row in third[2:]), third

    fourth = _start(cache, profile)
    assert fourth[:2] == ["from the recipe", "store not loaded"]
    assert fourth[2:] == third[2:]

"""The first window loads only what it needs (issue 13: start-up within 3x a bare PySide6 +
sqlite3 window): the vendors' HTTP and sign-in libraries, the CSV services, Alembic, the
PostgreSQL dialect and the sandboxes' web server load later (after the first rows, or when first
used). A module-level import added on the window's path fails this test."""

from __future__ import annotations

import os
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

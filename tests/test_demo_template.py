"""The demo starts from a kept copy of today's demo book (issue 13: ./run-demo shows its window in
under 2 s): the first demo of the day builds the book and keeps a copy, later ones copy it."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from agencydesk import app
from agencydesk.domain import RecordKind
from agencydesk.profile import prepare_profile
from agencydesk.services import demo_template
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setattr(demo_template, "template_folder", lambda: folder)
    return folder


def _demo(root: Path) -> Book:
    return app.open_book(prepare_profile(root), demo=True)


def _leads(book: Book) -> list[tuple[int | None, str]]:
    items = book.page(RecordKind.LEAD, ListQuery(sort="id"), 0, 5000)
    return [(item.record.id, item.record.display_name) for item in items]


def test_the_second_demo_starts_from_the_first_ones_copy(tmp_path: Path, kept: Path) -> None:
    first = _demo(tmp_path / "one")
    built = _leads(first)
    first.close()
    (copy,) = kept.iterdir()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    made = copy.stat().st_mtime_ns
    second = _demo(tmp_path / "two")
    try:
        assert _leads(second) == built  # the same demo agency, down to the ids
        assert len(built) >= 3000
    finally:
        second.close()
    assert copy.stat().st_mtime_ns == made  # copied, not built again
    assert [p.name for p in kept.iterdir()] == [copy.name]


def test_a_damaged_copy_is_built_again(tmp_path: Path, kept: Path) -> None:
    kept.mkdir()
    from datetime import date

    damaged = demo_template.template_path(app.DEMO_SEED, date.today(), kept)
    damaged.write_bytes(b"not a database" * 100)
    stale = kept / "demo-book-2026-2001-01-01-0001-0.0.sqlite3"
    stale.write_bytes(b"yesterday's")
    book = _demo(tmp_path / "one")
    try:
        assert len(_leads(book)) >= 3000
    finally:
        book.close()
    assert [p.name for p in kept.iterdir()] == [damaged.name]  # rebuilt; the stale one gone
    assert damaged.read_bytes().startswith(b"SQLite format 3")

"""Screenshots (issue 12): every tab, every dialog and the sync details rendered offscreen at
1280x800 and 1920x1080 over the demo agency's book, each saved as a PNG (AGENCYDESK_SHOTS, else
a temporary folder) and failing on header or cell text cut off in a key column (names, policy
numbers, carriers, dates): the text's font width against the column's width (clipping.py)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QTableView, QTreeView, QWidget
from pytestqt.qtbot import QtBot

from agencydesk.profile import Profile, prepare_profile
from agencydesk.services.demo_book import fill_demo_book
from agencydesk.store.book import Book
from tests.ui.clipping import clipped
from tests.ui.conftest import settle

SIZES = ((1280, 800), (1920, 1080))
SHOTS = Path(os.environ.get("AGENCYDESK_SHOTS") or tempfile.gettempdir()) / "screens"


@pytest.fixture(scope="module")
def demo_profile(tmp_path_factory: pytest.TempPathFactory) -> Profile:
    """The demo agency's book, filled once for the module (a few seconds)."""
    profile = prepare_profile(tmp_path_factory.mktemp("demo") / "profile")
    book = Book.open(profile.cache_path)
    fill_demo_book(book)
    book.close()
    return profile


@pytest.fixture
def demo_window(qtbot: QtBot, demo_profile: Profile):  # type: ignore[no-untyped-def]
    from agencydesk.app import build_main_window

    book = Book.open(demo_profile.cache_path)
    window = build_main_window(book, demo_profile)
    qtbot.addWidget(window)
    yield window
    window.close()
    book.close()


def shoot(widget: QWidget, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    assert widget.grab().save(str(path)), path
    return path


def cut_texts(widget: QWidget) -> list[str]:
    """What every table and tree in ``widget`` cuts off in its key columns."""
    problems: list[str] = []
    for view in widget.findChildren(QTableView) + widget.findChildren(QTreeView):
        if view.isVisible() and view.model() is not None:
            name = view.objectName() or type(view).__name__
            problems += [f"{name}: {p}" for p in clipped(view)]
    return problems


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_tab_shows_its_key_columns_whole(
    qtbot: QtBot, demo_window, size: tuple[int, int]
) -> None:
    window = demo_window
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    assert (window.width(), window.height()) == size
    problems: list[str] = []
    for tab in window.tabs_list:
        window.tabs.setCurrentWidget(tab)
        settle(qtbot, window)
        QApplication.processEvents()  # the column fit queued for the shown rows
        settle(qtbot, window)
        assert tab.model.rowCount() > 0, tab.title
        shoot(window, f"tab-{tab.title.lower()}-{size[0]}x{size[1]}")
        problems += [f"{tab.title} at {size[0]}x{size[1]}: {p}" for p in cut_texts(tab)]
    assert not problems, "\n".join(problems)

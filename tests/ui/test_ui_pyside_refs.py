"""PySide6 must not lose references to None, True or False.

PySide6 6.12.0 did (measured on CPython 3.11): each ``QTimer.start()``/``stop()``/
``setInterval()`` call lost one reference to None, each ``signal.emit()`` one to True, and a
Python ``multiData`` override called by a painting view lost one to None per ``setData`` and one
on return. A few thousand selection changes then freed True and the interpreter aborted
("bool_dealloc"). pyproject.toml pins a PySide6 without the bug (6.11.3); these tests fail if a
future PySide6 brings it back, long before a user's session could abort. Each call is made ``N``
times: a lost reference shows as a count exactly ``N`` (or a multiple) lower.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QModelRoleDataSpan,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from agencydesk.domain import Lead, RecordKind
from agencydesk.services.book_reads import BookReads
from agencydesk.store.book import Book
from agencydesk.ui.paged_model import Column, PagedTableModel
from agencydesk.ui.reader import BookReader

N = 200  # far below what None/True/False hold in a test process, so a regression cannot abort

pytestmark = pytest.mark.skipif(
    sys.version_info >= (3, 12), reason="None, True and False are immortal there"
)


class _Emitter(QObject):
    happened = Signal()
    flag = Signal(bool)


def _singleton_counts() -> dict[str, int]:
    return {"None": sys.getrefcount(None), "True": sys.getrefcount(True),
            "False": sys.getrefcount(False)}  # fmt: skip


@pytest.fixture
def no_gc() -> Iterator[None]:
    """No collection mid-measurement: freeing a cycle that held None would look like a drop."""
    gc.collect()
    gc.disable()
    yield
    gc.enable()


def _lost(call: Callable[[], object], times: int = N) -> dict[str, int]:
    """How many references to each singleton ``times`` calls lost (0 when none)."""
    call()  # once first: caches, lazy signatures
    before = _singleton_counts()
    for _ in range(times):
        call()
    after = _singleton_counts()
    return {name: max(0, before[name] - after[name]) for name in before}


NO_LOSS = {"None": 0, "True": 0, "False": 0}


@pytest.mark.usefixtures("no_gc")
@pytest.mark.parametrize(
    "name", ["timer.start", "timer.stop", "timer.setInterval", "emit()", "emit(True)",
             "emit(False)"],
)  # fmt: skip
def test_void_calls_and_emits_keep_their_references(qapp: Any, name: str) -> None:
    timer, emitter = QTimer(), _Emitter()
    calls: dict[str, Callable[[], object]] = {
        "timer.start": lambda: timer.start(60_000),
        "timer.stop": timer.stop,
        "timer.setInterval": lambda: timer.setInterval(5),
        "emit()": emitter.happened.emit,
        "emit(True)": lambda: emitter.flag.emit(True),
        "emit(False)": lambda: emitter.flag.emit(False),
    }
    assert _lost(calls[name]) == NO_LOSS
    timer.stop()


class _RolesModel(QAbstractTableModel):
    """Answers painting through ``multiData``, setting None for most roles, as the tabs do."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else 6

    def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return f"{index.row()}:{index.column()}" if role == Qt.ItemDataRole.DisplayRole else None

    def multiData(
        self, index: QModelIndex | QPersistentModelIndex, roleDataSpan: QModelRoleDataSpan
    ) -> None:
        self.calls += 1
        for role_data in roleDataSpan:
            role_data.setData(self.data(index, role_data.role()))


@pytest.mark.usefixtures("no_gc")
def test_a_painting_view_and_multidata_keep_their_references(qtbot: QtBot) -> None:
    model = _RolesModel()
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(400, 300)
    view.show()
    qtbot.waitExposed(view)
    lost = _lost(lambda: view.viewport().grab(), times=10)
    assert model.calls >= 10 * 6 * 3  # every cell of every repaint went through multiData
    assert lost == NO_LOSS


@pytest.mark.usefixtures("no_gc")
def test_the_tabs_model_paints_without_losing_references(qtbot: QtBot, book: Book) -> None:
    book.save_many([Lead(first_name=f"P{i}", last_name="Lee") for i in range(30)])
    reader = BookReader(BookReads(book))
    model = PagedTableModel(
        reader, RecordKind.LEAD, [Column("Name", lambda item: item.record.display_name)]
    )
    model.active = True
    with qtbot.waitSignal(model.shown):  # the rows come from the reader, off the GUI thread
        model.refresh()
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(400, 600)
    view.show()
    qtbot.waitExposed(view)
    assert _lost(lambda: view.viewport().grab(), times=10) == NO_LOSS

"""Sync ▸ Set aside…: vendor payloads the sync could not read, each with its reason (naming the
field), the payload as received, and a way to forget the ones dealt with."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agencydesk.domain.formats import format_moment
from agencydesk.services.record_writes import ForgetSetAside, WriteFailed
from agencydesk.services.set_aside import SetAside
from agencydesk.store.ledgers import Quarantined
from agencydesk.ui.reader import BookReader
from agencydesk.ui.sync.list_dialog import Index, RowsModel
from agencydesk.ui.writer import BookWriter


def readable(payload: str) -> str:
    """JSON indented for reading; anything else exactly as received."""
    try:
        return json.dumps(json.loads(payload), indent=2, ensure_ascii=False)
    except ValueError:
        return payload


def when(moment: datetime | None) -> str:
    return format_moment(moment, "not yet")


class QuarantineModel(RowsModel):
    ACCOUNT, STREAM, REMOTE_ID, REASON, SEEN, TRIED = range(6)
    TITLES = ("Account", "List", "Vendor id", "Why it was set aside", "Seen", "Last tried")

    rows: list[Quarantined]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        item = self.rows[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == self.REASON:
            return item.reason
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        values = (
            item.account,
            item.stream,
            item.remote_id or "(no id)",
            item.reason,
            when(item.seen_at),
            when(item.last_tried_at),
        )
        return values[index.column()]


class QuarantineDialog(QDialog):
    loaded = Signal()  # the list is shown (after opening, and after each forget)

    def __init__(
        self,
        set_aside: SetAside,
        reader: BookReader,
        writer: BookWriter,
        parent: QWidget | None = None,
    ) -> None:
        """``reader`` and ``writer``: the window's (the list is read, and forgetting written,
        off the GUI thread); ``loaded`` once the list is shown."""
        super().__init__(parent)
        self.setObjectName("QuarantineDialog")
        self.setWindowTitle("Set aside: records the sync could not read")
        self.resize(860, 520)
        self.set_aside = set_aside
        self.reader = reader
        self.writer = writer
        self.intro = QLabel(
            "These came from a vendor in a shape AgencyDesk cannot read. The rest of the sync "
            "went on without them. Each sync reads them again, and one read correctly leaves "
            "this list: fix the record at the vendor and sync."
        )
        self.intro.setWordWrap(True)
        self.model = QuarantineModel(self)
        self.view = QTableView()
        self.view.setObjectName("quarantine_view")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(QuarantineModel.REASON, QHeaderView.ResizeMode.Stretch)
        self.payload = QPlainTextEdit()
        self.payload.setObjectName("payload")
        self.payload.setReadOnly(True)
        self.payload.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.payload.setPlaceholderText("Select a row to see the payload as it was received")
        split = self.split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(self.payload)
        split.setSizes([300, 160])
        self.empty = QLabel("Nothing is set aside: every record the vendors sent was readable.")
        self.empty.setObjectName("empty_note")
        # In the list's place while nothing is set aside (as the Outbox does): no empty table
        # and empty payload box to puzzle over.
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setProperty("role", "hint")
        self.empty.hide()
        self.forget_button = QPushButton("&Forget selected")
        self.forget_button.setObjectName("forget_button")
        self.forget_button.setToolTip("Remove from this list (the vendor's record is untouched)")
        self.forget_button.clicked.connect(self.forget_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.forget_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(split, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(buttons)
        self.view.selectionModel().selectionChanged.connect(self._selected)
        self.reload()

    def reload(self) -> None:
        set_aside = self.set_aside
        self.reader.request((id(self), "list"), lambda _reads: set_aside.records(), self._show)

    def _show(self, rows: list[Quarantined]) -> None:
        self.model.set_rows(rows)
        self.empty.setVisible(not self.model.rows)
        self.split.setVisible(bool(self.model.rows))
        if self.model.rows:
            self.view.selectRow(0)
        self._selected()
        self.loaded.emit()

    def selected(self) -> list[Quarantined]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.model.rows[r] for r in rows]

    def _selected(self) -> None:
        chosen = self.selected()
        self.forget_button.setEnabled(bool(chosen))
        self.payload.setPlainText(readable(chosen[0].payload) if chosen else "")

    def forget_selected(self) -> None:
        ids = tuple(q.id for q in self.selected())
        self.forget_button.setEnabled(False)
        self.writer.submit(ForgetSetAside(ids), lambda _written: self.reload(), self._not_forgotten)

    def _not_forgotten(self, failed: WriteFailed) -> None:
        self.intro.setText(f"{failed.message}. They are still listed; try again.")
        self._selected()

"""Sync ▸ Outbox… (Ctrl+Shift+O): every local change not yet at its vendor, in one list: waiting,
refused, failed and "may have been made", each with the vendor, the record, what it changes and
the vendor's own words, and Retry, Discard and Edit for the ones that wait for the user. An
action that is not possible is disabled with the reason as its tooltip and under the list."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agencydesk.services.outbox_review import OutboxItem, OutboxReview
from agencydesk.store.ledger_types import NOT_RESTORED
from agencydesk.ui.reader import BookReader
from agencydesk.ui.sync.list_dialog import Index, RowsModel
from agencydesk.ui.sync.outbox_actions import OutboxActions, gone_words, record_name

NEEDS_YOU = QColor("#b3261e")


def account_shown(vendor: str, account: str) -> str:
    """ "AgencyZoom · Main office"; an account already named after its vendor as it is
    ("AgencyZoom – Main office", not "AgencyZoom · AgencyZoom – Main office")."""
    if vendor.casefold() in account.casefold():
        return account
    return f"{vendor} · {account}"


class OutboxModel(RowsModel):
    STATE, VENDOR, RECORD, WHAT, MESSAGE, QUEUED = range(6)
    TITLES = ("State", "Account", "Record", "Change", "Vendor's message", "Queued")

    rows: list[OutboxItem]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        item = self.rows[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == self.MESSAGE:
            return item.message
        if role == Qt.ItemDataRole.ForegroundRole and item.needs_user:
            return NEEDS_YOU if index.column() == self.STATE else None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        entry = item.entry
        values = (
            item.state,
            account_shown(item.vendor, entry.account),
            f"{entry.kind.value.capitalize()}: {record_name(item)}"
            if item.record is not None
            else f"{entry.kind.value.capitalize()} {gone_words(item)}",
            item.what,
            item.message or "—",
            entry.created_at.astimezone().strftime("%m/%d/%Y %H:%M"),
        )
        return values[index.column()]


class OutboxView(QDialog):
    loaded = Signal()  # the list is shown (after opening, and after each change)

    def __init__(
        self,
        review: OutboxReview,
        reader: BookReader,
        actions: OutboxActions,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("OutboxView")
        self.setWindowTitle("Outbox: changes not yet at their vendor")
        self.resize(1000, 460)
        self.review = review
        self.reader = reader
        self.outbox_actions = actions
        intro = QLabel(
            "Your changes wait here until their vendor has them. A change the vendor refused "
            "waits for you: Retry sends it again, Edit corrects it, Discard drops it and the "
            "record takes back the vendor's values."
        )
        intro.setWordWrap(True)
        self.model = OutboxModel(self)
        self.view = QTableView()
        self.view.setObjectName("outbox_list")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(OutboxModel.MESSAGE, QHeaderView.ResizeMode.Stretch)
        self.why = QLabel()  # the selected change's vendor message, or why an action is off
        self.why.setObjectName("outbox_why")
        self.why.setWordWrap(True)
        self.why.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.empty = QLabel("Nothing is waiting: every change you made is at its vendor.")
        self.empty.setObjectName("empty_note")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setProperty("role", "hint")
        self.retry_button = self._button("&Retry", "retry", "Ctrl+R")
        self.edit_button = self._button("&Edit…", "edit", "F2")
        self.discard_button = self._button("&Discard…", "discard", "Delete")
        # Only for a deleted record that could not be put back here (shown when it applies).
        self.resync_button = self._button("Re-s&ync", "resync", "Ctrl+Shift+R")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for button in (
            self.resync_button,
            self.retry_button,
            self.edit_button,
            self.discard_button,
        ):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty, 1)  # in the list's place while nothing waits
        layout.addWidget(self.why)
        layout.addWidget(buttons)
        self.view.selectionModel().selectionChanged.connect(self._selected)
        self.view.doubleClicked.connect(lambda _index: self._run("edit"))
        actions.changed.connect(lambda _said: self.reload())
        self.reload()

    def _button(self, text: str, verb: str, key: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(f"outbox_{verb}")
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: self._run(verb))
        shortcut = QAction(button.text().replace("&", ""), self)
        shortcut.setShortcut(QKeySequence(key))
        shortcut.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.triggered.connect(lambda _checked=False: self._run(verb))
        self.view.addAction(shortcut)
        button.setToolTip(f"{text.replace('&', '').rstrip('…')} ({key})")
        return button

    def reload(self) -> None:
        review = self.review
        self.reader.request((id(self), "list"), lambda _reads: review.items(), self._show)

    def _show(self, items: list[OutboxItem]) -> None:
        chosen = self.selected()
        keep = chosen.entry.id if chosen else None
        # What waits for the user first, then what is on its way; oldest first in each.
        self.model.set_rows(sorted(items, key=lambda i: (not i.needs_user, i.entry.id)))
        self.empty.setVisible(not self.model.rows)
        self.view.setVisible(bool(self.model.rows))
        rows = [r for r, i in enumerate(self.model.rows) if i.entry.id == keep]
        if self.model.rows:
            self.view.selectRow(rows[0] if rows else 0)
        self._selected()
        self.loaded.emit()

    def selected(self) -> OutboxItem | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def _selected(self) -> None:
        item = self.selected()
        for button, why in (
            (self.retry_button, item.why_no_retry if item else "Select a change"),
            (self.edit_button, item.why_no_edit if item else "Select a change"),
            (self.discard_button, item.why_no_discard if item else "Select a change"),
        ):
            button.setEnabled(not why)
            button.setToolTip(why)
        self.resync_button.setVisible(item is not None and not item.why_no_resync)
        if item is None:
            self.why.clear()
            return
        lines = [f"{item.state} — {item.what} · {item.vendor}"]
        if item.message:
            # AgencyDesk's own words after the vendor's (the record could not come back) are
            # not the vendor's: a line of their own.
            said, ours, _rest = item.message.partition(NOT_RESTORED)
            lines.append(f"{item.vendor} said: {said.strip()}" if said.strip() else "")
            lines.append(ours)
            lines = [line for line in lines if line]
        off = {item.why_no_retry, item.why_no_edit, item.why_no_discard} - {""}
        if item.needs_user and off:
            lines.append(" ".join(sorted(off)))
        elif not item.needs_user:
            lines.append(item.why_no_retry)
        first, *rest = [escape(line) for line in lines]
        self.why.setText("<br>".join([f"<b>{first}</b>", *rest]))

    def _run(self, verb: str) -> None:
        item = self.selected()
        if item is not None:
            self.outbox_actions.run(verb, item.entry.id)

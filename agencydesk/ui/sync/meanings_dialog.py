"""Vendor accounts > Meanings…: what an account's own stages or statuses mean here (issue 11,
issue 15), for the vendors whose agencies name them themselves (Lofty's stages, ConeCRM's lead
statuses, AgencyBloc's policy statuses). The same mapping ``agencydesk meanings`` edits; saving
reads the account's cached records again with it (syncs use it from then on).

Each of the vendor's names the cache holds is listed with a choice of meaning; a name not yet
in the cache can be typed in. Reading goes through the window's reader, saving through a worker
thread; the cached records are read again with the mapping at once."""

from __future__ import annotations

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agencydesk.services.accounts import AccountStore
from agencydesk.services.value_mappings import Meanings
from agencydesk.services.vendor_catalog import vendor_display
from agencydesk.ui.csv.worker import BackgroundJob
from agencydesk.ui.reader import BookReader

NO_MEANING = "— none (its own name is shown)"


def _shown(value: str) -> str:
    return value.replace("_", " ").capitalize()


class MeaningsDialog(QDialog):
    loaded = Signal()
    saved = Signal(str)  # what was stored, for the status line

    def __init__(
        self, store: AccountStore, reader: BookReader, label: str, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("meanings_dialog")
        self.setWindowTitle(f"Meanings – {label}")
        self.resize(640, 420)
        self._store = store
        self._reader = reader
        self._label = label
        self._meanings: Meanings | None = None
        self._stored: dict[str, str] = {}
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._jobs: list[BackgroundJob] = []

        self.intro = QLabel("Reading…\n")  # two lines from the start, as the answer will be
        self.intro.setObjectName("intro")
        self.table = QTableWidget(0, 2)
        self.table.setObjectName("meanings")
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.new_name = QLineEdit()
        self.new_name.setObjectName("new_name")
        self.new_name.setPlaceholderText("Another name, as the vendor spells it")
        self.add_button = QPushButton("&Add")
        self.add_button.setObjectName("add_name")
        self.add_button.clicked.connect(self._add_typed)
        self.new_name.returnPressed.connect(self._add_typed)
        adding = QHBoxLayout()
        adding.addWidget(self.new_name, 1)
        adding.addWidget(self.add_button)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(adding)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._set_enabled(False)
        self.reload()

    def reload(self) -> None:
        self._reader.request(
            ("meanings", id(self)),
            lambda reads: reads.meanings(self._label),
            self._show,
            lambda error: self.intro.setText(f"The meanings could not be read: {error}"),
        )

    def _show(self, meanings: Meanings | None) -> None:
        self._meanings = meanings
        self.table.setRowCount(0)
        if meanings is None:
            self.intro.setText(f"{self._label}'s vendor names nothing of its own to map.")
            self.loaded.emit()
            return
        vendor = vendor_display(meanings.vendor)
        self.intro.setText(
            f"What each of {self._label}'s {meanings.noun}s means in AgencyDesk.\n"
            f"A {meanings.noun} with no meaning is shown by its own name and never written back "
            "as anything else."
        )
        self.table.setHorizontalHeaderLabels([f"{vendor} {meanings.noun}".strip(), "Means here"])
        self._stored = dict(meanings.rows)
        for name, ours in meanings.rows:
            self._add_row(name, ours)
        self._set_enabled(True)
        self.loaded.emit()

    def _add_row(self, name: str, ours: str) -> None:
        assert self._meanings is not None
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(name))
        combo = QComboBox()
        automatic = self._meanings.by_name.get(name, "")
        combo.addItem(f"— by its name: {_shown(automatic)}" if automatic else NO_MEANING, "")
        for value in self._meanings.allowed:
            if value != "other":
                combo.addItem(_shown(value), value)
        combo.setCurrentIndex(max(0, combo.findData(ours)))
        self.table.setCellWidget(row, 1, combo)

    def _add_typed(self) -> None:
        name = " ".join(self.new_name.text().split())
        if not name or self._meanings is None:
            return
        if name.casefold() in (n.casefold() for n in self.names()):
            self.message.setText(f"“{name}” is listed already.")
            return
        self._add_row(name, "")
        self.table.scrollToBottom()
        self.new_name.clear()
        self.message.setText("")

    def names(self) -> list[str]:
        items = (self.table.item(r, 0) for r in range(self.table.rowCount()))
        return [item.text() for item in items if item is not None]

    def choose(self, name: str, meaning: str) -> None:
        """Set ``name``'s meaning ('' for none) as the user would with its combo."""
        row = self.names().index(name)
        combo = self.table.cellWidget(row, 1)
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(combo.findData(meaning))

    def changes(self) -> dict[str, str | None]:
        found: dict[str, str | None] = {}
        for row, name in enumerate(self.names()):
            combo = self.table.cellWidget(row, 1)
            assert isinstance(combo, QComboBox)
            ours = str(combo.currentData() or "")
            if ours != self._stored.get(name, ""):
                found[name] = ours or None
        return found

    def save(self) -> None:
        if self._meanings is None:
            return
        changes = self.changes()
        if not changes:
            self.message.setText("Nothing changed.")
            return
        store, label, field = self._store, self._label, self._meanings.field
        job = BackgroundJob(
            lambda _progress, _cancel: store.save_meanings(label, field, changes), self._pool, self
        )
        self._jobs.append(job)
        self._set_enabled(False)
        count = len(changes)

        def stored(result: object) -> None:
            self._jobs.remove(job)
            noun = "meanings" if count > 1 else "meaning"
            records = "record" if result == 1 else "records"
            said = f"{label}: {count} {noun} saved; {result} {records} read again with them"
            self.message.setText(said)
            self.saved.emit(said)
            self.reload()

        def failed(error: object) -> None:
            self._jobs.remove(job)
            self.message.setText(f"Not saved: {error}")
            self._set_enabled(True)

        job.signals.finished.connect(stored)
        job.signals.failed.connect(failed)
        job.start()

    def _set_enabled(self, enabled: bool) -> None:
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if save is not None:
            save.setEnabled(enabled)
        for widget in (self.new_name, self.add_button):
            widget.setEnabled(enabled)

    def done(self, result: int) -> None:
        self._reader.forget(("meanings", id(self)))
        self._pool.waitForDone()  # a save under way is finished, not cut off
        super().done(result)

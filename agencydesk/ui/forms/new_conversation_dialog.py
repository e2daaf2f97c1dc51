"""New conversation (Ctrl+N on Threads): to a customer or lead found as you type, by email or
text, with its first message. The dialog only collects; the controller (ui/activity_actions.py)
searches and saves off the GUI thread and opens the user's mail or messaging app."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from agencydesk.domain import Channel, RecordKind
from agencydesk.store.queries import SearchHit
from agencydesk.ui.forms.dialog_parts import error_label, save_buttons

SEARCH_DELAY_MS = 150


@dataclass(frozen=True, slots=True)
class Draft:
    kind: RecordKind
    person_id: int
    channel: Channel
    subject: str
    text: str


class NewConversationDialog(QDialog):
    search_requested = Signal(str)  # what was typed in To
    save_requested = Signal(object)  # a Draft

    def __init__(self, person: SearchHit | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("new_conversation_dialog")
        self.setWindowTitle("New conversation")
        self.setMinimumWidth(540)
        self.person: SearchHit | None = None

        self.to = QLineEdit()
        self.to.setObjectName("to")
        self.to.setPlaceholderText("Type a customer's or lead's name, email or phone…")
        self.to.installEventFilter(self)
        self.hits = QListWidget()
        self.hits.setObjectName("to_hits")
        self.hits.setMaximumHeight(110)
        self.hits.itemActivated.connect(self._chosen)
        self.hits.hide()
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(lambda: self.search_requested.emit(self.to.text().strip()))
        self.to.textEdited.connect(self._typed)

        self.channels = QButtonGroup(self)
        row = QHBoxLayout()
        self.email_button = QRadioButton("&Email")
        self.text_button = QRadioButton("Te&xt")
        for number, button in enumerate((self.email_button, self.text_button)):
            choose = QKeySequence(f"Ctrl+{number + 1}")
            button.setToolTip(choose.toString(QKeySequence.SequenceFormat.NativeText))
            QShortcut(choose, self, button.click)
            self.channels.addButton(button, number)
            row.addWidget(button)
        row.addStretch(1)
        self.email_button.setChecked(True)
        self.channels.idToggled.connect(self._channel_toggled)

        self.subject = QLineEdit()
        self.subject.setObjectName("subject")
        self.text = QPlainTextEdit()
        self.text.setObjectName("first_message")
        self.text.setTabChangesFocus(True)
        self.text.setMinimumHeight(120)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.addRow("&To", self.to)
        self.form.addRow("", self.hits)
        self.form.addRow("Send by", row)
        self.form.addRow("&Subject", self.subject)
        self.form.addRow("&Message", self.text)

        self.note = QLabel(
            "No connected system sends email or texts: saving opens your mail or messaging "
            "app with this message to send, and keeps the conversation here."
        )
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: palette(placeholder-text);")
        self.error = error_label("conversation_error")
        self.buttons = save_buttons(self, self.request_save, "Ctrl+Enter")
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)

        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._channel_changed()
        if person is not None:
            self.choose(person)
            self.subject.setFocus()
        else:
            self.to.setFocus()

    # --- To: search as you type --------------------------------------------------------------
    def _typed(self, _text: str) -> None:
        self.person = None
        self._timer.start()

    def show_hits(self, hits: list[SearchHit]) -> None:
        self.hits.clear()
        for hit in hits:
            kind = "Customer" if hit.kind is RecordKind.CUSTOMER else "Lead"
            item = QListWidgetItem(f"{hit.title}    —  {kind}  {hit.subtitle}".rstrip())
            item.setData(Qt.ItemDataRole.UserRole, hit)
            self.hits.addItem(item)
        self.hits.setVisible(bool(hits) or bool(self.to.text().strip()))
        if not hits and self.to.text().strip():
            self.hits.addItem("No customer or lead matches")
        elif hits:
            self.hits.setCurrentRow(0)

    def _chosen(self, item: QListWidgetItem) -> None:
        hit = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(hit, SearchHit):
            self.choose(hit)
            (self.subject if self.subject.isVisible() else self.text).setFocus()

    def choose(self, hit: SearchHit) -> None:
        self.person = hit
        kind = "customer" if hit.kind is RecordKind.CUSTOMER else "lead"
        self.to.setText(f"{hit.title} ({kind})")
        self.hits.hide()
        self.error.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down moves into the matches; Enter takes the highlighted one."""
        if (
            watched is self.to
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and self.hits.isVisible()
        ):
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                row = self.hits.currentRow() + (1 if event.key() == Qt.Key.Key_Down else -1)
                self.hits.setCurrentRow(max(0, min(self.hits.count() - 1, row)))
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                item = self.hits.currentItem()
                if item is not None:
                    self._chosen(item)
                return True
        return super().eventFilter(watched, event)

    # --- channel, saving ---------------------------------------------------------------------
    def channel(self) -> Channel:
        return Channel.SMS if self.text_button.isChecked() else Channel.EMAIL

    def _channel_toggled(self, _id: int, on: bool) -> None:
        if on:
            self._channel_changed()

    def _channel_changed(self) -> None:
        email = self.channel() is Channel.EMAIL
        self.form.setRowVisible(self.subject, email)
        self.save_button.setText("Save and open in mail" if email else "Save and open in messages")

    def request_save(self) -> None:
        if self.person is None:
            self.show_error("Choose who it is to: type a name, then pick from the list.")
            self.to.setFocus()
            return
        if not self.text.toPlainText().strip():
            self.show_error("Write the first message.")
            self.text.setFocus()
            return
        self.save_button.setEnabled(False)
        self.save_requested.emit(
            Draft(
                self.person.kind,
                self.person.id,
                self.channel(),
                self.subject.text(),
                self.text.toPlainText(),
            )
        )

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.save_button.setEnabled(True)

"""The record actions every tab offers: new, edit, open and delete, each through the tab's
RecordEditor (the one place saves and deletes go) and the kind's validating form."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from agencydesk.domain import Record
from agencydesk.services.book_reads import RecordDetail
from agencydesk.store.queries import ListItem
from agencydesk.ui.forms.record_dialog import RecordDialog
from agencydesk.ui.forms.specs import form_for
from agencydesk.ui.record_names import title_of
from agencydesk.ui.record_view import RecordViewDialog

if TYPE_CHECKING:
    from agencydesk.ui.tabs.base import BaseTab


class RecordActions:
    """Mixed into BaseTab (``self`` is the tab)."""

    def new_record(self: BaseTab) -> RecordDialog:
        return self._form(f"New {self.noun}", self.blank_record())

    def edit_current(self: BaseTab) -> RecordDialog | None:
        record = self.current_record()
        if record is None:
            return None
        reason = self.editor.why_not_editable(record)
        if reason:
            self.message.emit(reason)
            return None
        return self._form(f"Edit {self.noun} – {title_of(record)}", record)

    def _form(self: BaseTab, title: str, record: Record) -> RecordDialog:
        specs, check = form_for(self.kind, self.editor.record_exists)
        dialog = RecordDialog(title, record, specs, check, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._saved(self.editor.save(dialog.result_record())))
        dialog.open()
        return dialog

    def _saved(self: BaseTab, record: Record) -> None:
        self.message.emit(f"Saved {self.noun} {title_of(record)}")
        self.refresh()
        if record.id is not None:
            self.reveal(record.id)

    def open_current(self: BaseTab) -> None:
        """Open the selected record in its own window once its related records are read."""
        item = self.current_item()
        if item is None:
            return
        record = item.record
        self.reader.request(
            (id(self), "open"),
            lambda reads: reads.detail(record),
            lambda detail: self._open_view(item, detail),
        )

    def _open_view(self: BaseTab, item: ListItem, detail: RecordDetail) -> RecordViewDialog:
        dialog = RecordViewDialog(
            title_of(item.record),
            self.detail_html(item, detail),
            can_edit=not self.editor.why_not_editable(item.record),
            parent=self,
        )
        dialog.edit_requested.connect(self.edit_current)
        dialog.link_clicked.connect(self.record_link_clicked)
        dialog.open()
        return dialog

    def delete_current(self: BaseTab) -> QMessageBox | None:
        record = self.current_record()
        if record is None:
            return None
        reason = self.editor.why_not_deletable(record)
        if reason:
            self.message.emit(reason)
            return None
        box = QMessageBox(
            QMessageBox.Icon.Question,
            f"Delete {self.noun}",
            f"Delete {self.noun} “{title_of(record)}”?\n\nThis cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("confirm_delete")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def on_click(button: Any) -> None:
            if box.standardButton(button) == QMessageBox.StandardButton.Yes:
                self.editor.delete(record)
                self.message.emit(f"Deleted {self.noun} {title_of(record)}")
                self.detail.clear()
                self.refresh()

        box.buttonClicked.connect(on_click)
        box.open()
        return box

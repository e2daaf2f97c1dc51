"""The record actions every tab offers: new, edit, open and delete, each through the tab's
RecordEditor (the one place saves and deletes go) and the kind's validating form."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from agencydesk.domain import Record
from agencydesk.ui.forms.record_dialog import RecordDialog
from agencydesk.ui.forms.specs import form_for
from agencydesk.ui.record_names import title_of
from agencydesk.ui.record_view import RecordViewDialog
from agencydesk.vendors.catalog import VENDOR_INFO

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
        specs, check = form_for(self.kind, self.book)
        dialog = RecordDialog(title, record, specs, check, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._save_or_confirm(title, dialog.result_record()))
        dialog.open()
        return dialog

    def _save_or_confirm(self: BaseTab, title: str, record: Record) -> QMessageBox | None:
        """Save, unless the vendor would clear fields it does not let us read: then ask, and
        save only on the user's explicit yes; "Keep editing" reopens the form with the edit."""
        warning = self.editor.write_warning(record)
        if not warning:
            self._saved(self.editor.save(record))
            return None
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            f"Save {self.noun}?",
            f"{warning}.\n\nSave anyway? Those fields will be empty in {_vendor_name(record)}.",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("confirm_write_risk")
        box.button(QMessageBox.StandardButton.Save).setText("Save and clear them")
        box.button(QMessageBox.StandardButton.Cancel).setText("Keep editing")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def on_click(button: Any) -> None:
            if box.standardButton(button) == QMessageBox.StandardButton.Save:
                self._saved(self.editor.save(record, confirmed_loss=True))
            else:
                self._form(title, record)

        box.buttonClicked.connect(on_click)
        box.open()
        return box

    def _saved(self: BaseTab, record: Record) -> None:
        self.message.emit(f"Saved {self.noun} {title_of(record)}")
        self.refresh()
        if record.id is not None:
            self.reveal(record.id)

    def open_current(self: BaseTab) -> RecordViewDialog | None:
        item = self.current_item()
        if item is None:
            return None
        dialog = RecordViewDialog(
            title_of(item.record),
            self.detail_html(item),
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


def _vendor_name(record: Record) -> str:
    info = VENDOR_INFO.get(record.provenance.vendor)
    return info.display_name if info else record.provenance.vendor

"""The record actions every tab offers: new, edit, open and delete, each through the tab's
RecordEditor (the one place saves and deletes go) and the kind's validating form. BaseTab's
methods of the same names call these."""

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
from agencydesk.vendors.catalog import VENDOR_INFO

if TYPE_CHECKING:
    from agencydesk.ui.tabs.base import BaseTab


def new_record(tab: BaseTab) -> RecordDialog:
    return _form(tab, f"New {tab.noun}", tab.blank_record())


def edit_current(tab: BaseTab) -> RecordDialog | None:
    record = tab.current_record()
    if record is None:
        return None
    reason = tab.editor.why_not_editable(record)
    if reason:
        tab.message.emit(reason)
        return None
    return _form(tab, f"Edit {tab.noun} – {title_of(record)}", record)


def _form(tab: BaseTab, title: str, record: Record) -> RecordDialog:
    specs, check = form_for(tab.kind, tab.editor.record_exists)
    dialog = RecordDialog(title, record, specs, check, tab)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(lambda: _save_or_confirm(tab, title, dialog.result_record()))
    dialog.open()
    return dialog


def _save_or_confirm(tab: BaseTab, title: str, record: Record) -> QMessageBox | None:
    """Save, unless the vendor would clear fields it does not let us read: then ask, and
    save only on the user's explicit yes; "Keep editing" reopens the form with the edit."""
    warning = tab.editor.write_warning(record)
    if not warning:
        _saved(tab, tab.editor.save(record))
        return None
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        f"Save {tab.noun}?",
        f"{warning}.\n\nSave anyway? Those fields will be empty in {_vendor_name(record)}.",
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
        tab,
    )
    box.setObjectName("confirm_write_risk")
    save, keep = (
        box.button(b) for b in (QMessageBox.StandardButton.Save, QMessageBox.StandardButton.Cancel)
    )
    if save is not None and keep is not None:
        save.setText("Save and clear them")
        keep.setText("Keep editing")
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def on_click(button: Any) -> None:
        if box.standardButton(button) == QMessageBox.StandardButton.Save:
            _saved(tab, tab.editor.save(record, confirmed_loss=True))
        else:
            _form(tab, title, record)

    box.buttonClicked.connect(on_click)
    box.open()
    return box


def _vendor_name(record: Record) -> str:
    info = VENDOR_INFO.get(record.provenance.vendor)
    return info.display_name if info else record.provenance.vendor


def _saved(tab: BaseTab, record: Record) -> None:
    tab.message.emit(f"Saved {tab.noun} {title_of(record)}")
    tab.refresh()
    if record.id is not None:
        tab.reveal(record.id)


def open_current(tab: BaseTab) -> None:
    """Open the selected record in its own window once its related records are read."""
    item = tab.current_item()
    if item is None:
        return
    record = item.record
    tab.reader.request(
        (id(tab), "open"),
        lambda reads: reads.detail(record),
        lambda detail: _open_view(tab, item, detail),
    )


def _open_view(tab: BaseTab, item: ListItem, detail: RecordDetail) -> RecordViewDialog:
    dialog = RecordViewDialog(
        title_of(item.record),
        tab.detail_html(item, detail),
        can_edit=not tab.editor.why_not_editable(item.record),
        parent=tab,
    )
    dialog.edit_requested.connect(tab.edit_current)
    dialog.link_clicked.connect(tab.record_link_clicked)
    dialog.open()
    return dialog


def delete_current(tab: BaseTab) -> QMessageBox | None:
    record = tab.current_record()
    if record is None:
        return None
    reason = tab.editor.why_not_deletable(record)
    if reason:
        tab.message.emit(reason)
        return None
    box = QMessageBox(
        QMessageBox.Icon.Question,
        f"Delete {tab.noun}",
        f"Delete {tab.noun} “{title_of(record)}”?\n\nThis cannot be undone.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        tab,
    )
    box.setObjectName("confirm_delete")
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def on_click(button: Any) -> None:
        if box.standardButton(button) == QMessageBox.StandardButton.Yes:
            tab.editor.delete(record)
            tab.message.emit(f"Deleted {tab.noun} {title_of(record)}")
            tab.detail.clear()
            tab.refresh()

    box.buttonClicked.connect(on_click)
    box.open()
    return box


def open_record(tab: BaseTab, record_id: int) -> None:
    """Open record ``record_id`` of the tab's kind in its own window (a policy link in a detail
    pane opens that policy, not the whole Policies list), wherever the tab's list stands."""

    def read(reads: Any) -> tuple[Record, RecordDetail] | None:
        record = reads.get(tab.kind, record_id)
        return None if record is None else (record, reads.detail(record))

    def shown(answer: tuple[Record, RecordDetail] | None) -> None:
        if answer is None:
            tab.message.emit(f"That {tab.noun} is no longer in the cache")
            return
        record, detail = answer
        dialog = RecordViewDialog(
            title_of(record),
            tab.detail_html(ListItem(record), detail),
            can_edit=not tab.editor.why_not_editable(record),
            parent=tab,
        )
        dialog.edit_requested.connect(
            lambda: _form(tab, f"Edit {tab.noun} – {title_of(record)}", record)
        )
        dialog.link_clicked.connect(tab.record_link_clicked)
        dialog.open()

    tab.reader.request((id(tab), "open", record_id), read, shown)

"""The record actions every tab offers: new, edit, open and delete, each through the kind's
validating form and the window's writer (saves and deletes run off the GUI thread, through the
RecordEditor, the one place they go). BaseTab's methods of the same names call these."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from agencydesk.domain import Customer, Lead, Record, RecordKind
from agencydesk.services.book_reads import RecordDetail
from agencydesk.services.linked_edits import EditTarget
from agencydesk.services.record_writes import (
    DeleteRecord,
    SaveLinked,
    SaveRecord,
    WriteFailed,
    Written,
)
from agencydesk.services.vendor_catalog import vendor_display
from agencydesk.store.queries import ListItem
from agencydesk.ui.forms.edit_targets_dialog import EditTargetsDialog
from agencydesk.ui.forms.record_dialog import RecordDialog, lock_status
from agencydesk.ui.forms.specs import form_for
from agencydesk.ui.record_names import title_of
from agencydesk.ui.record_view import RecordViewDialog

if TYPE_CHECKING:
    from agencydesk.ui.tabs.base import BaseTab


def new_record(tab: BaseTab) -> RecordDialog:
    return _form(tab, f"New {tab.noun}", tab.blank_record())


def edit_current(tab: BaseTab) -> RecordDialog | None:
    record = tab.current_record()
    if record is None:
        return None
    reason = tab.editor.why_not_editable(record)
    item = tab.current_item()
    if reason and item is not None and record.id is not None and " · " in item.held_in:
        # The row is a person (or policy) held by several systems and its own system cannot
        # change it: edit the freshest of its linked records whose system can.
        tab.reader.request(
            (id(tab), "edit_linked"),
            lambda reads: reads.detail(record).linked_records,
            lambda members: _edit_linked(tab, record, reason, members),
        )
        return None
    if reason:
        tab.message.emit(reason)
        return None
    return _form(tab, f"Edit {tab.noun} – {title_of(record)}", record)


def _edit_linked(
    tab: BaseTab, record: Record, reason: str, members: list[Record]
) -> RecordDialog | None:
    editable = [
        m
        for m in members
        if m.kind is record.kind and m.id != record.id and not tab.editor.why_not_editable(m)
    ]
    if not editable:
        tab.message.emit(reason)
        return None
    chosen = max(editable, key=lambda m: (m.updated_at is not None, m.updated_at or 0, m.id or 0))
    tab.message.emit(
        f"{vendor_display(record.provenance.vendor)} cannot change this {tab.noun}: editing "
        f"{vendor_display(chosen.provenance.vendor)}'s record of the same "
        + ("policy" if record.kind is RecordKind.POLICY else "person")
    )
    return _form(tab, f"Edit {tab.noun} – {title_of(chosen)}", chosen)


def _form(tab: BaseTab, title: str, record: Record) -> RecordDialog:
    specs, check = form_for(tab.kind)
    dialog = RecordDialog(title, record, specs, check, tab, reader=tab.reader)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    lock_status(dialog, record, tab.editor)
    dialog.accepted.connect(lambda: _save_or_confirm(tab, title, dialog.result_record()))
    dialog.open()
    return dialog


def _save_or_confirm(tab: BaseTab, title: str, record: Record) -> None:
    """Save off the GUI thread. A person held by several systems: first ask which of them to
    update (their records are read off the GUI thread too). A vendor that would clear fields it
    does not let us read comes back asking: save only on the user's explicit yes; "Keep
    editing" reopens the form with the edit. A save that fails reopens the form with the edit
    too, so nothing typed is lost."""
    item = tab.current_item()
    if (
        isinstance(record, Lead | Customer)
        and record.id is not None
        and item is not None
        and " · " in item.held_in  # (the record edited may be another of the row's group)
    ):
        tab.reader.request(
            (id(tab), "edit_targets"),
            lambda _reads: tab.editor.edit_targets(record),
            lambda targets: _ask_targets(tab, title, record, targets),
        )
        return
    _save_one(tab, title, record)


def _ask_targets(
    tab: BaseTab,
    title: str,
    record: Record,
    targets: list[EditTarget],
    own_loss_agreed: bool = False,
) -> EditTargetsDialog | QMessageBox | None:
    """Which of the person's systems to update (issue 11); straight to the plain save when no
    other record could take the change. When the edited record's own vendor would clear
    fields, the user is asked about that first, as for any save."""
    if not any(t.choosable for t in targets):
        _save_one(tab, title, record)
        return None
    edited = next(t for t in targets if t.edited)
    if edited.warning and not own_loss_agreed:
        return ask_to_clear(
            tab,
            record,
            edited.warning,
            ("Save", "Save and clear them", "Keep editing"),
            lambda: _ask_targets(tab, title, record, targets, own_loss_agreed=True),
            lambda: _form(tab, title, record),
        )
    dialog = EditTargetsDialog(title_of(record), record, targets, tab, own_loss_agreed)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def saved(written: Written) -> None:
        _saved(tab, written.record, written.systems)
        for which, why in written.not_updated:
            tab.message.emit(f"{which} was not updated: {why}")

    dialog.accepted.connect(
        lambda: tab.writer.submit(
            SaveLinked(dialog.edit()),
            saved,
            lambda failed: _save_failed(tab, title, record, failed.message),
        )
    )
    dialog.rejected.connect(lambda: _form(tab, title, record))
    dialog.open()
    return dialog


def _save_one(tab: BaseTab, title: str, record: Record) -> None:
    tab.writer.submit(
        SaveRecord(record),
        lambda written: _saved(tab, written.record),
        lambda failed: _confirm_or_retry(tab, title, record, failed),
    )


def _confirm_or_retry(tab: BaseTab, title: str, record: Record, failed: WriteFailed) -> QMessageBox:
    if not failed.loss_warning:
        return _save_failed(tab, title, record, failed.message)

    def save_anyway() -> None:
        tab.writer.submit(
            SaveRecord(record, confirmed_loss=True),
            lambda written: _saved(tab, written.record),
            lambda again: _save_failed(tab, title, record, again.message),
        )

    return ask_to_clear(
        tab,
        record,
        failed.loss_warning,
        ("Save", "Save and clear them", "Keep editing"),
        save_anyway,
        lambda: _form(tab, title, record),
    )


def ask_to_clear(
    tab: BaseTab,
    record: Record,
    warning: str,
    words: tuple[str, str, str],
    go_on: Callable[[], object],
    back: Callable[[], object],
) -> QMessageBox:
    """The vendor would clear fields it does not let us read (``warning`` names them): ``go_on``
    only on the user's explicit yes. ``words``: the verb ("Save"), the yes button ("Save and
    clear them") and the no button ("Keep editing"), which calls ``back``."""
    verb, yes, no = words
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        f"{verb} {tab.noun}?",
        f"{warning}.\n\n{verb} anyway? Those fields will be empty in {_vendor_name(record)}.",
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
        tab,
    )
    box.setObjectName("confirm_write_risk")
    save, keep = (
        box.button(b) for b in (QMessageBox.StandardButton.Save, QMessageBox.StandardButton.Cancel)
    )
    if save is not None and keep is not None:
        save.setText(yes)
        keep.setText(no)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def on_click(button: Any) -> None:
        if box.standardButton(button) == QMessageBox.StandardButton.Save:
            go_on()
        else:
            back()

    box.buttonClicked.connect(on_click)
    box.open()
    return box


def _save_failed(tab: BaseTab, title: str, record: Record, message: str) -> QMessageBox:
    """Say why (naming the record), then bring the form back with the edit as typed."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        f"{tab.noun.capitalize()} not saved",
        f"{message}.\n\nYour changes are still in the form: try again, or cancel to drop them.",
        QMessageBox.StandardButton.Ok,
        tab,
    )
    box.setObjectName("save_failed")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.finished.connect(lambda _result: _form(tab, title, record))
    box.open()
    tab.message.emit(message)
    return box


def _vendor_name(record: Record) -> str:
    return vendor_display(record.provenance.vendor)


def _saved(tab: BaseTab, record: Record | None, systems: int = 1) -> None:
    if record is None:
        return
    where = f" in {systems} systems" if systems > 1 else ""
    tab.message.emit(f"Saved {tab.noun} {title_of(record)}{where}")
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

    def deleted(_written: Written) -> None:
        tab.message.emit(f"Deleted {tab.noun} {title_of(record)}")
        tab.detail.clear()
        tab.refresh()

    def on_click(button: Any) -> None:
        if box.standardButton(button) == QMessageBox.StandardButton.Yes:
            tab.writer.submit(DeleteRecord(record), deleted, lambda f: tab.message.emit(f.message))

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

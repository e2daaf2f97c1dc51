"""Retry, Discard and Edit of an outbox change, wherever the user asks: the Outbox view's buttons
and the links on a record's detail pane ("Not sent: … — Discard / Edit / Retry"). What each may
do is read on the window's reader; the change itself goes to the window's one writer
(``services/outbox_writes.py``), off the GUI thread, in order with every other write.
``changed`` says what happened once it is stored (the window, the status bar and the view then
read again)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from agencydesk.domain import Record
from agencydesk.services.outbox_review import NO_RESYNC, OutboxItem, OutboxReview
from agencydesk.services.outbox_writes import DiscardChange, EditChange, OutboxWrite, RetryChange
from agencydesk.services.record_edits import RecordEditor
from agencydesk.services.record_resync import RecordResync, ResyncAnswer
from agencydesk.services.record_writes import WriteFailed, Written
from agencydesk.store.ledgers import OutboxOp
from agencydesk.ui.forms.record_dialog import RecordDialog, lock_status
from agencydesk.ui.forms.specs import form_for
from agencydesk.ui.reader import BookReader
from agencydesk.ui.record_names import title_of
from agencydesk.ui.sync.runner import AsyncRunner
from agencydesk.ui.writer import BookWriter

VERBS = ("retry", "discard", "edit", "resync")


def record_name(item: OutboxItem) -> str:
    """The record by its name; one no longer here (a delete whose vendor copy cannot be read)
    as such, never by its internal number."""
    if item.record is not None:
        return title_of(item.record)
    return f"the {item.entry.kind.value} {gone_words(item)}"


def gone_words(item: OutboxItem) -> str:
    """A record no longer here: deleted here (its delete waits), or gone from the book before
    the change reached it (another seat of the team deleted it)."""
    return "deleted here" if item.entry.op is OutboxOp.DELETE else "no longer here"


class OutboxActions(QObject):
    changed = Signal(str)  # what was done, for the status bar
    failed = Signal(str)  # why it could not be done
    retried = Signal(str)  # the account whose change went back in the queue (sync it now)

    def __init__(
        self,
        review: OutboxReview,
        reader: BookReader,
        writer: BookWriter,
        editor: RecordEditor,
        parent: QWidget,
        resync: RecordResync | None = None,
    ) -> None:
        super().__init__(parent)
        self.review = review
        self.resync = resync
        self.runner = AsyncRunner(self)  # Re-sync reads from the vendor, on the app's loop
        self.reader = reader
        self.writer = writer
        self.editor = editor
        self.window = parent
        self.dialog: QWidget | None = None  # the confirmation or form open now

    def run(self, verb: str, entry_id: int) -> None:
        """``verb`` on the entry, read afresh first (the pane or the list may be out of date)."""
        if verb not in VERBS:
            return
        review = self.review
        self.reader.request(
            (id(self), "item", entry_id),
            lambda _reads: next((i for i in review.items() if i.entry.id == entry_id), None),
            lambda item: self._chosen(verb, item),
        )

    def _chosen(self, verb: str, item: OutboxItem | None) -> None:
        if item is None:
            self.failed.emit("That change is no longer in the outbox: it was sent or dropped.")
            return
        why = {"retry": item.why_no_retry, "discard": item.why_no_discard}.get(verb)
        why = item.why_no_edit if verb == "edit" else why
        why = (
            (item.why_no_resync or ("" if self.resync else NO_RESYNC)) if verb == "resync" else why
        )
        if why:
            self.failed.emit(why)
            return
        if verb == "retry" and item.state in ("May have been made", "May have been sent"):
            self.confirm_resend(item)
        elif verb == "retry":
            self.retry(item)
        elif verb == "discard":
            self.confirm_discard(item)
        elif verb == "resync":
            self.read_again(item)
        else:
            review, entry_id = self.review, item.entry.id
            self.reader.request(
                (id(self), "form", entry_id),
                lambda _reads: review.form_record(entry_id),
                lambda record: self.edit(item, record),
            )

    def _write(
        self,
        request: OutboxWrite,
        said: str,
        resend: str = "",
        failed: Callable[[WriteFailed], object] | None = None,
    ) -> None:
        """``request`` on the window's writer; then ``changed`` (and ``retried`` with the account
        ``resend`` names, so its sync starts once the change is back in the queue)."""

        def done(_written: Written) -> None:
            self.changed.emit(said)
            if resend:
                self.retried.emit(resend)

        self.writer.submit(request, done, failed or (lambda f: self.failed.emit(f.message)))

    def read_again(self, item: OutboxItem) -> None:
        """Re-sync: the record read again from its vendor (the refused delete let go)."""
        assert self.resync is not None
        name = record_name(item)

        def answered(answer: ResyncAnswer) -> None:
            (self.changed if answer.done else self.failed).emit(answer.message)

        self.runner.start(
            self.resync.resync(item.entry.id),
            answered,
            lambda exc: self.failed.emit(f"Could not read {name} again from {item.vendor}: {exc}"),
        )

    def retry(self, item: OutboxItem) -> None:
        name = record_name(item)
        said = f"Sending again to {item.vendor}: {name}"
        self._write(RetryChange(self.review, item.entry.id, name), said, item.entry.account)

    def confirm_resend(self, item: OutboxItem) -> QMessageBox:
        """Its answer was lost: it may already be at the vendor, and sending it again could
        make it twice. The user checks first; No is the default."""
        name = record_name(item)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Send again?",
            f"“{item.what}” for {name} was sent, but {item.vendor}'s answer was lost: it may "
            f"already be in {item.vendor}.\n\nCheck {item.vendor} first. Sending it again could "
            f"make it twice there. Send it again?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self.window,
        )
        box.setObjectName("confirm_resend")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        yes = box.button(QMessageBox.StandardButton.Yes)
        if yes is not None:
            yes.setText("Send again")

        def on_click(button: Any) -> None:
            if box.standardButton(button) == QMessageBox.StandardButton.Yes:
                self.retry(item)

        box.buttonClicked.connect(on_click)
        self.dialog = box
        box.open()
        return box

    def confirm_discard(self, item: OutboxItem) -> QMessageBox:
        name = record_name(item)
        if item.entry.op is OutboxOp.CREATE:
            consequence = (
                f"“{name}” is removed from this device. If {item.vendor} made it after all, "
                "the next sync brings its copy."
            )
        elif item.entry.op is OutboxOp.DELETE:
            consequence = (
                f"“{name}” is not deleted in {item.vendor}: it stays on this device as "
                f"{item.vendor} last sent it."
            )
        elif item.record is None:  # deleted meanwhile (another seat of the team)
            consequence = "The change is dropped. Nothing is sent."
        else:
            consequence = f"“{name}” goes back to {item.vendor}'s values. Nothing is sent."
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Discard change",
            f"Discard “{item.what}” for {name}?\n\n{consequence}",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            self.window,
        )
        box.setObjectName("confirm_discard")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        entry_id = item.entry.id

        def on_click(button: Any) -> None:
            if box.standardButton(button) == QMessageBox.StandardButton.Discard:
                self._write(DiscardChange(self.review, entry_id, name), f"Discarded: {name}")

        box.buttonClicked.connect(on_click)
        self.dialog = box
        box.open()
        return box

    def edit(self, item: OutboxItem, record: Record | None) -> RecordDialog | None:
        """The record's form with the unsent values (``OutboxReview.form_record``); OK sends
        the corrected change instead."""
        if record is None:
            return None
        specs, check = form_for(record.kind)
        name = record_name(item)
        title = f"Edit the change to {name}"
        dialog = RecordDialog(title, record, specs, check, self.window, reader=self.reader)
        dialog.setObjectName("outbox_edit")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        lock_status(dialog, record, self.editor)

        def save() -> None:
            self._save_edit(item, dialog.result_record(), confirmed=False)

        dialog.accepted.connect(save)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _save_edit(self, item: OutboxItem, edited: Record, *, confirmed: bool) -> None:
        name = record_name(item)
        said = f"Sending the corrected change to {item.vendor}: {name}"

        def failed(refused: WriteFailed) -> None:
            if refused.loss_warning:
                self.confirm_loss(item, edited, refused.loss_warning)
            else:
                self.failed.emit(refused.message)

        request = EditChange(self.review, item.entry.id, edited, name, confirmed)
        self._write(request, said, item.entry.account, failed)

    def confirm_loss(self, item: OutboxItem, edited: Record, warning: str) -> QMessageBox:
        """The vendor would clear fields it does not let us read: the corrected change goes
        only on the user's yes for this record, as a form's save does."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Send the corrected change?",
            f"{warning}.\n\nSend anyway? Those fields will be empty in {item.vendor}.",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
            self.window,
        )
        box.setObjectName("confirm_write_risk")
        save = box.button(QMessageBox.StandardButton.Save)
        if save is not None:
            save.setText("Send and clear them")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def on_click(button: Any) -> None:
            if box.standardButton(button) == QMessageBox.StandardButton.Save:
                self._save_edit(item, edited, confirmed=True)
            else:
                self.failed.emit("Not changed: the refused change still waits in the Outbox")

        box.buttonClicked.connect(on_click)
        self.dialog = box
        box.open()
        return box

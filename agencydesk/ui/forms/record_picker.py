"""Pick, never type an id (issue 12): a form's linked record (a task's customer or lead, a
thread's or policy's customer) is chosen by typing part of a name, email, phone or policy number
and picking from the matches, which the window's reader finds off the GUI thread. Up/Down and
Enter choose from the keyboard; clearing the box unlinks.

The form asks the picker what is wrong (``problem``): text typed but nothing chosen, or a
record number (the one the form opened with) that the book no longer holds, which the reader
found out. A typed number is never taken as a record's id, so the form reads nothing itself."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QStringListModel, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QHBoxLayout, QLineEdit, QWidget

from agencydesk.domain import Customer, Lead, Policy, Record, RecordKind
from agencydesk.domain.validation import format_phone
from agencydesk.services.book_reads import BookReads
from agencydesk.store.queries import ListQuery
from agencydesk.ui.reader import BookReader
from agencydesk.ui.record_names import title_of

SEARCH_DELAY_MS = 120  # typing pauses shorter than this do not search
SHOWN = 20  # matches listed at once: more typing narrows them


def describe(record: Record) -> str:
    """One line the user tells records apart by: name, then email, phone and city."""
    if isinstance(record, Lead | Customer):
        parts = [record.email, format_phone(record.phone) if record.phone else "", record.city]
    elif isinstance(record, Policy):
        parts = [record.insured_name, record.carrier, record.line_of_business]
    else:
        parts = []
    extra = " · ".join(p for p in parts if p)
    return f"{title_of(record)}  —  {extra}" if extra else title_of(record)


def matches(reads: BookReads, kind: RecordKind, text: str) -> list[Record]:
    """Records of ``kind`` whose name, email or phone matches ``text``; for a customer, also the
    customers of policies whose number matches (run on the reader's thread)."""
    query = ListQuery(text=text)
    found = [item.record for item in reads.page(kind, query, 0, SHOWN)]
    if kind is RecordKind.CUSTOMER and len(found) < SHOWN:
        known = {record.id for record in found}
        for item in reads.page(RecordKind.POLICY, query, 0, SHOWN):
            owner = getattr(item.record, "customer_id", None)
            if owner is not None and owner not in known:
                customer = reads.get(RecordKind.CUSTOMER, owner)
                if customer is not None:
                    found.append(customer)
                    known.add(owner)
    return found[:SHOWN]


class RecordPickerField(QWidget):
    changed = Signal()  # the chosen record (or the typed text) changed
    searched = Signal()  # the matches of what was typed are listed

    def __init__(self, kind: RecordKind, reader: BookReader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.reader = reader
        self.chosen_id: int | None = None
        self.gone = False  # the chosen id is no longer in the book (said by the reader)
        self.matches: list[Record] = []
        self.edit = QLineEdit()
        self.edit.setClearButtonEnabled(True)
        self.edit.setPlaceholderText(f"Type a {kind.value}'s name, email, phone… to choose")
        self.model = QStringListModel(self)
        self.completer = QCompleter(self.model, self)
        # The reader already matched: show every match, whatever part of it was typed.
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setWidget(self.edit)
        self.completer.activated.connect(self._picked)
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search_now)
        self.edit.textEdited.connect(self._typed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)
        # A form closed before a name or the matches came: those answers are dropped.
        me = id(self)
        self.destroyed.connect(lambda _obj=None: _forget(reader, me))

    # --- what the form reads ---------------------------------------------------------------
    def id_text(self) -> str:
        """The chosen record's number, '' for none (``problem`` says when that is not so)."""
        return "" if self.chosen_id is None else str(self.chosen_id)

    def problem(self) -> str:
        """Why the box holds no record the form can save ('' when it does, or is empty)."""
        noun = self.kind.value
        typed = self.edit.text().strip()
        if self.chosen_id is None and typed:
            return f"choose a {noun} from the list ('{typed}' is not one yet)"
        if self.gone:
            return (
                f"that {noun} is no longer in this computer's book: choose another, or clear "
                "the box to unlink it"
            )
        return ""

    def set_id(self, record_id: int | None) -> None:
        """Show the record ``record_id`` (its name is read off the GUI thread)."""
        self.chosen_id = record_id
        self.gone = False
        # While its name is read: an ellipsis, never the internal number ("#235", issue 12).
        self.edit.setText("" if record_id is None else "…")
        if record_id is not None:
            kind = self.kind
            self.reader.request(
                (id(self), "name"),
                lambda reads: reads.get(kind, record_id),
                lambda record: self._named(record_id, record),
            )
        self.changed.emit()

    def _named(self, record_id: int, record: Record | None) -> None:
        if record_id != self.chosen_id:
            return  # chosen again since
        if record is None:
            self.gone = True
            self.edit.setToolTip(self.problem())
            self.changed.emit()
        else:
            self.edit.setText(title_of(record))
            self.edit.setToolTip(describe(record))

    # --- searching -------------------------------------------------------------------------
    def _typed(self, _text: str) -> None:
        self.chosen_id = None  # typing starts a new choice
        self.gone = False
        self.edit.setToolTip("")
        self.changed.emit()
        self._timer.start()

    def search_now(self) -> None:
        self._timer.stop()
        text, kind = self.edit.text().strip(), self.kind
        if not text:
            self._found([])
            return
        self.reader.request(
            (id(self), "search"), lambda reads: matches(reads, kind, text), self._found
        )

    def _found(self, records: list[Any]) -> None:
        self.matches = list(records)
        self.model.setStringList([describe(r) for r in self.matches])
        popup = self.completer.popup()
        if popup is not None:
            # As wide as the matches (email, phone, city), not just the box.
            popup.setMinimumWidth(min(720, popup.sizeHintForColumn(0) + 30))
        if self.matches and self.edit.hasFocus():
            self.completer.complete()
        self.searched.emit()

    def choose(self, row: int) -> None:
        """Pick match ``row`` (what Enter or a click on the list does)."""
        record = self.matches[row]
        self.chosen_id = record.id
        self.gone = False
        self.edit.setText(title_of(record))
        self.edit.setToolTip(describe(record))
        popup = self.completer.popup()
        if popup is not None:
            popup.hide()
        self.changed.emit()

    def _picked(self, text: str) -> None:
        # The completer is only set on the box (not the box's own): it writes nothing into it.
        shown = self.model.stringList()
        if text in shown:
            self.choose(shown.index(text))


def _forget(reader: BookReader, picker: int) -> None:
    for what in ("name", "search"):
        reader.forget((picker, what))

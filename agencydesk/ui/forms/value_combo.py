"""Producer, assignee, pipeline, stage, source, carrier and line of business are chosen from the
values the book already holds (what the vendors sent and earlier edits made), in an editable
combo: typing completes to a known value, a known value typed in another case becomes that
value ("pat" is Pat), and a new one is added only once the user says so (the form asks once),
so a typo no longer creates a new producer."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from agencydesk.domain import RecordKind
from agencydesk.ui.reader import BookReader

# Where each kind of value lives in the book: (record kind, its field). The union is offered.
SOURCES: dict[str, tuple[tuple[RecordKind, str], ...]] = {
    "producer": (
        (RecordKind.LEAD, "producer"),
        (RecordKind.CUSTOMER, "producer"),
        (RecordKind.POLICY, "producer"),
        (RecordKind.THREAD, "producer"),
        (RecordKind.TASK, "assignee"),
    ),
    "pipeline": ((RecordKind.LEAD, "pipeline"),),
    "stage": ((RecordKind.LEAD, "stage"),),
    "source": ((RecordKind.LEAD, "source"),),
    "carrier": ((RecordKind.POLICY, "carrier"),),
    "line_of_business": ((RecordKind.POLICY, "line_of_business"),),
}
# What each value is called in the question about a new one.
NOUNS = {
    "producer": "producer",
    "pipeline": "pipeline",
    "stage": "stage",
    "source": "lead source",
    "carrier": "carrier",
    "line_of_business": "line of business",
}


def known_values(reads: object, values: str) -> list[str]:
    """Every distinct value of ``values`` in the book (run on the reader's thread)."""
    found: set[str] = set()
    for kind, name in SOURCES.get(values, ()):
        try:
            found.update(reads.facet_values(kind, name))  # type: ignore[attr-defined]
        except ValueError:  # a kind without that field in this build
            continue
    return sorted(found, key=str.casefold)


class ValueCombo(QComboBox):
    changed = Signal()
    filled = Signal()  # the book's values are listed

    def __init__(
        self, values: str, reader: BookReader, current: str, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.values = values
        self.noun = NOUNS.get(values, values.replace("_", " "))
        self.known: list[str] = []
        # New values the user agreed to add; the record's own value never needs asking about.
        self.confirmed: set[str] = {current.strip()} if current.strip() else set()
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.completer()
        assert completer is not None  # an editable combo has one
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCurrentText(current)
        self.currentTextChanged.connect(lambda _text: self.changed.emit())
        key = (id(self), "values")
        # A form closed before the values came: its answer is dropped, never delivered.
        self.destroyed.connect(lambda _obj=None: reader.forget(key))
        reader.request(key, lambda reads: known_values(reads, values), self._fill)

    def _fill(self, known: list[str]) -> None:
        text = self.currentText()
        self.known = known
        self.blockSignals(True)
        self.clear()
        self.addItems(known)
        self.setCurrentText(text)
        self.blockSignals(False)
        self.filled.emit()

    def known_spelling(self) -> str:
        """The typed value as the book spells it ('' when the book has no such value)."""
        typed = self.currentText().strip().casefold()
        return next((v for v in self.known if v.casefold() == typed), "")

    def new_value(self) -> str:
        """The typed value when it is new to the book and not yet agreed to ('' otherwise)."""
        text = self.currentText().strip()
        if not text or self.known_spelling() or text in self.confirmed:
            return ""
        return text

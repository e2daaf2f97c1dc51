"""A form that validates every field as it is typed.

Each field's parser (from ``agencydesk.domain.validation``) runs on every change; a field that does
not parse shows the message right under it and OK stays disabled, so nothing invalid is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from agencydesk.domain import Record, RecordKind, Task
from agencydesk.domain.validation import FieldError
from agencydesk.ui.forms.record_picker import RecordPickerField
from agencydesk.ui.forms.value_combo import ValueCombo
from agencydesk.ui.reader import BookReader


def _plain(text: str) -> str:
    return text.strip()


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One editable field of a record: ``name`` is the dataclass field it fills."""

    name: str
    label: str
    parse: Callable[[str], Any] = _plain  # raises FieldError naming the field
    show: Callable[[Any], str] = str  # stored value -> text in the editor
    choices: tuple[str, ...] = ()  # a fixed list: shown as a combo box
    multiline: bool = False
    link: RecordKind | None = None  # a linked record's id: chosen by name (RecordPickerField)
    values: str = ""  # chosen from the book's values of this kind (ValueCombo): "producer"…


#: A check across fields (e.g. expiration after effective): returns the error or None.
CrossCheck = Callable[[dict[str, Any]], FieldError | None]


class RecordDialog(QDialog):
    def __init__(
        self,
        title: str,
        record: Record,
        specs: list[FieldSpec],
        cross_check: CrossCheck | None = None,
        parent: QWidget | None = None,
        reader: BookReader | None = None,
    ) -> None:
        """``reader``: the window's reader, for linked records chosen by name and values chosen
        from the book's (without it those fields are typed)."""
        super().__init__(parent)
        self._reader = reader
        self.question: QMessageBox | None = None  # "add a new producer?", while open
        self.setWindowTitle(title)
        self.setObjectName("RecordDialog")
        self.setMinimumWidth(460)
        self._record = record
        self._specs = specs
        self._cross_check = cross_check
        self.editors: dict[str, QLineEdit | QComboBox | QPlainTextEdit | RecordPickerField] = {}
        self.error_labels: dict[str, QLabel] = {}
        self._values: dict[str, Any] = {}
        self._locked: dict[str, str] = {}  # field -> why it cannot be changed (``lock``)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(4)
        for spec in specs:
            form.addRow(spec.label, self._field_cell(spec, getattr(record, spec.name)))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.validate()

    def _field_cell(self, spec: FieldSpec, value: Any) -> QWidget:
        editor: QLineEdit | QComboBox | QPlainTextEdit | RecordPickerField
        if spec.link is not None and self._reader is not None:
            editor = RecordPickerField(spec.link, self._reader)
            editor.set_id(value)
            editor.changed.connect(self.validate)
        elif spec.values and self._reader is not None:
            editor = ValueCombo(spec.values, self._reader, spec.show(value))
            editor.changed.connect(self.validate)
        elif spec.choices:
            editor = QComboBox()
            editor.addItems(list(spec.choices))
            editor.setCurrentText(spec.show(value))
            editor.currentTextChanged.connect(self.validate)
        elif spec.multiline:
            editor = QPlainTextEdit(spec.show(value))
            editor.setFixedHeight(70)
            editor.textChanged.connect(self.validate)
        else:
            editor = QLineEdit(spec.show(value))
            editor.textChanged.connect(self.validate)
        editor.setObjectName(f"field_{spec.name}")
        error = QLabel()
        error.setObjectName(f"error_{spec.name}")
        error.setProperty("role", "field-error")
        error.setWordWrap(True)
        error.hide()
        self.editors[spec.name] = editor
        self.error_labels[spec.name] = error
        cell = QWidget()
        box = QVBoxLayout(cell)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(1)
        box.addWidget(editor)
        box.addWidget(error)
        return cell

    def _text_of(self, name: str) -> str:
        editor = self.editors[name]
        if isinstance(editor, RecordPickerField):
            return editor.id_text()
        if isinstance(editor, ValueCombo):
            return editor.known_spelling() or editor.currentText()  # "pat" is the book's Pat
        if isinstance(editor, QComboBox):
            return editor.currentText()
        if isinstance(editor, QPlainTextEdit):
            return editor.toPlainText()
        return editor.text()

    def validate(self) -> bool:
        """Parse every field; show each message next to its field; enable OK only if all parse."""
        errors: dict[str, str] = {}
        values: dict[str, Any] = {}
        for spec in self._specs:
            editor = self.editors[spec.name]
            if isinstance(editor, RecordPickerField) and editor.problem():
                errors[spec.name] = f"{spec.label}: {editor.problem()}"
                continue
            try:
                values[spec.name] = spec.parse(self._text_of(spec.name))
            except FieldError as error:
                errors[spec.name] = str(error)
        if not errors and self._cross_check is not None:
            problem = self._cross_check(values)
            if problem is not None:
                name = next((s.name for s in self._specs if s.label == problem.field), "")
                errors[name or self._specs[0].name] = str(problem)
        for name, label in self.error_labels.items():
            if name in self._locked:
                continue  # its line says why it is locked
            label.setText(errors.get(name, ""))
            label.setVisible(name in errors)
            self.editors[name].setProperty("invalid", name in errors)
            self.editors[name].style().polish(self.editors[name])
        self._values = values if not errors else {}
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not errors)
        ok.setToolTip("; ".join(errors.values()))
        return not errors

    def errors(self) -> dict[str, str]:
        """Field name -> the message shown next to it."""
        return {
            name: label.text()
            for name, label in self.error_labels.items()
            if label.text() and name not in self._locked
        }

    def set_text(self, name: str, text: str) -> None:
        """Type into a field (used by tests and by prefilling from context)."""
        editor = self.editors[name]
        if isinstance(editor, RecordPickerField):
            if text.strip().isdigit():
                editor.set_id(int(text))
            else:
                editor.edit.setText(text)
                editor.edit.textEdited.emit(text)
        elif isinstance(editor, QComboBox):
            editor.setCurrentText(text)
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText(text)
        else:
            editor.setText(text)

    def lock(self, name: str, reason: str) -> None:
        """Show field ``name`` but let nobody change it; ``reason`` says why (its tooltip and
        the line under it)."""
        editor = self.editors[name]
        editor.setEnabled(False)
        editor.setToolTip(reason)
        note = self.error_labels[name]
        note.setProperty("role", "hint")
        note.style().polish(note)
        note.setText(reason)
        note.show()
        self._locked[name] = reason

    def accept(self) -> None:
        """Save when every field parses and every value new to the book was agreed to."""
        if not self.validate():
            return
        for editor in self.editors.values():
            if isinstance(editor, ValueCombo) and editor.new_value():
                self.ask_new_value(editor)
                return
        super().accept()

    def ask_new_value(self, combo: ValueCombo) -> QMessageBox:
        """Once per new value: add it to the book, or go back and choose a known one."""
        value = combo.new_value()
        known = ", ".join(combo.known[:6]) + ("…" if len(combo.known) > 6 else "")
        has = f"Your book has: {known}.\n\n" if known else ""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            f"New {combo.noun}",
            f"“{value}” is not a {combo.noun} in your book yet.\n\n{has}"
            f"Add “{value}” as a new {combo.noun}?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("confirm_new_value")
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        add, back = box.button(yes), box.button(no)
        if add is not None and back is not None:
            add.setText(f"Add new {combo.noun}")
            back.setText("Choose another")
        box.setDefaultButton(no)

        def answered(button: Any) -> None:
            if box.standardButton(button) == yes:
                combo.confirmed.add(value)
                self.accept()
            else:
                combo.setFocus()
                line = combo.lineEdit()
                if line is not None:
                    line.selectAll()

        box.buttonClicked.connect(answered)
        self.question = box
        box.open()
        return box

    def result_record(self) -> Record:
        """The record with the form's values; only valid after the dialog was accepted."""
        if not self._values:
            raise ValueError("the form has invalid fields")
        return replace(self._record, **self._values)


class CanComplete(Protocol):
    def why_not_completable(self, record: Record) -> str: ...


def lock_status(dialog: RecordDialog, record: Record, editor: CanComplete) -> None:
    """A task whose vendor cannot mark it done or reopen it (Lofty, ConeCRM): its status is
    shown, locked, with the vendor's reason, so the form never queues a change that is refused."""
    if isinstance(record, Task) and record.id is not None and "status" in dialog.editors:
        reason = editor.why_not_completable(record)
        if reason:
            dialog.lock("status", reason)

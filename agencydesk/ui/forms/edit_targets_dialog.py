""" "Update which systems?": asked when the user saves a person held by several systems (issue 11).

One line per record of the person's group: the record edited (always saved), then each other
record, ticked by default when its system holds a changed field and lets us change it; a record
that cannot take the edit is shown unticked and disabled with the reason, and one whose vendor
would clear other fields waits for the user's own tick, with the warning beside it."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from agencydesk.domain import Record
from agencydesk.services.linked_edits import EditTarget, LinkedEdit, Ref


def _why(target: EditTarget) -> str:
    if target.edited:
        return "the record you edited" + (f"; {target.warning}" if target.warning else "")
    if target.why_not:
        return target.why_not
    if not target.fields:
        return "already holds these values, or has no such field"
    return target.warning


class EditTargetsDialog(QDialog):
    def __init__(
        self,
        name: str,
        record: Record,
        targets: list[EditTarget],
        parent: QWidget | None,
        own_loss_agreed: bool = False,
    ) -> None:
        """``own_loss_agreed``: the user already agreed to what the edited record's own vendor
        would clear (asked before this dialog, as for any save)."""
        super().__init__(parent)
        self._own_loss_agreed = own_loss_agreed
        self.setObjectName("edit_targets")
        self.setWindowTitle("Update which systems?")
        self._record = record
        self._targets = targets
        edited = next(t for t in targets if t.edited)
        intro = QLabel(
            f"<b>{escape(name)}</b> is held in {len(targets)} systems. Save the change of "
            f"{escape(edited.fields_text() or 'these fields')} to:"
        )
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        self.boxes: dict[Ref, QCheckBox] = {}
        for target in targets:
            box = QCheckBox(target.label + (f" — {target.fields_text()}" if target.fields else ""))
            box.setObjectName(f"target_{target.kind.value}_{target.id}")
            box.setChecked(target.edited or target.chosen_by_default)
            box.setEnabled(target.choosable)
            layout.addWidget(box)
            why = _why(target)
            if why:
                note = QLabel(why)
                note.setObjectName("note")
                note.setWordWrap(True)
                note.setIndent(24)
                note.setStyleSheet("color: palette(placeholder-text);")
                layout.addWidget(note)
            self.boxes[target.ref] = box
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            cancel.setText("Keep editing")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addSpacing(6)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def chosen(self) -> tuple[Ref, ...]:
        return tuple(t.ref for t in self._targets if not t.edited and self.boxes[t.ref].isChecked())

    def edit(self) -> LinkedEdit:
        """The typed edit for ``RecordEditor.save_linked``: a record the user ticked beside its
        vendor's warning is their agreement to it; the edited record's, only when asked first."""
        chosen = self.chosen()
        agreed = tuple(
            t.ref
            for t in self._targets
            if t.warning and (t.ref in chosen or (t.edited and self._own_loss_agreed))
        )
        return LinkedEdit(self._record, chosen, agreed)

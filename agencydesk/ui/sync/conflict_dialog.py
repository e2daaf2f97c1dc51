"""The vendor changed a record the user edited here: choose, field by field, theirs or mine.
The choice is written by the window's writer, off the GUI thread; the dialog closes once it is
in the outbox, and stays open saying why when it could not be written."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from agencydesk.services.conflict_cases import ConflictCase
from agencydesk.services.record_writes import ResolveConflict, WriteFailed, Written
from agencydesk.services.vendor_catalog import CANNOT_READ_THEIRS, vendor_display
from agencydesk.ui.detail_html import money, phone
from agencydesk.ui.detail_html import text as show_text
from agencydesk.ui.record_names import title_of
from agencydesk.ui.writer import BookWriter

THEIRS, MINE = 0, 1


def field_label(name: str) -> str:
    words = name.removesuffix("_cents").removesuffix("_id").replace("_", " ")
    return words[:1].upper() + words[1:]


def field_value(name: str, value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    if name.endswith("_cents") and isinstance(value, int):
        return money(value)
    if name.endswith("phone") and isinstance(value, str):
        return phone(value)
    return show_text(value.value if hasattr(value, "value") else value)


class ConflictDialog(QDialog):
    resolved = Signal(object)  # the record as now stored (None when it went)

    def __init__(
        self, writer: BookWriter, case: ConflictCase, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ConflictDialog")
        self.writer = writer
        self.case = case
        vendor = vendor_display(case.record.provenance.vendor)
        self.setWindowTitle(f"Changed in {vendor} and here")
        if case.raced_by:  # another seat of the team (or the hub's sync) changed it first
            vendor = "the team book"
            self.setWindowTitle(f"Changed by {case.raced_by} in the team book and here")
        self.setMinimumWidth(560)
        title = html.escape(title_of(case.record))
        # Theirs unknown (the vendor cannot read this kind back): no field-by-field choice.
        self.whole_edit_only = case.theirs is None and not case.deleted_at_vendor
        if case.deleted_at_vendor:
            intro = (
                f"<b>{title}</b> was deleted in {vendor} while you edited it here. Keep your "
                "version (it stays on this device only), or let it go."
            )
        elif self.whole_edit_only:
            cannot_read = html.escape(CANNOT_READ_THEIRS, quote=False)
            intro = (
                f"<b>{title}</b> was changed in {vendor} after you edited it here, but "
                f"{cannot_read}. Keep mine sends your edit again over "
                f"{vendor}'s version; Discard mine drops it (the record shows {vendor}'s values "
                "again once a sync reads it)."
            )
        else:
            intro = (
                f"<b>{title}</b> was changed in {vendor} after you edited it here. "
                f"For each field, keep {vendor}'s value or yours; yours are sent again."
            )
        header = QLabel(intro)
        header.setObjectName("conflict_intro")
        header.setWordWrap(True)

        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        self.groups: dict[str, QButtonGroup] = {}
        if self.whole_edit_only:
            self._fill_mine_only(grid)
        else:
            self._fill_choices(grid, vendor)
        holder = QWidget()
        holder.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.all_theirs: QPushButton | None = None
        self.all_mine: QPushButton | None = None
        self.discard_button: QPushButton | None = None
        if self.whole_edit_only:
            self.resolve_button = QPushButton("&Keep mine")
            discard = self.discard_button = QPushButton("&Discard mine")
            discard.setObjectName("discard_button")
            self.buttons.addButton(discard, QDialogButtonBox.ButtonRole.DestructiveRole)
            discard.clicked.connect(lambda: self.apply(keep=set()))
            self.resolve_button.clicked.connect(lambda: self.apply(keep=set(self.case.changes)))
            self.buttons.addButton(self.resolve_button, QDialogButtonBox.ButtonRole.ActionRole)
        else:
            all_theirs = self.all_theirs = QPushButton(f"&All from {vendor}")
            all_mine = self.all_mine = QPushButton("All &mine")
            self.resolve_button = QPushButton("&Resolve")
            self.buttons.addButton(all_theirs, QDialogButtonBox.ButtonRole.ResetRole)
            self.buttons.addButton(all_mine, QDialogButtonBox.ButtonRole.ResetRole)
            self.buttons.addButton(self.resolve_button, QDialogButtonBox.ButtonRole.AcceptRole)
            all_theirs.clicked.connect(lambda: self.choose_all(THEIRS))
            all_mine.clicked.connect(lambda: self.choose_all(MINE))
            self.buttons.accepted.connect(lambda: self.apply())
        self.resolve_button.setObjectName("resolve_button")
        self.resolve_button.setDefault(True)
        self.buttons.rejected.connect(self.reject)

        self.problem = QLabel()
        self.problem.setObjectName("conflict_problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c62828")
        self.problem.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def _fill_choices(self, grid: QGridLayout, vendor: str) -> None:
        for column, text in enumerate(("Field", f"In {vendor}", "Here (mine)")):
            label = QLabel(f"<b>{text}</b>")
            grid.addWidget(label, 0, column)
        for row, conflict in enumerate(self.case.fields, start=1):
            theirs = QRadioButton(self._theirs_text(conflict.field, conflict.theirs))
            mine = QRadioButton(field_value(conflict.field, conflict.mine))
            theirs.setObjectName(f"theirs_{conflict.field}")
            mine.setObjectName(f"mine_{conflict.field}")
            group = QButtonGroup(self)
            group.addButton(theirs, THEIRS)
            group.addButton(mine, MINE)
            mine.setChecked(True)
            self.groups[conflict.field] = group
            grid.addWidget(QLabel(field_label(conflict.field)), row, 0)
            grid.addWidget(theirs, row, 1)
            grid.addWidget(mine, row, 2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)

    def _fill_mine_only(self, grid: QGridLayout) -> None:
        for column, text in enumerate(("Field", "Here (mine)")):
            grid.addWidget(QLabel(f"<b>{text}</b>"), 0, column)
        for row, conflict in enumerate(self.case.fields, start=1):
            mine = QLabel(field_value(conflict.field, conflict.mine))
            mine.setObjectName(f"mine_{conflict.field}")
            grid.addWidget(QLabel(field_label(conflict.field)), row, 0)
            grid.addWidget(mine, row, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(len(self.case.fields) + 1, 1)  # rows at the top, not spread out

    def _theirs_text(self, name: str, value: Any) -> str:
        if self.case.deleted_at_vendor:
            return "(deleted)"
        if self.case.theirs is None:  # (not shown: such a case offers keep / discard mine)
            return "(not known)"
        return field_value(name, value)

    def choose_all(self, side: int) -> None:
        for group in self.groups.values():
            button = group.button(side)
            if button is not None:
                button.setChecked(True)

    def keep_mine(self) -> set[str]:
        return {name for name, group in self.groups.items() if group.checkedId() == MINE}

    def apply(self, keep: set[str] | None = None) -> None:
        """Resolve with the fields chosen as mine (``keep``: instead of the radio buttons), off
        the GUI thread; the buttons wait meanwhile, so one choice is written once."""
        chosen = frozenset(self.keep_mine() if keep is None else keep)
        self.buttons.setEnabled(False)
        self.problem.hide()
        self.writer.submit(ResolveConflict(self.case, chosen), self._written, self._failed)

    def _written(self, written: Written) -> None:
        self.resolved.emit(written.record)
        self.accept()

    def _failed(self, failed: WriteFailed) -> None:
        self.problem.setText(f"{failed.message}. Nothing was changed; try again, or cancel.")
        self.problem.show()
        self.buttons.setEnabled(True)
        # Grow by the message rather than squeeze the fields above it.
        self.resize(self.width(), self.height() + self.problem.heightForWidth(self.width()))

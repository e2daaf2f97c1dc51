"""Table models of the import wizard: the file preview, the problem rows (fix a value in place,
or tick Skip) and the duplicates (choose create / update / skip per match)."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from agencydesk.services.csv_io.plan import Match, OnDuplicate
from agencydesk.services.csv_io.problems import RowError, column_letter
from agencydesk.services.csv_io.row_check import as_read
from agencydesk.services.csv_io.validate import Validation

Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_EDIT = Qt.ItemDataRole.EditRole
_CHECK = Qt.ItemDataRole.CheckStateRole
BROKEN_ROW = "#fbe0de"  # a pale form of the error red (#c62828) the dialogs use


class PreviewModel(QAbstractTableModel):
    """The first records as read; the header row in bold, rows numbered as a spreadsheet."""

    def __init__(self, rows: list[list[str]] | None = None, header_row: int | None = 0) -> None:
        super().__init__()
        self._rows: list[list[str]] = rows or []
        self._header_row = header_row
        self._width = max((len(row) for row in self._rows), default=0)
        self._broken: dict[int, str] = {}  # row -> why it is flagged (a quote never closed)

    def set_rows(
        self, rows: list[list[str]], header_row: int | None, broken: dict[int, str] | None = None
    ) -> None:
        """``broken``: rows read wrongly (their tooltip says why), shown in the error colour."""
        self.beginResetModel()
        self._rows = rows
        self._header_row = header_row
        self._width = max((len(row) for row in rows), default=0)
        self._broken = broken or {}
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._width

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == _DISPLAY:
            text = row[index.column()] if index.column() < len(row) else ""
            if index.row() != self._header_row:
                text = as_read(text)  # '+18175550105 as (817) 555-0105, as import reads it
            return text if len(text) <= 200 else text[:200] + "…"
        if role == Qt.ItemDataRole.FontRole and index.row() == self._header_row:
            font = QFont()
            font.setBold(True)
            return font
        if index.row() in self._broken:
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._broken[index.row()]
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(BROKEN_ROW))
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor("#5f1010"))  # dark on the pale red, in either look
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if role != _DISPLAY:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return column_letter(section)
        return str(section + 1)


class ErrorsModel(QAbstractTableModel):
    """One line per problem: Row, Column, Value (editable: fixes the cell), Problem, Skip."""

    HEADERS = ("Row", "Column", "Value", "Problem", "Skip")
    VALUE, SKIP = 2, 4
    changed = Signal()  # a fix or a skip changed what can be imported

    def __init__(self, validation: Validation | None = None) -> None:
        super().__init__()
        self._validation = validation
        self._errors: list[RowError] = validation.errors if validation else []

    def set_validation(self, validation: Validation) -> None:
        self.beginResetModel()
        self._validation = validation
        self._errors = validation.errors
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self._validation = None
        self._errors = []
        self.endResetModel()

    def error_at(self, row: int) -> RowError:
        return self._errors[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._errors)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if not index.isValid():
            return flags
        if index.column() == self.VALUE and self._errors[index.row()].index >= 0:
            flags |= Qt.ItemFlag.ItemIsEditable
        if index.column() == self.SKIP:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or self._validation is None:
            return None
        error = self._errors[index.row()]
        column = index.column()
        if role == _CHECK and column == self.SKIP:
            skipped = error.row in self._validation.skipped_rows
            return Qt.CheckState.Checked if skipped else Qt.CheckState.Unchecked
        if role in (_DISPLAY, _EDIT):
            values = (str(error.row), error.column or "(whole row)", error.value, error.message, "")
            return values[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == self.VALUE:
            return "Double-click to correct the value" if error.index >= 0 else None
        if role == Qt.ItemDataRole.ToolTipRole and column == self.HEADERS.index("Problem"):
            return error.message
        return None

    def setData(self, index: Index, value: Any, role: int = _EDIT) -> bool:
        if not index.isValid() or self._validation is None:
            return False
        error = self._errors[index.row()]
        if role == _CHECK and index.column() == self.SKIP:
            checked = Qt.CheckState(value) == Qt.CheckState.Checked
            self._validation.skip(error.row, checked)
            self.dataChanged.emit(index, index, [_CHECK])
            self.changed.emit()
            return True
        if role == _EDIT and index.column() == self.VALUE and error.index >= 0:
            self._validation.fix(error.row, error.index, str(value))
            self.set_validation(self._validation)  # the row's errors are gone or replaced
            self.changed.emit()
            return True
        return False


class MatchesModel(QAbstractTableModel):
    """Rows that share a key with a record already there: Row, In the file, Already there, Shared
    (the key), Same? (or why not), Action (editable). A row whose names differ says so
    and stays "Add as new" unless the user picks another action for that row."""

    HEADERS = ("Row", "In the file", "Already there", "Shared", "Same?", "Action")
    ACTION = 5
    ACTIONS: ClassVar[dict[OnDuplicate, str]] = {
        OnDuplicate.UPDATE: "Update it",
        OnDuplicate.CREATE: "Add as new",
        OnDuplicate.SKIP: "Skip row",
    }
    changed = Signal()

    def __init__(self, matches: list[Match] | None = None) -> None:
        super().__init__()
        self._matches: list[Match] = matches or []

    def set_matches(self, matches: list[Match]) -> None:
        self.beginResetModel()
        self._matches = matches
        self.endResetModel()

    def match_at(self, row: int) -> Match:
        return self._matches[row]

    def set_all(self, action: OnDuplicate) -> None:
        """Every match whose names agree; a shared key with a different name is only ever
        changed row by row (two people sharing one email are never merged in bulk)."""
        for match in self._matches:
            if match.names_agree:
                match.action = action
        if self._matches:
            self.dataChanged.emit(
                self.index(0, self.ACTION), self.index(len(self._matches) - 1, self.ACTION)
            )
        self.changed.emit()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._matches)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == self.ACTION:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        match = self._matches[index.row()]
        if role == _DISPLAY:
            values = (
                str(match.row),
                match.incoming_name,
                match.existing_name,
                match.key,
                "Yes" if match.names_agree else f"No: {match.differs}",
                self.ACTIONS[match.action],
            )
            return values[index.column()]
        if role == _EDIT and index.column() == self.ACTION:
            return match.action.value
        if role == Qt.ItemDataRole.ToolTipRole and not match.names_agree:
            return (
                f"{match.incoming_name or 'This row'} shares {match.key} with "
                f"{match.existing_name}, but it has {match.differs}: added as a new record "
                "unless you choose Update for this row."
            )
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and not match.names_agree
            and index.column()
            in (
                1,
                2,
                4,
            )
        ):
            return QBrush(QColor("#8a4b00"))
        return None

    def setData(self, index: Index, value: Any, role: int = _EDIT) -> bool:
        if role != _EDIT or not index.isValid() or index.column() != self.ACTION:
            return False
        try:
            action = OnDuplicate(value)
        except ValueError:
            return False
        self._matches[index.row()].action = action
        self.dataChanged.emit(index, index, [_DISPLAY, _EDIT])
        self.changed.emit()
        return True

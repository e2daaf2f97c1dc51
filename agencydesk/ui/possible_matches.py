"""View > Possible matches: every pair of records that may be the same person (weak evidence:
spouses share an email under different names), for the user to link or keep apart (issue 11).

The list is read through the window's reader; a decision goes through the window's writer (it
ends with a linking pass over the whole book) and the list is read again when the book holds
it. A decision is stored in the cache, so later syncs keep it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agencydesk.services.record_writes import KeepApart, LinkRecords, WriteFailed, WriteRequest
from agencydesk.ui.reader import BookReader
from agencydesk.ui.writer import BookWriter

if TYPE_CHECKING:
    from agencydesk.store.link_book import MatchSide, PossibleMatch

RECORD, HELD, OTHER, OTHER_HELD, WHY = range(5)
_HEADERS = ("Record", "Held in", "May be the same as", "Held in", "Why")
MATCH_ROLE = Qt.ItemDataRole.UserRole + 1
# A big book holds thousands of pairs (19,049 in the 100k benchmark book): all are read (the
# store sorts them all by name anyway), the table shows them a chunk at a time as the user
# scrolls down (Qt's fetchMore), so it never lays out 19,000 rows at once.
CHUNK = 500

AnyIndex = QModelIndex | QPersistentModelIndex


def _where(side: MatchSide) -> str:
    """ "Customer · AgencyZoom", "Lead · This device" (what the record is, then where)."""
    return f"{side.kind.value.capitalize()} · {side.holder}"


class PossibleMatchesModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.everything: list[PossibleMatch] = []  # every pair, by name
        self.matches: list[PossibleMatch] = []  # the rows shown so far (a prefix of it)
        self._resetting = False

    def set_matches(self, matches: list[PossibleMatch], shown: int = 0) -> None:
        """Every pair; ``shown``: list at least this many at once (the row to select)."""
        self.beginResetModel()
        self._resetting = True  # a view told of the reset asks for more: not inside it
        self.everything = list(matches)
        self.matches = self.everything[: max(CHUNK, shown)]
        self.endResetModel()
        self._resetting = False

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        more = len(self.matches) < len(self.everything)
        return not parent.isValid() and more and not self._resetting

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        """The next chunk, when the view scrolls to the end of what it lists."""
        if not self.canFetchMore(parent):
            return
        first = len(self.matches)
        more = self.everything[first : first + CHUNK]
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self.matches.extend(more)
        self.endInsertRows()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.matches)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.matches):
            return None
        match = self.matches[index.row()]
        if role == MATCH_ROLE:
            return match
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (
                match.a.name,
                _where(match.a),
                match.b.name,
                _where(match.b),
                match.reason,
            )[index.column()]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(_HEADERS)
        ):
            return _HEADERS[section]
        return None


class PossibleMatchesDialog(QDialog):
    """``decided(text)`` once a decision is in the book (for the status bar);
    ``open_record(kind, id)`` to show a record in its tab."""

    decided = Signal(str)
    loaded = Signal()
    open_record = Signal(object, int)

    def __init__(self, reader: BookReader, writer: BookWriter, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("possible_matches")
        self.setWindowTitle("Possible matches")
        self.resize(1060, 460)  # the Why column whole: "same email …@yahoo.com, different names"
        self._reader = reader
        self._writer = writer  # the window's one writer: decisions in order with every write
        self._deciding = 0

        self.summary = QLabel("Reading…\n")  # two lines from the start, as the answer will be
        self.summary.setObjectName("summary")
        self.model = PossibleMatchesModel(self)
        self.view = QTableView()
        self.view.setObjectName("matches")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)  # one line a pair; the whole text is in the tooltip
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((RECORD, 150), (HELD, 165), (OTHER, 150), (OTHER_HELD, 165)):
            self.view.setColumnWidth(column, width)
        # Enter on a pair opens its record, as a double-click does (activated: both); never
        # Link, which a dialog's first button would be for a stray Enter.
        self.view.activated.connect(lambda _index: self._open())

        buttons = QDialogButtonBox()
        self.link_button = QPushButton("&Link: same person")
        self.link_button.setObjectName("link")
        self.apart_button = QPushButton("&Not the same person")
        self.apart_button.setObjectName("apart")
        self.open_button = QPushButton("&Open record")
        self.open_button.setObjectName("open")
        for button in (self.link_button, self.apart_button, self.open_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        for button in (self.link_button, self.apart_button, self.open_button):
            button.setAutoDefault(False)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAutoDefault(False)
        close.clicked.connect(self.close)
        self.link_button.clicked.connect(self.link_selected)
        self.apart_button.clicked.connect(self.keep_selected_apart)
        self.open_button.clicked.connect(self._open)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self._update_buttons()
        self.reload()

    # --- reading ---------------------------------------------------------------------------
    def reload(self) -> None:
        self._reader.request(
            ("possible_matches", id(self)),
            lambda reads: reads.possible_matches(),
            self._show,
            lambda error: self.summary.setText(f"The list could not be read: {error}"),
        )

    def _show(self, answer: tuple[int, list[PossibleMatch]]) -> None:
        total, matches = answer
        keep = self.selected()
        row = _row_after(matches, keep)
        self.model.set_matches(matches, shown=row + 1)
        if total == 0:
            text = (
                "No possible matches.\nWhen two records share an email under different names "
                "(spouses often do), they are listed here for you to decide."
            )
        else:
            pairs = "pair of records" if total == 1 else "pairs of records"
            text = (
                f"{total:,} {pairs} share an email under different names.\nLink the ones "
                "that are one person; the others, once marked, are not suggested again."
            )
        self.summary.setText(text)
        if self.model.matches:
            # After a decision the next pair is selected, so a list is worked down by keyboard.
            self.view.selectRow(min(row, len(self.model.matches) - 1))
        self._update_buttons()
        self.loaded.emit()

    # --- deciding --------------------------------------------------------------------------
    def selected(self) -> PossibleMatch | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        from agencydesk.store.link_book import PossibleMatch  # (loaded with the dialog's rows)

        match = rows[0].data(MATCH_ROLE)
        return match if isinstance(match, PossibleMatch) else None

    def link_selected(self) -> None:
        match = self.selected()
        if match is None:
            return
        a, b = (match.a.kind, match.a.id), (match.b.kind, match.b.id)
        said = f"Linked {match.a.name} and {match.b.name}: one row now"
        self._decide(LinkRecords(a, b), said)

    def keep_selected_apart(self) -> None:
        match = self.selected()
        if match is None:
            return
        a, b = (match.a.kind, match.a.id), (match.b.kind, match.b.id)
        said = f"Kept {match.a.name} and {match.b.name} apart: not suggested again"
        self._decide(KeepApart(a, b), said)

    def _decide(self, request: WriteRequest, said: str) -> None:
        self._deciding += 1
        self._update_buttons()

        def done(_written: object) -> None:
            self._deciding -= 1
            self.decided.emit(said)
            self.reload()

        def failed(refused: WriteFailed) -> None:
            self._deciding -= 1
            self.summary.setText(f"That decision could not be stored: {refused.message}")
            self._update_buttons()
            self.decided.emit(refused.message)

        self._writer.submit(request, done, failed)

    def _open(self) -> None:
        match = self.selected()
        if match is not None:
            self.open_record.emit(match.a.kind, match.a.id)

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None and not self._deciding
        for button in (self.link_button, self.apart_button):
            button.setEnabled(chosen)
        self.open_button.setEnabled(self.selected() is not None)

    def closeEvent(self, event: Any) -> None:
        self._reader.forget(("possible_matches", id(self)))
        super().closeEvent(event)


def _row_after(matches: list[PossibleMatch], previous: PossibleMatch | None) -> int:
    """Where the pair decided on stood in the list (by name): the next one is there now."""
    if previous is None or not matches:
        return 0
    mine = (previous.a.name.casefold(), previous.b.name.casefold())
    names = ((m.a.name.casefold(), m.b.name.casefold()) for m in matches)
    return min(sum(1 for n in names if n < mine), len(matches) - 1)

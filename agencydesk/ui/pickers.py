"""Keyboard pop-ups with a search box over a list: quick-find (Ctrl+K) and the command palette
(Ctrl+Shift+P). Up/Down move through the list while typing; Enter chooses; Escape closes."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agencydesk.domain import RecordKind
from agencydesk.domain.formats import format_count
from agencydesk.store.queries import SearchHit
from agencydesk.ui.reader import BookReader
from agencydesk.ui.refusals import refusal_of

KIND_LABELS = {
    RecordKind.LEAD: "Lead",
    RecordKind.CUSTOMER: "Customer",
    RecordKind.POLICY: "Policy",
    RecordKind.THREAD: "Thread",
    RecordKind.MESSAGE: "Message",
    RecordKind.TASK: "Task",
    RecordKind.NOTE: "Note",
}


class PickerPopup(QDialog):
    """A search box over a list; subclasses fill the list in ``update_results``."""

    def __init__(self, title: str, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("picker")
        # Wide enough for a person held in two systems: "Rosa Delgado — Customer · rosa…@…
        # · held in AgencyZoom · Lofty" whole.
        self.setMinimumSize(700, 380)
        self.edit = QLineEdit()
        self.edit.setObjectName("picker_edit")
        self.edit.setPlaceholderText(placeholder)
        self.edit.textChanged.connect(self.update_results)
        self.edit.installEventFilter(self)
        self.list = QListWidget()
        self.list.setObjectName("picker_list")
        self.list.setUniformItemSizes(True)
        self.list.itemActivated.connect(lambda _item: self.choose())
        self.hint = QLabel()
        self.hint.setProperty("role", "hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 8)
        layout.addWidget(self.edit)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.hint)

    def popup(self) -> None:
        self.edit.selectAll()
        self.update_results(self.edit.text())
        self.show()
        self.raise_()
        self.activateWindow()
        self.edit.setFocus()

    def update_results(self, text: str) -> None:
        raise NotImplementedError

    def choose(self) -> None:
        raise NotImplementedError

    def add_row(self, text: str, data: object) -> None:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, data)
        self.list.addItem(item)

    def current_data(self) -> object:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(Qt.Key(event.key()), 0)
            if step and self.list.count():
                row = max(0, min(self.list.count() - 1, self.list.currentRow() + step))
                self.list.setCurrentRow(row)
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.choose()
                return True
        return super().eventFilter(watched, event)


class QuickFind(PickerPopup):
    """Ctrl+K: full-text search across all tabs, results as you type."""

    chosen = Signal(object)  # SearchHit
    DELAY_MS = 60  # coalesce fast typing into one search
    LIMIT = 50  # hits shown; past it the hint says how many there are

    def __init__(self, reader: BookReader, parent: QWidget | None = None) -> None:
        super().__init__("Quick find", "Find a lead, customer, policy, thread or task…", parent)
        self.setObjectName("quick_find")
        self._reader = reader
        self._timer = QTimer(self, singleShot=True, interval=self.DELAY_MS)
        self._timer.timeout.connect(self.search_now)
        self.hits: list[SearchHit] = []
        self._searching = ""  # the text whose hits are on their way
        self._choose_when_found = False  # Enter was pressed before the hits came

    def update_results(self, text: str) -> None:
        self._timer.start()

    def search_now(self) -> None:
        """Search for the box's text off the GUI thread; an older search's hits are dropped."""
        self._timer.stop()
        text = self.edit.text().strip()
        self._searching = text
        self._reader.request(
            (id(self), "search"),
            lambda reads: reads.quick_find(text, limit=self.LIMIT),
            lambda hits: self._found(text, hits),
        )

    def _found(self, text: str, hits: list[SearchHit]) -> None:
        self._searching = ""
        self.hits = hits
        self.list.clear()
        for hit in self.hits:
            # The store's subtitle already starts with the kind ("Policy · State Farm · Auto").
            subtitle = hit.subtitle or KIND_LABELS.get(hit.kind, hit.kind.value)
            self.add_row(f"{hit.title}    —  {subtitle}", hit)
        if self.hits:
            self.list.setCurrentRow(0)
        self.hint.setText(found_text(len(self.hits), len(self.hits)) if text else "Type to search")
        if len(hits) >= self.LIMIT:
            # Capped: how many there are comes in a second read, so the hits never wait for it.
            self.hint.setText(f"First {len(hits):,} · counting… · Enter opens")
            self._reader.request(
                (id(self), "total"),
                lambda reads: reads.quick_find_total(text),
                lambda total: self._counted(text, total),
            )
        if self._choose_when_found:
            self._choose_when_found = False
            self.choose()

    def _counted(self, text: str, total: int) -> None:
        if text == self.edit.text().strip() and self.hits:
            self.hint.setText(found_text(len(self.hits), max(total, len(self.hits))))

    def choose(self) -> None:
        if self._timer.isActive() or self._searching:
            self._choose_when_found = True  # chosen from the hits of what was typed
            if self._timer.isActive():
                self.search_now()
            return
        hit = self.current_data()
        if isinstance(hit, SearchHit):
            self.accept()
            self.chosen.emit(hit)


def found_text(shown: int, total: int) -> str:
    """ "Nothing found", "1 found · Enter opens", "First 50 of 312 · Enter opens"."""
    if not shown:
        return "Nothing found"
    if total > shown:
        return f"First {shown:,} of {total:,} · filter a tab to see them all · Enter opens"
    return f"{shown:,} found · Enter opens"


def fuzzy_score(pattern: str, text: str) -> int | None:
    """Score ``text`` for a subsequence match of ``pattern`` (None: no match; lower is better).
    Consecutive letters and matches at word starts score better, as in editors' palettes."""
    pattern, text = pattern.lower().replace(" ", ""), text.lower()
    if not pattern:
        return 0
    score, position, previous = 0, 0, -2
    for char in pattern:
        found = text.find(char, position)
        if found < 0:
            return None
        gap = found - previous - 1
        word_start = found == 0 or not text[found - 1].isalnum()
        score += 0 if gap == 0 else (1 if word_start else 3 + min(gap, 10))
        previous, position = found, found + 1
    return score


def action_label(action: QAction) -> str:
    return action.text().replace("&", "").replace("…", "").strip()


PALETTE_WORDS = "palette_words"  # QAction property: other words the palette finds it by


def palette_score(text: str, action: QAction) -> int | None:
    """``fuzzy_score`` on the command's label, or on its other words before it ("complete
    task" finds "Mark done / reopen task")."""
    label = action_label(action)
    words = action.property(PALETTE_WORDS)
    scores = [fuzzy_score(text, label)]
    if isinstance(words, str) and words:
        scores.append(fuzzy_score(text, f"{words} {label}"))
    found = [score for score in scores if score is not None]
    return min(found) if found else None


class CommandPalette(PickerPopup):
    """Ctrl+Shift+P: every action of the window, filtered fuzzily; Enter runs it."""

    def __init__(self, actions: Sequence[QAction], parent: QWidget | None = None) -> None:
        super().__init__("Command palette", "Type a command…", parent)
        self.setObjectName("command_palette")
        self._actions = list(actions)
        # A refused command's reason is read whole, on as many lines as it takes, never cut
        # to "…" (a few dozen rows: sizing each one is cheap).
        self.list.setUniformItemSizes(False)
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.hint.setWordWrap(True)

    def update_results(self, text: str) -> None:
        """Enabled commands first; one the selected record does not allow is listed after
        them, greyed, with the reason (``ui/refusals.py``), so searching for it says why."""
        scored = []
        for order, action in enumerate(self._actions):
            why = refusal_of(action)
            if not action.isVisible() or not (action.isEnabled() or why):
                continue
            score = palette_score(text, action)
            if score is not None:
                scored.append((bool(why), score, order, action))
        self.list.clear()
        for refused, _score, _order, action in sorted(scored, key=lambda entry: entry[:3]):
            keys = action.shortcut().toString(action.shortcut().SequenceFormat.NativeText)
            label = action_label(action)
            if refused:
                self.add_row(f"{label}  —  {refusal_of(action)}", action)
                row = self.list.item(self.list.count() - 1)
                row.setForeground(self.palette().color(QPalette.ColorRole.PlaceholderText))
                row.setToolTip(refusal_of(action))
            else:
                self.add_row(f"{label}\t{keys}" if keys else label, action)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.hint.setText(f"{format_count(self.list.count(), 'command')} · Enter runs")

    def choose(self) -> None:
        action = self.current_data()
        if isinstance(action, QAction):
            why = refusal_of(action)
            if why:
                self.hint.setText(why)  # stays open: the user reads why, then picks another
                # as many lines as the reason takes (the list gives up the room)
                self.hint.setMinimumHeight(self.hint.heightForWidth(self.hint.width()))
                layout = self.layout()
                if layout is not None:
                    layout.activate()
                return
            self.accept()
            action.trigger()

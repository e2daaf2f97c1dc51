"""A table model that shows one tab's rows from the cache a page at a time.

The model knows the row count and keeps a small window of pages (LRU): a view asks only for the
rows it shows, so scrolling to row 99,000 reads one page at that offset and never loads the rows
in between. Sorting and filtering happen in SQL through the ``ListQuery``.

Nothing here reads on the GUI thread: a new query's count and first page, and every later page,
come from the window's one reader (ui/reader.py) by signal. Until a new query's rows arrive the
view keeps showing the previous ones (no blank frame); ``shown`` then resets the model to them.
A cell of a page not yet read paints blank and asks for the page, read one page at a time, the
latest asked for first: a drag does not read the pages it scrolled past. When scrolling pauses,
the page after the one shown is read ahead. ``multiData`` answers a painted cell in one call.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from agencydesk.domain import Record, RecordKind
from agencydesk.services.book_reads import FirstPage
from agencydesk.store.queries import Count, ListItem, ListQuery
from agencydesk.ui.reader import BookReader

RECORD_ROLE = int(Qt.ItemDataRole.UserRole.value) + 1  # the row's domain Record
ITEM_ROLE = int(Qt.ItemDataRole.UserRole.value) + 2  # the row's ListItem (record plus list extras)

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a tab: its title, how to show a row, and the store field it sorts by."""

    title: str
    text: Callable[[ListItem], str]
    sort_field: str = ""  # "" means the column cannot be sorted
    numeric: bool = False  # right-aligned (money, counts)


@dataclass(frozen=True, slots=True)
class RowStyle:
    """How a row stands out: overdue tasks in red, unread threads in bold."""

    color: str = ""
    bold: bool = False


class _Row(NamedTuple):
    """A row as painted: its item, its cells' text, and its style (computed once per page)."""

    item: ListItem
    texts: tuple[str, ...]
    style: RowStyle


class _Page:
    """A page's rows, each formatted the first time it is shown: a page holds several screens
    of rows, and formatting all of them cost as much as reading them from the book."""

    __slots__ = ("items", "rows")

    def __init__(self, items: list[ListItem]) -> None:
        self.items = items
        self.rows: list[_Row | None] = [None] * len(items)


_PLAIN = RowStyle()
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_ROLES_SERVED = frozenset({_DISPLAY, _ALIGN, _FOREGROUND, _FONT, int(RECORD_ROLE), int(ITEM_ROLE)})
_ROW_FLAGS = (
    Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
)


def _alignment(column: Column) -> int:
    horizontal = Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
    return int(horizontal | Qt.AlignmentFlag.AlignVCenter)


class PagedTableModel(QAbstractTableModel):
    PAGE_SIZE = 100  # one read is a short stall; a screen of rows needs one or two pages
    MAX_PAGES = 20  # at most 2,000 rows per tab in memory, whatever the book's size
    READ_AHEAD_MS = 120  # a pause this long in scrolling reads the next page before it is shown

    shown = Signal()  # the rows of ``query`` are in (the model was reset to them)

    def __init__(
        self,
        reader: BookReader,
        kind: RecordKind,
        columns: list[Column],
        style: Callable[[ListItem], RowStyle] | None = None,
        parent: QObject | None = None,
        *,
        with_stages: bool = False,
    ) -> None:
        super().__init__(parent)
        self._reader = reader
        self._kind = kind
        # Leads: a filter's stage counts are read with its rows, in the same read (one trip to
        # the reader per filter instead of two); ``stages`` holds those of the rows shown.
        self._with_stages = with_stages
        self.stages: list[Count] | None = None
        self.columns = columns
        self._style = style
        self._query = ListQuery()  # asked for last
        self._shown_query = ListQuery()  # what the rows are now
        self._count = 0
        # Until its tab is first shown the model keeps its query (a restored sort, say) but asks
        # the book nothing: start-up then costs one tab's queries, not five.
        self.active = False
        self._pages: OrderedDict[int, _Page] = OrderedDict()
        self._bold = QFont()
        self._bold.setBold(True)
        self._brushes: dict[str, QBrush] = {}
        self._alignments = [_alignment(column) for column in columns]
        self._wanted: int | None = None  # the page painting asked for last (read next turn)
        self._read_timer = QTimer(self, singleShot=True, interval=0)
        self._read_timer.timeout.connect(self._read_wanted)
        self._ahead: int | None = None  # the page to read ahead once scrolling pauses
        self._ahead_timer = QTimer(self, singleShot=True, interval=self.READ_AHEAD_MS)
        self._ahead_timer.timeout.connect(self._read_ahead)
        self._generation = 0  # bumped by each new query: a page read for an older one is dropped
        self._reading = False  # one page read at a time
        self._first_key = (id(self), "first")
        self._page_key = (id(self), "page")

    # --- what to show ---------------------------------------------------------------------------
    @property
    def kind(self) -> RecordKind:
        return self._kind

    @property
    def query(self) -> ListQuery:
        """The query asked for last (its rows may still be on their way)."""
        return self._query

    @property
    def loading(self) -> bool:
        """A read for this model is pending or about to start."""
        return self._reading or self._read_timer.isActive() or self._query != self._shown_query

    def set_query(self, query: ListQuery) -> None:
        """Show the rows of ``query``: its count and first page are read off the GUI thread;
        ``shown`` is emitted when they are in (at once while the tab is inactive)."""
        self._query = query
        if not self.active:
            self._show(query, FirstPage(0, []))
            return
        kind, size, with_stages = self._kind, self.PAGE_SIZE, self._with_stages
        self._reader.request(
            self._first_key,
            lambda reads: reads.first_page(kind, query, size, with_stages=with_stages),
            lambda first: self._show(query, first),
        )

    def _show(self, query: ListQuery, first: FirstPage) -> None:
        if query != self._query:
            return  # a newer query was asked for meanwhile
        self.beginResetModel()
        self._shown_query = query
        self._pages.clear()
        self._wanted = self._ahead = None
        self._generation += 1
        self._reading = False
        self._reader.forget(self._page_key)
        self._count = first.count
        self.stages = first.stages
        if first.items:
            self._keep(0, _Page(first.items))
        self.endResetModel()
        self.shown.emit()

    def refresh(self) -> None:
        self.set_query(self._query)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns) or not self.columns[column].sort_field:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(
            replace(self._query, sort=self.columns[column].sort_field, descending=descending)
        )

    def sort_column(self) -> int:
        """The column the query sorts by, or -1 for the tab's default order."""
        for number, column in enumerate(self.columns):
            if column.sort_field and column.sort_field == self._query.sort:
                return number
        return -1

    # --- rows -------------------------------------------------------------------------------------
    def item_at(self, row: int) -> ListItem | None:
        """The row's item if its page has been read (else None, and the page is asked for)."""
        found = self._painted_row(row)
        return found.item if found is not None else None

    def adopt_page(self, query: ListQuery, row: int, items: list[ListItem]) -> None:
        """Keep a page read elsewhere (revealing a record far down reads its page with it)."""
        if query == self._shown_query and items:
            number = row // self.PAGE_SIZE
            if number not in self._pages:
                self._keep(number, _Page(items))
                self._changed(number)

    def _formatted(self, page: _Page, position: int) -> _Row | None:
        if position >= len(page.items):
            return None
        found = page.rows[position]
        if found is None:
            item = page.items[position]
            found = page.rows[position] = _Row(
                item,
                tuple(column.text(item) for column in self.columns),
                self._style(item) if self._style is not None else _PLAIN,
            )
        return found

    def _painted_row(self, row: int) -> _Row | None:
        """The row from a page already read, else None (a blank cell) and the page asked for,
        to be read on the next turn of the event loop."""
        if not 0 <= row < self._count:
            return None
        number, position = divmod(row, self.PAGE_SIZE)
        page = self._pages.get(number)
        if page is None:
            self._wanted = number  # the latest wins: pages a drag scrolled past are not read
            if not self._read_timer.isActive():
                self._read_timer.start()
            return None
        self._pages.move_to_end(number)
        return self._formatted(page, position)

    def _read_wanted(self) -> None:
        if self._reading:
            return  # one read at a time: the page asked for last is read when this one is in
        number, self._wanted = self._wanted, None
        if number is not None and number not in self._pages and self.active:
            self._start_read(number, ahead=False)

    def _read_ahead(self) -> None:
        number, self._ahead = self._ahead, None
        if number is not None and number not in self._pages and self.active and not self._reading:
            self._start_read(number, ahead=True)

    def _start_read(self, number: int, *, ahead: bool) -> None:
        generation, query, kind, size = (
            self._generation,
            self._shown_query,
            self._kind,
            self.PAGE_SIZE,
        )
        self._reading = True
        self._reader.request(
            self._page_key,
            lambda reads: reads.page(kind, query, number * size, size),
            lambda items: self._arrived(generation, number, ahead, items),
            lambda _error: self._arrived(generation, number, ahead, None),
        )

    def _arrived(
        self, generation: int, number: int, ahead: bool, items: list[ListItem] | None
    ) -> None:
        self._reading = False
        if generation == self._generation and items is not None and number not in self._pages:
            self._keep(number, _Page(items))
            self._changed(number)
            following = number + 1
            if not ahead and following * self.PAGE_SIZE < self._count:
                self._ahead = following
                self._ahead_timer.start()  # restarted by every read: waits for a pause
        if self._wanted is not None:
            self._read_timer.start()

    def _changed(self, number: int) -> None:
        first = number * self.PAGE_SIZE
        last = min(self._count, first + self.PAGE_SIZE) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.columns) - 1))

    def _keep(self, number: int, page: _Page) -> None:
        self._pages[number] = page
        while len(self._pages) > self.MAX_PAGES:
            self._pages.popitem(last=False)

    def row_of(self, record_id: int, max_rows: int = 1000) -> int:
        """The row showing ``record_id`` among the pages read within the first ``max_rows``
        rows, else -1."""
        for number, page in self._pages.items():
            for position, item in enumerate(page.items):
                row = number * self.PAGE_SIZE + position
                if item.record.id == record_id and row < max_rows:
                    return row
        return -1

    def replace_record(self, record: Record) -> bool:
        """Show ``record`` in its row where it is already shown, without re-reading the list
        (a thread just marked read stays where it is rather than jumping under the cursor)."""
        for number, page in self._pages.items():
            for position, item in enumerate(page.items):
                if item.record.id == record.id and item.record.kind is record.kind:
                    page.items[position] = replace(item, record=record)
                    page.rows[position] = None  # formatted again when next painted
                    row = number * self.PAGE_SIZE + position
                    self.dataChanged.emit(
                        self.index(row, 0), self.index(row, len(self.columns) - 1)
                    )
                    return True
        return False

    def cached_rows(self) -> int:
        return sum(len(page.items) for page in self._pages.values())

    # --- QAbstractTableModel ----------------------------------------------------------------------
    # data() runs thousands of times per repaint: int roles, no enum arithmetic, no formatting.
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> Any:
        if role not in _ROLES_SERVED or not index.isValid():
            return None
        row = self._painted_row(index.row())
        if row is None:
            return None
        if role == _DISPLAY:
            return row.texts[index.column()]
        if role == _ALIGN:
            return self._alignments[index.column()]
        if role == _FOREGROUND:
            return self._brush(row.style.color) if row.style.color else None
        if role == _FONT:
            return self._bold if row.style.bold else None
        if role == RECORD_ROLE:
            return row.item.record
        return row.item  # ITEM_ROLE

    def multiData(self, index: AnyIndex, roleDataSpan: QModelRoleDataSpan | QModelRoleData) -> None:
        """What a delegate asks when it paints a cell: ~7 roles in ONE call instead of seven
        data() calls (1,100 Python calls per repaint of a full table become 160)."""
        row = self._painted_row(index.row()) if index.isValid() else None
        column = index.column()
        roles: Iterable[QModelRoleData] = roleDataSpan  # type: ignore[assignment,unused-ignore]
        for role_data in roles:  # set each as it comes: the wrapper is reused
            # Every role is written, None included: the delegate reuses its role array, so a
            # role left alone would keep the previous cell's value (clearData() is broken).
            role = role_data.role()
            value: Any = None
            if row is None:
                pass
            elif role == _DISPLAY:
                value = row.texts[column]
            elif role == _ALIGN:
                value = self._alignments[column]
            elif role == _FOREGROUND and row.style.color:
                value = self._brush(row.style.color)
            elif role == _FONT and row.style.bold:
                value = self._bold
            elif role == RECORD_ROLE:
                value = row.item.record
            elif role == ITEM_ROLE:
                value = row.item
            role_data.setData(value)

    def _brush(self, color: str) -> QBrush:
        brush = self._brushes.get(color)
        if brush is None:
            brush = self._brushes[color] = QBrush(QColor(color))
        return brush

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

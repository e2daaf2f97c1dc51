"""A table model that reads one tab's rows from the Book a page at a time.

The model knows the row count (one COUNT query) and keeps a small window of pages (LRU): a view
asks only for the rows it shows, so scrolling to row 99,000 reads one page at that offset and
never loads the rows in between. Sorting and filtering happen in SQL through the ``ListQuery``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from agencydesk.domain import RecordKind
from agencydesk.store.book import Book
from agencydesk.store.queries import ListItem, ListQuery

RECORD_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's domain Record
ITEM_ROLE = Qt.ItemDataRole.UserRole + 2  # the row's ListItem (record plus list extras)

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


def _alignment(column: Column) -> int:
    horizontal = Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
    return int(horizontal | Qt.AlignmentFlag.AlignVCenter)


class PagedTableModel(QAbstractTableModel):
    PAGE_SIZE = 200
    MAX_PAGES = 25  # at most 5,000 rows in memory, whatever the book's size

    def __init__(
        self,
        book: Book,
        kind: RecordKind,
        columns: list[Column],
        style: Callable[[ListItem], RowStyle] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._book = book
        self._kind = kind
        self.columns = columns
        self._style = style
        self._query = ListQuery()
        self._count = 0
        # Until its tab is first shown the model keeps its query (a restored sort, say) but asks
        # the book nothing: start-up then costs one tab's queries, not five.
        self.active = False
        self._pages: OrderedDict[int, list[ListItem]] = OrderedDict()
        self._bold = QFont()
        self._bold.setBold(True)

    # --- what to show ---------------------------------------------------------------------------
    @property
    def kind(self) -> RecordKind:
        return self._kind

    @property
    def query(self) -> ListQuery:
        return self._query

    def set_query(self, query: ListQuery) -> None:
        """Show the rows of ``query`` (one COUNT now; pages when the view asks for them)."""
        self.beginResetModel()
        self._query = query
        self._pages.clear()
        self._count = self._book.count(self._kind, query) if self.active else 0
        self.endResetModel()

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
        if not 0 <= row < self._count:
            return None
        number, position = divmod(row, self.PAGE_SIZE)
        page = self._page(number)
        return page[position] if position < len(page) else None

    def _page(self, number: int) -> list[ListItem]:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        page = self._book.page(self._kind, self._query, number * self.PAGE_SIZE, self.PAGE_SIZE)
        self._pages[number] = page
        while len(self._pages) > self.MAX_PAGES:
            self._pages.popitem(last=False)
        return page

    def row_of(self, record_id: int, max_rows: int = 1000) -> int:
        """The row showing ``record_id`` within the first ``max_rows`` rows, else -1."""
        for number in range(min(self._count, max_rows) // self.PAGE_SIZE + 1):
            for position, item in enumerate(self._page(number)):
                if item.record.id == record_id:
                    return number * self.PAGE_SIZE + position
        return -1

    def cached_rows(self) -> int:
        return sum(len(page) for page in self._pages.values())

    # --- QAbstractTableModel ----------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.item_at(index.row())
        if item is None:
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(item)
        if role == RECORD_ROLE:
            return item.record
        if role == ITEM_ROLE:
            return item
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if self._style is not None and role in (
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.FontRole,
        ):
            style = self._style(item)
            if role == Qt.ItemDataRole.ForegroundRole and style.color:
                return QBrush(QColor(style.color))
            if role == Qt.ItemDataRole.FontRole and style.bold:
                return self._bold
        return None

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
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemNeverHasChildren
        )

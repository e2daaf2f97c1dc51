"""Is any header or cell text of a table's key columns cut off, or any shown column past the
table's right edge (the user would have to scroll sideways to see it)? Measured as Qt paints
it: the text's width in the cell's font (QFontMetrics.horizontalAdvance) plus the item
delegate's margins and the style sheet's padding, against the width of the column that is on
screen; a header also needs room for the sort indicator."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle, QTableView, QTreeView

#: The columns whose text must never be cut: names, policy numbers, carriers and dates.
KEY_COLUMNS = frozenset(
    {
        "Name",
        "Insured",
        "For",
        "Customer / lead",
        "Policy #",
        "Policy number",
        "Carrier",
        "Effective",
        "Expiration",
        "X-date",
        "Customer since",
        "Due",
        "Last message",
        "Received",
        "Last tried",
        "Account",
        "Last synced",
        "Date",
        "When",
        "Queued",
        "Record",  # the Outbox's "Lead: Ada Quill"
        "Producer",
        "Assigned to",
        "Subject",  # what a conversation is about
    }
)


def _margin(view: QAbstractItemView) -> int:
    """QStyledItemDelegate's text margin, each side (QCommonStyle: focus frame margin + 1)."""
    style = view.style()
    return style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1


#: Tables that show a file's own columns, as many as it has: they scroll sideways.
SCROLL_SIDEWAYS = frozenset({"csv_preview"})


def clipped(view: QTableView | QTreeView, keys: frozenset[str] = KEY_COLUMNS) -> list[str]:
    """'Carrier, row 3: "Liberty Mutual Insurance" needs 171 px, has 120' for each cut text
    of a key column among the rows on screen (and each cut key header); 'Producer runs past
    the right edge' for each shown column out of view (but in ``SCROLL_SIDEWAYS`` tables)."""
    model = view.model()
    header: QHeaderView = view.horizontalHeader() if isinstance(view, QTableView) else view.header()
    margin = _margin(view)
    problems: list[str] = []
    first = max(0, view.rowAt(0) if isinstance(view, QTableView) else 0)
    height = view.viewport().height()
    last = view.rowAt(height - 1) if isinstance(view, QTableView) else model.rowCount() - 1
    last = model.rowCount() - 1 if last < 0 else last
    for column in range(model.columnCount()):
        if header.isSectionHidden(column):
            continue
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        right = header.sectionViewportPosition(column) + header.sectionSize(column)
        if right > view.viewport().width() + 1 and view.objectName() not in SCROLL_SIDEWAYS:
            problems.append(
                f"{title or f'column {column + 1}'} runs past the right edge"
                f" (ends at {right} px, the table shows {view.viewport().width()})"
            )
        if title not in keys:
            continue
        width = header.sectionSize(column)
        if header.sectionViewportPosition(column) + width > view.viewport().width() + 1:
            width = view.viewport().width() - header.sectionViewportPosition(column)
        needed = header.sectionSizeHint(column)
        if needed > width:
            problems.append(f"{title} header needs {needed} px, has {width}")
        for row in range(first, last + 1):
            index = model.index(row, column, QModelIndex())
            text = str(index.data() or "")
            if not text:
                continue
            font = index.data(Qt.ItemDataRole.FontRole)
            metrics = QFontMetrics(font if isinstance(font, QFont) else view.font())
            # The text in its font plus the delegate's margins; the delegate's own size hint
            # also counts the style sheet's cell padding.
            needs = max(
                metrics.horizontalAdvance(text) + 2 * margin, view.sizeHintForIndex(index).width()
            )
            if needs > width:
                problems.append(f'{title}, row {row + 1}: "{text}" needs {needs} px, has {width}')
    return problems

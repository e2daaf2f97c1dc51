"""The floor for start-up (issue 13): the least a window over the same leads can do. Bare PySide6
and sqlite3: a table of the leads sorted by name, read a page at a time as rows are painted, a
filter box searching the FTS5 index. Prints the milliseconds from its first line to the first
paint of rows, as bench_shell.py does for AgencyDesk, and the CPU milliseconds the process used.
Given words (comma-separated), it then filters by each as typed, timing the count, the first
page's read and the repaint, and prints the median milliseconds on a second line: the floor for
bench_shell.py's filter figure.

    QT_QPA_PLATFORM=offscreen python bench/bare_window.py PATH [WORDS]
"""

import time

STARTED = time.perf_counter()

import sqlite3  # noqa: E402
import sys  # noqa: E402

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QLineEdit,
    QMainWindow,
    QTableView,
    QVBoxLayout,
    QWidget,
)

COLUMNS = ("first_name", "last_name", "email", "phone", "city", "status", "producer")
PAGE = 200
Index = QModelIndex | QPersistentModelIndex


class Leads(QAbstractTableModel):
    def __init__(self, db: sqlite3.Connection) -> None:
        super().__init__()
        self.db, self.where, self.args = db, "", ()
        self.pages: dict[int, list[tuple[object, ...]]] = {}
        self.count = self._count()

    def _count(self) -> int:
        return int(
            self.db.execute(f"SELECT count(*) FROM leads {self.where}", self.args).fetchone()[0]
        )

    def search(self, text: str) -> None:
        self.beginResetModel()
        words = " AND ".join(f'"{w}"*' for w in text.split())
        self.where = (
            "WHERE id IN (SELECT rowid FROM fts_leads WHERE fts_leads MATCH ?)" if words else ""
        )
        self.args = (words,) if words else ()
        self.pages.clear()
        self.count = self._count()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section].replace("_", " ").title()
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        page = self.pages.get(index.row() // PAGE)
        if page is None:
            sql = (f"SELECT {', '.join(COLUMNS)} FROM leads {self.where} "
                   "ORDER BY sort_name, id LIMIT ? OFFSET ?")  # fmt: skip
            offset = index.row() // PAGE * PAGE
            page = self.pages[index.row() // PAGE] = self.db.execute(
                sql, (*self.args, PAGE, offset)
            ).fetchall()
        row = index.row() % PAGE
        return page[row][index.column()] if row < len(page) else None


def main(path: str, words: list[str]) -> None:
    app = QApplication(sys.argv[:1])
    db = sqlite3.connect(path)
    model = Leads(db)
    window, body = QMainWindow(), QWidget()
    layout = QVBoxLayout(body)
    search = QLineEdit(placeholderText="Filter")
    view = QTableView()
    view.setModel(model)
    search.textChanged.connect(model.search)
    layout.addWidget(search)
    layout.addWidget(view)
    window.setCentralWidget(body)
    window.resize(1280, 800)
    window.show()
    view.viewport().repaint()  # paints the first rows (reads their page)
    app.processEvents()
    assert model.pages, "no rows painted"
    print(f"{(time.perf_counter() - STARTED) * 1000:.1f} {time.process_time() * 1000:.1f}")
    filters = []
    for word in words:
        started = time.perf_counter()
        search.setText(word)  # (textChanged: the model searches)
        view.viewport().repaint()
        app.processEvents()
        filters.append((time.perf_counter() - started) * 1000)
    if filters:
        import statistics  # (after the start is timed)

        print(f"{statistics.median(filters):.1f}")
    db.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2].split(",") if len(sys.argv) > 2 else [])

"""A clickable list of labelled counts beside a table: lead stages, renewals per producer."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agencydesk.store.queries import Count


class CountList(QWidget):
    """Shows ``label | count`` rows; choosing one emits its label ('' for the "all" row)."""

    chosen = Signal(str)

    def __init__(self, title: str, all_label: str) -> None:
        super().__init__()
        self.setObjectName("count_list")
        self._all_label = all_label
        self.heading = QLabel(title)
        self.heading.setProperty("role", "side-heading")
        self.list = QTreeWidget()
        self.list.setObjectName("counts")
        self.list.setColumnCount(2)
        self.list.setHeaderHidden(True)
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addWidget(self.list)
        self.setMinimumWidth(170)
        self.setMaximumWidth(260)

    def set_counts(self, counts: list[Count], selected: str = "") -> None:
        self.list.clear()
        total = sum(count.count for count in counts)
        rows = [(self._all_label, "", total)] + [(c.label, c.label, c.count) for c in counts]
        for text, label, number in rows:
            item = QTreeWidgetItem([text or "(none)", f"{number:,}"])
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setData(0, Qt.ItemDataRole.UserRole, label)
            self.list.addTopLevelItem(item)
            if label == selected:
                self.list.setCurrentItem(item)

    def labels(self) -> list[tuple[str, int]]:
        """What the list shows, as (label, count) rows (the "all" row first)."""
        items = map(self.list.topLevelItem, range(self.list.topLevelItemCount()))
        return [
            (item.text(0), int(item.text(1).replace(",", ""))) for item in items if item is not None
        ]

    def choose(self, label: str) -> None:
        """Click the row of ``label`` (as a user would)."""
        for number in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(number)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == label:
                self._activated(item)
                return
        raise KeyError(label)

    def _activated(self, item: QTreeWidgetItem) -> None:
        self.chosen.emit(item.data(0, Qt.ItemDataRole.UserRole))

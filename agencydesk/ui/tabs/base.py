"""What every list tab shares: filter bar, paged table, detail pane, and the record actions.

A tab subclass declares its columns, its filters (added to the bar in ``build_filters``), what it
adds to the ListQuery (``extra_query``) and how its detail pane reads (``detail_html``).

A tab reads nothing itself: rows, facets, counts and detail-pane lists come from the window's one
reader (ui/reader.py), off the GUI thread; nor does it write: saves, deletes and link decisions
go to the window's one writer (ui/writer.py). ``filtered`` says a query's rows are shown.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import (
    QByteArray,
    QItemSelection,
    QItemSelectionModel,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from agencydesk.domain import Record, RecordKind, SyncState
from agencydesk.services.book_reads import Located, RecordDetail
from agencydesk.services.outbox_review import OutboxItem
from agencydesk.store.queries import ListItem, ListQuery
from agencydesk.ui.detail_html import LINK_SCHEME, follow_palette
from agencydesk.ui.forms.record_dialog import RecordDialog
from agencydesk.ui.paged_model import ITEM_ROLE, Column, PagedTableModel, RowStyle
from agencydesk.ui.reader import BookReader
from agencydesk.ui.sync.outbox_banner import OUTBOX_SCHEME, with_outbox_banner
from agencydesk.ui.tabs import record_actions
from agencydesk.ui.tabs.activity_link import LOG_VERB, log_activity_link
from agencydesk.ui.tabs.column_tuck import tuck_to_fit
from agencydesk.ui.tabs.link_actions import ACTION_SCHEME, LinkActions
from agencydesk.ui.writer import BookWriter

DO_SCHEME = "agencydesk-do"  # a detail-pane link acting on its record: complete a task…
FILTER_DELAY_MS = 120  # typing pauses shorter than this do not re-query
ELIDE_FLOOR = 90  # a long text column (email, subject) gives up room down to this, or its header
MIN_COLUMN_WIDTH = 36


class BaseTab(QWidget):
    kind: ClassVar[RecordKind]
    title: ClassVar[str]  # "Leads"
    noun: ClassVar[str]  # "lead"
    widths: ClassVar[dict[str, int]] = {}  # initial column widths by title (the user's win later)
    with_stages: ClassVar[bool] = False  # Leads: stage counts read with the rows (PagedTableModel)
    # Never cut to fit (issue 12): names, policy numbers, carriers and dates.
    FIT_WHOLE: ClassVar[frozenset[str]] = frozenset(
        {
            "Name", "Insured", "Customer / lead", "For", "Policy #", "Carrier",
            "Effective", "Expiration", "X-date", "Customer since", "Due", "Last message",
            "Phone", "Producer", "Assigned to", "Held in",
        }
    )  # fmt: skip
    # Columns tucked away, first first, when the table is too narrow to show every column
    # with its names and dates whole (1280 px with the detail pane): the header menu's
    # "Columns shown" brings one back, and a wider window shows them again by itself.
    NARROW_FIRST: ClassVar[tuple[str, ...]] = ()

    filtered = Signal()  # the table shows a new query's rows
    status_changed = Signal(str)  # "1,234 leads" for the status bar
    record_link_clicked = Signal(object, int)  # (RecordKind, id) from a detail-pane link
    message = Signal(str)  # a short note for the status bar
    current_changed = Signal()  # the selected record changed
    revealed = Signal(int, bool)  # (record id, found) after ``reveal``
    outbox_link = Signal(str, int)  # (retry | discard | edit, outbox entry id) from the pane
    log_requested = Signal()  # the pane's "Log activity…" link on the shown record

    def __init__(
        self,
        reader: BookReader,
        writer: BookWriter,
        user_name: str = "",
    ) -> None:
        super().__init__()
        self.setObjectName(f"{self.kind.value}_tab")
        self.reader = reader
        self.writer = writer  # every save, delete and link decision, off the GUI thread
        self.editor = writer.writes.editor  # what the user may do with a record (no writing)
        self.user_name = user_name
        self.loaded = False
        self.header_restored = False  # window_state restored the user's column layout
        self.columns_fitted = False
        self.user_sized = False  # the user dragged a column divider: widths are theirs
        self._fitting = False
        self._rows_fitted = False  # fitted to the first rows read (not only the headers)
        self.tucked: set[int] = set()  # columns the fit hid for want of room (not the user)
        self.pinned: set[int] = set()  # columns the user chose to show: never tucked
        self._fit_timer = QTimer(self, singleShot=True, interval=0)
        self._fit_timer.timeout.connect(self.fit_columns)
        self.combos: dict[str, QComboBox] = {}
        # The record's changes that wait for the user (installed with sync; read off the GUI
        # thread with the detail pane): shown above it with Discard / Edit / Retry.
        self.outbox_items: Callable[[RecordKind, int], list[OutboxItem]] | None = None
        self.model = PagedTableModel(
            reader, self.kind, self.columns(), self.row_style, self, with_stages=self.with_stages
        )
        self.model.shown.connect(self._on_shown)
        self._keep_id: int | None = None  # the record to keep selected when the rows come
        # (row, scroll, the record changed there): ``keep_place``
        self._keep_place: tuple[int, int, Record] | None = None
        self._select_first = False  # select the first row when the rows come (Enter, first show)

        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("filter")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMinimumWidth(200)
        self.filter_edit.setPlaceholderText(f"Filter {self.title.lower()}…   Ctrl+F")
        self._filter_timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.apply_filters)
        self.filter_edit.textChanged.connect(self._filter_timer.start)
        self.filter_edit.returnPressed.connect(self.focus_results)
        escape = QAction("Clear the filter", self.filter_edit)
        escape.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        escape.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        escape.triggered.connect(self._escape_filter)
        self.filter_edit.addAction(escape)

        self.filter_bar = QHBoxLayout()
        self.filter_bar.setSpacing(6)
        self.filter_bar.addWidget(self.filter_edit, 3)
        self.build_filters()
        self.filter_bar.addStretch(1)

        self.view = QTableView()
        self.view.setObjectName("table")
        self.view.setModel(self.model)
        # Qt sorts by the header's indicator (column 0, descending) the moment sorting is
        # enabled: clear it first so the tab opens in the store's default order.
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        # Content widths (fit_columns) are measured over a screenful of rows, not Qt's 1,000.
        header.setResizeContentsPrecision(40)
        for number, column in enumerate(self.model.columns):
            # A money/count column is never narrower than its header: right-aligned, "Total
            # premium" would lose its first letter to the sort indicator's room.
            width = self.column_width(column)
            if column.numeric:
                width = max(width, header.sectionSizeHint(number))
            header.resizeSection(number, width)
        header.sectionResized.connect(self._section_resized)
        self.view.selectionModel().selectionChanged.connect(self._on_selection)
        self.view.doubleClicked.connect(lambda _index: self.open_current())

        self.detail = QTextBrowser()
        follow_palette(self.detail)  # recolour an open record when the theme changes
        self.detail.setObjectName("detail")
        self.detail.setOpenLinks(False)
        self.detail.anchorClicked.connect(self._on_link)
        self.detail.setPlaceholderText(f"Select a {self.noun} to see it here.")

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table_area())
        self.splitter.addWidget(self.detail)
        # The table gets ~3/4: it holds up to nine columns, the pane one record. Saved and
        # restored per profile with the columns (window_state).
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([930, 330])
        self.splitter.splitterMoved.connect(lambda _pos, _index: self._refit())
        self.detail.setMinimumWidth(300)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.setSpacing(6)
        layout.addLayout(self.filter_bar)
        layout.addWidget(self.splitter, 1)
        self.chain_focus()

    def chain_focus(self) -> None:
        """Tab and Shift+Tab go filter box, the bar's other filters, the list, the side panels,
        the detail pane: Tab leaves the table (no cell-to-cell Tab in a list of records) and
        leaves the pane (its links are clicked, or followed from the keyboard by the menus)."""
        self.view.setTabKeyNavigation(False)
        self.detail.setTabChangesFocus(True)
        items = [self.filter_bar.itemAt(i) for i in range(self.filter_bar.count())]
        bar = [item.widget() for item in items if item is not None]
        area = self.splitter.widget(0) or self.view
        panels = [
            widget
            for widget in area.findChildren(QWidget)
            if widget is not self.view
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and not self.view.isAncestorOf(widget)
        ]
        chain = [w for w in bar if w is not None] + [self.view, *panels, self.detail]
        self.focus_chain: list[QWidget] = chain
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    # --- what subclasses declare -------------------------------------------------------------
    def columns(self) -> list[Column]:
        raise NotImplementedError

    def row_style(self, item: ListItem) -> RowStyle:
        return RowStyle()

    def build_filters(self) -> None:
        """Add the tab's combos to ``self.filter_bar`` (``add_facet`` / ``add_choice``)."""

    def extra_query(self) -> dict[str, Any]:
        """ListQuery fields from the tab's own filters (beyond the text box and combos)."""
        return {}

    def table_area(self) -> QWidget:
        """The left side of the splitter: the table, plus any side panel a tab adds."""
        return self.view

    def detail_html(self, item: ListItem, detail: RecordDetail) -> str:
        """The detail pane for ``item``, with what the reader read beside it."""
        raise NotImplementedError

    def blank_record(self) -> Record:
        raise NotImplementedError

    def after_query(self, query: ListQuery) -> None:
        """Update what depends on the query (stage counts, renewal counts…)."""

    def column_width(self, column: Column) -> int:
        return self.widths.get(column.title, 100 if column.numeric else 130)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.columns_fitted:
            self.columns_fitted = True
            # Once laid out (the viewport has its real width): queued, not now.
            self._fit_timer.start()

    def fit_columns(self) -> None:
        """Columns fit their content at the table's width: names, policy numbers, carriers,
        dates, phones and money (``FIT_WHOLE`` and numeric columns) are never cut and stay in
        view; other text (an email, a subject, a stage) gives up room first, down to
        ``ELIDE_FLOOR`` and then to its header, and may end in "…". Columns after the last of
        those may run past the right edge (the table scrolls) rather than squeeze the ones
        before. When even that leaves columns past the right edge, the tab's ``NARROW_FIRST``
        columns are tucked away (hidden, in that order) until the rest fit; a wider table
        shows them again. Only columns the user pinned may still run past the edge (the table
        scrolls). With room to spare every column shows its content whole (the last
        stretches). Widths the user set (dragging a divider) are left alone."""
        if self.user_sized or not self.view.isVisible():
            return
        header = self.view.horizontalHeader()
        self._fitting = True
        try:
            for number in self.tucked:  # measured again at the new width
                header.setSectionHidden(number, False)
        finally:
            self._fitting = False
        self.tucked.clear()
        visible = [header.logicalIndex(v) for v in range(header.count())]
        visible = [n for n in visible if not header.isSectionHidden(n)]
        if not visible:
            return
        want: dict[int, int] = {}
        whole: set[int] = set()
        heading: dict[int, int] = {}
        for number in visible:
            column = self.model.columns[number]
            heading[number] = max(header.sectionSizeHint(number), MIN_COLUMN_WIDTH)
            want[number] = max(self.view.sizeHintForColumn(number), heading[number])
            if column.numeric or column.title in self.FIT_WHOLE or want[number] <= ELIDE_FLOOR:
                whole.add(number)
        soft = {n: max(heading[n], ELIDE_FLOOR) for n in visible}
        width = self._table_width()
        self.tucked = set(tuck_to_fit(self._tuck_order(visible), visible, want, whole, soft, width))
        visible = [n for n in visible if n not in self.tucked]
        in_view = visible
        excess = sum(want[n] for n in in_view) - width
        for floors in (soft, heading):  # an email or subject to "…" first, then to its header
            if excess <= 0:
                break
            slack = {n: max(0, want[n] - floors[n]) for n in in_view if n not in whole}
            total = sum(slack.values())
            if not total:
                continue
            share = min(1.0, excess / total)
            for number, room in slack.items():
                cut = min(room, round(room * share))
                want[number] -= cut
                excess -= cut
        self._fitting = True
        try:
            for number in self.tucked:
                header.setSectionHidden(number, True)
            for number in visible:
                header.resizeSection(number, want[number])
        finally:
            self._fitting = False

    def _tuck_order(self, visible: list[int]) -> list[int]:
        """The shown columns the fit may tuck away, first first (never one the user pinned)."""
        by_title = {column.title: n for n, column in enumerate(self.model.columns)}
        order = [by_title[title] for title in self.NARROW_FIRST if title in by_title]
        return [n for n in order if n in visible and n not in self.pinned]

    def show_column(self, number: int, shown: bool) -> None:
        """The header menu's "Columns shown": the user's choice, kept over the fit's tucking
        (a column ticked stays even if the table then scrolls)."""
        header = self.view.horizontalHeader()
        self.tucked.discard(number)
        if shown:
            self.pinned.add(number)
        else:
            self.pinned.discard(number)
        self._fitting = True  # showing a column is no divider dragged: widths stay fitted
        try:
            header.setSectionHidden(number, not shown)
            if shown and header.sectionSize(number) < 40:
                header.resizeSection(number, self.column_width(self.model.columns[number]))
        finally:
            self._fitting = False
        self._refit()

    def header_state(self) -> QByteArray:
        """The header's layout to save: columns tucked for this width saved as shown (a wider
        window next time shows them), those the user hid saved hidden."""
        header = self.view.horizontalHeader()
        self._fitting = True
        try:
            for number in self.tucked:
                header.setSectionHidden(number, False)
            state = header.saveState()
            for number in self.tucked:
                header.setSectionHidden(number, True)
        finally:
            self._fitting = False
        return state

    def _table_width(self) -> int:
        """The viewport's width once the rows are laid out: a vertical scroll bar the new rows
        will bring is not there yet when the first rows arrive."""
        width = self.view.viewport().width()
        bar = self.view.verticalScrollBar()
        rows_height = self.model.rowCount() * self.view.verticalHeader().defaultSectionSize()
        if not bar.isVisible() and rows_height > self.view.viewport().height():
            width -= bar.sizeHint().width()
        return width

    def _section_resized(self, number: int, old: int, new: int) -> None:
        """A divider the user dragged: from now on the tab keeps the user's widths."""
        header = self.view.horizontalHeader()
        shown = [header.logicalIndex(v) for v in range(header.count())]
        shown = [n for n in shown if not header.isSectionHidden(n)]
        last = shown[-1] if shown else -1  # the last column shown stretches (a tucked one, not)
        # Hiding or showing a column (the fit's tucking, the header menu) resizes it to or from
        # 0, some of it later from the event loop: no divider was dragged.
        hidden = header.isSectionHidden(number) or 0 in (old, new)
        if not self._fitting and not hidden and number != last and self.columns_fitted:
            self.user_sized = True

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._refit()

    def _refit(self) -> None:
        """The table's width changed (the window, the detail pane's divider): fit again once
        the new size is laid out, unless the user set the widths."""
        if self.columns_fitted and not self.user_sized:
            self._fit_timer.start()

    def _shows(self, row: int, record_id: int) -> bool:
        item = self.model.item_at(row)
        return item is not None and item.record.id == record_id

    # --- record actions (ui/tabs/record_actions.py) ------------------------------------------
    def new_record(self) -> RecordDialog:
        return record_actions.new_record(self)

    def edit_current(self) -> RecordDialog | None:
        return record_actions.edit_current(self)

    def open_current(self) -> None:
        record_actions.open_current(self)

    def delete_current(self) -> QMessageBox | None:
        return record_actions.delete_current(self)

    # --- filters -------------------------------------------------------------------------------
    def add_facet(self, field: str, all_label: str, facet_field: str = "") -> QComboBox:
        """A combo of the distinct values the book has for ``facet_field`` (default: ``field``,
        the ListQuery field it filters), filled when the tab is first shown."""
        combo = self.add_choice(field, [(all_label, "")])
        combo.setProperty("facet", facet_field or field)
        return combo

    def add_choice(self, field: str, options: list[tuple[str, Any]]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(f"filter_{field}")
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.setMinimumContentsLength(8)
        for label, value in options:
            combo.addItem(label, value)
        combo.currentIndexChanged.connect(self.apply_filters)
        self.combos[field] = combo
        self.filter_bar.addWidget(combo)
        return combo

    def _fill_facets(self) -> None:
        facets = {
            field: str(combo.property("facet"))
            for field, combo in self.combos.items()
            if combo.property("facet")
        }
        if facets:
            kind, wanted = self.kind, sorted(set(facets.values()))
            self.reader.request(
                (id(self), "facets"),
                lambda reads: reads.facets(kind, wanted),
                lambda values: self._facets_read(facets, values),
            )

    def _facets_read(self, facets: dict[str, str], values: dict[str, list[str]]) -> None:
        for field, facet in facets.items():
            combo = self.combos[field]
            chosen = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for value in values.get(facet, []):
                combo.addItem(value, value)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.blockSignals(False)

    def build_query(self) -> ListQuery:
        values: dict[str, Any] = {"text": self.filter_edit.text().strip()}
        for field, combo in self.combos.items():
            data = combo.currentData()
            if data not in ("", None) and field in ListQuery.__dataclass_fields__:
                values[field] = data
        values.update(self.extra_query())
        current = self.model.query
        return ListQuery(**values, sort=current.sort, descending=current.descending)

    def apply_filters(self) -> None:
        """Ask for the rows of the filters now; ``filtered`` once they are shown."""
        self._filter_timer.stop()
        if not self.loaded:
            return
        selected = self.current_record()
        if selected is not None and self._keep_place is None:
            self._keep_id = selected.id
        self.model.set_query(self.build_query())

    def keep_place(self, changed: Record) -> None:
        """The next rows keep the view where it is (completing a task does not jump the list
        to where the done task went): the same scroll position and current row. ``changed``
        stays selected if it is still on that row; if it left it (a done task off the open
        list), the detail pane keeps showing it, with its Reopen, and the keyboard goes on from
        that row."""
        row = self.view.currentIndex().row()
        self._keep_place = (row, self.view.verticalScrollBar().value(), changed)
        self._keep_id = None

    def _on_shown(self) -> None:
        keep_id, self._keep_id = self._keep_id, None
        place, self._keep_place = self._keep_place, None
        self.after_query(self.model.query)
        self._after_reset(keep_id)
        if not self._rows_fitted and self.model.rowCount():
            self._rows_fitted = True  # the first rows in: fit to them (later queries keep widths)
            self._fit_timer.start()
        if place is not None:
            self._restore_place(*place)
        if self._select_first and self.model.rowCount() and self.current_record() is None:
            self.select_row(0)
        self._select_first = False
        self.filtered.emit()

    def _restore_place(self, row: int, scroll: int, changed: Record) -> None:
        count = self.model.rowCount()
        row = min(max(row, 0), count - 1)
        if row >= 0 and self._shows(row, changed.id or -1):
            self.select_row(row, scroll=False)
        else:
            self.view.clearSelection()
            if row >= 0:
                self.view.selectionModel().setCurrentIndex(
                    self.model.index(row, 0), QItemSelectionModel.SelectionFlag.NoUpdate
                )
            self.show_detail(ListItem(changed))
        self.view.verticalScrollBar().setValue(scroll)

    def focus_results(self) -> None:
        """Enter in the filter box: filter now and move to the first result."""
        self._select_first = True
        self.apply_filters()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _escape_filter(self) -> None:
        """Escape in the filter box: clear it; pressed again, back to the table."""
        if self.filter_edit.text():
            self.filter_edit.clear()
            self.apply_filters()
        else:
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_filters(self) -> None:
        for combo in self.combos.values():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.filter_edit.blockSignals(True)
        self.filter_edit.clear()
        self.filter_edit.blockSignals(False)

    def set_combo(self, field: str, value: Any) -> None:
        """Choose ``value`` in a filter combo (adding it if the facet list lacks it)."""
        combo = self.combos[field]
        position = combo.findData(value)
        if position < 0:
            combo.addItem(str(value), value)
            position = combo.count() - 1
        combo.setCurrentIndex(position)

    # --- loading -------------------------------------------------------------------------------
    def ensure_loaded(self) -> None:
        """Query the book the first time the tab is shown (keeps start-up to one tab's work)."""
        if self.loaded:
            return
        self.loaded = True
        self.model.active = True
        self._select_first = True  # the detail pane shows a record from the start, never empty
        self.apply_filters()
        self._fill_facets()  # after the rows: the reader answers in the order it is asked

    def refresh(self) -> None:
        if not self.loaded:
            return
        self._fill_facets()
        self.apply_filters()

    def status_text(self) -> str:
        count = self.model.rowCount()
        noun = self.noun if count == 1 else f"{self.noun}s"
        return f"{count:,} {noun}"

    def _after_reset(self, keep_id: int | None) -> None:
        header = self.view.horizontalHeader()
        header.blockSignals(True)
        column = self.model.sort_column()
        order = (
            Qt.SortOrder.DescendingOrder
            if self.model.query.descending
            else Qt.SortOrder.AscendingOrder
        )
        header.setSortIndicator(column, order)
        header.blockSignals(False)
        if keep_id is not None:
            row = self.model.row_of(keep_id, max_rows=self.model.PAGE_SIZE)
            if row >= 0:
                self.select_row(row)
        if self.current_record() is None:
            self.detail.clear()
        self.status_changed.emit(self.status_text())

    # --- selection and detail ------------------------------------------------------------------
    def current_item(self) -> ListItem | None:
        index = self.view.currentIndex()
        if not index.isValid() or not self.view.selectionModel().isRowSelected(index.row()):
            return None
        item = index.data(ITEM_ROLE)
        return item if isinstance(item, ListItem) else None

    def current_record(self) -> Record | None:
        item = self.current_item()
        return item.record if item else None

    def selected_ids(self) -> list[int]:
        rows = self.view.selectionModel().selectedRows()
        ids = [self.model.item_at(index.row()) for index in rows]
        return [item.record.id for item in ids if item and item.record.id is not None]

    def select_row(self, row: int, *, scroll: bool = True) -> None:
        index = self.model.index(row, 0)
        # Explicit flags: QTableView.selectRow would toggle instead while Ctrl is held (Ctrl+K…).
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.view.selectionModel().setCurrentIndex(index, flags)
        if scroll:
            self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        item = self.current_item()
        if item is not None:
            self.show_detail(item)
        self.current_changed.emit()

    def show_detail(self, item: ListItem) -> None:
        """Show ``item`` in the detail pane once its related records are read."""
        record, outbox_items = item.record, self.outbox_items

        def read(reads: Any) -> tuple[RecordDetail, list[OutboxItem]]:
            items: list[OutboxItem] = []
            if outbox_items and record.id is not None and record.sync_state is not SyncState.SYNCED:
                items = outbox_items(record.kind, record.id)
            return reads.detail(record), items

        self.reader.request(
            (id(self), "detail"),
            read,
            lambda answer: self.detail.setHtml(
                with_outbox_banner(self.detail_html(item, answer[0]), answer[1])
            ),
        )

    def _on_link(self, url: QUrl) -> None:
        if url.scheme() == LINK_SCHEME and url.path().strip("/").isdigit():
            self.record_link_clicked.emit(RecordKind(url.host()), int(url.path().strip("/")))
        elif url.scheme() == ACTION_SCHEME:  # link/unlink records (link_actions.py)
            self.link_actions.handle(url)
        elif url.scheme() == OUTBOX_SCHEME and url.path().strip("/").isdigit():
            self.outbox_link.emit(url.host(), int(url.path().strip("/")))
        elif url.scheme() == DO_SCHEME and url.path().strip("/").isdigit():
            record_id = int(url.path().strip("/"))
            record = self.current_record()
            if url.host() == LOG_VERB and record is not None and record.id == record_id:
                self.log_requested.emit()
            else:
                self.do_link(url.host(), record_id)

    def do_link(self, verb: str, record_id: int) -> None:
        """A pane link that acts on the shown record (``agencydesk-do://VERB/ID``)."""

    def log_link(self, record: Record) -> str:
        """The pane's "Log activity…" link, or greyed with why (``activity_link.py``)."""
        return log_activity_link(record, DO_SCHEME)

    @functools.cached_property
    def link_actions(self) -> LinkActions:
        actions = LinkActions(self.reader, self.writer, self)
        actions.done.connect(self.message)
        actions.done.connect(lambda _said: self.refresh())
        return actions

    def reveal(self, record_id: int) -> None:
        """Select ``record_id`` in the table (however far down) and show it; ``revealed`` says
        whether it was found. The tab's filters stay when the record is in its list; otherwise
        they are cleared."""
        self.ensure_loaded()
        self._locate(record_id, self.model.query, retried=False)

    def _locate(self, record_id: int, query: ListQuery, *, retried: bool) -> None:
        kind, size = self.kind, self.model.PAGE_SIZE

        def read(reads: Any) -> tuple[Located | None, list[ListItem]]:
            found = reads.locate(kind, query, record_id)
            if found is None or found.row is None:
                return found, []
            return found, reads.page(kind, query, found.row // size * size, size)

        self.reader.request(
            (id(self), "reveal"),
            read,
            lambda answer: self._located(record_id, query, retried, *answer),
        )

    def _located(
        self,
        record_id: int,
        query: ListQuery,
        retried: bool,
        found: Located | None,
        page: list[ListItem],
    ) -> None:
        if found is None:
            self.revealed.emit(record_id, False)
            return
        if found.row is None and not retried:
            # Not in the filtered list: list everything (in the same order) and find it there.
            self.clear_filters()
            self.apply_filters()
            self._locate(record_id, self.model.query, retried=True)
            return
        if found.row is not None and query == self.model.query:
            self.model.adopt_page(query, found.row, page)
            if not self._shows(found.row, record_id) and not retried:
                self.apply_filters()  # the book changed since the rows were read (a sync, a save)
                self._locate(record_id, self.model.query, retried=True)
                return
        if found.row is not None and self._shows(found.row, record_id):
            self.select_row(found.row)
            # A jump far down the list (quick find, a link): fit the columns to the rows now
            # on screen, as on the first ones, so a long name there is not cut.
            self._refit()
        else:
            self.view.clearSelection()
            self.show_detail(ListItem(found.record))
        self.view.setFocus()
        self.revealed.emit(record_id, True)

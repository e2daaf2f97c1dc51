"""Right-click (or the Menu key, or Shift+F10) on a row or a column header, as in any desktop app.

The row menu holds the window's own actions (Open, Edit…, Log activity…, Complete / reopen,
Delete…), so each is enabled, disabled and explained (its tooltip: the vendor's reason) exactly as
in the menu bar and its shortcut, plus Copy email / Copy phone and Export selected rows…. The
header menu shows or hides columns (never the last one shown) and fits them to their content.

``LOG_ACTIVITY`` is the hook for the activity-logging action: when the window has an action of
that name (Edit > Log activity…, issue 12), it is in every row menu.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMenu

from agencydesk.domain import Customer, Lead, Record, RecordKind, Thread
from agencydesk.domain.validation import format_phone
from agencydesk.ui.tabs.base import BaseTab

if TYPE_CHECKING:
    from agencydesk.ui.main_window import MainWindow

LOG_ACTIVITY = "log_activity"  # the window action a row menu offers when it exists
# The window's actions a row menu offers, in this order; those this build lacks are left out
# (Log activity…, Reply and Mark unread come with activity logging).
ROW_ACTIONS = ("open", "edit", LOG_ACTIVITY, "reply", "mark_unread", "complete")
# Actions of one tab's records only: elsewhere they are left out of the menu, not greyed.
ONLY_ON = {
    "reply": {RecordKind.THREAD},
    "mark_unread": {RecordKind.THREAD},
    "complete": {RecordKind.TASK},
    LOG_ACTIVITY: {RecordKind.LEAD, RecordKind.CUSTOMER, RecordKind.POLICY, RecordKind.THREAD},
}


def email_of(record: Record | None) -> str:
    if isinstance(record, Lead | Customer):
        return record.email
    if isinstance(record, Thread) and "@" in record.counterpart:
        return record.counterpart
    return ""


def phone_of(record: Record | None) -> str:
    if isinstance(record, Lead | Customer):
        return format_phone(record.phone) if record.phone else ""
    if isinstance(record, Thread) and record.counterpart and "@" not in record.counterpart:
        return format_phone(record.counterpart)
    return ""


class TabMenus:
    """The context menus of one tab; ``row_menu``/``header_menu`` build them (tests read them)."""

    def __init__(self, window: MainWindow, tab: BaseTab) -> None:
        self.window = window
        self.tab = tab
        self.menu: QMenu | None = None  # the menu open now
        view, header = tab.view, tab.view.horizontalHeader()
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._row_requested)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_requested)
        # Shift+F10 opens the row menu from the keyboard (the Menu key does by itself).
        keyboard = QAction("Row menu", view)
        keyboard.setShortcut(QKeySequence("Shift+F10"))
        keyboard.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        keyboard.triggered.connect(
            lambda _checked=False: self._row_requested(self._current_point())
        )
        view.addAction(keyboard)

    def _current_point(self) -> QPoint:
        view = self.tab.view
        rect = view.visualRect(view.currentIndex())
        return rect.center() if rect.isValid() else QPoint(8, 8)

    # --- rows ----------------------------------------------------------------------------------
    def _row_requested(self, point: QPoint) -> None:
        view = self.tab.view
        index = view.indexAt(point)
        if index.isValid() and not view.selectionModel().isRowSelected(index.row()):
            self.tab.select_row(index.row())  # right-click selects the row under the pointer
        menu = self.row_menu()
        menu.popup(view.viewport().mapToGlobal(point))

    def row_menu(self) -> QMenu:
        window, tab = self.window, self.tab
        window._update_actions()  # the selected record's actions as they are now
        menu = self._new_menu("row_menu")
        for name in ROW_ACTIONS:
            action = window.actions_by_name.get(name)
            if action is None or tab.kind not in ONLY_ON.get(name, {tab.kind}):
                continue
            menu.addAction(action)
        menu.addSeparator()
        record = tab.current_record()
        email, phone = email_of(record), phone_of(record)
        self._copy(menu, "Copy e&mail", email, "No email on this record")
        self._copy(menu, "Copy &phone", phone, "No phone number on this record")
        menu.addSeparator()
        count = len(tab.selected_ids())
        export = menu.addAction(
            f"E&xport the {count:,} selected row{'s' if count != 1 else ''}…"
            if count
            else "E&xport selected rows…"
        )
        export.setObjectName("export_selected")
        export.setEnabled(bool(count))
        export.setToolTip("" if count else "Select rows first")
        export.triggered.connect(lambda _checked=False: self.export_selected())
        menu.addSeparator()
        menu.addAction(window.actions_by_name["delete"])
        return menu

    def _copy(self, menu: QMenu, text: str, value: str, why_not: str) -> None:
        action = menu.addAction(f"{text}   {value}" if value else text)
        action.setObjectName(text.replace("&", "").lower().replace(" ", "_"))
        action.setEnabled(bool(value))
        action.setToolTip("" if value else why_not)
        action.triggered.connect(lambda _checked=False: self._to_clipboard(value))

    def _to_clipboard(self, value: str) -> None:
        QGuiApplication.clipboard().setText(value)
        self.window.show_message(f"Copied {value}")

    def export_selected(self) -> None:
        dialog = self.window.export_csv()
        if dialog is not None and dialog.selection.isEnabled():
            dialog.selection.setChecked(True)  # the rows the menu was opened on

    # --- header --------------------------------------------------------------------------------
    def _header_requested(self, point: QPoint) -> None:
        header = self.tab.view.horizontalHeader()
        self.header_menu().popup(header.mapToGlobal(point))

    def header_menu(self) -> QMenu:
        header = self.tab.view.horizontalHeader()
        menu = self._new_menu("header_menu")
        shown = [n for n in range(header.count()) if not header.isSectionHidden(n)]
        fit = menu.addAction("&Fit columns to their content")
        fit.setObjectName("fit_columns")
        fit.triggered.connect(lambda _checked=False: self.fit_to_content())
        menu.addSeparator()
        columns = menu.addMenu("&Columns shown")
        columns.setObjectName("columns_shown")
        columns.setToolTipsVisible(True)
        for visual in range(header.count()):
            number = header.logicalIndex(visual)
            column = self.tab.model.columns[number]
            action = columns.addAction(column.title)
            action.setCheckable(True)
            action.setChecked(number in shown)
            if shown == [number]:
                action.setEnabled(False)
                action.setToolTip("The last column shown stays")
            elif number in self.tab.tucked:
                action.setToolTip("Tucked away to fit the window's width; tick to show it anyway")
            action.toggled.connect(lambda on, n=number: self.show_column(n, on))
        return menu

    def show_column(self, number: int, shown: bool) -> None:
        self.tab.show_column(number, shown)

    def fit_to_content(self) -> None:
        """Every shown column as wide as what it shows (the header and the visible rows)."""
        view = self.tab.view
        header = view.horizontalHeader()
        for number in range(header.count()):
            if not header.isSectionHidden(number):
                wanted = max(view.sizeHintForColumn(number), header.sectionSizeHint(number))
                header.resizeSection(number, wanted)

    def _new_menu(self, name: str) -> QMenu:
        if self.menu is not None:
            self.menu.deleteLater()
        menu = self.menu = QMenu(self.tab)
        menu.setObjectName(name)
        menu.setToolTipsVisible(True)  # a disabled action's tooltip is the reason
        return menu


def install_context_menus(window: MainWindow) -> dict[BaseTab, TabMenus]:
    return {tab: TabMenus(window, tab) for tab in window.tabs_list}

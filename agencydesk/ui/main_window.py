"""The main window: five tabs, menus with every action, status bar, and hooks for other features
(``menu(name)``, ``add_status_widget``, ``refresh``)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from agencydesk import APP_NAME, __version__
from agencydesk.domain import RecordKind
from agencydesk.services.book_reads import BookReads
from agencydesk.services.record_edits import RecordEditor
from agencydesk.services.record_writes import RecordWrites
from agencydesk.store.pending_book import PendingBook, resolved
from agencydesk.store.queries import SearchHit
from agencydesk.ui import window_state
from agencydesk.ui.activity_actions import ActivityActions
from agencydesk.ui.csv import open_export_dialog, open_import_dialog
from agencydesk.ui.pickers import CommandPalette, QuickFind
from agencydesk.ui.possible_matches import PossibleMatchesDialog
from agencydesk.ui.reader import BookReader
from agencydesk.ui.refusals import REFUSAL, RefusedShortcuts, set_refusal
from agencydesk.ui.shortcuts_dialog import ShortcutsDialog
from agencydesk.ui.tabs import TAB_CLASSES, BaseTab, TasksTab
from agencydesk.ui.tabs.context_menus import install_context_menus
from agencydesk.ui.tabs.record_actions import open_record
from agencydesk.ui.window_actions import MENUS, install_actions
from agencydesk.ui.writer import BookWriter

if TYPE_CHECKING:  # the CSV dialogs and services load when first opened (start-up)
    from agencydesk.store.book import Book
    from agencydesk.ui.csv.export_dialog import ExportDialog
    from agencydesk.ui.csv.import_state import AccountSender

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    closed = Signal()  # after the window saved its state and closed (the app then ends)

    def __init__(
        self,
        book: Book | PendingBook,
        settings: QSettings,
        editor: RecordEditor | None = None,
        *,
        reads: BookReads | None = None,
        writes: RecordWrites | None = None,
        open_about: Callable[[QWidget], object] | None = None,
    ) -> None:
        """``book`` goes to the CSV dialogs (they run their own background jobs); every other
        read goes through ``reads`` on the window's one reader, every write (save, delete, mark
        done, resolve, link) through ``writes`` on its one writer, both off the GUI thread.
        ``editor``: for ``writes`` when it is not given (default: local records only).
        ``open_about``: the About dialog (the chrome's, listing versions and licences)."""
        super().__init__()
        self.setObjectName("main_window")
        self.setWindowTitle(APP_NAME)
        self._book = book  # pending while the window starts: the first rows need no store
        self.reader = BookReader(reads or BookReads(book), self)  # every read the window makes
        self.settings = settings
        writes = writes or RecordWrites(book, editor or RecordEditor(book))
        self.writer = BookWriter(writes, self)  # every write the window makes
        self.writer.unhandled.connect(self.show_message)
        self.editor = writes.editor  # what the user may do with a record (no writing here)
        self._open_about = open_about
        # The sync, once installed (ui.sync.wiring): an import into a vendor account sends now.
        self.account_sender: AccountSender | None = None
        self._menus: dict[str, QMenu] = {}
        for name in MENUS:
            self.menu(name)
        user = str(settings.value(window_state.USER_NAME, "") or "")
        self.tabs_list: list[BaseTab] = [cls(self.reader, self.writer, user) for cls in TAB_CLASSES]
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.tabs.setDocumentMode(True)
        for tab in self.tabs_list:
            self.tabs.addTab(tab, tab.title)
            tab.status_changed.connect(self._tab_status)
            tab.message.connect(self.show_message)
            tab.record_link_clicked.connect(self.follow_link)
            tab.current_changed.connect(self._update_actions)
            tab.filtered.connect(self._update_actions)
            tab.revealed.connect(self._revealed)
        self.setCentralWidget(self.tabs)
        self.count_label = QLabel()
        self.count_label.setObjectName("count_label")
        self.statusBar().addPermanentWidget(self.count_label)

        self.actions_by_name: dict[str, QAction] = install_actions(self)
        # Log activity (Ctrl+L), reply, read marks: self.action("log_activity") for menus
        self.activity_actions = ActivityActions(self)
        self.context_menus = install_context_menus(self)  # rows and headers, per tab
        self.refused_keys = RefusedShortcuts(self, self.activity_actions.refusable)
        self.refused_keys.refused.connect(self.show_message)
        for tab in self.tabs_list:
            tab.view.installEventFilter(self.refused_keys)
        for menu in self._menus.values():
            menu.setToolTipsVisible(True)
        self._quick_find: QuickFind | None = None
        self._palette: CommandPalette | None = None
        self._matches: PossibleMatchesDialog | None = None

        self._default_size()
        window_state.restore_window(settings, self, self.tabs)
        self.tabs.currentChanged.connect(self._tab_changed)
        self._tab_changed(self.tabs.currentIndex())

    def _default_size(self) -> None:
        """1280x800 (the layout is designed to fit it), or less on a smaller screen."""
        screen = self.screen().availableGeometry()
        self.resize(min(1280, screen.width()), min(800, screen.height()))

    # --- hooks for other features ----------------------------------------------------------------
    def menu(self, name: str) -> QMenu:
        """The menu called ``name`` (File, Edit, View, Go, Sync, Help), created on first use."""
        if name not in self._menus:
            self._menus[name] = self.menuBar().addMenu(f"&{name}")
            self._menus[name].setObjectName(f"menu_{name.lower()}")
        return self._menus[name]

    def add_status_widget(self, widget: QWidget) -> None:
        """Put ``widget`` (a sync status, say) in the status bar, left of the row count."""
        self.statusBar().insertPermanentWidget(0, widget)

    @Slot()
    def refresh(self) -> None:
        """Re-read every tab from the book (sync calls this after storing pages)."""
        for tab in self.tabs_list:
            tab.refresh()
        self.current_tab().ensure_loaded()
        self._tab_status(self.current_tab().status_text())

    def action(self, name: str) -> QAction:
        return self.actions_by_name[name]

    def all_actions(self) -> list[QAction]:
        """Every action in the menus, including those other features added (for the palette)."""
        found: list[QAction] = []
        for menu in self._menus.values():
            found.extend(a for a in menu.actions() if not a.isSeparator() and a.menu() is None)
        return found

    # --- tabs ------------------------------------------------------------------------------------
    @property
    def book(self) -> Book:
        """The cache (for the CSV dialogs, which run their own jobs): opened by now, unless a
        dialog is opened in the instant after the window appears (it then waits for it)."""
        return resolved(self._book)

    def current_tab(self) -> BaseTab:
        return self.tabs_list[max(0, self.tabs.currentIndex())]

    def tab_for(self, kind: RecordKind) -> BaseTab:
        return next(tab for tab in self.tabs_list if tab.kind == kind)

    def _tab_changed(self, number: int) -> None:
        tab = self.tabs_list[max(0, number)]
        tab.ensure_loaded()
        # Set here, not through _tab_status: called by the tab widget's signal, sender() is the
        # tab widget and the count of the previous tab would stay. A tab still reading its first
        # rows shows no count until they are in (its status_changed then says it).
        first_read = tab.model.loading and not tab.model.rowCount()
        self.count_label.setText("" if first_read else tab.status_text())
        self._update_actions()

    def _tab_status(self, text: str) -> None:
        if self.sender() in (None, self.current_tab()):
            self.count_label.setText(text)

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 6000)

    def _update_actions(self) -> None:
        tab = self.current_tab()
        record = tab.current_record()
        reason = "Select a row first" if record is None else self.editor.why_not_editable(record)
        why_not_delete = reason if record is None else self.editor.why_not_deletable(record)
        item = tab.current_item()
        # A person held by several systems: the row's own may not take edits while another
        # does (Edit then opens that one; record_actions.edit_current).
        why_not_edit = "" if item is not None and " · " in item.held_in else reason
        for name, why in (("edit", why_not_edit), ("delete", why_not_delete)):
            set_refusal(self.actions_by_name[name], why)
        self.actions_by_name["open"].setEnabled(record is not None)
        if not isinstance(tab, TasksTab):
            why_not_complete = "Only on the Tasks tab"
        else:
            why_not_complete = reason if record is None else self.editor.why_not_completable(record)
        set_refusal(self.actions_by_name["complete"], why_not_complete)
        if record is None or not isinstance(tab, TasksTab):
            # Nothing to refuse: Space or Ctrl+Enter there is no request to explain.
            self.actions_by_name["complete"].setProperty(REFUSAL, "")
        if record is None:
            for name in ("edit", "delete"):
                self.actions_by_name[name].setProperty(REFUSAL, "")

    # --- actions ---------------------------------------------------------------------------------
    def new_record(self) -> None:
        if self.current_tab().kind is RecordKind.THREAD:
            self.activity_actions.new_conversation()  # never an empty thread: its first message
            return
        self.current_tab().new_record()

    def open_record(self) -> None:
        self.current_tab().open_current()

    def edit_record(self) -> None:
        self.current_tab().edit_current()

    def delete_record(self) -> None:
        self.current_tab().delete_current()

    def toggle_task(self) -> None:
        tab = self.current_tab()
        if isinstance(tab, TasksTab):
            tab.toggle_current()

    def focus_filter(self) -> None:
        edit = self.current_tab().filter_edit
        edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        edit.selectAll()

    def quick_find(self) -> QuickFind:
        if self._quick_find is None:
            self._quick_find = QuickFind(self.reader, self)
            self._quick_find.chosen.connect(self.open_hit)
        self._quick_find.popup()
        return self._quick_find

    def command_palette(self) -> CommandPalette:
        # Built fresh each time so actions other features added since are listed too.
        if self._palette is not None:
            self._palette.deleteLater()
        self._palette = CommandPalette(self.all_actions(), self)
        self._palette.popup()
        return self._palette

    def possible_matches(self) -> PossibleMatchesDialog:
        """The pairs that may be the same person, to link or keep apart (one dialog, raised
        again when already open)."""
        if self._matches is None:
            dialog = PossibleMatchesDialog(self.reader, self.writer, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.decided.connect(self._link_decided)
            dialog.open_record.connect(self.jump_to)
            dialog.finished.connect(lambda _code: setattr(self, "_matches", None))
            self._matches = dialog
        self._matches.show()
        self._matches.raise_()
        self._matches.activateWindow()
        return self._matches

    def _link_decided(self, text: str) -> None:
        self.show_message(text)
        for tab in self.tabs_list:  # rows came together or apart
            if tab.kind in (RecordKind.LEAD, RecordKind.CUSTOMER):
                tab.refresh()

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(list(self._menus.values()), self)
        dialog.open()
        return dialog

    def show_about(self) -> None:
        if self._open_about is not None:
            self._open_about(self)
            return
        box = QMessageBox(
            QMessageBox.Icon.Information,
            f"About {APP_NAME}",
            f"{APP_NAME} {__version__}\n\nYour agency's whole book in one window, "
            "with an offline cache.",
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def ask_user_name(self) -> None:
        name, ok = QInputDialog.getText(
            self, "My name", "Your name as tasks are assigned to it:", text=self.user_name()
        )
        if ok:
            self.set_user_name(name.strip())

    def user_name(self) -> str:
        return str(self.settings.value(window_state.USER_NAME, "") or "")

    def set_user_name(self, name: str) -> None:
        self.settings.setValue(window_state.USER_NAME, name)
        for tab in self.tabs_list:
            tab.user_name = name
            if isinstance(tab, TasksTab):
                tab.set_user_name(name)

    def import_csv(self) -> None:
        open_import_dialog(
            self, self.book, self.current_tab().kind, self.refresh, self.account_sender
        )

    def export_csv(self) -> ExportDialog:
        tab = self.current_tab()
        header = tab.view.horizontalHeader()
        # The columns the user shows, in their order: those tucked away only for want of
        # room at this window's width count as shown (an email, Held in are exported).
        visible = [
            tab.model.columns[logical].title
            for logical in map(header.logicalIndex, range(header.count()))
            if not header.isSectionHidden(logical) or logical in tab.tucked
        ]
        return open_export_dialog(
            self,
            self.book,
            tab.kind,
            tab.model.query,
            tab.selected_ids(),
            visible,
            tab.model.rowCount(),
        )

    # --- jumping to a record ----------------------------------------------------------------------
    def open_hit(self, hit: SearchHit) -> None:
        self.jump_to(hit.kind, hit.id)

    def follow_link(self, kind: RecordKind, record_id: int) -> None:
        """A link in a detail pane: a policy opens in its own window (that policy, not the
        Policies list); a person, thread or task is shown in its tab."""
        if kind is RecordKind.POLICY:
            open_record(self.tab_for(kind), record_id)
        else:
            self.jump_to(kind, record_id)

    def jump_to(self, kind: RecordKind, record_id: int) -> None:
        """Show a record in its tab, selected (a message shows its thread, a note its parent)."""
        if kind in (RecordKind.MESSAGE, RecordKind.NOTE):
            self.reader.request(
                (id(self), "owner"),
                lambda reads: reads.owner_of(kind, record_id),
                lambda owner: self._jump_to_owner(kind, owner),
            )
            return
        tab = self.tab_for(kind)
        self.tabs.setCurrentWidget(tab)
        tab.reveal(record_id)

    def _jump_to_owner(self, kind: RecordKind, owner: tuple[RecordKind, int] | None) -> None:
        if owner is None:
            self.show_message(f"That {kind.value} is no longer in the cache")
        else:
            self.jump_to(*owner)

    def _revealed(self, _record_id: int, found: bool) -> None:
        tab = self.sender()
        if not found and isinstance(tab, BaseTab):
            self.show_message(f"That {tab.kind.value} is no longer in the cache")

    # --- closing ---------------------------------------------------------------------------------
    def save_state(self) -> None:
        window_state.save_window(self.settings, self, self.tabs)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        self.reader.close()
        self.writer.close()  # the writes asked for land before the book is closed
        super().closeEvent(event)
        self.closed.emit()

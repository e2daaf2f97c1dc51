"""Every action of the main window, in its menu, with its shortcut (standard keys where Qt has
one). Row actions (open, edit, delete, complete) are bound to the tables only, so Enter, Delete or
Space typed into a filter box still edit the text."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from agencydesk.ui.chrome.icons import tab_icon
from agencydesk.ui.pickers import PALETTE_WORDS

if TYPE_CHECKING:
    from agencydesk.ui.main_window import MainWindow

Keys = list[QKeySequence | QKeySequence.StandardKey | str]
StdKey = QKeySequence.StandardKey
MENUS = ("File", "Edit", "View", "Go", "Sync", "Help")


def _keys(keys: Keys) -> list[QKeySequence]:
    sequences: list[QKeySequence] = []
    for key in keys:
        if isinstance(key, QKeySequence.StandardKey):
            sequences.extend(QKeySequence.keyBindings(key))
        else:
            sequences.append(QKeySequence(key))
    unique: list[QKeySequence] = []
    for sequence in sequences:
        if sequence not in unique:
            unique.append(sequence)
    return unique


def install_actions(window: MainWindow) -> dict[str, QAction]:
    actions: dict[str, QAction] = {}

    def add(
        name: str,
        menu: str,
        text: str,
        slot: Callable[[], object],
        keys: Keys = (),  # type: ignore[assignment]
        row_action: bool = False,
    ) -> QAction:
        action = QAction(text, window)
        action.setObjectName(f"action_{name}")
        action.setShortcuts(_keys(list(keys)))
        action.triggered.connect(lambda _checked=False: slot())
        if row_action:
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            for tab in window.tabs_list:
                tab.view.addAction(action)
        window.menu(menu).addAction(action)
        actions[name] = action
        return action

    add("new", "File", "&New record…", window.new_record, [StdKey.New])
    window.menu("File").addSeparator()
    add("import", "File", "&Import…", window.import_csv, ["Ctrl+I"])
    add("export", "File", "&Export…", window.export_csv, ["Ctrl+E"])
    window.menu("File").addSeparator()
    # Some platforms (and the offscreen one) bind no StandardKey.Quit: Ctrl+Q then.
    add("quit", "File", "&Quit", window.close, [StdKey.Quit, "Ctrl+Q"])

    add("open", "Edit", "&Open record", window.open_record, ["Return", "Enter"], row_action=True)
    add("edit", "Edit", "&Edit record…", window.edit_record, ["F2"], row_action=True)
    add("delete", "Edit", "&Delete record…", window.delete_record, [StdKey.Delete], row_action=True)
    done = add(
        "complete",
        "Edit",
        "Mar&k done / reopen task",  # as the task pane's link says it: "Mark done"
        window.toggle_task,
        ["Ctrl+Return", "Ctrl+Enter", "Space"],
        row_action=True,
    )
    done.setProperty(PALETTE_WORDS, "complete finish close")
    window.menu("Edit").addSeparator()
    add("my_name", "Edit", "My &name…", window.ask_user_name)

    add("filter", "View", "&Filter this tab", window.focus_filter, [StdKey.Find])
    add("quick_find", "View", "&Quick find…", window.quick_find, ["Ctrl+K"])
    add("palette", "View", "Command &palette…", window.command_palette, ["Ctrl+Shift+P"])
    add(
        "possible_matches",
        "View",
        "Possible &matches…",
        window.possible_matches,
        ["Ctrl+Shift+M"],
    )
    window.menu("View").addSeparator()
    add("refresh", "View", "&Refresh", window.refresh, [StdKey.Refresh])

    for number, tab in enumerate(window.tabs_list):
        go = add(
            f"go_{tab.kind.value}",
            "Go",
            f"&{number + 1} {tab.title}",
            partial(window.tabs.setCurrentIndex, number),
            [f"Ctrl+{number + 1}"],
        )
        go.setIcon(tab_icon(tab.kind.value))  # the Go menu shows each tab's own icon

    add(
        "shortcuts",
        "Help",
        "&Keyboard shortcuts",
        window.show_shortcuts,
        [StdKey.HelpContents, "?"],
    )
    add("about", "Help", "&About AgencyDesk", window.show_about)
    return actions

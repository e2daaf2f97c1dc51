"""Window geometry, the last tab, and each tab's column order/widths and splitter, per profile.

Kept in the profile's settings.ini (QSettings, INI format): never in the user's global settings,
so two profiles never share a layout. The file is made owner-only like everything in a profile.
"""

from __future__ import annotations

import os
from contextlib import suppress

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter, QTableView, QTabWidget

from agencydesk.ui.tabs.base import BaseTab

GEOMETRY = "window/geometry"
WINDOW_STATE = "window/state"
LAST_TAB = "window/tab"
USER_NAME = "user/name"


def _bytes(settings: QSettings, key: str) -> QByteArray | None:
    value = settings.value(key)
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def save_window(settings: QSettings, window: QMainWindow, tabs: QTabWidget) -> None:
    settings.setValue(GEOMETRY, window.saveGeometry())
    settings.setValue(WINDOW_STATE, window.saveState())
    settings.setValue(LAST_TAB, tabs.currentIndex())
    for number in range(tabs.count()):
        tab = tabs.widget(number)
        if isinstance(tab, BaseTab):
            save_tab(settings, tab)
    settings.sync()
    with suppress(OSError):
        os.chmod(settings.fileName(), 0o600)


def restore_window(settings: QSettings, window: QMainWindow, tabs: QTabWidget) -> bool:
    """Restore what was saved; False when this profile has no saved layout yet."""
    for number in range(tabs.count()):
        tab = tabs.widget(number)
        if isinstance(tab, BaseTab):
            restore_tab(settings, tab)
    tab_number = settings.value(LAST_TAB)
    with suppress(TypeError, ValueError):
        if tab_number is not None and 0 <= int(str(tab_number)) < tabs.count():
            tabs.setCurrentIndex(int(str(tab_number)))
    geometry = _bytes(settings, GEOMETRY)
    if geometry is None:
        return False
    window.restoreGeometry(geometry)
    state = _bytes(settings, WINDOW_STATE)
    if state is not None:
        window.restoreState(state)
    return True


def _columns_signature(tab: BaseTab) -> str:
    return "|".join(column.title for column in tab.model.columns)


def save_tab(settings: QSettings, tab: BaseTab) -> None:
    prefix = f"tabs/{tab.kind.value}"
    settings.setValue(f"{prefix}/header", tab.header_state())
    settings.setValue(f"{prefix}/columns", _columns_signature(tab))
    settings.setValue(f"{prefix}/splitter", _splitter(tab).saveState())
    settings.setValue(f"{prefix}/user_sized", tab.user_sized)
    # Columns the user ticked back into view: without this the next start's fit tucks them
    # away again (the header's state says only "shown", as it does for every column).
    settings.setValue(f"{prefix}/shown_by_user", _titles(tab, tab.pinned))
    # And those the fit tucked away (saved shown in the header): tucked again at start, so a
    # tab whose widths the user set (no fit runs) opens as it was left.
    settings.setValue(f"{prefix}/tucked", _titles(tab, tab.tucked))


def restore_tab(settings: QSettings, tab: BaseTab) -> None:
    prefix = f"tabs/{tab.kind.value}"
    header = _bytes(settings, f"{prefix}/header")
    # A layout saved for other columns (an older version of the tab) would put widths and
    # order on the wrong columns: it is dropped instead.
    same_columns = settings.value(f"{prefix}/columns") == _columns_signature(tab)
    if header is not None and same_columns:
        tab.header_restored = _view(tab).horizontalHeader().restoreState(header)
        # Widths the user dragged stay; widths fitted to the window are fitted again.
        sized = settings.value(f"{prefix}/user_sized", False)
        tab.user_sized = tab.header_restored and str(sized).lower() in ("true", "1")
        if tab.header_restored:
            columns = _view(tab).horizontalHeader()
            shown = {n for n in range(columns.count()) if not columns.isSectionHidden(n)}
            tab.pinned = _numbers(tab, settings.value(f"{prefix}/shown_by_user")) & shown
            tab.tucked = _numbers(tab, settings.value(f"{prefix}/tucked")) & shown - tab.pinned
            for number in tab.tucked:  # the fit measures them again at the window's width
                columns.setSectionHidden(number, True)
    splitter = _bytes(settings, f"{prefix}/splitter")
    if splitter is not None:
        _splitter(tab).restoreState(splitter)


def _titles(tab: BaseTab, numbers: set[int]) -> str:
    return "|".join(sorted(tab.model.columns[n].title for n in numbers))


def _numbers(tab: BaseTab, saved: object) -> set[int]:
    titles = set(str(saved or "").split("|"))
    return {n for n, column in enumerate(tab.model.columns) if column.title in titles}


def _view(tab: BaseTab) -> QTableView:
    return tab.view


def _splitter(tab: BaseTab) -> QSplitter:
    return tab.splitter

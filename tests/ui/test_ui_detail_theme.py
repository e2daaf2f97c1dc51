"""The detail pane reads well in both themes: its colours come from the application palette,
and a pane already showing a record is recoloured when the theme changes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QTextBrowser
from pytestqt.qtbot import QtBot

from agencydesk.domain import RecordKind
from agencydesk.ui import detail_html as h
from agencydesk.ui import theme as light_look
from agencydesk.ui.chrome.preferences import Theme
from agencydesk.ui.chrome.theme import apply_theme, dark_palette

LIGHT_LINK = light_look.ACCENT  # #1f5fbf, the light look's link colour
DARK_LINK = dark_palette().color(QPalette.ColorRole.Link).name()  # #8ab4f8


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    """The application in the light look, put back to it whatever theme a test leaves."""
    assert isinstance(qapp, QApplication)
    apply_theme(qapp, Theme.LIGHT, light_look.apply_theme)
    yield qapp
    apply_theme(qapp, Theme.LIGHT, light_look.apply_theme)


def dark(app: QApplication) -> None:
    """Dark, the way Edit > Settings… applies it (chrome.theme with the main window's look)."""
    assert apply_theme(app, Theme.DARK, light_look.apply_theme)


def link_colours(browser: QTextBrowser) -> set[str]:
    """The colours the shown document draws its links in."""
    found: set[str] = set()
    block = browser.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if fragment.charFormat().isAnchor():
                found.add(fragment.charFormat().foreground().color().name())
            fragments += 1
        block = block.next()
    return found


def test_dark_theme_html_uses_the_palette_link_colour(app: QApplication) -> None:
    dark(app)
    html = h.heading("Ann Lee", "Customer")
    assert DARK_LINK in html
    assert LIGHT_LINK not in html
    muted = QColor(h.DetailColours.of(app.palette()).muted)
    assert muted.lightness() > 128  # labels are light grey on the dark background


def test_light_theme_html_keeps_the_light_colours(app: QApplication) -> None:
    html = h.heading("Ann Lee", "Customer")
    assert LIGHT_LINK in html
    assert DARK_LINK not in html
    colours = h.DetailColours.of(app.palette())
    assert QColor(colours.muted).lightness() < 128  # dark grey labels on white
    assert QColor(colours.outgoing).lightness() > 200  # message backgrounds stay pale


def test_a_shown_pane_is_recoloured_when_the_theme_changes(app: QApplication, qtbot: QtBot) -> None:
    browser = QTextBrowser()
    qtbot.addWidget(browser)
    h.follow_palette(browser)
    html = h.heading("Ann Lee", "Customer") + h.section(
        "Policies", [h.link(RecordKind.POLICY, 3, "HO-1") + " · active"]
    )
    browser.setHtml(html)
    text = browser.toPlainText()
    assert link_colours(browser) == {LIGHT_LINK}
    dark(app)
    assert link_colours(browser) == {DARK_LINK}
    assert browser.toPlainText() == text  # same record, only the colours changed
    apply_theme(app, Theme.LIGHT, light_look.apply_theme)
    assert link_colours(browser) == {LIGHT_LINK}


def test_a_customer_pane_built_in_dark_has_light_links(
    app: QApplication,
    window,  # type: ignore[no-untyped-def]
    qtbot: QtBot,
) -> None:
    tab = window.tab_for(RecordKind.CUSTOMER)
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0 and tab.model.item_at(0) is not None)
    dark(app)
    tab.show_detail(tab.model.item_at(0))  # what selecting a customer does
    qtbot.waitUntil(lambda: not window.reader.busy)
    assert link_colours(tab.detail) == {DARK_LINK}

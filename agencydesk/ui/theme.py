"""The look: Fusion with a light, quiet palette and a modest stylesheet (dense but readable)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

ACCENT = "#1f5fbf"

STYLESHEET = f"""
QMainWindow, QDialog {{ background: #f6f7f9; }}
QTabWidget::pane {{ border: 0; border-top: 1px solid #d9dde3; background: #f6f7f9; }}
QTabBar::tab {{ padding: 6px 16px; margin-right: 2px; border: 0; color: #4a5563;
               background: transparent; }}
QTabBar::tab:selected {{ color: #111; border-bottom: 2px solid {ACCENT}; font-weight: 600; }}
QTabBar::tab:hover:!selected {{ color: #111; }}
QTableView, QListWidget, QTextBrowser, QPlainTextEdit {{
    background: white; border: 1px solid #d9dde3; border-radius: 4px;
    selection-background-color: #d6e4fa; selection-color: #111; }}
QTableView {{ alternate-background-color: #f7f9fc; gridline-color: #eef0f3; }}
QTableView::item {{ padding: 0 6px; }}
QHeaderView::section {{ background: #eef1f5; color: #3b4a5e; padding: 4px 6px; border: 0;
    border-right: 1px solid #dde1e7; border-bottom: 1px solid #d2d7de; font-weight: 600; }}
QLineEdit, QComboBox {{ padding: 3px 6px; border: 1px solid #c9ced6; border-radius: 4px;
                        background: white; min-height: 18px; }}
QLineEdit:focus, QComboBox:focus, QPlainTextEdit:focus {{ border: 1px solid {ACCENT}; }}
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"] {{ border: 1px solid #c62828;
                                                             background: #fff6f6; }}
QLabel[role="field-error"] {{ color: #c62828; font-size: 8.5pt; }}
QLabel[role="side-heading"] {{ color: #3b4a5e; font-weight: 600; padding: 2px 2px; }}
QLabel[role="hint"] {{ color: #66707d; }}
QPushButton {{ padding: 4px 12px; border: 1px solid #c9ced6; border-radius: 4px;
               background: white; }}
QPushButton:hover {{ border-color: {ACCENT}; }}
QPushButton:checked {{ background: #d6e4fa; border-color: {ACCENT}; }}
QPushButton:disabled {{ color: #9aa3ad; }}
QStatusBar {{ background: #eef1f5; border-top: 1px solid #d9dde3; color: #3b4a5e; }}
QSplitter::handle {{ background: transparent; width: 6px; }}
QListWidget#picker_list::item {{ padding: 4px 6px; }}
QTreeWidget#counts {{ background: white; border: 1px solid #d9dde3; border-radius: 4px; }}
QTreeWidget#counts::item {{ padding: 3px 2px; }}
"""


def apply_theme(app: QApplication) -> None:
    """The light look. Run at start and again by the theme switch (chrome/theme.py), so it sets
    the application's style only the first time: see ``use_fusion``."""
    use_fusion(app)
    palette = app.style().standardPalette()
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#d6e4fa"))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#111111"))
    palette.setColor(QPalette.ColorRole.Link, QColor(ACCENT))
    app.setPalette(palette)
    font = QFont(app.font())
    if font.pointSizeF() > 0:
        font.setPointSizeF(max(9.0, min(font.pointSizeF(), 10.0)))
    app.setFont(font)
    app.setStyleSheet(STYLESHEET)


def use_fusion(app: QApplication) -> None:
    """Fusion as the application's style, set once, before our stylesheet is (Fusion is then
    under it for good).

    Never replace the style of a running app: ``setStyle`` deletes the old QStyle object, but a
    QWizard hands the style it has to its pages and buttons (``QWidget::setStyle`` on every
    StyleChange, which every stylesheet change sends), and those keep pointing at the deleted
    one. The next ``setStyleSheet`` repolished them and crashed (SIGSEGV in libQt6Widgets): Edit >
    Settings > Dark, applied a second time (preview, then OK), after the CSV import wizard had
    been open once. tests/ui/test_ui_theme_after_import.py replays it.
    """
    if not app.styleSheet() and app.style().name().lower() != "fusion":
        app.setStyle("Fusion")

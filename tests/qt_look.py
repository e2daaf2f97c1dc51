"""Putting the application's look back after a test changed it."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from agencydesk.ui.theme import apply_theme


def restore_light_look(app: QApplication) -> None:
    """The light look the window always has, never an empty stylesheet.

    Clearing the application's stylesheet replaces its style (Qt deletes the style-sheet
    style), which is what ui/theme.use_fusion never does, because widgets can keep pointing at
    the deleted style. A CI worker crashed with SIGSEGV in ``apply_theme``, at the next
    ``setStyleSheet``, after tests that cleared it. The product never clears the stylesheet,
    so the tests don't either.
    """
    apply_theme(app)

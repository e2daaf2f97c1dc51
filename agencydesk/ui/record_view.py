"""Enter on a row: the record's full detail in its own window, with Edit when allowed."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from agencydesk.domain import RecordKind
from agencydesk.ui.detail_html import LINK_SCHEME, follow_palette


class RecordViewDialog(QDialog):
    edit_requested = Signal()
    link_clicked = Signal(object, int)  # (RecordKind, id)

    def __init__(self, title: str, html: str, can_edit: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("RecordViewDialog")
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(620, 640)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setHtml(html)
        follow_palette(self.browser)  # a theme switched while it is open recolours it
        self.browser.anchorClicked.connect(self._on_link)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.edit_button = buttons.addButton("Edit…  F2", QDialogButtonBox.ButtonRole.ActionRole)
        self.edit_button.setEnabled(can_edit)
        self.edit_button.clicked.connect(self._edit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key() == Qt.Key.Key_F2 and self.edit_button.isEnabled():
            self._edit()
            return
        super().keyPressEvent(event)

    def _edit(self) -> None:
        self.accept()
        self.edit_requested.emit()

    def _on_link(self, url: QUrl) -> None:
        if url.scheme() == LINK_SCHEME and url.path().strip("/").isdigit():
            self.accept()
            self.link_clicked.emit(RecordKind(url.host()), int(url.path().strip("/")))

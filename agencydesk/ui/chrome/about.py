"""Help > About AgencyDesk: version, platform, and the licences of the bundled libraries."""

from __future__ import annotations

import platform

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agencydesk import APP_NAME, __version__
from agencydesk.ui.chrome.icons import svg_app_icon_pixmap
from agencydesk.ui.chrome.licences import Licence, bundled_licences

COLUMNS = ("Component", "Version", "Licence")


def version_summary() -> str:
    """One line for bug reports: our version and what we run on."""
    return (
        f"{APP_NAME} {__version__} · Python {platform.python_version()} · "
        f"Qt {qVersion()} · PySide6 {PySide6.__version__} · {platform.system()}"
    )


class AboutDialog(QDialog):
    def __init__(
        self, parent: QWidget | None = None, licences: list[Licence] | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(f"About {APP_NAME}")
        self.licences = bundled_licences() if licences is None else licences

        logo = QLabel()
        logo.setPixmap(svg_app_icon_pixmap(72))
        logo.setAlignment(Qt.AlignmentFlag.AlignTop)
        title = QLabel(f"<h2 style='margin:0'>{APP_NAME}</h2>")
        self.version_label = QLabel(f"Version {__version__}")
        self.version_label.setObjectName("version")
        self.version_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        details = QLabel(
            "A keyboard-driven workstation for insurance agencies.<br>"
            f"<span>{version_summary()}</span>"
        )
        details.setWordWrap(True)
        details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        heading = QVBoxLayout()
        heading.addWidget(title)
        heading.addWidget(self.version_label)
        heading.addWidget(details)
        top = QHBoxLayout()
        top.addWidget(logo)
        top.addSpacing(12)
        top.addLayout(heading, 1)

        self.table = QTableWidget(len(self.licences), len(COLUMNS))
        self.table.setObjectName("licences")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        for row, licence in enumerate(self.licences):
            for column, text in enumerate((licence.name, licence.version, licence.licence)):
                item = QTableWidgetItem(text)
                if licence.url:
                    item.setToolTip(licence.url)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addSpacing(8)
        layout.addWidget(QLabel("Bundled libraries and their licences:"))
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(620, 520)

    def licence_rows(self) -> list[tuple[str, str, str]]:
        """The table as the user sees it (tests read it)."""
        rows = []
        for row in range(self.table.rowCount()):
            name, version, licence = (self._cell(row, c) for c in range(len(COLUMNS)))
            rows.append((name, version, licence))
        return rows

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""


def open_about_dialog(parent: QWidget | None) -> AboutDialog:
    """Help > About: opened window-modal, deleted on close."""
    dialog = AboutDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog

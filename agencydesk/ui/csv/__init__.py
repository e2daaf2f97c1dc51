"""CSV dialogs. The main window's File > Import… (Ctrl+I) and Export… (Ctrl+E) call exactly
``open_import_dialog`` and ``open_export_dialog``; the work is done by agencydesk.services.csv_io.

The dialogs and the CSV services are loaded when first opened, not with the main window: they
are a tenth of a second of start-up that the first window does not need.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from agencydesk.domain import RecordKind
from agencydesk.store.queries import ListQuery

if TYPE_CHECKING:
    from agencydesk.store.book import Book
    from agencydesk.ui.csv.export_dialog import ExportDialog
    from agencydesk.ui.csv.import_state import AccountSender
    from agencydesk.ui.csv.import_wizard import ImportWizard

__all__ = ["ExportDialog", "ImportWizard", "open_export_dialog", "open_import_dialog"]


def __getattr__(name: str) -> Any:
    if name == "ExportDialog":
        from agencydesk.ui.csv.export_dialog import ExportDialog

        return ExportDialog
    if name == "ImportWizard":
        from agencydesk.ui.csv.import_wizard import ImportWizard

        return ImportWizard
    raise AttributeError(name)


def open_import_dialog(
    parent: QWidget | None,
    book: Book,
    kind: RecordKind,
    on_imported: Callable[[], object] | None = None,
    sender: AccountSender | None = None,
) -> ImportWizard | None:
    """Open the import wizard for a tab (non-modal to the app's loop: ``open()``);
    ``on_imported``: what shows the new rows (the main window's refresh); ``sender``: the
    window's sync, which sends an import into a vendor account at once."""
    from agencydesk.services.csv_io.fields import IMPORTABLE, plural
    from agencydesk.ui.csv.import_wizard import ImportWizard

    if kind not in IMPORTABLE:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "Import",
            f"{plural(kind).capitalize()} come from connected accounts and cannot be imported "
            "from CSV. Choose the Leads, Customers, Policies or Tasks tab.",
            QMessageBox.StandardButton.Ok,
            parent,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return None
    wizard = ImportWizard(book, kind, parent, sender)
    if on_imported is not None:
        wizard.imported.connect(lambda _batch: on_imported())
    wizard.open()
    return wizard


def open_export_dialog(
    parent: QWidget | None,
    book: Book,
    kind: RecordKind,
    query: ListQuery,
    selected_ids: Sequence[int],
    visible_columns: Sequence[str],
    view_rows: int | None = None,
) -> ExportDialog:
    """Export the tab's current view (``query``, ``visible_columns`` in view order) or, when
    ``selected_ids`` is not empty, the chosen rows."""
    from agencydesk.ui.csv.export_dialog import ExportDialog

    dialog = ExportDialog(
        book, kind, query, list(selected_ids), list(visible_columns), parent, view_rows
    )
    dialog.open()
    return dialog

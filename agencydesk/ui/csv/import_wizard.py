"""The import wizard: file -> columns -> check -> duplicates -> import. Every step that reads the
file or the book runs on the wizard's own worker thread; closing the wizard cancels it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QWidget, QWizard

from agencydesk.domain import RecordKind
from agencydesk.services.csv_io.fields import plural
from agencydesk.store.book import Book
from agencydesk.ui.csv.import_check_page import CheckPage
from agencydesk.ui.csv.import_commit_page import CommitPage
from agencydesk.ui.csv.import_duplicates_page import DuplicatesPage
from agencydesk.ui.csv.import_file_page import FilePage
from agencydesk.ui.csv.import_mapping_page import MappingPage
from agencydesk.ui.csv.import_state import AccountSender, ImportState, presets_for
from agencydesk.ui.csv.worker import dialog_pool, stop_jobs


class ImportWizard(QWizard):
    imported = Signal(int)  # batch id: the tab reloads

    def __init__(
        self,
        book: Book,
        kind: RecordKind,
        parent: QWidget | None = None,
        sender: AccountSender | None = None,
    ) -> None:
        """``sender``: the window's sync, which sends an account's outbox at once (without it,
        an import into an account waits in the outbox for the next sync)."""
        super().__init__(parent)
        self.setObjectName("csv_import_wizard")
        self.setWindowTitle(f"Import {plural(kind)}")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.pool = dialog_pool(self)
        self.state = ImportState(book, kind, presets_for(book), self.pool, self)
        self.state.sender = sender
        self.file_page = FilePage(self.state)
        self.mapping_page = MappingPage(self.state)
        self.check_page = CheckPage(self.state)
        self.duplicates_page = DuplicatesPage(self.state)
        self.commit_page = CommitPage(self.state)
        for page in (self.file_page, self.mapping_page, self.check_page, self.duplicates_page,
                     self.commit_page):  # fmt: skip
            self.addPage(page)
        self.resize(QSize(900, 620))

    def load(self, path: Path) -> None:
        self.file_page.load(path)

    def done(self, result: int) -> None:
        if self.state.writing:  # closing now would not stop the transaction, only hide it
            self.commit_page.result.setText(
                "Still writing: the import goes in as one piece. Close when it is done."
            )
            return
        stop_jobs(self.pool, self.state.jobs)
        if self.state.committed_batch is not None:
            self.imported.emit(self.state.committed_batch)
        elif self.state.queued is not None:  # into an account: no local batch, rows to show
            self.imported.emit(0)
        super().done(result)

"""Import step 4: rows that match a record already in the book (by email, phone or policy number,
as the user picks), each to be updated, added as new, or skipped; the counts before committing."""

from __future__ import annotations

import threading

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from agencydesk.services.csv_io.links import LinkReport, describe_links, link_to_parties
from agencydesk.services.csv_io.plan import (
    MATCH_LABELS,
    Match,
    MatchOn,
    OnDuplicate,
    describe_counts,
    find_matches,
    match_choices,
    plan_counts,
)
from agencydesk.services.csv_io.problems import ImportCancelled
from agencydesk.services.csv_io.validate import Progress
from agencydesk.ui.csv.import_state import ImportState
from agencydesk.ui.csv.models import Index, MatchesModel
from agencydesk.ui.csv.progress_row import ProgressRow


class ActionDelegate(QStyledItemDelegate):
    """A combo box to choose one match's action."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        for action, label in MatchesModel.ACTIONS.items():
            combo.addItem(label, action.value)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class DuplicatesPage(QWizardPage):
    def __init__(self, state: ImportState) -> None:
        super().__init__()
        self.state = state
        self.setTitle("Duplicates")
        self.setSubTitle("Rows that match a record already in the book. Choose what happens "
                         "to each; nothing is written yet.")  # fmt: skip
        self.match_on = QComboBox()
        self.match_on.setObjectName("csv_match_on")
        for choice in match_choices(state.kind):
            self.match_on.addItem(MATCH_LABELS[choice], choice.value)
        self.match_on.activated.connect(self._find)
        self.default_action = QComboBox()
        self.default_action.setObjectName("csv_default_action")
        for action, label in MatchesModel.ACTIONS.items():
            self.default_action.addItem(label, action.value)
        self.default_action.activated.connect(self._set_all)
        form = QFormLayout()
        form.addRow("Same record when the same", self.match_on)
        form.addRow("For every match with the same name", self.default_action)
        self.progress = ProgressRow()
        self.model = MatchesModel()
        self.model.changed.connect(self._update_counts)
        self.table = QTableView()
        self.table.setObjectName("csv_matches")
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(MatchesModel.ACTION, ActionDelegate(self.table))
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 60)
        self.table.setColumnWidth(3, 200)
        self.table.setColumnWidth(4, 130)
        self.table.setColumnWidth(5, 110)
        # In the table's place when no row matches (no empty table to puzzle over).
        self.no_matches = QLabel("No row of the file matches a record already in the book.")
        self.no_matches.setObjectName("csv_no_matches")
        self.no_matches.setProperty("role", "hint")
        self.no_matches.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_matches.hide()
        self.counts = QLabel()
        self.counts.setObjectName("csv_counts")
        self.counts.setStyleSheet("font-weight: 600;")
        self.counts.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.no_matches, 1)
        layout.addWidget(self.counts)
        self._busy = False
        self._links: LinkReport | None = None

    def initializePage(self) -> None:
        self._find()

    def _find(self) -> None:
        validation = self.state.validation
        assert validation is not None
        self.state.match_on = MatchOn(self.match_on.currentData())
        self.state.default_action = OnDuplicate(self.default_action.currentData())
        self.model.set_matches([])
        self.table.show()
        self.no_matches.hide()
        self.counts.setText("Looking for duplicates…")
        self._busy = True
        self.completeChanged.emit()
        book, match_on, action = self.state.book, self.state.match_on, self.state.default_action
        account = self.state.account.label if self.state.account is not None else None

        def job(progress: Progress, cancel: threading.Event) -> tuple[list[Match], LinkReport]:
            links = link_to_parties(book, validation, cancel=cancel, account=account)
            matches = find_matches(
                book, validation, match_on, action, progress=progress, cancel=cancel,
                account=account,
            )  # fmt: skip
            return matches, links

        background = self.state.prepare(job)
        self.progress.follow(background, "Looking for duplicates…")
        background.signals.finished.connect(self._found)
        background.signals.failed.connect(self._failed)
        background.start()

    def _found(self, result: tuple[list[Match], LinkReport]) -> None:
        matches, self._links = result
        self._busy = False
        self.state.matches = matches
        self.model.set_matches(matches)
        self.table.setVisible(bool(matches))
        self.no_matches.setVisible(not matches)
        self._update_counts()

    def _failed(self, error: object) -> None:
        self._busy = False
        if isinstance(error, ImportCancelled):
            self.counts.setText("Cancelled. Choose how to match to look again.")
        else:
            self.counts.setText(f"Looking for duplicates failed: {error}")

    def _set_all(self) -> None:
        self.state.default_action = OnDuplicate(self.default_action.currentData())
        self.model.set_all(self.state.default_action)

    def _update_counts(self) -> None:
        validation = self.state.validation
        if validation is None:
            return
        counts = plan_counts(validation, self.state.matches)
        matched = len(self.state.matches)
        differ = sum(1 for match in self.state.matches if not match.names_agree)
        text = f"{matched:,} match{'' if matched == 1 else 'es'}: {describe_counts(counts)}."
        if differ:
            text += (
                f" {differ:,} share{'s' if differ == 1 else ''} an email, phone or number with"
                " a record of another name (or another policy term): added as new unless you"
                " choose otherwise for the row."
            )
        if self._links is not None and (note := describe_links(self._links)):
            text += f" {note[0].upper()}{note[1:]}"
        self.counts.setText(text)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self._busy and self.state.validation is not None

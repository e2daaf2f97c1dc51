"""Find LeadExec leads…: LeadExec cannot list leads, only search them by email, phone or address
and delete them (vendor-notes README, leadexec.md §8), so this dialog is how a LeadExec user
reaches them. The searching, saving and deleting are ``services.leadexec_search``'s (through the
process's one account registry, on the qasync loop); the dialog checks what was typed, shows the
results and asks before deleting."""

from __future__ import annotations

from typing import Any, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agencydesk.domain import Lead
from agencydesk.domain.formats import format_count, format_moment
from agencydesk.domain.record_names import title_of
from agencydesk.domain.validation import FieldError, parse_email, parse_phone
from agencydesk.services.leadexec_search import (
    FoundLeads,
    LeadExecSearch,
    LeadSearch,
    problem_text,
)
from agencydesk.ui.sync.runner import AsyncRunner

# LeadExec's IsValidPost is not explained in its document (leadexec.md §5): not shown.
COLUMNS = ("Lead id", "Received", "Name", "Email", "Phone", "Address")

Index = QModelIndex | QPersistentModelIndex


class FoundLeadsModel(QAbstractTableModel):
    """The leads one search found, one row each."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.leads: list[Lead] = []

    def set_leads(self, leads: list[Lead]) -> None:
        self.beginResetModel()
        self.leads = list(leads)
        self.endResetModel()

    def remove_ids(self, remote_ids: set[str]) -> None:
        self.set_leads([x for x in self.leads if x.provenance.remote_id not in remote_ids])

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.leads)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        lead = self.leads[index.row()]
        return (
            lead.provenance.remote_id,
            format_moment(lead.created_at),
            lead.display_name,
            lead.email,
            lead.phone,
            lead.street,
        )[index.column()]


W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str) -> W:
    widget.setObjectName(name)
    return widget


def field(name: str, example: str) -> QLineEdit:
    edit = named(QLineEdit(), name)
    edit.setPlaceholderText(example)
    return edit


class LeadExecSearchDialog(QDialog):
    saved = Signal(int)  # how many leads went into the book
    deleted = Signal(int)  # how many leads were deleted at LeadExec

    def __init__(
        self,
        search: LeadExecSearch,
        accounts: list[str],
        parent: QWidget | None = None,
        *,
        confirm: bool = True,
    ) -> None:
        """``accounts``: the labels of the LeadExec accounts to search in."""
        super().__init__(parent)
        self.service = search
        self.confirm = confirm  # tests answer the delete question themselves
        self.runner = AsyncRunner(self)
        self.setWindowTitle("Find LeadExec leads")
        self.resize(720, 440)

        self.account = named(QComboBox(), "account")
        for label in accounts:
            self.account.addItem(label)
        self.email = field("email", "ada@example.com")
        self.phone = field("phone", "(512) 555-0123")
        self.address = field("address", "12 Main St")
        form = QFormLayout()
        form.addRow("&Account:", self.account)
        form.addRow("&Email:", self.email)
        form.addRow("&Phone:", self.phone)
        form.addRow("A&ddress:", self.address)
        self.search_button = named(QPushButton("&Search"), "search")
        self.search_button.setDefault(True)
        self.search_button.clicked.connect(self.search)
        form.addRow("", self.search_button)

        self.model = FoundLeadsModel(self)
        self.table = named(QTableView(), "results")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMNS.index("Address"), QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.message = named(QLabel(), "message")
        self.message.setWordWrap(True)
        self.message.setText("Give an email, phone or address: every lead type is searched.")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = buttons.addButton(
            "Save to my &book", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.delete_button = buttons.addButton(
            "&Delete at LeadExec…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.save_button.clicked.connect(self.save_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        buttons.rejected.connect(self.reject)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self._update_buttons()

    # -- state -----------------------------------------------------------------------------------
    @property
    def calls(self) -> int:
        """Searches and deletes sent to LeadExec."""
        return self.service.calls

    def selected(self) -> list[Lead]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.leads[r] for r in rows]

    def _update_buttons(self) -> None:
        chosen = bool(self.table.selectionModel().selectedRows())
        idle = not self.runner.busy
        self.search_button.setEnabled(idle and self.account.count() > 0)
        self.save_button.setEnabled(idle and chosen)
        self.delete_button.setEnabled(idle and chosen)

    def _say(self, text: str) -> None:
        self.message.setText(text)

    # -- search ----------------------------------------------------------------------------------
    def search(self) -> None:
        label = self.account.currentText()
        if not label:
            self._say("No LeadExec account: add one in Sync ▸ Accounts…")
            return
        try:
            email = parse_email(self.email.text(), "Email")
            phone = parse_phone(self.phone.text(), "Phone")
        except FieldError as exc:
            self._say(f"{exc.field} {exc.message}")
            (self.email if exc.field == "Email" else self.phone).setFocus()
            return
        search = LeadSearch(email, phone, self.address.text().strip())
        if search.empty:
            self._say("Give an email, phone or address to search by")
            return
        self._say(f"Searching {label}…")
        self.runner.start(
            self.service.find(label, search),
            lambda found: self._found(label, found),
            lambda exc: self._failed(label, exc),
        )
        self._update_buttons()

    def _found(self, label: str, found: FoundLeads) -> None:
        self.model.set_leads(found.leads)
        if found.leads:
            text = f"{format_count(len(found.leads), 'lead')} found in {label}"
        else:
            text = f"No leads in {label} match that email, phone or address"
        if found.unreadable:
            text += f"; {format_count(len(found.unreadable), 'result')} could not be read"
        self._say(text)
        self._update_buttons()

    def _failed(self, label: str, exc: BaseException) -> None:
        self._say(problem_text(label, exc))
        self._update_buttons()

    # -- save and delete -------------------------------------------------------------------------
    def save_selected(self) -> None:
        leads = self.selected()
        if not leads:
            return
        label = leads[0].provenance.account
        self.runner.start(
            self.service.save(label, leads),
            lambda count: self._saved(label, count),
            lambda exc: self._not_saved(label, leads, exc),
        )
        self._update_buttons()  # busy: one save of these leads, not two

    def _saved(self, label: str, count: int) -> None:
        self._say(f"{format_count(count, 'lead')} saved to your book from {label}")
        self.saved.emit(count)
        self._update_buttons()

    def _not_saved(self, label: str, leads: list[Lead], exc: BaseException) -> None:
        # The write is one transaction: nothing half-saved, and the found leads stay listed.
        names = ", ".join(title_of(lead) for lead in leads[:3]) + ("…" if len(leads) > 3 else "")
        self._say(f"{label}: could not save {names} to your book ({exc})")
        self._update_buttons()

    def delete_selected(self) -> None:
        leads = self.selected()
        if not leads:
            return
        label = leads[0].provenance.account
        if self.confirm:
            answer = QMessageBox.question(
                self,
                "Delete at LeadExec",
                f"Delete {format_count(len(leads), 'lead')} at LeadExec ({label})? "
                "LeadExec schedules the deletion; it cannot be undone from here.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        ids = [lead.provenance.remote_id for lead in leads]
        self._say(f"Deleting {format_count(len(ids), 'lead')} at {label}…")
        self.runner.start(
            self.service.delete(label, ids),
            lambda done: self._deleted(label, done),
            lambda exc: self._failed(label, exc),
        )
        self._update_buttons()

    def _deleted(self, label: str, ids: list[str]) -> None:
        self.model.remove_ids(set(ids))  # a saved copy went too (the service dropped it)
        self._say(f"{format_count(len(ids), 'lead')} deleted at {label}")
        self.deleted.emit(len(ids))
        self._update_buttons()

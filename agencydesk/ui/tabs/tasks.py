"""Tasks: overdue (red), today, upcoming; assigned to me; complete and reopen."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any, ClassVar

from PySide6.QtWidgets import QCheckBox

from agencydesk.domain import RecordKind, Task, TaskStatus
from agencydesk.services.book_reads import RecordDetail
from agencydesk.services.record_writes import ToggleDone, WriteFailed, Written
from agencydesk.store.queries import ListItem, TaskDue
from agencydesk.ui import detail_html as h
from agencydesk.ui.paged_model import Column, RowStyle
from agencydesk.ui.tabs import record_actions, related
from agencydesk.ui.tabs.base import DO_SCHEME, BaseTab

OVERDUE_RED = "#c62828"
TODAY_BLUE = "#1f5fbf"
DONE_GREY = "#8a939e"


def _task(item: ListItem) -> Task:
    assert isinstance(item.record, Task)
    return item.record


DUE, TIME, TITLE, KIND, STATUS, ASSIGNEE, FOR = range(7)


def due_state(task: Task, today: date) -> TaskDue | None:
    """Where an open task stands; None for a done one."""
    if task.status == TaskStatus.DONE:
        return None
    if task.due_date is not None and task.due_date < today:
        return TaskDue.OVERDUE
    if task.due_date == today:
        return TaskDue.TODAY
    return TaskDue.UPCOMING


class TasksTab(BaseTab):
    kind = RecordKind.TASK
    title = "Tasks"
    noun = "task"
    widths: ClassVar[dict[str, int]] = {
        "Due": 90,
        "Title": 330,  # the longest text of the tab: it gets what the others leave
        "Kind": 75,
        "Status": 85,
        "Assigned to": 115,
        "For": 150,
        "Time": 55,
    }

    NARROW_FIRST = ("Kind", "Time", "Assigned to", "Status")

    def columns(self) -> list[Column]:
        return [
            Column("Due", lambda i: h.text(_task(i).due_date), "due_date"),
            Column("Time", lambda i: _task(i).due_time, "due_time"),
            Column("Title", lambda i: _task(i).title, "title"),
            Column("Kind", lambda i: _task(i).task_kind.value.capitalize(), "task_kind"),
            Column("Status", self._status_text, "status"),
            Column("Assigned to", lambda i: _task(i).assignee, "assignee"),
            Column("For", lambda i: i.related_name, "related_name"),
        ]

    def _status_text(self, item: ListItem) -> str:
        state = due_state(_task(item), self.today())
        return "Done" if state is None else state.value.capitalize()

    def today(self) -> date:
        return self.model.query.today or date.today()

    def row_style(self, item: ListItem) -> RowStyle:
        state = due_state(_task(item), self.today())
        if state is None:
            return RowStyle(color=DONE_GREY)
        if state == TaskDue.OVERDUE:
            return RowStyle(color=OVERDUE_RED)
        return RowStyle(color=TODAY_BLUE, bold=True) if state == TaskDue.TODAY else RowStyle()

    def build_filters(self) -> None:
        self.add_choice(
            "due",
            [("Any due date", None)] + [(due.value.capitalize(), due.value) for due in TaskDue],
        )
        self.add_facet("producer", "Anyone", facet_field="assignee")
        self.mine_box = QCheckBox("Assigned to me")
        self.mine_box.setObjectName("assigned_to_me")
        self.mine_box.toggled.connect(self.apply_filters)
        self.done_box = QCheckBox("Show completed")
        self.done_box.setObjectName("show_done")
        self.done_box.setChecked(False)  # the day's work: open tasks
        self.done_box.toggled.connect(self.apply_filters)
        self.filter_bar.addWidget(self.mine_box)
        self.filter_bar.addWidget(self.done_box)
        self.set_user_name(self.user_name)

    def set_user_name(self, name: str) -> None:
        self.user_name = name
        self.mine_box.setEnabled(bool(name))
        self.mine_box.setToolTip(
            f"Tasks assigned to {name}" if name else "Set your name first: Edit > My name…"
        )

    def extra_query(self) -> dict[str, Any]:
        query: dict[str, Any] = {"include_done": self.done_box.isChecked()}
        due = self.combos["due"].currentData()
        query["due"] = TaskDue(due) if due else None
        if self.mine_box.isChecked() and self.user_name:
            query["producer"] = self.user_name
        return query

    def clear_filters(self) -> None:
        super().clear_filters()
        for box, value in ((self.mine_box, False), (self.done_box, False)):
            box.blockSignals(True)
            box.setChecked(value)
            box.blockSignals(False)

    def toggle_current(self) -> bool:
        """Complete the selected task, or reopen it if it is done (off the GUI thread; the
        status bar says so and the row follows once it is written). False: nothing asked."""
        record = self.current_record()
        if not isinstance(record, Task):
            return False
        reason = self.editor.why_not_completable(record)
        if reason:
            self.message.emit(reason)
            return False
        return self.writer.submit(ToggleDone(record), self._toggled, self._not_toggled)

    def _not_toggled(self, failed: WriteFailed) -> None:
        """A vendor that would clear what it does not let us read asks first (ConeCRM sends a
        task whole); any other failure says which task and why."""
        request = failed.request
        if not failed.loss_warning or not isinstance(request, ToggleDone):
            self.message.emit(failed.message)
            return
        task = request.task
        verb = "Reopen" if task.status is TaskStatus.DONE else "Complete"

        def anyway() -> None:
            confirmed = ToggleDone(task, confirmed_loss=True)
            self.writer.submit(confirmed, self._toggled, lambda f: self.message.emit(f.message))

        record_actions.ask_to_clear(
            self, task, failed.loss_warning, (verb, f"{verb} and clear them", "Cancel"),
            anyway, lambda: None,
        )  # fmt: skip

    def _toggled(self, written: Written) -> None:
        saved = written.record
        if not isinstance(saved, Task):
            return
        verb = "Completed" if saved.status == TaskStatus.DONE else "Reopened"
        self.message.emit(f"{verb} task {saved.title}")
        self.keep_place(saved)  # the list stays put; the pane keeps the task (Reopen)
        self.refresh()

    def do_link(self, verb: str, record_id: int) -> None:
        record = self.current_record()
        if verb == "complete" and record is not None and record.id == record_id:
            self.toggle_current()

    def _complete_link(self, task: Task) -> str:
        """'Mark done' / 'Reopen' on the pane, or, where the vendor cannot, greyed with why."""
        verb = "Reopen" if task.status is TaskStatus.DONE else "Mark done"
        why = self.editor.why_not_completable(task)
        if why:
            return f'<p><span class="none">{escape(verb)}: {escape(why)}</span></p>'
        href = f"{DO_SCHEME}://complete/{task.id}"
        return f'<p><a href="{href}">{escape(verb)}</a> <span class="meta">Ctrl+Enter</span></p>'

    def blank_record(self) -> Task:
        return Task(assignee=self.user_name, due_date=date.today())

    def detail_html(self, item: ListItem, detail: RecordDetail) -> str:
        task = _task(item)
        state = due_state(task, self.today())
        return (
            h.heading(
                task.title,
                f"{task.task_kind.value.capitalize()} · "
                f"{'Done' if state is None else state.value.capitalize()}",
            )
            + h.fields(
                [
                    ("Due", " ".join(p for p in (h.text(task.due_date), task.due_time) if p)),
                    ("Assigned to", task.assignee),
                    ("Completed", h.text(task.completed_at)),
                    ("Comments", task.comments),
                    ("Record", h.provenance(task)),
                ]
            )
            + (self._complete_link(task) if task.id is not None else "")
            + self.log_link(task)
            + related.person(RecordKind.CUSTOMER, task.customer_id, detail.customer, "Customer")
            + related.person(RecordKind.LEAD, task.lead_id, detail.lead, "Lead")
        )

"""Detail-pane sections for what hangs off a record: notes, tasks, policies, threads, people."""

from __future__ import annotations

from html import escape

from agencydesk.domain import Customer, Lead, Policy, RecordKind, Task, TaskStatus, Thread
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery
from agencydesk.ui import detail_html as h


def notes(book: Book, kind: RecordKind, record_id: int | None) -> str:
    if record_id is None:
        return h.section("Notes", [])
    lines = []
    for note in book.notes_of(kind, record_id):
        meta = " · ".join(part for part in (note.author, h.text(note.created_at)) if part)
        title = f"<b>{escape(note.title)}</b> " if note.title else ""
        lines.append(f'{title}{escape(note.body)}<br><span class="meta">{escape(meta)}</span>')
    return h.section("Notes", lines)


def tasks(book: Book, query: ListQuery) -> str:
    lines = []
    for item in book.related(RecordKind.TASK, query):
        task = item.record
        assert isinstance(task, Task)
        done = " ✓" if task.status == TaskStatus.DONE else ""
        due = f"due {h.text(task.due_date)}" if task.due_date else "no due date"
        meta = escape(f" · {due} · {task.assignee}" if task.assignee else f" · {due}")
        lines.append(f"{h.link(RecordKind.TASK, task.id, task.title)}{done}{meta}")
    return h.section("Tasks", lines)


def policies(book: Book, query: ListQuery) -> str:
    lines = []
    for item in book.related(RecordKind.POLICY, query):
        policy = item.record
        assert isinstance(policy, Policy)
        meta = (
            f" · {policy.carrier} {policy.line_of_business} · {h.money(policy.premium_cents)}"
            f" · expires {h.text(policy.expiration_date)} · {policy.status.value}"
        )
        lines.append(h.link(RecordKind.POLICY, policy.id, policy.policy_number) + escape(meta))
    return h.section("Policies", lines)


def threads(book: Book, query: ListQuery) -> str:
    lines = []
    for item in book.related(RecordKind.THREAD, query):
        thread = item.record
        assert isinstance(thread, Thread)
        unread = " ●" if thread.unread else ""
        meta = f" · {thread.channel.value} · {h.text(thread.last_message_at)}"
        lines.append(h.link(RecordKind.THREAD, thread.id, thread.subject) + unread + escape(meta))
    return h.section("Threads", lines)


def person(book: Book, kind: RecordKind, record_id: int | None, label: str) -> str:
    """The customer or lead a policy, thread or task belongs to."""
    if record_id is None:
        return ""
    record = book.get(kind, record_id)
    if not isinstance(record, Customer | Lead):
        return h.section(label, [], empty=f"#{record_id} is not in the cache")
    line = h.link(kind, record.id, record.display_name)
    # A phone number never breaks across lines in a narrow pane ("(817)" / "555-8149").
    phone = h.phone(record.phone).replace(" ", "\u00a0")
    details = " · ".join(part for part in (record.email, phone) if part)
    return h.section(label, [line + (escape(f" · {details}") if details else "")])

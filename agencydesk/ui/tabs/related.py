"""Detail-pane sections for what hangs off a record: notes, policies, threads, people.
They render what the reader read (``services.book_reads.RecordDetail``); none reads itself."""

from __future__ import annotations

from html import escape

from agencydesk.domain import Customer, Lead, Note, Policy, RecordKind, Thread
from agencydesk.store.queries import ListItem
from agencydesk.ui import detail_html as h
from agencydesk.ui.tabs.linked import policy_state


def notes(found: list[Note]) -> str:
    lines = []
    for note in found:
        meta = " · ".join(part for part in (note.author, h.text(note.created_at)) if part)
        title = f"<b>{escape(note.title)}</b> " if note.title else ""
        lines.append(f'{title}{escape(note.body)}<br><span class="meta">{escape(meta)}</span>')
    return h.section("Notes", lines)


def policies(items: list[ListItem]) -> str:
    lines = []
    for item in items:
        policy = item.record
        assert isinstance(policy, Policy)
        meta = (
            f" · {policy.carrier} {policy.line_of_business} · {h.money(policy.premium_cents)}"
            f" · expires {h.text(policy.expiration_date)} · {policy_state(policy)}"
        )  # the honest state: "Active at AgencyBloc, expired 03/01/2025", never "active"
        lines.append(h.link(RecordKind.POLICY, policy.id, policy.policy_number) + escape(meta))
    return h.section("Policies", lines)


def threads(items: list[ListItem]) -> str:
    lines = []
    for item in items:
        thread = item.record
        assert isinstance(thread, Thread)
        unread = " ●" if thread.unread else ""
        meta = f" · {thread.channel.value} · {h.text(thread.last_message_at)}"
        lines.append(h.link(RecordKind.THREAD, thread.id, thread.subject) + unread + escape(meta))
    return h.section("Threads", lines)


def person(
    kind: RecordKind, record_id: int | None, record: Customer | Lead | None, label: str
) -> str:
    """The customer or lead a policy, thread or task belongs to (``record`` as read)."""
    if record_id is None:
        return ""
    if record is None:
        return h.section(label, [], empty="no longer in this computer's book")
    line = h.link(kind, record.id, record.display_name)
    # A phone number never breaks across lines in a narrow pane ("(817)" / "555-8149").
    phone = h.phone(record.phone).replace(" ", "\u00a0")
    details = " · ".join(part for part in (record.email, phone) if part)
    return h.section(label, [line + (escape(f" · {details}") if details else "")])

"""Threads: email and text conversations, unread first, messages readable in the detail pane."""

from __future__ import annotations

from dataclasses import replace
from html import escape
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox

from agencydesk.domain import Channel, Customer, Direction, Lead, Message, RecordKind, Thread
from agencydesk.services.book_reads import RecordDetail
from agencydesk.store.queries import ListItem
from agencydesk.ui import detail_html as h
from agencydesk.ui.paged_model import Column, RowStyle
from agencydesk.ui.record_names import title_of
from agencydesk.ui.tabs import related
from agencydesk.ui.tabs.base import BaseTab

CHANNEL_LABELS = {Channel.EMAIL: "✉ Email", Channel.SMS: "✆ Text", Channel.CALL: "☎ Call"}


def _thread(item: ListItem) -> Thread:
    assert isinstance(item.record, Thread)
    return item.record


def _counterpart(thread: Thread) -> str:
    """Texts come with E.164 numbers: show them the way people write them."""
    other = thread.counterpart
    return h.phone(other) if other.startswith("+") else other


def _sender(message: Message, thread: Thread, who: Customer | Lead | None) -> str:
    """Who wrote a message, as people say it: the customer's or lead's name for what came
    from their address or number (vendors store "asmith@gmail.com", "+12105554919"), a
    number written the way the grid writes it otherwise."""
    sender = message.sender.strip()
    theirs = {thread.counterpart, *((who.email, who.phone) if who is not None else ())}
    if message.direction is Direction.INBOUND and who is not None and sender in theirs - {""}:
        return who.display_name
    return h.phone(sender) if sender.startswith("+") else sender


UNREAD, CHANNEL, SUBJECT, WITH, CUSTOMER, MESSAGES, LAST, PRODUCER = range(8)


class ThreadsTab(BaseTab):
    kind = RecordKind.THREAD
    title = "Threads"
    noun = "thread"
    widths: ClassVar[dict[str, int]] = {
        "": 24,
        "Channel": 80,
        "Subject": 210,
        "With": 140,
        "Customer / lead": 140,
        "Msgs": 50,
        "Last message": 150,  # bold when unread
        "Producer": 115,
    }

    # What a conversation is about is read whole; the counts, the producer and the channel
    # (its icon stays in the subject's "(text conversation)") make room first.
    FIT_WHOLE = BaseTab.FIT_WHOLE | {"Subject"}
    NARROW_FIRST = ("Msgs", "Producer", "Channel")

    def columns(self) -> list[Column]:
        return [
            Column("", lambda i: "●" if _thread(i).unread else "", "unread"),
            Column("Channel", lambda i: CHANNEL_LABELS.get(_thread(i).channel, ""), "channel"),
            Column("Subject", lambda i: _thread(i).subject or "(text conversation)", "subject"),
            Column("With", lambda i: _counterpart(_thread(i)), "counterpart"),
            Column("Customer / lead", lambda i: i.related_name, "related_name"),
            Column(
                "Msgs", lambda i: f"{_thread(i).message_count:,}", "message_count", numeric=True
            ),
            Column("Last message", lambda i: h.text(_thread(i).last_message_at), "last_message_at"),
            Column("Producer", lambda i: _thread(i).producer, "producer"),
        ]

    def row_style(self, item: ListItem) -> RowStyle:
        return RowStyle(bold=_thread(item).unread)

    def build_filters(self) -> None:
        self.add_choice(
            "channel",
            [("All channels", "")]
            + [(CHANNEL_LABELS[channel], channel.value) for channel in CHANNEL_LABELS],
        )
        self.add_facet("producer", "All producers")
        self.unread_box = QCheckBox("Unread only")
        self.unread_box.setObjectName("unread_only")
        self.unread_box.toggled.connect(self.apply_filters)
        self.filter_bar.addWidget(self.unread_box)
        self.group_box = QCheckBox("Group by customer")
        self.group_box.setObjectName("group_by_customer")
        self.group_box.setToolTip("Each customer's or lead's conversations together")
        self.group_box.toggled.connect(self.group_by_customer)
        self.filter_bar.addWidget(self.group_box)

    def group_by_customer(self, on: bool) -> None:
        """Sort by customer/lead name, or back to the default order (unread first)."""
        if on:
            self.view.sortByColumn(CUSTOMER, Qt.SortOrder.AscendingOrder)
        else:
            self.model.set_query(replace(self.model.query, sort="", descending=False))
            self.apply_filters()

    def extra_query(self) -> dict[str, Any]:
        return {"unread_only": self.unread_box.isChecked()}

    def clear_filters(self) -> None:
        super().clear_filters()
        self.unread_box.blockSignals(True)
        self.unread_box.setChecked(False)
        self.unread_box.blockSignals(False)

    unread_total = 0  # every unread conversation, whatever the filter (set by the window)

    def status_text(self) -> str:
        shown = super().status_text()
        return f"{shown} · {self.unread_total:,} unread" if self.unread_total else shown

    def blank_record(self) -> Thread:
        return Thread(producer=self.user_name)

    def detail_html(self, item: ListItem, detail: RecordDetail) -> str:
        thread = _thread(item)
        bubbles = []
        who = detail.customer or detail.lead
        if thread.id is not None:
            for message in detail.messages:
                outbound = message.direction == Direction.OUTBOUND
                meta = f"{_sender(message, thread, who)} · {h.text(message.sent_at)}"
                body = escape(message.body).replace("\n", "<br>")
                css = "msg out" if outbound else "msg"
                bubbles.append(
                    f'<div class="{css}"><span class="meta">{escape(meta)}</span><br>{body}</div>'
                )
        person = related.person(
            RecordKind.CUSTOMER, thread.customer_id, detail.customer, "Customer"
        ) or related.person(RecordKind.LEAD, thread.lead_id, detail.lead, "Lead")
        return (
            h.heading(
                title_of(thread),
                f"{CHANNEL_LABELS.get(thread.channel, '')} with "
                f"{_counterpart(thread) or item.related_name}",
            )
            + person
            + self.log_link(thread)
            + f"<h3>Messages ({len(bubbles):,})</h3>"
            + ("".join(bubbles) or '<span class="none">no messages</span>')
        )

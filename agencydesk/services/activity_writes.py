"""The activity writes the window asks its writer for (services/record_writes.py runs them off
the GUI thread, in order with every other write): log an activity, mark a thread read or
unread, start a conversation with its first message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from agencydesk.domain import Channel, Record, RecordKind
from agencydesk.domain.activity import KIND_LABELS, Activity
from agencydesk.services.activity_log import ActivityLog, ActivityTarget
from agencydesk.services.new_conversation import NewConversation
from agencydesk.services.thread_marks import ThreadMarks

if TYPE_CHECKING:
    from agencydesk.store.book import Book


@dataclass(frozen=True, slots=True)
class LogActivity:
    target: ActivityTarget
    activity: Activity
    author: str = ""

    @property
    def what(self) -> str:
        name = self.target.person_name or "the conversation"
        return f"log the {KIND_LABELS[self.activity.kind].lower()} on {name}"

    def write(self, book: Book) -> Record | None:
        """The first record made (a note, or a logged message)."""
        logged = ActivityLog(book, self.author).log(self.target, self.activity)
        kind, record_id = logged.records[0]
        return book.get(kind, record_id)


@dataclass(frozen=True, slots=True)
class MarkThread:
    thread_id: int
    unread: bool = False

    @property
    def what(self) -> str:
        # (record_writes.what names the conversation, read from the book)
        return f"mark the conversation {'unread' if self.unread else 'read'}"

    def write(self, book: Book) -> Record | None:
        """The thread as now stored."""
        return ThreadMarks(book).mark_read(self.thread_id, unread=self.unread)


@dataclass(frozen=True, slots=True)
class StartConversation:
    kind: RecordKind
    person_id: int
    channel: Channel
    subject: str
    text: str
    author: str = ""

    @property
    def what(self) -> str:
        return f"start the conversation with the {self.kind.value}"

    def write(self, book: Book) -> Record | None:
        """The new thread (``compose_url(thread, text)`` is its message, to send)."""
        started = NewConversation(book, self.author).start(
            self.kind, self.person_id, self.channel, self.subject, self.text
        )
        return book.get(RecordKind.THREAD, started.thread_id)


ActivityWrite = LogActivity | MarkThread | StartConversation

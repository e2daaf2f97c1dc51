"""Starting a conversation (Ctrl+N on Threads, issue 12): never an empty thread. It starts with
its first message, written to a customer or lead; no vendor API sends email or texts, so the
message goes out through the user's own mail or messaging app (a ``mailto:``/``sms:`` address
with the text filled in) and the conversation is kept on this device with that message in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from agencydesk.domain import Channel, Customer, Direction, Lead, Message, RecordKind, Thread
from agencydesk.domain.records import utc_now
from agencydesk.services.thread_marks import dialable

if TYPE_CHECKING:
    from agencydesk.store.book import Book


@dataclass(frozen=True, slots=True)
class Started:
    thread_id: int
    url: str  # the user's app, the message filled in


class NewConversation:
    def __init__(self, book: Book, author: str = "") -> None:
        self._book = book
        self.author = author

    def address(self, kind: RecordKind, person_id: int, channel: Channel) -> tuple[str, str]:
        """(the person's name, where the message goes), or raises ValueError saying what is
        missing."""
        person = self._book.get(kind, person_id)
        if not isinstance(person, Customer | Lead):
            raise ValueError(f"That {kind.value} is no longer in the cache.")
        name = person.display_name or "(no name)"
        if channel is Channel.EMAIL:
            if not person.email:
                raise ValueError(f"{name} has no email address: add one, or send a text.")
            return name, person.email
        number = dialable(person.phone)
        if not number:
            raise ValueError(f"{name} has no mobile number: add one, or send an email.")
        return name, number

    def start(
        self,
        kind: RecordKind,
        person_id: int,
        channel: Channel,
        subject: str,
        text: str,
    ) -> Started:
        if not text.strip():
            raise ValueError("Write the first message.")
        _name, where = self.address(kind, person_id, channel)
        now = utc_now()
        thread = self._book.save(
            Thread(
                channel=channel,
                subject=subject.strip() if channel is Channel.EMAIL else "",
                customer_id=person_id if kind is RecordKind.CUSTOMER else None,
                lead_id=person_id if kind is RecordKind.LEAD else None,
                counterpart=where,
                last_message_at=now,
                message_count=1,
                producer=self.author,
                created_at=now,
                updated_at=now,
            )
        )
        assert thread.id is not None
        self._book.save(
            Message(
                thread_id=thread.id,
                direction=Direction.OUTBOUND,
                sender=self.author,
                body=text.strip(),
                sent_at=now,
                created_at=now,
                updated_at=now,
            )
        )
        assert isinstance(thread, Thread)
        return Started(thread.id, compose_url(thread, text))


def compose_url(thread: Thread, text: str) -> str:
    """The user's mail or messaging app, to the thread's address, with ``text`` filled in."""
    body = quote(text.strip())
    if thread.channel is Channel.EMAIL:
        subject = thread.subject.strip()
        fields = [f"subject={quote(subject)}"] if subject else []
        address = quote(thread.counterpart, safe="@+")
        return f"mailto:{address}?" + "&".join([*fields, f"body={body}"])
    return f"sms:{thread.counterpart}?body={body}"

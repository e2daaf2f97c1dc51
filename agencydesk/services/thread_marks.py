"""What opening and answering a thread does (issue 12).

- Opened, a thread is marked read here at once, and at the vendor where its API can mark it
  (``MARKS_THREADS_READ`` in the vendor's capabilities: AgencyZoom's unread-thread endpoints);
  the mark then waits in the outbox like any other change. Elsewhere the mark is local.
- No vendor API sends email or texts, so a reply opens the user's own mail or messaging app:
  a ``mailto:``/``sms:`` address (``tel:`` for a call), filled in from the thread or its person.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from urllib.parse import quote

from agencydesk.domain import Channel, Customer, Lead, RecordKind, Thread
from agencydesk.domain.holders import holder_name
from agencydesk.store.ledger_types import OutboxOp

if TYPE_CHECKING:
    from agencydesk.store.book import Book

_EMAIL = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+")


def marks_read_at_vendor(vendor: str) -> bool:
    try:
        module = importlib.import_module(f"agencydesk.vendors.{vendor}.capabilities")
    except ModuleNotFoundError:
        return False
    return bool(getattr(module, "MARKS_THREADS_READ", False))


@dataclass(frozen=True, slots=True)
class Reply:
    url: str  # "" when there is no address to answer
    why_not: str = ""  # why there is none, for the tooltip and status bar


class ThreadMarks:
    def __init__(self, book: Book) -> None:
        self._book = book

    def mark_read(self, thread_id: int, *, unread: bool = False) -> Thread | None:
        """Mark the thread read (or unread again); the thread as it now is, None if gone."""
        thread = self._book.get(RecordKind.THREAD, thread_id)
        if not isinstance(thread, Thread):
            return None
        if thread.unread == unread:
            return thread
        marked = replace(thread, unread=unread)
        prov = thread.provenance
        if not prov.is_local and prov.remote_id and marks_read_at_vendor(prov.vendor):
            saved = self._book.ledgers.save_local_edit(marked, OutboxOp.UPDATE, {"unread": unread})
        else:
            saved = self._book.save(marked)  # local only: no API to tell
        return saved if isinstance(saved, Thread) else None

    def where_marked(self, thread: Thread) -> str:
        """'' when the mark reaches the vendor, else a word on where it stays."""
        prov = thread.provenance
        if prov.is_local or marks_read_at_vendor(prov.vendor):
            return ""
        return f"{holder_name(prov.vendor)}'s API has no read marks: marked read on this device."

    def reply(self, thread: Thread) -> Reply:
        person = self._person(thread)
        subject = thread.subject.strip()
        if thread.channel is Channel.EMAIL:
            found = _EMAIL.search(thread.counterpart) or _EMAIL.search(
                str(thread.raw.get("from") or "")
            )
            address = found.group(0) if found else (person.email if person else "")
            if not address:
                return Reply("", "No email address for this conversation or its person.")
            if subject and not subject.lower().startswith("re:"):
                subject = f"Re: {subject}"
            query = f"?subject={quote(subject)}" if subject else ""
            return Reply(f"mailto:{quote(address, safe='@+')}{query}")
        number = dialable(thread.counterpart) or (dialable(person.phone) if person else "")
        if not number:
            return Reply("", "No phone number for this conversation or its person.")
        scheme = "tel" if thread.channel is Channel.CALL else "sms"
        return Reply(f"{scheme}:{number}")

    def _person(self, thread: Thread) -> Customer | Lead | None:
        for kind, record_id in (
            (RecordKind.CUSTOMER, thread.customer_id),
            (RecordKind.LEAD, thread.lead_id),
        ):
            if record_id is not None:
                found = self._book.get(kind, record_id)
                if isinstance(found, Customer | Lead):
                    return found
        return None


def dialable(text: str) -> str:
    """A dialable number ("+15551230105"), keeping the extension out; '' if none."""
    main = re.split(r"(?i)\s*(?:x|ext\.?)\s*\d+$", text.strip())[0]
    digits = re.sub(r"[^\d+]", "", main)
    bare = digits.lstrip("+")
    if len(bare) < 7 or not bare.isdigit():
        return ""
    if digits.startswith("+"):
        return "+" + bare
    return "+1" + bare if len(bare) == 10 else bare

"""Opening a thread marks it read: at AgencyZoom through its unread-thread endpoint (L1714,
L2086) by way of the outbox, checked in what the sandbox stores; elsewhere on this device only.
A reply opens the user's own mail or messaging app with the address filled in."""

from __future__ import annotations

from pathlib import Path

import pytest

from agencydesk.domain import (
    Channel,
    Customer,
    Direction,
    Provenance,
    RecordKind,
    SyncState,
    Thread,
)
from agencydesk.services.new_conversation import NewConversation
from agencydesk.services.thread_marks import ThreadMarks
from agencydesk.store.ledgers import OutboxOp
from agencydesk.store.queries import ListQuery
from tests.book_files import fresh_book
from tests.sync.conftest import ACCOUNT, SyncRig
from tests.vendors.writeback_support import inspect

pytestmark = [pytest.mark.asyncio, pytest.mark.sandbox]


@pytest.mark.parametrize("channel", ["email", "text"])
async def test_an_agencyzoom_thread_opened_is_marked_read_there(rig: SyncRig, channel: str) -> None:
    theirs = next(t for t in rig.state.threads.values() if t.channel == channel and not t.deleted)
    theirs.unread = True
    thread = Thread(
        provenance=Provenance(
            vendor="agencyzoom", account=ACCOUNT, remote_id=f"{channel}:{theirs.id}"
        ),
        channel=Channel.EMAIL if channel == "email" else Channel.SMS,
        subject="Renewal",
        unread=True,
        sync_state=SyncState.SYNCED,
    )
    [thread_id] = rig.book.ledgers.store_page(ACCOUNT, "threads", [thread])
    marks = ThreadMarks(rig.book)

    marked = marks.mark_read(thread_id)

    assert marked is not None
    assert not marked.unread  # at once, here
    [entry] = rig.book.ledgers.outbox(ACCOUNT)
    assert (entry.op, entry.changes) == (OutboxOp.UPDATE, {"unread": False})
    report = await rig.engine().sync_account(ACCOUNT, read=False)
    assert report.ok, report.summary()
    stored = await inspect(rig.sandbox, "threads", theirs.id)
    assert stored["unread"] is False
    assert rig.book.ledgers.outbox(ACCOUNT) == []
    again = rig.book.get(RecordKind.THREAD, thread_id)
    assert isinstance(again, Thread)
    assert not again.unread
    assert again.sync_state is SyncState.SYNCED


async def test_a_local_thread_is_marked_read_here_only(tmp_path: Path, empty_cache: Path) -> None:
    book = fresh_book(empty_cache, tmp_path / "book.sqlite3")
    try:
        thread = book.save(Thread(subject="Claim photos", unread=True))
        assert thread.id is not None
        marked = ThreadMarks(book).mark_read(thread.id)
        assert marked is not None
        assert not marked.unread
        assert book.ledgers.outbox() == []
    finally:
        book.close()


async def test_a_reply_opens_mail_or_messages_with_the_address(
    tmp_path: Path, empty_cache: Path
) -> None:
    book = fresh_book(empty_cache, tmp_path / "book.sqlite3")
    try:
        customer = book.save(
            Customer(
                first_name="Ana",
                last_name="Silva",
                email="ana@example.com",
                phone="(555) 010-0105 x22",
            )
        )
        marks = ThreadMarks(book)
        named = Thread(
            channel=Channel.EMAIL,
            subject="Auto quote",
            counterpart="Ana Silva",
            customer_id=customer.id,
        )
        assert marks.reply(named).url == "mailto:ana@example.com?subject=Re%3A%20Auto%20quote"
        direct = Thread(
            channel=Channel.EMAIL, subject="Re: ID cards", counterpart="Sam <sam.o@example.com>"
        )
        assert marks.reply(direct).url == "mailto:sam.o@example.com?subject=Re%3A%20ID%20cards"
        text = Thread(channel=Channel.SMS, counterpart="", customer_id=customer.id)
        assert marks.reply(text).url == "sms:+15550100105"
        nobody = Thread(channel=Channel.SMS, counterpart="Unknown")
        assert marks.reply(nobody).url == ""
        assert "No phone number" in marks.reply(nobody).why_not
    finally:
        book.close()


async def test_a_new_conversation_starts_with_its_first_message(
    tmp_path: Path, empty_cache: Path
) -> None:
    book = fresh_book(empty_cache, tmp_path / "book.sqlite3")
    try:
        customer = book.save(Customer(first_name="Ana", last_name="Silva", phone="512-555-0142"))
        assert customer.id is not None
        starter = NewConversation(book, author="Pat")
        with pytest.raises(ValueError, match="Ana Silva has no email address"):
            starter.start(RecordKind.CUSTOMER, customer.id, Channel.EMAIL, "Hi", "Hello")
        with pytest.raises(ValueError, match="first message"):
            starter.start(RecordKind.CUSTOMER, customer.id, Channel.SMS, "", "  ")
        assert book.count(RecordKind.THREAD, ListQuery()) == 0  # nothing half made

        started = starter.start(
            RecordKind.CUSTOMER, customer.id, Channel.SMS, "", "Your ID cards are ready"
        )

        assert started.url == "sms:+15125550142?body=Your%20ID%20cards%20are%20ready"
        thread = book.get(RecordKind.THREAD, started.thread_id)
        assert isinstance(thread, Thread)
        assert (thread.customer_id, thread.message_count, thread.unread) == (customer.id, 1, False)
        [message] = book.messages_of(started.thread_id)
        assert message.body == "Your ID cards are ready"
        assert message.direction is Direction.OUTBOUND
    finally:
        book.close()

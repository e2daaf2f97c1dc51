"""Demo and sandbox emails and texts read like an agency's (issue 12): a thread's messages are
one conversation about quotes, renewals, claims or payments, in order, under a subject that fits,
and none is dated after "now"."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

from agencydesk.domain import Direction, Message, Thread
from agencydesk.services.demo_book import BookSize, generate_records
from agencydesk.vendors.agencyzoom.sandbox import create_sandbox
from agencydesk.vendors.sandbox_kit.base import SandboxOptions
from agencydesk.vendors.sandbox_kit.conversations import SCRIPTS, conversation

SUBJECT_STARTS = tuple(script.subject.split("{")[0] for script in SCRIPTS)


def test_a_demo_book_made_this_morning_has_no_message_from_this_afternoon() -> None:
    now = datetime.now(UTC)
    small = BookSize(leads=60, customers=80, policies=120, threads=60, tasks=10, notes=10)
    records = list(generate_records(7, date.today(), small)[1])
    threads = [r for r in records if isinstance(r, Thread)]
    messages = [r for r in records if isinstance(r, Message)]
    assert threads
    assert messages
    assert all(m.sent_at <= now for m in messages)
    assert all(t.last_message_at is not None and t.last_message_at <= now for t in threads)
    for thread in threads:
        mine = sorted((m for m in messages if m.thread_id == thread.id), key=lambda m: m.sent_at)
        assert len(mine) == thread.message_count
        assert mine[-1].sent_at == thread.last_message_at
        if thread.subject:  # an email: it fits the conversation and is signed
            assert thread.subject.startswith(SUBJECT_STARTS)
            assert all(m.body.startswith("Hi ") and "\n\nThanks,\n" in m.body for m in mine)
        outbound = [m for m in mine if m.direction is Direction.OUTBOUND]
        assert all(m.sender == thread.producer for m in outbound)


def test_a_conversation_keeps_one_carrier_and_reads_in_order() -> None:
    rng = random.Random(3)
    for _ in range(40):
        subject, lines = conversation(
            rng, customer="Ann", agent="Pat", line="Homeowners", text=False, most=4
        )
        assert "{" not in subject
        assert all("{" not in body for _inbound, body in lines)
        script = next(s for s in SCRIPTS if subject.startswith(s.subject.split("{")[0]))
        assert [inbound for inbound, _ in lines] == [i for i, *_ in script.lines[: len(lines)]]


def test_the_agencyzoom_sandbox_threads_are_conversations_in_the_past() -> None:
    sandbox = create_sandbox(SandboxOptions(size="small"))
    threads = [t for t in sandbox.state.threads.values() if t.messages]
    assert threads
    epoch = datetime(2026, 1, 1, tzinfo=UTC)
    for thread in threads:
        assert all(m.sent <= epoch for m in thread.messages)
        if thread.channel == "email":
            assert thread.subject.startswith(SUBJECT_STARTS)
            assert all(m.body.startswith("Hi ") for m in thread.messages)

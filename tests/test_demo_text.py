"""The demo agency reads like a real one (issue 12): its emails, texts, task comments and notes
are an agency's words, never placeholder text, and nothing in it is dated in the future."""

from __future__ import annotations

from datetime import UTC, date, datetime

from agencydesk.domain import Message, Note, Task
from agencydesk.services.demo.catalog import (
    FOLLOW_UPS,
    INBOUND_LINES,
    NOTE_LINES,
    OUTBOUND_LINES,
    SMS_LINES,
)
from agencydesk.services.demo.generator import BookSize
from agencydesk.services.demo_book import generate_records


def test_demo_words_are_an_agencys_and_nothing_is_in_the_future() -> None:
    today = datetime.now(UTC).date()  # the demo is made for today: now may be before 17:00
    size = BookSize(leads=60, customers=40, threads=40, tasks=60, notes=30)
    _agency, records = generate_records(2026, today, size, {})
    known = set(FOLLOW_UPS) | set(INBOUND_LINES) | set(OUTBOUND_LINES) | set(SMS_LINES)
    now = datetime.now(UTC)
    seen = 0
    for record in records:
        assert record.created_at <= now, record
        if isinstance(record, Message):
            assert record.sent_at <= now
            assert all(part in known for part in record.body.split("\n\n")), record.body
            seen += 1
        elif isinstance(record, Task) and record.comments:
            assert record.comments in FOLLOW_UPS
        elif isinstance(record, Note):
            assert record.body in NOTE_LINES, record
    assert seen > 40


def test_a_demo_made_for_a_past_day_ends_that_days_work() -> None:
    _agency, records = generate_records(7, date(2026, 3, 2), BookSize(threads=5), {})
    latest = max(r.created_at for r in records if isinstance(r, Message))
    assert latest <= datetime(2026, 3, 2, 17, 0, tzinfo=UTC)

"""UI fixtures: a small real Book saved through the store, and a main window over it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from agencydesk.domain import (
    Channel,
    Direction,
    Message,
    Note,
    Provenance,
    RecordKind,
    SyncState,
    Task,
    TaskStatus,
    Thread,
)
from agencydesk.profile import Profile, prepare_profile
from agencydesk.store.book import Book
from tests.book_files import fresh_book
from tests.book_samples import ann_lee, bob_lee, cy_diaz, sample_leads, sample_policies

TODAY = date.today()  # the tabs judge "overdue" and renewals against the real today
T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@dataclass
class UiBook:
    book: Book
    ann: int  # Ann Lee, household H1, two active policies + one cancelled, a thread, a task
    bob: int  # Bob Lee, household H1
    cy: int  # Cy Diaz, household H2, vendor record (AgencyZoom)
    dana: int  # lead Dana Fox, New, with a note and a task
    acme: int  # lead Acme Roofing LLC, Quoted
    policy_auto: int
    thread_ann: int
    task_overdue: int
    task_today: int
    task_later: int
    task_done: int


@pytest.fixture
def profile(profile_dir: Path) -> Profile:
    return prepare_profile(profile_dir)


@pytest.fixture
def book(profile: Profile, empty_cache: Path) -> Iterator[Book]:
    opened = fresh_book(empty_cache, profile.cache_path)
    yield opened
    opened.close()


@pytest.fixture
def small(book: Book) -> UiBook:
    # Saved in four transactions (save_many), parents first: each commit costs a disk sync.
    ann, bob, cy = book.save_many(
        [
            ann_lee(),
            bob_lee(),
            cy_diaz(
                sync_state=SyncState.SYNCED,
                provenance=Provenance(vendor="agencyzoom", account="Main", remote_id="c-9"),
            ),
        ]
    )
    policy_auto, *_others, dana, acme = book.save_many(
        [*sample_policies(ann, cy, TODAY), *sample_leads(T0)]
    )
    thread_ann, _sms = book.save_many(
        [
            Thread(
                channel=Channel.EMAIL,
                subject="Renewal question",
                customer_id=ann,
                counterpart="ann.lee@example.com",
                unread=True,
                last_message_at=T0,
                message_count=2,
                producer="Pat",
            ),
            Thread(
                channel=Channel.SMS,
                subject="",
                lead_id=dana,
                counterpart="+15125550777",
                unread=False,
                last_message_at=T0 - timedelta(days=3),
                message_count=0,
            ),
        ]
    )
    *_notes, task_overdue, task_today, task_later, task_done = book.save_many(
        [
            Message(
                thread_id=thread_ann,
                direction=Direction.INBOUND,
                sender="Ann Lee",
                body="Does my auto policy renew automatically?",
                sent_at=T0 - timedelta(hours=1),
            ),
            Message(
                thread_id=thread_ann,
                direction=Direction.OUTBOUND,
                sender="Pat",
                body="Yes, on the expiration date.",
                sent_at=T0,
            ),
            Note(
                parent_kind=RecordKind.LEAD,
                parent_id=dana,
                title="First call",
                body="Wants a bundle quote",
                author="Pat",
            ),
            Note(
                parent_kind=RecordKind.CUSTOMER, parent_id=ann, body="Prefers email", author="Pat"
            ),
            Task(
                title="Call Ann about renewal",
                due_date=TODAY - timedelta(days=2),
                assignee="Pat",
                customer_id=ann,
            ),
            Task(title="Send Dana the quote", due_date=TODAY, assignee="Quinn", lead_id=dana),
            Task(title="Annual review", due_date=TODAY + timedelta(days=9), assignee="Pat"),
            Task(
                title="Collect signature",
                due_date=TODAY - timedelta(days=5),
                assignee="Pat",
                status=TaskStatus.DONE,
                completed_at=T0,
            ),
        ]
    )
    return UiBook(
        book,
        ann,
        bob,
        cy,
        dana,
        acme,
        policy_auto,
        thread_ann,
        task_overdue,
        task_today,
        task_later,
        task_done,
    )


@pytest.fixture
def window(qtbot: QtBot, small: UiBook, profile: Profile):
    from agencydesk.app import build_main_window

    main = build_main_window(small.book, profile)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    settle(qtbot, main)
    return main


def settle(qtbot: QtBot, window) -> None:  # type: ignore[no-untyped-def]
    """Wait until every write the window asked its writer for is done and every read it asked
    its reader for is in and shown (the rows of a filter, a detail pane, a page a cell asked
    for)."""
    qtbot.waitUntil(
        lambda: (
            not window.writer.busy
            and not window.reader.busy
            and not any(tab.model.loading for tab in window.tabs_list)
        ),
        timeout=5000,
    )

"""Store fixtures: a fresh cache per test and a small, hand-made book with known answers."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from agencydesk.domain import (
    Channel,
    Customer,
    Direction,
    Lead,
    LeadStatus,
    Message,
    Note,
    Policy,
    PolicyStatus,
    Provenance,
    RecordKind,
    SyncState,
    Task,
    TaskStatus,
    Thread,
)
from agencydesk.store.book import Book

TODAY = date(2026, 6, 15)
T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def empty_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A freshly migrated, empty cache, made once: tests copy it instead of migrating again."""
    path = tmp_path_factory.mktemp("template") / "cache.sqlite3"
    Book.open(path).close()
    return path


@pytest.fixture
def book(tmp_path: Path, empty_cache: Path) -> Iterator[Book]:
    path = tmp_path / "cache.sqlite3"
    shutil.copyfile(empty_cache, path)
    opened = Book.open(path)
    yield opened
    opened.close()


@dataclass
class SmallBook:
    book: Book
    ann: int  # customer Ann Lee, household H1, 2 active + 1 cancelled policy
    bob: int  # customer Bob Lee, household H1, no policies
    cy: int  # customer Cy Diaz, household H2, one active policy
    lead_new: int
    lead_quoted: int
    thread_ann: int
    thread_lead: int
    task_overdue: int
    task_today: int
    task_later: int
    task_done: int


def vendor(remote_id: str) -> Provenance:
    return Provenance(vendor="agencyzoom", account="Main", remote_id=remote_id)


@pytest.fixture
def small(book: Book) -> SmallBook:
    ann, bob, cy = book.save_many(
        [
            Customer(
                first_name="Ann",
                last_name="Lee",
                email="ann.lee@example.com",
                phone="+15125550123",
                city="Austin",
                household="H1",
                producer="Pat",
                birth_date=date(1980, 2, 3),
                tags=("vip", "auto"),
                provenance=vendor("c-1"),
                sync_state=SyncState.SYNCED,
                raw={"id": "c-1", "extra": [1, 2]},
            ),
            Customer(first_name="Bob", last_name="Lee", household="H1", producer="Pat"),
            Customer(
                first_name="Cy",
                last_name="Diaz",
                email="cy@diaz.org",
                phone="(737) 555-0199",
                household="H2",
                producer="Quinn",
            ),
        ]
    )
    book.save_many(
        [
            Policy(
                customer_id=ann,
                policy_number="PA-100200",
                carrier="Progressive",
                line_of_business="Personal Auto",
                premium_cents=120_000,
                expiration_date=TODAY + timedelta(days=20),
                producer="Pat",
            ),
            Policy(
                customer_id=ann,
                policy_number="HO-300400",
                carrier="State Farm",
                line_of_business="Homeowners",
                premium_cents=210_000,
                expiration_date=TODAY + timedelta(days=75),
                producer="Pat",
            ),
            Policy(
                customer_id=ann,
                policy_number="UM-1",
                carrier="Chubb",
                line_of_business="Umbrella",
                premium_cents=50_000,
                status=PolicyStatus.CANCELLED,
                expiration_date=TODAY + timedelta(days=10),
                producer="Pat",
            ),
            Policy(
                customer_id=cy,
                policy_number="CA-9",
                carrier="Travelers",
                line_of_business="Commercial Auto",
                premium_cents=500_000,
                expiration_date=TODAY + timedelta(days=45),
                producer="Quinn",
            ),
        ]
    )
    lead_new, lead_quoted = book.save_many(
        [
            Lead(
                first_name="Dana",
                last_name="Fox",
                email="dana@fox.net",
                status=LeadStatus.NEW,
                pipeline="New Business",
                stage="New",
                source="Web",
                producer="Pat",
                created_at=T0,
            ),
            Lead(
                business_name="Acme Roofing LLC",
                status=LeadStatus.QUOTED,
                pipeline="New Business",
                stage="Quoted",
                source="Referral",
                producer="Quinn",
                quoted_premium_cents=99_900,
                x_date=TODAY + timedelta(days=30),
                created_at=T0 + timedelta(days=1),
            ),
        ]
    )
    thread_ann, thread_lead = book.save_many(
        [
            Thread(subject="Auto renewal", customer_id=ann, counterpart="ann.lee@example.com"),
            Thread(
                channel=Channel.SMS,
                subject="",
                lead_id=lead_quoted,
                counterpart="+15125550777",
                unread=True,
            ),
        ]
    )
    book.save_many(
        [
            Message(thread_id=thread_ann, body="Your auto policy renews soon", sent_at=T0),
            Message(
                thread_id=thread_ann,
                direction=Direction.OUTBOUND,
                body="Thanks, please send the declarations page",
                sent_at=T0 + timedelta(hours=2),
            ),
            Message(thread_id=thread_lead, body="Can we talk about the roof quote?", sent_at=T0),
        ]
    )
    tasks = book.save_many(
        [
            Task(
                title="Call Ann",
                due_date=TODAY - timedelta(days=2),
                assignee="Pat",
                customer_id=ann,
            ),
            Task(title="Email Acme", due_date=TODAY, assignee="Quinn", lead_id=lead_quoted),
            Task(title="Review umbrella", due_date=TODAY + timedelta(days=5), assignee="Pat"),
            Task(
                title="Old task",
                due_date=TODAY - timedelta(days=9),
                status=TaskStatus.DONE,
                assignee="Pat",
                completed_at=T0,
            ),
        ]
    )
    book.save_many(
        [
            Note(
                parent_kind=RecordKind.CUSTOMER, parent_id=ann, body="Prefers email", created_at=T0
            ),
            Note(
                parent_kind=RecordKind.CUSTOMER,
                parent_id=ann,
                body="Has a teen driver",
                created_at=T0 + timedelta(days=1),
            ),
            Note(parent_kind=RecordKind.LEAD, parent_id=lead_new, body="Wants a quote"),
        ]
    )
    return SmallBook(book, ann, bob, cy, lead_new, lead_quoted, thread_ann, thread_lead, *tasks)

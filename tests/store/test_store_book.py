"""Book: open, save/get round trips, upserts, deletes, lists, facets and counts."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace
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
    RecordKind,
    SyncState,
    Task,
    TaskKind,
    TaskStatus,
    Thread,
)
from agencydesk.store.book import Book
from agencydesk.store.queries import Count, ListQuery, TaskDue
from tests.store.conftest import T0, TODAY, SmallBook, vendor


def names(items: list) -> list[str]:  # type: ignore[type-arg]
    return [i.record.display_name for i in items]


def test_open_creates_a_wal_database_with_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "new" / "cache.sqlite3"
    path.parent.mkdir()
    book = Book.open(path)
    try:
        assert path.exists()
        with book.reading() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    finally:
        book.close()
    reopened = Book.open(path)  # opening again keeps what is there
    reopened.close()


@pytest.mark.parametrize(
    "record",
    [
        Lead(
            first_name="Dana",
            last_name="Fox",
            email="d@f.net",
            phone="+15125550100",
            street="1 Main St",
            city="Austin",
            state="TX",
            zip_code="78701",
            status=LeadStatus.QUOTED,
            pipeline="New Business",
            stage="Quoted",
            source="Zillow",
            producer="Pat",
            x_date=date(2027, 1, 2),
            quoted_premium_cents=12345,
            tags=("hot", "auto"),
            provenance=vendor("L-9"),
            sync_state=SyncState.SYNCED,
            raw={"leadId": 9, "nested": {"a": [1, None]}},
            created_at=T0,
            updated_at=T0 + timedelta(seconds=5),
        ),
        Customer(
            business_name="Acme",
            birth_date=date(1970, 1, 1),
            customer_since=date(2010, 5, 6),
            household="HH-7",
            provenance=vendor("C-9"),
            created_at=T0,
            updated_at=T0,
        ),
        Policy(
            insured_name="Acme",
            policy_number="BOP-1",
            carrier="The Hartford",
            line_of_business="BOP",
            premium_cents=450_000,
            effective_date=date(2026, 1, 1),
            expiration_date=date(2027, 1, 1),
            status=PolicyStatus.RENEWED,
            producer="Quinn",
            provenance=vendor("P-9"),
            created_at=T0,
            updated_at=T0,
        ),
        Thread(
            channel=Channel.SMS,
            subject="Hi",
            counterpart="+15125550100",
            last_message_at=T0,
            unread=True,
            message_count=0,
            producer="Pat",
            provenance=vendor("T-9"),
            created_at=T0,
            updated_at=T0,
        ),
        Task(
            title="Call",
            task_kind=TaskKind.CALL,
            status=TaskStatus.DONE,
            due_date=date(2026, 3, 3),
            due_time="09:30",
            assignee="Pat",
            comments="left voicemail",
            completed_at=T0,
            provenance=vendor("K-9"),
            created_at=T0,
            updated_at=T0,
        ),
        Note(
            parent_kind=RecordKind.LEAD,
            parent_id=5,
            title="t",
            body="b",
            author="Pat",
            provenance=vendor("N-9"),
            created_at=T0,
            updated_at=T0,
        ),
    ],
    ids=lambda r: r.kind.value,
)
def test_every_field_round_trips(book: Book, record: Lead) -> None:
    stored = book.save(record)
    assert stored.id is not None
    assert stored == replace(record, id=stored.id)
    assert book.get(record.kind, stored.id) == stored
    assert book.find_remote(record.kind, "agencyzoom", "Main", record.provenance.remote_id) == (
        stored
    )
    assert book.remote_ids(record.kind, "agencyzoom", "Main") == {
        record.provenance.remote_id: stored.id
    }


def test_message_round_trips_and_updates_its_thread(book: Book) -> None:
    thread = book.save(Thread(subject="s"))
    assert thread.id is not None
    message = Message(
        thread_id=thread.id, direction=Direction.OUTBOUND, sender="me", body="x", sent_at=T0
    )
    [mid] = book.save_many([message])
    assert book.messages_of(thread.id)[0] == replace(
        message, id=mid, updated_at=book.messages_of(thread.id)[0].updated_at
    )
    refreshed = book.get(RecordKind.THREAD, thread.id)
    assert isinstance(refreshed, Thread)
    assert (refreshed.message_count, refreshed.last_message_at) == (1, T0)


def test_local_save_stamps_updated_at_and_keeps_created_at(book: Book) -> None:
    before = datetime.now(UTC)
    stored = book.save(Customer(first_name="A", created_at=T0, updated_at=T0))
    assert stored.created_at == T0
    assert stored.updated_at >= before


def test_vendor_record_without_id_upserts_on_provenance(book: Book) -> None:
    first = book.save(Lead(first_name="Old", provenance=vendor("42")))
    again = book.save(Lead(first_name="New", provenance=vendor("42")))
    other_account = book.save(
        Lead(first_name="Other", provenance=replace(vendor("42"), account="Branch"))
    )
    assert again.id == first.id
    assert other_account.id != first.id
    assert book.count(RecordKind.LEAD, ListQuery()) == 2
    assert book.page(RecordKind.LEAD, ListQuery(text="new"), 0, 5)[0].record.id == first.id


def test_update_by_id_and_missing_id_is_an_error(book: Book) -> None:
    lead = book.save(Lead(first_name="A"))
    book.save(replace(lead, first_name="B"))
    stored = book.get(RecordKind.LEAD, lead.id or 0)
    assert isinstance(stored, Lead)
    assert stored.first_name == "B"
    with pytest.raises(LookupError, match="lead with id 999"):
        book.save(replace(lead, id=999))
    assert book.count(RecordKind.LEAD, ListQuery()) == 1


def test_save_many_is_one_transaction(book: Book) -> None:
    naive = datetime(2026, 1, 1)
    with pytest.raises(ValueError, match="created_at 2026-01-01T00:00:00 has no time zone"):
        book.save_many([Lead(first_name="ok"), Lead(first_name="bad", created_at=naive)])
    assert book.count(RecordKind.LEAD, ListQuery()) == 0


def test_delete_cascades_messages_and_notes(small: SmallBook) -> None:
    book = small.book
    book.delete(RecordKind.THREAD, [small.thread_ann])
    assert book.messages_of(small.thread_ann) == []
    assert book.quick_find("declarations") == []
    book.delete(RecordKind.CUSTOMER, [small.ann])
    assert book.notes_of(RecordKind.CUSTOMER, small.ann) == []
    # The customer's policies stay, unlinked (the vendor may still list them).
    policies = book.page(RecordKind.POLICY, ListQuery(carrier="Progressive"), 0, 5)
    assert policies[0].record.customer_id is None  # type: ignore[attr-defined]
    assert book.get(RecordKind.CUSTOMER, small.ann) is None


def test_customers_carry_policy_count_and_active_premium(small: SmallBook) -> None:
    items = {i.record.id: i for i in small.book.page(RecordKind.CUSTOMER, ListQuery(), 0, 10)}
    assert (items[small.ann].policy_count, items[small.ann].total_premium_cents) == (3, 330_000)
    assert (items[small.bob].policy_count, items[small.bob].total_premium_cents) == (0, 0)
    by_premium = small.book.page(
        RecordKind.CUSTOMER, ListQuery(sort="total_premium_cents", descending=True), 0, 10
    )
    assert names(by_premium) == ["Cy Diaz", "Ann Lee", "Bob Lee"]
    by_count = small.book.page(RecordKind.CUSTOMER, ListQuery(sort="policy_count"), 0, 10)
    assert names(by_count) == ["Bob Lee", "Cy Diaz", "Ann Lee"]


def test_related_names_of_policies_threads_and_tasks(small: SmallBook) -> None:
    book = small.book
    policy = book.page(RecordKind.POLICY, ListQuery(customer_id=small.cy), 0, 5)
    assert [p.related_name for p in policy] == ["Cy Diaz"]
    threads = {i.record.id: i.related_name for i in book.page(RecordKind.THREAD, ListQuery(), 0, 5)}
    assert threads == {small.thread_ann: "Ann Lee", small.thread_lead: "Acme Roofing LLC"}
    tasks = book.page(RecordKind.TASK, ListQuery(sort="related_name"), 0, 10)
    assert [t.related_name for t in tasks] == ["", "", "Acme Roofing LLC", "Ann Lee"]


def test_default_orders_per_tab(small: SmallBook) -> None:
    book = small.book
    assert names(book.page(RecordKind.LEAD, ListQuery(), 0, 10)) == ["Acme Roofing LLC", "Dana Fox"]
    assert names(book.page(RecordKind.CUSTOMER, ListQuery(), 0, 10)) == [
        "Cy Diaz",
        "Ann Lee",
        "Bob Lee",
    ]
    numbers = [i.record.policy_number for i in book.page(RecordKind.POLICY, ListQuery(), 0, 10)]  # type: ignore[attr-defined]
    assert numbers == ["UM-1", "PA-100200", "CA-9", "HO-300400"]
    threads = [i.record.id for i in book.page(RecordKind.THREAD, ListQuery(), 0, 10)]
    assert threads == [small.thread_lead, small.thread_ann]  # unread first
    tasks = [i.record.id for i in book.page(RecordKind.TASK, ListQuery(today=TODAY), 0, 10)]
    # A CSR's day: due today, then overdue (most recent first), then upcoming; done last.
    assert tasks == [small.task_today, small.task_overdue, small.task_later, small.task_done]


def test_sort_by_field_both_ways_and_unknown_sort(small: SmallBook) -> None:
    book = small.book
    asc = book.page(RecordKind.POLICY, ListQuery(sort="premium_cents"), 0, 10)
    desc = book.page(RecordKind.POLICY, ListQuery(sort="premium_cents", descending=True), 0, 10)
    assert [i.record.premium_cents for i in asc] == [50_000, 120_000, 210_000, 500_000]  # type: ignore[attr-defined]
    assert [i.record.id for i in desc] == [i.record.id for i in reversed(asc)]
    with pytest.raises(ValueError, match="cannot sort policy by 'nope'"):
        book.page(RecordKind.POLICY, ListQuery(sort="nope"), 0, 10)


def test_paging_reads_only_the_asked_slice(small: SmallBook) -> None:
    book = small.book
    every = [i.record.id for i in book.page(RecordKind.POLICY, ListQuery(), 0, 100)]
    assert [i.record.id for i in book.page(RecordKind.POLICY, ListQuery(), 1, 2)] == every[1:3]
    assert book.page(RecordKind.POLICY, ListQuery(), 10, 5) == []
    chunks = [i.record.id for i in book.iter_rows(RecordKind.POLICY, ListQuery(), chunk=1)]
    assert chunks == every


@pytest.mark.parametrize(
    ("kind", "query", "expected"),
    [
        (RecordKind.LEAD, ListQuery(status="quoted"), 1),
        (RecordKind.LEAD, ListQuery(stage="New", pipeline="New Business"), 1),
        (RecordKind.LEAD, ListQuery(source="Referral"), 1),
        (RecordKind.LEAD, ListQuery(producer="Pat"), 1),
        (RecordKind.CUSTOMER, ListQuery(household="H1"), 2),
        (RecordKind.POLICY, ListQuery(household="H1"), 3),
        (RecordKind.POLICY, ListQuery(carrier="Chubb"), 1),
        (RecordKind.POLICY, ListQuery(line_of_business="Homeowners"), 1),
        (RecordKind.POLICY, ListQuery(status="cancelled"), 1),
        (RecordKind.POLICY, ListQuery(renewal_within_days=30, today=TODAY), 1),
        (RecordKind.POLICY, ListQuery(renewal_within_days=60, today=TODAY), 2),
        (RecordKind.POLICY, ListQuery(renewal_within_days=90, today=TODAY), 3),
        (RecordKind.THREAD, ListQuery(unread_only=True), 1),
        (RecordKind.THREAD, ListQuery(household="H1"), 1),
        (RecordKind.TASK, ListQuery(due=TaskDue.OVERDUE, today=TODAY), 1),
        (RecordKind.TASK, ListQuery(due=TaskDue.TODAY, today=TODAY), 1),
        (RecordKind.TASK, ListQuery(due=TaskDue.UPCOMING, today=TODAY), 1),
        (RecordKind.TASK, ListQuery(include_done=False), 3),
        (RecordKind.TASK, ListQuery(producer="Pat"), 3),
        (RecordKind.TASK, ListQuery(lead_id=2), 1),
    ],
)
def test_filters_and_count_agree(
    small: SmallBook, kind: RecordKind, query: ListQuery, expected: int
) -> None:
    assert small.book.count(kind, query) == expected
    assert len(small.book.page(kind, query, 0, 50)) == expected


def test_facets_stage_counts_and_renewal_counts(small: SmallBook) -> None:
    book = small.book
    assert book.facet_values(RecordKind.POLICY, "carrier") == [
        "Chubb",
        "Progressive",
        "State Farm",
        "Travelers",
    ]
    assert book.facet_values(RecordKind.TASK, "producer") == ["Pat", "Quinn"]
    with pytest.raises(ValueError, match="no field"):
        book.facet_values(RecordKind.LEAD, "raw")
    assert book.stage_counts(ListQuery(stage="Quoted")) == [Count("New", 1), Count("Quoted", 1)]
    assert book.stage_counts(ListQuery(producer="Quinn")) == [Count("Quoted", 1)]
    assert book.renewal_counts(90, today=TODAY) == [Count("Pat", 2), Count("Quinn", 1)]
    assert book.renewal_counts(30, today=TODAY) == [Count("Pat", 1)]


def test_notes_and_messages_in_reading_order(small: SmallBook) -> None:
    notes = small.book.notes_of(RecordKind.CUSTOMER, small.ann)
    assert [n.body for n in notes] == ["Has a teen driver", "Prefers email"]
    messages = small.book.messages_of(small.thread_ann)
    assert [m.body[:4] for m in messages] == ["Your", "Than"]


def test_worker_thread_writes_while_another_thread_reads(book: Book) -> None:
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for n in range(10):
                book.save_many([Lead(first_name=f"W{n}-{i}") for i in range(50)])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    worker = threading.Thread(target=write)
    worker.start()
    while worker.is_alive():
        book.page(RecordKind.LEAD, ListQuery(), 0, 50)
        book.count(RecordKind.LEAD, ListQuery())
    worker.join()
    assert errors == []
    assert book.count(RecordKind.LEAD, ListQuery()) == 500


def test_file_is_plain_sqlite_with_typed_tables(book: Book) -> None:
    book.save(Policy(policy_number="X", premium_cents=5))
    conn = sqlite3.connect(book.path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"leads", "customers", "policies", "threads", "messages", "tasks", "notes"} <= tables
        assert conn.execute("SELECT typeof(premium_cents) FROM policies").fetchone() == ("integer",)
    finally:
        conn.close()


def test_a_link_to_a_missing_record_names_the_record_and_field(book: Book) -> None:
    with pytest.raises(ValueError, match="policy P-1: customer_id 999 is not a stored customer"):
        book.save_many(
            [Policy(policy_number="ok"), Policy(customer_id=999, provenance=vendor("P-1"))]
        )
    assert book.count(RecordKind.POLICY, ListQuery()) == 0
    thread = book.save(Thread(subject="t"))
    with pytest.raises(ValueError, match=r"message \(new\): thread_id 5 is not a stored thread"):
        book.save(Message(thread_id=5))
    assert thread.id is not None


def test_deleting_a_message_updates_its_thread(small: SmallBook) -> None:
    book = small.book
    first, _second = book.messages_of(small.thread_ann)
    book.delete(RecordKind.MESSAGE, [first.id or 0])
    thread = book.get(RecordKind.THREAD, small.thread_ann)
    assert isinstance(thread, Thread)
    assert thread.message_count == 1


def test_related_names_follow_renames_and_deletes(small: SmallBook) -> None:
    book = small.book
    ann = book.get(RecordKind.CUSTOMER, small.ann)
    assert isinstance(ann, Customer)
    book.save(replace(ann, first_name="Anna"))
    held = book.page(RecordKind.POLICY, ListQuery(customer_id=small.ann), 0, 10)
    assert {p.related_name for p in held} == {"Anna Lee"}
    threads = book.page(RecordKind.THREAD, ListQuery(sort="related_name"), 0, 10)
    assert [t.related_name for t in threads] == ["Acme Roofing LLC", "Anna Lee"]

    book.delete(RecordKind.CUSTOMER, [small.ann])
    book.delete(RecordKind.LEAD, [small.lead_quoted])
    orphans = book.page(RecordKind.POLICY, ListQuery(carrier="Progressive"), 0, 5)
    assert orphans[0].related_name == ""  # no insured name was given: nothing to fall back on
    threads = book.page(RecordKind.THREAD, ListQuery(sort="related_name"), 0, 10)
    assert [t.related_name for t in threads] == ["+15125550777", "ann.lee@example.com"]
    tasks = book.page(RecordKind.TASK, ListQuery(), 0, 10)
    assert {t.related_name for t in tasks} == {""}


def test_bulk_load_fills_related_names(book: Book) -> None:
    book.bulk_load(
        [
            Customer(id=1, business_name="Acme", created_at=T0, updated_at=T0),
            Policy(id=1, customer_id=1, policy_number="X", created_at=T0, updated_at=T0),
            Policy(id=2, insured_name="Walk In", created_at=T0, updated_at=T0),
        ]
    )
    items = book.page(RecordKind.POLICY, ListQuery(sort="related_name"), 0, 5)
    assert [i.related_name for i in items] == ["Acme", "Walk In"]


def test_customer_totals_follow_policy_saves_moves_and_deletes(small: SmallBook) -> None:
    book = small.book

    def totals(customer_id: int) -> tuple[int, int]:
        [item] = book.page(RecordKind.CUSTOMER, ListQuery(customer_id=customer_id), 0, 1)
        return item.policy_count, item.total_premium_cents

    assert totals(small.cy) == (1, 500_000)
    [ca9] = book.page(RecordKind.POLICY, ListQuery(customer_id=small.cy), 0, 1)
    policy = ca9.record
    assert isinstance(policy, Policy)
    policy = replace(policy, premium_cents=600_000)
    book.save(policy)
    assert totals(small.cy) == (1, 600_000)
    policy = replace(policy, customer_id=small.bob)  # moved to Bob
    book.save(policy)
    assert (totals(small.cy), totals(small.bob)) == ((0, 0), (1, 600_000))
    book.save(replace(policy, status=PolicyStatus.CANCELLED))
    assert totals(small.bob) == (1, 0)
    book.delete(RecordKind.POLICY, [policy.id or 0])
    assert totals(small.bob) == (0, 0)
    assert totals(small.ann) == (3, 330_000)


def test_an_unknown_status_is_refused_by_name(book: Book) -> None:
    with pytest.raises(ValueError, match="lead : status 'maybe' is not one of new, contacted"):
        book.save(Lead(first_name="A", status="maybe"))  # type: ignore[arg-type]
    stored = book.save(Lead(first_name="B", status="quoted"))  # type: ignore[arg-type]
    assert isinstance(stored, Lead)
    assert stored.status is LeadStatus.QUOTED
